"""Questions in, answers out: retrieval, the not-found decision, extractive or LLM answer."""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.catalogue import catalogue
from bot.kb.answer import (
    ADOPTION,
    ASKS_DEFINITION,
    ASKS_WHEN_ADOPTED,
    SITTING_ASKED,
    SITTING_NAMED,
    AnswerPolicy,
    articles_named,
    extractive_answer,
    format_extractive,
    names_article,
    not_found,
    select_hits,
)
from bot.kb.asked_facts import (
    COUNT,
    TIME_OF_DAY,
    TIME_OF_DAY_ASKED,
    UNTIMED,
    asks_a_total,
    asks_about_this_year,
    asks_about_today,
    asks_for_a_contact,
    asks_for_a_figure,
    asks_for_a_person,
    asks_for_a_phone_number,
    asks_for_a_service,
    asks_for_an_address,
    asks_for_own_score,
    count_asked,
    facts_to_be_stated,
    figure_unit,
    holds_a_contact,
    holds_a_phone_number,
    holds_an_address,
    levels_to_be_named,
    names_a_person,
    points_bands,
    states_only_the_other_bound,
    without_dates,
)
from bot.kb.chinese_script import simplified
from bot.kb.citations import Answer, Citation, SourcePassage
from bot.kb.index import Hit, PassageIndex, QueryGroup
from bot.kb.ingest import PAGE_NOTES, PreparedDocument
from bot.kb.llm import LlmAnswerer
from bot.kb.normalize import PRINTED_ISSUE_NUMBER, SIGNING_BODY, fold
from bot.kb.numerals import count_digits
from bot.kb.rerank import Reranker, passage_reranker
from bot.kb.situation import told_as_situation
from bot.kb.small_talk import small_talk
from bot.kb.structure import is_table_line, table_rows
from bot.kb.tokenize import ASKING_VERBS, Tokenizer
from bot.kb.translation import TranslationTable, translation_table
from bot.kb.verdict import MIN_PASSAGES, VerdictModel, answers, features, verdict_model

__all__ = ["Rulebook"]

_RETRIEVE = 10
# Asked how many (一共几个专委会) or what a thing is (提案到底是个啥), the passage of that kind
# goes first among those that match about as well: the one stating a count (设立8个专门委员会)
# or defining one of the words asked about (所称社情民意信息，是指…; 1. 问：什么是政协提案？).
_ASKS_COUNT = re.compile(r"(?:几|多少)个|一共|总共|共有")
_COUNT_WORD = re.compile(r"几|多少")
_ADOPTED_AT = re.compile(r"(?:会议|会上)[^。；]{0,6}(?:通过|审议)")
_EFFECT_ASKED = re.compile(r"执行|施行|实施|生效|起用|开始用")
_TAKES_EFFECT = re.compile(r"起(?:施行|实施|执行|生效)|施行之日")
# 哪天定下来的: how the member asks when, no word of the rule (the rule says 通过)
_ADOPTION_ASKING = re.compile(r"(?:定下来|定下|发出来|挂出来|下发|公布|定|发)的")
# A notice's last line dating it (办公室 2025年2月24日, 2025年2月20日印发)
_SIGNED_ON = re.compile(r"[0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日(?:印发)?\s*$")
_POSTED_ON = re.compile(r"发布(?:时间|日期)\s*[：:]?\s*[0-9]{4}")
_ONLINE_ASKED = re.compile(r"网上|网站|挂")
# Whether the member's matter may be a proposal (打广告的提案能过吗, 这事能写成提案不), and no
# figure, person or way asked of it (几件, 找谁, 怎么写)
_GROUNDS_PAGE = re.compile(r"不予立案|不能立案|不被立案|不立案|不能作为提案|不作为提案")
_ELIGIBILITY_ASKED = re.compile(
    r"^(?!.*(?:几|多少|多久|多长|谁|哪|啥时候|什么时候|怎么|咋|如何))"
    r".*(?:(?:写成|写进|写|当|作为|算|交|提|变成)(?:个|一个|一件|件)?(?:提案|提按)"
    r"|的(?:提案|提按)能(?:过|立|立案|立上)|能(?:立案|立上))"
    r"[^，,。？?]{0,3}(?:吗|不|没|行不行|行吗|可以不|不行)\s*[？?]?\s*$"
)
# 有下列情形之一的，不予立案：; 不予立案的情形主要有：
_GROUNDS_LISTED = re.compile(
    r"(?:下列|以下)[^。：:]{0,16}(?:不予?立案|不(?:作为|列为|得作为|能作为)提案)"
    r"|不予立案[^。]{0,10}(?:情形|情况)[^。]{0,6}[：:]"
)
_TOP_PASSAGES = 3  # a title's adoption line is among a document's first passages
_BOUND_WORD = re.compile(r"最多|最少|至少|最低|最高|一共|总共|共有|顶多|起码|上限|下限|总数")
# How a question asks what a word means: the asking, not a thing a passage must hold
# (会办单位是什么意思 asks about 会办单位; 意思 and 指 are no words of the rule).
_DEFINITION_FRAME = re.compile(
    r"(?:到底)?(?:是|指)?(?:个)?(?:什么|啥)意思|(?:是)?指(?:的是)?(?:什么|啥)|的?定义(?:是(?:什么|啥))?"
    r"|^(?:啥|什么)(?:叫|算)"  # (什么算大会发言: what counts as one, which its definition says)
    r"|(?:有|是|算)?(?:个)?(?:啥|什么)(?:意义|性质(?:的)?(?:工作)?|作用|地位)"
    # (书香政协是干啥的: what it is for, which the article defining it says)
    r"|是?(?:干|做)(?:啥|什么)(?:用)?的(?=$|[\s？?，,。吗呀啊])"
)
# A count asked of a thing (几本书, 多少篇文章): the measure word is the count's, and jieba
# would glue it to the thing (本书 "this book").
_COUNTED = re.compile(r"(?<!好)(几|多少)(本|册|篇|件|个|名|位|项|张|份|家)(?=[\u4e00-\u9fff])")
_NUDGE = 0.3
_ASKS_WHICH = re.compile(r"哪些|哪几|哪种|什么样|什么情况|啥情况|啥样")
# 写提案, 写社情民意: what the rules call 提出提案 and 反映社情民意 (a rule seldom says 写).
_WRITE_A_PROPOSAL = re.compile(r"写(?:个|一个|一篇|篇|份|一份|件|一件)?(?=提案|提按)")
_WRITE_A_REPORT = re.compile(r"写(?:个|一个|一篇|篇|份|一份|条|一条)?(?=社情民意|社情民义|信息)")


# 两件事, 三个问题, 多件事 in one proposal: what the rules call 一事一案, asked as 好几件事.
_SEVERAL_MATTERS = re.compile(
    r"(?:[2-9]|[1-9][0-9]|[两三四五六七八九十几多]|好几)\s*(?:件|个|方面的?)\s*(?:事情?|问题|建议)"
)


# 会 as a meeting (开哪些会, 周三的会去不了, 啥会通过的), not as "will" (几次会被通报): jieba
# leaves it alone and it is dropped as a modal verb. 开 goes with it: the rules say 举行.
_A_MEETING = re.compile(
    r"开?(哪些|哪种|几种|什么|啥|这个|那个|这次|那次|几场|们的|周[一二三四五六日天]的)会"
    r"(?=$|[\s，。？！,.?!]|去|通过|列|吗|呢)"
)


# 不能被立案, 立不了案, 不会立案: what the rules call 不予立案 (不能 is dropped as a modal and
# 立案 alone finds the article numbering the proposals that were).
_NOT_REGISTERED = re.compile(
    r"(?:不能|不会|不可以|不可能|没法|无法|不让|不给|不被)\s*(?:被|给)?\s*立案|立不了案?|立不上案?"
)


# 开几回, 跑几趟: a count of times, which the rules give in 次.
_TIMES = re.compile(r"(几|多少|[0-9一两二三四五六七八九十]+)(?:回|趟)(?![家去来])")
# 能提提按吗: to put forward a proposal, mistyped (jieba cut 提提 / 按, no word of the rules).
_PROPOSE_A_PROPOSAL = re.compile(r"提提按")
# 多少人才能开: people, then 才能 (jieba read 人才, talent).
_PEOPLE_BEFORE_CAN = re.compile(r"(?<=[几少])人才(?=能|可以|算|行)")
# 打电话请假: by phone, as the rules say (电话请假, 电话告知); 打 alone names nothing.
_PHONED = re.compile(r"(?:有事)?打(?:个|一个|了|过|通|哪个|什么|啥)?电话")
# A passage that is only a rule's adoption line: （2005年7月13日…主席会议通过；…修订）.
_ADOPTION_ONLY = re.compile(r"^\s*[（(][^（）()]*(?:通过|修订|修正|印发|施行)[^（）()]*[）)]\s*$")
_DEDUCTION_ASKED = re.compile(r"扣(?:几|多少)分|扣(?:分|积分)|减(?:几|多少)分")
_DEDUCTION_STATED = re.compile(
    r"扣|减|罚|负分|不得分|不计分|[-－—−–]\s*[0-9]"
)  # (− and – as Word prints them)
_FIGURE_PHRASE = re.compile(
    r"几|多少|多久|多长|字数|人数|最多|最少|至少|起码|顶多|最长|最短|最晚|最迟|上限|下限|有没有"
)
# Things every rule is about: no sentence need repeat them.
_GENERIC_THINGS = frozenset(
    {"政协", "委员", "本会", "会议", "人民政协", "政协委员", "委员会", "工作", "人"}
    # (per head, and the rules themselves: 一个人能讲多久, 县里规定多久给答复)
    | {"个人", "每人", "规定", "规则", "办法", "制度"}
    # (管考勤的那个办公室几点下班: an office told by what it does, not named)
    | {"办公室", "部门", "单位"}
)
# (哪次会议通过的, 谁制定的: the adoption line answers those too)
_ADOPTION_ASKED = re.compile(r"通过|修订|修正|印发|施行|制定|出台|颁布|发布|实施|生效")
# A word held as written or as a synonym (credit 0.8), less rounding: named, not in part.
_HELD_AS_NAMED = 0.79
# How someone or something is chosen (咋选出来的, 怎么产生的, 是怎么评的).
_HOW_CHOSEN = re.compile(r"(?:是|都)?(?:怎么|怎样|如何|咋)(?:样)?(?:推荐|选举|选|产生|评选|评)")
# 会议有哪些类型, 会议类型: which there are, as 会议有哪些 asks (a rule listing them seldom
# says 类型).
_KINDS_OF = re.compile(
    r"(?:哪些|哪几|什么|啥|几)种?(?:类型|种类|类别)|的?(?:类型|种类|类别)(?=\s*(?:有哪些|都有啥)?\s*[?？]?\s*$)"
)


# 咱县, 我市, 省政协: whose committee is meant, which rules write as 本会 or in their title
# (政协海南省委员会): 县 and 省 are no words a rule must hold (the level is checked apart)
_OUR_COMMITTEE = re.compile(
    r"(?:咱们?|我们?|俺们?)(?:省|市|县|区)(?:里|的)?|(?<![\u4e00-\u9fff])(?:省|市|县|区)(?=政协)"
)
# How often a document names its own level (县政协) to be that level's.
_OWN_LEVEL_NAMED = 3
_LEVEL_NAMED = re.compile(r"[省市县区](?=政协)|(?<=[咱我俺们])[省市县区]")


# 开一次全会, 开完会: the meeting is what is asked of; 开 is how members say it is held
# (the rules say 召开, 举行), 开完 that it is over (会后, 结束后)
_MEETING_OPENED = re.compile(
    r"开(?:完|过)了?(?=(?:一次|一回|个|这个|那个)?(?:全体会议|全会|常委会|协商会|座谈会|会议|会))"
    r"|开(?=(?:一次|一回|个|这个|那个)?(?:全体会议|全会|常委会|协商会|座谈会))"
)
_MEETING_OVER = re.compile(r"(?<=会)\s*(?:都|已经)?开完了?")
# 想开个工作室, 能开个工作室吗: to open one (jieba reads 想开, "to take it easy"), not a
# meeting (开个会)
_WANT_TO_OPEN = re.compile(r"想?开(?=(?:个|一个|一家|家|间|一间)(?!会|玩笑))")
# 不交会怎样, 分会不会扣: 会 is "will" after a word jieba would glue it to (交会, 分会)
_WILL_GLUED = re.compile(r"(?<=[交分])会(?=不会|怎|咋|被|有|扣)|(?<=[^\s会开])(?=会不会)")
# 多会儿: how long, or when, as members in the north say it
_HOW_LONG_SAID = re.compile(r"多会儿")
# 找哪位领导签: who, as the rules name them by office (由秘书长批准), not as 领导
_WHICH_PERSON = re.compile(r"(?:哪位|哪个|哪一位|什么|啥)\s*(?:领导|同志)")
# 有不明白的谁解释, 有歧义找谁: why the member asks who interprets the rule, no word of it
_UNCLEAR = re.compile(
    r"有?(?:不明白|不清楚|看不懂|弄不懂|搞不懂|搞不清|歧义|疑问|争议)(?:的地方|的)?"
)


def _as_rules_put_it(question: str) -> str:
    """The question with what members say put as the rules do (写提案: 提出提案; 两件事:
    好几件事, which asks about 一事一案 and for no count; 哪些会: 哪些会议; 几回: 几次)."""
    question = _SPLIT_VERB.sub(_verb_joined, _TIMES.sub(r"\1次", question))
    if "几号" in question:
        question = _WHICH_DAY.sub("哪天", question)
    if "缺" in question:
        question = _ABSENT_TIMES.sub("缺席", question)
    if "提" in question:
        question = _PROPOSE_A_PROPOSAL.sub("提出提案", question)
    if "人才" in question:
        question = _PEOPLE_BEFORE_CAN.sub("人 才", question)
    if "类" in question:
        question = _KINDS_OF.sub("哪些", question)
    if "打" in question:
        question = _PHONED.sub("电话", question)
    question = _WHICH_PERSON.sub("谁", _HOW_LONG_SAID.sub("多久", question))
    if "会" in question:
        question = _WILL_GLUED.sub(lambda m: f" {m.group(0)}", question)
    if "开" in question:
        question = _WANT_TO_OPEN.sub(" 开设", question)
    if "下" in question:
        question = _WHERE_DOWNLOADED.sub(" 在哪下载 ", question)
    # (会在哪开: the meeting, which a lone 会 of a member's question names)
    question = _WHERE_HELD.sub(
        lambda m: (" 会议地点 " if m.group(1) else " 地点 ") + m.group(2), question
    )
    if "为准" in question:
        # 以哪个部门的说法为准: who interprets the rule (由…负责解释)
        question = _WHOSE_READING.sub(" 负责解释 ", question)
    if _WHO_INTERPRETS.search(question):
        question = _UNCLEAR.sub(" ", question)
    if "写" in question:
        question = _WRITE_A_REPORT.sub("反映", _WRITE_A_PROPOSAL.sub("提出", question))
    if "会" in question:
        question = _A_MEETING.sub(r"\1会议", question)
        question = _MEETING_OVER.sub("结束后", _MEETING_OPENED.sub("", question))
    if "立" in question:
        question = _NOT_REGISTERED.sub("不予立案", question)
    if len(set(_LEVEL_NAMED.findall(question))) == 1:
        # (区政协委员能兼任市政协委员吗 is about the two levels: kept)
        question = _OUR_COMMITTEE.sub("", question)
    return _SEVERAL_MATTERS.sub("好几件事", question)


# A verb said apart around what is told of it (请几次假, 签个到, 报了名): the rules' word
# (请假, 签到, 报名), the count after it (请假几次).
_SPLIT_VERB = re.compile(
    r"(请|签|报|开)(了|过|个|一下|[0-9一二两三四五六七八九十几多少]+[次回天个])(假|到|名|会)"
)


# 几号开: which day of the month, not the 号 of a street number (文昌大道102号)
_WHICH_DAY = re.compile(r"几号(?![楼房室线门码院车厅座字])")
# 缺2次会, 缺了几回: absent so many times, which the rules call 缺席
_ABSENT_TIMES = re.compile(r"缺了?(?=[0-9一二两三四五六七八九十几多]+[次回])")


# A table's column of points, named in its header (每条计分, 分值, 加分): its cells are
# figures in 分 though they print bare numbers (被《社情民意》编发    3).
_POINTS_COLUMN = re.compile(r"分值|计分|积分|分数|得分|加分|扣分|减分")
_BARE_CELL = re.compile(r"(?<![0-9.])([0-9]{1,3})(?=[ \t/|]|$)", re.MULTILINE)


def _points_in_table(text: str) -> str:
    rows = table_rows(text)
    if not rows or not _POINTS_COLUMN.search(rows[0]):
        return text
    return _BARE_CELL.sub(r"\1分", text)


def _verb_joined(said: re.Match[str]) -> str:
    verb, told, thing = said.groups()
    counted = told if told[-1] in "次回天" and told[0] not in "了过" else ""
    return f"{verb}{thing}{counted}"


# An office asked where it is or how to call it (委员服务科在几号房间, 信息科电话多少).
_OFFICE_ASKED = re.compile(
    r"((?<![的找个哪])[\u4e00-\u9fff]{1,6}?(?:办公室|联络室|工作室|[室科处]|中心))"
    r"(?=[^，。？?]{0,6}(?:在哪|几楼|几号|哪个房间|哪间|地址|几层|门牌|电话|号码|座机))"
)
# What a member asks about, said as a verb jieba does not call a thing (能停车吗, 满分多少,
# 着装要求, 在哪下载): no rule naming it, no rule answers it.
_THINGS_SAID_AS_VERBS = frozenset({"停车", "满分", "着装", "正装", "下载"})
# How much of the best passage's hold on the question another passage must have to speak
# for it, the synonyms it holds the words by weighing what they weigh.
_AS_MUCH = 0.8
# ... or how much more of the question it holds to speak for it whatever words it lacks
_MUCH_MORE = 1.25
# A document's number asked (文号多少, 发文字号是啥): not 字号, a font's size.
_NUMBER_ASKED = re.compile(r"文号|发文字号|发文号|文件编号|文件号")
# Who issued a notice (积分通知是谁发的, 哪个部门发的文, 发文单位): the office signing it.
_ISSUER_ASKED = re.compile(
    r"谁(?:发|印发|下发)的|(?:哪个|哪家|什么)(?:单位|部门|机关)(?:发|印发|下发|出)的"
    r"|发文(?:单位|机关)|落款"
)
# A document's own name asked (这个细则全称叫啥, 请假那个办法完整名字叫啥, 问答页面标题叫啥): its
# title line answers, which no passage holds (a 社情民意's 标题 asked of is another matter).
_TITLE_ASKED = re.compile(
    r"全称|全名|完整(?:的)?(?:名字|名称|叫)|正式(?:的)?名(?:字|称)"
    r"|(?:文件|办法|规定|条例|细则|规则|制度|方案|章程|问答|页面|通知|规程|守则|标准)的?"
    r"(?:标题|名字|名称)(?:是|叫)"
)
# …of a document, not of a person (提案委主任全名叫啥) or a reading group
_DOCUMENT_KIND = re.compile(
    r"文件|办法|规定|条例|细则|规则|规矩|制度|方案|章程|问答|页面|网页|推文|文章|通知|规程|守则|标准|意见"
)
# Where to download (app去哪下): 下 alone is 下载.
_WHERE_DOWNLOADED = re.compile(r"(?:去|在|到|从)?(?:哪里|哪儿|哪)下(?:载)?(?=$|[\s？?吗呢啊呀])")
# Where a meeting is held (会在哪开, 读书会在哪儿举行): a notice states it as its 地点.
_WHERE_HELD = re.compile(
    r"(?:(?<![\u4e00-\u9fff])(会))?(?:在|去)?(?:哪里|哪儿|哪|啥地方|什么地方)"
    r"(开会|召开|举行|举办|开|办)(?![始设展理])"
)
_UNIT_NUMBER = (
    r"[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十0-9]{1,3}[)）]|[0-9]{1,2}[.．、]"
)
# Where a band of points may be stated (分至, 分以上, 不满…分): the only passages read whole.
_BAND_HINT = re.compile(r"分\s*(?:至|到|-|—|－|~|～|以上|（含）|及以|以下)|不满|低于|不足|未达")
# A score a member tells (我考了75分, 72分是啥档次), not a figure asked (扣几分).
# The thing counted (有几个界别, 一共多少个专委会) and the clause a count is stated in.
_COUNTED_THING = re.compile(
    r"(?:几|多少)(?:个|名|位|家|类|种|项|件)?\s*([\u4e00-\u9fff]{2,8}?)\s*(?:[?？吗呢啊]|$)"
)
_CLAUSE = re.compile(r"[，,。；;：:\n]")
# Kinds a rule lists rather than counts (有几个档次, 几种方式, 几个步骤).
_KINDS_LISTED = frozenset(
    {"档次", "等次", "等级", "档", "类别", "种类", "类型", "方式", "形式", "情形", "情况", "渠道"}
    | {"步骤", "环节", "程序", "阶段", "方面", "部分", "内容", "要求", "条件", "标准", "层级"}
)
# An office named first, then away (秘书长请假找谁): that office-holder's own leave too.
_OFFICE_AWAY = re.compile(
    r"^\s*(秘书长|副主席|主席|主任|召集人|群主|组长)[^，。？?\s]{0,3}"
    r"(?:请假|请个假|去不了|来不了|不能参加|不能出席|缺席)"
)
# The score a grade takes (多少分算优秀, 良好要几分): a rule naming the grade answers.
_GRADES = r"(优秀|良好|合格|不合格|称职|基本称职|不称职|较好|一般|较差)"
_GRADE_ASKED = re.compile(
    rf"(?:多少|几)分?[^，。？?]{{0,4}}(?:算|是|为|评|才能|能评上?|才算)\s*{_GRADES}"
    rf"|{_GRADES}[^，。？?]{{0,6}}(?:多少|几)分"
)
_POINTS = re.compile(r"[0-9零一二三四五六七八九十百]+\s*分")
# An office-holder's own leave (秘书长自己请假, 群主本人去不了): the office as the one away.
_OWN_LEAVE = re.compile(
    r"(秘书长|副主席|主席|主任|召集人|群主|组长|常委|导读员|领读人|联络员)\s*(?:自己|本人)"
    r"(?=[^，。？?]{0,12}(?:[假架]|去不了|来不了|不能参加|不能出席|缺席))"
)
# The name a document gives itself near its top: a committee's rule, not one it quotes.
_TOP_OF_DOCUMENT = 300
_SELF_NAMED = re.compile(
    r"(?<!《)(?:全国委员会|省委员会)[^，。；《》\n]{0,12}(?:条例|规则|办法|规定|章程|细则)(?![^《\n]{0,3}》)"
)
# A Q&A page's question line (Q12：…？, 3. 问：…？, 问：…？).
_QA_QUESTION = re.compile(r"^(?:[0-9]{1,3}[.、．]\s*)?(?:问|Q|q)\s*[0-9]{0,3}\s*[：:][^\n]*[？?]")
# Things asked about that only a rule naming them answers: money a member asks whether there
# is (补助, 奖金, 稿费) or who pays (路费), benefits, and the platform's workings (验证码).
_NAMED_ONLY = re.compile(
    r"补助|补贴|津贴|奖金|奖励金|报酬|稿费|稿酬|工资|薪酬|误工费|交通费|路费|车费|餐费|伙食费"
    r"|住宿费|差旅费|讲课费|劳务费|经费|会费|工本费|油费|停车费|话费|通讯费|加班费|培训费|资料费"
    r"|餐补|房补|车补"
    # (and what is given in kind: 体检, 保险, 疗养)
    r"|体检|疗养|保险|意外险|福利"
    # (and the platform's: 收不到验证码, 密码忘了)
    r"|验证码|密码|绑定|闪退|登不上|登录不上|登陆不上|注册不了|下载"
)
# Whether something missed can be made up (漏了一天能补打吗, 可以补交吗): a rule saying so
# names the making up (补办, 补交, 补签).
_MAKE_UP_ASKED = re.compile(
    r"(?:能|可以|可不可以|能不能|允许|让)\s*补[\u4e00-\u9fff]|补[\u4e00-\u9fff](?:吗|行吗|可以吗|不)"
)
# How often a meeting is held (常委会一年开几次, 主席会议多久开一回): a rule says it in the
# sentence naming the meeting (常务委员会会议一般每季度举行一次), not of another one listed
# beside it (全体会议，每年举行一次；常务委员会会议；…).
_HOW_OFTEN_ASKED = re.compile(
    r"(?:一年|1年|每年|多久|多长时间|几个月|一个月|1个月|每月|半年|几年).{0,3}开(?:几|一|1)[次回]"
    r"|开几[次回]"
)
_HOW_OFTEN_STATED = re.compile(
    # (as 多久 is answered without a count, 每季度, 不定期; or as a year's sittings are told)
    rf"{UNTIMED}|(?:一|1)年(?:内)?(?:至少|一般)?(?:召开|举行|开)|半年|双月|季度|根据需要"
)
# How long a meeting lasts (全会一般开几天): its length (会期3天, 一般3至4天), not a notice's
# lead time (召开7日前, 前一天) or a deadline (3日内).
_HOW_LONG_ASKED = re.compile(r"开(?:几|多少)天|开多久|开多长时间|会期(?!间)")
_HOW_LONG_STATED = re.compile(
    r"(?<![前提后内0-9一二两三四五六七八九十半])[0-9一二两三四五六七八九十半]+个?(?:天|日|小时)"
    r"(?![前内后以之])|会期(?!间)|为期"
)
# (each: how it is asked, how a sentence naming the meeting states it)
# (and the time of day a thing starts: 研究室几点上班 is not 提案…17:00前提交)
_MEETING_FACTS = (
    (_HOW_OFTEN_ASKED, _HOW_OFTEN_STATED),
    (_HOW_LONG_ASKED, _HOW_LONG_STATED),
    (TIME_OF_DAY_ASKED, TIME_OF_DAY),
)
# Who a body is made of or who takes part (主席会议都有谁参加, 常委会由哪些人组成), and how a
# rule says it (由主席、副主席和秘书长组成, 参会人员：…).
_MEMBERS_ASKED = re.compile(
    r"(?:都|一般)?有谁|有哪些人|由哪些人|哪些人组成|都是谁|是哪些人|成员(?:是|有)(?:谁|哪些)"
    r"|(?:谁|哪些人)(?:来)?(?:参加|参会|出席)"
)
_MEMBERS_HEADED = re.compile(r"(?:参加|参会|出席|列席)(?:人员|对象|范围)|组成人员")
_MEMBERS_STATED = re.compile(
    r"组成(?!人员)|(?:由|包括)[^。；;]{1,40}(?:参加|参会|出席|列席|担任)"
    r"|成员(?:为|包括|有|是)|(?:参加|参会|出席|列席)(?:人员|对象|范围)"
)
_SENTENCE = re.compile(r"[。；;]")
_LEAD_LINE = re.compile(r"^[^\n]*[：:]\s*$", re.MULTILINE)
# (a table's row or a list's item is a statement of its own: 出席常委会议 | 3分/次 says
# nothing of how often, whatever the next row says)
_STATEMENT = re.compile(r"[。；;\n]")


def _led_sentences(text: str) -> list[str]:
    """The sentences of ``text``, an item's read with the line leading its list (委员联络组履行下
    列职责： over （二）每季度至少召开1次组务会议): who the item is of is said there."""
    lead = _LEAD_LINE.search(text)
    if lead is None:
        return _STATEMENT.split(text)
    head, items = text[: lead.end()], text[lead.end() :]
    return _STATEMENT.split(head) + [f"{lead.group(0)}{s}" for s in _STATEMENT.split(items)]


_KINDS_LISTING = re.compile(
    r"(?:有|分为|包括|分)(?:以下|下列|如下)?(?:[0-9一二三四五六七八九十几]+)?(?:个|种)?(?:类型|种类|类别|形式)"
)
_WHO_INTERPRETS = re.compile(r"谁(?:负责)?解释|解释权|由谁解释|找谁解释")
_WHOSE_READING = re.compile(
    r"以(?:谁|哪个部门|哪个单位|哪家|哪里|哪儿)的?(?:解释|说法|理解|意见)?为准"
)
# What a rule or a body is for (这个条例图个啥, 设工作室的目的是啥): the sentence opening a
# rule with its purpose (为…，制定本办法), or saying a body's (设立目的。为…搭建…平台).
_PURPOSE_ASKED = re.compile(
    r"(?:是|就是)?(?:为了|为)(?:干)?(?:啥|什么|哪般)|图(?:个)?(?:啥|什么)"
    r"|(?:目的|用意|初衷|宗旨)(?:是|在哪|何在)?(?:啥|什么)?|想达到(?:啥|什么)"
)
_PURPOSE_STATED = re.compile(
    r"(?:^|[\n。])[\s*#]*(?:第[一二]条[\s*]*|[（(]一[)）]\s*)?(?:[^。\n]{0,6}目的[。：:，,]?\s*)?"
    r"为(?:了)?[^。；\n]{4,}"
)
_INTERPRETS = re.compile(r"负责解释|解释权|由[^。；]{1,16}解释")
# A lead time asked of an act (提前几天请假, 提前多久报名): the act named after it.
# (the acts a rule sets a lead time for, each its own: 请假 is not 报备)
_LEAD_ACTS = frozenset({"请假", "报名", "报备", "申请", "通知", "报到", "备案", "预约"})
_THIS_YEAR_NAMED = re.compile(r"今年|上半年|下半年")
# What a passage prints on a line of its own (电话：…, 联系人：…, 地址：…), whichever sentence
# of it is quoted.
_PRINTED_LINES = (holds_a_phone_number, holds_an_address, holds_a_contact)
_DAY_ASKED = re.compile(r"哪天|几号|哪一天|什么时候|啥时候|何时|几月")
_DAY_PRINTED = re.compile(
    r"[0-9一二三四五六七八九十]+\s*月(?:[0-9一二三四五六七八九十]+\s*[日号]|底|初|中旬|上旬|下旬)"
)
# A title naming the year it is of (2025年度…通知, 2024年书香政协活动方案).
_OF_A_YEAR = re.compile(r"(?:19|20)[0-9]{2}\s*年(?:度)?|年度")
_LEAD_ASKED = re.compile(r"提前(?:几|多少|多久|多长时间)(?:个)?(?:工作日|天|日|小时|周|星期)?")
# Characters a count or a time opens with, before which jieba may glue the unit (一年报).
_COUNT_HEADS = frozenset("一二两三几每半0123456789")
# What a saved page's notes say (发布时间, 来源, 浏览次数, the footer's 版权所有, ICP, 地址, 电话).
_PAGE_FACT_ASKED = re.compile(
    r"发布|发的|印发|来源|出处|浏览|阅读量|点击|多少人看|版权|备案|ICP|网站|传真|邮编"
    r"|谁整理|谁写|作者|编辑|技术支持|主办"
    # (as members ask it: 看的人多不多, 哪个部门出的)
    r"|看的人|(?:部门|单位|谁)给?(?:出|发|编)的",
    re.IGNORECASE,
)
# A year asked about by its number (2024年立案多少件), not the 2000字 of a length.
_YEAR_NAMED = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?=\s*年)")
_SCORE = re.compile(r"(?<![0-9几多])([0-9]{1,3})\s*(?:多|来)?\s*分(?![钟之])")
_SCORE_TOLD = frozenset({"考", "得", "拿", "攒", "打", "考了", "得了", "拿了"})
# A question naming one word ties many passages: the one asked for may rank beyond ten.
_NUDGE_POOL = 100
# How far from a count the thing it counts is named (设12个界别活动组, 专门委员会共九个).
_COUNT_REACH = 16
# How many places the titles must name for a place named nowhere to be another committee's.
_PLACES_TO_TELL_APART = 2
_PLACE_SUFFIX = re.compile(r"(?:省|市|区|县|州|旗|盟|自治区|自治州|自治县)$")
# Refused, a question is still shown to a configured model with the passages holding at
# least this share of its words (the answer policy asks 0.35 of the best one).
_WORTH_READING = 0.2


# Markup pasted with a question (<b>…</b>, &nbsp;) and what a member says before 请问
# (我是教育界的委员，今年刚履职，请问…): the question is what follows.
_MARKUP = re.compile(r"<[^<>]{1,200}>")
_ASKING_NOW = re.compile(r"(?:请问|想问一下|想问下|我想问|问一下)[，,：:\s]*")
_ASKED_MIN = 4


def _had(word: str, question: str) -> bool:
    """Whether ``word`` is asked about as a thing one has (有补助吗, 有没有体检): jieba
    tags 补助 and 体检 as verbs, and a verb the rulebook never uses is only how the member
    put it; had, it is the thing asked about."""
    if word in _ASKED_OF_RULES or word.startswith(("哪", "啥", "什么", "几", "多少", "怎")):
        return False  # (有哪几种 asks which there are)
    return bool(
        re.search(
            rf"有(?:没有)?[^，。？?,\s啥什哪几多]{{0,6}}{re.escape(word)}"
            # (有体检安排吗: the thing, then what is had of it)
            r"(?:安排|待遇|补贴|费用)?(?:吗|么|嘛|没|不|呢|\s*[?？]|$)",
            question,
        )
    )


# 有限制吗, 有啥说法, 有要求吗: what a rule says of a thing, asked of every rule.
_ASKED_OF_RULES = frozenset(
    {"限制", "要求", "规定", "说法", "讲究", "影响", "区别", "关系", "用", "问题", "变化"}
)


def what_is_asked(question: str) -> str:
    """The question without pasted markup and without the introduction before 请问."""
    text = " ".join(html.unescape(_MARKUP.sub(" ", question)).split())
    starts = [m.end() for m in _ASKING_NOW.finditer(text)]
    if starts and len(text) - starts[-1] >= _ASKED_MIN:
        text = text[starts[-1] :]
    return text


def _no_rule_answers(question: str) -> bool:
    """This year's facts, today's date or weather, a request for a service: not searched
    (who holds an office is: a notice may name them)."""
    return any(
        asks(question)
        for asks in (
            asks_about_this_year,
            asks_about_today,
            asks_for_a_service,
            asks_for_own_score,
        )
    )


def _kinds_asked(question: str, groups: Sequence[QueryGroup]) -> list[re.Pattern[str]]:
    """What a passage of the kind the question asks for says."""
    kinds = [COUNT] if _ASKS_COUNT.search(question) else []
    if kinds and (count_word := _COUNT_WORD.search(question)):
        # 专委会副主任最多能有几个: the count stated of the thing named before it (副主任2至4人)
        before = question[: count_word.start()]
        things = [
            g
            for g in groups
            if g.known
            and len(g.word) > 1
            and g.word in before
            and g.word not in _GENERIC_THINGS
            and not _BOUND_WORD.fullmatch(g.word)
        ]
        if things:
            forms = "|".join(re.escape(m) for m in things[-1].members[: things[-1].forms])
            kinds.append(re.compile(rf"(?:{forms})[^，,。；;：:]{{0,4}}(?:{COUNT.pattern})"))
    if ASKS_WHEN_ADOPTED.search(question):
        kinds.append(ADOPTION)
        if SITTING_ASKED.search(question):
            kinds.append(_ADOPTED_AT)  # 哪个会上过的: the line naming the sitting (…会议通过）)
        elif _EFFECT_ASKED.search(question):
            # 啥时候开始执行: the article saying from when it applies (自2025年3月1日起施行)
            # before the line saying when it was adopted
            kinds.append(_TAKES_EFFECT)
    if _WHO_INTERPRETS.search(question):
        kinds.append(_INTERPRETS)  # 规定谁解释: the article saying who does
    if _PURPOSE_ASKED.search(question):
        kinds += [_PURPOSE_STATED] * 2  # 图个啥: the purpose is all that is asked
    if _KINDS_OF.search(question):
        # 视察调研有哪几种类型: the article saying what kinds there are (主要有以下类型：)
        kinds.append(_KINDS_LISTING)
    words = [re.escape(m) for g in groups if g.known for m in g.members[: g.forms] if len(m) > 1]
    if words and _ASKS_WHICH.search(question):
        # 哪些提案不予立案: the article listing the cases (有下列情形之一的，不予立案：) before the
        # one on what follows from them (不予立案的提案，应当告知…)
        term = "|".join(sorted(words, key=len, reverse=True))
        listing = (
            rf"(?:下列|以下)[^。：:]{{0,12}}(?:情形|情况)[^。：:]{{0,8}}(?:{term})[^。]{{0,4}}[：:]"
        )
        kinds += [re.compile(listing)] * 2  # counts twice: the list is what 哪些 asks for
        # (or a Q&A page's question asking which: 问：哪些提案不会被立案？ 答：一是…二是…)
        asking = rf"问[：:][^？?\n]{{0,12}}(?:哪些|哪几|哪种)[^？?\n]{{0,10}}(?:{term})[^？?\n]{{0,6}}[？?]"
        kinds += [re.compile(asking)] * 2
    if words and ASKS_DEFINITION.search(question):
        term = "|".join(sorted(words, key=len, reverse=True))
        # (passages are read folded: their commas are ASCII)
        kinds.append(
            re.compile(
                rf"(?:什么是|什么叫|所称|所说的)[^，,。？?]{{0,8}}(?:{term})"
                rf"|(?:{term})[^，,。？?]{{0,8}}(?:是指|指的是)"
                # an article opening on the word: 第二条 提案是政协委员…提出的书面意见
                # (or a paragraph of it: 参政议政是对…)
                # (or a unit of a local rule: 一、反映社情民意信息是…)
                rf"|^(?:第[^条\s]{{1,6}}条\s*|{_UNIT_NUMBER})?[^，,。？?\s]{{0,3}}(?:{term})"
                rf"[^，,。？?\s]{{0,6}}[，,]?是(?!否)",
                re.MULTILINE,
            )
        )
        # the word itself said to be (社情民意信息是…) before its parts (…信息的主体是, …工作是)
        kinds.append(
            re.compile(
                rf"^(?:第[^条\s]{{1,6}}条\s*|{_UNIT_NUMBER})?[^，,。？?\s]{{0,3}}(?:{term})"
                rf"[，,]?(?:是指|是)(?!否)",
                re.MULTILINE,
            )
        )
    return kinds


def _stating_first(answer: Answer, stating: Sequence[bool]) -> Answer:
    """The answer with its first citation stating what is asked put first, quoted."""
    at = next((n for n, states in enumerate(stating) if states), 0)
    if at == 0:
        return answer
    cited = answer.citations
    citations = (cited[at], *cited[:at], *cited[at + 1 :])
    quote = citations[0].text
    return replace(
        answer,
        citations=citations,
        quote=quote,
        text=format_extractive(quote=quote, citations=citations),
    )


def _nudged(
    hits: list[Hit[SourcePassage]],
    kinds: list[re.Pattern[str]],
    banded: frozenset[int] = frozenset(),
    folded: Callable[[SourcePassage], str] = lambda p: fold(p.text),
) -> list[Hit[SourcePassage]]:
    nudge = [
        _NUDGE * max(sum(bool(p.search(folded(h.entry))) for p in kinds), h.entry.id in banded)
        for h in hits
    ]
    order = sorted(range(len(hits)), key=lambda i: -(hits[i].relevance + nudge[i]))
    return [hits[i] for i in order][:_RETRIEVE]


class Rulebook:
    """An index over stored passages; rebuilt whenever documents change."""

    def __init__(
        self,
        *,
        passages: Sequence[SourcePassage],
        token_lists: Sequence[Sequence[str]],
        tokenizer: Tokenizer,
        policy: AnswerPolicy | None = None,
        character_ranking: bool = False,
        second_opinion: bool = True,
    ) -> None:
        self.tokenizer = tokenizer
        self.policy = policy or AnswerPolicy()
        # the learned second opinion on answering (bot/kb/verdict.py); None: the checks alone
        self.verdict: VerdictModel | None = verdict_model() if second_opinion else None
        self._by_id: dict[int, SourcePassage] | None = None
        self._bands: dict[int, list[tuple[float, float]]] | None = None
        self._naming_place: dict[str, frozenset[str]] = {}  # the documents naming a place
        self._positions: dict[int, int] | None = None  # a passage's place in the index
        self._folds: dict[int, str] = {}
        self._documents: dict[str, str] = {}
        self._title_places: frozenset[str] | None = None
        self._yearly: frozenset[str] | None = None
        self._grounds: list[int] | None = None  # the passages listing cases not registered
        self._titles: dict[str, str] | None = None  # each document's title, folded
        self._numbered: dict[str, SourcePassage] | None = None  # each document's 文号 line
        learned = second_opinion and len(passages) >= MIN_PASSAGES
        self.index: PassageIndex[SourcePassage] = PassageIndex(
            entries=passages,
            token_lists=token_lists,
            tokenizer=tokenizer,
            contexts=["\n".join((p.title, *p.heading_path)) for p in passages],
            bodies=[p.text for p in passages],
            character_ranking=character_ranking,
            # the word translations learned from members' questions re-rank what BM25
            # finds (the second opinion was fitted on that ranking: one switch for both);
            # over a handful of passages the checks decide alone, on the ranking they know
            translation=translation_table() if learned else None,
            # and the first ten are re-ordered by what was learned of which one answers
            reranker=passage_reranker() if learned else None,
        )

    @classmethod
    def from_prepared(
        cls,
        documents: Sequence[PreparedDocument],
        *,
        tokenizer: Tokenizer,
        policy: AnswerPolicy | None = None,
        character_ranking: bool = False,
        second_opinion: bool = True,
    ) -> Rulebook:
        """Without a database: tests, evaluations and benchmarks."""
        passages: list[SourcePassage] = []
        tokens: list[list[str]] = []
        for doc in documents:
            for passage, passage_tokens in zip(doc.passages, doc.tokens, strict=True):
                passages.append(
                    SourcePassage(
                        id=len(passages),
                        source=doc.file_name,
                        title=passage.title,
                        locator=passage.locator,
                        heading_path=passage.heading_path,
                        text=passage.text,
                    )
                )
                tokens.append(passage_tokens)
        return cls(
            passages=passages,
            token_lists=tokens,
            tokenizer=tokenizer,
            policy=policy,
            character_ranking=character_ranking,
            second_opinion=second_opinion,
        )

    def __len__(self) -> int:
        return len(self.index)

    def checks_alone(self) -> Rulebook:
        """This rulebook (the same passages) answering by its checks alone, ranked by BM25
        and coverage without the word translation table and without the learned second
        opinion: what it answered before them (benchmarks, tests of one check)."""
        alone = self.ranked_with(None)
        alone.verdict = None
        return alone

    def ranked_with(
        self, translation: TranslationTable | None, reranker: Reranker | None = None
    ) -> Rulebook:
        """This rulebook with its passages ranked by ``translation`` and re-ordered by
        ``reranker`` (None: by BM25 and coverage alone): benchmarks fitting them measure
        them with one era of questions left out."""
        ranked = copy.copy(self)
        ranked.index = self.index.translated_by(translation, reranker)
        return ranked

    def retrieve(self, question: str, *, k: int = _RETRIEVE) -> list[Hit[SourcePassage]]:
        return self.index.search(question, k=max(k, _RETRIEVE))[:k]

    def _policy(self, k: int | None) -> AnswerPolicy:
        if k is None:
            return self.policy
        return replace(self.policy, max_citations=max(1, k))

    def names_unknown_thing(self, groups: Sequence[QueryGroup], question: str) -> bool:
        """A question asks about a thing no passage mentions (工资, 护照, 人大代表, 楼); one
        the member only tells as the situation (我下周有手术, 去法院) does not count, nor the
        unit a figure is asked in (多少人)."""
        unit = figure_unit(question)
        return any(
            not g.known
            and (
                self.tokenizer.is_noun(g.word)
                or g.word in _THINGS_SAID_AS_VERBS
                or _had(g.word, question)
            )
            and not told_as_situation(g.word, question)
            and g.word != unit
            for g in groups
        )

    def _recut_unknown(self, question: str, groups: Sequence[QueryGroup]) -> str | None:
        """The question cut where jieba glued an unknown noun across a rulebook word's edge
        (交心得: 交心 / 得 for 交 / 心得), when then no unknown noun is left; else None."""
        knows = self.index.knows
        for group in groups:
            word = group.word
            at = question.find(word)
            if group.known or at < 0 or not self.tokenizer.is_noun(word):
                continue
            end = at + len(word)
            # a character said twice across a word's edge (视察组组长: 组 / 组长) first
            doubled = len(word) > 2 and word[0] == word[1] and knows(word[1:])
            cuts = [at + 1] if doubled else []
            cuts += [
                cut
                for cut in range(at + 1, end)
                if any(knows(question[cut:j]) for j in range(end + 1, end + 4))
                or any(knows(question[k:cut]) for k in range(max(0, at - 3), at))
                # (一年报几个: 年报 glued after the count it belongs to, 一年 / 报)
                or (cut == at + 1 and question[max(0, at - 1) : at] in _COUNT_HEADS)
            ]
            for cut in cuts:
                pieces = (question[at:cut], question[cut:end])
                if any(len(p) > 1 and not self.tokenizer.is_word(p) for p in pieces):
                    continue  # (人大代表 is no 人大代 and 表)
                candidate = f"{question[:cut]} {question[cut:]}"
                words = self.index.groups(self.tokenizer.tokens(candidate))
                if not self.names_unknown_thing(words, candidate):
                    return candidate
        return None

    def _respell_unknown(self, question: str, groups: Sequence[QueryGroup]) -> str | None:
        """The question with each unknown noun written as the rulebook word that sounds
        the same, None when some unknown noun has no such word."""
        out = question
        for group in groups:
            if group.known or not self.tokenizer.is_noun(group.word):
                continue
            if self.tokenizer.is_common_word(group.word):
                return None  # 议案 is meant as typed, not as 一案
            found = self.index.homophone(group.word)
            if found is None:
                return None
            out = out.replace(group.word, found)
        return out

    def answer(self, question: str, *, k: int | None = None) -> Answer:
        """Extractive answer with at most ``k`` citations (policy default when None).

        Nothing found: the question is tried once more with what was typed by sound
        respelled (请架 -> 请假), and must pass the same policy."""
        asked = what_is_asked(question)
        if not asked or small_talk(asked) is not None:
            # nothing asked (an empty line, markup only) or small talk (你好, 收到, a bare
            # number): nothing to search, say how to ask; the chat greets before this
            return replace(not_found(question), text=catalogue().s("ask.prompt"))
        if _TITLE_ASKED.search(asked) and _DOCUMENT_KIND.search(asked):
            titled = self._title_answer(asked)
            if titled is not None:
                return replace(titled, question=question)
        if self.verdict is None or len(self) < MIN_PASSAGES:
            return replace(self._checked(asked, k=k), question=question)
        answer, relaxed, feats = self.second_opinion_case(asked, k=k)
        if answers(
            self.verdict,
            feats,
            found=answer.found,
            relaxed_found=relaxed.found,
            named=bool(articles_named(asked)),
        ):
            answer = answer if answer.found else relaxed
        else:
            answer = not_found(asked)
        return replace(answer, question=question)

    def _checked(self, asked: str, *, k: int | None) -> Answer:
        """The checks' answer, asked once more respelled when refused."""
        answer = self._answer(asked, k=k)
        if not answer.found:
            respelled = self.index.respell(asked)
            if respelled != asked:
                answer = self._answer(respelled, k=k)
        return answer

    def second_opinion_case(
        self, asked: str, *, k: int | None
    ) -> tuple[Answer, Answer, dict[str, float]]:
        """The checks' answer, the answer with their bars lowered, and what the answer
        model reads of both (``bench/kb_verdict.py`` fits it on exactly these)."""
        answer = self._checked(asked, k=k)
        relaxed = answer if answer.found else self._answer(asked, k=k, relaxed=True)
        groups = self.index.groups(self.tokenizer.tokens(asked))
        feats = features(
            asked,
            found=answer.found,
            relaxed_found=relaxed.found,
            hits=self.index.search(asked, k=2),
            groups=groups,
            places=[g.word for g in groups if self.tokenizer.is_place(g.word)],
            overruled=relaxed.overruled,
        )
        return answer, relaxed, feats

    def _answer(self, question: str, *, k: int | None, relaxed: bool = False) -> Answer:
        yearly: frozenset[str] | None = None
        if _no_rule_answers(question):
            if (
                asks_about_today(question)
                or asks_for_a_service(question)
                or asks_for_own_score(question)
                or not _THIS_YEAR_NAMED.search(question)
            ):
                return not_found(question)  # (去年的…: which year that is depends on the day)
            # 今年的主题是啥: a year's own notice or plan (2025年度…通知) may say; no rule does
            yearly = self._yearly_sources()
            if not yearly:
                return not_found(question)
        if _ISSUER_ASKED.search(question) and (signing := self._signing_passage(question)):
            # 积分通知是谁发的: the office signing it, which the question names in no word
            return self._matched_answer(question, k=k, lead=signing, relaxed=relaxed)
        if _NUMBER_ASKED.search(question):
            # 考勤规定的文号是多少: the line printing the document's number, which no
            # passage calls its 文号; a document printing none has none to tell
            numbering = self._numbering_passage(question)
            if numbering is None:
                return not_found(question)
            return self._matched_answer(question, k=k, lead=numbering, relaxed=relaxed)
        answer = self._matched_answer(question, k=k, relaxed=relaxed)

        def refused(check: str) -> Answer:
            # a check refusing what was found: with the bars lowered, the answer model
            # weighs the check instead (it is told which one overruled)
            if relaxed and answer.found:
                return replace(answer, overruled=(*answer.overruled, check))
            return not_found(question)

        if not answer.found and _ELIGIBILITY_ASKED.search(question):
            # 帮表弟调岗位的事能写提案不: the member's own case, told in words the list of
            # cases not registered seldom shares; that list answers
            grounds = self._grounds_listed(question)
            if grounds is not None:
                answer = self._matched_answer(question, k=k, lead=grounds, relaxed=relaxed)
        if yearly is not None and answer.found:
            first = answer.citations[0]
            if first.source not in yearly or (
                _DAY_ASKED.search(question) and not _DAY_PRINTED.search(self._cited_text(first))
            ):
                return not_found(question)  # 今年全会哪天开: the year's notice names no day
        printing = self._printing_what_is_asked(question, answer)
        if printing is not None:
            # 委工委电话多少: the rule printing the number goes first, not the one naming the
            # office most often
            answer = self._matched_answer(question, k=k, first=printing, relaxed=relaxed)
        spoken = levels_to_be_named(question)
        if answer.found and spoken:
            # 全国政协一届干几年: the national rule cited goes before a city's rule citing it
            # (a rule of that level by its title, not one speaking of it: 被省政协采用的)
            answer = _stating_first(
                answer,
                [
                    all(p.search(self._level_text(c, passage=n == 0)) for p in spoken)
                    for n, c in enumerate(answer.citations)
                ],
            )
        if answer.found and not self._states_of_the_meeting(question, answer.citations[0]):
            # 主席会议多久开一次: the article saying how often goes before the list naming it
            answer = _stating_first(
                answer, [self._states_of_the_meeting(question, c) for c in answer.citations]
            )
        if answer.found and _MEMBERS_ASKED.search(question):
            # 主席会议都有谁参加: the rule saying who it is made of, first; none, no answer
            taking_part = [self._states_who_takes_part(question, c) for c in answer.citations]
            if not any(taking_part):
                return not_found(question)
            answer = _stating_first(answer, taking_part)
        figure = asks_for_a_figure(_as_rules_put_it(question))
        counted = count_asked(question)

        def counts(text: str) -> bool:
            return counted is not None and bool(counted.search(text))

        if answer.found and any(
            asks(question)
            and not any(
                # (a contact line is read in the passage: the quote is one sentence of it)
                holds(c.text) or (holds in _PRINTED_LINES and holds(self._cited_text(c)))
                for c in answer.citations[:first]
            )
            for asks, holds, first in (
                # the office's number is the best passage's, not another rule's contact line
                (asks_for_a_phone_number, holds_a_phone_number, 1),
                (asks_for_an_address, holds_an_address, 1),
                (asks_for_a_contact, holds_a_contact, 1),
                # 缺席一次扣多少分: a deduction, not the points an attendance earns (一次1分)
                (_DEDUCTION_ASKED.search, _DEDUCTION_STATED.search, 1),
                # 一共占多少分 asks a figure in a unit, checked below, not a count of things;
                # 一共多少名委员 asks a count of the members, whatever else is counted in 名
                (
                    lambda q: (
                        counted is not None
                        and (figure is None or (asks_a_total(q) and figure_unit(q) == "人"))
                    ),
                    counts,
                    None,
                ),
            )
        ):
            return refused("not_printed")
        if answer.found and self._asks_what_the_rules_do_not_say(
            question, answer.citations, figure, counted
        ):
            return refused("not_said")
        if answer.found and not self._names_the_office(question, answer.citations[0]):
            return refused("office")  # 委员服务科在几号房间: another office's room
        printed = [p for p, _ in facts_to_be_stated(question)]
        if answer.found and printed:
            # 政协一届干几年: the article stating the term (每届任期五年) goes before one only
            # speaking of a term (在一届任期内…连续两年)
            answer = _stating_first(
                answer,
                [all(p.search(self._cited_text(c)) for p in printed) for c in answer.citations],
            )
        if answer.found and not self._holds_a_word(question, answer.citations):
            return refused("word")  # 怎么减肥比较快: only 快 of it, in 快捷 or 尽快
        if (
            answer.found
            and _ADOPTION_ONLY.match(fold(answer.citations[0].text))
            and not ASKS_WHEN_ADOPTED.search(question)
            and not _ADOPTION_ASKED.search(question)
        ):
            # 主席会议多久开一次 found （…第三十一次主席会议通过）: the line saying when the
            # rule was adopted answers when, and nothing else
            return refused("adoption")
        if not answer.found or figure is None or self._page_asks_it(question, answer.citations[0]):
            return answer
        # read in the best passage's document, or in another's that holds as much of the
        # question: the 社情民意 rule's 一千五百字 does not say how long a 读书心得 is
        first = answer.citations[0]
        texts = [
            without_dates(count_digits(fold(_points_in_table(self._stated_text(c)))))
            for c in answer.citations
        ]
        stating = [
            c for c, text in zip(answer.citations, texts, strict=True) if figure.search(text)
        ]
        if not any(c.source == first.source for c in stating) and not self._another_states_it(
            question, first, stating
        ):
            return refused("figure")  # 读书心得要写多少字: no cited rule states a length
        cited = [
            t for c, t in zip(answer.citations, texts, strict=True) if c.source == first.source
        ]
        forms = self._forms_of_the_thing(question)
        of_the_thing = self._stating_of_the_thing(forms, figure, texts, answer.citations)
        if of_the_thing:
            # 述职报告最多写多少字: the bound is the one the rule on 述职报告 states (不少于1500字),
            # not the 提案's 2000字以内 of the best passage's page
            cited = [t for t, stating in zip(texts, of_the_thing, strict=True) if stating]
        if states_only_the_other_bound(question, cited, figure):
            return not_found(question)  # 最少写多少字: the rules state only how long at most
        if forms is not None and not of_the_thing:
            # 案由最多多少字: 提案正文…最多不超过一千五百字 is another thing's length; the figure
            # is stated of the thing asked of, by a passage naming it or under a heading naming
            # it (政协一届干几年, no particular thing: 本会每届任期五年 answers)
            return refused("thing")
        if not self._lead_time_of_the_act(question, figure, texts):
            return not_found(question)  # 活动去不了要提前几天请假: not 提前3个工作日报备
        # 联名最多能拉几个人: the article stating 不超过10人 before the points row naming 联名
        return _stating_first(answer, [bool(figure.search(t)) for t in texts])

    def _lead_time_of_the_act(
        self, question: str, figure: re.Pattern[str], texts: Sequence[str]
    ) -> bool:
        """提前几天请假: a cited sentence stating the lead time names the act it is of."""
        asked = _LEAD_ASKED.search(question)
        if asked is None:
            return True
        after = self.index.groups(self.tokenizer.tokens(question[asked.end() :]))
        acts = [g for g in after if len(g.word) > 1]
        if not acts or not _LEAD_ACTS.intersection(acts[0].members[: acts[0].forms]):
            return True  # (提前多久做好, 说一声: how the member says it, not the rules' act)
        forms = [fold(m) for m in acts[0].members[: acts[0].forms] if len(m) > 1]
        return any(
            figure.search(sentence) and any(f in sentence for f in forms)
            for text in texts
            for sentence in _SENTENCE.split(text)
        )

    def _things_named_before(self, question: str, at: int) -> tuple[str, list[QueryGroup]]:
        """The clause before ``at``, where the question word stands, and the things (nouns
        the rules know) it names: 常委会 of 常委会一年开几次, 主席会议 of 主席会议都有谁参加."""
        # (in the clause asking it: 能去外地考察吗 一年几次 asks how often, of no 外地)
        said = re.split(r"[\s，,。；;？?！!]+", question[:at])[-1]
        return said, [
            g
            for g in self.index.groups(self.tokenizer.tokens(said))
            if g.known
            and len(g.word) > 1
            and g.word not in ASKING_VERBS
            and self.tokenizer.is_noun(g.word)
            # (对群主有意见: 有意见 says what the member has, 群主 is what it is about)
            and not re.search(rf"有{re.escape(g.word)}", said)
        ]

    def _forms_of_the_thing(self, question: str) -> list[str] | None:
        """How a passage names the thing a figure is asked of (the last thing named before
        the question word), folded; None when no particular thing is named."""
        asked = _FIGURE_PHRASE.search(question)
        if asked is None:
            return None
        said, things = self._things_named_before(question, asked.start())
        # 郑州市政协2024年报送了多少篇: a place says whose figure, not what is counted
        things = [t for t in things if not self.tokenizer.is_place(t.word)]
        if things and things[-1].word in _GENERIC_THINGS and len(things) > 1:
            # 秘书长会议, 专题议政会议: the meeting is named by the word right before 会议
            head = said.rfind(things[-1].word)
            named = said.rfind(things[-2].word, 0, max(head, 0))
            if head > 0 and named >= 0 and named + len(things[-2].word) == head:
                things = things[:-1]
        if not things or things[-1].word in _GENERIC_THINGS:
            return None
        # a compound (大会决议, 界别活动) is named by its parts too (决议, 活动), its own
        # parts: not the 开会 of a synonym (主席开会), which 全体会议…开会 holds
        thing = things[-1]
        return [
            fold(m)
            for n, m in enumerate(thing.members)
            if len(m) > 1 and m not in _GENERIC_THINGS and (n < thing.forms or m in thing.word)
        ]

    def _stating_of_the_thing(
        self,
        forms: list[str] | None,
        figure: re.Pattern[str],
        texts: Sequence[str],
        citations: Sequence[Citation],
    ) -> list[bool]:
        """Which citations state the figure and name the thing it is asked of (``forms``:
        in their text, title or headings); none when no particular thing is asked of, or no
        citation does."""
        if forms is None:
            return []
        stating = []
        for citation, text in zip(citations, texts, strict=True):
            at = self._position(citation)
            searched = self.index.passage_texts(at)[0] if at is not None else ""
            stating.append(bool(figure.search(text)) and any(f in searched for f in forms))
        return stating if any(stating) else []

    def _holds_who_is_chosen(self, question: str, citation: Citation) -> bool:
        """常委是咋选出来的: the rule that answers how someone (something) is chosen names
        them; a rule on how others are chosen (委员 elected by the plenary) does not answer
        专委会主任怎么产生的."""
        asked = _HOW_CHOSEN.search(question)
        if asked is None:
            return True
        at = self._position(citation)
        if at is None:
            return True
        named = question[: asked.start()]
        groups = [g for g in self.index.groups(self.tokenizer.tokens(named)) if len(g.word) > 1]
        return all(self.index.held_weight([g], at) >= _HELD_AS_NAMED * g.weight for g in groups)

    def _asks_what_the_rules_do_not_say(
        self,
        question: str,
        citations: Sequence[Citation],
        figure: re.Pattern[str] | None,
        counted: re.Pattern[str] | None,
    ) -> bool:
        """A near miss: the cited rules share the question's words but do not say what it
        asks (who is chosen, another committee's or body's rules, a grade's score, an
        office-holder's own leave, who holds an office, a count, money, a year, a printed
        fact)."""
        best = citations[0]
        return (
            not self._holds_who_is_chosen(question, best)
            or self._of_another_level(question, best)  # 市政协委员…, of a county's rules
            or not self._states_the_grade(question, citations)
            or not self._on_their_own_leave(question, best)
            # 主任是谁: a rule says what the office does, not who holds it
            or (asks_for_a_person(question) and not names_a_person(self._cited_text(best)))
            # 有几个界别: 特邀信息员不超过30名 counts others
            or (
                figure is None
                and counted is not None
                and not self._counts_the_thing(question, counted, citations)
            )
            or not self._names_what_is_asked(question, best)
            # 漏打卡了能补打吗: a rule on the making up, not only on the checking in
            or (bool(_MAKE_UP_ASKED.search(question)) and "补" not in self._cited_text(best))
            or not any(self._states_of_the_meeting(question, c) for c in citations)
            # 2023年评上的优秀提案: that year's facts, in a report of that year if any (a work
            # report says 全年 of the year its opening names)
            or not all(
                year in self._document_text(best.source) for year in _YEAR_NAMED.findall(question)
            )
            # 常委会几点开始: no cited rule prints a time of day
            or not all(
                any(printed.search(self._cited_text(c)) for c in citations[: 1 if only else None])
                for printed, only in facts_to_be_stated(question)
            )
            # 省政协常委会多久开一次, asked of a city's rules
            or not all(
                spoken.search(self._level_text(best)) for spoken in levels_to_be_named(question)
            )
        )

    def _states_who_takes_part(self, question: str, citation: Citation) -> bool:
        """主席会议都有谁参加: a sentence of the citation names the body and who it is made of
        (由信息编辑小组…研究 names the body, not who is in it)."""
        asked = _MEMBERS_ASKED.search(question)
        if asked is None:
            return True
        _, things = self._things_named_before(question, asked.start())
        forms = [fold(m) for m in things[-1].members[: things[-1].forms]] if things else []
        text = fold(self._cited_text(citation))
        if names_a_person(text) or any(
            _MEMBERS_STATED.search(sentence) and (not forms or any(f in sentence for f in forms))
            for sentence in _led_sentences(text)
        ):
            return True
        # 三、参会人员 over a notice's list: the heading says what its items are
        at = self._position(citation)
        if at is None:
            return False
        searched, own = self.index.passage_texts(at)
        headings = searched[: searched.rfind(own)] if own else ""
        return bool(_MEMBERS_HEADED.search(headings)) and (
            not forms or any(f in searched for f in forms)
        )

    def _names_the_office(self, question: str, citation: Citation) -> bool:
        """委员服务科在几号房间, 信息科电话多少: the passage printing the room or the number
        names the office asked about (as the rules call it), if the rules know it."""
        if not (asks_for_an_address(question) or asks_for_a_phone_number(question)):
            return True
        office = _OFFICE_ASKED.search(question)
        if office is None:
            return True
        groups = self.index.groups(self.tokenizer.tokens(office.group(1)))
        named = [g for g in groups if g.word == office.group(1) and g.known]
        text = fold(self._cited_text(citation))
        if not named:
            # 秘书长办公室在几号房间: an office named in words the rules know, each of which
            # the passage printing the room holds (会务科…415室 is another office's)
            words = [g for g in groups if len(g.word) > 1]
            if not words or not all(g.known for g in groups):
                return True  # (an office no passage names: the unknown-noun rule's to judge)
            named = words
        return all(any(fold(m) in text for m in g.members[: g.forms] if len(m) > 1) for g in named)

    def _states_of_the_meeting(self, question: str, citation: Citation) -> bool:
        """常委会一年开几次, 全会开几天: a sentence of the citation names the meeting asked
        about and states what is asked of it (how often, how long)."""
        asked = [stated for asking, stated in _MEETING_FACTS if asking.search(question)]
        forms = self._forms_of_the_thing(question) if asked else None
        if forms is None:
            return True
        return any(
            all(stated.search(sentence) for stated in asked)
            # (每半年…在常委会议上通报: the meeting as the place of another act, not held)
            and any(re.search(re.escape(f) + "(?![会议]*上)", sentence) for f in forms)
            for sentence in _led_sentences(fold(self._cited_text(citation)))
        )

    def _states_the_grade(self, question: str, citations: Sequence[Citation]) -> bool:
        """多少分算优秀: a cited rule names the grade with a score (年度满分为一百分 names no
        grade, 优秀读书心得 no score)."""
        grade = _GRADE_ASKED.search(question)
        if grade is None or "分" not in question:
            return True
        named = grade.group(1) or grade.group(2)
        return any(
            named in text and _POINTS.search(text) for text in map(self._cited_text, citations)
        )

    def _on_their_own_leave(self, question: str, citation: Citation) -> bool:
        """秘书长自己请假谁批: the rule speaks of the office-holder away (专门委员会主任本人请假的,
        or a table's row for them), not as the approver (委员请假由秘书长审批)."""
        own = _OWN_LEAVE.search(question) or _OFFICE_AWAY.search(question)
        if own is None or own.group(1) in citation.locator:
            return True
        return bool(
            re.search(
                rf"{own.group(1)}[^，。；]{{0,4}}(?:请假|缺席|不能出席|不能参加|因故)",
                self._cited_text(citation),
            )
        )

    def _counts_the_thing(
        self, question: str, counted: re.Pattern[str], citations: Sequence[Citation]
    ) -> bool:
        """Whether a cited rule states the count of the thing asked about in the clause
        naming it (设十八个界别, 专门委员会共九个)."""
        asked = _COUNTED_THING.search(question)
        if asked is None:
            return True
        groups = self.index.groups(self.tokenizer.tokens(asked.group(1)))
        # (the thing counted, not what it does: 几个委员坐班 counts 委员)
        things = [
            g for g in groups if g.known and len(g.word) > 1 and self.tokenizer.is_noun(g.word)
        ]
        if not things or things[-1].word in _GENERIC_THINGS:
            return True
        thing = things[-1]
        if thing.word in _KINDS_LISTED:
            return True  # (办理评价有几个档次: 满意、基本满意或者不满意, a list, no count)
        forms = [fold(m) for m in thing.members[: thing.forms]]
        for citation in citations:
            text = count_digits(fold(self._cited_text(citation)))
            for match in counted.finditer(text):
                # the count is of the thing when it names it next to the count (设12个界别
                # 活动组, 专门委员会共九个), not of what the thing does (每个专门委员会报送1至3个)
                before = text[max(0, match.start() - _COUNT_REACH) : match.start()]
                after = text[match.end() : match.end() + _COUNT_REACH]
                if "分之" in text[max(0, match.start() - 3) : match.end() + 2]:
                    # (a share of a body, 全体组成人员三分之二以上: of the body in its clause)
                    clause = _CLAUSE.split(before)[-1] + _CLAUSE.split(text[match.start() :])[0]
                    if any(f in clause for f in forms):
                        return True
                    continue
                if any(
                    re.match(rf"[^，,。；;]{{0,2}}{re.escape(f)}", after)
                    or re.search(rf"{re.escape(f)}[^，,。；;]{{0,3}}$", before)
                    for f in forms
                ):
                    return True
        return False

    def _of_another_level(self, question: str, citation: Citation) -> bool:
        """Whether the question names one level of committee (市政协委员…) and the cited
        document is another's: it names its own level often (县政协) and never this one."""
        named = set(_LEVEL_NAMED.findall(question))
        if len(named) != 1:
            return False
        (level,) = named
        text = self._document_text(citation.source)
        if re.search(rf"{level}(?:政协|委员会)|政协[^，。；\s]{{1,6}}{level}", text):
            return False
        others = re.findall(r"([省市县区])政协", text)
        return sum(other != level for other in others) >= _OWN_LEVEL_NAMED

    def _page_asks_it(self, question: str, citation: Citation) -> bool:
        """A Q&A page's question asking the same figure (一年能请几次假？): its answer is the
        answer, a figure or not (没有固定次数，但…不超过三分之一)."""
        asked = self._cited_text(citation).split("\n", 1)[0]
        if not _QA_QUESTION.match(asked):
            return False
        unit = figure_unit(_as_rules_put_it(question))
        if unit is None or figure_unit(_as_rules_put_it(asked)) != unit or "第几" in asked:
            return False  # (本届是第几届？ asks which term, not how many)
        forms = self._forms_of_the_thing(question)  # (全体会议多久开一次？ is not 主席会议's)
        return forms is None or any(f in fold(asked) for f in forms)

    def _names_what_is_asked(self, question: str, citation: Citation) -> bool:
        """有没有误工补助, 发奖金不, 收不到验证码: money (or a platform's workings) asked
        about is named by the rule that answers (交通费用由所在单位承担), not only the
        activity it would be paid for (or done on)."""
        # (我家老人看病报销的事: the member's own matter, not money the rules would pay)
        named = {w for w in _NAMED_ONLY.findall(question) if not told_as_situation(w, question)}
        at = self._position(citation)
        if not named or at is None:
            return True
        groups = [g for g in self.index.groups(self.tokenizer.tokens(question)) if g.known]
        for word in named:
            covering = [g for g in groups if word in g.word or g.word in word]
            if not any(
                self.index.held_weight([g], at) >= _HELD_AS_NAMED * g.weight for g in covering
            ) and word not in self._cited_text(citation):
                return False
        return True

    def _holds_a_word(self, question: str, citations: Sequence[Citation]) -> bool:
        """Whether a cited passage holds a question word of two characters or more (or a
        synonym of one), when the question names something no rule does: lone characters
        (快, 放, 假) beside 减肥 or 春节 are no evidence of an answer."""
        asked = _DEFINITION_FRAME.sub(" ", _as_rules_put_it(question))
        words = [g for g in self.index.groups(self.tokenizer.tokens(asked)) if len(g.word) > 1]
        if not any(not g.known and not g.word.isdigit() for g in words):
            return True  # (一年能请几次假: 年, 次, 假 do answer, with nothing unheard of asked)
        # (held however little it weighs: 社情民意信息 in every passage is still held)
        whole = [replace(g, weight=1.0) for g in words]
        positions = [self._position(c) for c in citations]
        return any(
            at is None or any(self.index.held_weight([g], at) > 0 for g in whole)
            for at in positions
        )

    def _another_states_it(
        self, question: str, first: Citation, stating: Sequence[Citation], *, titled: bool = False
    ) -> bool:
        """Whether a passage of another document that states the figure holds as much of
        the question as the best passage, and every word of it the best passage holds:
        another rule's 一千五百字 holds 写 and 字 as much as 读书心得 weighs, but is about
        社情民意. ``titled``: of the same document, whose title's words every passage holds
        (文史征集的联系人: the notice on 征集's contact line)."""
        groups = self.index.groups(self.tokenizer.tokens(_as_rules_put_it(question)))
        at_first = self._position(first)
        if at_first is None:
            return bool(stating)
        title = fold(first.title) if titled else ""
        words = [
            g
            for g in groups
            if g.known and len(g.word) > 1 and not any(m in title for m in g.members[: g.forms])
        ]
        if titled:
            groups = words
        held_first = {g.word: self.index.held_weight([g], at_first) for g in words}
        least = self.index.held_weight(groups, at_first)
        for citation in stating:
            at = self._position(citation)
            if at is None:
                continue
            held = self.index.held_weight(groups, at)
            if held >= least * _MUCH_MORE:
                return True  # (提案办理的期限: 三个月内办结 holds more of it than a report does)
            # (a word held as its synonym weighs the synonym's own: 不超过 for 最多)
            if held >= least * _AS_MUCH and all(
                self.index.held_weight([g], at) >= held_first[g.word] * _AS_MUCH for g in words
            ):
                return True
            # 提案选上重点的能加几分: the best passage (how 重点提案 are chosen) holds nothing of
            # what is asked (加几分); the row stating it holds it and as much of the rest
            if held >= least and any(
                not held_first[g.word] and self.index.held_weight([g], at)
                for g in words
                if _FIGURE_PHRASE.search(g.word)
            ):
                return True
        return False

    def _dated_by_title(
        self, hit: Hit[SourcePassage], groups: Sequence[QueryGroup]
    ) -> Hit[SourcePassage]:
        text = self._folded(hit.entry)
        if not ADOPTION.search(text):
            return hit
        title = fold(hit.entry.title)
        titled = [
            g
            for g in groups
            if not any(m in text for m in g.members[: g.forms])
            and any(len(m) > 1 and m in title for m in g.members[: g.forms])
        ]
        if not titled:
            return hit
        total = sum(g.weight for g in groups) or 1.0
        rarest = max((g.weight for g in groups if g.known), default=1.0) or 1.0
        return self.index.with_coverage(
            hit,
            min(1.0, hit.coverage + sum(g.weight for g in titled) / total),
            max(g.weight for g in titled) / rarest,
        )

    def _grounds_listed(self, question: str) -> SourcePassage | None:
        """Of the passages listing the cases a proposal is not registered in, the one
        holding most of the question (the first, of those alike); None without any."""
        if self._grounds is None:
            entries = self.index.entries
            self._grounds = [
                n for n, p in enumerate(entries) if _GROUNDS_LISTED.search(fold(p.text))
            ]
            if not self._grounds:
                # a page answering which proposals are not registered, a question a ground
                # (哪些提案不予立案: 问：为亲属办事…能不能提案？)
                self._grounds = [
                    n
                    for n, p in enumerate(entries)
                    if _GROUNDS_PAGE.search(fold(p.title)) and p.locator != PAGE_NOTES
                ]
        if not self._grounds:
            return None
        groups = self.index.groups(self.tokenizer.tokens(_as_rules_put_it(question)))
        best = max(self._grounds, key=lambda n: (self.index.held_weight(groups, n), -n))
        return self.index.entries[best]

    def _dating_passage(self, question: str) -> SourcePassage | None:
        """The passage dating the one document the question names by its title's words
        (提案条例哪天通过的: the 提案工作条例's adoption line); None when it names none, or
        several alike."""
        named = self._named_document(_ADOPTION_ASKING.sub(" ", question))
        if named is None:
            return None
        passages = [p for p in self.index.entries if p.source == named]
        posted = [p for p in passages if p.locator == PAGE_NOTES and _POSTED_ON.search(p.text)]
        if posted and _ONLINE_ASKED.search(question):
            return posted[0]  # 网上哪天挂出来的: the page's own date
        adopted = [
            p
            for p in passages[:_TOP_PASSAGES]
            if ADOPTION.search(self._folded(p)) and not _TAKES_EFFECT.search(self._folded(p))
        ]
        adopted += [
            p
            for p in passages
            if ADOPTION.search(self._folded(p)) and _ADOPTED_AT.search(self._folded(p))
        ]
        signed = [p for p in reversed(passages) if _SIGNED_ON.search(p.text.rstrip())]
        if SITTING_ASKED.search(question):
            # 哪次主席会议研究定的: the line naming the sitting (经…第二十三次主席会议研究同意)
            # first, dated or not
            sitting = [p for p in passages if SITTING_NAMED.search(self._folded(p))]
            adopted = [p for p in adopted if p in sitting] + sitting + adopted
        return next(iter(adopted + signed + posted), None)

    def _signing_passage(self, question: str) -> SourcePassage | None:
        """The passage signing the one document the question names (政协…办公室 over its
        date); None when it names none or none is signed so."""
        named = self._named_document(_ISSUER_ASKED.sub(" ", question))
        if named is None:
            return None
        signed = [
            p
            for p in self.index.entries
            if p.source == named and SIGNING_BODY.search(p.text) and _SIGNED_ON.search(p.text)
        ]
        return signed[-1] if signed else None

    def _named_document(self, question: str) -> str | None:
        """The one document ``question`` names by its title's words (提案条例: the
        提案工作条例); None when it names none, or several alike."""
        if self._titles is None:  # (read once: every question naming a document reads them)
            self._titles = {}
            for p in self.index.entries:
                self._titles.setdefault(p.source, fold(p.title))
        titles = self._titles
        parts: list[str] = []
        for word in self.tokenizer.tokens(question):
            if len(word) >= 4 and not any(word in t for t in titles.values()):
                parts += [word[:2], word[2:]]  # (提案条例, cut as one word: 提案工作条例's)
            elif len(word) > 1:
                parts.append(word)
        # (words every title holds, 政协 or 委员会, tell no document)
        telling = [w for w in parts if not all(w in t for t in titles.values())]
        held = {source: sum(w in t for w in telling) for source, t in titles.items()}
        most = max(held.values(), default=0)
        named = [source for source, n in held.items() if n == most]
        return named[0] if most and len(named) == 1 else None

    def _title_answer(self, question: str) -> Answer | None:
        """The title line of the document the question names (or of the only one), cited
        as the document's 标题; None when the question names none of several."""
        firsts: dict[str, SourcePassage] = {}
        for p in self.index.entries:
            firsts.setdefault(p.source, p)
        named = self._named_document(_TITLE_ASKED.sub(" ", question))
        if named is None and len(firsts) != 1:
            return None
        first = firsts[named] if named is not None else next(iter(firsts.values()))
        title = first.title
        citation = Citation(
            source=first.source,
            title=title,
            locator=catalogue().s("kb.answer.title_locator"),
            text=title,
            score=1.0,
            passage_id=first.id,
        )
        return Answer(
            question=question,
            found=True,
            text=catalogue().s("kb.answer.title", title=title),
            citations=(citation,),
            quote=title,
            via="extractive",
        )

    def _numbering_passage(self, question: str) -> SourcePassage | None:
        """The passage printing the number (范政协发〔2025〕5号) of the document the question
        names, or of the only document printing one; None when none answers."""
        if self._numbered is None:  # (read once per index, as the titles are)
            self._numbered = {}
            for p in self.index.entries:
                if p.source not in self._numbered and PRINTED_ISSUE_NUMBER.search(p.text):
                    self._numbered[p.source] = p
        numbered = self._numbered
        named = self._named_document(_NUMBER_ASKED.sub(" ", question))
        if named is None:
            return next(iter(numbered.values())) if len(numbered) == 1 else None
        return numbered.get(named)

    def _folded(self, passage: SourcePassage) -> str:
        """A passage's text in matching form, folded once (a question of a kind reads a
        hundred passages)."""
        if passage.id not in self._folds:
            self._folds[passage.id] = fold(passage.text)
        return self._folds[passage.id]

    def _position(self, citation: Citation) -> int | None:
        """Where the cited passage sits in the index (None for one it does not hold)."""
        if self._positions is None:
            self._positions = {p.id: n for n, p in enumerate(self.index.entries)}
        return None if citation.passage_id is None else self._positions.get(citation.passage_id)

    def _yearly_sources(self) -> frozenset[str]:
        """The documents of a year (关于开展2025年度委员履职活动的通知, a year's plan): what
        they say is that year's."""
        if self._yearly is None:
            self._yearly = frozenset(
                p.source for p in self.index.entries if _OF_A_YEAR.search(p.title)
            )
        return self._yearly

    def _titled_places(self) -> frozenset[str]:
        """The places the documents' titles name (威海, 海南): rules of several committees."""
        if self._title_places is None:
            titles = {p.source: p.title for p in self.index.entries}
            self._title_places = frozenset(
                word
                for title in titles.values()
                for word in self.tokenizer.tokens(title)
                # (a place by its level: 中国 of 中国人民政治协商会议 names no committee)
                if self.tokenizer.is_place(word) and len(word) > 2 and _PLACE_SUFFIX.search(word)
            )
        return self._title_places

    def _naming(self, places: Sequence[str]) -> set[str]:
        """The documents whose title or text names one of ``places`` (威海市 as 威海 too)."""
        sources: set[str] = set()
        for place in places:
            if place not in self._naming_place:  # read once per place named
                names = {n for n in (place, _PLACE_SUFFIX.sub("", place)) if len(n) >= 2}
                self._naming_place[place] = frozenset(
                    p.source
                    for p in self.index.entries
                    if any(n in p.title or n in p.text for n in names)
                )
            sources |= self._naming_place[place]
        return sources

    def _bands_holding(self, score: int) -> frozenset[int]:
        """The passages stating a band of points that holds ``score`` (60分至74分, 90分以上)."""
        if self._bands is None:
            self._bands = {
                p.id: bands
                for p in self.index.entries
                if _BAND_HINT.search(p.text) and (bands := points_bands(count_digits(fold(p.text))))
            }
        return frozenset(
            id_ for id_, bands in self._bands.items() if any(lo <= score <= hi for lo, hi in bands)
        )

    def _document_text(self, source: str) -> str:
        """A document's title and passages, as one text in simplified characters (read once
        for every document when first asked for: the checks read it question after question)."""
        if not self._documents:
            parts: dict[str, list[str]] = {}
            for p in self.index.entries:
                parts.setdefault(p.source, [p.title]).append(p.text)
            self._documents = {name: simplified("\n".join(t)) for name, t in parts.items()}
        return self._documents.get(source, "")

    def _stated_text(self, citation: Citation) -> str:
        """What a citation states: a table's row quoted with its header (优秀提案 | 每件5
        is no count of 优秀提案, whatever else the section around the table says), else the
        whole passage."""
        whole = self._cited_text(citation)
        if len(citation.text) < len(whole) and len(table_rows(citation.text)) > 1:
            # (the section's own sentences around the table still say what they say)
            prose = [line for line in whole.splitlines() if not is_table_line(line)]
            return "\n".join([citation.text, *prose])
        return whole

    def _cited_text(self, citation: Citation) -> str:
        """The whole passage a citation quotes from."""
        if self._by_id is None:
            self._by_id = {p.id: p for p in self.index.entries}
        passage = self._by_id.get(citation.passage_id) if citation.passage_id is not None else None
        return passage.text if passage is not None else citation.text

    def _printing_what_is_asked(self, question: str, answer: Answer) -> int | None:
        """The passage of a further citation printing the phone number, the address, the
        contact or the email asked for, when the best one prints none."""
        phone, address = asks_for_a_phone_number(question), asks_for_an_address(question)
        contact = asks_for_a_contact(question)
        facts = [p for p, best in facts_to_be_stated(question) if best]

        def prints(citation: Citation) -> bool:
            text = citation.text
            return (
                (not phone or holds_a_phone_number(text))
                and (not address or holds_an_address(text))
                and (not contact or holds_a_contact(text))
                and all(p.search(text) for p in facts)
            )

        if not answer.found or not (phone or address or contact or facts):
            return None
        best = answer.citations[0]
        if prints(best):
            return None
        # (holding as much of the question, and every word the best holds: 广州's contact
        # line does not answer for 延边's 秘书长)
        printing = [c for c in answer.citations[1:] if prints(c)]
        if printing and self._another_states_it(
            question, best, printing[:1], titled=printing[0].source == best.source
        ):
            return printing[0].passage_id
        return None

    def _level_text(self, citation: Citation, *, passage: bool = True) -> str:
        """What says which committee a cited rule is of: its title, its passage (unless
        not ``passage``) and the name the document gives itself near its top
        (中国人民政治协商会议全国委员会提案工作条例的第三章, not a quoted 《…全国委员会…条例》),
        in simplified characters."""
        top = self._document_text(citation.source)[:_TOP_OF_DOCUMENT]
        named = " ".join(m.group(0) for m in _SELF_NAMED.finditer(top))
        cited = self._cited_text(citation) if passage else ""
        return simplified(f"{citation.title}\n{named}\n{cited}")

    def _matched_answer(
        self,
        question: str,
        *,
        k: int | None,
        first: int | None = None,
        lead: SourcePassage | None = None,
        relaxed: bool = False,
    ) -> Answer:
        """``first``: the passage to cite first, if found; ``lead``: the passage that
        answers, found or not, however little of the question it holds; ``relaxed``: the
        coverage, evidence and unknown-thing bars lowered (what the answer model may give)."""
        asked = _COUNTED.sub(
            r"\1\2 ",
            _DEFINITION_FRAME.sub(
                " ", _PURPOSE_ASKED.sub(" ", SITTING_ASKED.sub(" ", _as_rules_put_it(question)))
            ),
        )
        if ASKS_WHEN_ADOPTED.search(question):
            asked = _ADOPTION_ASKING.sub(" ", asked)  # (哪天定下来的: 定 is no word of the rule)
        groups = self.index.groups(self.tokenizer.tokens(asked))
        policy = self._policy(k)
        if relaxed:
            policy = replace(policy, min_coverage=0.0, min_evidence=0.0, refuse_unknown_nouns=False)
        # 威海市政协请假找谁批: the place says whose rules are meant; the rule that answers
        # need not name it (the title or an adoption line does), and a place no rule names
        # is no unknown thing (郑州市政协请假…, asked of rules that say 本会); its documents go first
        places = [g.word for g in groups if self.tokenizer.is_place(g.word)]
        unplaced = [g for g in groups if g.word not in places]
        placed: set[str] = set()
        searched = question  # (its characters ranked too: without the place's)
        if places and unplaced:
            groups, placed = unplaced, self._naming(places)
            searched = re.sub("|".join(map(re.escape, places)), " ", question)
            if not placed and len(self._titled_places()) >= _PLACES_TO_TELL_APART:
                # 亳州市政协…, asked of rules of several places none of which is 亳州: another
                # committee's (rules of one committee say 本会, and answer 郑州市政协… asked)
                return not_found(question)
        if (
            policy.refuse_unknown_nouns
            and lead is None  # (the member's own case names what no rule does: 法院, 表弟)
            and self.names_unknown_thing(groups, question)
        ):
            # A real word the rulebook never uses may still be a slip of the input method
            # for one it does (复义 for 复议): asked again as that word, once.
            # Or jieba glued it across a rulebook word's edge (交心得): cut where it belongs.
            respelled = self._recut_unknown(question, groups) or self._respell_unknown(
                question, groups
            )
            if respelled is None:
                return not_found(question)
            question_words = self.index.groups(self.tokenizer.tokens(respelled))
            if self.names_unknown_thing(question_words, respelled):
                return not_found(question)
            groups = question_words
        # a thing the rules never name, told as the member's situation (我下周有手术), is
        # no part of what is asked: the rule need not hold it
        groups = [g for g in groups if g.known or not told_as_situation(g.word, question)] or groups
        kinds = _kinds_asked(question, groups)
        # 我考了75分算啥: the passages whose bands (60分至79分) hold the score answer; the
        # score itself is written in no rule
        score = _SCORE.search(question)
        banded = self._bands_holding(int(score.group(1))) if score else frozenset()
        if score and banded:
            # (and the verb it was told with: 我考了80分, 拿了72分)
            groups = [
                g for g in groups if g.word != score.group(1) and g.word not in _SCORE_TOLD
            ] or groups
        named = articles_named(question)
        pool = _NUDGE_POOL if kinds or named or banded else _RETRIEVE
        hits = self.index.search_groups(groups, k=pool, query=searched)
        purpose = self._purpose_stated(asked, hits) if _PURPOSE_ASKED.search(question) else None
        if not _PAGE_FACT_ASKED.search(question):
            # a saved page's notes answer what is asked of the page (哪天发布的, 网站备案号),
            # not whatever its title names; an address or a phone, after the rule's own
            # (读书活动有事打哪个电话: the notice's contact line, not the site's footer)
            body = [h for h in hits if h.entry.locator != PAGE_NOTES]
            prints = (holds_a_phone_number if asks_for_a_phone_number(question) else None) or (
                holds_an_address if asks_for_an_address(question) else None
            )
            if prints is None:
                hits = body
            elif any(prints(h.entry.text) for h in body[: self._policy(k).max_citations]):
                hits = body + [h for h in hits if h.entry.locator == PAGE_NOTES]
        if ASKS_WHEN_ADOPTED.search(question):
            # 专委会工作规则啥时候通过的: the adoption line under a title is the titled
            # rule's, and holds the words its title names
            hits = [self._dated_by_title(h, groups) for h in hits]
            if lead is None and not _EFFECT_ASKED.search(question):
                # 提案条例是哪次会上定下来的: the line dating the rule the question names by
                # its title, though it holds no word of the question
                lead = self._dating_passage(question)
        if kinds or banded:
            hits = _nudged(hits, kinds, banded, self._folded)
        if placed and any(h.entry.source in placed for h in hits):
            hits = sorted(hits, key=lambda h: h.entry.source not in placed)
            if len(self._titled_places()) >= _PLACES_TO_TELL_APART:
                # rules of several committees: 闵行…计几分 is answered by 闵行's, not 桐城's
                hits = [h for h in hits if h.entry.source in placed]
        if named:
            # 第2条说的啥: the article named goes before those that refer to it (依照第二条…)
            # and of the documents holding it, the one the question names (提案办法第十一条)
            words = [w for w in self.tokenizer.tokens(question) if len(w) > 1]
            # a rule numbered 一、二、 is asked by 第N条 too (长治规定第4条: its 四、), when the
            # question names that rule
            sections = tuple(article[1:-1] + "、" for article in named)

            def is_named(h: Hit[SourcePassage]) -> bool:
                return names_article(named, h.entry.locator) or (
                    h.entry.locator.startswith(sections) and any(w in h.entry.title for w in words)
                )

            hits = sorted(
                hits,
                key=lambda h: (not is_named(h), -sum(w in h.entry.title for w in words)),
            )
            hits = hits[:_RETRIEVE]
            if hits and is_named(hits[0]):
                # asked by its number (第一条讲了什么), the article is the answer however
                # little of the question's other words it holds
                policy = replace(policy, min_coverage=0.0, min_evidence=0.0)
        if purpose is not None and not named:
            # 这个条例图个啥: the purpose, however little else of the question it holds
            hits = [purpose, *(h for h in hits if h.entry.id != purpose.entry.id)]
            policy = replace(policy, min_coverage=0.0, min_evidence=0.0)
        if lead is not None and not named:
            best = max((h.score for h in hits), default=1.0)
            hits = [
                Hit(entry=lead, score=best, coverage=1.0, rank=0, evidence=1.0, relevance=1.0),
                *(h for h in hits if h.entry.id != lead.id),
            ]
            policy = replace(policy, min_coverage=0.0, min_evidence=0.0)
        if first is not None:
            hits = sorted(hits, key=lambda h: h.entry.id != first)
        if hits and hits[0].entry.id in banded:
            # 我考了58分算啥等次: the band holding the score (60分以下为不合格) answers, though
            # it writes neither 算 nor 等次: the score is what it is evidence of
            policy = replace(policy, min_coverage=0.0, min_evidence=0.0)
        return extractive_answer(
            question,
            hits,
            weights=self.index.group_weights(groups),
            tokenizer=self.tokenizer,
            policy=policy,
        )

    def _purpose_stated(
        self, asked: str, hits: list[Hit[SourcePassage]]
    ) -> Hit[SourcePassage] | None:
        """The sentence stating the purpose (为…，制定本办法) of the rule or the body the
        question names by the rule's title or the sentence's own words; None when none does."""
        words = [w for w in self.tokenizer.tokens(asked) if len(w) > 1]

        def named(h: Hit[SourcePassage]) -> int:
            return sum(w in h.entry.title or w in h.entry.text for w in words)

        stating = [h for h in hits if _PURPOSE_STATED.search(self._folded(h.entry))]
        best = max(stating, key=named, default=None)  # (ties: the better ranked)
        return best if best is not None and named(best) else None

    async def answer_with(
        self, question: str, *, llm: LlmAnswerer | None, k: int | None = None
    ) -> Answer:
        extractive = self.answer(question, k=k)
        said = what_is_asked(question)
        if llm is None or not said or small_talk(said) is not None:
            return extractive  # (nothing asked, or small talk: no model call either)
        asked = question
        if not extractive.found:
            # The member's words found nothing: the model may know the rulebook's words.
            rewritten = await llm.rewrite(question)
            if rewritten and rewritten != question:
                retry = self.answer(rewritten, k=k)
                if retry.found:
                    extractive, asked = replace(retry, question=question), rewritten
        if extractive.found:
            found = self.index.search(asked, k=_RETRIEVE)
            hits = select_hits(found, self._policy(k))
            if not hits:
                # answered on the second opinion, below the checks' bars: what it cites
                cited = {c.passage_id for c in extractive.citations}
                hits = [h for h in found if h.entry.id in cited]
        else:
            hits = self._worth_reading(question, k)
        return await llm.answer(question, hits, fallback=extractive)

    def _worth_reading(self, question: str, k: int | None) -> list[Hit[SourcePassage]]:
        """Passages a refused question shares a good part of its words with: read by the
        model, which answers from them (a member's paraphrase the words missed) or says
        未找到 (a near miss). None for what no rule answers by its nature."""
        if _no_rule_answers(question):
            return []
        hits = self.index.search(question, k=_RETRIEVE)
        return [h for h in hits if h.coverage >= _WORTH_READING][: self._policy(k).max_citations]
