"""What a member reads and shares: a plan item marked finished, the reading record, and
reading notes as text or a file (a one-step flow)."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.errors import UserError
from bot.flows import Flow, Step
from bot.router import Router
from bot.types import InDocument, Reply
from handlers.reading.common import int_arg, me, member_group, reading_repo
from storage.tables import Conversation

__all__ = ["NOTE_FLOW", "router"]

router = Router("reading/notes")
_NOTE_TYPES = (".docx", ".pdf", ".txt", ".md", ".doc")


@router.action("rd.fin")
async def finished(ctx: Context) -> Reply:
    item = await reading_repo(ctx).plan_item(int_arg(ctx, 0))
    if item is None or item.removed_at is not None:
        raise UserError("core.button_stale")
    membership = await reading_repo(ctx).membership(item.group_id, me(ctx))
    if membership is None or membership.left_at is not None:
        raise UserError("reading.not_member")
    new = await reading_repo(ctx).mark_finished(item.id or 0, me(ctx))
    return Reply(
        text=ctx.t("reading.finished_saved" if new else "reading.finished_again", book=item.book)
    )


@router.action("rd.rec")
async def my_record(ctx: Context) -> Reply:
    record = await reading_repo(ctx).record(me(ctx))
    none = ctx.t("reading.record_none")
    return Reply(
        text=ctx.t(
            "reading.record",
            groups="、".join(record.groups) or none,
            attended=record.sessions_attended,
            notes=record.notes_shared,
            books="、".join(f"《{b}》" for b in record.books_finished) or none,
        )
    )


# -- reading notes (a one-step flow: text or a document) ----------------------------
async def _note_answer(ctx: Context, data: dict[str, Any], answer: str | InDocument) -> Any:
    """Saves the note (text, or a document of a known type within the size limit) in the
    group the flow was started from; the conversation keeps only the note's id."""
    group = await reading_repo(ctx).group(int(data["group_id"]))
    membership = await reading_repo(ctx).membership(int(data["group_id"]), me(ctx))
    if group is None or membership is None or membership.left_at is not None:
        raise UserError("reading.not_member")
    if isinstance(answer, InDocument):
        if (
            answer.content is None
            or not answer.file_name.lower().endswith(_NOTE_TYPES)
            or len(answer.content) > ctx.settings.max_upload_bytes
        ):
            raise UserError("reading.note_bad_file", name=answer.file_name[:80])
        note = await reading_repo(ctx).add_note(
            group_id=group.id or 0,
            member_id=me(ctx),
            document_name=answer.file_name,
            document_mime=answer.mime_type,
            document=answer.content,
        )
    else:
        note = await reading_repo(ctx).add_note(
            group_id=group.id or 0, member_id=me(ctx), text=answer
        )
    return note.id


async def _saved(ctx: Context, conversation: Conversation) -> Reply:
    """Confirms the note was kept."""
    group = await reading_repo(ctx).group(int(conversation.data["group_id"]))
    return Reply(text=ctx.t("reading.note_saved", name=group.name if group else ""))


NOTE_FLOW = router.flow(
    Flow(
        name="reading_note",
        title="reading.note_title",
        steps=(
            Step(
                "note",
                "reading.note_prompt",
                parse_document=_note_answer,
                max_chars=8000,
            ),
        ),
        done=_saved,
    )
)


@router.action("rd.note")
async def share_note(ctx: Context) -> list[Reply]:
    group, _ = await member_group(ctx)
    return await ctx.begin(NOTE_FLOW, {"group_id": group.id})
