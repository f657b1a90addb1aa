"""会议通知, services and rules: rules.py and draft.py (pure), service.py, broadcast.py,
progress.py, reminders.py, messages.py, export.py, buttons.py.

Handlers: handlers/notices/; storage: storage/notices.py (tables in storage/tables/notices.py).
"""
