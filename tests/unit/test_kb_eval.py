"""The evaluation scores what a member is shown, by the unit that answers."""

from __future__ import annotations

import json
from pathlib import Path

from bot.kb.eval import EvalItem, evaluate, is_hit, load_items, unit_markers


def _write(tmp_path: Path, *rows: dict[str, object]) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_unit_markers_read_locators_outermost_first() -> None:
    assert unit_markers("（二）请假程序 › 2. 请假应当至少提前") == ["（二）", "2"]
    assert unit_markers("第二章 › 第十二条") == ["第二章", "第十二条"]
    assert unit_markers("二、（一）1") == ["二、", "（一）", "1"]
    assert unit_markers("第1段") == []


def test_a_citation_hits_by_the_unit_it_names(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {"question": "第七种不立案的情况", "source": "t.txt", "locator": "（七）",
         "path": ["第十条", "（七）"], "split": "tune"},
        {"question": "天气", "split": "tune"},
        {"question": "只在留出集", "source": "t.txt", "locator": "第一条", "split": "heldout"},
    )  # fmt: skip
    items = load_items(path, split="tune")
    assert len(items) == 2

    answers = {
        # the same item number of another article is not a hit; the right one second is
        "第七种不立案的情况": (
            [("t.txt", "第三条（七）", "…"), ("t.txt", "第十条（七）", "…")],
            True,
        ),
        "天气": ([], False),
    }
    report = evaluate(items, lambda q: answers[q])
    assert (report.hit_at_1, report.hit_at_3, report.refusal_accuracy) == (0.0, 1.0, 1.0)

    # an enclosing article quoted whole, holding the item, is a hit too
    whole = {"第七种不立案的情况": ([("t.txt", "第十条", "（六）…（七）重复提交的")], True)}
    assert evaluate(items[:1], lambda q: whole[q]).hit_at_1 == 1.0
    # a refusal is a miss, whatever retrieval would have found
    refused = {"第七种不立案的情况": ([], False)}
    assert evaluate(items[:1], lambda q: refused[q]).hit_at_3 == 0.0


def test_an_item_numbered_with_a_comma_is_the_item_the_locator_names(tmp_path: Path) -> None:
    # a set written from a page whose items read 3、 names them so; the bot cites 一、3.
    path = _write(
        tmp_path,
        {"question": "每年至少交几件提案", "source": "t.txt", "locator": "3、",
         "path": ["一、", "3、"]},
    )  # fmt: skip
    item = load_items(path)[0]
    assert is_hit(item, "t.txt", "一、3.", "3、每年度至少提交1件提案。")
    assert not is_hit(item, "t.txt", "二、3.", "3、每年度至少提交1件提案。")


def test_an_unnumbered_question_of_a_q_and_a_page_is_named_by_its_words(tmp_path: Path) -> None:
    rows = [
        {"question": "请假提前几天", "source": "wenda.txt", "locator": "请假要提前几天"},
        {"question": "请假第二步", "source": "wenda.txt", "locator": "2",
         "path": ["请假要提前几天", "2"]},
    ]  # fmt: skip
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    item, step = load_items(path)
    assert is_hit(item, "wenda.txt", "问：请假要提前几天？", "答：两天。")
    assert not is_hit(item, "wenda.txt", "问：病假条怎么写？", "答：写清事由。")
    assert is_hit(step, "wenda.txt", "问：请假要提前几天？2.", "2. 书面提交。")
    assert not is_hit(step, "wenda.txt", "问：请假要提前几天？1.", "1. 先电话说明。")


def test_a_q_and_a_question_is_named_with_its_asking_mark_or_its_number(tmp_path: Path) -> None:
    rows = [
        {"question": "委员证有啥用", "source": "wenda.txt", "locator": "问：委员证有什么用？"},
        {"question": "联名几个人", "source": "wenda.md", "locator": "Q2"},
    ]  # fmt: skip
    asked, numbered = load_items(_write(tmp_path, *rows))
    assert is_hit(asked, "wenda.txt", "问：委员证有什么用？", "答：证明身份。")
    assert not is_hit(asked, "wenda.txt", "问：委员证丢了怎么办？", "答：补办。")
    assert is_hit(numbered, "wenda.md", "Q2：提案最多能几个人联名？", "A：5人。")
    assert is_hit(numbered, "wenda.md", "Q2", "A：5人。")
    assert not is_hit(numbered, "wenda.md", "Q12：一年能请几次假？", "A：…")
    # a row of the table under Q4 is cited by the question's number and the row
    schedule = EvalItem(question="6月读啥", source="faq.md", units=(("faq.md", ("4",)),))
    assert is_hit(schedule, "faq.md", "Q4 › 6月", "| 6月 | 《乡土中国》 |")
    assert not is_hit(schedule, "faq.md", "Q14 › 6月", "| 6月 | 评优 |")


def test_a_question_numbered_in_chinese_is_named_by_its_number() -> None:
    # a saved page's <strong>十三、…？</strong>: a set may name its 13th question 13
    item = EvalItem(question="错别字咋改", source="wd.html", units=(("wd.html", ("13",)),))
    assert is_hit(item, "wd.html", "十三、提案交了才发现有错别字，还能改吗？", "可以撤回修改。")
    assert not is_hit(item, "wd.html", "十二、对答复不满意怎么办？", "可以申请重新办理。")
    # 【问7】…？ as a page prints it: its 7th
    seventh = EvalItem(question="联名咋算", source="wd.txt", units=(("wd.txt", ("7",)),))
    assert is_hit(seventh, "wd.txt", "【问7】联名提案怎么算分？", "【答】…")
    assert not is_hit(seventh, "wd.txt", "【问17】联名有上限吗？", "【答】…")
    # a rule's section 十三、 is no question: named by its marker only
    assert not is_hit(item, "wd.html", "十三、附则", "本办法自印发之日起施行。")


def test_a_fragment_written_alone_is_one_fragment_not_its_characters(tmp_path: Path) -> None:
    rows = [{"question": "车停哪", "source": "tz.txt", "expect": "会议中心地下停车场"}]
    (item,) = load_items(_write(tmp_path, *rows))
    assert is_hit(item, "tz.txt", "八、", "车辆停放在会议中心地下停车场。")
    assert not is_hit(item, "tz.txt", "二、", "会议在县会议中心召开。")


def test_a_heading_of_one_word_is_named_as_it_is() -> None:
    # a notice's ## 住宿 is cited 住宿: the set names it so, however short
    item = EvalItem(
        question="住宿费要自己掏吗", source="xuzhi.md", units=(("xuzhi.md", ("住宿",)),)
    )
    assert is_hit(item, "xuzhi.md", "住宿", "- 住宿费用由大会统一结算")
    assert not is_hit(item, "xuzhi.md", "用餐", "- 用餐在宾馆一楼")


def test_a_wechat_articles_points_and_questions_are_named_as_the_page_shows_them(
    tmp_path: Path,
) -> None:
    # a set names a point as the page prints it (2️⃣ of 📌 扫码签到), and a question with the
    # section it stands in, which the citation need not repeat
    rows = [
        {"question": "迟到咋算", "source": "wx.txt", "locator": "2️⃣", "path": ["扫码签到", "2️⃣"]},
        {"question": "电脑能用不", "source": "wx.txt", "locator": "电脑上能用吗？",
         "path": ["大家最关心的几个问题", "电脑上能用吗？"]},
    ]  # fmt: skip
    point, asked = load_items(_write(tmp_path, *rows))
    assert is_hit(point, "wx.txt", "扫码签到 › 2.", "2. 超过15分钟的记为迟到。")
    assert not is_hit(point, "wx.txt", "线上请假 › 2.", "2. 选择请假事由。")
    assert is_hit(asked, "wx.txt", "电脑上能用吗？", "可以。")
    assert not is_hit(asked, "wx.txt", "个人信息安全吗？", "安全。")


def test_a_row_or_an_item_is_named_by_the_innermost_unit_of_a_path() -> None:
    # a spreadsheet's row is cited 积分项目 › 出席全体会议; a set names the row alone
    item = EvalItem(
        question="全会全勤几分", source="jifen.xlsx", units=(("jifen.xlsx", ("出席全体会议",)),)
    )
    assert is_hit(item, "jifen.xlsx", "积分项目 › 出席全体会议", "出席全体会议 | 20")
    assert not is_hit(item, "jifen.xlsx", "积分项目 › 出席常委会议", "出席常委会议 | 3")


def test_another_unit_answering_may_be_named_alone_or_in_a_list(tmp_path: Path) -> None:
    # a set written by hand names one other unit as a string, not a one-item list
    rows = [
        {"question": "多久有结论", "source": "banfa.txt", "locator": "第四条",
         "also": "wenda.md:6"},
        {"question": "几天内答复", "source": "banfa.txt", "locator": "第四条",
         "also": ["wenda.md:6", "banfa.txt:第九条"]},
    ]  # fmt: skip
    alone, listed = load_items(_write(tmp_path, *rows))
    for item in (alone, listed):
        assert is_hit(item, "wenda.md", "6.【问】多久知道立没立案？", "【答】15个工作日。")
        assert is_hit(item, "banfa.txt", "第四条", "第四条 15个工作日内…")
        # its characters name nothing: the question's own file numbered 6 is no answer
        assert not is_hit(item, "banfa.txt", "6.", "6. 其他")
    assert is_hit(listed, "banfa.txt", "第九条", "第九条 …")
    assert not is_hit(alone, "banfa.txt", "第九条", "第九条 …")


def test_an_item_named_alone_is_hit_under_its_section_and_a_path_names_the_section() -> None:
    # ## 二、… over 1. 2.: the bot cites 二、1.; a set naming 1. alone meant that item
    alone = EvalItem(question="两项加分能都加吗", source="x.md", units=(("x.md", ("1",)),))
    assert is_hit(alone, "x.md", "二、1.", "1. 按分值较高的一项计分")
    # a set naming the section holds the answer to it: 五、2. is not 四、2.
    pathed = EvalItem(question="朋友约吃饭", source="x.md", units=(("x.md", ("四、", "2")),))
    assert is_hit(pathed, "x.md", "四、2.", "2. 不得参加宴请")
    assert not is_hit(pathed, "x.md", "五、2.", "2. 会后交回文件")
    # an article's item stays the article's: 第三条（七） is not 第十条（七）
    item = EvalItem(question="第七种", source="t.txt", units=(("t.txt", ("第十条", "（七）")),))
    assert not is_hit(item, "t.txt", "第三条（七）", "…")


def test_a_circled_sub_item_and_a_handbooks_part_are_units() -> None:
    # 2.（1）① names its ①: not ② of the same item
    sub = EvalItem(
        question="全会请假提前几天", source="q.txt", units=(("q.txt", ("2", "（1）", "①")),)
    )
    assert is_hit(sub, "q.txt", "2.（1）①", "① 全体会议提前3天")
    assert not is_hit(sub, "q.txt", "2.（1）②", "② 常委会提前2天")
    # a part named by the set holds what the bot cites in it; a section named alone is hit
    # under the part the bot names it in (parts, like chapters, are on no path)
    part = EvalItem(question="第一部分讲啥", source="s.md", units=(("s.md", ("第一部分",)),))
    assert is_hit(part, "s.md", "第一部分 委员身份 › 二、权利和义务", "…")
    assert not is_hit(part, "s.md", "第二部分 会议与活动 › 一、会议", "…")
    section = EvalItem(question="请假", source="s.md", units=(("s.md", ("三、",)),))
    assert is_hit(section, "s.md", "第二部分 会议与活动 › 三、请假", "…")


def test_a_table_row_named_by_its_serial_number_is_the_row_cited_by_its_name() -> None:
    row = EvalItem(question="提案得几分", source="t.txt", units=(("t.txt", ("5",)),))
    table = "序号 | 考核内容 | 分值\n4 | 参加视察 | 10\n5 | 提交提案 | 15\n"
    assert is_hit(row, "t.txt", "第3段 › 提交提案", table)
    assert not is_hit(row, "t.txt", "第3段 › 参加视察", table)


def test_a_table_cited_whole_holds_the_row_a_set_names() -> None:
    row = EvalItem(question="全会加几分", source="t.txt", units=(("t.txt", ("附件", "会议出席")),))
    table = "项目 | 计分标准\n基础分 | 60分\n会议出席 | 每次加6分\n"
    assert is_hit(row, "t.txt", "附件", table)
    assert not is_hit(row, "t.txt", "附件", "项目 | 计分标准\n基础分 | 60分\n")
    # ... but not another unit's table, nor a row named apart (that is the row it names)
    assert not is_hit(row, "t.txt", "第五条", table)
    assert not is_hit(row, "t.txt", "附件 › 基础分", table)
    # an 'also' naming a file and no unit (t.txt:) names nothing to be hit, and breaks nothing
    bare = EvalItem(question="全会加几分", source="t.txt", units=(("t.txt", ()),))
    assert not is_hit(bare, "t.txt", "附件", table)
