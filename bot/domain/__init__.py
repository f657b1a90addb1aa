"""Shared pure helpers every layer may use: roles (roles.py), local dates and times
(local_times.py), text as a reader sees it (visible_text.py). No ORM, no platform library.

A rule that belongs to one capability lives in that capability's package (bot/roster/,
bot/notices/, bot/reading/, bot/proposals/); only what several capabilities and the runtime
share stays here, so ``bot.domain`` is the bottom every package can import without a circle.
"""
