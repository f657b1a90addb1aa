"""书香政协 in chat: members see their groups, RSVP, check in and share notes (groups.py,
sessions.py, notes.py); the secretariat and group owners manage groups with
``/reading_admin`` (admin.py, admin_plan.py, admin_sessions.py, admin_members.py,
admin_report.py; who may: manage.py).

Services and rules: bot/reading/; storage: storage/reading.py. Every button carries plain
ids and is checked again on arrival; changes re-plan the group's reminders in the same
transaction.

```mermaid
flowchart LR
  home[/reading_admin/] --> group[group page]
  home -->|secretariat| new[new group flow]
  group --> plan[plan item flow] & session[session flow] & assign[bulk assign flow]
  group --> sessions[session list] --> change[change flow] & skip[cancel one date] & cancel[cancel session]
  group --> report[report] --> xlsx[XLSX]
```
"""

from __future__ import annotations

from bot.router import Router
from handlers.reading import (
    admin,
    admin_members,
    admin_plan,
    admin_report,
    admin_sessions,
    groups,
    notes,
    sessions,
)

__all__ = ["router"]

router = Router("reading").include(
    groups.router,
    sessions.router,
    notes.router,
    admin.router,
    admin_plan.router,
    admin_sessions.router,
    admin_members.router,
    admin_report.router,
)
