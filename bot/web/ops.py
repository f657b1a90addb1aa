"""Operations: ``/healthz`` for the load balancer and ``/metrics`` for Prometheus.

``/healthz`` needs no login and shows no member data: the database answers, the channels
and the scheduler the process runs are up (checks registered in ``services.extras["health"]``
by whoever starts them), and the outbox backlog. 200 when all is well, else 503.
``/metrics`` is read from the database at scrape time (so any process of the deployment
gives the same figures) and only for the addresses COMMITTEE_BOT_METRICS_ALLOW lists;
reply latency and update errors are this process's own (``App.timers``, see ``install``).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, text
from sqlmodel import col, select

from bot.app import App
from bot.web.render import app_of, error_page
from storage.tables import OutboxMessage, ProcessedUpdate

__all__ = ["HEALTH", "LATENCY", "ReplyTimer", "allowed_networks", "install", "routes"]

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
HEALTH = "health"  # services.extras key: {name: () -> bool}
LATENCY = "reply_latency"  # services.extras key: the process's ReplyTimer


class ReplyTimer:
    """How long ``App.handle`` took per update, and the updates that went wrong, by kind.

    Kept in memory by the process that handles updates (``committee-bot run`` serving the
    console beside the bot); a console-only process reports an empty histogram.
    """

    def __init__(self) -> None:
        self.latency = Histogram(
            "committee_bot_reply_latency_seconds",
            "Time from an update's arrival to its replies being ready, by platform",
            labelnames=["platform"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
            registry=None,
        )
        self.errors = Counter(
            "committee_bot_update_errors",
            "Updates that went wrong: refused (bad input, told why) or failed (an exception)",
            labelnames=["kind"],
            registry=None,
        )

    def __call__(self, platform: str, outcome: str, seconds: float) -> None:
        self.latency.labels(platform).observe(seconds)
        if outcome in ("refused", "failed"):
            self.errors.labels(outcome).inc()

    def collectors(self) -> tuple[Histogram, Counter]:
        return self.latency, self.errors


def install(app: App) -> ReplyTimer:
    """Times every update ``app`` handles from now on (once per app)."""
    timer = app.services.extras.get(LATENCY)
    if not isinstance(timer, ReplyTimer):
        timer = app.services.extras[LATENCY] = ReplyTimer()
        app.timers.append(timer)
    return timer


def allowed_networks(setting: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(part.strip(), strict=False)
        for part in setting.split(",")
        if part.strip()
    ]


async def _figures(request: web.Request) -> dict[str, Any]:
    app = app_of(request)
    async with app.db.session() as s:
        await s.exec(text("SELECT 1"))  # type: ignore[call-overload]
        pending = (await s.exec(select(func.count()).where(OutboxMessage.state == "pending"))).one()
        by_state = list(
            await s.exec(
                select(OutboxMessage.state, OutboxMessage.kind, func.count()).group_by(
                    col(OutboxMessage.state), col(OutboxMessage.kind)
                )
            )
        )
        oldest = (
            await s.exec(
                select(func.min(OutboxMessage.next_attempt_at)).where(
                    OutboxMessage.state == "pending"
                )
            )
        ).one()
        updates = list(
            await s.exec(
                select(ProcessedUpdate.platform, func.count()).group_by(
                    col(ProcessedUpdate.platform)
                )
            )
        )
    return {
        "pending": int(pending or 0),
        "by_state": by_state,
        "oldest": oldest,
        "updates": updates,
    }


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    checks: dict[str, Callable[[], bool]] = app.services.extras.get(HEALTH, {})
    body: dict[str, Any] = {}
    ok = True
    try:
        figures = await _figures(request)
        body["database"] = "ok"
        body["outbox_backlog"] = figures["pending"]
        oldest = figures["oldest"]
        late = oldest is not None and app.services.clock() - oldest > timedelta(minutes=30)
        body["outbox_stalled"] = late
        ok = not late
    except Exception as exc:  # the database is down: say so, do not crash
        log.warning("health check: database unreachable: %s", type(exc).__name__)
        body["database"] = "unreachable"
        ok = False
    for name, check in checks.items():
        try:
            up = bool(check())
        except Exception:
            up = False
        body[name] = "ok" if up else "down"
        ok = ok and up
    for name in ("channels", "scheduler"):
        body.setdefault(name, "not_in_this_process")
    body["status"] = "ok" if ok else "failing"
    return web.json_response(body, status=200 if ok else 503)


class _Scrape:
    """A one-shot collector over figures already read from the database."""

    def __init__(self, figures: dict[str, Any]) -> None:
        self.figures = figures

    def collect(self) -> Iterator[Any]:
        backlog = GaugeMetricFamily(
            "committee_bot_outbox_backlog", "Outbox messages waiting to be sent"
        )
        backlog.add_metric([], self.figures["pending"])
        yield backlog
        sent = CounterMetricFamily(
            "committee_bot_outbox_sent",
            "Outbox messages sent (rate() of it is the send rate)",
            labels=["kind"],
        )
        errors = CounterMetricFamily(
            "committee_bot_errors",
            "Messages given up after retries, by kind of message",
            labels=["kind"],
        )
        for state, kind, count in self.figures["by_state"]:
            if state == "sent":
                sent.add_metric([kind], count)
            elif state == "dead":
                errors.add_metric([kind], count)
        yield sent
        yield errors
        updates = CounterMetricFamily(
            "committee_bot_updates_handled",
            "Chat updates handled (recorded update ids), by platform",
            labels=["platform"],
        )
        for platform, count in self.figures["updates"]:
            updates.add_metric([platform], count)
        yield updates


@routes.get("/metrics")
async def metrics(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    remote = request.remote or ""
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(remote)
    except ValueError:
        address = None
    networks = allowed_networks(app.settings.metrics_allow)
    if address is None or not any(address in net for net in networks):
        return error_page(request, app.services.catalogue.s("web.metrics_refused"), status=403)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Scrape(await _figures(request)))
    timer = app.services.extras.get(LATENCY)
    if isinstance(timer, ReplyTimer):
        for collector in timer.collectors():
            registry.register(collector)
    return web.Response(
        body=generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
    )
