"""Matching that survives members' wording (issue 13): counts, colloquial words, compounds,
the thesaurus, refusing what the rulebook does not cover, and citing the unit that answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.kb.asked_facts import (
    asks_for_a_figure,
    asks_for_a_person,
    asks_for_a_phone_number,
    figure_unit,
    states_only_the_other_bound,
)
from bot.kb.eval import EvalItem, evaluate, is_hit, load_items
from bot.kb.homophones import Homophones
from bot.kb.numerals import count_digits, figure_asked
from bot.kb.qa import Rulebook
from bot.kb.service import SAMPLE_RULEBOOK
from bot.kb.thesaurus import thesaurus
from bot.kb.tokenize import char_grams, shared_tokenizer
from bot.kb.translation import translation_table
from tests.support.rulebooks import book_of_files, book_of_text, sample_with

REALISTIC = Path(__file__).resolve().parents[2] / "bench" / "kb_eval" / "realistic"

RULES = """示例政协提案和请假办法（示例）

第一条 提案人应当在全体会议开幕前三天提交大会提案。
第二条 提案有下列情形之一的，不予立案：
（一）涉及国家秘密的；
（二）已经进入诉讼、仲裁程序的；
（三）为企业、产品做广告宣传的。
第三条 委员请假应当提交书面请假报告，由秘书长批准。
第四条 委员年度履职积分满分为一百分，按季度公示，作为评优的依据。
第五条 联名提案的联名人数一般不超过十人。
"""


@pytest.fixture(scope="module")
def rules() -> Rulebook:
    return book_of_text("rules.txt", RULES)


@pytest.fixture(scope="module")
def realistic() -> Rulebook:
    return book_of_files(REALISTIC)


@pytest.fixture(scope="module")
def second() -> Rulebook:
    return book_of_files(REALISTIC.parent / "second")


def _first(rulebook: Rulebook, question: str) -> str | None:
    answer = rulebook.answer(question)
    return answer.citations[0].locator if answer.found else None


def test_counts_match_in_digits_and_numerals() -> None:
    assert count_digits("提前三天，一般不超过十人，至少1件") == "提前3天，一般不超过10人，至少1件"
    assert count_digits("一事一案，百分之五，第三条") == "一事一案，百分之五，第三条"
    tokens = shared_tokenizer().tokens("开幕前3天")
    assert "3" in tokens and "3" in shared_tokenizer().tokens("开幕前三天")
    assert "3" in char_grams("三天")


@pytest.mark.parametrize(
    ("question", "locator"),
    [
        ("大会提案最晚开幕前几天交", "第一条"),  # 三天 / 几天
        ("已经在打官司了还能提提案吗", "第二条（二）"),  # 打官司 / 诉讼, item cited by itself
        ("请假条交给谁批", "第三条"),  # 请假条 / 书面请假报告, 批 / 批准
        ("履职积分最高多少分", "第四条"),  # 履职积分: 履职 + 积分
        ("联名最多几个人", "第五条"),  # 最多几个人 / 一般不超过十人
    ],
)
def test_colloquial_questions_find_the_rule(rules: Rulebook, question: str, locator: str) -> None:
    assert _first(rules, question) == locator


def test_a_question_for_the_list_is_answered_by_the_whole_list(rules: Rulebook) -> None:
    answer = rules.answer("哪些情况不予立案")
    assert answer.citations[0].locator == "第二条"
    assert "（一）" in answer.quote and "（三）" in answer.quote


def test_an_item_is_quoted_with_the_sentence_that_introduces_it(rules: Rulebook) -> None:
    answer = rules.answer("给企业打广告的提案能立案吗")
    cited = answer.citations[0]
    assert cited.locator == "第二条（三）"
    assert cited.text.startswith("第二条 提案有下列情形之一的，不予立案：")
    assert "（三）为企业" in cited.text and "（一）" not in cited.text


@pytest.mark.parametrize(
    "question",
    [
        "政协委员的工资谁发",
        "委员的手机号是多少",
        "今天郑州天气怎么样",
        "养老金咋算",
        "你好",
        "随便说一句",  # 一句 is a word, not a typo of 依据
    ],
)
def test_things_the_rulebook_never_mentions_are_refused(rules: Rulebook, question: str) -> None:
    answer = rules.answer(question)
    assert not answer.found and answer.citations == ()


def test_greetings_around_a_question_do_not_sink_it(rules: Rulebook) -> None:
    assert _first(rules, "你好，请问请假由谁批准？谢谢") == "第三条"


def test_the_thesaurus_ships_offline_and_knows_paraphrases() -> None:
    words = thesaurus()
    assert "诉讼" in words["打官司"] and "亲属" in words["亲戚"]
    assert all(len(w) > 1 for w in words["工资"])


def test_up_to_three_close_citations_best_first(rules: Rulebook) -> None:
    answer = rules.answer("提案什么情况下不予立案", k=3)
    assert 1 <= len(answer.citations) <= 3
    assert answer.citations[0].locator == "第二条"
    scores = [c.score for c in answer.citations]
    assert scores[0] == max(scores)


def test_realistic_tuning_questions_keep_their_level(realistic: Rulebook) -> None:
    """The realistic set (all tuning questions now; the held-out sets are bench/kb_eval/fresh
    to fifth, only ever reported) stays above what it measured when this matching landed,
    and far above the earlier 0.46 hit@3 / 0.92 refusal."""

    def ask(question: str) -> tuple[list[tuple[str, str, str]], bool]:
        answer = realistic.answer(question, k=3)
        return [(c.source, c.locator, c.text) for c in answer.citations], answer.found

    items = load_items(REALISTIC / "questions.jsonl")
    items += load_items(REALISTIC / "out_of_scope.jsonl")
    report = evaluate(items, ask)
    assert report.hit_at_3 >= 0.8 and report.refusal_accuracy >= 0.85, report.figures()


def test_words_typed_by_sound_find_the_word_meant(rules: Rulebook) -> None:
    """Pinyin input puts a character of the same sound: 提按, 请架报告, 履职积份."""
    assert _first(rules, "大会提按最晚开幕前几天交") == "第一条"
    assert _first(rules, "履职积份满分多少") == "第四条"
    tokens = shared_tokenizer().tokens("大会提按几天前交")
    assert "提案" in [g.word for g in rules.index.groups(tokens)]


def test_a_stretch_typed_by_sound_is_respelled_when_nothing_is_found(rules: Rulebook) -> None:
    """请 is a stop word, so 请架 never reaches the word-level repair: the question is
    respelled (请架 -> 请假) and asked again, under the same policy."""
    assert rules.index.respell("委员请架报告交给谁批准") == "委员请假报告交给谁批准"
    answer = rules.answer("委员请架报告交给谁批准")
    assert answer.found and answer.citations[0].locator == "第三条"
    assert answer.question == "委员请架报告交给谁批准"
    assert rules.index.respell("随便说一句") == "随便说一句"  # words stay as typed
    # all characters different is another word, not a slip: 俺有 is not 案由
    assert Homophones([("案由", 1.0)]).find("俺有") is None
    assert Homophones([("提案", 1.0)]).find("提按") == "提案"
    # an input method set to 模糊音 hears zh/ch/sh as z/c/s: 视擦 is 视察; -n and -ng stay
    # apart (房本 is no 范本)
    assert Homophones([("视察", 1.0)]).find("视擦") == "视察"
    assert Homophones([("范本", 1.0)]).find("房本") is None


def test_a_real_word_typed_for_a_rule_word_of_the_same_sound_is_read_as_it() -> None:
    """复义 is a word of its own, but no rule holds it while 复议 sounds the same: the
    question is answered, not refused as naming something the rules never mention; of two
    rule words of that sound (附议, 复议) the one the member nearly typed is taken."""
    text = "示例办法（示例）\n\n第一条 提案可以由委员附议，附议人不少于两人。\n第二条 委员对处分决定不服的，可以在收到决定之日起十五日内申请复议。\n"
    book = book_of_text("r.txt", text)
    assert _first(book, "处分不服能复义吗") == "第二条"
    assert Homophones([("附议", 1.0), ("复议", 2.0)]).find("复义") == "复议"
    # a character the segmenter doubled (会会 of 会会议) is no word a member means by 会徽
    assert Homophones([("会会", 1.0)]).find("会徽") is None
    assert _first(book, "委员的工资怎么算") is None  # a thing no rule names is still refused


WORDING = """示例政协委员管理办法（示例）

第一条 委员不能出席全体会议的，应当提前向秘书处提交请假报告，由秘书长审批。
第二条 委员对处分决定不服的，可以在收到决定之日起十五日内申请复议。
第三条 委员应当妥善保管委员证件，遗失的应当及时报告。
第四条 委员不得以委员身份为他人谋取利益。
第五条 提案不得推介具体企业的产品。
第六条 视察调研组设组长一名，由副主席担任。
第七条 读书活动每年向每位委员赠送图书两册。
"""


@pytest.fixture(scope="module")
def wording() -> Rulebook:
    return book_of_text("wording.txt", WORDING)


@pytest.mark.parametrize(
    ("question", "locator"),
    [
        # 请假条 is listed beside 书面请假报告; this rulebook writes 请假报告
        ("请假条找谁批", "第一条"),
        # jieba reads 天内能 as 天 / 内能 (internal energy): a function word glued on
        ("被处分了不服 多少天内能申请复议", "第二条"),
        # 感觉, 突然, 东西: how it was said, not what is asked
        ("突然感觉委员证件这东西丢了 咋办", "第三条"),
        # 我妈: the member's situation, not a thing the rulebook should hold
        ("我妈那边有事 全体会议去不了 找谁请假", "第一条"),
        # 自己公司 glued by jieba: 自己 and 公司, which the rules write 企业
        ("提案里推介自己公司产品行吗", "第五条"),
        # 几本书 is not 几 / 本书 (this book); 组组长 is 视察组 / 组长
        ("每年送几本书", "第七条"),
        ("视察组组长谁当", "第六条"),
        # 推销产品, one word to jieba: a verb the rules never use and the 产品 they do
        ("提案里推销产品可以吗", "第五条"),
    ],
)
def test_phone_wording_around_a_rule_still_finds_it(
    wording: Rulebook, question: str, locator: str
) -> None:
    assert _first(wording, question) == locator


@pytest.mark.parametrize(
    ("question", "locator"),
    [("读书群一年最少发几次言", "第七条"), ("以党派名义报的算个人分吗", "第十八条")],
)
def test_a_character_typed_alone_counts_inside_the_rulebook_word(
    second: Rulebook, question: str, locator: str
) -> None:
    # 发, 报, 分 typed alone; the rules write them inside their own words (发言, 报送, 积分)
    # and elsewhere as words of their own: counted inside the words, the right article
    # holds enough of the question to be answered.
    answer = second.answer(question)
    assert answer.found and answer.citations[0].locator == locator


def test_a_question_word_glued_into_a_phrase_leaves_the_words_around_it() -> None:
    # jieba's dictionary holds 干几年 whole; no rule does: 干 and 年 are what is asked
    assert shared_tokenizer().tokens("一届干几年")[-3:] == ["干", "年", "干几年"]
    book = book_of_files(SAMPLE_RULEBOOK)
    answer = book.answer("政协一届干几年")
    assert answer.found and "任期五年" in answer.citations[0].text


def test_a_count_told_in_passing_names_no_thing(rules: Rulebook) -> None:
    # 一款 is how many, not what: the rules never write it, and it must not weigh as a
    # thing they do not cover
    assert _first(rules, "提案能推介一款新产品吗") == "第二条（三）"


def test_a_total_asked_in_points_is_a_figure_not_a_count_of_things(rules: Rulebook) -> None:
    # 一共 asks how many there are; 多少分 says in what: 一百分 answers, no 个 or 名 needed
    assert _first(rules, "履职积分一共占多少分") == "第四条"


def test_asking_to_be_told_simply_is_no_part_of_the_question() -> None:
    book = book_of_files(SAMPLE_RULEBOOK)
    answer = book.answer("啥叫提案 简单说下")
    assert answer.found and "书面意见和建议" in answer.citations[0].text


def test_a_committee_term_the_rulebook_never_uses_is_a_thing_it_does_not_cover(
    realistic: Rulebook,
) -> None:
    # 双月协商座谈会 comes from the committee vocabulary, untagged by jieba; the realistic
    # rulebook says how often other meetings are held, never this one.
    tokenizer = shared_tokenizer()
    assert tokenizer.is_noun("双月协商座谈会") and tokenizer.is_noun("委员工作科")
    assert not realistic.answer("双月协商座谈会多久开一次").found


def test_asked_how_many_the_article_stating_the_count_is_cited(realistic: Rulebook) -> None:
    # 第四十条 本会设二十六个界别: among articles naming 界别 about as well, it is cited
    answer = realistic.answer("咱们一共有多少个界别", k=3)
    assert "第四十条" in [c.locator for c in answer.citations]


def test_asked_what_a_thing_is_the_article_defining_it_is_cited(second: Rulebook) -> None:
    # 第二条 本办法所称社情民意信息，是指…: among articles naming 社情民意 about as well
    answer = second.answer("社情民意到底是个啥", k=3)
    assert "第二条" in [c.locator for c in answer.citations]


def test_a_ground_run_on_in_its_article_is_cited_by_itself() -> None:
    text = (
        "提案工作条例（示例）\n\n"
        "第十二条 下列提案不予立案：（一）涉及国家秘密的；（二）属于学术研究的；"
        "（三）为企业、产品做广告宣传的；（四）已经进入诉讼程序的。\n"
        "第十三条 联名提案的联名人数一般不超过十人。\n"
    )
    book = book_of_text("tiaoli.txt", text)
    assert _first(book, "已经在打官司了 还能提提案吗") == "第十二条（四）"


def test_who_holds_an_office_its_phone_and_this_year_s_dates_are_not_in_a_rulebook(
    realistic: Rulebook,
) -> None:
    from bot.kb.asked_facts import asks_for_a_person, asks_for_a_phone_number

    # every word matches an article that names the office; none says who or which number
    assert not realistic.answer("提案委员会主任是哪位").found
    assert not realistic.answer("委员工作科电话多少").found
    # this year's dates, counts and themes are news, not rules
    assert not realistic.answer("今年全会几号开幕").found
    assert not realistic.answer("去年一共立了多少件提案").found
    assert not realistic.answer("十一届四次会议啥时候召开").found  # a sitting's date: its notice
    assert not realistic.answer("委员工作科在哪个位置").found
    assert realistic.answer("12月交的平时提案今年能立案吗").found
    # how many there are is answered by a count the rules state, not by an article naming them
    assert not realistic.answer("咱们市政协一共多少个委员").found
    assert realistic.answer("咱们一共有多少个界别").found
    # a request for a service is no question about the rules
    assert not realistic.answer("帮我写个年终总结").found
    # a role the rules define, and which office acts, are still asked of the rules
    assert not asks_for_a_person("联名提案的第一提案人是谁")
    assert not asks_for_a_person("专委会主任是谁拍板定的")
    assert not asks_for_a_phone_number("换了手机号要跟谁说 多久内")


def test_a_figure_asked_in_a_unit_is_answered_only_by_a_rule_stating_one() -> None:
    from bot.kb.asked_facts import asks_for_a_figure

    text = (
        "读书活动办法（示例）\n"
        "第一条 委员读完一本书后，可以撰写读书心得并在读书群中分享。\n"
        "第二条 读书心得应当联系履职实际，观点鲜明。\n"
        "第三条 委员每年自选书目一般不超过两本，由读书办统一采购。\n"
        "第四条 读书群成员对群主的决定有异议的，应当在五个工作日内向读书办提出。\n"
        "第五条 读书群调整须经读书群成员三分之二以上同意。\n"
    )
    book = book_of_text("dushu.txt", text)
    # every word matches 第一条 or 第二条; neither states a length
    assert not book.answer("读书心得要写多少字").found
    # the figure in the unit asked, written in words or digits, in another unit of time
    assert _first(book, "自选书最多几本") == "第三条"
    assert _first(book, "对群主有意见 几天内提") == "第四条"
    assert _first(book, "读书群调整要多少人同意") == "第五条"
    pattern = asks_for_a_figure("请假要提前几天")
    assert pattern is not None and pattern.search("提前3日") and pattern.search("提前半个月")
    assert asks_for_a_figure("读书群怎么调整") is None


def test_a_common_word_the_rulebook_never_uses_is_not_read_as_one_of_its_sound(
    second: Rulebook,
) -> None:
    # 议案 is a word of everyday use, meant as typed: not 一案 of 一事一案
    assert not second.answer("人大代表议案跟政协提案有啥区别").found
    tokenizer = shared_tokenizer()
    assert tokenizer.is_common_word("议案") and not tokenizer.is_common_word("复义")


def test_a_points_table_is_quoted_by_the_row_asked_about() -> None:
    text = (
        "履职积分细则（示例）\n\n二、积分标准\n（一）委员履职积分按照下表计算：\n项目 | 分值 | 备注\n"
        "出席全体会议 | 每半天3分 | 全程出席另加2分\n"
        "在全体会议上口头大会发言 | 每次8分 |\n"
        "提交提案并被立案 | 每件6分 |\n"
        "无故缺席全体会议 | 每次减10分 |\n"
        "无故缺席其他会议和活动 | 每次减4分 |\n"
        "（二）扣分项目不设上限。\n"
    )
    answer = book_of_text("jifen.txt", text).answer("无故缺席全体会议扣几分")
    # 全体会议 and 大会 of another row are one word asked about, counted once; the row is
    # quoted under the one naming the columns
    assert answer.found
    assert answer.citations[0].text == "项目 | 分值 | 备注\n无故缺席全体会议 | 每次减10分 |"


def test_a_phrase_jieba_glues_into_a_rare_noun_is_how_it_was_asked(
    realistic: Rulebook,
) -> None:
    # 最多拉几个人 is cut 最 / 多拉 (a name), 能带照片 能带 (energy band): neither is a thing the
    # rulebook fails to cover; 坐飞机, 手机号 and 转圈 stay things.
    tokenizer = shared_tokenizer()
    assert not any(tokenizer.is_noun(w) for w in ("多拉", "帮别人", "投一票", "能带"))
    assert all(tokenizer.is_noun(w) for w in ("坐飞机", "手机号", "转圈", "补贴", "油费"))
    joint = realistic.answer("联名提案最多拉几个人", k=3)
    assert "第四条" in [c.locator for c in joint.citations]  # 一般不超过十人
    photos = realistic.answer("提案能带照片吗 最多传几个")
    assert photos.found and photos.citations[0].locator.startswith("3. 问：")


@pytest.mark.parametrize(
    ("question", "locator"),
    [
        # 法院 is where the member would go; the rule is about using a member's standing
        ("亲戚打官司 我以委员身份去法院打个招呼行不行", "第二十条"),
        # 反对票 tells what happened; the question is whether the member is protected
        ("我在会上投了反对票 单位会不会给我穿小鞋", "第十六条"),
        ("调到外省工作了还能继续当委员吗", "第五十九条"),
    ],
)
def test_a_thing_the_member_tells_as_the_situation_is_not_what_is_asked(
    realistic: Rulebook, question: str, locator: str
) -> None:
    answer = realistic.answer(question, k=3)
    assert locator in [c.locator for c in answer.citations]


@pytest.mark.parametrize(
    "question",
    [
        "开全会的误餐费能报吗",
        "人大代表开会请假找谁批",
        "政协委员能同时当人大代表吗",
        # a clause telling of the thing, not the member: who published it
        "社情民意被人民日报登了 加几分",
    ],
)
def test_a_thing_named_in_what_is_asked_is_still_one_the_rulebook_lacks(
    realistic: Rulebook, question: str
) -> None:
    assert not realistic.answer(question).found


def test_a_thing_lost_is_what_is_asked_about(realistic: Rulebook, sample: Rulebook) -> None:
    # 密码忘了 tells of the password, not of the member: the rules that name it answer
    assert realistic.answer("履职平台密码忘了 咋找回").citations[0].locator.startswith("14.")
    assert not sample.answer("履职平台密码忘了 咋找回").found


def test_the_situation_told_weighs_nothing_in_what_the_rule_must_hold(sample: Rulebook) -> None:
    # 手术 is the member's situation: the rule on who approves leave holds all that is asked
    assert _first(sample, "我下周有手术 开会请假找谁") == "第七条"
    assert not sample.answer("开会期间的手术费谁报销").found  # asked about: still a thing


def test_a_form_named_after_what_it_is_for_finds_the_rule_on_that(sample: Rulebook) -> None:
    # The sample rulebook says who approves leave (请假由秘书长审批) and never names the note:
    # 请假条 is about 请假, as 报名表 would be about 报名.
    assert _first(sample, "请假条给谁") == "第七条"
    assert not sample.answer("委员证给谁").found  # a card is no form: still a thing of its own


@pytest.fixture(scope="module")
def sample() -> Rulebook:
    return book_of_files(SAMPLE_RULEBOOK)


@pytest.mark.parametrize(
    ("question", "source", "locator"),
    [
        # 意思 and 指 are how the meaning is asked for, not words the rule must hold
        ("会办单位是什么意思", "proposals.md", "第十四条"),
        ("社情民意信息指什么", "public_opinion.md", "第二条"),
        # 第二条 提案是…: the article defining the word goes first among those naming it
        ("提案到底是个啥", "proposals.md", "第二条"),
        # 啥叫 asks the meaning; 社情民意信息是… defines the word it names, 信息 and all
        ("啥叫社情民意", "public_opinion.md", "第二条"),
        ("什么是社情民意", "public_opinion.md", "第二条"),
    ],
)
def test_asked_what_a_word_means_the_defining_article_answers(
    sample: Rulebook, question: str, source: str, locator: str
) -> None:
    # (the checks alone: the second opinion takes 会办单位是什么意思 for a near miss)
    answer = sample.checks_alone().answer(question)
    assert answer.found and (answer.citations[0].source, answer.citations[0].locator) == (
        source,
        locator,
    )


def test_a_noun_jieba_glued_across_a_rule_word_s_edge_is_cut_where_it_belongs(
    sample: Rulebook,
) -> None:
    # 交心得 is cut 交心 (a heart-to-heart, no rule's word) / 得; the rule says 心得
    answer = sample.answer("读完书要交心得吗")
    assert answer.found and answer.citations[0].locator == "第九条"
    assert not sample.answer("委员工资多少").found  # a thing no rule names stays refused


def test_a_date_is_no_figure_of_how_long() -> None:
    book = book_of_text(
        "banfa.txt",
        "示例委员管理办法（示例）\n\n第一条 委员任期内的履职情况记入档案。\n"
        "第二条 本办法自2018年1月1日起施行。\n",
    )
    # 2018年 says when, not for how many years: no rule states the term
    assert not book.answer("委员任期几年").found
    assert not book.answer("履职档案几天内要记好").found
    sessions = book_of_text(
        "tongzhi.txt",
        "示例通知\n\n一、区政协九届五次会议期间，委员任期内的提案由提案组受理。\n"
        "二、本通知经第十三届常委会议通过。\n",
    )
    # 九届 names the session, 五次 which sitting: neither is how many terms or times
    assert not sessions.answer("委员任期一共几届").found
    assert not sessions.answer("委员任期内提案一年能交几次").found


def test_a_rule_in_traditional_characters_answers_a_question_in_simplified() -> None:
    book = book_of_text(
        "zhangcheng.txt",
        "示例章程（節選）\n\n第一條 委員應當積極參加本會組織的會議和活動。\n"
        "第二條 委員因故不能出席全體會議的，應當向秘書處書面請假。\n",
    )
    answer = book.answer("委员开会来不了怎么请假")
    assert answer.found
    first = answer.citations[0]
    # found through the simplified form, quoted and cited as the committee wrote it
    assert first.locator == "第二條" and "書面請假" in first.text
    # a checker naming the article in simplified characters still finds it answered
    item = EvalItem(question="", source="zhangcheng.txt", units=(("zhangcheng.txt", ("第二条",)),))
    assert is_hit(item, first.source, first.locator, first.text)
    # a rule in simplified characters quoting one 條 is cited as it writes its own articles
    mixed = book_of_text(
        "banfa.txt", "示例办法\n\n第一条 委员请假向秘书处书面申请。\n第二条 参见章程第三條。\n"
    )
    assert mixed.answer("请假向谁申请").citations[0].locator == "第一条"


def test_a_copy_named_by_its_form_is_about_what_it_is_a_copy_of() -> None:
    book = book_of_text(
        "tongzhi.txt",
        "示例提案征集通知\n\n一、电子提案发送至提案委员会邮箱。\n二、大会发言材料请于会前报送。\n",
    )
    # 电子版: the rules write 电子提案; 版 says what form, 电子 what it is
    answer = book.answer("电子版提案发哪个邮箱")
    assert answer.found and answer.citations[0].locator == "一、"


@pytest.mark.parametrize(
    "question",
    [
        "<b>请假条找谁批</b>&nbsp;",  # markup pasted with the question
        "我是一名来自教育界的区政协委员，今年刚刚履职，很多规定还不熟悉，请问请假条找谁批",
    ],
)
def test_what_is_asked_is_found_inside_markup_and_after_an_introduction(
    wording: Rulebook, question: str
) -> None:
    answer = wording.answer(question)
    assert answer.found and answer.citations[0].locator == "第一条"
    assert answer.question == question  # the member's words are kept for the record


def test_how_long_is_answered_only_by_a_rule_stating_a_length_of_time() -> None:
    rules = (
        "示例提案办理办法（示例）\n\n第一条 提案由提案委员会交办给承办单位。\n"
        "第二条 承办单位收到交办的提案后应当及时办理，并书面答复提案人。\n"
        "第三条 提案人对答复不满意的，可以申请重新办理。\n第四条 委员请假应当经秘书长批准。\n"
    )
    question = "承办单位收到提案后多久要书面答复提案人"
    # 及时 is no length of time: the rule says how, not how long
    assert not book_of_text("banfa.txt", rules).answer(question).found
    timed = book_of_text("banfa.txt", rules.replace("及时办理", "在三个月内办理"))
    assert timed.answer(question).found


def test_an_ordinal_is_no_figure_of_how_many_times() -> None:
    book = book_of_text(
        "guize.txt",
        "示例全体会议规则（示例）\n\n第一条 每届第一次全体会议选举主席、副主席。\n第二条 委员应当按时出席全体会议。\n",
    )
    # 第一次 says which sitting, not how many a year
    assert not book.answer("全体会议每年开几次").found


def test_asked_when_a_rule_was_adopted_the_adoption_line_answers(tmp_path: Path) -> None:
    (tmp_path / "xieshang.txt").write_text(
        "委员服务\n\n工作规则/\n\n示例省政协提案办理协商实施办法\n\n"
        "（2017年3月31日政协示例省第十一届委员会第四十八次主席会议通过）\n\n"
        "为了丰富履职形式，推进提案办理协商工作制度化，制定本办法。\n\n"
        "第一条 提案办理协商是提案者、承办单位和政协组织为推动办理开展的协商活动。\n",
        encoding="utf-8",
    )
    (tmp_path / "haotian.txt").write_text(
        "政協示例委員會年度好提案評選辦法（試行）\n\n"
        "（2019年12月18日政協示例委員會提案委員會主任會議通過）\n\n"
        "第一條 為提升提案質量，制定本辦法。\n\n第二條 好提案從全體會議期間和閉會期間的提案中評選。\n",
        encoding="utf-8",
    )
    book = book_of_files(tmp_path)
    for question, source, date in (
        ("提案办理协商办法啥时候通过的", "xieshang.txt", "2017年3月31日"),
        ("好提案评选办法哪天通过的", "haotian.txt", "2019年12月18日"),  # 通過 is 通过
    ):
        answer = book.answer(question)
        assert answer.found
        dated = [c for c in answer.citations if c.source == source and date in c.text]
        assert dated, [(c.source, c.text) for c in answer.citations]
    first = book.answer("提案办理协商办法啥时候通过的").citations[0]
    # the site's column and link above the title are no part of the rule's text
    assert "委员服务" not in first.text and "工作规则/" not in first.text


def test_when_a_rule_named_by_its_title_was_made_is_the_line_dating_it(tmp_path: Path) -> None:
    # the adoption line holds no word of 提案条例, 定下来 or 发: the title names the rule,
    # and a notice is dated by its last line, a rule by its 印发 line at the end
    (tmp_path / "tiaoli.txt").write_text(
        "示例市政协提案工作条例\n\n（2024年12月20日政协示例市第九届委员会常务委员会第十二次会议通过）\n\n"
        "第一条 为做好提案工作，制定本条例。\n第二条 提案审查委员会决定是否立案。\n"
        "第三条 本条例自2025年1月1日起施行。\n",
        encoding="utf-8",
    )
    (tmp_path / "tongzhi.txt").write_text(
        "关于开展委员履职活动的通知\n\n各位委员：\n\n一、每位委员全年参加活动不少于4次。\n"
        "二、活动结束后5日内提交小结。\n\n政协示例市委员会办公室\n2025年2月24日\n",
        encoding="utf-8",
    )
    (tmp_path / "guize.txt").write_text(
        "示例市政协视察工作规则\n\n一、视察结束后20日内起草报告，提交主席会议审议。\n"
        "二、本规则自印发之日起施行。\n\n政协示例市委员会办公室\n2025年2月20日印发\n",
        encoding="utf-8",
    )
    book = book_of_files(tmp_path)
    for question, source, date in (
        ("提案条例是哪次会上定下来的", "tiaoli.txt", "2024年12月20日"),
        ("那个履职通知哪天发的", "tongzhi.txt", "2025年2月24日"),
        ("视察规则是哪天发的", "guize.txt", "2025年2月20日"),
    ):
        answer = book.answer(question)
        assert answer.found, question
        first = answer.citations[0]
        assert first.source == source and date in first.text, (question, first.text)


def test_whether_a_members_own_matter_may_be_a_proposal_is_the_list_of_grounds() -> None:
    # the member tells the case in words the grounds seldom share (表弟, 法院, 打广告); the
    # list of cases not registered answers, quoting the ground the case falls under
    book = book_of_text(
        "tiaoli.txt",
        "示例提案工作条例\n\n第十五条 提案应当一事一案，案由简明。\n"
        "第十八条 提案有下列情形之一的，不予立案：\n（一）涉及国家秘密的；\n"
        "（二）属于司法机关正在审理的具体案件的；\n（三）为本人或者亲属解决职务、待遇等个人问题的；\n"
        "（四）为企业、产品作宣传推介的；\n（五）内容空泛，没有具体建议的。\n"
        "第十九条 不予立案的提案，应当告知提案者。\n",
    )
    for question, ground in (
        ("帮我表弟调个岗位的事能写提案不", "亲属"),
        ("法院正在审的案子能写成提案吗", "正在审理"),
        ("给本地企业产品打广告的提案能过吗", "宣传推介"),
    ):
        answer = book.answer(question)
        assert answer.found, question
        first = answer.citations[0]
        assert first.locator.startswith("第十八条") and ground in first.text, (question, first.text)
    # how a proposal is written is no matter of its own: nothing says it
    assert not book.answer("提案能用英文写吗").found


def test_which_leader_is_who_and_why_one_asks_who_interprets_is_no_word_of_the_rule() -> None:
    # 领导, 不明白 and 歧义 are no rule's words: 哪位领导 asks who, 有不明白的 why one asks
    book = book_of_text(
        "qingjia.txt",
        "示例请假规定\n\n第一条 请假不出席常委会的，由分管日常工作的副主席审批。\n"
        "第二条 请假单交会务科。\n第三条 本规定由县政协办公室负责解释。\n",
    )
    for question, article in (
        ("常委会请假找哪位领导签", "第一条"),
        ("这规定有不明白的谁负责解释", "第三条"),
        ("请假规定有歧义谁解释", "第三条"),
    ):
        answer = book.answer(question)
        assert answer.found and answer.citations[0].locator == article, question


def test_colloquial_words_find_the_rules_words() -> None:
    # 讲究, 进场, 初稿, 出面: how members say 要求, 入场, 起草, 名义; no thing of their own
    book = book_of_text(
        "shicha.txt",
        "示例视察规则\n\n第一条 视察选题的要求：围绕中心工作，突出民生。\n"
        "第二条 委员应当提前30分钟入场。\n第三条 视察报告由牵头专委会起草。\n"
        "第四条 委员不得以委员名义为企业办事。\n第五条 承办单位逾期未答复的，由提案委员会督办。\n",
    )
    for question, article in (
        ("视察选题有啥讲究", "第一条"),
        ("开会提前多久进场", "第二条"),
        ("视察报告谁来写初稿", "第三条"),
        ("朋友公司让我出面打个招呼 行吗", "第四条"),
        ("部门一直拖着不回复 咋整", "第五条"),
    ):
        answer = book.answer(question)
        assert answer.found and answer.citations[0].locator == article, question


def test_reports_counted_in_tiao_a_changed_phone_and_opening_a_studio() -> None:
    # 几篇 is answered in 条; 手机号换了 is a changed 联系电话; 想开个 is to set one up
    book = book_of_text(
        "banfa.txt",
        "示例委员工作办法\n\n第一条 每名委员全年至少报送社情民意信息2条。\n"
        "第二条 委员联系电话发生变化的，应当在30日内告知委员联络室。\n"
        "第三条 设立委员工作室，应当有固定场所和3名以上委员参加。\n",
    )
    for question, article in (
        ("社情民意一年最少交几篇", "第一条"),
        ("手机号换了要告诉谁", "第二条"),
        ("想开个工作室要满足啥", "第三条"),
    ):
        answer = book.answer(question)
        assert answer.found and answer.citations[0].locator == article, question


def test_recorded_is_what_a_member_calls_put_in() -> None:
    # 录进档案: the rules say 录入; among a whole rule's items, the one saying when
    book = book_of_files(REALISTIC.parent / "fifteenth")
    answer = book.answer("全会开完多久录进我的档案", k=3)
    assert answer.found
    assert any(c.locator.startswith("二、（二）1.") for c in answer.citations), answer.citations


def test_holding_a_meeting_and_this_year_are_said_as_the_rules_say_them() -> None:
    # 开一次全会: the rules say 出席全体委员会议, not 开; 今年 and 明年 are the year's
    for folder, question, article in (
        ("thirtysecond", "开一次全会能加几分", "第七条"),
        ("thirtyfirst", "12月20号报的算今年还是明年", "三、（四）"),
    ):
        answer = book_of_files(REALISTIC.parent / folder).answer(question, k=3)
        assert answer.found, question
        assert any(c.locator.startswith(article) for c in answer.citations), answer.citations


def test_a_most_asked_of_a_rule_stating_only_a_least_told_after_its_verb_is_not_found() -> None:
    # 至少报送社情民意信息2条: the least, with what is sent between it and the figure
    book = book_of_text(
        "tongzhi.txt",
        "示例履职活动通知\n\n一、每名委员全年至少报送社情民意信息2条，内容应客观真实。\n"
        "二、被采用的每条计2分。\n",
    )
    assert not book.answer("社情民意一年最多能报几条").found
    answer = book.answer("社情民意一年最少报几条")
    assert answer.found and "2条" in answer.citations[0].text


def test_a_changed_employer_is_the_rules_changed_work_unit() -> None:
    # 换单位了: the rules say 工作单位…发生变化
    book = book_of_files(REALISTIC.parent / "twentyninth")
    answer = book.answer("我换单位了 多长时间内要报", k=3)
    assert answer.found and any(c.locator.startswith("问18") for c in answer.citations)


def test_how_long_said_as_duo_huir_and_made_up_said_as_xia_bian() -> None:
    # 多会儿 is 多久; 瞎编 is 不实; 领头提 is the 第一提案人's
    book = book_of_files(REALISTIC.parent / "thirtyfirst")
    for question, article in (
        ("复议多会儿给结果", "第三十七条"),
        ("领头提的必须是委员吗", "第十五条"),
        ("信息要是瞎编的咋处理", "六、（一）"),
    ):
        answer = book.answer(question, k=3)
        assert answer.found, question
        assert any(c.locator.startswith(article) for c in answer.citations), answer.citations


def test_a_holiday_met_and_paying_out_of_pocket_find_the_rules_words() -> None:
    # 碰上放假: the rules' 节假日; 掏钱: 费用; a holiday's own schedule is no rule's
    book = book_of_files(REALISTIC.parent / "nineteenth")
    answer = book.answer("接待日碰上放假咋办", k=3)
    assert answer.found and any(c.locator.startswith("二、（一）4.") for c in answer.citations)
    answer = book.answer("学习培训要自己掏钱吗", k=3)
    assert answer.found and any("费用由本会承担" in c.text for c in answer.citations)
    assert not book.answer("春节放几天假").found


def test_will_is_not_glued_to_the_word_before_it() -> None:
    # 不交会怎样: 交 / 会 ("will"), not 交会; 分会不会扣成负数: 分 / 会不会, not 分会
    for folder, question, unit in (
        ("thirtyfourth", "述职报告一直拖着不交会怎样", "四、（四）"),
        ("twentyfourth", "分会不会扣成负数", "四、（七）"),
    ):
        answer = book_of_files(REALISTIC.parent / folder).answer(question, k=3)
        assert answer.found, question
        assert any(c.locator.startswith(unit) for c in answer.citations), answer.citations


def test_the_date_the_weather_and_an_offices_address_are_no_rules() -> None:
    book = book_of_text(
        "banfa.txt",
        "示例办法\n\n第一条 全体会议每星期的安排由办公厅通知。\n"
        "第二条 常委会议由办公厅负责会务，会议地址另行通知；提案上应写明提案人的电话和地址。\n"
        "第三条 为本人或者亲属解决工作、住房等个人问题的，不予立案。\n第四条 委员不交纳会议费用。\n",
    )
    for question in (
        "今天星期几",
        "明天郑州下雨吗",
        "办公厅地址在哪",
        "办公厅在几楼",
        "要交会费吗",
    ):
        assert not book.answer(question).found, question
    # asking what a proposal must state is asking about a rule
    assert book.answer("提案上要写电话和地址吗").citations[0].locator == "第二条"
    # a nephew is a relative: the ground for not registering it
    assert book.answer("写个提案帮我侄子安排工作 能立案吗").citations[0].locator == "第三条"


def test_a_least_asked_is_not_answered_by_a_most_stated() -> None:
    book = book_of_text(
        "xinxi.txt",
        "示例社情民意信息办法\n\n第一条 每篇社情民意信息正文一般不超过1500字。\n"
        "第二条 联名反映的，联名人数不少于3人。\n",
    )
    assert not book.answer("社情民意最少写多少字").found
    assert not book.answer("联名最多能有几个人").found
    # asked the bound the rule states, or no bound at all, it answers
    assert book.answer("社情民意最多写多少字").citations[0].locator == "第一条"
    assert book.answer("联名最少要几个人").citations[0].locator == "第二条"
    assert book.answer("社情民意正文多少字").citations[0].locator == "第一条"


def test_those_few_days_of_a_meeting_ask_no_figure() -> None:
    book = book_of_text(
        "tian.txt",
        "示例提案办法\n\n第十五条 委员交提案应当一事一案。\n"
        "第十六条 提案可以在全体会议期间提出，也可以在闭会期间提出，不是只能在开会期间交。\n"
        "第十七条 提案由提案委员会审查。\n",
    )
    # 那几天 names the days of the meeting; no count of days is asked
    answer = book.answer("闭会了还能交提案吗 还是只能开会那几天")
    assert answer.found and answer.citations[0].locator == "第十六条"


def test_how_often_is_answered_by_a_rule_without_a_count() -> None:
    # 不定期 answers 多久 (the figure check lets it through); it does not answer 几天
    how_often = asks_for_a_figure("专委会多久开一次会")
    assert how_often is not None and how_often.search("各专门委员会的会议一般不定期举行")
    days = asks_for_a_figure("请假要提前几天")
    assert days is not None and not days.search("请假应当及时提出")
    book = book_of_text(
        "zhishi.txt",
        "示例政协知识\n\n（1）专门委员会的会议一般不定期举行，由主任召集。\n"
        "（2）全体会议每年举行一次。\n（3）提案应当通过履职平台或者书面提交。\n",
    )
    # 纸质 is 书面
    assert book.answer("提案交纸质的行不行").citations[0].locator == "（3）"


def test_a_share_typed_in_digits_is_the_one_written_in_words() -> None:
    book = book_of_text(
        "kaoqin.txt",
        "示例考勤办法\n\n第一条 委员应当按时出席会议。\n"
        "第二条 出席会议时间不足一半的，记缺席两次。\n"
        "第三条 出席会议时间不足三分之二的，记缺席一次。\n"
        "第四条 年度考核优秀比例不超过百分之十五，良好比例不超过百分之三十。\n",
    )
    assert book.answer("出席不足2/3记几次缺席").citations[0].locator == "第三条"
    assert "百分之十五" in book.answer("优秀比例是15%吗").quote


def test_a_score_a_member_tells_finds_the_band_that_holds_it() -> None:
    book = book_of_text(
        "jifen.txt",
        "示例履职积分办法\n\n第十二条 无故缺席全体会议的，每次扣10分。\n"
        "第十三条 提交提案一件计5分，被立案的再加5分。\n"
        "第十四条 年度考核结果分为四个等次：积分90分以上为优秀，75分至89分为良好，"
        "60分至74分为合格，不满60分为不合格。\n第十五条 考核结果记入履职档案。\n",
    )
    for question in ("我考了72分算啥档次", "80分是什么等次"):
        assert book.answer(question).citations[0].locator == "第十四条", question
    # a figure asked, not told, is looked for as before
    assert book.answer("缺席全会扣几分").citations[0].locator == "第十二条"


def test_a_band_closed_on_both_sides_holds_only_the_scores_between() -> None:
    # 75分以上、不满90分 is one band: 80 is 良好, not also 合格 (60分以上), and 90 is 优秀;
    # the items hold no word of 考了 (told, not asked about)
    book = book_of_text(
        "jifen.txt",
        "示例履职积分办法\n\n一、积分构成\n委员履职积分由会议、提案、社情民意等部分组成。\n"
        "二、等次评定\n委员年度积分按下列等次评定：\n"
        "（一）优秀：积分在90分以上，且年度内无减分记录；\n（二）良好：积分在75分以上、不满90分；\n"
        "（三）合格：积分在60分以上、不满75分；\n（四）不合格：积分不满60分。\n"
        "三、结果运用\n积分结果记入履职档案。\n",
    )
    for score, item in (("80", "（二）"), ("90", "（一）"), ("74", "（三）"), ("59", "（四）")):
        cited = [c.locator for c in book.answer(f"我考了{score}分算啥档次").citations]
        assert cited and cited[0] == f"二、{item}", (score, cited)


def test_a_word_known_by_its_parts_is_evidence_when_the_passage_holds_them_all() -> None:
    # 电话请假 is held as 电话 … 请假 in every one of these rulebooks (0.8 × h / h used to
    # fall short of 0.8 for some of them, and the passage was then no evidence at all)
    for n in range(1, 30):
        fillers = "".join(f"第{i + 3}条 委员学习事项{i}。\n" for i in range(n))
        book = book_of_text(
            "kaoqin.txt",
            "示例规定\n\n第1条 本人应在会前以书面或电话形式向秘书处请假。\n"
            f"第2条 委员应当打卡签到。\n{fillers}",
        )
        best = book.retrieve("打电话请假行不行", k=1)[0]
        assert best.entry.locator == "第一条" and best.evidence > 0.5, n


def test_how_often_is_answered_by_every_year_and_a_phrase_by_its_words_apart() -> None:
    how_often = asks_for_a_figure("全国政协全会多久开一次")
    assert how_often is not None
    assert how_often.search("全体会议每年举行一次") and how_often.search("每半年召开一次")
    assert how_often.search("履职信息由委员联络室定期汇总")
    book = book_of_text(
        "kaoqin.txt",
        "示例规定\n\n第一条 委员可以电话请假。\n第二条 人大代表和政协委员的联系另行规定。\n"
        "第三条 本人应以书面或电话形式向秘书处请假，经秘书长批准。\n",
    )
    groups = {g.word: g for g in book.index.groups(book.tokenizer.tokens("电话请假找人大代表"))}
    # a phrase is held where its words stand apart; a name (人大代表) is not
    assert groups["电话请假"].spelled == ("电话", "请假")
    assert groups["人大代表"].spelled == ()


def test_what_a_local_rule_unit_defines_is_cited_for_what_is() -> None:
    book = book_of_text(
        "xuzhi.txt",
        "示例社情民意须知\n\n一、反映社情民意信息是委员履行职能的重要方式。\n"
        "二、联络委员会负责受理反映社情民意信息，编辑社情民意期刊。\n"
        "三、反映社情民意信息采用网上提交方式。\n四、反映社情民意信息应当一事一报。\n",
    )
    assert "一、" in [c.locator for c in book.answer("什么是反映社情民意").citations]
    assert book.answer("社情民意是什么").citations[0].locator == "一、"


def test_asked_who_the_quote_is_the_sentence_naming_them() -> None:
    book = book_of_text(
        "kaoqin.txt",
        "示例会议规定\n\n第三条 委员应当认真履行职责，积极参加政协组织的各项会议和活动。"
        "委员应按时出席全体会议，无特殊情况不得请假，请假时间超过会期"
        "一半的视为缺席一次。请假情况在会后汇总，记入委员履职档案。因病或其他特殊原因"
        "不能出席时，本人应在会前以书面形式向会议秘书处请假，经秘书长批准后有效。\n"
        "第四条 委员无故缺席的，予以通报。\n",
    )
    assert "秘书长批准" in book.answer("全会请假谁批").quote


def test_two_matters_in_one_proposal_is_asked_as_several() -> None:
    book = book_of_text(
        "tian.txt",
        "示例提案办法\n\n第十四条 提案应当一事一案，实事求是，简明扼要。\n"
        "第十五条 提案由提案委员会审查立案。\n第十六条 提案可以在闭会期间提出。\n",
    )
    for question in ("提案里能提两件事吗", "提案能提多件事吗"):
        assert book.answer(question).citations[0].locator == "第十四条", question


def test_each_ground_of_a_qa_page_is_cited_for_a_members_own_words(tmp_path: Path) -> None:
    (tmp_path / "wenda.txt").write_text(
        "哪些提案不能被立案？\n\n根据《示例提案工作条例》，有下列情况之一的，不予立案：\n\n"
        "(1)涉及党和国家秘密的；\n\n(2)国家明令禁止的；\n\n(5)进入民事、刑事、行政诉讼以及仲裁程序的；\n\n"
        "(6)属于学术研讨的；\n\n(9)指明举报的；\n\n(10)内容空泛、没有具体建议的。\n\n"
        "未予立案的，应当及时通知提案者，所提意见和建议以其他方式转送有关部门研究处理。\n",
        encoding="utf-8",
    )
    (tmp_path / "banfa.txt").write_text(
        "示例提案办法\n\n第一条 提案应当一事一案。\n第二条 委员应当按时参加会议。\n",
        encoding="utf-8",
    )
    answer = book_of_files(tmp_path).answer("学术讨论能当提案吗")
    # 当 of 应当 in the closing sentence is no match for 当 (act as)
    assert answer.found and answer.citations[0].locator == "（6）"
    tokenizer = shared_tokenizer()
    assert "某人" not in tokenizer.tokens("点名举报某人能算提案吗")  # names nobody
    assert "诉讼" in tokenizer.synonyms["起诉"] and "诉讼" in tokenizer.synonyms["法院"]


def test_writing_a_proposal_or_a_report_is_asked_as_the_rules_say_it() -> None:
    book = book_of_text(
        "tian.txt",
        "示例提案办法\n\n第十四条 委员提出提案，应当一事一案。\n"
        "第十五条 委员反映社情民意信息，应当深入基层调查研究。\n第十六条 提案由提案委员会审查。\n",
    )
    assert book.answer("写社情民意要不要下基层调研").citations[0].locator == "第十五条"
    assert book.answer("写提案要一事一案吗").citations[0].locator == "第十四条"


def test_bounds_and_phone_numbers_are_judged_over_what_is_cited() -> None:
    book = book_of_text(
        "xinxi.txt",
        "示例社情民意须知\n\n一、社情民意信息稿件应当一事一议，篇幅在1500字以内。\n"
        "二、联络委员会负责受理社情民意信息，编辑社情民意期刊。\n"
        "三、办公厅负责汇总请假情况。\n"
        "四、信息通过履职平台提交（联系人：王某；电话：18600000000）。\n",
    )
    # a cited passage stating no length says neither least nor most
    assert not book.answer("社情民意最少写多少字").found
    # the office asked about prints no number; another unit's contact line is not its number
    assert not book.answer("办公厅电话多少").found


def test_how_often_a_meeting_is_held_is_answered_by_every_year() -> None:
    book = book_of_text(
        "zhangcheng.txt",
        "示例章程\n\n第四十三条 全国委员会全体会议每年举行一次。常务委员会认为必要时，得临时召集。\n"
        "第四十四条 提案办理期限为三个月。\n第四十五条 委员应当按时出席会议。\n",
    )
    # 多久 is held where the rule says how often (每年), as 扣几分 is where it says 扣10分
    answer = book.answer("全会多久开一次")
    assert answer.found and answer.citations[0].locator == "第四十三条"


def test_asked_whether_something_counts_the_rules_word_is_not_needed() -> None:
    tokenizer = shared_tokenizer()
    book = book_of_text(
        "kaoqin.txt",
        "示例考勤规定\n\n第三条 每次会议参加时间不足2/3者，视为缺席本次会议。\n"
        "第四条 委员请假须经秘书长批准。\n第五条 无故缺席两次的，予以通报。\n",
    )
    groups = [g.word for g in book.index.groups(tokenizer.tokens("参加不到三分之二算啥"))]
    # 算 (counts as) is how a member asks; the rule says 视为 and never writes 算
    assert "算" not in groups
    assert book.answer("参加不到三分之二算缺席吗").citations[0].locator == "第三条"


def test_an_article_named_by_number_is_found_in_traditional_characters_too() -> None:
    book = book_of_text(
        "zhangcheng.txt",
        "示例章程\n\n第四十一條 全國委員會每屆任期五年。\n第四十二條 全國委員會設主席、副主席若干人和秘書長。\n"
        "第四十三條 全國委員會全體會議每年舉行一次。\n",
    )
    answer = book.answer("政协章程第41条讲啥")
    assert answer.found and answer.citations[0].locator == "第四十一條"


def test_a_quote_does_not_open_on_the_closing_mark_of_the_sentence_before() -> None:
    book = book_of_text(
        "zhishi.txt",
        "示例政协知识\n\n地方委员会的委员如何产生？《示例章程》第四十九条规定：“地方委员会的组成，"
        "由上届地方委员会的常务委员会协商决定，每届任期五年。”第五十条规定：“地方委员会委员的名单，"
        "由上届常务委员会协商提名，经主席会议审议后确定，并报上一级委员会备案。”以上规定明确了"
        "地方委员会委员的产生程序和任期安排。\n",
    )
    quote = book.answer("地方政协委员名单谁定").quote
    assert "名单" in quote and not quote.startswith("”")


def test_the_document_titled_with_what_is_asked_is_cited(realistic: Rulebook) -> None:
    """交了提案想撤回来: the 提案工作条例's article on withdrawing is cited, not the 章程's
    that holds 提案 and 撤 as well. Every passage of a document holds its title's words,
    so their weight alone did not tell the two documents apart."""
    cited = [(c.source, c.locator) for c in realistic.answer("交了提案想撤回来咋办").citations]
    assert ("tian_tiaoli.txt", "第十六条") in cited
    assert not any(source == "zhangcheng.md" for source, _ in cited)


@pytest.mark.parametrize(
    ("question", "source", "locator"),
    [
        # 字数上限 asks a figure in 字 as 多少字 does: 最多不超过一千五百字 states it
        ("提案 字数上限", "proposals.md", "第八条"),
        # 手机号 is what the rule calls 联系电话; 光 (only) is no word a rule holds
        ("提案上要留我手机号和单位吗", "proposals.md", "第七条（二）"),
        ("正文光写建议 不写问题分析行吗", "proposals.md", "第七条（三）"),
    ],
)
def test_members_words_for_a_length_a_phone_and_only(
    sample: Rulebook, question: str, source: str, locator: str
) -> None:
    # (the checks alone: the learned ranking puts 第六条's 有情况、有分析、有建议 before
    # 第七条（三） for 正文光写建议, a miss noted in stop 34)
    answer = sample.checks_alone().answer(question)
    assert answer.found
    assert (answer.citations[0].source, answer.citations[0].locator) == (source, locator)


def test_hui_after_which_is_a_meeting_not_will(sample: Rulebook) -> None:
    """开哪些会 asks which meetings (会 as 会议; jieba left it alone as "will" and it was
    dropped, so the question was refused); 几次会被通报 keeps 会 as "will"."""
    # (the learned re-ranking puts 读书活动's 第一条 and 第二条 first, and the list of
    # meetings drops out of the three cited: measured and left so, bench/kb_rerank.py)
    answer = sample.ranked_with(translation_table()).answer("政协都开哪些会")
    assert answer.found
    assert ("meetings.md", "第二条") in [(c.source, c.locator) for c in answer.citations]
    assert figure_asked("字数") is not None and figure_asked("字数").search("1500字")


def test_asked_when_a_notice_was_issued_its_date_is_quoted() -> None:
    """哪天印发的: the date under the notice, not the sentence naming the plan and its year;
    哪年出的 asks the adoption date as 哪年通过的 does."""
    book = book_of_text(
        "tongzhi.txt",
        "示例市政协 关于印发《2022年委员读书活动计划》的通知\n各专委会：\n"
        "现将《2022年委员读书活动计划》印发给你们，请结合实际认真贯彻落实，各专委会要加强组织，"
        "按时报送读书活动开展情况，推动委员多读书、读好书、善读书，做到读书履职相促进。"
        "活动中遇到的问题和建议，请及时与市政协办公室联系，办公室将会同各专委会研究解决，"
        "并在年底对各专委会组织委员读书的情况进行总结，对表现突出的委员予以通报表扬。\n"
        "示例市政协办公室\n2022年4月28日\n"
        "2022年委员读书活动计划\n一、每半年推荐2本共读书目。\n",
    )
    answer = book.answer("2022年委员读书活动计划哪天印发的")
    assert answer.found and "2022年4月28日" in answer.citations[0].text
    rules = book_of_text(
        "guiding.txt",
        "示例请假规定\n（2003年10月23日示例市政协主席会议通过）\n"
        "为了改进会议作风，提高会议质量，依据本会常务委员会工作规则的有关规定，结合实际，"
        "对委员出席会议和请假事项作出如下规定，请各位委员遵照执行。委员出席会议的情况由办公室"
        "如实记录，记入委员履职档案，并作为年度考核和换届推荐的重要依据，各专委会应当督促落实。\n"
        "一、委员因病不能出席会议的，应当请假。\n",
    )
    answer = rules.answer("请假的规定哪年出的")
    assert answer.found and "2003年10月23日" in answer.citations[0].text


def test_a_place_named_says_whose_rules_are_meant(tmp_path: Path, sample: Rulebook) -> None:
    """威海市政协请假找谁批 is the 威海 rule's article, though only its title and adoption
    line name 威海 (that line was first, as holding the rarest word); a place no rule
    names is no unknown thing (the sample rules say 本会)."""
    for name, place, who in (
        ("weihai.txt", "威海市", "秘书长"),
        ("tongchuan.txt", "铜川市", "主席"),
    ):
        (tmp_path / name).write_text(
            f"会议请假规定\n（2013年7月31日政协{place}委员会常委会议通过）\n"
            f"第一条 为规范政协委员请假，制定本规定。\n第二条 政协委员应当按时出席会议。\n"
            f"第三条 政协委员因故不能出席会议的，应当提前请假，经{who}批准。\n",
            encoding="utf-8",
        )
    book = book_of_files(tmp_path)
    for place, source in (("威海市", "weihai.txt"), ("铜川市", "tongchuan.txt")):
        answer = book.answer(f"{place}政协开会请假找谁批")
        assert answer.found
        assert (answer.citations[0].source, answer.citations[0].locator) == (source, "第三条")
    answer = sample.answer("郑州市政协请假要提前几天")
    assert answer.found and answer.citations[0].locator == "第六条"
    assert not sample.answer("郑州这周天气怎么样").found


@pytest.mark.parametrize("question", ["下次常委会哪天开", "明年市政协全会几号开"])
def test_the_next_sittings_date_is_no_rules(sample: Rulebook, question: str) -> None:
    assert not sample.answer(question).found


def test_next_years_plan_in_a_rule_is_still_asked(sample: Rulebook) -> None:
    assert sample.answer("单位说已经列入明年计划 算什么类").found


def test_a_rule_numbered_by_sections_is_asked_by_article_number(tmp_path: Path) -> None:
    """长治规定第4条: the 四、 of the rule the question names, not another rule's 第四条."""
    (tmp_path / "changzhi.md").write_text(
        "# 政协示例市委员会关于反映社情民意信息工作的规定\n\n一、委员是反映社情民意信息的主体。\n\n"
        "二、信息应当一事一报。\n\n三、信息由办公室审核。\n\n四、每半年召开一次全系统信息工作会议。\n",
        encoding="utf-8",
    )
    (tmp_path / "shicha.txt").write_text(
        "示例市委员视察考察工作规定\n\n第一条 委员视察是重要的履职方式。\n第二条 视察由办公室组织。\n"
        "第三条 视察前应当学习有关材料。\n第四条 视察考察选题根据全体会议精神确定。\n",
        encoding="utf-8",
    )
    answer = book_of_files(tmp_path).answer("社情民意信息工作的规定第4条")
    assert answer.found
    assert (answer.citations[0].source, answer.citations[0].locator) == ("changzhi.md", "四、")


def test_members_say_laobaixing_and_benzhi_where_rules_say_qunzhong_and_zhiye() -> None:
    book = book_of_text(
        "zhangcheng.txt",
        "示例章程\n\n第三十三条 委员有表决权、选举权和被选举权。\n"
        "第三十四条 委员要密切联系群众，了解和反映群众的意见和要求。\n"
        "第三十五条 委员应当正确处理个人职业活动与履行职责的关系，不得利用委员身份谋取私利。\n",
    )
    first = book.answer("委员要不要联系老百姓 反映老百姓的意见")
    assert first.found and first.citations[0].locator == "第三十四条"
    second = book.answer("本职工作和履职的关系怎么处理")
    assert second.found and second.citations[0].locator == "第三十五条"


@pytest.mark.parametrize(
    ("question", "locator"),
    [
        # 影响 asks what follows from it (the rule says 记入档案); 缺会 is 缺席
        ("缺会会影响履职档案吗", "第八条"),
        # 劝退 is what the rule calls 辞去委员职务
        ("一年缺了2次全会 会被劝退吗", "第九条"),
    ],
)
def test_missing_meetings_asked_as_members_put_it(
    sample: Rulebook, question: str, locator: str
) -> None:
    answer = sample.answer(question)
    assert answer.found
    # (缺会…履职档案: the 履职档案 article listing what it records may go first)
    assert ("meetings.md", locator) in [(c.source, c.locator) for c in answer.citations[:2]]


def test_data_and_articles_are_what_rules_call_materials(sample: Rulebook) -> None:
    answer = sample.answer("提案调研数据能放附件吗")
    assert answer.found
    assert (answer.citations[0].source, answer.citations[0].locator) == ("proposals.md", "第八条")


@pytest.mark.parametrize(
    "question", ["哪些提案不予立案", "哪些提案不能被立案", "什么样的提案立不了案"]
)
def test_asked_which_proposals_are_not_registered_the_list_answers(
    sample: Rulebook, question: str
) -> None:
    """The article listing the cases (有下列情形之一的，不予立案：), not the one next to it on
    what follows (不予立案的提案，应当告知…) nor 第十三条 (经审查立案的提案…): 不能被立案 is
    what the rules call 不予立案."""
    answer = sample.answer(question)
    assert answer.found and answer.citations[0].locator == "第十一条"


def test_a_figure_is_read_in_the_best_passages_document(sample: Rulebook) -> None:
    """读书心得要写多少字: the reading rule states no length; the 社情民意 rule's 一千五百字,
    cited beside it, is about another thing."""
    assert not sample.answer("读书心得要写多少字").found
    answer = sample.answer("社情民意最多写多少字")
    assert answer.found and "一千五百字" in answer.citations[0].text


def test_a_notices_contact_person_is_answered_where_it_is_printed() -> None:
    book = book_of_text(
        "xuzhi.txt",
        "反映社情民意信息须知\n一、社情民意信息由联络委员会受理。\n"
        "二、信息通过委员履职平台提交。\n（联系人：王某；电话：0000-1234567）\n",
    )
    answer = book.answer("社情民意信息的联系人是谁")
    assert answer.found and "联系人" in answer.citations[0].text
    rules = book_of_text("banfa.txt", "示例办法\n第一条 社情民意信息由联络委员会受理。\n")
    assert not rules.answer("社情民意信息的联系人是谁").found  # no rule prints one


def test_a_place_named_is_answered_from_its_own_rules_or_not_at_all(tmp_path: Path) -> None:
    """闵行区社情民意被采用加几分, where 闵行区's rule says nothing of 社情民意: another
    committee's points are no answer for 闵行区's members."""
    (tmp_path / "minhang.txt").write_text(
        "闵行区政协委员履职积分管理细则\n一、参加全体会议的，每次计5分。\n二、提交提案的，每件计10分。\n",
        encoding="utf-8",
    )
    (tmp_path / "tongcheng.txt").write_text(
        "桐城市政协社情民意信息工作办法\n第一条 委员反映社情民意信息被采用的，每篇加5分。\n"
        "第二条 社情民意信息由办公室审核。\n",
        encoding="utf-8",
    )
    book = book_of_files(tmp_path)
    assert not book.answer("闵行区社情民意被采用加几分").found
    answer = book.answer("桐城市社情民意被采用加几分")
    assert answer.found and answer.citations[0].source == "tongcheng.txt"


def test_how_many_hui_asks_how_many_times() -> None:
    """开几回 / 跑几趟 count times, as the rules' 几次 do (回 alone named nothing, and the
    question found the article dated 二〇二六年)."""
    book = book_of_text(
        "guize.txt",
        "示例市政协会议规则\n"
        "第一条 为规范会议，制定本规则。\n"
        "第二条 全体会议每年举行一次，一般在一月召开。\n"
        "第三条 委员申请在全体会议上作大会发言的，应当在会议举行二十日前报送发言材料。\n"
        "第四条 常务委员一年内无故缺席常委会会议两次的，由主席进行谈话提醒。\n"
        "第五条 本规则自二〇二六年三月一日起施行。\n",
    )
    for question in ("全会一年开几回", "全会一年开多少趟"):
        answer = book.answer(question)
        assert answer.found, question
        assert answer.citations[0].locator == "第二条", question


def test_a_set_phrase_or_a_term_in_years_is_no_count_of_terms(sample: Rulebook) -> None:
    """连任几届 asks how many terms: 一届一档 (a word) and 每届任期五年 (a term's length)
    state none, so the sample rulebook, which sets no limit, answers nothing."""
    assert not sample.answer("委员能连任几届").found
    assert sample.answer("委员一届任期几年").found


def test_how_many_members_is_a_count_of_people() -> None:
    """一届政协有多少委员 found an adoption line (第十一届委员会) and 少于3件的委员: neither
    counts members; a rule stating 委员三百二十名 answers; 几个委员一起联名可以吗 is no count."""
    text = (
        "示例市政协委员管理办法\n"
        "（2017年6月20日政协示例市第十一届委员会第四十三次主席会议修订）\n"
        "第一条 每届任期内，无故缺席两次全体会议的委员，撤销其委员资格；届内提交提案少于3件的"
        "委员，换届时可建议其不再连任。\n"
        "第二条 委员可以个人名义或者几人联名提出提案。\n"
    )
    book = book_of_text("guanli.txt", text)
    assert not book.answer("一届政协有多少委员").found
    assert book.answer("几个委员一起联名提提案可以吗").found
    counted = book_of_text("guanli.txt", text + "第三条 本届委员会共有委员三百二十名。\n")
    answer = counted.answer("本届委员会有多少委员")
    assert answer.found and answer.citations[0].locator == "第三条"


@pytest.mark.parametrize(
    ("question", "source", "locator"),
    [
        # a phrase of the synonym file (最多多少字) glued the question into a word no rule holds
        ("提案最多多少字", "proposals.md", "第八条"),
        # 类型 / 种类 ask which there are, as 有哪些 does
        ("会议有哪些类型", "meetings.md", "第二条"),
        ("会议类型", "meetings.md", "第二条"),
        # 牵头 is who is in charge (负责); 啥时候开始 asks when, as 什么时候开始 does
        ("提案工作谁牵头", "proposals.md", "第三条"),
        ("书香政协啥时候开始的", "reading.md", "第二条"),
    ],
)
def test_members_wording_red_team_three(
    sample: Rulebook, question: str, source: str, locator: str
) -> None:
    """Phrasings a red team found refused while a one-word change answered."""
    answer = sample.answer(question)
    assert answer.found, question
    assert (answer.citations[0].source, answer.citations[0].locator) == (source, locator)


def test_by_phone_and_a_yes_no_tail_name_nothing() -> None:
    """打电话请假行不行 / 请假打个电话行吗: 打 and 行 are no words a rule must hold."""
    book = book_of_text(
        "qingjia.txt",
        "示例市政协委员请假规定\n"
        "第一条 委员因故不能出席会议的，应当在会前以书面或者电话形式向秘书处请假。\n"
        "第二条 委员每年参加视察活动不少于两次。\n"
        "第三条 出行可以打的，一人一行。\n",
    )
    for question in ("打电话请假行不行", "请假打个电话行吗"):
        answer = book.answer(question)
        assert answer.found, question
        assert answer.citations[0].locator == "第一条", question


def test_a_page_loaded_twice_is_cited_once(tmp_path: Path) -> None:
    """The same page saved under two file names took two of the three citations."""
    text = (
        "示例市政协委员请假规定\n"
        "第一条 委员因故不能出席会议的，应当在会前两天书面请假。\n"
        "第二条 委员请假由秘书长审批，遇突发情况可以会后补假。\n"
    )
    for name in ("qingjia.txt", "qingjia_copy.txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    answer = book_of_files(tmp_path).answer("请假要提前几天，谁审批", k=3)
    assert answer.found
    texts = [c.text for c in answer.citations]
    assert len(texts) == len(set(texts)) and len(texts) >= 2


def test_one_matter_per_report_is_also_written_yi_shi_yi_yi() -> None:
    """一事一议 is how some rules say 一事一报: 能写好几件事吗 found nothing to hold."""
    book = book_of_text(
        "xuzhi.txt",
        "反映社情民意信息须知\n"
        "一、反映社情民意信息是委员履职的重要方式。\n"
        "二、信息稿件应当围绕重要问题，一事一议，有情况、有分析、有建议，字数以1500字以内为宜。\n"
        "三、信息通过委员履职平台提交。\n"
        "四、委员每年至少报送一篇信息，信息应当写明反映人。\n",
    )
    answer = book.answer("社情民意能写好几件事吗")
    assert answer.found and answer.citations[0].locator == "二、"


def test_how_someone_is_chosen_is_answered_by_a_rule_naming_them() -> None:
    """专委会主任怎么产生的 quoted how the standing committee's members are elected: the rule
    must name who is chosen; asked of those it names, it answers."""
    book = book_of_text(
        "zuzhi.txt",
        "示例市政协组织办法\n"
        "第一条 常务委员会组成人员由全体会议选举产生，不经过选举不能成为常务委员会组成人员。\n"
        "第二条 专门委员会设主任一名、副主任若干名，负责组织委员开展视察调研。\n"
        "第三条 委员按界别编成若干委员小组，每组设召集人一名。\n"
        "第四条 委员应当参加本组活动。\n",
    )
    assert not book.answer("专委会主任怎么产生的").found
    answer = book.answer("常委会组成人员怎么产生的")
    assert answer.found and answer.citations[0].locator == "第一条"
    # a thing no rule names at all is no less unnamed: the sample's 选出少量重点提案
    sample = book_of_files(SAMPLE_RULEBOOK)
    assert not sample.answer("专委会主任是怎么选出来的").found
    answer = sample.answer("重点提案是怎么选出来的")
    assert answer.found and answer.citations[0].locator == "第十九条"


def test_not_coming_to_meetings_is_not_attending() -> None:
    """老不来开会会怎样: 不来开会 is what the rules call 不出席 (only 开会 was left to match)."""
    book = book_of_text(
        "guanli.txt",
        "示例市政协委员管理办法\n"
        "第一条 本会会议包括全体会议、常务委员会会议和主席会议。\n"
        "第二条 会议通知应当写明会议名称、时间和地点。\n"
        "第三条 委员连续两次无正当理由不出席全体会议的，由常务委员会撤销其委员资格。\n",
    )
    answer = book.answer("老不来开会会怎样")
    assert answer.found and answer.citations[0].locator == "第三条"


def test_a_thing_one_has_is_asked_about_though_tagged_a_verb(sample: Rulebook) -> None:
    """有补助吗, 有没有体检: jieba tags 补助 and 体检 as verbs, so the sample rulebook, which
    never names them, answered from 每年 and 履职; 有哪几种 still asks what a rule lists."""
    for question in ("委员每年有履职补助吗", "委员每年有补助吗", "每年有没有体检"):
        assert not sample.answer(question).found, question
    answer = sample.answer("社情民意审核状态有哪几种")
    assert answer.found and answer.citations[0].locator == "第八条"


def test_another_rules_length_does_not_answer_for_a_thing_it_does_not_name(
    tmp_path: Path,
) -> None:
    """读书心得要写多少字: a second 社情民意 page stating 1500字 held 写 and 字 as much as the
    reading rule held 读书心得, and its length was quoted for the reading note."""
    xuzhi = (
        "反映社情民意信息须知\n"
        "一、信息稿件应当一事一议，有情况、有分析、有建议，撰写时字数控制在1500字以内为宜。\n"
        "二、信息通过委员履职平台提交。\n"
    )
    book = sample_with(tmp_path, {"xuzhi.txt": xuzhi})
    assert not book.answer("读书心得要写多少字").found
    answer = book.answer("社情民意要写多少字")
    assert answer.found and any("1500" in c.text or "一千五百" in c.text for c in answer.citations)


def test_a_rate_per_report_is_no_count_of_reports(tmp_path: Path) -> None:
    """每报送一篇计十分 says what one report earns, not how many may be sent (asked of the
    sample rulebook without its duty rule, which states a least of 一篇 a year)."""
    book = sample_with(tmp_path, {}, without=("member_duties.md",))
    assert not book.answer("社情民义一年最多能报几篇").found
    answer = book.answer("社情民意报一篇计几分")
    assert answer.found and answer.citations[0].locator == "第十一条"


def test_an_adoption_line_answers_when_and_nothing_else(tmp_path: Path) -> None:
    """主席会议多久开一次 found （…第三十一次主席会议通过）, its figure read in the sample's
    每年举行一次; the line answers when the rule was adopted, and by which meeting."""
    tiaoli = (
        "示例省政协反映社情民意信息工作条例\n"
        "（2005年7月13日政协示例省第九届委员会第三十一次主席会议通过；"
        "2017年6月20日第四十三次主席会议修订）\n"
        "第一条 为做好反映社情民意信息工作，制定本条例。\n"
        "第二条 反映社情民意信息是政协委员履行职能的重要方式。\n"
    )
    book = sample_with(tmp_path, {"sheqing.txt": tiaoli})
    assert not book.answer("主席会议多久开一次").found
    for question in ("这个条例哪年修订的", "条例是哪次会议通过的"):
        answer = book.answer(question)
        assert answer.found and "2017年6月20日" in answer.citations[0].text, question


def test_the_next_elections_year_is_no_rules(sample: Rulebook) -> None:
    """下一次换届是哪年 asks a date no rule states (the sample's 换届推荐 answered it)."""
    assert not sample.answer("下一次换届是哪年").found


def test_a_deduction_asked_is_answered_by_a_deduction(tmp_path: Path) -> None:
    """缺席一次会扣多少分 quoted 参加学习培训，一次1分: the points an attendance earns."""
    head = "示例市政协委员考核办法\n二、考核内容\n1.参加市政协全体会议，一次2分；\n"
    earned = head + "2.参加市政协组织的学习、培训，一次1分；\n3.参加市政协组织的视察，一次2分。\n"
    assert not sample_with(tmp_path, {"kaohe.txt": earned}).answer("缺席一次会扣多少分").found
    deducted = head + "2.无故缺席会议的，每次扣3分。\n"
    answer = sample_with(tmp_path, {"kaohe.txt": deducted}).answer("缺席一次会扣多少分")
    assert answer.found and "扣3分" in answer.citations[0].text


def test_a_figure_is_read_of_the_thing_it_is_asked_of(sample: Rulebook) -> None:
    """提案案由最多多少字 quoted 提案正文…最多不超过一千五百字, the body's length; the
    figure must be stated in a sentence (or under a heading) naming what is asked."""
    assert not sample.answer("提案案由最多多少字").found
    assert not sample.answer("社情民意标题最多几个字").found
    answer = sample.answer("提案正文最多多少字")
    assert answer.found and answer.citations[0].locator == "第八条"
    answer = sample.answer("双月协商座谈会多久开一次")
    assert answer.found and answer.citations[0].locator == "第三条"


def test_where_a_meeting_is_held_is_answered_only_where_a_place_is_named(
    sample: Rulebook,
) -> None:
    """读书悦享会一般在哪办 quoted the article naming the event; last year's winners are
    no rule's either."""
    assert not sample.answer("读书悦享会一般在哪办").found
    assert not sample.answer("去年评上优秀委员的都有谁").found
    book = book_of_text(
        "dushu.txt",
        "示例市政协读书活动办法\n"
        "第一条 读书活动以读书群为基本单位。\n"
        "第二条 线下读书会每季度举办一次，一般在市政协机关三楼会议室举行。\n",
    )
    answer = book.answer("线下读书会一般在哪办")
    assert answer.found and answer.citations[0].locator == "第二条"


def test_a_matter_of_the_members_own_is_the_situation_not_the_subject() -> None:
    """我家孩子上学的事能提提案不: 孩子 and 上学 tell whose matter it is; the rule asked about is
    the ground on personal matters (第十条（五）), which names neither."""
    answer = book_of_files(REALISTIC).answer("我家孩子上学的事能提提案不")
    assert answer.found
    assert ("tian_tiaoli.txt", "第十条（五）") in [(c.source, c.locator) for c in answer.citations]


def test_a_banner_or_a_reporter_in_members_words() -> None:
    """打政协的旗号 is acting in the committee's name (名义), and a 记者 is the press: both were
    unknown things, so the questions were refused."""
    book = book_of_text(
        "guanli.txt",
        "示例市政协委员管理办法\n"
        "第一条 委员参加视察、调研应当服从统一安排，不得擅自以政协名义组织调研活动。\n"
        "第二条 委员接受新闻媒体采访，涉及本会工作的，应当事先向秘书处报告。\n"
        "第三条 委员应当按时参加会议。\n",
    )
    answer = book.answer("我自己能打政协的旗号搞调研吗")
    assert answer.found and answer.citations[0].locator == "第一条"
    answer = book.answer("记者采访我 要注意啥")
    assert answer.found and answer.citations[0].locator == "第二条"


def test_propose_a_proposal_and_people_then_can_are_cut_where_meant(sample: Rulebook) -> None:
    """提提按 was cut 提提 / 按 (no word of the rules), 多少人才能开 as 人才 (talent)."""
    answer = sample.answer("专委会能提提按吗")
    assert answer.found and answer.citations[0].locator.startswith("第四条")
    book = book_of_text(
        "guize.txt",
        "示例市政协常务委员会工作规则\n"
        "第一条 常务委员会会议须有常务委员过半数出席方能举行。\n"
        "第二条 常务委员会会议一般每季度举行一次。\n"
        "第三条 人才工作专题协商每年举行一次。\n",
    )
    # (人才 matched the talent article first; asked so, nothing matches 出席 or 过半数)
    answer = book.answer("常委会会议多少人才能举行")
    assert not answer.found or answer.citations[0].locator == "第一条"


def test_what_a_thing_is_is_the_unit_saying_the_thing_is_not_its_parts() -> None:
    # 反映社情民意信息是… defines it; …信息工作是… and …信息的主体是… say what its work and
    # its senders are (passages are read folded, their commas ASCII)
    book = book_of_text(
        "sqmy.txt",
        "示例社情民意信息工作须知\n\n一、反映社情民意信息工作是人民政协的一项经常性、基础性工作。\n"
        "二、反映社情民意信息的主体是政协委员、各参加单位和特邀信息员。\n"
        "三、反映社情民意信息是政协委员通过政协渠道向党委政府反映情况、提出建议的一种方式。\n"
        "四、社情民意信息一般不超过1500字。\n",
    )
    for question in ("社情民意信息 到底是啥", "啥是社情民意信息", "社情民意信息是什么意思"):
        assert book.answer(question).citations[0].locator == "三、", question


def test_a_meeting_is_not_named_by_a_synonym_s_part_another_meeting_holds() -> None:
    # 主席会议 has 主席开会 among its synonyms: Q9's 全体会议…开会 is not the 主席会议, and
    # no document says how often that meets
    book = book_of_files(REALISTIC.parent / "twelfth")
    assert not book.answer("主席会议多久开一次？").found
    assert book.answer("全体会议多久开一次").citations[0].locator.startswith("Q9")


def test_a_time_of_day_an_email_or_a_website_asked_is_one_a_cited_rule_prints() -> None:
    book = book_of_text(
        "huiyi.txt",
        "示例会议规定\n\n第一条 常务委员会会议一般每季度举行一次。\n"
        "第二条 委员应当在会议开始前十五分钟到达会场签到。\n"
        "第三条 分组讨论意见由召集人汇总，于当日十八时前报送秘书处。\n"
        "第四条 社情民意信息通过履职平台报送，也可以发送电子邮件至信息科。\n"
        "第五条 提案材料可以发送至 tian@example.gov.cn。\n"
        "第六条 提案写作应当注意以下几点：问题要实，建议要具体。\n",
    )
    assert not book.answer("常委会几点开始").found  # no rule prints a time of day
    assert book.answer("开会几点到会场").citations[0].locator == "第二条"
    assert book.answer("讨论意见几点前报上去").citations[0].locator == "第三条"
    assert not book.answer("信息科邮箱是多少").found
    assert book.answer("提案材料发哪个邮箱").citations[0].locator == "第五条"
    # points of a list are no time of day
    assert book.answer("提案写作要注意哪几点").citations[0].locator == "第六条"


def test_a_committee_of_another_level_is_answered_only_by_rules_speaking_of_it() -> None:
    city = book_of_text(
        "banfa.txt",
        "示例市政协履职办法\n\n第一条 常务委员会会议一般每季度举行一次。\n"
        "第二条 联名提出提案的，人数一般不超过十人。\n"
        "第三条 社情民意信息被全国政协采用的，每篇加8分；被省政协采用的，每篇加5分。\n",
    )
    assert not city.answer("省政协常委会 多久开一次").found
    assert not city.answer("全国政协委员联名提案 最多几个人").found
    assert city.answer("社情民意被全国政协采用几分").citations[0].locator == "第三条"
    assert city.answer("常委会多久开一次").citations[0].locator == "第一条"
    province = book_of_text(
        "hainan.txt",
        "政协海南省委员会委员履职规定（示例）\n\n第一条 委员每年至少提交一件提案。\n",
    )
    assert province.answer("省政协委员 每年要交几件提案").citations[0].locator == "第一条"


def test_our_county_is_whose_rules_and_a_total_is_no_bound() -> None:
    book = book_of_text(
        "banfa.txt",
        "示例县政协委员履职办法\n\n第一条 本办法适用于本县县政协委员。\n"
        "第二条 委员应当遵守本会章程。\n"
        "第三条 政协委员享有下列权利：（一）参加本会会议和活动；（二）提出提案。\n"
        "第四条 主席会议邀请的委员列席常委会会议，每次一般不超过二十名。\n",
    )
    # 咱县 says whose committee: the article on the rights answers, not the one holding 县
    assert book.answer("咱县政协委员 有啥权利").citations[0].locator == "第三条"
    # how many members there are is not how many come at most
    assert not book.answer("咱们县政协 一共多少个委员").found
    counted = book_of_text(
        "zhangcheng.txt", "示例县政协章程细则\n\n第二条 本届委员会共有委员二百三十名。\n"
    )
    assert counted.answer("咱们县政协 一共多少个委员").citations[0].locator == "第二条"


def test_a_year_asked_by_its_number_is_one_the_cited_text_speaks_of() -> None:
    book = book_of_text(
        "baogao.txt",
        "示例市政协常委会工作报告\n\n一、2024年工作回顾\n"
        "2024年共收到提案600件，经审查立案512件，确定重点提案20件。\n"
        "二、提案工作\n优秀提案每两年评选一次，由主席会议审定。\n",
    )
    assert book.answer("2024年立案多少件提案").citations[0].locator == "一、"
    assert not book.answer("2023年立案多少件提案").found
    assert not book.answer("2023年评上的优秀提案都有哪些").found
    assert book.answer("优秀提案多久评一次").citations[0].locator == "二、"
    # a work report names its year once, at the top, and says 全年 after
    report = book_of_text(
        "gongzuo.txt",
        "示例区政协常委会工作报告\n\n过去的2024年，区政协常委会围绕中心开展工作。\n"
        "一、提案工作\n全年立案提案224件，办复率100%。\n",
    )
    assert report.answer("2024年立案多少件提案").citations[0].locator == "一、"
    assert not report.answer("2023年立案多少件提案").found


def test_money_asked_about_is_named_by_the_rule_that_answers() -> None:
    book = book_of_text(
        "banfa.txt",
        "示例委员履职办法\n\n第十四条 委员出席会议所需交通费用由委员所在单位承担。\n"
        "第十五条 委员参加视察调研活动，由专门委员会统一组织，委员应当按时参加。\n"
        "第十六条 社情民意信息被采用的，不支付稿酬，计入履职积分。\n"
        "第十七条 年度考核优秀的委员，由本会通报表扬。\n"
        "第十八条 个人申请困难补助、商业保险理赔的事项，不作为提案提出。\n",
    )
    # (补助 is a word of the rules, in another article: the one on 视察调研 says nothing of it)
    assert not book.answer("参加视察调研 有没有补助").found
    assert not book.answer("参加视察调研 给买保险不").found  # a benefit in kind too
    assert not book.answer("评上优秀委员 发奖金不").found
    assert book.answer("开会的路费谁报销").citations[0].locator == "第十四条"
    assert book.answer("被采用有稿费吗").citations[0].locator == "第十六条"
    assert book.answer("视察调研谁组织").citations[0].locator == "第十五条"


def test_a_phone_or_an_email_asked_is_printed_by_the_best_rule_itself() -> None:
    book = book_of_text(
        "dushu.txt",
        "示例读书活动通知\n\n一、领读人\n4月共读由张明远副主席领读，地点在县图书馆。\n"
        "二、报送\n读书心得可以发送至电子邮箱dushu@example.gov.cn。\n"
        "三、联系\n读书办电话：0123-5551205。\n",
    )
    assert not book.answer("张明远副主席的电话").found
    assert not book.answer("张明远副主席的邮箱是啥").found
    assert book.answer("读书办的电话").citations[0].locator == "三、"
    assert book.answer("读书心得发送的邮箱是啥").citations[0].locator == "二、"


def test_a_q_and_a_page_asking_the_same_figure_answers_without_one() -> None:
    book = book_of_text(
        "wenda.md",
        "# 新委员问答\n\n**Q9：全体会议多久开一次？**\nA：每年召开，具体时间以通知为准。\n\n"
        "**Q12：一年能请几次假？**\nA：没有固定次数，但全年请假不能超过应参加会议总数的1/3。\n\n"
        "**Q13：主席会议由谁召集？**\nA：由主席召集。\n",
    )
    assert book.answer("一年能请几回假").citations[0].locator.startswith("Q12")
    # the page's question is about another meeting: no figure for this one
    assert not book.answer("主席会议多久开一次").found


def test_the_rule_printing_the_number_asked_for_is_cited_first() -> None:
    # 第十四条 names 委工委 and prints no number; Q25 names it too, with its room and phone
    book = book_of_files(REALISTIC.parent / "twelfth")
    answer = book.answer("委工委电话多少 在几楼")
    assert answer.citations[0].locator.startswith("Q25"), [c.locator for c in answer.citations]
    assert "0123-5551205" in answer.quote
    # 有事打哪个电话 asks the phone: 有事 and 打 are how it is asked
    assert book.answer("读书活动有事打哪个电话？").citations[0].locator == "九、"


def test_a_meeting_named_by_the_word_before_it_is_that_meeting() -> None:
    # 秘书长会议: the 会议 is the 秘书长's, not any meeting a rule says how often it meets
    book = book_of_text(
        "wenda.md",
        "# 新委员问答\n\n**Q9：全体会议多久开一次？**\nA：全体会议一般每年召开一次，会期3天。\n\n"
        "**Q10：秘书长管什么？**\nA：秘书长负责处理本会日常工作，主持秘书处会议。\n",
    )
    assert not book.answer("秘书长会议多久开一次").found
    assert book.answer("全体会议多久开一次").citations[0].locator.startswith("Q9")


def test_a_bonus_is_money_and_an_award_is_not() -> None:
    book = book_of_text(
        "jifen.txt",
        "示例积分办法\n\n第五条 履职积分不与任何物质奖励挂钩，主要用于激励委员履职。\n"
        "第二十二条 委员获得县级以上表彰奖励的，加5分。\n",
    )
    assert book.answer("履职积分有奖金吗").citations[0].locator == "第五条"
    awarded = book.answer("获得表彰奖励 有奖金没")
    assert not awarded.found or awarded.citations[0].locator != "第二十二条"


def test_an_address_asked_for_is_one_a_rule_prints_and_one_asked_about_is_not() -> None:
    book = book_of_text(
        "banfa.txt",
        "示例办法\n\n第三条 各乡镇设立委员联络站，委员每年到联络站接待群众不少于一次。\n"
        "第九条 提案应当写明提案人的姓名、工作单位、通讯地址和联系电话。\n"
        "第十条 新委员培训在县委党校举行。\n",
    )
    assert not book.answer("委员联络站都在哪 有具体地址吗").found
    assert not book.answer("委员联络站在哪儿").found  # an office, then where
    assert book.answer("提案上要写电话跟地址吗").citations[0].locator == "第九条"
    assert book.answer("新委员培训 在哪上课").citations[0].locator == "第十条"


def test_a_rate_asked_for_is_printed_and_a_thing_had_is_named() -> None:
    book = book_of_text(
        "banfa.txt",
        "示例办法\n\n第八条 提案人对办理答复不满意的，可以申请再次办理。\n"
        "第九条 承办单位的提案办理答复率应当达到100%。\n"
        "第二十八条 委工委每年安排不低于委员总数百分之二十的委员述职。\n",
    )
    assert not book.answer("提案办理满意率是多少").found
    assert book.answer("提案办理答复率要求是多少").citations[0].locator == "第九条"
    assert not book.answer("委员每年有体检安排吗").found
    assert book.answer("每年安排多大比例的委员述职").citations[0].locator == "第二十八条"


def test_a_count_asked_is_stated_of_the_thing_counted() -> None:
    book = book_of_text(
        "banfa.txt",
        "示例办法\n\n第三条 县政协聘请特邀信息员，每届聘请不超过30名，聘期与本届委员会相同。\n"
        "第四条 委员按照界别参加活动。\n"
        "第五条 提案人对办理情况作出满意、基本满意或者不满意的评价。\n",
    )
    assert not book.answer("本届政协有几个界别").found
    assert book.answer("提案人的评价有几种").citations[0].locator == "第五条"
    counted = book_of_text(
        "zhangcheng.txt",
        "示例县政协章程细则\n\n第二条 本届政协委员会设18个界别，委员按照界别参加活动。\n"
        "第三条 委员应当遵守章程。\n",
    )
    assert counted.answer("本届政协有几个界别").citations[0].locator == "第二条"


def test_a_reading_session_is_the_notice_s_offline_reading() -> None:
    # the notice says 线下共读 where members say 读书会: its leave rule, not the plenary's
    book = book_of_files(REALISTIC.parent / "twelfth")
    assert book.answer("读书会请假找谁？").citations[0].locator == "八、（一）"


def test_a_heading_naming_the_word_asked_is_answered_by_its_items() -> None:
    book = book_of_text(
        "sheqing.txt",
        "示例社情民意信息工作办法\n\n三、报送要求\n（一）格式\n1. 标题一般不超过20个字。\n"
        "（二）一事一报\n1. 每篇信息只反映一个问题，不得把几个问题合并在一篇中报送。\n"
        "2. 同一信息不得重复报送。\n四、采用\n信息采用后计入履职积分。\n",
    )
    answer = book.answer("一事一报啥意思")
    assert answer.found and answer.citations[0].locator.startswith("三、（二）")


def test_another_body_asked_about_is_answered_only_by_rules_naming_it() -> None:
    # (the checks alone: the second opinion takes 当选县人大代表了… for a near miss)
    book = book_of_files(REALISTIC.parent / "fourth").checks_alone()
    assert not book.answer("人大代表请假 谁批").found
    assert not book.answer("统战部每年 考核 政协委员吗").found
    # the member's own case naming a body is still this committee's question
    answer = book.answer("委员被纪委立案调查了 还能参加政协活动吗")
    assert answer.citations[0].locator == "第二十三条"
    assert (
        book.answer("当选县人大代表了 还能当政协委员吗")
        .citations[0]
        .locator.startswith("第二十八条")
    )


def test_a_rule_in_traditional_characters_speaks_of_its_committee() -> None:
    # 全國委員會 is 全国委员会: a question about 全国政协 is this chapter's
    book = book_of_text(
        "zhangcheng.txt",
        "中國人民政治協商會議章程（示例）\n\n第四章 全國委員會\n"
        "第四十三條 中國人民政治協商會議全國委員會全體會議每年舉行一次。\n"
        "第四十四條 全國委員會全體會議聽取和審議常務委員會的工作報告。\n",
    )
    assert book.answer("全国政协全体会议多久开一次").citations[0].locator == "第四十三條"


def test_who_holds_an_office_is_answered_by_a_notice_naming_them() -> None:
    book = book_of_text(
        "tongzhi.txt",
        "关于成立界别小组的通知\n\n一、领导小组\n组 长：王洪斌\n副组长：卢新桥、韩 斌\n"
        "领导小组下设办公室，办公室主任由陈涛兼任。\n"
        "二、界别小组\n1、中共界别小组（7人）\n组 长（召集人）：沙志钊\n联系处室：地区政协办公室\n"
        "三、工作要求\n界别小组组长负责召集本组活动，每季度不少于一次。\n",
    )
    assert book.answer("界别活动领导小组组长是谁").citations[0].locator == "一、"
    assert book.answer("中共界别小组召集人是谁").citations[0].locator.startswith("二、")
    # a rule on what the office does names no one
    rule = book_of_text(
        "guize.txt", "示例规则\n\n第五条 界别小组组长负责召集本组活动，每季度不少于一次。\n"
    )
    assert not rule.answer("界别小组组长是谁").found


def test_an_office_holder_s_own_leave_is_answered_by_a_rule_on_their_leave() -> None:
    book = book_of_text(
        "qingjia.txt",
        "示例请假规定\n\n第七条 委员请假由秘书长审批，审批结果通过履职平台告知。\n"
        "第八条 专门委员会组织的活动，由该专门委员会主任审批；专门委员会主任本人请假的，"
        "由分管副主席审批。\n",
    )
    # 委员请假由秘书长审批 says whom the 秘书长 approves, not who approves the 秘书长
    assert not book.answer("秘书长自己请假 谁批").found
    assert not book.answer("秘书长请假找谁").found  # named first, then away: his own leave
    assert not book.answer("秘书长 自己请假 谁批").found  # (typed with a space)
    assert book.answer("专委会主任自己请假 谁批").citations[0].locator == "第八条"


def test_a_committee_of_another_level_is_not_asked_of_a_county_s_own_rules() -> None:
    book = book_of_text(
        "banfa.txt",
        "政协示例县委员会委员履职办法\n\n第一条 县政协委员应当遵守本办法。\n"
        "第二条 县政协委员每年至少提交一件提案。\n"
        "第三条 县政协每年对委员履职情况进行通报。\n",
    )
    assert not book.answer("市政协委员一年要交几件提案").found
    assert book.answer("县政协委员一年要交几件提案").citations[0].locator == "第二条"
    assert book.answer("委员一年要交几件提案").citations[0].locator == "第二条"
    # 秘书长自己情假 (mistyped) is still the 秘书长's own leave
    assert not book.answer("秘书长自己情假 谁批").found


def test_the_score_a_grade_takes_is_answered_by_a_rule_naming_the_grade() -> None:
    book = book_of_text(
        "jifen.txt",
        "示例履职办法\n\n第七条 履职情况实行量化积分，年度满分为一百分，具体计分标准由秘书处另行制定。\n"
        "第九条 优秀读书心得择优汇编。\n",
    )
    # 一百分 is the full mark, and 优秀读书心得 no score: neither says what 优秀 takes
    assert not book.answer("积分多少算优秀").found
    graded = book_of_text(
        "kaohe.txt",
        "示例考核办法\n\n第十四条 年度积分90分以上为优秀，75分至89分为良好。\n"
        "第十五条 考核结果记入履职档案。\n",
    )
    assert graded.answer("积分多少算优秀").citations[0].locator == "第十四条"


def test_an_ordinal_is_no_count() -> None:
    book = book_of_text(
        "wenda.txt",
        "新委员问答\n\n1. 问：本届政协是第几届？\n答：第十一届县政协已经履职两年多，委员可以连任。\n"
        "2. 问：委员连任有限制吗？\n答：连任一般不超过两届。\n",
    )
    # 第十一届 counts no terms: the answer is the item saying how many
    assert book.answer("委员最多能连任几届").citations[0].locator.startswith("2.")
    alone = book_of_text(
        "wenda.txt",
        "新委员问答\n\n1. 问：本届政协是第几届？\n答：第十一届县政协已经履职两年多，委员可以连任。\n",
    )
    assert not alone.answer("委员最多能连任几届").found


def test_when_a_body_was_founded_is_answered_by_a_rule_dating_it() -> None:
    book = book_of_text(
        "banfa.txt",
        "示例县政协委员履职办法\n\n第十一条 县政协为每名委员建立履职档案，实行一人一档。\n"
        "第十二条 县政协委员工作委员会负责委员履职管理。\n"
        "第十三条 县政协读书小组成立后报委员工作委员会备案。\n",
    )
    # 建立履职档案 and 成立后报备案 date nothing: when the committee was founded no rule says
    assert not book.answer("县政协啥时候成立的").found
    dated = book_of_text(
        "jianjie.txt", "示例县政协简介\n\n一、沿革\n县政协成立于1984年，现有委员230名。\n"
    )
    assert dated.answer("县政协啥时候成立的").citations[0].locator == "一、"


def test_a_page_naming_itself_the_national_rule_speaks_of_the_national_committee() -> None:
    book = book_of_text(
        "tiaoli.txt",
        "政协提案工作条例\n发布时间：2025-03-27\n"
        "中国人民政治协商会议全国委员会提案工作条例的第三章 提案的提出\n"
        "第十五条 提案必须按照规定的格式提交。\n"
        "第十六条 提案可以在政协全体会议期间提出，也可以在闭会期间提出。\n",
    )
    assert book.answer("全国政协 闭会期间能提提案不").citations[0].locator == "第十六条"
    # quoting the national rule does not make a city's rules national
    city = book_of_text(
        "banfa.txt",
        "示例市政协提案办法\n\n第一条 根据《政协全国委员会提案工作条例》，制定本办法。\n"
        "第十六条 提案可以在全体会议期间提出，也可以在闭会期间提出。\n",
    )
    assert not city.answer("全国政协 闭会期间能提提案不").found
    # a template to download is printed where to, or not answered
    assert not book.answer("全国政协提案 格式模板在哪下").found


def test_a_place_no_rule_names_among_several_committees_rules_is_another_committee(
    tmp_path: Path,
) -> None:
    (tmp_path / "lanzhou.txt").write_text(
        "兰州市政协提案审查立案办法\n\n第五条 提案审查立案工作由提案委员会负责。\n",
        encoding="utf-8",
    )
    (tmp_path / "fuyang.txt").write_text(
        "阜阳市政协提案审查工作细则\n\n第三条 提案委员会负责提案的审查立案工作。\n",
        encoding="utf-8",
    )
    several = book_of_files(tmp_path)
    assert not several.answer("天水市政协 提案审查立案 谁负责").found
    assert several.answer("兰州市政协 提案审查立案 谁负责").citations[0].source == "lanzhou.txt"
    # one committee's rules say 本会: a member naming the city is asking of them
    one = book_of_text(
        "banfa.txt",
        "示例政协提案审查办法\n\n第五条 本会提案审查立案工作由政协提案委员会负责。\n"
        "第六条 提案审查立案应当在十个工作日内完成。\n",
    )
    assert one.answer("天水市政协 提案审查立案 谁负责").citations[0].locator == "第五条"


def test_among_several_committees_rules_a_place_named_is_answered_by_its_own(
    tmp_path: Path,
) -> None:
    (tmp_path / "yanbian.txt").write_text(
        "延边州政协委员履职考核办法\n\n第四条 委员履行职责的内容包括：\n（一）参加全体会议；\n"
        "（五）参加公益活动。\n第五条 考核每年进行一次。\n",
        encoding="utf-8",
    )
    (tmp_path / "tongcheng.txt").write_text(
        "桐城市政协委员履职考核办法\n\n三、加分项目\n（一）参加公益活动，每次加2分。\n"
        "（二）反映社情民意，每篇加5分。\n",
        encoding="utf-8",
    )
    several = book_of_files(tmp_path)
    # 延边州's rules list 公益活动 as a duty and give no points: 桐城's 2分 is another's
    assert not several.answer("延边州政协委员参加公益活动加几分").found
    assert several.answer("桐城市政协委员参加公益活动加几分").citations[0].locator == "三、（一）"


def test_how_often_and_how_long_a_meeting_is_held_is_said_of_that_meeting() -> None:
    book = book_of_text(
        "huiyi.txt",
        "示例会议制度\n\n第二条 本会会议主要包括：全体会议，每年举行一次，会期一般为3天；"
        "常务委员会会议；主席会议；专门委员会会议。\n"
        "第三条 全体会议的通知一般在会议召开7日前发出，委员应当按时报到。\n"
        "第四条 主席会议一般每月召开一次，研究处理常务委员会的重要日常工作。\n"
        "第五条 委员连续两次无故不出席常务委员会会议的，由秘书长约谈。\n",
    )
    assert _first(book, "全会多久开一次") == "第二条"
    # the article saying how often goes before the list naming the meeting
    assert _first(book, "主席会议多久开一次") == "第四条"
    assert _first(book, "全会一般开几天") == "第二条"
    # listed beside the plenary, the standing committee's frequency is stated nowhere; nor is
    # the length of a meeting in a notice's lead time (召开7日前)
    assert not book.answer("常委会一年开几次").found
    assert not book.answer("主席会议一般开几天").found


def test_a_level_asked_about_is_answered_by_that_levels_own_rule(tmp_path: Path) -> None:
    (tmp_path / "shi_sheqing.txt").write_text(
        "政协示例市委员会关于社情民意信息工作的规定\n\n"
        "（2012年7月10日政协第十二届示例市委员会常务委员会第二次会议通过）\n\n"
        "为做好社情民意信息工作，根据《中国人民政治协商会议全国委员会反映社情民意信息工作条例》"
        "等有关精神，结合本会实际，制定本规定。\n\n"
        "一、委员每届任期内每年至少报送社情民意信息1篇。\n二、信息被采用的，按规定计入履职积分。\n",
        encoding="utf-8",
    )
    (tmp_path / "zhangcheng_quanguo.txt").write_text(
        "中国人民政治协商会议章程 第四章 全国委员会\n\n"
        "第四十条 每届全国委员会的参加单位、委员名额和人选及界别设置，由常务委员会协商决定。\n\n"
        "第四十一条 中国人民政治协商会议全国委员会每届任期五年。如遇非常情况，"
        "由常务委员会全体组成人员三分之二以上的多数通过，可以延长任期。\n\n"
        "第四十三条 全国委员会全体会议每年举行一次。\n",
        encoding="utf-8",
    )
    book = book_of_files(tmp_path)
    # the city's rule names the national committee's; the national chapter says its term
    assert _first(book, "全国政协一届干几年") == "第四十一条"


def test_a_q_and_a_page_asking_which_answers_which() -> None:
    book = book_of_text(
        "wenda.txt",
        "提案问答\n\n7.问：哪些提案不会被立案？\n答：主要有以下几种情况：一是不属于本市职权范围的；"
        "二是为个人解决具体问题的；三是内容空泛的。\n\n"
        "8.问：提案没被立案怎么办？\n答：提案委员会会说明理由，委员可以修改完善后重新提交。\n\n"
        "9.问：提案交上去多久能知道立没立案？\n答：一般在10个工作日内完成审查。\n",
    )
    assert _first(book, "哪些提案不给立案？") == "7.问：哪些提案不会被立案？"


def test_a_slip_for_leave_split_by_the_segmenter_is_read_by_sound() -> None:
    book = book_of_text(
        "shicha.txt",
        "示例视察规定\n\n第八条 组织视察，一般应当提前5个工作日向参加人员发出通知。\n"
        "第九条 委员因故不能参加视察的，应当在活动开始2日前向组织活动的专门委员会请假。\n"
        "第十条 委员持证视察，应当提前10个工作日向办公室提交申请。\n",
    )
    assert _first(book, "提前几天请架") == "第九条"
    # a 请 that is no slip is no word of the question (请帮我看看)
    assert _first(book, "请帮我看看持证视察提前几天申请") == "第十条"


def test_whether_there_is_a_template_is_answered_by_a_rule_naming_one() -> None:
    rule = (
        "示例请假规定\n\n第七条 委员请假由秘书长审批，请假应当提交书面请假条。\n"
        "第八条 社情民意信息应当按照统一格式报送。\n第九条 委员应当按时参加会议。\n"
    )
    assert not book_of_text("qingjia.txt", rule).answer("请假条有模板吗").found
    given = rule + "第十条 请假条格式模板见附件。\n"
    assert _first(book_of_text("qingjia.txt", given), "请假条有模板吗") == "第十条"


def test_a_count_glued_to_its_verb_someone_and_a_monthly_routine_are_understood() -> None:
    book = book_of_text(
        "gongzuoshi.txt",
        "示例工作室办法\n\n一、工作室每年向专门委员会报送协商议题建议2至3个。\n"
        "二、建立工作室工作台账，按月整理归档。\n三、视察期间不接受宴请和礼品礼金。\n"
        "四、委员每年参加工作室活动不少于4次。\n",
    )
    assert _first(book, "专委会一年报几个协商议题") == "一、"  # 一年 / 报, not 年报
    assert _first(book, "工作室台账多久整理一次") == "二、"  # 按月 says how often
    assert _first(book, "视察时人家送礼品能收吗") == "三、"  # 人家: someone, no thing


def test_a_lead_time_an_hour_and_a_meetings_length_are_said_of_what_is_asked() -> None:
    rules = (
        "示例工作室办法\n\n一、工作室开展活动，应当提前3个工作日向对口专门委员会报备。\n"
        "二、接待日一般安排在每季度第二个月的第一个星期六上午。\n"
        "四、全体会议期间提交的提案，审查时间不超过全体会议闭幕后30日。\n"
        "五、委员每年参加工作室活动不少于4次。\n"
    )
    book = book_of_text("gongzuoshi.txt", rules)
    assert _first(book, "工作室活动要提前几天报备") == "一、"
    # the lead time of reporting an activity is none of asking leave from it
    assert not book.answer("工作室的活动去不了 要提前几天请假").found
    assert _first(book, "接待日是上午还是下午") == "二、"
    assert not book.answer("接待日上午几点开始").found  # told 上午, the hour is asked
    # 全体会议期间 and 闭幕后30日 say nothing of how long the plenary lasts
    assert not book.answer("全体会议一般开几天").found
    leave = book_of_text(
        "gongzuoshi.txt", rules + "三、委员不能参加活动的，应当提前1天向召集人请假。\n"
    )
    assert _first(leave, "工作室的活动去不了 要提前几天请假") == "三、"


def test_whether_a_missed_check_in_can_be_made_up_asks_a_rule_on_making_up() -> None:
    rules = (
        "示例读书活动通知\n\n一、委员通过履职平台打卡，每次上传不少于100字的读书笔记，每天最多计1次。\n"
        "二、线下共读每月举行一次，委员按时参加。\n三、委员每年至少提交读书心得1篇。\n"
    )
    assert not book_of_text("dushu.txt", rules).answer("读书打卡漏了一天 能补打吗").found
    made_up = rules + "四、因故漏打卡的，可以在当月内补打卡。\n"
    assert _first(book_of_text("dushu.txt", made_up), "读书打卡漏了一天 能补打吗") == "四、"


def test_which_room_is_asked_of_a_rule_printing_one() -> None:
    rules = "示例社情民意办法\n\n一、社情民意信息由县政协研究室负责收集整理。\n"
    rules += "三、委员每年至少报送信息2条。\n"
    assert not book_of_text("sqmy.txt", rules).answer("研究室在哪个房间").found
    room = rules + "二、纸质信息可以送至县政协机关三楼312室研究室。\n"
    assert _first(book_of_text("sqmy.txt", room), "研究室在哪个房间") == "二、"


def test_what_a_thing_is_for_is_answered_by_the_article_saying_what_it_is() -> None:
    book = book_of_text(
        "shicha.txt",
        "示例视察办法\n\n第一条 为规范委员视察工作，制定本办法。\n"
        "第二条 委员视察、考察是人民政协的一项基础性工作，是履行民主监督职能的重要形式。\n"
        "第三条 委员视察一般每年组织两次，由主席会议确定视察题目。\n",
    )
    assert _first(book, "委员视察有啥意义") == "第二条"
    assert _first(book, "视察算啥性质的工作") == "第二条"


def test_a_short_name_is_the_rules_long_one() -> None:
    book = book_of_text(
        "sqmy.txt",
        "示例社情民意办法\n\n第三条 委员可以围绕经济、政治、文化、社会建设和党的建设中的重要问题"
        "反映社情民意信息。\n第四条 社情民意信息每条一般不超过1500字。\n",
    )
    assert _first(book, "党建的问题能报社情民意吗") == "第三条"


def test_a_time_of_day_is_said_of_the_thing_asked() -> None:
    book = book_of_files(REALISTIC.parent / "twelfth")
    # Q4 prints the hour proposals are due by, which is no office's opening hours
    assert not book.answer("研究室上班时间几点到几点").found
    assert "3:00" in book.answer("读书会几点开始").quote


def test_who_interprets_a_rule_and_which_sitting_adopted_it() -> None:
    book = book_of_files(REALISTIC.parent / "fourteenth")
    assert book.answer("视察调研规定谁解释").citations[0].locator == "第二十一条"
    adopted = book.answer("这个视察规定是哪次会通过的")
    assert any("第二十三次主席会议" in c.text for c in adopted.citations)


def test_adopted_by_the_province_is_the_provinces_item(second: Rulebook) -> None:
    # 第十七条（三）被省政协采用的，每篇加6分, not （五）'s 省级以上领导批示
    assert _first(second, "被省里用了加几分") == "第十七条（三）"


def test_whom_a_body_answers_to_is_asked_by_its_leadership(second: Rulebook) -> None:
    # 归谁领导 asks who, as 由谁 does: 在常务委员会和主席会议领导下开展工作
    answer = second.answer("专委会归谁领导")
    assert "一、（三）" in [c.locator for c in answer.citations]


def test_the_period_points_are_counted_over_is_asked_as_a_time_span() -> None:
    book = book_of_text(
        "jifen.txt",
        "示例读书群办法\n\n第三条 履职积分按年度计算，每年1月1日至12月31日为一个积分周期。\n"
        "第五条 优秀读书群的评选标准包括：群内交流活跃，打卡率高，形成读书成果。\n"
        "第六条 委员每年至少提交读书心得1篇。\n",
    )
    assert _first(book, "积份按什么时间段算") == "第三条"
    assert _first(book, "优秀读书群看哪些方面") == "第五条"


def test_a_month_counted_is_the_rules_month() -> None:
    book = book_of_files(REALISTIC.parent / "twelfth")
    # 一个月: the notice's 每月 (线上打卡…每月不少于4次)
    answer = book.answer("一个月打卡4次给几分")
    # (the 履职管理办法's 当月…打卡达到4次的，得1分 answers as well, as the set says)
    assert answer.found and answer.citations[0].source in {
        "shuxiang_tongzhi.txt",
        "lvzhi_guanli.txt",
    }
    assert "4次" in answer.citations[0].text and "月" in answer.citations[0].text


def test_being_treated_to_a_meal_is_the_rules_banquet() -> None:
    book = book_of_text(
        "shicha.txt",
        "示例视察规定\n\n第十条 视察调研期间，参加人员应当遵守以下要求：\n（一）轻车简从，不搞层层陪同；\n"
        "（二）不接受宴请和礼品礼金，工作餐按规定标准安排；\n（三）不干预被视察单位的具体工作。\n"
        "第十一条 委员每年参加视察调研活动不少于2次。\n",
    )
    answer = book.answer("视察的时候被视察单位请吃饭 能去吗")
    assert answer.found and answer.citations[0].locator.startswith("第十条")


def test_what_kinds_there_are_is_the_article_listing_them() -> None:
    book = book_of_files(REALISTIC.parent / "fourteenth")
    # 第三条 视察调研主要有以下类型：…, beside the articles naming 视察 most often
    answer = book.answer("视察调研有哪几种类型")
    assert "第三条" in [c.locator for c in answer.citations]


def test_a_degree_asked_is_not_glued_to_the_noun_after_it() -> None:
    # 多大面积: jieba cuts 多 / 大面积, a word no rule holds; the rule says 面积…不少于30平方米
    book = book_of_files(REALISTIC.parent / "fourteenth")
    answer = book.answer("成立工作室场地要多大面积")
    assert answer.found and answer.citations[0].locator == "二、（一）1."
    assert "30平方米" in answer.citations[0].text


def test_a_share_written_with_a_percent_sign_answers_what_share() -> None:
    # 占多少 is 比例 / 百分之; the rule writes 20%, which its tokens hold as 百分之二十
    book = book_of_text(
        "gongzuoshi.txt",
        "示例工作室办法\n\n第八条 考核结果分为优秀、良好、合格、不合格四个等次，"
        "优秀等次一般不超过参加考核工作室总数的20%。\n"
        "第九条 本会对年度考核为优秀的工作室给予一定的工作经费支持。\n"
        "第十条 本会宣传工作室的优秀做法。\n",
    )
    assert _first(book, "优秀的工作室占多少") == "第八条"


def test_at_least_is_the_rules_so_many_or_more() -> None:
    # 至少几个: 有5名以上委员自愿加入, under the conditions for setting one up
    book = book_of_files(REALISTIC.parent / "fourteenth")
    answer = book.answer("至少几个委员才能成立工作室？", k=3)
    assert "二、（一）2." in [c.locator for c in answer.citations]


def test_when_a_rule_was_adopted_is_its_adoption_line_under_the_title() -> None:
    # the line （2025年4月10日…通过） holds none of 专委会工作规则: its title does
    book = book_of_files(REALISTIC.parent / "fifteenth")
    answer = book.answer("专委会工作规则啥时候通过的", k=3)
    assert answer.found and "2025年4月10日" in answer.citations[0].text


def test_an_ordinal_or_a_how_many_word_is_no_thing_asked() -> None:
    # 第2个, 好几次, 啥事: no passage needs to hold 第, 好 or 啥事
    book = book_of_files(REALISTIC.parent / "fifteenth")
    assert "第五条" in [c.locator for c in book.answer("想兼第2个专委会要谁同意", k=3).citations]
    answer = book.answer("专委会活动缺了好几次会扣分吗", k=3)
    assert answer.found and "扣5分" in answer.citations[0].text


def test_a_score_below_the_lowest_band_is_answered_by_that_band() -> None:
    book = book_of_files(REALISTIC.parent / "fifteenth")
    answer = book.answer("我考了58分算啥等次")
    assert answer.found and "60分以下为不合格" in answer.citations[0].text


def test_how_many_members_in_all_is_no_count_of_someone_else() -> None:
    # 1名联络员, 专家3至5人, 不超过5名 count others: no rule says how many members there are
    book = book_of_files(REALISTIC.parent / "fifteenth")
    assert not book.answer("县政协一共有多少名委员").found


def test_how_many_people_is_the_count_and_the_act_apart() -> None:
    # jieba keeps 几个人联名 whole; 人联名 is no word of any rule, 人 and 联名 are
    tokens = shared_tokenizer().tokens("社情民意能几个人联名")
    assert "联名" in tokens and "人" in tokens and "人联名" not in tokens
    # the passage saying 联名人一般不超过5人 is among the first few
    book = book_of_files(REALISTIC.parent / "fifteenth")
    hits = book.retrieve("社情民意能几个人联名", k=5)
    assert any("联名人一般不超过5人" in h.entry.text for h in hits)


def test_a_notices_own_contact_line_answers_who_to_contact() -> None:
    # the best passage (委员参与) prints no contact; the notice's 联系人：… line does
    book = book_of_files(REALISTIC.parent / "fifteenth")
    answer = book.answer("文史征集的联系人是谁", k=3)
    assert answer.found and "联系人：" in answer.citations[0].text


def test_a_synonym_in_the_heading_counts_as_the_word_itself_would() -> None:
    # 常委会 is 常务委员会, which only the heading (（二）常务委员会会议) writes
    book = book_of_files(REALISTIC.parent / "fourth")
    answer = book.answer("常委会请架 谁批准", k=3)
    assert "二、（二）1." in [c.locator for c in answer.citations]


def test_a_figure_under_a_heading_naming_it_is_the_figure_asked() -> None:
    # 加几分: the item 每件加5分 under the heading 加分项目, which only the heading calls 加分
    book = book_of_files(REALISTIC.parent / "fifteenth")
    answer = book.answer("提案评上优秀加几分", k=3)
    assert answer.found and "每件加5分" in " ".join(c.text for c in answer.citations)


def test_from_when_a_rule_applies_is_the_article_saying_so() -> None:
    # 啥时候开始执行: 本办法自2025年3月1日起施行, before the line saying when it was adopted
    book = book_of_files(REALISTIC.parent / "eighteenth")
    answer = book.answer("社情民意办法啥时候开始执行", k=3)
    assert answer.found and "2025年3月1日起施行" in answer.citations[0].text


def test_lone_characters_beside_a_thing_no_rule_names_are_no_answer() -> None:
    # 减肥, 春节: no rule names them; 快 and 放…假 alone are no evidence of an answer
    # (the checks alone: the learned ranking puts a 请假 item with 几天 first, which then
    # passes them, and the answer model lets it through, a near miss noted in stop 34)
    book = book_of_files(REALISTIC.parent / "eighteenth").checks_alone()
    assert not book.answer("怎么减肥比较快").found
    assert not book.answer("今年春节放几天假").found
    # (lone characters with nothing unheard of asked still answer: 提前几天 请假)
    answer = book.answer("全会请假提前几天", k=3)
    assert answer.found and "开幕前3日" in " ".join(c.text for c in answer.citations)


def test_a_time_of_day_answers_what_hours() -> None:
    # 几点到几点开: 委员之家工作日9:00—17:00开放
    book = book_of_files(REALISTIC.parent / "eighteenth")
    answer = book.answer("委员之家平时几点到几点开", k=3)
    assert answer.found and "9:00" in answer.citations[0].text


def test_a_heading_spelled_by_the_question_is_what_its_items_are() -> None:
    # 基本义务 is the heading （一）基本义务 over items 1.–4., none of which says 义务
    book = book_of_files(REALISTIC.parent / "eighteenth")
    answer = book.answer("当委员有哪些基本义务", k=3)
    assert answer.found and answer.citations[0].locator.startswith("二、（一）")


def test_which_sitting_adopted_a_rule_is_no_count_asked() -> None:
    # 第几次会议通过的: which sitting (第二十六次主席会议), not how many times
    book = book_of_files(REALISTIC.parent / "seventeenth")
    answer = book.answer("提案办理细则是主席会议第几次会议通过的", k=3)
    assert answer.found and "第二十六次主席会议通过" in answer.citations[0].text
    # 哪个会上过的: the words asking which sitting are no words the rule must hold
    answer = book.answer("实施办法是哪个会上过的", k=3)
    assert "第十二次会议通过" in " ".join(c.text for c in answer.citations)


def test_who_runs_the_site_is_quoted_from_its_footer_without_the_links() -> None:
    book = book_of_files(REALISTIC.parent / "eighteenth")
    answer = book.answer("网站技术支持是谁", k=3)
    assert answer.found and answer.citations[0].text == "技术支持：范例县融媒体中心"
    # (the footer's 关于我们 | 网站地图 | 联系我们 is no part of the page's last answer)
    assert not any("网站地图" in c.text for c in answer.citations)


def test_the_level_asked_picks_the_line_quoted() -> None:
    # 省政协用了几分: 被省政协采用的，每篇计4分, not the list's last line on 稿件
    book = book_of_files(REALISTIC.parent / "twentieth")
    answer = book.answer("省政协用了我的稿子 几分", k=3)
    assert answer.found and answer.citations[0].text == "被省政协采用的，每篇计4分；"


def test_what_hours_an_office_keeps_is_asked_of_the_line_printing_them() -> None:
    # 几点上班几点下班: 几点 is the hour asked (not a count told in passing), 上班 the hours
    book = book_of_files(REALISTIC.parent / "seventeenth")
    answer = book.answer("联络科几点上班几点下班", k=3)
    assert answer.found and answer.citations[0].locator.startswith("三十、")


def test_who_holds_an_office_is_asked_in_any_clause() -> None:
    # 召集人是谁 电话给一个, 科长姓啥: a person is asked; a rule naming no one does not answer
    assert asks_for_a_person("我们界别召集人是谁 电话给一个")
    assert asks_for_a_person("委员联络科科长姓啥")
    assert asks_for_a_person("政协主席 现在是谁")
    assert not asks_for_a_person("提案谁来审查")
    assert asks_for_a_phone_number("叶晨的手机号有吗")  # (asked whether there is one)
    book = book_of_files(REALISTIC.parent / "seventeenth")
    assert not book.answer("提案委员会主任是谁 他手机号多少").found


def test_a_figure_is_asked_of_the_thing_in_its_own_clause() -> None:
    # 能去外地考察吗 一年几次: how often is asked of the trips, not of 外地 in the clause before
    book = book_of_files(REALISTIC.parent / "twentyfirst")
    answer = book.answer("能去外地考察吗 一年几次", k=3)
    assert answer.found and "不超过1次" in answer.citations[0].text


def test_a_count_is_of_the_thing_not_of_what_it_does() -> None:
    # 几个委员坐班: 安排委员2至4人 counts the members, whatever 坐班 is called
    book = book_of_files(REALISTIC.parent / "nineteenth")
    answer = book.answer("每次接待日几个委员坐班", k=3)
    assert answer.found and "2至4人" in answer.citations[0].text
    # 几个人合写的: several people, no count asked
    assert figure_unit("几个人合写的调研报告以谁的名义报") is None
    assert figure_unit("几个人可以联名") == "人"


def test_how_many_closing_a_question_asks_a_count_a_rule_must_state() -> None:
    # 评几个: a count in whatever unit the rule counts the thing (10名, 5件, 10%);
    # 哪几个 asks which, not how many
    assert figure_unit("书香委员一年评几个") == "个"
    assert figure_unit("专委会设几个 人员谁定") == "个"
    assert figure_unit("有哪几个") is None
    book = book_of_files(REALISTIC.parent / "twentyfifth")
    assert not book.answer("优秀委员一年评多少个", k=3).found  # no rule says how many
    answer = book_of_files(REALISTIC.parent / "fifteenth").answer(
        "特邀研究员每个专委会能请几个 聘多久", k=3
    )
    assert answer.found and answer.citations[0].locator == "第九条"


def test_members_words_for_the_congress_and_a_resignation_letter() -> None:
    # 人代会 is the 人民代表大会 a rule names; 辞职信 the 书面提出辞职 it asks for
    book = book_of_files(REALISTIC.parent / "eighteenth")
    answer = book.answer("政协开全会的时候要去列席人代会吗", k=3)
    assert "列席县人民代表大会" in " ".join(c.text for c in answer.citations)
    answer = book.answer("劝辞后一直拖着不交辞职信会咋样", k=3)
    assert "视为拒不辞职" in " ".join(c.text for c in answer.citations)


def test_which_places_asks_which_bodies() -> None:
    # 抄送给哪些地方: 哪些地方 asks which, as 哪些 does; it is no place a rule must name
    assert "哪些地方" not in shared_tokenizer().tokens("答复件要抄送给哪些地方")


def test_a_fee_asked_about_is_named_by_the_rule_that_answers() -> None:
    # 会费: no rule names a membership fee; 一年至少要报多少 is about reports, not money
    book = book_of_files(REALISTIC.parent / "fifteenth")
    assert not book.answer("政协委员要交会费吗 一年交多少").found


def test_the_platforms_workings_are_asked_of_a_rule_naming_them() -> None:
    # 绑定两个手机号: a rule on reporting a new phone number says nothing of the platform's
    book = book_of_files(REALISTIC.parent / "seventeenth")
    assert not book.answer("履职平台能绑定两个手机号吗").found


def test_a_length_asked_per_head_is_of_the_thing_not_of_the_head() -> None:
    # 一个人能讲多久: 口头发言每人不超过八分钟; 个人 is no thing the length is of
    book = book_of_files(REALISTIC.parent / "seventeenth")
    answer = book.answer("大会口头发言一个人能讲多久", k=3)
    assert answer.found and "八分钟" in answer.citations[0].text


def test_members_named_for_a_task_are_no_count_of_all() -> None:
    # 指定1名委员代为召集 names one member for a task: no rule says how many there are
    book = book_of_files(REALISTIC.parent / "twentysecond")
    assert not book.answer("县政协一共有多少名委员").found


def test_a_word_written_whole_but_cut_otherwise_is_held() -> None:
    # 常委会议题 is cut 常委 / 会议 / 题: the article still holds 常委会 and 议题
    book = book_of_files(REALISTIC.parent / "eighteenth")
    answer = book.answer("常委会的议题是谁定的", k=3)
    assert answer.found and "议题由主席会议研究确定" in answer.citations[0].text


def test_the_most_a_score_reaches_is_asked_of_a_rule_stating_a_total() -> None:
    # 满分: a points rule listing what each item earns states no total; one that does answers
    assert not book_of_files(REALISTIC.parent / "twentysecond").answer("年度积分满分是多少").found
    answer = book_of_files(REALISTIC.parent / "twelfth").answer("积分满分多少 分哪几块", k=3)
    assert answer.found


def test_members_words_for_money_and_for_who_organises() -> None:
    # 钱从哪出 asks where the 经费 comes from; 谁张罗 who is 负责
    book = book_of_files(REALISTIC.parent / "twentyfifth")
    answer = book.answer("活动花的钱从哪出", k=3)
    assert "经费" in " ".join(c.text for c in answer.citations)
    book = book_of_files(REALISTIC.parent / "twentythird")
    answer = book.answer("协商的调研和发言是哪个委员会张罗", k=3)
    assert answer.found and "负责" in " ".join(c.text for c in answer.citations)


def test_how_often_a_body_meets_is_read_with_the_line_leading_its_list() -> None:
    # 委员联络组履行下列职责：…（二）每季度至少召开1次组务会议: the item is the 联络组's
    book = book_of_files(REALISTIC.parent / "twentythird")
    answer = book.answer("联络组多久开一回组务会", k=3)
    assert answer.found and "每季度至少召开1次组务会议" in answer.citations[0].text


def test_what_a_rule_is_for_is_its_purpose_sentence() -> None:
    # 图个啥, 为了干啥: the first article's 为…，制定本办法 of the rule the question names
    answer = book_of_files(REALISTIC.parent / "twentyfifth").answer("弄界别活动组是为了干啥", k=3)
    assert answer.found and answer.citations[0].locator == "第一条"
    assert answer.citations[0].source == "jiebie_banfa.md"
    answer = book_of_files(REALISTIC.parent / "twentyfourth").answer("搞这个提案条例图个啥", k=3)
    assert answer.found and answer.citations[0].locator == "第一条"


def test_a_persons_mobile_is_not_the_offices_landline() -> None:
    # the Q&A prints the contact's landline; 手机号 asks a mobile no rule prints
    book = book_of_files(REALISTIC.parent / "twentyfifth")
    assert not book.answer("林若溪手机号多少").found
    assert book.answer("有问题找谁咨询 电话多少").found


def test_a_count_is_of_the_thing_named_next_to_it() -> None:
    # 每个专门委员会一般报送1至3个 counts the topics a committee sends, not the committees
    book = book_of_files(REALISTIC.parent / "fourteenth")
    assert not book.answer("政协有几个专门委员会").found
    # 全体组成人员三分之二以上 is a share of the 常务委员会 in its clause
    answer = book_of_files(REALISTIC).answer("提前换届得多少常委点头", k=3)
    assert answer.found and "三分之二" in answer.citations[0].text


def test_how_long_a_term_is_asked_of_a_rule_stating_it_in_years() -> None:
    # 委员一届干几年: 届内第二年 and 每两年评选一次 are years within a term, not its length
    assert not book_of_files(REALISTIC.parent / "third").answer("委员一届干几年").found
    answer = book_of_files(REALISTIC).answer("政协一届干几年啊", k=3)
    assert answer.found and "五年" in answer.citations[0].text


def test_how_often_a_body_meets_is_not_read_off_a_points_tables_row() -> None:
    # 出席常委会议 | 3分/次 scores a sitting; no row or rule says how often the 常委会 meets
    book = book_of_files(REALISTIC.parent / "twentysecond")
    assert not book.answer("常委会一年开几次").found


def test_how_someone_is_chosen_is_asked_of_a_rule_saying_how() -> None:
    # 专委会主任 is named by many rules; none says how one is chosen
    book = book_of_files(REALISTIC.parent / "twentyfourth")
    assert not book.answer("专委会主任是怎么选出来的").found
    # (the plenary electing them, 第二十六条（二）, may come first: it says so too)
    answer = book_of_files(REALISTIC).answer("常委是咋选出来的", k=3)
    assert answer.found and "选举" in answer.citations[0].text
    assert any("选举产生" in c.text for c in answer.citations[:2])


def test_a_sum_of_money_is_asked_of_a_rule_printing_one() -> None:
    # 经费 is named (纳入预算, 据实开支) but no sum: 一年有多少 is not answered
    book = book_of_files(REALISTIC.parent / "twentyfirst")
    assert not book.answer("界别活动经费一年有多少").found
    assert not book.answer("示范委员工作室每年给多少活动经费").found


def test_the_month_asked_is_asked_of_a_rule_naming_one() -> None:
    # the Q&A says what to bring to the 全会, never in which month it sits
    book = book_of_files(REALISTIC.parent / "twentyfifth")
    answer, relaxed, _ = book.second_opinion_case("全体会议一般在几月召开", k=3)
    assert not answer.found and "not_said" in relaxed.overruled
    assert not book.answer("全体会议一般在几月召开").found


def test_members_words_for_assigning_and_rejecting_a_proposal() -> None:
    # 派下去 is 交办; 没给立 is 不予立案
    book = book_of_files(REALISTIC.parent / "twentyfourth")
    assert book.answer("立案后多少天派下去", k=3).found
    assert book.answer("没给立 会跟我讲为啥吗", k=3).found


def test_this_years_facts_are_read_in_a_notice_of_that_year() -> None:
    # 今年的主题: the year's plan (2025年…实施方案) says; 今年全会哪天开: no document names the day
    book = book_of_files(REALISTIC.parent / "twentyninth")
    answer = book.answer("今年书香政协的主题是什么", k=3)
    assert answer.found and "shuxiang_fangan.txt" in [c.source for c in answer.citations]
    assert not book.answer("今年区政协全会哪天开").found
    # a rulebook of rules only still says nothing of this year
    assert not book_of_files(REALISTIC).answer("今年全会几号开").found


def test_the_members_own_year_is_the_situation_not_this_years_facts() -> None:
    # 我今年…去了8次 能算多少分: what the points rule makes of it is asked, not a count of the year
    book = book_of_files(REALISTIC.parent / "fiftyseventh")
    answer = book.answer("我今年专委会活动去了8次 能算多少分", k=3)
    assert answer.found and answer.citations[0].source == "lvzhi_dangan.txt"
    assert not book.answer("今年专委会活动一共搞了多少次").found


def test_a_contact_asked_is_quoted_from_the_contact_line() -> None:
    # 对接人 is the 联系人 a notice prints on a line of its own under its closing sentence
    answer = book_of_files(REALISTIC.parent / "twentyfourth").answer("信息这块对接人是谁", k=3)
    assert answer.found and "周明远" in answer.citations[0].text


def test_where_to_report_is_asked_of_a_rule_naming_a_place() -> None:
    # the Q&A says what to bring and when to report, not where
    assert not book_of_files(REALISTIC.parent / "twentyfifth").answer("全会去哪里报到").found


def test_where_a_meeting_is_held_is_the_notices_venue() -> None:
    # 会在哪开: the notice's 会议地点, not where members register (报到地点)
    book = book_of_files(REALISTIC.parent / "thirtyeighth")
    answer = book.answer("会在哪开", k=3)
    assert answer.found and "会议地点" in answer.citations[0].text


def test_a_sessions_arrangements_in_everyday_words() -> None:
    # 早饭 is the notice's 早餐, 带回家 its 带离, 吃顿饭 its 宴请
    book = book_of_files(REALISTIC.parent / "thirtyeighth")
    breakfast = book.answer("早饭几点", k=3)
    assert breakfast.found and "早餐7:00" in breakfast.citations[0].text
    papers = book.answer("会议材料能带回家吗", k=3)
    assert papers.found and "不得带离会场" in papers.citations[0].text
    dinner = book.answer("开会期间能请朋友吃顿饭吗", k=3)
    assert dinner.found and "宴请" in dinner.citations[0].text


def test_a_documents_number_is_answered_from_the_line_printing_it() -> None:
    # 文号: no rule says the word; the line under the title (范本政办发〔2025〕7号) answers,
    # kept though it stands above the title as a site's short lines do
    book = book_of_files(REALISTIC.parent / "twentyninth")
    answer = book.answer("履职活动那个文件文号多少", k=3)
    assert answer.found and "范本政办发〔2025〕7号" in answer.citations[0].text
    # the document named, of several printing one; a rule printing none has none
    two = book_of_files(REALISTIC.parent / "thirtyninth")
    answer = two.answer("考勤规定的文号是多少", k=3)
    assert answer.found and "栖棠政协发〔2025〕3号" in answer.citations[0].text
    answer = two.answer("履职办法的文号是多少", k=3)
    assert answer.found and "栖棠政办发〔2025〕4号" in answer.citations[0].text
    assert not two.answer("提案条例的文号是多少", k=3).found


def test_a_documents_full_name_is_its_title_line() -> None:
    # 提案条例的全称叫啥: no passage holds the title; its line answers, cited as the 标题
    book = book_of_files(REALISTIC.parent / "eightysecond")
    answer = book.answer("提案条例的全称叫啥", k=3)
    assert answer.found and answer.citations[0].source == "tian_tiaoli.txt"
    assert answer.citations[0].locator == "标题"
    assert "政协雁汀市委员会提案工作条例" in answer.text
    assert answer.citations[0].text == "政协雁汀市委员会提案工作条例"
    # a person's full name is no document's
    person = book.answer("提案委主任全名叫啥", k=3)
    assert all(c.locator != "标题" for c in person.citations)


def test_a_documents_number_printed_amid_other_words_is_found() -> None:
    # after it the office and the date (萝政协办发〔2024〕6号　…2024年3月20日印发), an
    # office writing 办 alone (鹭湄政协办〔2024〕5号), inside the adoption line
    for folder, question, number in (
        ("eightyfourth", "请假考勤规定的文号是多少", "萝政协办发〔2024〕6号"),
        ("eightyfifth", "读书活动方案的文号是多少", "鹭湄政协办〔2024〕5号"),
        ("seventyfifth", "实施细则文号是多少", "岚政协发〔2024〕3号"),
    ):
        answer = book_of_files(REALISTIC.parent / folder).answer(question, k=3)
        assert answer.found and number in answer.citations[0].text, question


def test_a_verb_said_apart_is_the_rules_word() -> None:
    # 请几次假 is 请假 so many times; 签个到 is 签到; 不得超过 is how a rule says 最多
    # (the checks alone: the second opinion takes 一年最多能请几次假 for a near miss)
    book = book_of_files(REALISTIC.parent / "thirtyninth").checks_alone()
    answer = book.answer("一年最多能请几次假", k=3)
    assert answer.found
    assert "不得超过4次" in " ".join(c.text for c in answer.citations)
    signed = book_of_files(REALISTIC.parent / "twentyseventh").answer(
        "开会我去不了 让同事替我签个到行不", k=3
    )
    assert signed.found and "签到" in signed.citations[0].text


def test_a_pages_notes_answer_what_members_ask_of_the_page() -> None:
    # 啥时候发的: the line printing 发布时间 2025-03-04; 看的人多不多: 浏览次数; 哪个部门出的: 来源
    book = book_of_files(REALISTIC.parent / "thirtyninth")
    posted = book.answer("那篇提案问答是啥时候发的", k=3)
    assert posted.found and "2025-03-04" in posted.citations[0].text
    read = book.answer("提案问答那篇看的人多不多", k=3)
    assert read.found and "浏览次数：1286" in read.citations[0].text
    source = book.answer("网站上那个提案问答是哪个部门出的", k=3)
    assert source.found and "来源：县政协提案委员会办公室" in source.citations[0].text


def test_absent_so_many_times_is_what_the_rules_call_absence() -> None:
    # 缺2次会, 缺了两回: 缺席 so many times
    book = book_of_files(REALISTIC.parent / "thirtyninth")
    answer = book.answer("一年缺2次会咋样", k=3)
    assert answer.found and answer.citations[0].locator == "第十三条"


def test_what_a_thing_is_for_is_asked_of_what_it_is() -> None:
    # 书香政协是干啥的: the question asking what it is (干什么的), not any naming it
    book = book_of_files(REALISTIC.parent / "thirtyeighth")
    answer = book.answer("书香政协是干啥的", k=3)
    assert answer.found and answer.citations[0].locator.startswith("Q1：")


def test_a_points_tables_bare_cells_are_points() -> None:
    # 每条计分 names the column: 被《青禾社情民意》编发 | 3 is three points
    book = book_of_files(REALISTIC.parent / "thirtyeighth")
    answer = book.answer("信息被编发了能得几分", k=3)
    assert answer.found and "编发 | 3" in answer.citations[0].text


def test_how_long_until_is_not_answered_by_how_often() -> None:
    # 多久要答复 asks a time limit; 每年…不超过3件 says how many a year, no limit
    book = book_of_files(REALISTIC.parent / "fortyfirst")
    assert not book.answer("提案立案了 承办单位多久要答复", k=3).found
    assert not book.answer("重点提案办理时限多久", k=3).found
    # ... while 多久开一次 is answered by a period (每季度举行一次)
    assert asks_for_a_figure("主席会议多久开一次").search("每季度召开一次")  # type: ignore[union-attr]
    assert not asks_for_a_figure("承办单位多久要答复").search("每年提出1次")  # type: ignore[union-attr]


def test_a_leader_named_by_office_is_whom_the_rules_call_leaders() -> None:
    # 县长批示: 县委、县政府主要领导批示; 副县长: 其他县领导
    answer = book_of_files(REALISTIC.parent / "fortyfirst").answer("县长批示了能加几分", k=3)
    assert answer.found and "主要领导批示" in answer.citations[0].text
    other = book_of_files(REALISTIC.parent / "thirtyeighth").answer("副县长批了一条算几分", k=3)
    assert other.found and "其他县领导批示" in other.citations[0].text


def test_half_the_members_asks_the_quorum() -> None:
    # 来了一半人能开吗: the article on 过半数 present
    answer = book_of_files(REALISTIC.parent / "fortyfirst").answer(
        "专委会开会来了一半人 能开吗", k=3
    )
    assert answer.found and "过半数委员出席" in answer.citations[0].text


def test_a_fax_number_is_answered_only_by_a_line_printing_one() -> None:
    # 会务科传真号多少: the office's telephone line is no fax number
    book = book_of_files(REALISTIC.parent / "thirtysecond")
    assert not book.answer("会务科传真号多少", k=3).found
    fax = book_of_files(REALISTIC.parent / "thirtyninth").answer("考勤的传真号多少", k=3)
    assert fax.found and "传真：0123-5581320" in fax.citations[0].text


def test_an_offices_room_is_not_another_offices() -> None:
    # 委员服务科在几号房间: the notice's rooms are the venue's, not that office's
    book = book_of_files(REALISTIC.parent / "thirtyfourth")
    assert not book.answer("委员服务科在几号房间", k=3).found
    # ... while an office the passage names is answered where it prints its room
    room = book_of_files(REALISTIC.parent / "thirtyninth").answer("委员工作室在几楼", k=3)
    assert room.found and "2楼206室" in room.citations[0].text


def test_a_thing_asked_as_a_verb_no_rule_names_is_not_found() -> None:
    # 能停车吗, 满分多少, 有着装要求吗: no rule of these names parking, a full score or dress
    assert not book_of_files(REALISTIC.parent / "twentyninth").answer("区政协机关能停车吗").found
    assert not book_of_files(REALISTIC.parent / "thirtyeighth").answer("履职积分满分是多少").found
    assert not book_of_files(REALISTIC.parent / "fourth").answer("开会穿正装吗 有着装要求吗").found
    # ... while a rule naming it answers (停车通行证, the notice's parking)
    book = book_of_files(REALISTIC.parent / "thirtyfourth")
    assert book.answer("停车通行证能领两张吗", k=3).found


def test_everyday_words_for_standing_in_and_for_outsiders() -> None:
    # 谁顶上: the article on who 代行 the chair; 跟外人说: what may go 对外
    answer = book_of_files(REALISTIC.parent / "fortyfirst").answer(
        "专委会主任生病住院了 谁顶上", k=3
    )
    assert answer.found and answer.citations[0].locator == "第七条"
    kept = book_of_files(REALISTIC.parent / "nineteenth").answer("台账留几年 能给外人看吗", k=3)
    assert kept.found


def test_a_cap_asked_is_not_answered_by_a_figure_stated_without_one() -> None:
    # 有上限吗: 每篇计3分 says what one report earns, not how far the points may go
    book = book_of_files(REALISTIC.parent / "fortyfirst")
    assert not book.answer("履职积分最高能有多少分 有上限吗", k=3).found
    assert states_only_the_other_bound("积分有上限吗", ["每篇计3分"], re.compile(r"[0-9]+分"))
    assert not states_only_the_other_bound(
        "积分有上限吗", ["全年最多计12分"], re.compile(r"[0-9]+分")
    )


def test_a_length_told_as_another_terms_and_no_cap_are_answers() -> None:
    # 聘多久: 聘期与本届委员会任期相同; 有上限吗: 没有数量上限; 几个人联名的 is who signed
    book = book_of_files(REALISTIC.parent / "fortyfirst")
    answer = book.answer("特聘专家聘多久 谁批", k=3)
    assert answer.found and answer.citations[0].locator == "第二十三条"
    capped = book_of_files(REALISTIC.parent / "thirtyfourth").answer(
        "提案一年交多少件有上限吗", k=3
    )
    assert capped.found and "没有数量上限" in capped.citations[0].text
    assert figure_unit("几个人联名的 以后谁去跟办理的部门对接") is None


def test_members_words_for_progress_a_contact_and_a_task_handed_down() -> None:
    # 办到哪一步了: 进度; 定个专人: 联系人; 主席会议交代的事: 交办的事项
    book = book_of_files(REALISTIC.parent / "thirtyninth")
    assert (
        book.answer("我想知道我提案办到哪一步了 去哪查", k=3).citations[0].locator == "第三十六条"
    )
    contact = book.answer("集体出的提案要不要定个专人对接", k=3)
    assert contact.found and contact.citations[0].locator == "第二十二条"
    handed = book_of_files(REALISTIC.parent / "fortyfirst").answer(
        "主席会议交代的事专委会要办吗", k=3
    )
    assert handed.found and handed.citations[0].locator == "第六条（五）"


def test_every_so_many_years_asked_is_answered_by_a_period() -> None:
    # 几年评一回: 每年评选一次 says how often, with no count of years
    book = book_of_files(REALISTIC.parent / "twentyseventh")
    answer = book.answer("优秀提案几年评一回", k=3)
    assert answer.found and "每年评选一次" in answer.citations[0].text


def test_which_day_is_not_a_street_number() -> None:
    # 全会几号开幕: the dates it is held, not 文昌大道102号
    book = book_of_files(REALISTIC.parent / "thirtyfourth")
    # (with the learned re-ranking the notice's 一、 is first and alone, and a check then
    # refuses the question: measured and left so, bench/kb_rerank.py)
    answer = book.ranked_with(translation_table()).answer("全会几号开幕 几点", k=3)
    assert answer.found
    assert any(c.locator == "一、" for c in answer.citations)


def test_an_office_told_by_what_it_does_is_no_thing_a_sentence_must_name() -> None:
    # 管考勤的那个办公室几点下班: the office's hours (工作时间 8:30—17:30), though the rule calls
    # it 委员工作室
    answer = book_of_files(REALISTIC.parent / "thirtyninth").answer(
        "管考勤的那个办公室几点下班", k=3
    )
    assert answer.found and "17:30" in answer.citations[0].text


def test_a_spreadsheet_row_is_named_by_its_item_not_its_category() -> None:
    # 会议 | 无故缺席会议 | -3: the row is 无故缺席会议; 会议 only sorts the rows
    book = book_of_files(REALISTIC.parent / "fortysecond")
    answer = book.answer("没请架直接没去 扣几分", k=3)
    assert answer.found
    assert any(c.locator.endswith("› 无故缺席会议") for c in answer.citations)
    # ... though the category's cell is alone in the passage (活动 | 参加视察调研)
    trip = book.answer("跟着去视察一趟几分", k=3)
    assert trip.found and trip.citations[0].locator == "积分项目 › 参加视察调研"


def test_a_score_told_is_quoted_by_the_grade_row_holding_it() -> None:
    # 75分算啥等次: the row 良好 | 70分至89分, not the grades table's first row
    book = book_of_files(REALISTIC.parent / "fortysecond")
    answer = book.answer("75分算啥等次", k=3)
    assert answer.found and answer.citations[0].locator == "等次 › 良好"


def test_members_words_for_a_leave_note_and_breaking_the_law() -> None:
    # 条子: the 请假条 a rule asks for; 犯法: 违法
    book = book_of_files(REALISTIC.parent / "fortythird")
    note = book.answer("电话请了假 条子几天内补", k=3)
    assert note.found and "kaoqin_ocr.txt" in [c.source for c in note.citations]
    law = book_of_files(REALISTIC.parent / "fortysecond").answer("委员犯法了谁来决定撤掉他", k=3)
    assert law.found and law.citations[0].locator == "第十四条"


def test_a_half_of_this_year_is_asked_of_the_years_own_plan() -> None:
    # 上半年项目几号前要报名: the year's plan says; a rule would not
    book = book_of_files(REALISTIC.parent / "fortythird")
    answer = book.answer("上半年项目几号前要报名", k=3)
    assert answer.found and answer.citations[0].source == "shicha_pdf.txt"


def test_a_figure_stated_by_another_citation_holding_the_question_by_synonyms_answers() -> None:
    # 联名最多能拉几个人: the points row holds 最多 as written, the article 不超过10人 as its
    # synonym; the article answers, and is cited first as the one stating the figure
    book = book_of_files(REALISTIC.parent / "fortysecond")
    answer = book.answer("联名最多能拉几个人", k=3)
    assert answer.found and "不超过10人" in answer.citations[0].text


def test_so_many_times_said_with_hui_is_so_many_ci() -> None:
    # 两回, 三回, 4回: the rules count in 次
    book = book_of_files(REALISTIC.parent / "thirtyfourth")
    answer = book.answer("没打招呼缺了两回读书会会咋样", k=3)
    assert answer.found and answer.citations[0].locator == "第十四条"
    assert book.answer("一天打三回卡能算三次吗", k=3).found


def test_transferred_told_with_a_lone_diao_is_a_transfer() -> None:
    # 我调外地工作: 调 alone is 调动 / 调到
    book = book_of_files(REALISTIC.parent / "fortysecond")
    answer = book.answer("我调外地工作半年多了 还算委员不", k=3)
    assert answer.found and "第十三条" in [c.locator for c in answer.citations]


def test_a_website_printed_after_its_label_answers_where_to_log_in() -> None:
    # 网址多少: 电脑端网址为 lvzhi.qinghe-zx.example, whatever its domain ends in
    book = book_of_files(REALISTIC.parent / "fortythird")
    answer = book.answer("用电脑能登平台不 网址多少", k=3)
    assert answer.found and "网址为" in answer.citations[0].text


def test_a_share_of_the_members_answers_how_many_people() -> None:
    # 增补最多能补多少人: 届内累计增补不超过委员总数的5%
    book = book_of_files(REALISTIC.parent / "twentyfirst")
    answer = book.answer("一届里面增补最多能补多少人", k=3)
    assert answer.found and answer.citations[0].locator == "第八条"


def test_a_measure_word_glued_to_the_word_it_counts_names_nothing() -> None:
    # 这份提案问答: jieba glues 份 to what follows; the page is named by 问答, not by 份问答,
    # and its line 县政协提案委员会办公室整理 says who (the checks alone put another page's
    # 整理接待记录 first)
    book = book_of_files(REALISTIC.parent / "twentysecond")
    answer = book.answer("这份提案问答是谁整理的", k=3)
    assert answer.found and answer.citations[0].source == "tian_wenti.md"
    assert "提案委员会办公室整理" in answer.citations[0].text


def test_how_often_a_meeting_is_held_is_not_what_is_reported_at_it() -> None:
    # 每半年汇总…在常委会议上通报: the meeting is where the count is reported, not held
    assert not book_of_files(REALISTIC.parent / "fortythird").answer("常委会一年开几次", k=3).found
    answer = book_of_files(REALISTIC.parent / "fortysecond").answer("全会一年开几次", k=3)
    assert answer.found and answer.citations[0].locator == "第十六条"


def test_a_term_is_not_how_long_files_are_kept_after_it_ends() -> None:
    # 履职档案保存至委员任期届满后5年 says nothing of how long a term is
    book = book_of_files(REALISTIC.parent / "thirtyninth")
    assert not book.answer("县政协委员一届干几年", k=3).found


def test_the_same_term_counts_no_terms() -> None:
    # 同一届内最多2项 is no count of 届
    book = book_of_files(REALISTIC.parent / "fortysecond")
    assert not book.answer("委员最多能连着当几届", k=3).found


def test_an_office_named_in_words_the_rules_know_is_one_the_room_printed_is_of() -> None:
    # 秘书长办公室在几号房间: 县政协办公室会务科…415室 is the 会务科's room
    book = book_of_files(REALISTIC.parent / "thirtysecond")
    assert not book.answer("秘书长办公室在几号房间", k=3).found
    answer = book.answer("会务科在几号房间", k=3)
    assert answer.found and "415室" in answer.citations[0].text


def test_who_a_body_is_made_of_is_said_by_a_rule_naming_its_members() -> None:
    # 由信息编辑小组每半个月集中研究一次 names the group, not who is in it
    assert (
        not book_of_files(REALISTIC.parent / "fortythird").answer("信息编辑小组都有谁", k=3).found
    )
    answer = book_of_files(REALISTIC.parent / "fortysecond").answer("常委会由哪些人组成", k=3)
    assert answer.found and answer.citations[0].locator == "第二十条"


def test_a_word_held_by_the_heading_over_an_item_is_evidence_the_item_answers() -> None:
    # 线下共读都有哪些形式: 2. 线下共读… over （1）主题导读 （2）分享交流 （3）实地研学
    book = book_of_files(REALISTIC.parent / "fortyseventh")
    answer = book.answer("线下共读都有哪些形式", k=3)
    assert answer.found and answer.citations[0].locator.startswith("一、（二）2.")


def test_points_deducted_are_read_with_the_minus_sign_word_prints() -> None:
    # | 无故缺席其他会议和活动 | −2/次 |: U+2212, not an ASCII hyphen
    book = book_of_files(REALISTIC.parent / "fortysixth")
    answer = book.answer("视察调研无故不去扣几分", k=3)
    assert answer.found and "无故缺席其他会议和活动" in answer.citations[0].locator


def test_who_takes_part_is_answered_first_by_the_rule_naming_the_members() -> None:
    # 主席、副主席和秘书长组成主席会议: said the other way round, still who it is made of
    answer = book_of_files(REALISTIC).answer("主席会议都有谁参加", k=3)
    assert answer.found and answer.citations[0].locator == "第三十七条"
    answer = book_of_files(REALISTIC.parent / "fortysecond").answer("主席会议都有谁参加", k=3)
    assert answer.found and answer.citations[0].locator == "第二十五条"


def test_two_and_three_said_as_lia_and_sa_are_counts() -> None:
    # 俩, 仨: two and three as members type them, counted as the rules write 2个, 3个
    tokens = shared_tokenizer().tokens("我们仨联名 写俩事")
    assert "3" in tokens and "2" in tokens


def test_a_groups_name_is_the_name_a_proposal_is_made_in() -> None:
    # 以整个界别的名头提: 名头 is the 名义 a 界别 proposes in (第五条 …可以用集体名义提出)
    book = book_of_files(REALISTIC.parent / "fortyseventh")
    answer = book.answer("界别能以整个界别的名头提吗", k=3)
    assert answer.found and answer.citations[0].locator == "第五条"


def test_which_ones_asks_for_the_list_not_a_count() -> None:
    # 哪几条原则: the principles the article lists, though it counts none of them
    book = book_of_files(REALISTIC.parent / "fortysixth")
    answer = book.answer("管委员履职讲究哪几条原则啊", k=3)
    assert answer.found and answer.citations[0].locator == "第三条"


def test_a_number_to_call_is_a_phone_number() -> None:
    # 打哪个号码: the rule printing the office's phone (电话告知委员服务科（0398-6620417）)
    book = book_of_files(REALISTIC.parent / "fortysixth")
    answer = book.answer("电话请假打哪个号码", k=3)
    assert answer.found and "第六条" in [c.locator for c in answer.citations]


def test_the_bound_asked_is_read_in_the_rule_on_the_thing_asked_of() -> None:
    # 述职报告最多写多少字: 述职报告一般不少于1500字 states only a least, whatever the
    # 提案's 2000字以内 on the best-ranked page says
    book = book_of_files(REALISTIC.parent / "fortysixth")
    assert not book.answer("述职报告最多写多少字", k=3).found


def test_a_table_row_states_what_its_cells_say_not_what_the_section_around_it_does() -> None:
    # 常务委员会会议 | 常委出席率不低于80%: no row says how often the 常委会 meets
    book = book_of_files(REALISTIC.parent / "twentyseventh")
    assert not book.answer("常委会一年开几次", k=3).found


def test_a_name_no_rule_holds_is_not_cut_into_pieces_some_rule_does() -> None:
    # 人大代表: no 人大代 and 表 (the 表 of 征询意见表); the rules never speak of one
    book = book_of_files(REALISTIC.parent / "fortyninth")
    assert not book.answer("委员能不能同时当人大代表", k=3).found


def test_the_date_of_the_next_issue_is_no_rules() -> None:
    # 下一期哪天出: the bulletin's next issue, which no rule dates
    book = book_of_files(REALISTIC.parent / "fortyninth")
    assert not book.answer("溪桐社情下一期哪天出", k=3).found


def test_which_sitting_passed_it_is_asked_as_members_say_it() -> None:
    # 第几次全会上过的, 哪次主席会上过的: the adoption line under the title
    book = book_of_files(REALISTIC.parent / "fortyeighth")
    answer = book.answer("章程在第几次全会上过的", k=3)
    assert answer.found and "第三次全体会议通过" in answer.citations[0].text
    answer = book.answer("请假规定是哪次主席会上过的", k=3)
    assert answer.found and "第十三次主席会议通过" in answer.citations[0].text


def test_the_sitting_asked_is_quoted_from_the_preamble_naming_it() -> None:
    # 经…第二十三次主席会议研究同意, not the 印发 date line above it
    book = book_of_files(REALISTIC.parent / "thirtysecond")
    answer = book.answer("这个规定是哪次主席会议研究定的", k=3)
    assert answer.found and "第二十三次主席会议" in answer.citations[0].text


def test_whose_reading_counts_is_who_interprets_the_rule() -> None:
    # 以哪个部门的说法为准: 本办法由区政协办公室负责解释 (第二十一条)
    book = book_of_files(REALISTIC.parent / "fortyninth")
    answer = book.answer("积分规定看不明白 以哪个部门的说法为准", k=3)
    assert answer.found and "第二十一条" in [c.locator for c in answer.citations]


def test_not_understanding_a_rule_asks_who_explains_it() -> None:
    # 看不懂的地方问谁: the article naming who interprets the rule
    book = book_of_files(REALISTIC.parent / "twentyfifth")
    answer = book.answer("办法里看不懂的地方问谁", k=3)
    assert answer.found and answer.citations[0].locator == "第二十二条"


def test_satisfaction_is_no_place_and_tiers_are_grades() -> None:
    # 满意度 (which jieba's dictionary tags a place) is what is asked; 几档 asks the grades
    book = book_of_files(REALISTIC.parent / "fortyseventh")
    answer = book.answer("满意度分几档", k=3)
    assert answer.found and answer.citations[0].locator == "第二十三条"
    assert not shared_tokenizer().is_place("满意度") and shared_tokenizer().is_place("郑州")


def test_who_has_the_final_say_is_who_approves_the_list() -> None:
    # 谁拍板: 报主席会议审定
    book = book_of_files(REALISTIC.parent / "fortyseventh")
    answer = book.answer("重点提案最后谁拍板", k=3)
    assert answer.found and answer.citations[0].locator == "第二十七条"


def test_points_carried_over_are_points_not_carried_forward() -> None:
    # 带到今年: the rule says 上一年度积分不结转到下一年度 (第三条, as the set has it; the
    # checks alone put 第十五条's 积分照常记录 first)
    book = book_of_files(REALISTIC.parent / "seventeenth")
    answer = book.answer("去年剩的积分能带到今年吗", k=3)
    assert answer.found and answer.citations[0].locator == "第三条"


def test_a_business_trip_is_leave_for_public_duty() -> None:
    # 出差: 因公外出
    book = book_of_files(REALISTIC.parent / "seventeenth")
    answer = book.answer("我出差了参加不了面商 能找人替我去不", k=3)
    assert answer.found and "六、（三）" in [c.locator for c in answer.citations]


def test_another_and_a_topic_are_said_as_the_rules_write_them() -> None:
    # 别的组: 其他界别活动组; 协商的题目: 协商议题
    answer = book_of_files(REALISTIC.parent / "twentyfifth").answer(
        "我换单位了 想换到别的组 咋弄", k=3
    )
    assert answer.found and answer.citations[0].locator == "第七条"
    answer = book_of_files(REALISTIC.parent / "fifteenth").answer(
        "对口协商的题目一年报几个 啥时候前报", k=3
    )
    assert answer.found and answer.citations[0].locator == "第十二条"


def test_everyday_words_for_the_rules_terms() -> None:
    # 写出处: 注明来源; 咋分工: 主办单位和会办单位; 平时: 日常
    book = book_of_files(REALISTIC.parent / "fortyseventh")
    answer = book.answer("引用的统计数字要不要写出处", k=3)
    assert answer.found and answer.citations[0].locator == "第八条"
    answer = book_of_files(REALISTIC.parent / "fortysecond").answer("主席会议平时管哪些事", k=3)
    assert answer.found and answer.citations[0].locator == "第二十六条"


def test_a_members_case_is_answered_by_the_grounds_page_when_no_rule_lists_them() -> None:
    # 台灯, 牌子: no rule names them; the page on proposals not registered answers
    book = book_of_files(REALISTIC.parent / "fortyninth")
    answer = book.answer("建议学校都买某个牌子的台灯 能立上吗", k=3)
    assert answer.found and "推荐一家企业的产品" in answer.citations[0].locator


def test_sightseeing_said_as_a_stroll_is_sightseeing() -> None:
    # 去外地转转: the rule forbids 游山玩水 under a reading group's name
    book = book_of_files(REALISTIC.parent / "twentyninth")
    answer = book.answer("借读书的名义组织去外地转转 行不行", k=3)
    assert answer.found and answer.citations[0].locator.startswith("六、")


def test_a_members_rights_and_a_reports_meaning_are_said_as_the_rules_write_them() -> None:
    # 有啥权利: 享有表决权…; 参考意义: 参考价值
    book = book_of_files(REALISTIC.parent / "fortyeighth")
    answer = book.answer("委员在会上有啥权利", k=3)
    assert answer.found and answer.citations[0].locator == "第六条"
    answer = book.answer("没立上但有点参考意义的咋处理", k=3)
    assert answer.found and answer.citations[0].locator == "五、（一）"


def test_a_bureau_is_a_unit_and_a_meal_is_a_working_meal() -> None:
    # 三个局: 多个单位承办; 管饭: 统一安排工作餐
    answer = book_of_files(REALISTIC.parent / "twentyfourth").answer(
        "一个提案牵扯三个局 最后谁给我回复", k=3
    )
    assert answer.found and answer.citations[0].locator == "第二十六条"
    answer = book_of_files(REALISTIC.parent / "fortyseventh").answer("中午管饭吗", k=3)
    assert answer.found and answer.citations[0].locator == "五、（四）"


def test_a_plural_suffix_and_too_few_said_plainly_are_understood() -> None:
    # 副主席们: the 副主席; 凑不够: 不足 (the checks alone: the learned ranking puts the
    # 请假…经分管副主席同意 item first, a miss noted in stop 34)
    answer = (
        book_of_files(REALISTIC.parent / "fortyfirst")
        .checks_alone()
        .answer("副主席们也跟我们一起评吗", k=3)
    )
    assert answer.found and answer.citations[0].locator == "一、"
    answer = book_of_files(REALISTIC.parent / "fortythird").answer("报名人凑不够咋弄", k=3)
    assert answer.found and answer.citations[0].locator == "三、（一）"


def test_someone_reading_for_me_is_reading_on_my_behalf() -> None:
    # 别人能替我念发言稿吗: 由…其他委员代为宣读
    book = book_of_files(REALISTIC.parent / "nineteenth")
    answer = book.answer("别人能替我念发言稿吗", k=3)
    assert answer.found and answer.citations[0].locator == "五、（二）"


def test_a_made_up_reason_found_out_is_one_found_false() -> None:
    # 理由是编的被查出来: 请假理由与事实明显不符的，一经查实
    book = book_of_files(REALISTIC.parent / "fortysixth")
    answer = book.answer("请假理由是编的被查出来会怎样", k=3)
    assert answer.found and answer.citations[0].locator == "第十二条"


def test_who_holds_a_post_the_rules_only_describe_is_not_answered() -> None:
    # 群主都是谁, 管理员叫啥名: the rules say what they do, no notice names them
    assert (
        not book_of_files(REALISTIC.parent / "twentythird")
        .answer("6个读书群的群主都是谁", k=3)
        .found
    )
    assert (
        not book_of_files(REALISTIC.parent / "fortythird")
        .answer("履职平台的管理员叫啥名", k=3)
        .found
    )


def test_a_set_of_rules_counted_with_tao_is_no_pipe() -> None:
    # 这套管委员的办法: jieba reads 套管 (a casing pipe); 套 counts the rules (the checks
    # alone: with the learned ranking the answer model doubts it, 0.47, and refuses)
    book = book_of_files(REALISTIC.parent / "fiftysecond").checks_alone()
    answer = book.answer("出这套管委员的办法 目的是什么", k=3)
    assert answer.found and answer.citations[0].locator == "第一条"


def test_gifts_and_policies_said_plainly_are_what_the_rules_forbid_and_ask() -> None:
    # 购物卡: 礼品; 县里定的政策落实得不好: 决策部署落实中的问题
    book = book_of_files(REALISTIC.parent / "fiftythird")
    answer = book.answer("视察单位给的购物卡能不能要", k=3)
    assert answer.found and answer.citations[0].locator == "三、（一）1."
    answer = book.answer("县里定的政策到村里落实得不好 能反映不", k=3)
    assert answer.found and answer.citations[0].locator == "第五条（三）"


def test_points_asked_are_read_in_the_row_when_the_best_passage_holds_nothing_of_them() -> None:
    # 提案选上重点的能加几分: 重点提案是怎么产生的 says nothing of points; the row does
    book = book_of_files(REALISTIC.parent / "fiftysecond")
    answer = book.answer("提案选上重点的能加几分", k=3)
    assert answer.found and "重点提案" in answer.citations[0].locator


def test_a_score_told_as_fifty_odd_is_graded() -> None:
    # 50多分: the band holding 50
    book = book_of_files(REALISTIC.parent / "fiftysecond")
    answer = book.answer("今年才50多分 会是哪一档", k=3)
    assert answer.found and answer.citations[0].locator.startswith("四、")


def test_where_to_get_the_app_and_what_a_card_is_for() -> None:
    # 去哪下: 在哪里下载; 拿来干嘛: 有什么用
    book = book_of_files(REALISTIC.parent / "fiftythird")
    answer = book.answer("履职通app去哪下", k=3)
    assert answer.found and answer.citations[0].locator == "履职通APP在哪里下载？"
    answer = book.answer("委员证平时能拿来干嘛", k=3)
    assert answer.found and answer.citations[0].locator == "委员证有什么用？"


def test_a_row_of_labelled_cells_is_cited_by_its_item() -> None:
    # 项目：出席全体会议；分值：每次10分；…: the row answers, named by its item
    book = book_of_files(REALISTIC.parent / "ninetysecond")
    answer = book.answer("去开一次全会加几分", k=3)
    assert answer.found and answer.citations[0].locator == "第五条 › 出席全体会议"
    assert "每次10分" in answer.citations[0].text


def test_ones_own_score_and_what_one_sitting_did_are_no_rules() -> None:
    book = book_of_text(
        "jifen.txt",
        "示例积分办法\n\n第一条 委员履职积分每年清零，积分在履职平台查询。\n"
        "第二条 常务委员会会议每季度召开一次，议题由主席会议确定。\n"
        "第三条 委员每年至少参加一次视察，视察地点由专门委员会确定。\n",
    )
    for question in (
        "我现在积分是多少",
        "我今年的履职得分是多少",
        "上次常委会讨论了什么议题",
        "下个月视察去哪",
    ):
        assert not book.answer(question).found, question
    # ... while where one's points are looked up, and who sets the topics, are rules
    assert book.answer("在哪查自己的积分").citations[0].locator == "第一条"
    assert book.answer("常委会的议题谁定").citations[0].locator == "第二条"


def test_who_issued_a_notice_is_its_signature_though_printed_over_it_too(
    tmp_path: Path,
) -> None:
    # (the notice among the sample rulebook's files, as a committee loads it)
    notice = (
        "政协某区委员会办公室\n某政协办〔2025〕11号\n\n关于做好2025年度委员履职积分工作的通知\n\n"
        "各专门委员会，全体委员：\n现将有关事项通知如下。\n\n一、积分对象\n（一）积分对象为全体委员。\n"
        "二、积分周期\n（一）积分周期为1月1日至12月31日。\n\n政协某区委员会办公室\n2025年1月20日\n"
    )
    book = sample_with(tmp_path, {"jifen.txt": notice})
    answer = book.answer("积分通知是谁发的", k=3)
    assert answer.found and "政协某区委员会办公室" in answer.citations[0].text
    assert "2025年1月20日" in answer.citations[0].text
