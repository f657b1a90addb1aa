"""Questions a rulebook cannot answer by its nature, however well their words match one.

A figure asked in a unit (提前几天, 最多几本, 扣几分, 多少钱) is answered by a passage stating
a figure in that unit (提前3日, 不超过2本), not by one that names the thing without it.

A request for a service (帮我写个年终总结, 帮我订张机票) is no question about the rules at all.
Rules name offices, not the people in them (提案委员会主任是谁); a rule rarely prints a
telephone number (委员工作科电话多少); and rules stand from year to year, so this year's
dates, figures and themes (今年全会几号开幕, 去年立了多少件提案) are news, not rules: the
article that mentions the office or the meeting is not the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.kb.numerals import FIGURE_UNITS, SET_PHRASE

__all__ = [
    "COUNT",
    "asks_a_total",
    "asks_about_this_year",
    "asks_about_today",
    "asks_for_a_figure",
    "asks_for_a_person",
    "asks_for_a_phone_number",
    "asks_for_a_service",
    "asks_for_an_address",
    "asks_for_own_score",
    "count_asked",
    "facts_to_be_stated",
    "figure_unit",
    "holds_a_phone_number",
    "holds_an_address",
    "levels_to_be_named",
    "names_a_person",
    "points_bands",
    "states_only_the_other_bound",
    "without_dates",
]

# An office (主任, 秘书长) then 是谁 / 是哪位 / 叫啥 at the end: who holds it now. 第一提案人是谁
# asks what a rule means by it, 是谁批 / 是谁选出来的 which body acts: both are answered.
_OFFICE = (
    r"(?:主席|秘书长|主任|科长|处长|局长|部长|负责人|召集人|组长|书记|管理员|群主|联络员|领读人)"
)
# A notice's contact person is printed in it (联系人：王某；电话：…): asked, the best passage
# must print one.
_CONTACT_ASKED = re.compile(
    r"(?:联系人|对接人|联络人)\s*(?:是谁|是哪位|叫啥|叫什么|找谁)|找谁联系|跟谁联系|找谁对接"
)
_CONTACT_GIVEN = re.compile(r"联系人\s*[：:]")
_WHO = re.compile(
    _OFFICE
    + r"\s*(?:现在|目前|如今|今年)?\s*都?(?:是谁|是哪位|是哪个|叫啥|叫什么|姓什么|姓啥)(?:名字|名)?[\s?？吗呀啊呢啦]*$"
)
_PHONE = re.compile(
    r"(?:电话|手机号|手机号码|联系方式|联系电话|座机|座机号|座机号码)[^，。,]{0,4}"
    r"(?:多少|是多少|是啥|是什么|给|发|去哪|哪里|怎么找|查)"
    # (张副主席的电话, 委工委电话号码？: asked by naming it)
    r"|的(?:电话|手机号?|联系方式|联系电话)(?:号码?)?(?:有吗|有没有|有不)?[\s?？吗呢啊]*$"
)
_SERVICE = re.compile(
    r"^(?:请|麻烦)?(?:你)?帮(?:我|忙)?\s*(?:写|查|订|翻译|推荐|算|找|画|做|起草|拟|生成|总结|改|润色|想|编)"
)
# A period of the calendar, then what happened or happens in it: a date, a count, a theme.
_THIS_YEAR = re.compile(
    r"(?:今年|去年|前年|今年度|上一年|上半年|下半年)[^，。,]{0,12}"
    r"(?:几号|几月|哪天|多少|哪些|啥|什么|几个|几次|几件|几篇|谁|哪位)"
    # the next sitting's date (下次常委会哪天开, 明年全会几号开); a year named by its number
    # may be a work report's (2024年立案多少件) and is searched
    r"|(?:下次|下一次|下届|下一届|下一期|下期)[^，。,]{0,10}(?:几号|几月|哪天|哪年|哪一年|什么时候|啥时候|何时)"
    r"|明年[^，。,]{0,10}(?:几号|哪天|什么时候|啥时候|何时)(?:召?开|举行)"
    # a sitting named by its number (十一届四次会议啥时候开): the notice says, no rule
    r"|[届]\s*[0-9一二三四五六七八九十]+\s*次(?:全体)?会议?[^，。,]{0,4}"
    r"(?:几号|哪天|什么时候|啥时候|何时)(?:召?开|举行)"
)
# Today's date, the clock or the weather (今天星期几, 明天郑州下雨吗, 这周天气怎么样): no rule's.
_TODAY = re.compile(
    r"星期几|周几|礼拜几|几号了|几点了|天气|气温|下雨|下雪|冷不冷|热不热|几度"
    r"|(?:今天|明天|后天|昨天|现在|今晚|这周|本周|下周)[^，。,]{0,4}(?:几号|几点|限行)"
)
# Where an office is (办公厅地址在哪, 提案委员会在几楼): a rule rarely prints an address.
_ADDRESS = re.compile(
    r"地址(?:在哪|是啥|是什么|是多少|在什么|给)|在哪(?:里|儿)?办公|几楼|哪层|哪一层|在几层|办公地点在"
    r"|门牌号|哪栋楼|哪座楼|哪个房间|哪间|几号房间|几楼几号|几号室"
    # where a meeting or an activity is held (读书会在哪办, 那个会在哪开, 培训去哪个城市)
    r"|在哪(?:里|儿|个地方)?(?:办|开|举行|举办|召开|上课)|地点在哪|地点是哪|去哪个(?:城市|地方)"
    r"|(?:去|在)哪(?:里|儿|个地方)?报到"
    # (有具体地址吗, 详细地址)
    r"|具体地址|详细地址|在哪个位置|具体位置|位置在哪"
    # (郑州市政协在哪, 委工委在哪儿: an office, then where)
    r"|(?:政协|办公室|办公厅|委员会|秘书处|科|处|工作室|联络站|委工委)\s*在哪(?:里|儿)?[\s?？吗呢啊]*$"
)
_ADDRESS_GIVEN = re.compile(
    r"[路街道巷]\s*[0-9]+\s*号|[0-9]+\s*[楼层]|[0-9]+\s*室|大厦|大楼|地址\s*[：:]"
    r"|会议室|会堂|礼堂|宾馆|酒店|地点\s*[：:]|在[^，。；]{1,12}(?:举行|举办|召开)"
)
# How many there are (一共几个专委会, 县政协设了几个专委会): answered by a count the rule states
# (本会设九个专门委员会), not by an article that merely names them.
_HOW_MANY = re.compile(r"一共|总共|共有|(?:有|设了?|设立了?)(?:几|多少)个")
_COUNTED_AS = r"(?:[0-9]+|[一二两三四五六七八九十百]{2,}|[二两三四五六七八九十])"
COUNT = re.compile(_COUNTED_AS + r"(?:个|名|人|家|类|种|档|项|级|件)")
# 一届有多少委员, 几个常委: a count of people, which 提交提案少于3件 is not
_HOW_MANY_MEMBERS = re.compile(r"(?:几|多少)(?:个|名|位)?(?=委员|常委|成员)")
# 几个委员一起联名可以吗: 几 as "a few", in a question answered yes or no
_YES_NO = re.compile(r"[吗嘛]\s*[?？]*\s*$|行不行|可不可以|能不能|是不是")
_MEMBERS_COUNT = re.compile(_COUNTED_AS + r"(?:名|人|位)|分之|半数|过半")
_PHONE_NUMBER = re.compile(r"\d{3,4}-?\d{7,8}|1\d{10}")
# Facts of a kind only a passage printing one answers, as (asked, printed, in the best
# passage): a time of day (几点开: 8:30, 十八时前, 上午), a founding's date, a rate, an email
# address, a website, an account's name or where an app or a template is had. A rule on the
# meeting that prints none of them does not answer.
_HOUR = re.compile(
    r"[0-9]{1,2}\s*[:：∶]\s*[0-9]{2}|(?<![0-9])[0-9零一二三四五六七八九十两]{1,3}\s*[点时](?!之)"
    # (or the time told from the meeting's: 开始前十五分钟到达, 提前半小时)
    r"|[0-9零一二三四五六七八九十半两]+\s*(?:个)?(?:分钟|小时)"
)
TIME_OF_DAY = re.compile(f"{_HOUR.pattern}|上午|下午|晚上|早上|中午|凌晨")
_PART_OF_DAY_TOLD = re.compile(r"(?:上午|下午|晚上|早上|中午|凌晨)\s*(?:一般|大概|大约)?\s*几点")
TIME_OF_DAY_ASKED = re.compile(
    # (not 哪几点, 有几点要求: points of a list)
    r"(?<![哪有这那提写说讲几])几点(?:钟|几分)?"
    r"(?=$|\s|[?？吗呢啊开到上下前以之签报集截结关来去出进走完起举召停])"
    r"|什么时间点|哪个时间点"
)
_STATED_FACTS = (
    (TIME_OF_DAY_ASKED, TIME_OF_DAY, False),
    # a fax number (传真号多少): the line printing one, not the office's telephone
    (re.compile(r"传真"), re.compile(r"传真\s*(?:号码?|电话)?\s*[：:为是]?\s*[0-9（(]"), True),
    (
        # when a body was founded (县政协啥时候成立的): a rule saying it was
        re.compile(
            r"(?:什么时候|啥时候|哪年|哪一年|何时|哪天)[^，。,]{0,3}(?:成立|建立|组建|创办|创建)"
            r"|(?:成立|建立|组建|创办|创建)(?:于|在)?(?:哪年|哪一年|什么时候|啥时候|何时)"
        ),
        re.compile(
            r"[0-9一二三四五六七八九〇零]{2,4}年[^，。；]{0,12}(?:成立|建立|组建|创办|创建)"
            r"|(?:成立|建立|组建|创办|创建)于"
        ),
        False,
    ),
    (
        # a rate or a share (满意率是多少, 比例是多少, 百分之几): printed as one
        re.compile(r"率\s*(?:是|为|有|达到|要)?\s*(?:多少|几)|多少比例|比例是多少|百分之几|几成"),
        re.compile(
            r"[0-9]\s*[%％]|百分之|分之|[0-9一二三四五六七八九十半]成(?![员立果绩为])|过半|半数"
        ),
        False,
    ),
    (
        re.compile(
            r"(?:邮箱|电子邮件|电子信箱|邮件地址|email|e-mail)[^，。,]{0,4}"
            r"(?:多少|是啥|是什么|给|地址|号|叫啥)",
            re.IGNORECASE,
        ),
        re.compile(r"@|＠"),
        True,
    ),
    (
        # (not a thing of the site's: 网站备案号是多少, 网站电话多少)
        re.compile(
            r"(?:网址|网站|网页|链接|域名)(?![^，。,]{0,4}?(?:备案|版权|电话|地址|浏览|主办))"
            r"[^，。,]{0,4}(?:多少|是啥|是什么|给|在哪|叫啥)"
        ),
        re.compile(
            r"https?://|www\.|\.(?:cn|com|gov|org|net)\b|网址\s*(?:为|是|[：:])", re.IGNORECASE
        ),
        True,
    ),
    (
        re.compile(
            r"公众号[^，。,]{0,4}(?:叫|是啥|是什么|名字|名称|多少|号是)"
            r"|(?:app|客户端|小程序)[^，。,]{0,6}(?:下载|在哪|叫啥|叫什么|名字|名称)"
            # (a form or a template to download: 格式模板在哪下)
            r"|(?:模板|样表|表格|范本|范文|样式)[^，。,]{0,3}(?:在哪下|哪里下|去哪下|在哪儿下|下载)",
            re.IGNORECASE,
        ),
        re.compile(r"公众号\s*[“\"《「：:]|下载|应用商店|应用市场|扫码|扫描|二维码|搜索"),
        True,
    ),
    (
        # a person's mobile (秘书长的手机号多少, 加个微信): a rule printing one, not the
        # office's landline it gives
        re.compile(
            r"手机(?:号|号码)?[^，。,\s]{0,3}(?:多少|是多少|是啥|给|发)"
            r"|的手机(?:号码?)?[\s?？吗呢啊]*$|加(?:个)?微信"
        ),
        re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])|微信号|微信[：:]"),
        True,
    ),
    (
        # how long a term is (一届干几年, 任期几年): a rule stating the term in years, not
        # another figure of years said within a term (届内第二年, 保存10年)
        re.compile(
            r"(?:一届|每届|任期)[^，。,\s]{0,4}(?:几年|多少年|多长|多久)"
            r"|(?:干|当|任|做)(?:几|多少)年"
        ),
        re.compile(
            # (not a time after it ends: 任期届满后5年)
            r"(?:任期|每届|一届)[^，。；,;第满后]{0,6}?(?<!第)[0-9一二三四五六七八九十两]+\s*年"
            r"|[0-9一二三四五六七八九十两]+\s*年(?:为)?一届"
        ),
        False,
    ),
    (
        # how someone or something is chosen (常委是咋选出来的, 召集人怎么产生的): a rule
        # saying how (协商提名…选举产生, 由各界别推荐), not one only naming them
        re.compile(r"(?:怎么|咋|如何|怎样)(?:样)?(?:选|产生|推选|选拔)"),
        re.compile(r"产生|选出|选举|推荐|提名|评选|遴选|推选|选定|选拔|任命|聘任|聘请|确定|审定"),
        True,
    ),
    (
        # a sum of money (经费一年有多少, 补贴给多少钱, 伙食标准是多少): a rule printing one
        re.compile(
            r"多少钱|几块钱"
            r"|(?:经费|补贴|补助|奖金|稿费|费用|预算|工本费|咨询费|伙食标准|住宿标准|餐标准)"
            r"[^，。,\s]{0,6}(?:多少|几)"
            r"|(?:多少|几)[^，。,\s分]{0,3}(?:经费|补贴|补助|奖金|稿费|费用)"
        ),
        re.compile(
            r"[0-9]+(?:\.[0-9]+)?\s*(?:元|万元|万|块)|[零一二两三四五六七八九十百千万]+(?:元|万元)"
        ),
        False,
    ),
    (
        # the month something happens (一般几月份开): a rule naming a month or a part of the
        # year, not only how often
        re.compile(r"几月|哪个月|什么月份|啥月份"),
        re.compile(
            r"[0-9一二三四五六七八九十]+\s*月|上半年|下半年|年初|年底|年末|年中|季度|岁末|春节|元旦"
        ),
        False,
    ),
    (
        # the most a score can reach (积分满分是多少): a rule stating a total or a cap, not
        # only what each item earns
        re.compile(r"满分|最高(?:能|可以)?(?:得|拿|加|到)?(?:多少|几)分|总分(?:是|有)?(?:多少|几)"),
        re.compile(r"满分|总分|最高|上限|封顶|不超过|最多|为限|合计|总计"),
        False,
    ),
    (
        # whether there is a template (请假条有模板吗): a rule giving one or naming its form
        re.compile(
            r"(?:有没有|有)(?:个)?(?:模板|样表|范本|范文)|(?:模板|样表|范本|范文)[^，。,]{0,3}吗"
        ),
        re.compile(r"模板|样表|范本|范文|样式|格式|附件|附表"),
        True,
    ),
)


def asks_for_a_person(question: str) -> bool:
    # (each clause: 召集人是谁 电话给一个 asks who, then the phone)
    parts = re.split(r"[,，。;；]+", question) + re.split(r"[,，。;；\s]+", question)
    return any(_WHO.search(part.replace(" ", "")) for part in parts if part)


# A notice naming who holds an office (组 长（召集人）：沙志钊, 办公室主任由陈涛兼任).
_PERSON_NAMED = re.compile(
    _OFFICE.replace("(?:", "(?:组\\s*长|", 1)
    + r"[ \t\u3000]*(?:[（(][^）)\n]{1,6}[）)])?[ \t\u3000]*[:：][ \t\u3000]*"
    r"[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,3}(?![\u4e00-\u9fff]{2})"
    r"|由[\u4e00-\u9fff]{2,3}(?:同志)?(?:担任|兼任)"
)


def names_a_person(text: str) -> bool:
    """Whether ``text`` names who holds an office (a notice's list, not a rule's duties)."""
    return bool(_PERSON_NAMED.search(text))


def asks_for_a_contact(question: str) -> bool:
    return bool(_CONTACT_ASKED.search(question))


def holds_a_contact(text: str) -> bool:
    return bool(_CONTACT_GIVEN.search(text))


def asks_about_today(question: str) -> bool:
    return bool(_TODAY.search(question) or _OCCASION.search(question))


# The member's own score asked (我现在积分多少, 我今年的履职得分是多少): their duty record
# holds it, no rule does (在哪查自己的积分 asks where, which a rule may say)
_OWN_SCORE = re.compile(
    r"我(?:现在|目前|这会儿|今年|当前|去年)?的?[^，。,\s]{0,6}(?:积分|分数|得分|总分)"
    r"[^，。,\s]{0,3}(?:是|有|还有|还剩|剩)?多少(?:分)?(?:了|啊|呀)?[？?]?$"
)


def asks_for_own_score(question: str) -> bool:
    return bool(_OWN_SCORE.search(question.strip()))


# What one sitting or issue was or will be (上次常委会讨论了什么议题, 下个月视察去哪, 最新一期
# 刊物讲了啥): its notice or minutes say, no rule; not the member's own case (下周三出发 我最晚
# 哪天请假) nor a rule's amendment (章程最近一次修订是哪天)
_OCCASION = re.compile(
    r"^(?!.*(?:我|修订|修改|通过|施行|印发))"
    r".*(?:上次|上一次|最近一次|最新一期|这一期|本期|这个月|本月|下个月|上个月|这周|本周|下周)"
    r"[^，。,]{0,10}(?:讨论|议题|去哪|是谁|讲了|讲的|讲啥|哪天|几号|在哪|什么主题|啥主题|主题是)"
)


def asks_for_an_address(question: str) -> bool:
    return bool(_ADDRESS.search(question))


def holds_an_address(text: str) -> bool:
    return bool(_ADDRESS_GIVEN.search(text))


def asks_for_a_phone_number(question: str) -> bool:
    return bool(_PHONE.search(question))


def holds_a_phone_number(text: str) -> bool:
    return bool(_PHONE_NUMBER.search(text))


# A committee of another level named as the one asked about (省政协委员…, 全国政协开会…): a
# rule of this committee answers only where it speaks of that level (被全国政协采用的) or is
# that level's own rule (政协海南省委员会…规定, 全国委员会提案工作条例).
_LEVELS = (
    (re.compile(r"全国政协|全国委员会"), re.compile(r"全国")),
    # another body asked about (人大代表请假谁批, 统战部考核委员吗: named first, not 被纪委
    # 调查了 of the member's own case): its rules, or one of ours naming it
    (re.compile(r"^\s*[省市县区]?(?:人大|人民代表大会)"), re.compile(r"人大|人民代表大会")),
    (
        re.compile(r"^\s*[省市县区]?(?:统战部|组织部|纪委|监委|党组)"),
        re.compile(r"统战部|组织部|纪委|监委|党组"),
    ),
    (
        re.compile(r"(?<![市县区])省政协|省委员会"),
        re.compile(
            r"省政协|省委员会|政协[^，。,\s]{1,4}省|省级|[^，。,\s]{1,4}省[^，。,\s]{0,2}政协"
        ),
    ),
)


def levels_to_be_named(question: str) -> list[re.Pattern[str]]:
    """What a passage (or its document's title) must say to speak of the level of committee
    ``question`` names, one pattern per level named."""
    return [spoken for named, spoken in _LEVELS if named.search(question)]


def facts_to_be_stated(question: str) -> list[tuple[re.Pattern[str], bool]]:
    """What a passage must print to answer ``question`` (a time of day, an email address,
    a website, an account's name): one pattern per such fact asked, and whether the best
    passage must print it (an office's address is its own, not another rule's), not any
    cited one (当日十八时前 in the third)."""
    facts = [(printed, best) for asked, printed, best in _STATED_FACTS if asked.search(question)]
    if _PART_OF_DAY_TOLD.search(question):
        # 上午几点开始: told the part of the day, the member asks the hour a rule prints
        facts = [(_HOUR if p is TIME_OF_DAY else p, best) for p, best in facts]
    return facts


# 我今年去了8次 能算多少分, 我去年考了50分 算啥: the member's own year is the situation told,
# and what the rules make of it is asked
_OWN_YEAR = re.compile(r"我们?(?:今年|去年|前年)|(?:今年|去年|前年)我")


def asks_about_this_year(question: str) -> bool:
    return bool(_THIS_YEAR.search(question)) and not _OWN_YEAR.search(question)


def count_asked(question: str) -> re.Pattern[str] | None:
    """The count a passage must state to answer how many there are, None when that is not
    asked."""
    counted = None
    if _HOW_MANY_MEMBERS.search(question) and not _YES_NO.search(question):
        counted = _MEMBERS_COUNT
    elif _HOW_MANY.search(question):
        counted = COUNT
    if counted is not None and _TOTAL.search(question):
        # 一共多少个委员: how many there are, not how many at most come (不超过二十名)
        count = f"(?<![0-9一二两三四五六七八九十百]){_UNBOUNDED}(?:{counted.pattern})"
        if counted is _MEMBERS_COUNT:
            # ... and of the members asked, not of whoever a rule counts (1名联络员)
            who = _HOW_MANY_MEMBERS.search(question)
            noun = question[who.end() : who.end() + 2] if who else "委员"
            count = f"(?:{count})(?:政协)?{noun}|{noun}[^，,。；;]{{0,6}}(?:{count})"
        return re.compile(count)
    return counted


_TOTAL = re.compile(r"一共|总共|共有|总数|总计|全部")


def asks_a_total(question: str) -> bool:
    """一共多少名委员: how many there are in all."""
    return bool(_TOTAL.search(question))


_UNBOUNDED = "".join(
    f"(?<!{bound})"
    # (nor a few of them named for a task: 指定1名委员代为召集)
    for bound in (
        "超过",
        "少于",
        "多于",
        "至少",
        "最多",
        "不足",
        "低于",
        "高于",
        "限",
        "指定",
        "安排",
        "选派",
        "确定",
        # (nor the top of a range: 每次安排2至3名委员)
        "至",
        "到",
        "～",
        "~",
        "-",
    )
)


def asks_for_a_service(question: str) -> bool:
    return bool(_SERVICE.search(question.strip()))


# 开会那几天, 前几天: which days, not how many (提前几天 is); 第几次: which sitting
_FIGURE_ASKED = re.compile(
    r"(?<![好那这头第哪])(?<![^提]前)(?<!^前)(?:几|多少)(?:个|名|位)?("
    + "|".join(sorted(FIGURE_UNITS, key=len, reverse=True))
    + ")"
)
_NUMBER = r"(?:[0-9]+|[一二两三四五六七八九十百千万]+|半)"
# A share of the members (三分之二, 过半数) is a figure in people.
_SHARE = r"|分之|半数|过半"


_TOGETHER = ("合写", "合作", "一起", "共同", "联合", "合伙", "联名")


def figure_unit(question: str) -> str | None:
    """The unit a figure is asked in (多少人: 人; 多久: 天), None when none is asked."""
    asked = _FIGURE_ASKED.search(question)
    if asked and asked.group(1) == "人" and question[asked.end() :].startswith(_TOGETHER):
        asked = None  # 几个人合写的报告以谁的名义报: several people, no count asked
    if asked:
        return asked.group(1)
    if _HOW_MANY_PEOPLE.search(question):
        return "人"  # 多少名委员, 几位副主席
    if _HOW_MANY_OF_IT.search(question):
        return "个"  # 书香委员评几个: so many of what the question named
    return "天" if _HOW_LONG.search(question) else None


# 评几个, 一共几个: a count in no unit of its own, closing the question (not 哪几个, 几个人)
_HOW_MANY_OF_IT = re.compile(
    r"(?<![好那这头第哪])(?:几|多少)个(?=$|[\s？?！!，,。；;]|[吗呀啊呢哈](?:$|[\s？?]))"
)
# ... stated in whatever unit the rule counts that thing in (10名, 5件, 3家)
_ANY_COUNT_UNIT = r"(?:个|名|位|人|件|项|篇|条|家|本|部|种|类)"


# How often (多久开一次, 多长时间报一回, 多久公布, 多久搞一次): a period answers it
_HOW_OFTEN = re.compile(
    r"(?:多久|多长时间|多少时间)[^，,。？?\s]{0,4}(?:一|1)[次回趟]"
    r"|(?:多久|多长时间)(?:公布|通报|评|开|搞|举办|举行|召开|报|更新|出|编|统计|考核|组织)"
    r"|频率|频次|多久(?:一|1)?(?:次|回)"
    r"|几(?:年|个月|月|周|天)[^，,。？?\s]{0,4}(?:一|1)[次回趟]"
)


_HOW_MANY_PEOPLE = re.compile(r"(?<![好那这头])(?:几|多少)(?:名|位)(?=[\u4e00-\u9fff])")


# 多久, 多长时间: a length of time, stated in days, weeks, months or years.
_HOW_LONG = re.compile(r"多久|多长时间|多少时间")


# A date (2018年8月30日, 12月15日, 2024年) states when, not how long: 30日 of a date is no
# figure in days, nor 2018年 one in years; nor is a session's name (九届五次会议, 第十三届
# 委员会, 八届政协) a term of so many 届.
_DATE = re.compile(
    r"[0-9]{4}\s*年(?:\s*[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*[日号])?)?|[0-9]{1,2}月[0-9]{1,2}[日号]"
    r"|第[0-9零〇一二两三四五六七八九十百]+[次回个](?![月年天日])"  # 第一次全体会议: which, not how many
    r"|第?[0-9零〇一二三四五六七八九十]+届"
    r"(?:[0-9]+次(?=[^，。；]{0,6}会议)|(?=[^，。；]{0,8}(?:政协|委员会|人大|常委|全会|会议)))"
)


def without_dates(text: str) -> str:
    """``text`` (digits already counted) with its calendar dates and sessions left out, and
    a rate's "one" (每报送一篇计十分: per report, no count of reports)."""
    return _RATE.sub("每", _DATE.sub(" ", text))


_RATE = re.compile(r"每[^，。；,;0-9]{0,3}(?:1|一)(?=[篇件项条份])")


# A least asked (最少写多少字) is not answered by a rule stating only a most (不超过1500字),
# nor a most (最多几个人) by one stating only a least (不少于3人).
_ASKS_LEAST = re.compile(r"最少|至少|起码|最低|下限|不少于")
_ASKS_MOST = re.compile(r"最多|至多|最长|最高|上限|封顶|顶多|不超过")
_NO_CAP = re.compile(r"不设上限|没有[^，。；]{0,4}上限|不作限制|不受限制|不封顶|不限(?:数量|次数)?")
_ASKS_CAP = re.compile(r"上限|封顶|最高(?:能|可以|可)?(?:到|拿|得|有|计)?(?:多少|几)")
_MOST_BEFORE = re.compile(
    r"(?:不超过|不得超过|不多于|不得多于|最多|至多|最长|最高|上限为?|控制在|满分为?|封顶)"
    r"[^，。；]{0,10}$"
)
_MOST_AFTER = re.compile(r"^[^，。；]{0,3}(?:以内|之内|以下|为限|封顶)")
_LEAST_BEFORE = re.compile(
    r"(?:不少于|不得少于|不低于|至少|最少|最低|起码|满(?!分))[^，。；]{0,10}$"
)
_LEAST_AFTER = re.compile(r"^[^，。；]{0,3}(?:以上|起)")


def states_only_the_other_bound(
    question: str, texts: Sequence[str], figure: re.Pattern[str]
) -> bool:
    """Whether ``question`` asks a least (or a most) and every figure ``texts`` state in the
    unit asked is a most (or a least); a text stating no figure in that unit says neither."""
    least, most = bool(_ASKS_LEAST.search(question)), bool(_ASKS_MOST.search(question))
    if least == most:
        return False
    # 有上限吗, 最高能到多少: a cap, which a figure stated without one (2分/次) is not
    capped = most and bool(_ASKS_CAP.search(question))
    bounds = set()
    for text in texts:
        for found in figure.finditer(text):
            before, after = text[max(0, found.start() - 16) : found.start()], text[found.end() :]
            if _MOST_BEFORE.search(before) or _MOST_AFTER.match(after):
                bounds.add("most")
            elif _LEAST_BEFORE.search(before) or _LEAST_AFTER.match(after):
                bounds.add("least")
            elif not capped:
                return False  # a figure stated without a bound may be either
    if capped:
        return "most" not in bounds and not any(_NO_CAP.search(t) for t in texts)
    return bounds == ({"most"} if least else {"least"})


# Bands of points a rule grades by (75分至89分为良好, 90分以上为优秀, 不满60分为不合格).
_BAND_BETWEEN = re.compile(r"([0-9]{1,3})\s*分?\s*(?:至|到|-|—|－|~|～)\s*([0-9]{1,3})\s*分")
_BAND_FROM = re.compile(r"([0-9]{1,3})\s*分\s*(?:（含）)?(?:及)?以上")
_BAND_BELOW = re.compile(
    r"(?:不满|低于|不足|未达到?)\s*([0-9]{1,3})\s*分|([0-9]{1,3})\s*分\s*(?:及)?以下"
)


# 75分以上、不满90分: one band, not two open ones (80 is 良好, not also 合格 of 60分以上)
_BAND_FROM_BELOW = re.compile(
    r"([0-9]{1,3})\s*分\s*(?:（含）)?(?:及)?以上\s*[、，,]?\s*(?:且|并且|但)?\s*"
    r"(?:(不满|低于|不足|未达到?)\s*([0-9]{1,3})\s*分|([0-9]{1,3})\s*分\s*(?:（含）)?(?:及)?以下)"
)
# below a figure (不满90分) excludes it; 90分以下 holds it
_JUST_BELOW = 0.001


def points_bands(text: str) -> list[tuple[float, float]]:
    """The bands of points ``text`` (digits counted) states, as (lowest, highest)."""
    bands: list[tuple[float, float]] = []
    for low, strictly, below, at_most in _BAND_FROM_BELOW.findall(text):
        high = float(below) - _JUST_BELOW if strictly else float(at_most)
        if float(low) <= high:
            bands.append((float(low), high))
    text = _BAND_FROM_BELOW.sub(" ", text)
    bands += [(float(a), float(b)) for a, b in _BAND_BETWEEN.findall(text) if int(a) <= int(b)]
    bands += [(float(a), float("inf")) for a in _BAND_FROM.findall(text)]
    bands += [
        (float("-inf"), float(a) - _JUST_BELOW if a else float(b))
        for a, b in _BAND_BELOW.findall(text)
    ]
    return bands


def asks_for_a_figure(question: str, *, periodic: bool = False) -> re.Pattern[str] | None:
    """The figure a passage must state to answer ``question`` (提前几天: 3日, 5个工作日), or
    None when no figure in a unit is asked. ``periodic``: a period (每年) answers 多久
    whether or not the question says it asks how often."""
    unit = figure_unit(question)
    if unit is None:
        return None
    # (名额不超过委员总数的10%, 增补不超过5%: a share of the members is a count of them)
    share = {"人": f"{_SHARE}|%|％", "个": f"{_SHARE}|%|％"}.get(unit, "")
    # 多久 is also answered without a count (不定期, 随时, 随交随收), though not by 及时
    untimed = ""
    often = periodic or _HOW_OFTEN.search(question)
    if unit != "个" and not _FIGURE_ASKED.search(question):
        # (how often, 多久开一次: 每年举行一次; how long until, 多久要答复: not 每年…3件)
        untimed = f"|{UNTIMED if often else _ANY_TIME}"
    elif often:
        untimed = f"|{UNTIMED}"  # 几年评一回: 每年评选一次
    if _ASKS_CAP.search(question):
        # 有上限吗: 没有数量上限 answers it, with no figure
        untimed += f"|{_NO_CAP.pattern}"
    # (一届一档 and 一事一案 are words, which count_digits left in numerals: no figure)
    return re.compile(
        # (not an ordinal or a number's tail: 第十一届 counts no terms; nor 同一届, the same one)
        rf"(?<!第)(?<!同)(?<![0-9零〇一二两三四五六七八九十百千万])"
        rf"(?!{SET_PHRASE}){_NUMBER}(?:个|名|位)?{FIGURE_UNITS.get(unit, _ANY_COUNT_UNIT)}{share}"
        rf"{untimed}"
    )


# (多久答复: 随时, 当天; 多久开一次: 每年举行一次, 每半年召开一次, 每季度一次)
# (聘期与本届委员会任期相同, 有效期与任期一致: as long as another term runs)
_ANY_TIME = (
    r"不定期|定期|随时|当天|当日|随[交收报到]随"
    r"|[期限]与[^，。；]{1,12}(?:相同|一致|同步)|(?:任期|届)内有效"
)
UNTIMED = (
    rf"{_ANY_TIME}"
    r"|每(?:[0-9一二两三四五六七八九十半]+个?)?(?:年|季度|季|月|周|星期|天|日|届)"
    # (按月整理归档, 按季度公示)
    r"|按(?:年度|季度|年|季|月|周|日|天|届)(?![0-9])"
)
