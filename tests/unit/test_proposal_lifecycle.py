from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.errors import UserError
from bot.proposals.proposal_lifecycle import (
    Answer,
    AnswerCategory,
    Assign,
    Conversion,
    Decline,
    IllegalTransition,
    Kind,
    MarkKey,
    Merge,
    ProposalState,
    Rate,
    Rating,
    Register,
    StartReview,
    Status,
    Submit,
    Withdraw,
    add_months,
    apply,
    is_overdue,
)

T0 = datetime(2025, 1, 10, 2, 0, tzinfo=UTC)


def at(day: int, month: int = 1) -> datetime:
    return T0.replace(month=month, day=day)


def run(*events: object, state: ProposalState | None = None) -> tuple[ProposalState, list]:
    state = state or ProposalState()
    entries = []
    for i, event in enumerate(events):
        state, entry = apply(state, event, at=at(10 + i), actor_id=1)  # type: ignore[arg-type]
        entries.append(entry)
    return state, entries


def test_registered_assigned_answered_rated() -> None:
    state, history = run(
        Submit(),
        StartReview(),
        Register(number="2025-001", seq=1),
        Assign(lead_unit="市教育局", co_units=("市财政局", "市教育局", " ")),
        Answer(category=AnswerCategory.B, text="已列入2025年工作计划。"),
        Rate(rating=Rating.SATISFIED, comment="答复具体"),
    )
    assert state.status == Status.RATED
    assert state.number == "2025-001" and state.registered_at == at(12)
    # the lead unit is not its own co-handling unit; blanks are dropped
    assert state.co_units == ("市财政局",)
    # default deadline: three calendar months after assignment
    assert state.deadline_at == datetime(2025, 4, 13, 2, 0, tzinfo=UTC)
    assert [(h.action, h.status_from, h.status_to) for h in history] == [
        ("submit", "draft", "submitted"),
        ("start_review", "submitted", "under_review"),
        ("register", "under_review", "registered"),
        ("assign", "registered", "assigned"),
        ("answer", "assigned", "answered"),
        ("rate", "answered", "rated"),
    ]
    assert history[-1].note == "答复具体" and history[2].data == {"number": "2025-001"}


def test_dissatisfied_sends_it_back_for_handling_again() -> None:
    state, _ = run(
        Submit(),
        Register(number="2025-002", seq=2),
        Assign(lead_unit="市住建局"),
        Answer(category=AnswerCategory.C, text="留作参考。"),
    )
    state, entry = apply(state, Rate(rating=Rating.DISSATISFIED, comment="没有回应建议"), at=at(20))
    assert state.status == Status.ASSIGNED and state.round == 2
    assert state.deadline_at == add_months(at(20), 3)
    assert entry.status_to == "assigned" and entry.data["rating"] == "dissatisfied"
    state, _ = apply(state, Answer(category=AnswerCategory.A, text="已新增车位。"), at=at(25))
    assert state.rating is None  # the new answer waits for a new rating
    state, _ = apply(state, Rate(rating=Rating.BASICALLY_SATISFIED), at=at(26))
    assert state.status == Status.RATED and state.rating == Rating.BASICALLY_SATISFIED


def test_declined_with_a_ground_note_and_conversion() -> None:
    state, history = run(
        Submit(), Decline(ground="personal", note="属个人事务", convert_to=Conversion.REPORT)
    )
    assert state.status == Status.NOT_REGISTERED
    assert (state.ground, state.decline_note, state.converted_to) == (
        "personal",
        "属个人事务",
        Conversion.REPORT,
    )
    assert history[-1].data == {"ground": "personal", "converted_to": "report"}
    with pytest.raises(UserError) as err:
        run(Submit(), Decline(ground="boring"))
    assert err.value.key == "proposals.unknown_ground"


def test_merged_proposal_still_gets_an_answer_and_a_rating() -> None:
    state, _ = run(
        Submit(),
        Merge(into=4, into_label="2025-004"),
        Answer(category=AnswerCategory.A, text="已解决。"),
        Rate(rating=Rating.SATISFIED),
    )
    assert state.status == Status.RATED and state.merged_into == 4


@pytest.mark.parametrize(
    ("events", "illegal"),
    [
        ((), Register(number="2025-001", seq=1)),
        ((Submit(),), Submit()),
        ((Submit(),), Assign(lead_unit="市教育局")),
        ((Submit(),), Answer(category=AnswerCategory.A, text="x")),
        ((Submit(), Register(number="2025-001", seq=1)), Decline(ground="empty")),
        ((Submit(), Register(number="2025-001", seq=1)), Rate(rating=Rating.SATISFIED)),
        ((Submit(), Decline(ground="empty")), Register(number="2025-001", seq=1)),
        ((Submit(), Decline(ground="empty")), MarkKey()),
        ((Submit(), Withdraw()), StartReview()),
    ],
)
def test_illegal_transitions_are_refused_in_chinese(events: tuple, illegal: object) -> None:
    state, _ = run(*events)
    with pytest.raises(IllegalTransition) as err:
        apply(state, illegal, at=at(28))  # type: ignore[arg-type]
    assert err.value.key == "proposals.illegal_transition"
    assert all("\u4e00" <= err.value.params[k][0] <= "\u9fff" for k in ("status", "action"))


def test_joint_proposal_needs_a_confirmed_co_signer() -> None:
    with pytest.raises(UserError) as err:
        apply(ProposalState(), Submit(kind=Kind.JOINT, confirmed_cosigners=0), at=T0)
    assert err.value.key == "proposals.joint_needs_cosigner"
    state, _ = apply(ProposalState(), Submit(kind=Kind.JOINT, confirmed_cosigners=1), at=T0)
    assert state.status == Status.SUBMITTED


def test_blocking_findings_stop_submission() -> None:
    with pytest.raises(UserError) as err:
        apply(ProposalState(), Submit(blocking_findings=2), at=T0)
    assert err.value.params == {"count": 2}


def test_key_flag_changes_no_status() -> None:
    state, _ = run(Submit(), Register(number="2025-001", seq=1), MarkKey())
    assert state.is_key and state.status == Status.REGISTERED


def test_assignment_needs_a_lead_unit_and_a_future_deadline() -> None:
    state, _ = run(Submit(), Register(number="2025-001", seq=1))
    with pytest.raises(UserError, match="lead_unit_missing"):
        apply(state, Assign(lead_unit="  "), at=at(28))
    with pytest.raises(UserError, match="deadline_past"):
        apply(state, Assign(lead_unit="市教育局", deadline_at=at(1)), at=at(28))


def test_an_answer_needs_text_or_a_document() -> None:
    state, _ = run(Submit(), Register(number="2025-001", seq=1), Assign(lead_unit="市教育局"))
    with pytest.raises(UserError, match="answer_empty"):
        apply(state, Answer(category=AnswerCategory.A), at=at(28))
    done, _ = apply(state, Answer(category=AnswerCategory.A, document_name="答复.pdf"), at=at(28))
    assert done.answer_document_name == "答复.pdf"


def test_overdue_only_while_being_handled() -> None:
    state, _ = run(Submit(), Register(number="2025-001", seq=1), Assign(lead_unit="市教育局"))
    assert not is_overdue(state, at(28, month=3))
    assert is_overdue(state, at(28, month=5))
    answered = replace(state, status=Status.ANSWERED)
    assert not is_overdue(answered, at(28, month=5))


def test_month_arithmetic_keeps_to_the_calendar() -> None:
    assert add_months(datetime(2025, 11, 30, tzinfo=UTC), 3) == datetime(2026, 2, 28, tzinfo=UTC)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        apply(ProposalState(), Submit(), at=datetime(2025, 1, 1))
