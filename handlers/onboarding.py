"""Verification: a stranger shares the contact (phone matched to the roster) or enters an
invite code. Nothing else answers until then; wrong codes are slowed down and logged.
On the terminal channel an empty roster can be filled with a demo committee (示例).

Only the member's own contact verifies: the card must carry the sender's own user id
(Telegram leaves it out for a card that is not a Telegram user, or when its owner hides
the number, so a forwarded card with a member's phone proves nothing). Guessing invite codes
is slowed per account and, over all accounts, paused for a while when wrong codes bunch up
(the secretariat is told once per burst). One account per member per platform: verifying
from another account signs the old one out, and it is told so.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from bot.catalogue import CONFIG_DIR
from bot.context import Context
from bot.domain.roles import Role, parse_roles
from bot.domain.visible_text import visible_text
from bot.errors import UserError
from bot.proposals.invitations import deliver_held
from bot.roster.importer import import_roster, read_rows
from bot.roster.invite_codes import code_shape
from bot.roster.phones import normalize_phone
from bot.router import ANYONE, Router
from bot.text import Text
from bot.types import Button, Reply
from handlers.menu import main_menu
from storage.roster import CODE_FAILURE
from storage.tables import Identity, Member

__all__ = ["router"]

log = logging.getLogger(__name__)
router = Router("onboarding")

DEMO_ROSTER = CONFIG_DIR / "demo_committee.csv"


@router.command("start", roles=ANYONE, in_groups=True, order=0)
async def start(ctx: Context) -> list[Reply]:
    """Greets a member; a stranger with a deep-link code is verified by it."""
    if ctx.member is not None:
        return [main_menu(ctx, greeting=True)]
    if ctx.incoming.chat_type != "private":
        return [ctx.reply("core.private_only")]
    if ctx.args:
        shape, code = code_shape(ctx.args[0], explicit=True)
        if shape == "code":
            return await _redeem(ctx, code)
        if shape == "miss":
            return [_how_to_verify(ctx, "core.code_invalid")]
    return await stranger(ctx)


@router.action("onboarding.stranger", roles=ANYONE)
async def stranger(ctx: Context) -> list[Reply]:
    """Everything a stranger sends ends here: contact, code, or the explanation."""
    incoming = ctx.incoming
    if incoming.kind == "contact":
        return await _by_contact(ctx)
    shape, code = code_shape(incoming.text or "")
    if shape == "code":
        return await _redeem(ctx, code)
    if shape == "miss":  # typed like a code but no code can look so: a typo, not a guess
        return [_how_to_verify(ctx, "core.code_invalid")]
    if incoming.platform == "console" and await ctx.roster.count(active_only=False) == 0:
        return [
            ctx.reply(
                "core.demo_offer",
                buttons=[
                    [
                        ctx.button("core.btn_demo_load", "onboarding.demo"),
                        ctx.button("core.btn_demo_skip", "onboarding.demo_skip"),
                    ]
                ],
            )
        ]
    return [_how_to_verify(ctx)]


def _how_to_verify(ctx: Context, key: str = "core.verify_intro", **params: object) -> Reply:
    if key == "core.verify_intro" and ctx.incoming.platform == "wecom":
        key = "wecom.verify_intro"  # WeCom shares no contact card: the invite code it is
    return Reply(
        text=ctx.t(key, committee=ctx.settings.committee_name, **params),
        buttons=((Button(label=ctx.t("core.btn_share_contact"), request_contact=True),),),
    )


def _minutes_until(ctx: Context, when: datetime) -> int:
    return max(1, int((when - ctx.now()).total_seconds() // 60) + 1)


async def _throttled(ctx: Context) -> Reply | None:
    """After a few wrong tries, each further try waits longer (1, 2, 4 … 60 minutes)."""
    s = ctx.settings
    since = ctx.now() - timedelta(minutes=s.verify_window_minutes)
    failures = await ctx.roster.failed_attempts_since(
        ctx.incoming.platform, ctx.incoming.user_id, since
    )
    if failures < s.verify_free_attempts:
        return None
    last = await ctx.roster.last_failed_attempt(ctx.incoming.platform, ctx.incoming.user_id)
    wait = timedelta(minutes=min(60, 2 ** (failures - s.verify_free_attempts)))
    if last is None or ctx.now() >= last + wait:
        return None
    log.warning(
        "verification throttled: %s user %s after %d failures",
        ctx.incoming.platform,
        ctx.incoming.user_id,
        failures,
    )
    return ctx.reply("core.verify_slow_down", minutes=_minutes_until(ctx, last + wait))


async def _fail(ctx: Context, detail: str, key: str) -> list[Reply]:
    await ctx.roster.record_failed_attempt(ctx.incoming.platform, ctx.incoming.user_id, detail)
    await ctx.audit.record(
        "security.verify_failed",
        actor_label=f"{ctx.incoming.platform}:{ctx.incoming.user_id}",
        detail=detail,
    )
    log.warning("verification failed (%s) for %s", detail, ctx.incoming.user_id)
    return [_how_to_verify(ctx, key)]


async def _by_contact(ctx: Context) -> list[Reply]:
    incoming = ctx.incoming
    if (slow := await _throttled(ctx)) is not None:
        return [slow]
    if incoming.contact_user_id is None or incoming.contact_user_id != incoming.user_id:
        return await _fail(ctx, "contact_not_own", "core.contact_not_own")
    phone = normalize_phone(incoming.contact_phone)
    member = await ctx.roster.by_phone(phone) if phone else None
    if member is None or member.status != "active":
        return await _fail(ctx, "phone", "core.phone_not_found")
    return await _bind(ctx, member, via="phone")


# -- invite codes -------------------------------------------------------------------


async def _code_failures(ctx: Context) -> list[tuple[datetime, str]]:
    window = timedelta(minutes=ctx.settings.verify_code_burst_minutes)
    return await ctx.roster.code_failures_since(ctx.now() - window)


async def _code_paused(ctx: Context) -> Reply | None:
    """While wrong codes from all accounts exceed the burst limit, no code is even looked
    up (a right guess must not get through the pause); it lifts as old failures age out."""
    limit = ctx.settings.verify_code_burst_failures
    failures = await _code_failures(ctx)
    if len(failures) <= limit:
        return None
    await _note_burst(ctx, failures)
    # the pause ends when all but ``limit`` of the failures are older than the window
    lifts = failures[len(failures) - limit - 1][0] + timedelta(
        minutes=ctx.settings.verify_code_burst_minutes
    )
    log.warning(
        "invite codes paused: %d wrong codes; %s user %s refused",
        len(failures),
        ctx.incoming.platform,
        ctx.incoming.user_id,
    )
    return _how_to_verify(ctx, "core.code_paused", minutes=_minutes_until(ctx, lifts))


async def _note_burst(ctx: Context, failures: list[tuple[datetime, str]]) -> None:
    """Keeps the burst going; the first time, tells the secretariat (outbox, audit, log)."""
    minutes = ctx.settings.verify_code_burst_minutes
    quiet = timedelta(minutes=minutes)
    if not await ctx.roster.continue_code_burst(ctx.now(), quiet=quiet):
        return
    accounts = len({user_id for _, user_id in failures})
    log.warning(
        "invite code guessing: %d wrong codes from %d accounts in %d minutes; codes paused",
        len(failures),
        accounts,
        minutes,
    )
    await ctx.audit.record(
        "security.code_burst",
        actor_label=f"{ctx.incoming.platform}:{ctx.incoming.user_id}",
        failures=len(failures),
        accounts=accounts,
        minutes=minutes,
    )
    report = Reply(
        text=ctx.t(
            "core.code_burst_report", minutes=minutes, failures=len(failures), accounts=accounts
        )
    )
    started = ctx.now().strftime("%Y%m%d%H%M%S")
    for member in await ctx.roster.list():
        if member.id is not None and Role.SECRETARIAT in parse_roles(member.roles):
            await ctx.notify(
                member.id, report, dedupe_key=f"code_burst:{started}:{member.id}", kind="security"
            )


async def _redeem(ctx: Context, code: str) -> list[Reply]:
    if (slow := await _throttled(ctx)) is not None:
        return [slow]
    if (paused := await _code_paused(ctx)) is not None:
        return [paused]
    invite = await ctx.roster.invite(code)
    member = None
    if invite is not None and invite.used_at is None and invite.expires_at >= ctx.now():
        member = await ctx.roster.get(invite.member_id)
    if invite is None or member is None or member.status != "active":
        replies = await _fail(ctx, CODE_FAILURE, "core.code_invalid")
        failures = await _code_failures(ctx)
        if len(failures) > ctx.settings.verify_code_burst_failures:
            await _note_burst(ctx, failures)
        return replies
    invite.used_at = ctx.now()
    invite.used_by_user_id = ctx.incoming.user_id
    ctx.session.add(invite)
    return await _bind(ctx, member, via="invite")


# -- binding ------------------------------------------------------------------------


async def _bind(ctx: Context, member: Member, *, via: str) -> list[Reply]:
    incoming = ctx.incoming
    assert member.id is not None
    replaced = [
        old
        for old in await ctx.roster.accounts(member.id, platform=incoming.platform)
        if old.user_id != incoming.user_id
    ]
    before = await ctx.roster.identity(incoming.platform, incoming.user_id)
    # the account acted for another member until now (a shared phone): say so in the log
    moved: dict[str, Any] = (
        {"previous_member_id": before.member_id} if before and before.member_id != member.id else {}
    )
    await ctx.roster.bind(
        member,
        platform=incoming.platform,
        user_id=incoming.user_id,
        chat_id=incoming.chat_id,
        via=via,
        display_name=visible_text(incoming.display_name or ""),
    )
    await ctx.audit.record(
        "member.verified",
        actor=member,
        target=incoming.platform,
        via=via,
        user_id=incoming.user_id,
        **moved,
    )
    for old in replaced:
        await _sign_out(ctx, member, old)
    ctx.member = member
    ctx.roles = parse_roles(member.roles)
    await deliver_held(ctx)  # co-sign invitations held until the member verified
    done = Reply(text=ctx.t("core.verified", name=member.name), remove_keyboard=True)
    return [done, main_menu(ctx)]


async def _sign_out(ctx: Context, member: Member, old: Identity) -> None:
    """The replaced account is told, through the outbox, that it no longer acts for them."""
    await ctx.outbox.enqueue(
        platform=old.platform,
        chat_id=old.chat_id,
        payload=Reply(
            text=ctx.t("core.signed_out", name=member.name), remove_keyboard=True
        ).to_json(),
        dedupe_key=f"signed_out:{old.platform}:{old.user_id}:{ctx.now().isoformat()}",
        kind="security",
    )
    ctx.after_commit.append(ctx.services.wake_delivery)
    await ctx.audit.record(
        "member.account_replaced",
        actor=member,
        target=old.platform,
        old_user_id=old.user_id,
        old_display_name=old.display_name,
        new_user_id=ctx.incoming.user_id,
    )
    log.warning(
        "member %s verified from %s account %s; account %s signed out",
        member.id,
        old.platform,
        ctx.incoming.user_id,
        old.user_id,
    )


@router.action("onboarding.demo", roles=ANYONE)
async def load_demo(ctx: Context) -> list[Reply]:
    """Terminal only: fills an empty roster with the demo committee and offers its members."""
    if ctx.incoming.platform != "console":
        raise UserError("core.access_denied")
    if await ctx.roster.count(active_only=False) == 0:
        await import_roster(ctx.session, read_rows(DEMO_ROSTER), actor="console:demo", demo=True)
    members = [m for m in await ctx.roster.list() if m.is_demo]
    rows = [
        (ctx.button(Text.plain(f"{m.name}（{m.title}）"), "onboarding.demo_as", m.id or 0),)
        for m in members[:4] + [m for m in members if "秘书处" in m.title][:1]
    ]
    return [ctx.reply("core.demo_loaded", count=len(members), buttons=rows)]


@router.action("onboarding.demo_as", roles=ANYONE)
async def demo_as(ctx: Context) -> list[Reply]:
    if ctx.incoming.platform != "console" or not ctx.args or not ctx.args[0].isdigit():
        raise UserError("core.access_denied")
    member = await ctx.roster.get(int(ctx.args[0]))
    if member is None or not member.is_demo or member.status != "active":
        raise UserError("core.access_denied")
    return await _bind(ctx, member, via="console")


@router.action("onboarding.demo_skip", roles=ANYONE)
async def demo_skip(ctx: Context) -> list[Reply]:
    return [ctx.reply("core.demo_skipped")]
