"""Co-sign invitations (联名邀请): sent at once when the invitee can be reached, held until
they verify otherwise.

The invitation itself is the ``proposal_signer`` row (status ``invited``); the message is an
outbox row for each reachable account of the invitee, signed for them. A member who has
not verified yet (or whose every account blocked the bot) has no account to queue it for:
the row keeps the invitation, the initiator sees who cannot be reached yet, and
``deliver_held`` queues it for the account the invitee verifies, on whichever platform.
Dedupe keys start ``proposal:<id>:invite:<member>:<signer row>``, so an invitee removed and
invited again is invited again, and "was it ever queued?" is one prefix look-up."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from bot.context import Context
from bot.types import Reply
from storage.outbox import Outbox
from storage.proposals import Proposals
from storage.roster import Roster
from storage.tables import OutboxMessage, Proposal, ProposalSigner

__all__ = ["deliver_held", "reachable_ids", "send_invitation"]


async def reachable_ids(ctx: Context, member_ids: Sequence[int]) -> set[int]:
    """The members with at least one account a message can be queued for."""
    identities = await Roster(ctx.session).identities_of(list(member_ids))
    return {i.member_id for i in identities if i.unreachable_at is None}


async def send_invitation(
    ctx: Context, row: Proposal, signer: ProposalSigner, *, wave: str = ""
) -> bool:
    """Queue the full text with confirm/decline buttons for the invitee; ``wave`` names a
    later sending of the same invitation (the text edited, the initiator resending).
    False when the invitee cannot be reached yet: the invitation is held."""
    invitee_id = signer.member_id
    again = wave.startswith("again")
    await ctx.notify(
        invitee_id,
        lambda rid: _invitation_reply(ctx, row, rid, again=again),
        dedupe_key=f"proposal:{row.id}:invite:{invitee_id}:{signer.id}"
        + (f":{wave}" if wave else ""),
        kind="proposal",
        ref=f"proposal:{row.id}",
    )
    return invitee_id in await reachable_ids(ctx, [invitee_id])


async def deliver_held(ctx: Context) -> int:
    """The member (``ctx.member``) has just verified this account: queue for it every
    invitation still waiting for their answer (a new account never saw them), and tell the
    initiator of each one that was held until now. Returns how many were held."""
    assert ctx.member is not None and ctx.member.id is not None
    me, incoming = ctx.member.id, ctx.incoming
    repo = Proposals(ctx.session)
    held = 0
    for signer in await repo.invitations_for(me):
        row = await repo.require(signer.proposal_id)
        key = f"proposal:{row.id}:invite:{me}:{signer.id}"
        was_held = not await _queued(ctx, key)
        added = await Outbox(ctx.session).enqueue(
            platform=incoming.platform,
            chat_id=incoming.chat_id,
            member_id=me,
            payload=_invitation_reply(ctx, row, me).to_json(),
            dedupe_key=f"{key}:to:{incoming.platform}:{incoming.user_id}",
            kind="proposal",
            ref=f"proposal:{row.id}",
        )
        if added is not None:
            ctx.after_commit.append(ctx.services.wake_delivery)
        if not was_held:
            continue
        held += 1
        await ctx.notify(
            row.author_id,
            Reply(
                text=ctx.t(
                    "proposals.notice.invitation_delivered", name=ctx.member.name, title=row.title
                ),
                buttons=(
                    (
                        ctx.button_for(
                            row.author_id,
                            ctx.t("proposals.btn_resume", id=row.id),
                            "proposal.resume",
                            row.id or 0,
                        ),
                    ),
                ),
            ),
            dedupe_key=f"{key}:delivered",
            kind="proposal",
            ref=f"proposal:{row.id}",
        )
    return held


async def _queued(ctx: Context, key: str) -> bool:
    """Whether any sending of this invitation was ever queued (keys extend ``key:``)."""
    stmt = select(OutboxMessage.id).where(col(OutboxMessage.dedupe_key).startswith(f"{key}:"))
    return (await ctx.session.exec(stmt.limit(1))).first() is not None


def _invitation_reply(ctx: Context, row: Proposal, rid: int, *, again: bool = False) -> Reply:
    """The full text with 同意联名 / 谢绝, signed for the invitee; ``again`` after an edit."""
    name = row.proposer.get("name", "")
    text = ctx.t(
        "proposals.notice.invitation",
        name=name,
        title=row.title,
        field=row.field or "—",
        situation=row.situation,
        suggestions=row.suggestions,
    )
    if again:
        text = ctx.t("proposals.notice.invitation_again", name=name) + text
    pid = row.id or 0
    return Reply(
        text=text,
        buttons=(
            (
                ctx.button_for(rid, "proposals.flow.btn_cosign", "proposal.cosign", pid, "y"),
                ctx.button_for(rid, "proposals.flow.btn_decline", "proposal.cosign", pid, "n"),
            ),
        ),
    )
