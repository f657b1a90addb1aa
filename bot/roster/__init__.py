"""The roster: members, verification, invite codes and roster-file imports.
Handlers: handlers/onboarding.py; services and rules: bot/roster/; storage: storage/roster.py.

importer.py reads and upserts a roster file; rows.py validates its rows; phones.py
normalises mobile numbers; invite_codes.py makes codes and recognises a typed one.
Tables: storage/tables/members.py.
"""
