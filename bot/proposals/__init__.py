"""Proposals (提案) and public-opinion reports (社情民意): services and rules, one drafting engine.

Handlers in ``handlers/proposals/``; storage in ``storage/proposals.py`` (tables in
``storage/tables/proposals.py``).

Pure rules (no ORM, no platform library): ``config.py`` (limits and vocabulary from
config/proposals.toml), ``checks.py`` (the clerk's checks any draft gets),
``proposal_checks.py`` / ``report_checks.py`` (each kind's own), ``lifecycle.py`` (what every
lifecycle shares) with ``proposal_lifecycle.py`` / ``report_lifecycle.py``, ``similarity.py``
over ``matching.py`` (the rulebook's text analysis applied to proposals), ``stats.py``. Services: ``drafting.py`` (the drafting engine: a kind is a ``DraftKind``
declaration), ``office.py`` (the secretariat's operations, chat and CLI alike),
``invitations.py`` (co-sign invitations), ``assistant.py`` (a model's help),
``similarity_cache.py``, ``documents/`` (DOCX, XLSX).
"""
