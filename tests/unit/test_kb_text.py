"""Numerals, normalisation of noisy text, structure splitting, tokenizer vocabulary."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.ingest import PreparedDocument, prepare
from bot.kb.normalize import fold, normalize, normalize_line
from bot.kb.numerals import canonicalize_refs, cn_to_int, count_digits, figure_asked, int_to_cn
from bot.kb.readers import read_bytes
from bot.kb.structure import after_items, article_items, detect_title, split_passages
from bot.kb.tokenize import shared_tokenizer
from tests.support.rulebooks import book_of_files, book_of_text

_EVAL = Path(__file__).resolve().parents[2] / "bench" / "kb_eval"

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "kb"


@pytest.mark.parametrize(
    ("number", "chinese"),
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1010, "一千零一十"),
    ],
)
def test_numerals_round_trip(number: int, chinese: str) -> None:
    assert int_to_cn(number) == chinese
    assert cn_to_int(chinese) == number


def test_arabic_article_reference_becomes_the_chinese_one() -> None:
    assert canonicalize_refs("第12条和第 3 章、第１２０条") == "第十二条和第三章、第一百二十条"
    assert cn_to_int("两百") == 200 and cn_to_int("二〇二四") == 2024


def test_a_word_asking_a_figure_finds_the_figure_written_either_way() -> None:
    asked = figure_asked("扣几分")
    assert asked is not None
    assert asked.search(count_digits("无故缺席的，每次扣十分")) and not asked.search("不扣分")
    assert figure_asked("多少字").search("不超过1500字")  # type: ignore[union-attr]
    assert figure_asked("开会") is None and figure_asked("几") is None
    days = figure_asked("几天内")
    assert days is not None and days.search("30日内") and days.search("5个工作日内")
    assert figure_asked("多少人").search("不超过10名")  # type: ignore[union-attr]


def test_noisy_report_is_cleaned() -> None:
    result = normalize((FIXTURES / "noisy_report.txt").read_text(encoding="utf-8"))
    text = result.text
    # hard line breaks inside sentences are joined, even across a blank line mid-word
    assert "邀请有关部门负责同志到会听取意见，形成协商成果报告十二份。" in text
    # spaced-out characters collapse; full-width digits and ideographic spaces unify
    assert "三、认真践行有事好商量平台建设，全年协商议题20个，解决实际问题35件。" in text
    # the paragraph printed twice appears once
    assert text.count("本年度共举办委员培训班三期") == 1
    assert result.duplicates_dropped >= 1
    # the advertisement at the end is gone
    assert "10086" not in text and "中国移动" not in text
    assert result.ads_dropped


def test_line_level_forms() -> None:
    assert normalize_line("认 真 践 行 全 过 程 人 民 民 主") == "认真践行全过程人民民主"
    assert normalize_line("2024 年，举办 50 余场") == "2024年，举办50余场"
    assert normalize_line("1月3日,政协开幕") == "1月3日，政协开幕"
    assert normalize_line("BANK OF ZHENGZHOU") == "BANK OF ZHENGZHOU"
    assert fold("ＡＢＣ１２３，") == "abc123,"


def test_regulation_splits_per_article_with_chapter_path() -> None:
    paragraphs = [
        "# 提案工作办法",
        "## 第一章 总则",
        "第一条 为了规范提案工作，制定本办法。",
        "第二章 提案的提出",
        "第12条 提案应当一事一案。",
        "提案正文一般八百字左右。",
        "第十三条 有下列情形之一的，不予立案：",
        "（一）涉及国家秘密的；",
        "（二）属于学术探讨的。",
    ]
    title = detect_title(paragraphs, fallback="x")
    passages = split_passages(paragraphs, title=title)
    assert title == "提案工作办法"
    assert [p.locator for p in passages] == ["第一条", "第十二条", "第十三条"]
    assert passages[1].heading_path == ("第二章 提案的提出",)
    assert "八百字" in passages[1].text  # the second 款 stays with its article
    assert "学术探讨" in passages[2].text  # items stay with their article
    assert all(p.title == "提案工作办法" for p in passages)


def test_report_splits_under_numbered_headings() -> None:
    paragraphs = [
        "一、过去一年的工作",
        "（一）坚持协商议政。全年召开双月协商座谈会六次。",
        "全年办理提案二百件。",
        "二、今年的安排",
        "继续办好读书活动。",
    ]
    passages = split_passages(paragraphs, title="报告")
    assert passages[0].heading_path == ("一、过去一年的工作",)
    assert passages[0].locator == "一、（一）"
    assert "二百件" in passages[0].text  # the lines under a unit stay with it
    # cited by its number, its heading line quoted with what it says
    assert passages[-1].locator == "二、" and passages[-1].text.startswith("二、今年的安排")


def test_local_rule_cites_every_numbered_unit_by_its_chain() -> None:
    paragraphs = [
        "示例市政协关于委员请假和履职积分管理的实施办法（试行）（示例）说明：虚构示例。",
        "一、适用范围",
        "（一）本办法适用于全体委员。",
        "（二）考核以自然年度为周期。",
        "二、会议出勤和请假",
        "（二）请假程序",
        "1. 请假一律书面提出。",
        "2. 请假应当至少在会议开始前2天提出。",
        "（四）等级评定",
        "优秀 90分以上",
        "合格 60分至74分",
    ]
    title = detect_title(paragraphs, fallback="local_rules")
    assert title == "示例市政协关于委员请假和履职积分管理的实施办法（试行）（示例）"
    passages = split_passages(paragraphs, title=title)
    locators = [p.locator for p in passages]
    assert locators == [
        "第1段",
        "一、（一）",
        "一、（二）",
        "二、（二）1.",
        "二、（二）2.",
        "二、（四）",
    ]
    assert "（二）请假程序" in passages[4].heading_path  # the heading is searched with its items
    assert "60分至74分" in passages[-1].text  # a points table stays with its heading


def test_article_items_are_citable_one_by_one() -> None:
    text = "第十条 提案有下列情形之一的，不予立案：\n（一）涉及秘密的；\n（二）为企业做广告的。"
    assert article_items(text) == [
        ("（一）", "（一）涉及秘密的；"),
        ("（二）", "（二）为企业做广告的。"),
    ]
    assert article_items("第一条 只有一款。") == []


def test_items_numbered_with_digits_are_an_articles_items_with_theirs_inside() -> None:
    text = (
        "第1条 信息被采用的，按照以下标准计分：\n1. 被区政协专报采用的，每篇计3分；\n"
        "2. 被市政协采用的，每篇计5分；\n3. 获得领导批示的，另行加分：\n"
        "(1) 区领导批示的，加2分；\n(2) 市领导批示的，加4分。\n"
        "同一篇信息被多级采用的，按最高一级计分。"
    )
    items = article_items(text)
    assert [marker for marker, _ in items] == ["1.", "2.", "3."]
    assert [marker for marker, _ in article_items(items[2][1])] == ["（1）", "（2）"]
    assert "多级采用" not in items[2][1]
    assert after_items(text) == "同一篇信息被多级采用的，按最高一级计分。"
    assert article_items("第2条 本办法自2024年4月1日起施行。") == []


def test_a_paragraph_after_the_list_is_not_part_of_the_last_item() -> None:
    text = (
        "第十条 下列提案不予立案：\n（一）涉及秘密的；\n（二）为企业做广告的。\n"
        "不予立案的提案，可以转为社情民意信息。"
    )
    assert article_items(text)[-1] == ("（二）", "（二）为企业做广告的。")
    assert after_items(text) == "不予立案的提案，可以转为社情民意信息。"
    # a last item wrapped over two lines mid-sentence is still one item
    wrapped = "第十条 下列提案不予立案：\n（一）涉及秘密的；\n（二）为企业做\n广告的。"
    assert article_items(wrapped)[-1] == ("（二）", "（二）为企业做\n广告的。")
    assert after_items(wrapped) == ""


def test_committee_terms_are_not_split() -> None:
    tokenizer = shared_tokenizer()
    for term in ["政协", "社情民意", "书香政协", "界别", "专委会", "双月协商", "有事好商量"]:
        assert term in tokenizer.segment(f"关于{term}的规定"), term
    assert "社情民意" in tokenizer.tokens("社情民意信息怎么报送")
    assert "第十二条" in tokenizer.tokens("第12条")


def test_committee_can_extend_the_vocabulary(tmp_path: Path) -> None:
    extra = tmp_path / "words.txt"
    extra.write_text("# our own\n委员之家\n", encoding="utf-8")
    base = shared_tokenizer()
    tokenizer = shared_tokenizer((extra,))
    assert "委员之家" in tokenizer.segment("建设委员之家活动")
    assert tokenizer.signature != base.signature


def test_seeds_normalise_when_present() -> None:
    seeds = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seeds not found at {seeds}")
    files = sorted(seeds.glob("*.txt"))
    texts = {f.name: normalize(f.read_text(encoding="utf-8")) for f in files}
    joined = "\n".join(r.text for r in texts.values())
    assert "认真践行全过程人民民主" in joined
    assert "认 真" not in joined
    assert "10086" not in joined and "公益广告" not in joined
    assert sum(r.duplicates_dropped for r in texts.values()) >= 1
    report = texts["000_72fafddbee67fd18.txt"].paragraphs
    assert "我代表政协郑州市第十五届委员会常务委员会，向大会报告工作，请予审议。" in report


def test_an_appendix_table_is_not_glued_to_the_last_article() -> None:
    paragraphs = [
        "第一条 积分按附件计算。",
        "第二条 本办法自印发之日起施行。",
        "附件：履职积分标准",
        "出席全体会议 每次5分",
        "提交提案 每件10分",
    ]
    passages = split_passages(paragraphs, title="办法")
    assert passages[1].text == "第二条 本办法自印发之日起施行。"
    assert passages[-1].locator == "附件：履职积分标准"
    assert "每件10分" in passages[-1].text


def test_rows_of_a_points_table_stay_apart() -> None:
    raw = "（二）加分标准\n出席全体会议　每半天　5分\n立案提案（联名人）　每件　2分\n大会口头发言　每次　8分\n"
    paragraphs = normalize(raw).paragraphs
    assert paragraphs[1:] == [
        "出席全体会议 每半天5分",
        "立案提案（联名人）每件2分",
        "大会口头发言 每次8分",
    ]


def test_a_q_and_a_page_cites_each_question_and_the_grounds_in_its_answer() -> None:
    paragraphs = [
        "提案工作常见问题解答（示例）",
        "1. 问：什么是提案？",
        "答：提案是委员向全体会议提出的书面意见。",
        "2. 问：哪些主体可以提出提案？",
        "答：可以提出提案的有：",
        "（一）本会委员；",
        "（二）各专门委员会。",
        "非本会委员不能以个人名义提出提案。",
        "3. 问：联名人数有限制吗？",
        "答：一般不超过十人。",
    ]
    passages = split_passages(paragraphs, title="提案工作常见问题解答")
    locators = [p.locator for p in passages]
    # the next question is not an item of the list before it
    assert "3. 问：联名人数有限制吗？" in locators
    assert "2.（一）" in locators
    assert not any(loc.startswith("（二）3.") for loc in locators)
    # （二）各专门委员会。 is a sentence, not a heading over the paragraph after it
    assert "2.（二）" in locators
    assert not any("专门委员会" in loc for loc in locators)


@pytest.mark.parametrize(
    ("first", "second", "third", "item"),
    [
        ("1.什么是提案？", "2.哪些提案不予立案？", "3.联名有人数限制吗？", "2.（二）"),
        ("问1：什么是提案？", "问2：哪些提案不予立案？", "问3：联名有人数限制吗？", "问2（二）"),
        ("问：什么是提案？", "问：哪些提案不予立案？", "问：联名有人数限制吗？", "（二）"),
    ],
)
def test_q_and_a_pages_in_other_shapes_keep_questions_apart(
    first: str, second: str, third: str, item: str
) -> None:
    paragraphs = [
        "提案工作问答",
        first,
        "答：提案是委员提出的书面意见。",
        second,
        "答：下列提案不予立案：",
        "（一）涉及国家秘密的；",
        "（二）属于学术研究的。",
        third,
        "答：一般不超过十人。",
    ]
    passages = split_passages(paragraphs, title="提案工作问答")
    by_locator = {p.locator: p.text for p in passages}
    asked = next(loc for loc, text in by_locator.items() if "十人" in text)
    assert "（二）" not in asked  # the next question is not an item of the list
    assert any(loc.endswith(item) and "学术研究" in t for loc, t in by_locator.items())
    assert "第1段" not in by_locator


def test_a_table_of_contents_and_an_amendments_article_are_read_as_written() -> None:
    paragraphs = [
        "提案工作条例",
        "目　录",
        "第一章 总则",
        "第二章 提案的提出",
        "第一章 总则",
        "第一条 为规范提案工作，制定本条例。",
        "第二章 提案的提出",
        "第五条 提案应当一事一案。",
        "第五条之一 提案人可以在立案前撤回提案。",
    ]
    passages = split_passages(paragraphs, title="提案工作条例")
    assert [p.locator for p in passages] == ["第一条", "第五条", "第五条之一"]
    assert passages[-1].heading_path == ("第二章 提案的提出",)


def test_a_tab_separated_table_keeps_its_cells_apart() -> None:
    assert normalize_line("对象\t时长\t审批人\t备案") == "对象 | 时长 | 审批人 | 备案"
    assert normalize_line("常委\t不限\t主席\t办公室") == "常委 | 不限 | 主席 | 办公室"
    assert normalize_line("\t第一条 委员应当出席会议。") == "第一条 委员应当出席会议。"


def test_a_table_cut_into_passages_repeats_its_header_in_each() -> None:
    header = "| 序号 | 项目 | 分值 | 上限 |"
    rows = [
        f"| {n} | 社情民意被第{n}级单位采用并获得领导批示 | {n}分/篇 | 不设上限 |"
        for n in range(1, 13)
    ]
    passages = split_passages(
        ["积分表", "附件", header, "| --- | --- | --- | --- |", *rows], title="积分表"
    )
    assert len(passages) > 1
    assert all(p.text.startswith(header) for p in passages)
    assert sum(p.text.count("不设上限") for p in passages) == len(rows)


def test_what_closes_a_list_and_a_notices_sign_off_are_not_the_last_items() -> None:
    paragraphs = [
        "读书问答",
        "1. 问：优秀读书群怎么评？",
        "答：每年年底评选，依据包括：",
        "（一）打卡率；",
        "（二）成果转化情况。",
        "获评优秀的，群主年度积分加7分。",
        "2. 问：读书办电话？",
        "答：电话0000-1111。",
    ]
    by_text = {p.text: p for p in split_passages(paragraphs, title="读书问答")}
    assert "（二）成果转化情况。" in by_text  # the item alone
    closing = by_text["获评优秀的，群主年度积分加7分。"]
    assert closing.locator == "1." and closing.heading_path == ("1. 问：优秀读书群怎么评？",)
    notice = [
        "关于报送社情民意信息的通知",
        "一、工作纪律",
        "（一）不得泄露工作秘密。",
        "（二）涉及个人诉求的，应当通过信访渠道反映。",
        "联系人：信息科 王某",
        "某县政协办公室",
        "2024年5月6日",
    ]
    passages = split_passages(notice, title="关于报送社情民意信息的通知")
    by_text = {p.text: p for p in passages}
    assert by_text["（二）涉及个人诉求的，应当通过信访渠道反映。"].locator == "一、（二）"
    assert not any("联系人" in p.text and "信访" in p.text for p in passages)
    assert any(p.text.endswith("某县政协办公室\n2024年5月6日") for p in passages)


def test_items_numbered_1_paren_and_circled_are_cited_one_by_one() -> None:
    paragraphs = [
        "履职积分办法",
        "一、积分项目",
        "（一）会议出勤",
        "1）出席全体会议的，每次计2分；",
        "2）列席常委会议的，每次计1分。",
        "（二）提交提案",
        "①个人提案立案的，每件计3分；",
        "②联名提案立案的，每件计1分。",
    ]
    by_locator = {p.locator: p.text for p in split_passages(paragraphs, title="履职积分办法")}
    assert "列席" in by_locator["一、（一）2）"]
    assert "联名" in by_locator["一、（二）②"] and "个人" not in by_locator["一、（二）②"]


def test_items_run_on_in_one_paragraph_are_cited_one_by_one() -> None:
    paragraphs = [
        "提案工作问答",
        "11. 哪些提案不予立案？",
        "答：下列提案不予立案：（一）涉及国家秘密的；（二）属于学术研究的；（三）为企业做广告的。",
        "12. 联名有人数限制吗？",
        "答：一般不超过十人。",
        "第十四条 依照第十二条（一）项不予立案的，不得复核；依照（二）项的，可以复核。",
    ]
    by_locator = {p.locator: p.text for p in split_passages(paragraphs, title="提案工作问答")}
    assert by_locator["11.（二）"] == "（二）属于学术研究的；"
    assert "广告" in by_locator["11.（三）"]
    # references to items inside a sentence are not items of their own
    assert "（二）项的，可以复核" in by_locator["第十四条"]


def test_rows_of_a_table_with_bars_stay_apart() -> None:
    raw = (
        "（一）委员履职积分按照下表计算：\n项目 | 分值 | 备注\n"
        "出席全体会议 | 每半天3分 | 全程出席另加2分\n出席常务委员会会议 | 每次4分 | 限常务委员\n"
    )
    assert normalize(raw).paragraphs[1:] == [
        "项目 | 分值 | 备注",
        "出席全体会议 | 每半天3分 | 全程出席另加2分",
        "出席常务委员会会议 | 每次4分 | 限常务委员",
    ]


def test_a_last_item_about_advertising_is_not_dropped_as_an_advertisement() -> None:
    articles = "".join(
        f"第{n}条 提案应当实事求是，简明扼要，一事一案，提出切实可行的具体建议。\n"
        for n in "一二三四五六七八九十"
    )
    raw = (
        articles + "第十二条 下列提案不予立案：\n（一）涉及国家秘密的；\n（二）属于学术研究的；\n"
        "（三）为企业、产品做广告宣传的。\n"
    )
    assert normalize(raw).paragraphs[-1] == "（三）为企业、产品做广告宣传的。"


def test_an_item_repeated_in_another_section_is_kept_in_both() -> None:
    raw = (
        "一、全体会议请假\n（一）本人生病住院需要治疗的；\n（二）直系亲属病危的。\n"
        "二、常委会议请假\n（一）本人生病住院需要治疗的；\n（二）因公出国出境的。\n"
    )
    paragraphs = normalize(raw).paragraphs
    assert paragraphs.count("（一）本人生病住院需要治疗的；") == 2
    passages = split_passages(paragraphs, title="请假规定")
    assert "二、（一）" in [p.locator for p in passages]


def test_rows_written_as_labelled_cells_are_a_table_cited_row_by_row() -> None:
    # 项目：…；分值：…；说明：… on lines of their own: no line ends a sentence, yet each is
    # a row (glued, 不得分项目：出席常委会会议 ran one row into the next)
    raw = (
        "第五条　加分项目：\n"
        "项目：出席全体会议；分值：每次10分；说明：中途离会的不得分\n"
        "项目：出席常委会会议；分值：每次5分；说明：列席也可得分\n"
        "项目：参加视察、调研；分值：每次3分；说明：交书面意见的再加1分\n"
        "第六条　积分每季度公布一次。\n"
    )
    paragraphs = normalize(raw).paragraphs
    assert "项目 | 分值 | 说明" in paragraphs
    assert "出席常委会会议 | 每次5分 | 列席也可得分" in paragraphs
    # a line of labelled cells standing alone is left as written
    alone = "联系人：王敏；电话：0371-1234567"
    assert alone in normalize(f"第七条　联系方式如下。\n{alone}\n").paragraphs


def test_items_under_markdown_sections_are_named_under_the_section_number() -> None:
    # ## 一、… headings, each numbering its items afresh: （二） alone names no one item
    raw = (
        "# 界别活动组工作规则\n\n## 一、组建方式\n\n（一）以界别为单位组建。\n\n"
        "（二）每名委员编入本人所属界别的活动组。\n\n## 二、组长和联络员\n\n"
        "（一）每组设组长一人。\n\n（二）组长履行下列职责：\n\n1. 召集和主持本组活动；\n\n"
        "2. 审核本组意见建议。\n\n## 三、问答\n\nQ1：活动能在网上搞吗？\n\n答：每年最多计入一次。\n"
    )
    paragraphs = normalize(raw).paragraphs
    by_locator = {p.locator: p.text for p in split_passages(paragraphs, title="界别活动组工作规则")}
    assert by_locator["一、（二）"].startswith("（二）每名委员")
    assert by_locator["二、（一）"].startswith("（一）每组设组长")
    assert by_locator["二、（二）1."].startswith("1. 召集")
    assert "（二）" not in by_locator
    # a Q&A page's questions keep their own numbers across its sections
    assert any(locator.startswith("Q1") for locator in by_locator)


def test_a_pdf_s_page_numbers_go_and_an_article_wrapped_across_lines_joins() -> None:
    raw = (
        "第一条 为了加强和改进提案工作，充分发挥提案在政治协商、民主监督、参政议政中的\n"
        "作用，根据有关规定，制定本条例。\n"
        "第二条 提案是政协委员和参加政协的各党派、各人民团体以及政协各专门委员会向政协\n"
        "— 1 —\n"
        "全体会议或者常务委员会提出的书面意见和建议。\n"
        "第三条 提案应当坚持实事求是，一事一案。\n"
        "第 2 页 共 10 页\n"
        "第四条 联名提案的提案人一般不超过十人。\n"
    )
    assert normalize(raw).paragraphs == [
        "第一条 为了加强和改进提案工作，充分发挥提案在政治协商、民主监督、参政议政中的作用，"
        "根据有关规定，制定本条例。",
        "第二条 提案是政协委员和参加政协的各党派、各人民团体以及政协各专门委员会向政协"
        "全体会议或者常务委员会提出的书面意见和建议。",
        "第三条 提案应当坚持实事求是，一事一案。",
        "第四条 联名提案的提案人一般不超过十人。",
    ]


def test_a_pdf_s_running_head_goes_from_every_page_but_the_first() -> None:
    head = "政协示例市委员会提案工作条例"
    raw = (
        f"{head}\n"
        "第一条 为了加强和改进提案工作，充分发挥提案在政治协商、民主监督、参政议政中的\n"
        "作用，根据有关规定，制定本条例。\n"
        "第二条 提案是政协委员和参加政协的各党派、各人民团体以及政协各专门委员会向政协\n"
        f"{head}\n"
        "全体会议或者常务委员会提出的书面意见和建议。\n"
        "第三条 提案应当坚持实事求是，一事一案。\n"
        f"{head}\n"
        "第四条 联名提案的提案人一般不超过十人。\n"
        f"{head}\n"
        "第五条 委员应当遵守下列要求。\n具体要求如下：\n第六条 会议期间。\n具体要求如下：\n"
        "第七条 调研期间。\n具体要求如下：\n"  # a lead repeated is text, however often
        "【办理依据】\n第八条 甲。\n【办理依据】\n第九条 乙。\n【办理依据】\n第十条 丙。\n"
    )
    paragraphs = normalize(raw).paragraphs
    assert paragraphs[0] == head  # still names the document
    assert paragraphs[2] == (
        "第二条 提案是政协委员和参加政协的各党派、各人民团体以及政协各专门委员会向政协"
        "全体会议或者常务委员会提出的书面意见和建议。"
    )
    assert sum(p == head for p in paragraphs) == 1
    assert paragraphs.count("具体要求如下：") == paragraphs.count("【办理依据】") == 3


def test_a_head_printed_next_to_page_numbers_goes_and_the_sentence_it_broke_joins() -> None:
    raw = (
        "某县政协会议规定\n"
        "第一条　委员请假应当提交书面请假报告，写明请假事由\n\n- 1 -\n\n某县政协会议制度\n"
        "和时间。\n第二条　委员应当在会议开始前\n\n- 2 -\n\n某县政协会议制度\n"
        "二十分钟到达会场。\n\n- 3 -\n"
    )
    paragraphs = normalize(raw).paragraphs
    assert paragraphs == [
        "某县政协会议规定",
        "第一条 委员请假应当提交书面请假报告，写明请假事由和时间。",
        "第二条 委员应当在会议开始前二十分钟到达会场。",
    ]


def test_a_head_set_out_like_a_table_row_goes_beside_page_numbers() -> None:
    # 栖棠县政协文件 … 栖棠政协发〔2025〕3号: the issuer and the document number spaced apart
    # on every page; it is kept once, at the top, where it numbers the document
    head = "示例县政协文件　　　　　　　　示例政协发〔2025〕3号"
    raw = (
        f"{head}\n\n示例县政协会议请假规定\n"
        "第一条　委员请假应当提交书面请假报告，写明请假事由\n\n— 1 —\n\n"
        f"{head}\n\n和时间。\n第二条　考勤结果记入委员履职档案，作为年度积分的依据。考勤原始记\n"
        f"\n— 2 —\n\n{head}\n\n"
        "录由委员工作室保存3年。\n\n— 3 —\n"
    )
    paragraphs = normalize(raw).paragraphs
    assert paragraphs[1:] == [
        "示例县政协会议请假规定",
        "第一条 委员请假应当提交书面请假报告，写明请假事由和时间。",
        "第二条 考勤结果记入委员履职档案，作为年度积分的依据。考勤原始记录由委员工作室保存3年。",
    ]
    assert "示例政协发〔2025〕3号" in paragraphs[0]


def test_an_appendix_closes_the_chapters_and_names_its_items() -> None:
    paragraphs = [
        "调研报告办法",
        "## 第一章 附则",
        "第一条 本办法由区政协办公室负责解释。",
        "### 附：视察调研报告格式要求",
        "1.标题使用二号方正小标宋简体字。",
        "2.正文使用三号仿宋字体。",
    ]
    passages = split_passages(paragraphs, title="调研报告办法")
    last = passages[-1]
    assert last.locator == "附：视察调研报告格式要求 › 2."
    assert last.heading_path == ("附：视察调研报告格式要求",)  # not under 第一章 附则


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        # a date and a page's number above the title
        (["19", "2024-05", "委员履职量化考核办法", "一、考核每年一次。"], "委员履职量化考核办法"),
        # a title wrapped onto a second line
        (
            ["关于建立委员履职档案工作", "实施方案（试行）", "一、建档内容"],
            "关于建立委员履职档案工作实施方案（试行）",
        ),
        (["关于印发《委员考核办法》的", "通 知", "各专委会："], "委员考核办法"),
        # no title line, but the preamble names the rule it makes
        (
            ["为加强提案督办工作，特制定主席督办重点提案实施办法。第一条 督办的范围。"],
            "主席督办重点提案实施办法",
        ),
        # a site's column name over the title, a date after it, a broken adoption line
        (
            ["大政方针", "示例州政协委员履职考核办法", "第三条 考核对象为全体委员。"],
            "示例州政协委员履职考核办法",
        ),
        (
            ["示例区社情民意信息评选办法2014年06月17日", "一、评选范围"],
            "示例区社情民意信息评选办法",
        ),
        (
            ["(2013723示例市第六届常委会", "第二十五次主任会议通过)", "第一条 为严肃会议纪律"],
            "fallback",
        ),
        # a site's banner is no title
        (
            ["热烈祝贺区政协全会隆重召开", "反映社情民意信息须知", "一、信息要真实。"],
            "反映社情民意信息须知",
        ),
        # the adoption line alone is no title either
        (
            ["（2012年9月18日常委会议通过）", "第一章 总则", "第一条 为了管理委员，制定本办法。"],
            "fallback",
        ),
    ],
)
def test_the_title_is_found_under_a_pages_date_and_across_a_wrapped_line(
    lines: list[str], title: str
) -> None:
    assert detect_title(lines, fallback="fallback") == title


def test_the_information_line_glued_to_a_title_is_not_part_of_it() -> None:
    raw = "关于常委会会议请假的规定（试行）发布时间：2009-01-03 09:53来源：\n\n一、常委应当按时出席会议。\n"
    paragraphs = normalize(raw).paragraphs
    assert paragraphs[0] == "关于常委会会议请假的规定（试行）"
    assert detect_title(paragraphs, fallback="x") == "关于常委会会议请假的规定（试行）"


def test_a_title_printed_twice_around_the_sites_bar_is_not_glued_to_the_text() -> None:
    raw = (
        "全国委员会和地方委员会的关系\n专题首页 活动要闻 政协小知识\n全国委员会和地方委员会的关系\n\n\n"
        "访问次数： 信息来源：示例网 发布日期：2019-09-24\n\n\n"
        "章程规定：全国委员会对地方委员会的关系是指导关系。\n"
    )
    assert normalize(raw).paragraphs == [
        "全国委员会和地方委员会的关系",
        "章程规定：全国委员会对地方委员会的关系是指导关系。",
    ]


def test_pinyin_a_mirror_site_prints_after_characters_is_not_matched() -> None:
    assert fold("政協(xié)委員(yuán)應當參加會議(huì)。") == fold("政协委员应当参加会议。")
    assert fold("附件(a)") == "附件(a)"  # no tone mark: kept


RUN_ON = (
    "示例县社情民意信息工作办法为做好信息工作，制定本办法。一、组织领导信息工作由县政协统一、规范管理。"
    "二、工作机构（一）县政协信息中心负责信息的收集和报送。其主要任务是：1.做好信息存档工作。"
    "2.加强与有关部门的联系。3,编发社情民意专刊。4.拟定信息员培训方案。（二）各委室作为联络单位。"
    "三、队伍建设（一）各联络单位确定1名信息联络员。其主要职责是：1.收集信息；2 .提出意见和建议；"
    "3 .参加信息工作培训。（二）县政协选聘15名特邀信息员。"
)


def test_units_run_on_in_one_paragraph_are_cut_where_they_are_numbered() -> None:
    passages = split_passages([RUN_ON], title="示例县社情民意信息工作办法")
    by_locator = {p.locator: p.text for p in passages}
    # each numbering style cut in order; 统一、规范 is no section, 3, a mistyped 3.
    assert by_locator["一、"].startswith("一、组织领导") and "统一、规范" in by_locator["一、"]
    assert by_locator["二、（一）4."] == "4.拟定信息员培训方案。"
    assert "3,编发社情民意专刊。" in by_locator["二、（一）2."]
    assert by_locator["三、（一）3."] == "3.参加信息工作培训。"
    assert by_locator["三、（二）"].startswith("（二）县政协选聘15名")


def test_a_document_sharing_sites_frame_is_not_the_document() -> None:
    raw = (
        "下载此文档\n\n示例区委员履职积分细则....doc\n\n文档分类：教育 | 页数：约6页 举报非法文档有奖\n1/6\n"
        "• 1.该资料是网友上传的，本站提供全文预览。\n文档列表 文档介绍\n"
        "示例区委员履职积分细则为加强委员履职管理，制定本细则。一、基本要求1、参加全体会议。"
        "2、每年至少提交1件提案。二、积分规则1、全会期间参加每半天活动计5分。2、提交提案计15分。"
        "（未完，全文共1619字，当前显示524字）\n"
    )
    paragraphs = normalize(raw).paragraphs
    assert detect_title(paragraphs, fallback="x") == "示例区委员履职积分细则"
    passages = split_passages(paragraphs, title="示例区委员履职积分细则")
    text = "\n".join(p.text for p in passages)
    for frame in ("下载", "文档分类", "网友上传", "1/6", "未完"):
        assert frame not in text, frame
    assert {p.locator for p in passages} >= {"一、1.", "一、2.", "二、1.", "二、2."}


def test_a_bracket_pair_typed_half_and_full_width_becomes_one_pair() -> None:
    assert normalize_line("(2018年9月29日常委会议通过)") == "（2018年9月29日常委会议通过）"
    assert normalize_line("委员（以下简称“委员”)") == "委员（以下简称“委员”）"


def test_articles_written_one_after_another_in_a_paragraph_are_cut_into_articles() -> None:
    text = (
        "为促进提案的办理和落实，特制定本办法。 第一条 督办提案的范围。由主席督办的提案，应是当年确定的"
        "重点提案，依照第三条的形式督办。 第二条 重点提案的确定。由提案委员会筛选，一般确定5件。 "
        "第三条 督办工作的形式。采取座谈、调查、视察等形式。"
    )
    passages = split_passages([text], title="示例县主席督办重点提案实施办法")
    by_locator = {p.locator: p.text for p in passages}
    assert by_locator["第二条"] == "第二条 重点提案的确定。由提案委员会筛选，一般确定5件。"
    assert "依照第三条的形式督办" in by_locator["第一条"]  # a reference inside is no cut


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (
            ["中国人民政治协商会议", "示例市委员会专门委员会通则", "第一条 为规范专门委员会工作"],
            "中国人民政治协商会议示例市委员会专门委员会通则",
        ),
        (
            [
                "县政协提案办理工作制度.docx",
                "上传人：某某 文档编号：1 格式：DOCX",
                "一、提案办理的种类",
            ],
            "县政协提案办理工作制度",
        ),
        (["2017613日示例市政协五届二次常委会议审议通过）", "第一条 为规范全体会议"], "fallback"),
    ],
)
def test_titles_on_two_lines_named_by_a_file_or_under_a_damaged_adoption_line(
    lines: list[str], title: str
) -> None:
    assert detect_title(normalize("\n".join(lines)).paragraphs, fallback="fallback") == title


def test_two_lists_numbered_alike_keep_their_lead_lines_apart() -> None:
    lines = [
        "委员的权利可归纳为：",
        "一、在本会会议上有表决权；",
        "二、有声明退出的自由。",
        "委员的义务可归纳为：",
        "一、遵守和履行章程；",
        "二、遵守和履行会议决议。",
    ]
    passages = split_passages(lines, title="委员的权利义务")
    texts = [p.text for p in passages]
    # no lead glued to the last item of the list before it
    assert "二、有声明退出的自由。" in texts and "二、遵守和履行会议决议。" in texts
    duties = next(p for p in passages if p.text.startswith("一、遵守"))
    assert duties.heading_path == ("委员的义务可归纳为：",)


def test_a_mirror_sites_page_in_traditional_characters_loses_its_bars_and_markup() -> None:
    raw = (
        '• <samp id="a1"><th id="a1"></th></samp>\n    當前位置:\n\n    第四章 全國委員會 \n\n'
        "    日期:2023-03-20 12:50來源:示例社\n    作者:示例社訪問量: 打印\n\n"
        "      第四十一條 全國委員會每屆任期五年。\n"
    )
    paragraphs = normalize(raw).paragraphs
    # the chapter heading is not glued to the date and view-count lines under it
    assert paragraphs == ["第四章 全國委員會", "第四十一條 全國委員會每屆任期五年。"]


def test_a_title_is_found_under_the_sites_links_and_given_in_its_own_characters() -> None:
    page = (
        "Key 驱动下载\n搜 索\n进入新版\n当前位置:首页 > 规章制度\n\n"
        "关于示例委员会办公厅承办提案工作的若干规定(试行)\n\n"
        "示例政协网    www.example.gov.cn    日期:1997-07-21\n\n第一条 为了做好承办工作，制定本规定。\n"
    )
    paragraphs = normalize(page).paragraphs
    assert (
        detect_title(paragraphs, fallback="x")
        == "关于示例委员会办公厅承办提案工作的若干规定（试行）"
    )
    assert not any("www." in p for p in paragraphs)
    traditional = normalize(
        "委員服務\n\n政協(xié)示例委員會(huì)年度好提案評(píng)選辦法(試行)\n\n第一條 為提升提案質量，制定本辦法。\n"
    ).paragraphs
    # 辦法 is 办法; the pinyin a mirror prints after characters is no part of the text
    assert detect_title(traditional, fallback="x") == "政協示例委員會年度好提案評選辦法（試行）"
    assert "(" not in "".join(traditional)


def test_a_news_sites_breadcrumb_and_share_bar_are_not_the_headline() -> None:
    page = (
        "示例新闻首页 > 示例财经 > 正文\n\n示例省政协规定委员缺席会议3次将被劝退\n\n分享至\n\n"
        "“常委年内缺席3次的，劝其辞去常委。”\n\n相关推荐\n热点推荐\n养老金调整通知公布，涨幅达9%\n\n"
        "养老金调整通知公布，涨幅达9%\n"
    )
    paragraphs = normalize(page).paragraphs
    assert detect_title(paragraphs, fallback="x") == "示例省政协规定委员缺席会议3次将被劝退"
    # the share bar and the headlines of other pages under 相关推荐 are not the article
    assert paragraphs[1:] == ["“常委年内缺席3次的，劝其辞去常委。”"]


def test_a_sites_menu_footer_and_information_lines_stay_out_of_the_rule() -> None:
    page = (
        "首 页\n基本情况\n要闻简报\n重要会议\n制度文件\n\n"
        "示例区政协\n\n政协示例区委员会委员履职考核暂行办法-通知公告-示例政协网\n通知公告\n"
        ">> 理论知识 >> 政协知识\n2019年01月14日 星期一\n热烈祝贺政协示例区第三次会议隆重召开\n"
        "制度文件 加入时间： 2017-03-13 17:47:05编辑： 示例区人民政府\n"
        "admin    发表时间:2019-01-11    浏览次数:7969  次\n"
        "信息来源:示例政协    发布日期:2018-10-08    被阅览数:10838\n"
        "2012-08-07 示例市政协办公厅\n\n"
        "政协示例区委员会委员履职考核暂行办法\n\n"
        "一、考核对象\n区政协全体委员。\n"
        "二、考核方式\n采用网上提交方式.通过履职平台记录\n\n"
        "地址:示例市示例大道69号示例广场\n\n电话:0000-31999288\n\n示ICP备07001105号-1\n"
    )
    paragraphs = normalize(page).paragraphs
    title = detect_title(paragraphs, fallback="x")
    assert title == "政协示例区委员会委员履职考核暂行办法"
    passages = split_passages(paragraphs, title=title)
    text = "\n".join(p.text for p in passages)
    for furniture in (
        "基本情况",
        "通知公告",
        "理论知识",
        "星期一",
        "热烈祝贺",
        "加入时间",
        "admin",
        "被阅览数",
    ):
        assert furniture not in text, furniture
    assert "办公厅" not in text and "地址" not in text and "0000-31999288" not in text
    # a short heading keeps its sentence apart; units are cited by their numbers
    assert [p.locator for p in passages] == ["一、", "二、"]
    assert passages[0].text == "一、考核对象\n区政协全体委员。"
    # an ASCII full stop ends a Chinese sentence
    assert "采用网上提交方式。通过履职平台记录" in passages[1].text


def test_a_notices_own_contact_line_is_kept() -> None:
    notice = "示例通知\n\n一、请于3月1日前报送材料。\n\n联系人：王某；电话：0000-1234567\n\n示例区政协办公室\n"
    assert "联系人：王某；电话：0000-1234567" in "\n".join(normalize(notice).paragraphs)


def test_a_reports_title_is_found_further_down_its_text() -> None:
    paragraphs = ["各位委员、同志们：", "我代表常务委员会向大会报告工作。"] + [
        f"第{n}段正文，内容是一年来的工作情况。" for n in range(1, 16)
    ]
    paragraphs.insert(14, "第十五届委员会常务委员会工作报告")
    assert detect_title(paragraphs, fallback="x") == "第十五届委员会常务委员会工作报告"


def test_a_news_pages_source_line_a_list_of_other_articles_and_a_document_number() -> None:
    news = normalize(
        "登陆注册\n219082\n\n示例市政协建立委员履职电子档案\n\n示例报2020-08-31 19:18:401\n\n"
        "原标题：示例市政协建立委员履职电子档案\n\n示例报快讯 市政协通过了委员履职工作规则。\n"
    ).paragraphs
    assert detect_title(news, fallback="x") == "示例市政协建立委员履职电子档案"
    assert not any("原标题" in p or "2020-08-31" in p or "登陆" in p for p in news)
    listing = normalize(
        "- [03-20] 2025年示例市委员会工作要点\n- [03-17] 同心聚力 同向助推\n"
        "第一章 总 则\n第一条 政协信息是反映社情民意的重要途径。\n"
    ).paragraphs
    assert not any("[03-" in p for p in listing)
    numbered = normalize("大协字〔2020〕10号关于加强社情民意信息工作的若干意见\n\n一、提高认识。\n")
    assert detect_title(numbered.paragraphs, fallback="x") == "关于加强社情民意信息工作的若干意见"


def test_a_content_farms_spam_credits_and_a_repeated_table_of_contents_are_no_text() -> None:
    page = (
        "（两会受权发布）示例政治协商会议章程\n\n2018-03-27 13:08:36 来源: 示例网\n\n"
        "第一条 本会以宪法为根本活动准则。\n\n"
        "时间:2014-05-05 10:12:51 点击: 次\n（责任编辑：王某）\n网友评论 [新闻评论服务协议]\n"
        "示例Logo\n+1\n扫描关注公众号\n精品无码av专区一区二区\n"
    )
    paragraphs = normalize(page).paragraphs
    assert detect_title(paragraphs, fallback="x") == "示例政治协商会议章程"
    text = "\n".join(paragraphs)
    for junk in ("责任编辑", "网友评论", "Logo", "+1", "公众号", "无码", "点击"):
        assert junk not in text, junk
    assert (
        detect_title(["《示例政治协商会议章程》全文", "总纲"], fallback="x")
        == "示例政治协商会议章程"
    )
    contents = ["目录", "总纲", "第一章 工作总则", "第六章 会徽", "总纲", "本会是统一战线的组织。"]
    passages = split_passages(
        [*contents, "第一章 工作总则", "第一条 本会以宪法为准则。"], title="章程"
    )
    # the table of contents' last entry (第六章 会徽) is no heading over 总纲
    first = next(p for p in passages if "统一战线" in p.text)
    assert "会徽" not in " ".join(first.heading_path)


def test_the_general_programme_of_a_charter_is_cited_as_such() -> None:
    passages = split_passages(
        ["总 纲", "本会是统一战线的组织。", "第一章 工作总则", "第一条 本会以宪法为准则。"],
        title="示例章程",
    )
    assert [p.locator for p in passages] == ["总纲", "第一条"]


def _passages_of(text: str) -> tuple[str, list[tuple[str, str]]]:
    paragraphs = normalize(text).paragraphs
    title = detect_title(paragraphs, fallback="x")
    return title, [(p.locator, p.text) for p in split_passages(paragraphs, title=title)]


def test_a_sites_welcome_line_print_button_and_the_title_printed_again_are_no_text() -> None:
    page = (
        "您好,欢迎进入政协示例市委员会网站!\n您当前所在的位置:首页 > 政务公开 > 规章制度\n"
        "大协字10号关于加强社情民意信息工作的若干意见\n发布:2013-04-17 00:00:00来源:编辑:示例市政协浏览:\n"
        "【打印文本】\n分享到:\n政协示例市委员会\n关于加强社情民意信息工作的若干\n"
        "为做好社情民意信息工作，提出如下意见。\n一、提高认识。\n"
    )
    title, passages = _passages_of(page)
    assert title == "关于加强社情民意信息工作的若干意见"
    text = "\n".join(t for _, t in passages)
    for junk in ("欢迎", "位置", "发布", "打印", "大协字", "政协示例市委员会", "若干\n"):
        assert junk not in text, junk
    assert passages[0][1] == "为做好社情民意信息工作，提出如下意见。"


def test_a_notice_keeps_its_date_and_is_named_by_the_plan_it_issues() -> None:
    """A notice's date alone on its line is its own (2022年4月28日 was taken for a page's
    weekday line); the plan's title, wrapped onto two lines under it, is no text."""
    page = (
        "政协示例市委员会 关于印发《2022年委员读书活动计划》的通知\n"
        "各专委会：\n现将《2022年委员读书活动计划》印发给你们，请认真落实。\n"
        "政协示例市委员会办公室\n2022年4月28日\n2022年委员\n读书活动计划\n"
        "为推动委员多读书，制定本计划。\n一、推荐书目。\n"
    )
    title, passages = _passages_of(page)
    assert title == "2022年委员读书活动计划"
    notice = passages[0][1]
    assert "2022年4月28日" in notice and "办公室" in notice
    assert "读书活动计划\n" not in notice and "2022年委员\n" not in notice


def test_a_paragraph_speaking_of_a_list_no_unit_opened_is_not_its_last_item() -> None:
    page = (
        "提案审查的主要内容是什么\n提案审查的主要内容是：\n(1)资格审查：提案者必须是本届委员。\n"
        "(2)内容审查：是否有具体可行的建议。\n(3)格式审查：书写是否规范。\n"
        "提案依上述内容审查后，符合立案标准的，即可立案。\n"
    )
    _, passages = _passages_of(page)
    last = dict(passages)["（3）"]
    assert "立案标准" not in last
    assert any("立案标准" in t and locator != "（3）" for locator, t in passages)


def test_a_question_line_with_no_number_heads_its_answers_list() -> None:
    """A page's second question (哪些提案不能被立案？, no 问： and no number) was glued to
    the first answer's last item, and its grounds named like the first list's items."""
    page = (
        "提案的规范性要求是什么？\n提案应当规范。\n(1)提案用提案纸书写。\n(2)一事一案。\n"
        "相关知识\n哪些提案不能被立案？\n有下列情况之一的，不予立案：\n(1)涉及国家秘密的；\n"
        "(2)属于学术研讨的；\n"
    )
    _, passages = _passages_of(page)
    first_list_end = dict(passages)["（2）"]
    assert "立案" not in first_list_end
    grounds = next(t for locator, t in passages if locator.startswith("哪些提案不能被立案"))
    assert "学术研讨" in grounds


def test_a_heading_stating_figures_over_its_items_is_a_unit_of_its_own() -> None:
    page = (
        "示例考核办法\n三、考核分值\n(一)委员履职实行量化评分(基本分100分,合格分60分)\n"
        "1.参加会议(50分)。按时参加的得50分。\n2.提交提案(25分)。每件计10分。\n"
        "(二)加分事项\n1.获表彰的加5分。\n"
    )
    _, passages = _passages_of(page)
    units = dict(passages)
    assert "合格分60分" in units["三、（一）"]
    assert "三、（二）" not in units  # a heading naming no figure stays on its items' path


def test_a_books_running_head_above_the_first_line_is_no_appendix() -> None:
    page = "Page 507 - 示例政协志\nP. 507\n附 录\n须以书面形式请假。\n（七）无故缺席一次的，书面通报批评。\n"
    paragraphs = normalize(page).paragraphs
    passages = split_passages(paragraphs, title="示例政协志")
    assert [p.locator for p in passages] == ["第1段", "（七）"]
    # an appendix after the text still closes it
    later = split_passages(["第一条 本办法自发布之日起施行。", "附件", "积分表"], title="办法")
    assert later[-1].locator.startswith("附件")


def test_a_share_label_and_a_pages_part_number_are_no_text_or_title() -> None:
    page = "示例政治协商会议章程(4)\n\n示例政治协商会议章程(4)\n分享:\n打印\n第三章 委员\n第三十条 委员应当密切联系群众。\n"
    title, passages = _passages_of(page)
    assert title == "示例政治协商会议章程"
    assert [(locator, text) for locator, text in passages] == [
        ("第三十条", "第三十条 委员应当密切联系群众。")
    ]


def _prepared(name: str, text: str) -> PreparedDocument:
    return prepare(read_bytes(name, text.encode("utf-8")), tokenizer=shared_tokenizer())


def test_titles_as_real_pages_print_them() -> None:
    """A site's short column heading over the full title line; a page <title> with its
    column and site; a 文号 before it; a rule titled only in its first article."""
    column = _prepared(
        "daoli.txt",
        "优秀提案评选表彰办法\n发布时间:2013-08-29 点击量:347\n"
        "政协示例区委员会优秀提案评选表彰办法\n(2012年2月15日政协示例区十三届一次主席会议通过)\n"
        "第一条 根据本会提案工作条例，制定本办法。\n",
    )
    assert column.title == "政协示例区委员会优秀提案评选表彰办法"
    assert column.passages[0].text == "（2012年2月15日政协示例区十三届一次主席会议通过）"
    page = _prepared(
        "qingjia.html",
        "<html><head><title>示协字12号示例县政协会议请假规定(试行)-政协规章-示例县政协网</title></head>"
        "<body><p>示例县政协会议请假规定（试行）</p><p>一、委员因病不能出席会议的，应当请假。</p>"
        "</body></html>",
    )
    assert page.title == "示例县政协会议请假规定（试行）"
    assert [p.locator for p in page.passages] == ["一、"]
    untitled = _prepared(
        "jiangsu.txt",
        "当前位置:首页 / 规章制度\n发表日期:2017-06-21 09:47\n"
        "第一条 为规范政协示例省委员会反映社情民意信息工作，根据有关规定，制定本条例。\n"
        "第二条 委员是反映社情民意信息的主体。\n",
    )
    assert untitled.title == "政协示例省委员会反映社情民意信息工作条例"
    assert "发表日期" not in untitled.passages[0].text


def test_a_q_and_a_page_named_by_its_first_question_cites_the_others_by_theirs() -> None:
    qa = _prepared(
        "qa.txt",
        "什么是社情民意信息？\n社情民意信息是委员反映的基层意见。\n它与提案有什么区别？\n"
        "提案要交承办单位办理，社情民意信息不要求答复。\n",
    )
    assert qa.title == "什么是社情民意信息？"  # the title names the first answer: 第1段
    assert [p.locator for p in qa.passages] == ["第1段", "它与提案有什么区别？"]


def test_a_date_cut_short_is_no_count_of_days() -> None:
    days = figure_asked("几天")
    assert days is not None
    assert not days.search("2019920日") and days.search("提前3日") and days.search("15个工作日")


def test_a_saved_pages_footer_address_and_phone_go_as_in_a_text_file() -> None:
    page = _prepared(
        "qiandao.html",
        "<html><body><p>示例县政协会议签到规定</p><p>一、委员到会时应签名报到。</p>"
        "<p>二、签到情况由办公室按季度通报。</p><p>扫一扫在手机打开当前页</p>"
        "<p>地址:示例县人民路1号</p><p>电话:0000-1234567</p><p>琼ICP备00000000号-1</p></body></html>",
    )
    *rule, notes = page.passages
    assert rule[-1].text == "二、签到情况由办公室按季度通报。"
    assert notes.locator == "页面信息"
    assert "地址：示例县人民路1号" in notes.text and "电话：0000-1234567" in notes.text


def test_set_phrases_of_one_are_no_counts() -> None:
    """一人一档 and 一届一档 are how a file is kept, not one person or one term (they made
    a rule on files an answer to 委员能连任几届 and 一共多少人); 一年一次 is a count."""
    assert count_digits("实行一人一档、一届一档") == "实行一人一档、一届一档"
    assert count_digits("一年一次，每次三天") == "1年1次，每次3天"


def test_a_section_after_a_q_and_a_pages_last_answer_is_no_part_of_it() -> None:
    page = (
        "政协小知识\nQ：政协委员有任期吗？\nA：政协委员每届任期五年。\nQ：政协委员要交会费吗？\n"
        "A：不需要。\n政协会旗的来历\n政协会旗于1950年开始使用，旗面为红色。\n"
    )
    _, passages = _passages_of(page)
    units = dict(passages)
    assert units["Q：政协委员要交会费吗？"].endswith("A：不需要。")
    assert "1950年" in units["政协会旗的来历"]


def test_a_date_that_lost_its_year_and_month_characters_is_written_out() -> None:
    """A web page dropped 年 and 月 (20161020日政协…修订): the adoption date could not be
    quoted for 哪年修订的. Digits that part two ways (2019111日) stay as they are."""
    assert normalize_line("20161020日政协示例市第十三届委员会第41次主席会议修订）") == (
        "2016年10月20日政协示例市第十三届委员会第41次主席会议修订）"
    )
    assert normalize_line("（2005713日通过") == "（2005年7月13日通过"
    assert normalize_line("2019111日") == "2019111日"
    book = book_of_text(
        "lian.txt",
        "示例市政协提案审查立案办法\n"
        "20111028日政协示例市第十二届委员会第38次主席会议通过，\n"
        "20161020日政协示例市第十三届委员会第41次主席会议修订）\n"
        "第一条 为了保证提案质量，制定本办法。\n"
        "第二条 提案审查立案工作由提案委员会负责。\n",
    )
    answer = book.answer("这个立案办法哪年修订的")
    assert answer.found and "2016年10月20日" in answer.citations[0].text


def test_a_wechat_q_and_a_keeps_its_first_question_and_the_q_it_numbers_by() -> None:
    # the intro ends on an emoji, not a full stop: Q1 is not a wrapped line of it; a
    # question asked twice in one line (…？有没有截止时间？) keeps its Q4
    document = _prepared(
        "wenda.md",
        "# 新委员必看丨履职25问\n\n原创 示例县政协 2025年4月2日\n\n"
        "新委员问得最多的25个问题整理出来，建议收藏转发👇\n\n"
        "**Q1：政协委员一届任期多长？**\nA：五年。\n\n"
        "**Q2：提案最多能几个人联名？**\nA：一般不超过5人。\n\n"
        "**Q4：提案什么时候交？有没有截止时间？**\nA：闭会期间可以随时提交。\n",
    )
    by_locator = {p.locator: p.text for p in document.passages}
    assert any(loc.startswith("Q1") and "五年" in t for loc, t in by_locator.items()), by_locator
    assert not any("五年" in t for loc, t in by_locator.items() if not loc.startswith("Q1"))
    assert any(loc.startswith("Q4") and "随时" in t for loc, t in by_locator.items()), by_locator


def test_the_next_unit_glued_after_a_sentence_s_end_is_a_unit_of_its_own() -> None:
    # a web page gives 二、 at the end of the last line of 一、, and 3. after 2.'s full stop
    paragraphs = [
        "秘书长工作规则",
        "一、分工",
        "（一）专职副秘书长分工负责各部门的工作。",
        "（二）兼职副秘书长负责联系各自党派，沟通情况。二、主要职责",
        "（一）负责全体会议的准备工作。",
        "（二）协助主席组织实施会议的决议。",
        "三、会议",
        "1.会议的日期、议题由秘书长决定。",
        "2.会议由秘书长召集并主持。3.会议一般每月举行一次。",
    ]
    passages = split_passages(paragraphs, title="秘书长工作规则")
    by_locator = {p.locator: p.text for p in passages}
    assert "准备工作" in by_locator["二、（一）"], by_locator
    assert "二、" not in by_locator["一、（二）"]
    assert "每月" in by_locator["三、3."] and "每月" not in by_locator["三、2."]
    # not the unit after the next: 三、 glued on after 一、 is a reference or a slip
    skipped = split_passages(["规则", "一、分工", "由秘书长负责。三、所列事项除外。"], title="规则")
    assert [p.locator for p in skipped] == ["一、"]


def test_a_site_s_name_and_menu_in_one_line_is_no_text_of_the_page() -> None:
    document = _prepared(
        "tongzhi.txt",
        "政协示例县委员会　|　首页　|　政协概况　|　委员风采　|　通知公告　|　联系我们\n"
        "当前位置：首页 > 通知公告\n关于开展书香政协读书活动的通知\n"
        "一、活动时间\n2025年4月至11月。\n二、积分\n出席线下共读 | 每次2分 | 全年最多16分\n",
    )
    texts = "\n".join(p.text for p in document.passages)
    assert "政协概况" not in texts and "委员风采" not in texts
    assert "每次2分" in texts  # a table's row keeps its bars


def test_a_pages_notes_are_shown_without_the_browsers_controls() -> None:
    page = _prepared(
        "tongzhi.txt",
        "示例县政协会议签到规定\n发布时间：2019-04-28 信息来源：县政协办 （双击滚屏） 打印本页\n\n"
        "一、委员到会时应签名报到。\n二、签到情况由办公室按季度通报。\n",
    )
    assert page.passages[-1].locator == "页面信息"
    assert page.passages[-1].text.endswith("信息来源：县政协办")


def test_an_appendix_and_its_aligned_table_are_cut_where_they_are_printed() -> None:
    """A form's last line does not run on into the next appendix's heading, and a table
    aligned with full-width spaces keeps its rows and cells apart."""
    doc = _prepared(
        "xinxi.txt",
        "示例社情民意信息工作办法\n\n第三十条　本办法自2025年3月1日起施行。\n\n"
        "附件1　社情民意信息报送格式\n\n标题：（不超过30字）\n"
        "备注：联名报送的，请注明第一报送人\n\n附件2　社情民意信息计分表\n\n"
        "被全国政协采用　　10分\n被省政协采用　　6分\n"
        "被县政协《范例社情民意》编发　　2分\n以专报形式报送县委、县政府　　3分\n",
    )
    scores = next(p for p in doc.passages if p.locator.startswith("附件2"))
    assert "第一报送人" not in scores.text and "附件2" not in scores.text
    assert "被县政协《范例社情民意》编发 | 2分\n以专报形式报送县委、县政府 | 3分" in scores.text
    form = next(p for p in doc.passages if p.locator.startswith("附件1"))
    assert form.text.endswith("第一报送人") and "标题：（不超过30字）" in form.text


def test_a_title_is_neither_the_sites_name_above_it_nor_the_line_below_it() -> None:
    page = _prepared(
        "wenti.txt",
        "范例县政协网\n首页 | 机构设置 | 委员之家 | 联系我们\n您现在的位置：首页 > 委员之家 > 常见问题\n\n"
        "委员履职常见问题解答\n\n发布日期：2025-05-08　来源：县政协委员工作科　阅读次数：1273\n\n"
        "Q：委员证丢了怎么办？\nA：委员证遗失的，应在3日内向委员工作科报告。\n",
    )
    assert page.title == "委员履职常见问题解答"
    rule = _prepared(
        "guanli.txt",
        "政协范例县委员会委员管理办法\n\n【示例】本文件为虚构示例\n\n一、委员应当按时参加会议。\n",
    )
    assert rule.title == "政协范例县委员会委员管理办法"


def test_a_read_count_and_a_bracketed_label_are_read_as_printed() -> None:
    """阅读：518 on the information line is the page's; a line opening on 【…】 is its own."""
    page = _prepared(
        "fayan.html",
        "<html><body><h2>示例区委员会大会发言工作办法</h2>"
        "<div class='info'>发布日期：2025-06-03　来源：区政协研究室　阅读：518</div>"
        "<p>一、委员大会发言分为口头发言和书面发言。</p></body></html>",
    )
    *rule, notes = page.passages
    assert notes.locator == "页面信息" and "阅读：518" in notes.text
    assert not any("阅读" in p.text for p in rule)
    wenda = _prepared(
        "wenda.txt",
        "委员学习培训二十问\n【示例】本文件为虚构示例\n【问】新任委员必须参加培训吗？\n"
        "【答】必须参加。新任委员应当在任职后3个月内参加培训。\n",
    )
    assert wenda.title == "委员学习培训二十问"


def test_a_bracketed_question_and_its_answer_are_one_unit() -> None:
    """【问】…？ 【答】…: the question's words are the unit's, as 问：… 答：… are."""
    page = _prepared(
        "wenda.txt",
        "委员学习培训问答\n\n【问】履职证丢了怎么办？\n【答】应当在发现遗失后3日内向办公室报告。\n"
        "【问】学习培训要自己交钱吗？\n【答】集中学习培训费用由本会承担。\n",
    )
    lost = next(p for p in page.passages if "遗失" in p.text)
    assert lost.text.startswith("【问】履职证丢了怎么办？") and lost.locator.startswith(
        "【问】履职证"
    )
    assert "交钱" not in lost.text
    book = book_of_text(
        "wenda.txt",
        "委员学习培训问答\n\n【问】履职证丢了怎么办？\n【答】应当在发现遗失后3日内向办公室报告。\n【问】学习培训要自己交钱吗？\n【答】集中学习培训费用由本会承担。\n",
    )
    assert "3日内" in book.answer("履职证丢了咋办").citations[0].text


def test_a_scans_misread_article_mark_is_read_as_the_article() -> None:
    """OCR reads 第 as 笫 now and then: 笫八条 still opens the eighth article."""
    doc = _prepared(
        "qingjia.txt",
        "示例请假制度\n\n第七条 请假经批准后登记备案。\n笫八条 因病请假超过5天的，应当附医院证明。\n"
        "第 九 条 全体会议期间请假累计超过会期一半的，视为未出席。\n",
    )
    assert [p.locator for p in doc.passages] == ["第七条", "第八条", "第九条"]
    assert "笫" not in " ".join(p.text for p in doc.passages)


def test_a_lead_sentence_cut_short_on_its_items_path_is_cited_too() -> None:
    """（一）委员有下列情形之一的，由…进行谈话提醒： says who acts: the items under it do not."""
    text = (
        "委员管理办法\n\n五、谈话提醒\n（一）委员有下列情形之一的，由主席会议成员或者秘书长进行谈话提醒：\n"
        "1. 年度履职积分低于30分的；\n2. 连续两年未提交提案的。\n"
        "（二）被谈话提醒的委员，应在15日内提交书面说明。\n"
    )
    doc = _prepared("guanli.txt", text)
    assert "五、（一）" in [p.locator for p in doc.passages]
    answer = book_of_files(_EVAL / "eighteenth").answer("谈话提醒是谁来谈", k=3)
    assert "秘书长进行谈话提醒" in " ".join(c.text for c in answer.citations)


def test_a_wechat_articles_emoji_sections_and_keycap_points_are_its_units() -> None:
    """📌 opens a section, 1️⃣ numbers its points, ✅ adds a note to the section, ❓ asks a
    question, and the frame around a 划重点 box is no text: 2. of one section is not 2. of
    the next."""
    doc = _prepared(
        "weixin.txt",
        "履职平台2.0上线，一部手机全搞定！\n样例区政协 2025年4月18日\n\n"
        "📌 线上请假\n1️⃣ 首页点击“我的活动”，找到那场会议点请假。\n"
        "2️⃣ 病假需要上传就诊凭证照片。\n✅ 活动开始前4小时，系统会自动关闭请假入口\n"
        "📌 扫码签到\n1️⃣ 会议开始前30分钟开放扫码。\n2️⃣ 会议开始后15分钟内扫码的记为准时。\n"
        "📌 大家最关心的几个问题\n❓ 电脑上能用吗？\n可以。在电脑端微信中同样能打开。\n"
        "┌──────────┐\n📢 划重点\n● 请假：活动开始前4小时关闭入口\n└──────────┘\n",
    )
    units = {p.locator: p.text for p in doc.passages}
    assert units["线上请假 › 2."].startswith("2. 病假")
    assert units["扫码签到 › 2."].startswith("2. 会议开始后15分钟")
    assert "自动关闭请假入口" in units["线上请假"] and "自动关闭" not in units["线上请假 › 2."]
    assert units["电脑上能用吗？"].startswith("可以")
    assert "┌" not in " ".join(units.values()) and "📌" not in " ".join(units)
    assert any(loc.startswith("划重点 › ") for loc in units)


def test_a_letters_points_are_cited_one_by_one_by_their_opening_words() -> None:
    """一是…。 二是…。 each in a paragraph of its own: a point apiece, named 一是明确报送任务, not
    two points run together as 第2段."""
    doc = _prepared(
        "tongzhi.txt",
        "关于做好社情民意信息工作的通知\n\n各专委会、各界别召集人：\n\n"
        "一是明确报送任务。今年每位委员报送社情民意信息不少于3篇。\n\n"
        "二是找准选题方向。信息要聚焦经济发展、民生保障等群众普遍关心的问题。\n\n"
        "三是规范写作格式。正文一般在1000字以内。\n",
    )
    units = {p.locator: p.text for p in doc.passages}
    assert units["二是找准选题方向"].startswith("二是找准选题方向。信息要聚焦")
    assert "1000字" not in units["二是找准选题方向"]


def test_clauses_numbered_by_their_section_are_cited_by_that_number() -> None:
    """1. 总则 then 1.1, 1.2: each clause its own unit named 1.2, and an item under 5.4 is
    5.4（1）; a figure opening a line (1.5倍) is no clause."""
    doc = _prepared(
        "kaohe.txt",
        "委员履职考核办法\n\n1. 总则\n\n1.1 为引导委员认真履职，制定本办法。\n\n"
        "1.2 因病长期休养的委员，当年不参加考核。\n\n5. 等次评定\n\n"
        "5.4 有下列情形之一的，直接确定为不称职：\n\n（1）连续两次无故缺席全体会议的；\n\n"
        "（2）无正当理由拒不参加民主评议的。\n",
    )
    units = {p.locator: p.text for p in doc.passages}
    assert units["1.2"].startswith("1.2") and "休养" in units["1.2"]
    assert "拒不参加民主评议" in units["5.4（2）"]
    assert not any(loc.startswith("1.5") for loc in units)


def test_a_handbooks_parts_and_the_sections_between_its_questions_are_kept_apart() -> None:
    """第一部分 / 第二部分 each restart 一、二、; a section heading (二、谁可以提) after a question's
    answer opens a section of the page, not a list under that answer."""
    doc = _prepared(
        "shouce.txt",
        "提案工作手册\n\n第一部分　提案的提出\n\n一、提案是什么\n提案是委员向全体会议提出的书面意见。\n"
        "【问】提案和社情民意信息有什么不同？\n提案要求有具体可行的建议。\n\n二、谁可以提\n"
        "【问】联名提案有人数限制吗？\n联名提案的委员一般不超过5人。\n\n"
        "第二部分　提案的办理\n\n一、审查立案\n提案委员会收到提案后10个工作日内审查。\n",
    )
    units = {p.locator: p for p in doc.passages}
    assert "书面意见" in units["第一部分 › 一、"].text
    assert "10个工作日内审查" in units["第二部分 › 一、"].text
    # (its questions named under it, in its part: 第二部分 numbers its sections afresh)
    joint = units["第一部分 › 二、谁可以提 › 【问】联名提案有人数限制吗？"]
    assert "二、谁可以提" in joint.heading_path and "5人" in joint.text


def test_questions_named_by_their_words_are_named_under_the_handbooks_section() -> None:
    # 一、委员身份 then unnumbered Q:/A: pairs: each is cited under its section
    doc = _prepared(
        "shouce.txt",
        "新委员履职手册\n\n一、委员身份\nQ: 委员一届干几年？\nA: 每届任期五年。\n"
        "Q: 委员证丢了怎么办？\nA: 在平台申请补办，约十个工作日领取。\n\n"
        "二、提案\nQ: 提案从哪里交？\nA: 闭会期间在平台提交。\n",
    )
    assert [p.locator for p in doc.passages] == [
        "一、委员身份 › Q: 委员一届干几年？",
        "一、委员身份 › Q: 委员证丢了怎么办？",
        "二、提案 › Q: 提案从哪里交？",
    ]


def test_a_contact_line_is_not_glued_to_the_office_signing_below_it() -> None:
    doc = _prepared(
        "tongzhi.txt",
        "关于开展学习培训的通知\n\n一、培训安排\n新委员培训于7月举办，时间2天。\n\n"
        "联系人：张三，电话：0123-1234567\n政协某县委员会办公室\n2025年5月6日\n",
    )
    text = "\n".join(p.text for p in doc.passages)
    assert "0123-1234567政协" not in text and "0123-1234567" in text


def test_questions_of_a_q_and_a_page_run_on_in_one_paragraph_are_units_apart() -> None:
    doc = _prepared(
        "wenda.txt",
        "委员学习问答\n\n问1：委员证丢了怎么办？\n答：应当及时报告。\n\n"
        "问2：委员有哪些权利？答：委员享有提出提案等权利。问3：委员应当履行哪些义务？"
        "答：委员应当遵守政协章程。\n",
    )
    units = {p.locator: p.text for p in doc.passages}
    assert "遵守政协章程" in units["问3"] and "遵守政协章程" not in units["问2"]


def test_sections_numbered_with_a_dot_and_points_counted_in_words_are_units() -> None:
    """二．主要任务 is 二、; 第一，… 第二，… are its points, each cited on its own."""
    doc = _prepared(
        "yijian.txt",
        "关于做好委员联络工作的意见\n\n一．总体要求\n坚持服务委员。\n\n二．主要任务\n"
        "第一，建立联系制度。每名常委每年联系委员不少于5名。\n"
        "第二，畅通联络渠道。委员联络科设立专线电话0123-1234567。\n",
    )
    units = {p.locator: p.text for p in doc.passages}
    assert "专线电话" in units["二、第二"] and "专线电话" not in units["二、第一"]
    assert units["一、"].startswith("一、总体要求")


def test_bracketed_articles_and_questions_named_wenti_are_units() -> None:
    """【第一条】… is 第一条; 问题1：…？ then 答：… is a question of a Q&A page with its answer."""
    rule = _prepared(
        "zhidu.txt",
        "会议制度\n\n【第一条】委员应当按时出席会议。\n【第二条】请假应当提前3天提出。\n",
    )
    assert [p.locator for p in rule.passages] == ["第一条", "第二条"]
    page = _prepared(
        "wenda.txt",
        "常见问题\n\n问题1：请假找谁？\n答：找秘书长。\n问题2：提案截止到哪天？\n答：闭幕前一天。\n",
    )
    first = next(p for p in page.passages if "秘书长" in p.text)
    assert first.text.startswith("问题1：请假找谁？") and "闭幕" not in first.text


def test_numbers_printed_as_one_character_number_items() -> None:
    doc = _prepared(
        "jifen.txt",
        "积分办法\n\n三、计分标准\n⑴出席全体会议，每半天计2分；\n⑵出席常委会议，每次计3分。\n",
    )
    assert [p.locator for p in doc.passages] == ["三、（1）", "三、（2）"]


def test_a_web_pages_ordered_list_is_numbered_as_the_browser_draws_it() -> None:
    page = (
        "<html><body><div class='content'><h1>委员联系群众制度</h1><h2>一、联系方式</h2>"
        "<ol><li>每名委员每年走访群众不少于5户。</li><li>每季度参加一次委员接待日。</li></ol>"
        "<h2>二、要求</h2><ol><li>1. 已编号的项。</li></ol></div></body></html>"
    )
    doc = prepare(read_bytes("lianxi.html", page.encode()), tokenizer=shared_tokenizer())
    units = {p.locator: p.text for p in doc.passages}
    assert units["一、2."] == "2.每季度参加一次委员接待日。"
    assert units["二、1."].startswith("1. 已编号")  # (typed once, not 1.1.)


def test_unnumbered_questions_run_on_and_q_numbers_without_a_colon_are_units() -> None:
    run_on = _prepared(
        "wenda.txt",
        "学习问答\n\n问：请假找谁？答：找秘书长。问：提案截止到哪天？答：大会闭幕前一天。\n",
    )
    assert [p.locator for p in run_on.passages] == ["问：请假找谁？", "问：提案截止到哪天？"]
    numbered = _prepared(
        "faq.txt",
        "学习问答\n\nQ1 请假找谁？\nA1 找秘书长。\nQ2 提案截止到哪天？\nA2 闭幕前一天。\n",
    )
    first = numbered.passages[0]
    assert first.text.startswith("Q1") and "秘书长" in first.text and "闭幕" not in first.text


def test_a_wechat_articles_questions_after_its_sections_are_the_pages_own() -> None:
    """❓ lines after a section's points are the page's questions, not that section's."""
    doc = _prepared(
        "zhinan.txt",
        "委员履职服务指南来了，请收好！\n样板政协 2025年5月6日\n\n🔶 一、会议请假\n"
        "1️⃣ 全体会议请假须提前2个工作日，报秘书长批准。\n✅ 请假后需补看会议材料。\n\n"
        "📍 二、积分查询\n1️⃣ 登录履职平台查询本人积分。\n⚠️ 注意：逾期不予受理。\n\n"
        "❓ Q1 忘记密码怎么办？\nA：拨打技术支持电话0123-5550000。\n",
    )
    asked = next(p for p in doc.passages if "密码" in p.text)
    assert "积分查询" not in asked.locator and "积分查询" not in " ".join(asked.heading_path)


def test_a_question_numbered_then_spaced_keeps_its_number_apart() -> None:
    # ### Q1 提案和…？: the space after the number is its colon, not print spacing to close
    assert (
        normalize_line("### Q1 提案和社情民意信息有什么区别？")
        == "### Q1：提案和社情民意信息有什么区别？"
    )
    assert normalize_line("问3 请假要提前几天？") == "问3：请假要提前几天？"
    assert normalize_line("2024 年") == "2024年"  # (a year and its 年 still run together)
    book = book_of_text(
        "faq.md",
        "# 常见问题\n\n### Q1 提案和社情民意信息有什么区别？\n\n提案交提案委员会。\n\n"
        "### Q2 提案一年能提几件？\n\n每年不少于1件。\n",
    )
    answer = book.answer("提案一年最少交几件")
    assert answer.found and answer.citations[0].locator == "Q2：提案一年能提几件？"


def test_a_documents_number_is_a_line_of_its_own() -> None:
    # short lines above a notice's title are not one wrapped sentence
    sets = Path(__file__).resolve().parents[2] / "bench" / "kb_eval"
    raw = (sets / "eighteenth" / "weiyuan_guanli.txt").read_text(encoding="utf-8")
    paragraphs = normalize(raw).paragraphs
    assert "范政协发〔2025〕5号" in paragraphs


def test_a_table_lined_up_with_spaces_keeps_its_cells_apart() -> None:
    # a plain-text table: the digit-and-Han rule must not run 初审 and 1 together
    assert normalize_line("报送并通过初审                1           每年最多计5条") == (
        "报送并通过初审 | 1 | 每年最多计5条"
    )
    assert normalize_line("第一条 委员应当 按时参加会议") == "第一条 委员应当 按时参加会议"


def test_a_titled_list_after_a_sections_last_sentence_is_not_that_sections() -> None:
    # 十、…同时废止。 then 委员"十不准" over 1. 2.: the list is named by its title
    paragraphs = [
        "委员履职守则",
        "九、遵守纪律。委员应当遵守会议纪律。",
        "十、信息变更。委员联系电话变化的，应当在15日内告知委员联络室。",
        '委员"十不准"',
        "1. 不准以委员身份谋取不正当利益。",
        "2. 不准借视察调研之机接受宴请。",
    ]
    passages = split_passages(paragraphs, title="委员履职守则")
    assert [p.locator for p in passages] == [
        "九、",
        "十、",
        '委员"十不准" › 1.',
        '委员"十不准" › 2.',
    ]
    assert "十不准" not in passages[1].text
    # ... while a section's lead ending in a colon keeps its items (十、…如下：1. 2.)
    led = split_passages(
        ["守则", "十、有下列情形的，予以通报：", "1. 无故缺席。", "2. 代人签到。"], title="守则"
    )
    assert [p.locator for p in led][-2:] == ["十、1.", "十、2."]


def test_an_official_papers_header_number_and_tags_are_no_title() -> None:
    # 政协…办公室文件 / 青禾政协办发〔2025〕9号 / 【示例】… above a title wrapped on two lines
    paragraphs = [
        "政协青禾县委员会办公室文件",
        "青禾政协办发〔2025〕9号",
        "【示例】本文件为虚构示例",
        "关于印发2025年度委员视察调研",
        "工作计划的通知",
        "各专门委员会：",
    ]
    assert detect_title(paragraphs, fallback="x") == "关于印发2025年度委员视察调研工作计划的通知"
    # a tag line is a note of its own, not joined to the title under it
    raw = "【示例】本文件为虚构示例\n关于印发2025年度委员视察调研\n工作计划的通知\n"
    assert normalize(raw).paragraphs[0] == "【示例】本文件为虚构示例"


def test_a_scans_stray_spaces_and_letter_o_for_zero_are_read_through() -> None:
    # OCR: 会 议, 请 假条, 2O25年, 1O个工作日, 二O一八年, O.5分
    assert normalize_line("督促委员积极参加政协的会 议和活动，更好地") == (
        "督促委员积极参加政协的会议和活动，更好地"
    )
    assert normalize_line("作日提交书面请 假条；") == "作日提交书面请假条；"
    assert normalize_line("（2O25年2月26日通过）") == "（2025年2月26日通过）"
    assert normalize_line("二O一八年印发的办法同时废止。") == "二〇一八年印发的办法同时废止。"
    assert normalize_line("迟到1次扣O.5分。") == "迟到1次扣0.5分。"
    # ... while an article's number, a table's cells and English keep theirs
    assert (
        normalize_line("第一条 为加强委员管理，制定本规定。")
        == "第一条 为加强委员管理，制定本规定。"
    )
    assert normalize_line("出席全体会议 每半天5分") == "出席全体会议 每半天5分"
    assert normalize_line("ICP备案号 OK") == "ICP备案号 OK"


def test_a_title_with_a_note_in_brackets_holding_a_colon_is_the_title() -> None:
    # 工作章程（节选：总纲、第一章）: the note names the excerpt, the line is still the title
    paragraphs = [
        "政协某市委员会工作章程（节选：总纲、第一章）",
        "【示例】本文件为虚构示例",
        "（2024年1月12日政协某市第六届委员会第三次全体会议通过）",
        "总纲",
    ]
    assert detect_title(paragraphs, fallback="x") == "政协某市委员会工作章程（节选：总纲、第一章）"


def test_a_headline_asking_its_question_before_a_subtitle_is_the_title() -> None:
    paragraphs = ["哪些提案不予立案？——提案审查常见问题解答", "【示例】本文件为虚构示例", "问：…？"]
    assert detect_title(paragraphs, fallback="x") == "哪些提案不予立案？——提案审查常见问题解答"


def test_a_long_title_wrapped_onto_a_second_line_is_read_whole() -> None:
    paragraphs = [
        "【示例】本文件为虚构示例",
        "政协某市委员会关于加强和改进新时代",
        "社情民意信息工作的办法",
        "一、总则",
    ]
    assert (
        detect_title(paragraphs, fallback="x")
        == "政协某市委员会关于加强和改进新时代社情民意信息工作的办法"
    )


def test_a_pages_headline_told_as_a_sentence_is_its_title() -> None:
    # a WeChat article's headline, not its file name or the 原创 line under it
    assert detect_title(
        ["委员学习培训和履职证件，这24问一次说清", "【示例】本文件为虚构示例"], fallback="x"
    ) == ("委员学习培训和履职证件，这24问一次说清")
    assert detect_title(
        ["【干货】委员履职平台怎么用？这份操作指南请收好👇", "原创 青禾政协"], fallback="x"
    ) == ("委员履职平台怎么用？这份操作指南请收好")


def test_a_tag_line_is_no_title_though_the_title_names_no_kind_of_document() -> None:
    # a Q&A page titled 委员请假和考勤十三问 (no 办法, no 关于) under a 【示例】 note
    page = _prepared(
        "kaoqin_wenda.txt",
        "首页 | 政协概况 | 委员之家\n【示例】本文件为虚构示例\n当前位置：首页 > 委员之家 > 履职服务\n"
        "委员请假和考勤十三问\n发布时间：2024-04-08 16:20　　来源：区政协委员联络室\n\n"
        "一、哪些会议要记考勤？\n答：全体会议和常委会会议都要签到。\n",
    )
    assert page.title == "委员请假和考勤十三问"


def test_a_long_title_naming_another_document_inside_it_is_read_to_its_end() -> None:
    # 《…章程》 inside the title and a note in brackets after it do not cut it short
    for title in (
        "政协某市委员会依照《中国人民政治协商会议章程》关于地方委员会的规定制定的组织与会议规则（节录）",
        "中国人民政治协商会议某市委员会组织与议事规程（依据政协章程地方委员会有关规定拟定·节选）",
    ):
        paragraphs = [
            title,
            "【示例】本文件为虚构示例",
            "（2023年12月28日常务委员会会议通过）",
            "总纲",
        ]
        assert detect_title(paragraphs, fallback="x") == title


def test_a_wechat_articles_byline_is_the_pages_date_not_part_of_its_headline() -> None:
    article = normalize(
        "委员学习培训和履职证件，这24问一次说清\n演示区政协　2025-07-08 07:30　发表于演示区\n"
        "最近不少委员留言，我们把常见问题整理如下。\n"
    )
    assert article.paragraphs[0] == "委员学习培训和履职证件，这24问一次说清"
    assert article.page_notes == ["发布时间：演示区政协2025-07-08 07:30发表于演示区"]
    # a sentence that mentions a time is no byline
    assert normalize("会议 2025-07-08 09:30 开始签到。\n").page_notes == []


def test_the_issuing_office_over_a_notice_is_not_its_title() -> None:
    # 政协…委员会办公室 / 【示例】 / 岫政协办〔2025〕11号 (no 发) / the title
    paragraphs = [
        "政协某区委员会办公室",
        "【示例】本文件为虚构示例",
        "关于做好2025年度委员履职积分工作的通知",
        "某政协办〔2025〕11号",
        "各专门委员会，全体委员：",
    ]
    assert detect_title(paragraphs, fallback="x") == "关于做好2025年度委员履职积分工作的通知"
    # ... while a committee's name over the rest of a wrapped title is its first half
    wrapped = ["政协某市委员会", "界别活动组工作办法", "第一条 为规范界别活动，制定本办法。"]
    assert detect_title(wrapped, fallback="x") == "政协某市委员会界别活动组工作办法"


def test_a_table_kept_apart_by_single_wide_spaces_is_a_table() -> None:
    # 项目　计分标准　说明 over rows of three cells, one full-width space apart
    rows = normalize(
        "附件\n项目\u3000计分标准\u3000说明\n基础分\u300060分\u3000每年1月1日起重新计算\n"
        "会议出席\u3000全体会议每次加6分；常委会会议每次加3分\u3000经批准请假的不加分\n"
    ).paragraphs
    assert rows[1:] == [
        "项目 | 计分标准 | 说明",
        "基础分 | 60分 | 每年1月1日起重新计算",
        "会议出席 | 全体会议每次加6分；常委会会议每次加3分 | 经批准请假的不加分",
    ]
    # ... while articles spaced once after their number stay articles
    articles = normalize(
        "第一条\u3000为规范积分，制定本办法。\n第二条\u3000积分每年清零。\n第三条\u3000本办法自印发之日起施行。\n"
    )
    assert articles.paragraphs[0] == "第一条 为规范积分，制定本办法。"
