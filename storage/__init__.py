"""Storage: the database (db.py), one repository per capability (roster.py, kb.py, notices,
reading, proposals …), the outbox and conversations, tables in tables/, alembic migrations.
"""
