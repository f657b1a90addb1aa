"""The member duty record (履职档案): the committee's points rules, the facts the bot sees
for a member's year, and the score computed from the two.

rules.py    reads and checks config/points.toml (pure)
scoring.py  facts × rules → items, points, caps, deductions, total, grade, shortfalls (pure)
facts.py    gathers a member's (or every member's) facts for a year from storage
service.py  a member's record, or every member's, for a year (facts scored under the rules)
view.py     the record as a member or clerk reads it (chat and terminal)
export.py   the year's XLSX for the chair: a summary sheet and a sheet per item

Its other layers: handlers/record.py (/record), bot/cli/record.py (`committee-bot record`),
storage/record.py and storage/tables/record.py (the secretariat's entries, ``duty_entry``).
Nothing stores points: changing the rules file changes every score at the next look.
"""
