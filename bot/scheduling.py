"""Starting the deployment's one scheduler with every time-driven task registered."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from bot.daily_jobs import FileLinkPruning, OverdueDigest, UpdatePruning, WebLoginPruning
from bot.notices.buttons import answer_buttons, status_buttons
from bot.notices.progress import StatusMessages
from bot.notices.reminders import MeetingReminders
from bot.notices.service import notice_rules
from bot.reading.reminders import ReadingReminders
from bot.reading.service import compose_reminder
from bot.scheduler import Scheduler, Task
from storage.locks import DeploymentLock

__all__ = ["scheduled_tasks", "start_scheduler"]


def scheduled_tasks(app: App) -> dict[str, Task]:
    """Every capability's scheduler task, by the name handlers poke it with."""
    zone = app.settings.zone
    services = app.services

    def wake() -> None:
        services.wake_delivery()  # looked up each time: the channel sets it after build

    return {
        "reading": ReadingReminders(
            db=app.db,
            zone=zone,
            compose=lambda info: compose_reminder(info, zone=zone, signer=services.signer),
            on_enqueued=wake,
        ),
        "meetings": MeetingReminders(
            db=app.db,
            rules=notice_rules(),
            zone=zone,
            buttons=answer_buttons(services.signer, services.catalogue),
            on_enqueued=wake,
        ),
        "notice_status": StatusMessages(
            db=app.db,
            buttons=status_buttons(services.signer, services.catalogue),
            every=timedelta(seconds=app.settings.broadcast_status_edit_seconds),
            on_enqueued=wake,
        ),
        "overdue_digest": OverdueDigest(
            db=app.db,
            catalogue=services.catalogue,
            zone=zone,
            at=app.settings.daily_digest_time,
            on_enqueued=wake,
        ),
        "prune_updates": UpdatePruning(db=app.db),
        "prune_file_links": FileLinkPruning(db=app.db),
        "prune_web_logins": WebLoginPruning(db=app.db),
    }


async def start_scheduler(app: App, *, sweep_seconds: float = 60.0) -> Scheduler | None:
    """Start the scheduler unless another process of this deployment runs it (then None).

    Handlers find it as ``ctx.services.extras["scheduler"]`` to wake a task after a change.
    """
    scheduler = Scheduler(
        tasks=scheduled_tasks(app),
        zone=app.settings.timezone,
        clock=app.services.clock,
        lock=DeploymentLock(app.db),
        sweep_seconds=sweep_seconds,
    )
    if not await scheduler.start():
        return None
    app.services.extras["scheduler"] = scheduler
    return scheduler
