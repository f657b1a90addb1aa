"""Verification: a stranger shares the contact (phone matched to the roster) or enters an
invite code. Nothing else answers until then; wrong codes are slowed down and logged.
On the terminal channel an empty roster can be filled with a demo committee (示例)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from bot.catalogue import CONFIG_DIR
from bot.context import Context
from bot.domain.phones import normalize_phone
from bot.errors import UserError
from bot.roster_import import import_roster, read_rows
from bot.router import ANYONE, Router
from bot.text import Text
from bot.types import Button, Reply
from handlers.menu import main_menu
from storage.tables import Member

__all__ = ["router"]

log = logging.getLogger(__name__)
router = Router("onboarding")

_CODE = re.compile(r"^[A-Za-z0-9]{6,12}$")
DEMO_ROSTER = CONFIG_DIR / "demo_committee.csv"


@router.command("start", roles=ANYONE, in_groups=True, order=0)
async def start(ctx: Context) -> list[Reply]:
    """Greets a member; a stranger with a deep-link code is verified by it."""
    if ctx.member is not None:
        return [main_menu(ctx, greeting=True)]
    if ctx.incoming.chat_type != "private":
        return [ctx.reply("core.private_only")]
    if ctx.args:
        return await _redeem(ctx, ctx.args[0])
    return await stranger(ctx)


@router.action("onboarding.stranger", roles=ANYONE)
async def stranger(ctx: Context) -> list[Reply]:
    """Everything a stranger sends ends here: contact, code, or the explanation."""
    incoming = ctx.incoming
    if incoming.kind == "contact":
        return await _by_contact(ctx)
    text = (incoming.text or "").strip()
    if _CODE.match(text):
        return await _redeem(ctx, text)
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


def _how_to_verify(ctx: Context, key: str = "core.verify_intro") -> Reply:
    return Reply(
        text=ctx.t(key, committee=ctx.settings.committee_name),
        buttons=((Button(label=ctx.t("core.btn_share_contact"), request_contact=True),),),
    )


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
    minutes = max(1, int((last + wait - ctx.now()).total_seconds() // 60) + 1)
    log.warning(
        "verification throttled: %s user %s after %d failures",
        ctx.incoming.platform,
        ctx.incoming.user_id,
        failures,
    )
    return ctx.reply("core.verify_slow_down", minutes=minutes)


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
    if incoming.contact_user_id is not None and incoming.contact_user_id != incoming.user_id:
        return [_how_to_verify(ctx, "core.contact_not_own")]
    if (slow := await _throttled(ctx)) is not None:
        return [slow]
    phone = normalize_phone(incoming.contact_phone)
    member = await ctx.roster.by_phone(phone) if phone else None
    if member is None or member.status != "active":
        return await _fail(ctx, "phone", "core.phone_not_found")
    return await _bind(ctx, member, via="phone")


async def _redeem(ctx: Context, code: str) -> list[Reply]:
    if (slow := await _throttled(ctx)) is not None:
        return [slow]
    invite = await ctx.roster.invite(code)
    if invite is None or invite.used_at is not None or invite.expires_at < ctx.now():
        return await _fail(ctx, "code", "core.code_invalid")
    member = await ctx.roster.get(invite.member_id)
    if member is None or member.status != "active":
        return await _fail(ctx, "code", "core.code_invalid")
    invite.used_at = ctx.now()
    invite.used_by_user_id = ctx.incoming.user_id
    ctx.session.add(invite)
    return await _bind(ctx, member, via="invite")


async def _bind(ctx: Context, member: Member, *, via: str) -> list[Reply]:
    await ctx.roster.bind(
        member,
        platform=ctx.incoming.platform,
        user_id=ctx.incoming.user_id,
        chat_id=ctx.incoming.chat_id,
        via=via,
        display_name=ctx.incoming.display_name or "",
    )
    await ctx.audit.record("member.verified", actor=member, target=ctx.incoming.platform, via=via)
    from bot.domain.roles import parse_roles

    ctx.member = member
    ctx.roles = parse_roles(member.roles)
    done = Reply(text=ctx.t("core.verified", name=member.name), remove_keyboard=True)
    return [done, main_menu(ctx)]


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
