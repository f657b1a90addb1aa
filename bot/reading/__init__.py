"""书香政协, services and rules: recurrence.py, reminder_plan.py, period.py, checkin.py (pure),
service.py, planner.py, reminders.py, report.py.

Handlers: handlers/reading/; storage: storage/reading.py (tables in storage/tables/reading.py).
"""
