from __future__ import annotations

from datetime import UTC, datetime

from bot.proposals.config import rules
from bot.proposals.stats import format_stats, year_stats
from storage.tables import Proposal, ProposalSigner, Report

NOW = datetime(2025, 12, 31, tzinfo=UTC)
ANSWERED = datetime(2025, 8, 1, tzinfo=UTC)


def seeded_year() -> tuple[list[Proposal], list[Report]]:
    """A small year: 12 received, 8 registered (1 later merged), 6 answered, 1 overdue."""
    rows: list[Proposal] = []

    def add(status: str, **kw: object) -> None:
        rows.append(Proposal(year=2025, author_id=1, status=status, **kw))  # type: ignore[arg-type]

    n = iter(range(1, 100))
    for field, kind, cat, rating in [
        ("教育", "individual", "A", "satisfied"),
        ("教育", "joint", "B", "satisfied"),
        ("城建", "individual", "B", "basically_satisfied"),
        ("经济", "individual", "C", "dissatisfied"),
        ("医疗卫生", "joint", "A", None),
    ]:
        status = "rated" if rating and rating != "dissatisfied" else "answered"
        if rating == "dissatisfied":
            status = "assigned"  # sent back for handling again; it was answered once
        add(
            status,
            field=field,
            kind=kind,
            number=f"2025-{next(n):03d}",
            answered_at=ANSWERED,
            answer_category=cat,
            rating=rating,
            deadline_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
    add(
        "assigned",
        field="教育",
        kind="individual",
        number=f"2025-{next(n):03d}",
        is_key=True,
        deadline_at=datetime(2025, 9, 1, tzinfo=UTC),
    )
    add(
        "merged",
        field="教育",
        kind="individual",
        number=f"2025-{next(n):03d}",
        answered_at=ANSWERED,
        answer_category="A",
    )
    add("registered", field="农业农村", kind="joint", number=f"2025-{next(n):03d}", is_key=True)
    add("not_registered", field="经济", kind="individual", ground="personal")
    add("not_registered", field="文化", kind="individual", ground="promotion")
    add("merged", field="教育", kind="individual")  # merged before registration
    add("withdrawn", field="教育", kind="individual")
    add("draft", field="教育", kind="individual")  # not received
    reports = [
        Report(year=2025, author_id=1, status="adopted", levels=["city", "province"]),
        Report(year=2025, author_id=1, status="adopted", levels=["national"]),
        Report(year=2025, author_id=1, status="adopted", levels=["city", "instruction"]),
        Report(year=2025, author_id=1, status="not_adopted"),
        Report(year=2025, author_id=1, status="kept"),
        Report(year=2025, author_id=1, status="submitted"),
        Report(year=2025, author_id=1, status="draft"),
    ]
    return rows, reports


def test_the_figures_a_work_report_quotes() -> None:
    proposals, reports = seeded_year()
    stats = year_stats(proposals, reports, year=2025, now=NOW, fields=rules().proposal.fields)
    assert (stats.received, stats.registered, stats.not_registered, stats.merged) == (12, 8, 2, 2)
    assert stats.key == 2
    assert stats.by_kind == {"individual": 5, "joint": 3}
    assert stats.by_field == {"经济": 1, "城建": 1, "教育": 4, "医疗卫生": 1, "农业农村": 1}
    assert stats.answered == 6 and stats.answered_rate == 6 / 8
    assert stats.by_category == {"A": 3, "B": 2, "C": 1}
    assert stats.ratings == {"satisfied": 2, "basically_satisfied": 1, "dissatisfied": 1}
    assert stats.satisfaction_rate == 3 / 4
    assert stats.overdue == 1
    assert (stats.reports, stats.reports_adopted) == (6, 3)
    assert stats.reports_by_level == {"city": 2, "province": 1, "national": 1, "instruction": 1}


def test_stats_read_as_chinese_lines() -> None:
    proposals, reports = seeded_year()
    lines = format_stats(year_stats(proposals, reports, year=2025, now=NOW))
    assert lines[0] == "2025年度提案和社情民意信息统计"
    assert "立案：8 件（立案率 66.7%）" in lines
    assert "已答复：6 件，办复率 75.0%" in lines
    assert "按类型：个人提案 5，联名提案 3" in lines
    assert "委员评价：满意 2，基本满意 1，不满意 1（满意率 75.0%）" in lines
    assert "采用层级：市政协采用 2，省政协采用 1，全国政协采用 1，领导批示 1" in lines


def test_an_empty_year_has_no_division_by_zero() -> None:
    lines = format_stats(year_stats([], [], year=2024, now=NOW))
    assert "已答复：0 件，办复率 —" in lines and "按类别：无" in lines


def _led(pid: int, author: int, name: str, sector: str, **kw: object) -> Proposal:
    return Proposal(
        id=pid,
        year=2025,
        author_id=author,
        proposer={"name": name, "sector": sector},
        **kw,  # type: ignore[arg-type]
    )


def _signer(pid: int, member: int, name: str, sector: str, status: str) -> ProposalSigner:
    details = {"name": name, "sector": sector}
    return ProposalSigner(proposal_id=pid, member_id=member, status=status, details=details)


def authored_year() -> tuple[list[Proposal], dict[int, list[ProposalSigner]]]:
    """张 (经济界) leads two registered proposals, one of them excellent, and one withdrawn;
    李 (教育界) leads one registered and one declined; 王 (农业界) leads none. 李 co-signed
    both of 张's registered ones, 王 co-signed one of them and 李's declined one; 王 was only
    invited to 李's registered one and declined 张's withdrawn one."""
    rows = [
        _led(1, 1, "张", "经济界", status="registered", number="2025-001", excellent=True),
        _led(2, 1, "张", "经济界", status="answered", number="2025-002"),
        _led(3, 1, "张", "经济界", status="withdrawn"),
        _led(4, 2, "李", "教育界", status="assigned", number="2025-003"),
        _led(5, 2, "李", "教育界", status="not_registered"),
    ]
    signers = {
        1: [_signer(1, 2, "李", "教育界", "confirmed"), _signer(1, 3, "王", "农业界", "confirmed")],
        2: [_signer(2, 2, "李", "教育界", "confirmed")],
        3: [_signer(3, 3, "王", "农业界", "declined")],
        4: [_signer(4, 3, "王", "农业界", "invited")],
        5: [_signer(5, 3, "王", "农业界", "confirmed")],
    }
    return rows, signers


def test_lead_authors_and_cosigners_are_counted_apart() -> None:
    rows, signers = authored_year()
    stats = year_stats(rows, [], year=2025, now=NOW, cosigners=signers)
    assert stats.registered == 3 and stats.excellent == 1
    # registered proposals once each, under the lead author's 界别
    assert stats.by_sector == {"经济界": 2, "教育界": 1}
    # co-signatures apart: confirmed ones on registered proposals, under the co-signer's 界别
    assert stats.cosigned_by_sector == {"教育界": 2, "农业界": 1}
    by_name = {m.name: (m.sector, m.lead, m.cosigned) for m in stats.by_member}
    # withdrawn counts for nobody; a declined (不予立案) proposal still was one led/co-signed
    assert by_name == {"张": ("经济界", 2, 0), "李": ("教育界", 2, 2), "王": ("农业界", 0, 2)}
    assert [m.name for m in stats.by_member] == ["李", "张", "王"]
    assert (stats.lead_authors, stats.cosigners, stats.cosignatures) == (2, 2, 4)


def test_lead_and_cosigner_figures_read_as_chinese_lines() -> None:
    rows, signers = authored_year()
    lines = format_stats(year_stats(rows, [], year=2025, now=NOW, cosigners=signers))
    assert "优秀提案：1 件" in lines
    assert "立案提案按界别（按第一提案人）：经济界 2，教育界 1" in lines
    assert "联名人次按界别（立案提案的联名委员）：教育界 2，农业界 1" in lines
    assert "提出提案的委员：第一提案人 2 人；联名委员 2 人，共 4 人次" in lines
    assert "提案较多的委员（第一提案人件数 / 联名件数）：李 2 / 2，张 2 / 0" in lines


def test_without_cosigner_rows_nothing_is_counted_as_cosigned() -> None:
    rows, _ = authored_year()
    stats = year_stats(rows, [], year=2025, now=NOW)
    assert stats.cosigned_by_sector == {} and stats.cosignatures == 0
    assert "联名人次按界别（立案提案的联名委员）：无" in format_stats(stats)
