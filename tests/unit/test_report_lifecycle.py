from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.errors import UserError
from bot.proposals.proposal_lifecycle import IllegalTransition
from bot.proposals.report_lifecycle import (
    Adopt,
    AdoptionLevel,
    Keep,
    Reject,
    ReportState,
    ReportStatus,
    SubmitReport,
    apply_report,
)

T = datetime(2025, 3, 1, tzinfo=UTC)


def submitted() -> ReportState:
    return apply_report(ReportState(), SubmitReport(), at=T)[0]


def test_adopted_at_several_levels() -> None:
    state, entry = apply_report(submitted(), Adopt(level=AdoptionLevel.CITY), at=T)
    assert entry.data == {"level": "city"} and entry.status_to == "adopted"
    state, _ = apply_report(
        state, Adopt(level=AdoptionLevel.NATIONAL, note="全国政协单篇采用"), at=T
    )
    assert state.levels == (AdoptionLevel.CITY, AdoptionLevel.NATIONAL)
    with pytest.raises(UserError) as err:
        apply_report(state, Adopt(level=AdoptionLevel.CITY), at=T)
    assert err.value.params == {"level": "市政协采用"}


def test_kept_may_be_adopted_later_but_not_adopted_is_final() -> None:
    kept, _ = apply_report(submitted(), Keep(note="留存备用"), at=T)
    assert kept.status == ReportStatus.KEPT and kept.decision_note == "留存备用"
    adopted, _ = apply_report(kept, Adopt(level=AdoptionLevel.INSTRUCTION), at=T)
    assert adopted.status == ReportStatus.ADOPTED
    rejected, _ = apply_report(submitted(), Reject(note="内容已公开报道"), at=T)
    with pytest.raises(IllegalTransition) as err:
        apply_report(rejected, Adopt(level=AdoptionLevel.CITY), at=T)
    assert err.value.params == {"action": "记录采用", "status": "未采用"}


def test_a_draft_cannot_be_decided_and_blocking_findings_stop_submission() -> None:
    with pytest.raises(IllegalTransition):
        apply_report(ReportState(), Keep(), at=T)
    with pytest.raises(UserError, match="submit_blocked"):
        apply_report(ReportState(), SubmitReport(blocking_findings=1), at=T)
