"""``/notice``: the secretariat composes a notice step by step, sees it as members will
(with the recipient count and the notice-period warning), and sends it; a status message
counts while it goes out.

```mermaid
flowchart LR
  kind --> title --> start --> end --> place --> agenda --> mode --> deadline
  deadline --> attachment --> audience -->|界别/专委会/小组/指定| values --> confirm
  audience -->|全体/常委| confirm
  confirm -->|确认发送| sent
  confirm -->|先不发送| kept
```
"""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.errors import UserError
from bot.flows import Choice, Flow, Step
from bot.notices.broadcast import same_session
from bot.notices.draft import MAX_AGENDA, MAX_PLACE, MAX_TITLE, draft_problems
from bot.notices.progress import open_status_message, status_text
from bot.notices.rules import AttendanceMode, AudienceKind, MeetingKind
from bot.notices.service import create_notice, notice_rules, preview, send_notice
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Reply
from handlers.notices.common import after_queuing, answer_buttons_here, status_buttons_here
from handlers.notices.fields import (
    draft_from,
    parse_attachment,
    parse_deadline,
    parse_end,
    parse_start_span,
    parse_title,
    parse_values,
    values_prompt,
)
from storage.notices import NoticesRepo
from storage.tables import Conversation

__all__ = ["COMPOSE_FLOW", "router"]

router = Router("notices/compose")

KINDS = tuple(Choice(k.value, f"notices.kind.{k.value}") for k in MeetingKind)
MODES = tuple(Choice(m.value, f"notices.mode.{m.value}") for m in AttendanceMode)
AUDIENCES = tuple(Choice(a.value, f"notices.audience_choice.{a.value}") for a in AudienceKind)
_NEEDS_VALUES = {
    AudienceKind.SECTORS,
    AudienceKind.COMMITTEES,
    AudienceKind.READING_GROUP,
    AudienceKind.MEMBERS,
}


async def _preview_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    """The notice as members will read it, how many get it, and the notice-period rule."""
    draft = draft_from(data)
    shown = await preview(
        same_session(ctx.session),
        draft,
        rules=notice_rules(),
        zone=ctx.settings.zone,
        now=ctx.now(),
    )
    text = ctx.t("notices.preview", count=shown.recipients)
    if shown.warning is not None:
        text += ctx.t("notices.period_warning", **shown.warning.params()) + Text.plain("\n\n")
    for key, params in draft_problems(draft, now=ctx.now()):
        text += ctx.t(key, **params) + Text.plain("\n")
    return text + shown.text


async def _compose_done(ctx: Context, conversation: Conversation) -> list[Reply]:
    """Creates the notice and queues it for every recipient (after confirmation only)."""
    data = conversation.data
    if data.get("confirm") != "send":
        return [ctx.reply("notices.not_sent_kept")]
    draft = draft_from(data)
    problems = draft_problems(draft, now=ctx.now())
    if problems:
        raise UserError(*problems[0][:1], **problems[0][1])
    member = ctx.member
    assert member is not None
    session = same_session(ctx.session)
    nid = await create_notice(
        session, draft, rules=notice_rules(), created_by=member.name, created_by_member_id=member.id
    )
    repo = NoticesRepo(ctx.session)
    notice = await repo.require(nid)
    count = len(await repo.recipient_ids(nid))
    await ctx.audit.record("notice.create", actor=member, target=f"notice:{nid}", recipients=count)
    # The status message goes first through the outbox (so its message id is known), then
    # the notice; all commit with this update. The scheduler edits it while sending.
    buttons = status_buttons_here(ctx)(notice)
    row = await open_status_message(
        ctx.session,
        notice,
        platform=ctx.incoming.platform,
        chat_id=ctx.incoming.chat_id,
        reply=Reply(text=Text.plain(""), buttons=buttons),
    )
    await send_notice(session, nid, zone=ctx.settings.zone, buttons=answer_buttons_here(ctx))
    if row is not None:  # now with the members known at once to be unreachable
        text, _ = await status_text(session, notice)
        row.payload = Reply(text=text, buttons=buttons).to_json()
        ctx.session.add(row)
    after_queuing(ctx, "notice_status", "meetings")
    return [ctx.reply("notices.sending_started", id=nid, count=count)]


COMPOSE_FLOW = router.flow(
    Flow(
        name="notice_compose",
        title="notices.flow_title",
        roles=SECRETARIAT,
        steps=(
            Step("kind", "notices.ask_kind", choices=KINDS),
            Step(
                "title",
                lambda ctx, d: ctx.t("notices.ask_title", limit=MAX_TITLE),
                parse=parse_title,
                max_chars=MAX_TITLE + 50,
            ),
            Step("start", "notices.ask_start", parse=parse_start_span, max_chars=60),
            Step("end", "notices.ask_end", parse=parse_end, optional=True, max_chars=60),
            Step("place", "notices.ask_place", max_chars=MAX_PLACE),
            Step("agenda", "notices.ask_agenda", optional=True, max_chars=MAX_AGENDA),
            Step("mode", "notices.ask_mode", choices=MODES),
            Step("deadline", "notices.ask_deadline", parse=parse_deadline, max_chars=60),
            Step(
                "attachment",
                "notices.ask_attachment",
                parse_document=parse_attachment,
                optional=True,
            ),
            Step("audience", "notices.ask_audience", choices=AUDIENCES),
            Step(
                "values",
                values_prompt,
                parse=parse_values,
                when=lambda d: AudienceKind(d.get("audience", "all")) in _NEEDS_VALUES,
            ),
            Step(
                "confirm",
                _preview_prompt,
                choices=(Choice("send", "notices.btn_send"), Choice("keep", "notices.btn_keep")),
            ),
        ),
        done=_compose_done,
    )
)


@router.command("notice", "发通知", roles=SECRETARIAT, menu="notices.menu_staff", order=41)
async def compose(ctx: Context) -> list[Reply]:
    return await ctx.begin(COMPOSE_FLOW)
