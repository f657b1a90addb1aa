"""What a website prints around a regulation, in whatever file the text arrives.

A committee copies a rule off its website into a text file as often as it saves the page:
the navigation bar, the breadcrumb, the publishing date and view count, the font-size and
print links and the copyright footer come along. None of it is the rule, and left in it
becomes the document's title (首页政协概况政协规章) or glues onto its first article.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.kb.chinese_script import simplified

__all__ = [
    "SITE_NOTES",
    "is_furniture",
    "is_page_note",
    "page_note",
    "without_footer_contacts",
    "without_link_lists",
    "without_menus",
    "without_meta_tail",
]

_META = (
    r"(?:发布时间|发布日期|发文日期|发表时间|发表日期|更新时间|加入时间|发布|日期|来源|信息来源|文章来源|作者"
    r"|浏览次数|浏览量|浏览|访问次数|访问量|被阅览数|阅览数|阅读数"
    r"|点击数|点击量|点击率|点击|阅读量|阅读次数|阅读(?=\s*[：:]\s*[0-9])|人气|责任编辑|编辑|字号)"
)
# Words that open a page's information line and nothing else (来源 or 作者 may head a list).
_STRONG_META = (
    r"(?:发布时间|发布日期|发文日期|发表日期|更新时间|信息来源|文章来源|浏览次数|访问次数|点击数)"
)
_DATE_TIME = (
    r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*(?:星期|周)[一二三四五六日天])?"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
# Font-size and similar controls that sit on the information line: A- A+, 字体：[ ], 【字体：大 中 小】.
_CONTROLS = re.compile(
    r"A\s*-\s*A\s*\+|A\s*\+\s*A\s*-|【?\s*字(?:体|号)\s*[：:]?\s*[【\[]?\s*(?:大\s*中\s*小|T\s*\|\s*T)?"
    r"\s*[】\]]?\s*】?|【(?:打印|关闭|收藏|返回顶部|打印本页|打印此页|关闭窗口|返回)】"
)
_META_LINE = re.compile(
    # (the poster's name or the column may stand first: admin 发表时间：…, 制度文件 加入时间：…)
    rf"^(?:[^\s、）)]{{1,20}}\s+)?(?:{_DATE_TIME}\s*)?"
    rf"(?:{_META}\s*[：:]\s*(?:{_DATE_TIME}|[^：:，。；,;]{{0,40}}?)\s*)+$"
    rf"|^{_DATE_TIME}$(?<=:\d\d)"  # a time stamp alone; a date alone may sign a notice
    # a page's date line (2019年01月14日 星期一), or a date and who posted (2012-08-07 …办公厅)
    rf"|^{_DATE_TIME}$(?<=[期周][一二三四五六日天])"
    rf"|^\d{{4}}-\d{{1,2}}-\d{{1,2}}\s*\S{{2,20}}(?:办公厅|办公室|委员会|政协|网)$"
)
# A WeChat article's byline: 原创 演示区政协 2025-07-08 07:30 发表于河南 (its date is asked).
_BYLINE = re.compile(rf"^(?:原创\s*)?[^\d]{{1,60}}?{_DATE_TIME}(?<=:\d\d)(?:\s*发表于\S{{1,10}})?$")
_META_TAIL = re.compile(rf"(?:{_DATE_TIME}\s*)?{_STRONG_META}\s*[：:]|{_DATE_TIME}\s*{_META}[：:]")
_TAIL_WORDS = ("发布", "发文", "更新", "来源", "次数", "点击")
_FURNITURE = re.compile(
    r"^(?:您|你)?(?:当前|现在)?(?:所在)?的?位置\s*[：:]"
    # a navigation bar or a breadcrumb: 首页 政协概况 政协规章, 首页>知识问答
    r"|^(?:网站|专题|政协)?首页(?:\s*[>＞›»]|[^，。；：:？！?!]{0,80}$)|^\S{1,8}首页\s*[>＞›»/]"
    # (or the site's name then its menu, bars between: 政协示例县委员会 | 首页 | 政协概况 | …)
    r"|^[^|｜，。]{1,20}(?:[|｜][^|｜，。]{1,10}){0,2}[|｜]\s*首页\s*[|｜][^，。；]{0,80}$"
    r"|版权所有|ICP备|ICP证|公网安备|网站标识码|^网站主办\s*[：:]|^技术支持\s*[：:]|^网站地图"
    # (the footer's links: 关于我们 | 网站地图 | 联系我们)
    r"|^(?=[^，。；]*(?:联系我们|网站地图|关于我们|网站声明|免责声明))[^，。；]{0,40}[|｜][^，。；]{0,40}$"
    r"|^分享(?:到|至)|^分享\s*[：:]?$|^(?:上一篇|下一篇)\s*[：:]"
    # a site's search box (站内搜索：[ ] [搜索]) and its name standing alone (…委员会网站)
    r"|^站内搜索|^(?:全站)?搜索\s*[：:]?\s*[\[【]|^[\u4e00-\u9fff]{2,20}(?:门户网站|网站)$"
    # a news page's source and time (新京报2020-08-31 19:18:40), its 原标题 line
    r"|^[\u4e00-\u9fff]{1,10}\s*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?\d*)?$|^原标题\s*[：:]"
    # a list of the site's other articles (- [03-17] 关于征集…的通知), its login links
    r"|^[-•·*]?\s*[\[【(（]\d{1,2}-\d{1,2}[\]】)）]\s*\S|^(?:登录|登陆|注册|登录注册|登陆注册|无障碍|繁体|简体|网站地图)$"
    # a date-time under the label 时间 followed by the page's counters (时间:2014-05-05 点击:)
    rf"|^时间\s*[：:]\s*{_DATE_TIME}\s*{_META}\s*[：:]"
    # a site's logo alt text, a like button
    r"|^\S{0,10}\s*[Ll]ogo$|^\+\d{1,4}$"
    # spam a mirror or content farm prints above the text
    r"|无码|av专区|百家乐|博彩|娱乐城|真人娱乐|人妻|偷拍"
    # an editor's credit, the comment and follow links
    r"|^[（(]?\s*(?:责任编辑|网络编辑|编辑|责编|校对|审核)\s*[：:][^）)。]{0,20}[）)]?$"
    r"|^网友评论|新闻评论服务协议|扫描关注|扫码关注|关注公众号|下载客户端"
    r"|^(?:打印本页|关闭窗口|打印此页|\s)+$|^(?:回答时间|时间)\s*[：:]\s*$"
    # the page's own title line (…办法-通知公告-桐城政协网)
    r"|^[^-]{4,60}-[^-]{2,12}-[^-]{2,20}网(?:站)?$"
    # a breadcrumb of >> (>> 理论知识 >> 政协知识), a banner, a scanned book's page label
    r"|^.{0,20}(?:>>|»)[^>»]{1,20}(?:>>|»)|^热烈(?:祝贺|庆祝)[^。]{4,60}$|^Page\s+\d+\b|^P\.\s*\d+$"
    r"|^扫一扫[^。]{0,20}$|^(?:您好[，,！!]?\s*)?欢迎(?:您)?(?:访问|光临|进入|来到)[^。]{0,30}$"
    r"|^(?:【?(?:打印|关闭|收藏|返回顶部|打印本页|打印此页|打印文本|打印正文|打印文章|关闭窗口|返回)】?\s*)+$"
    # a document-sharing site's frame: 下载此文档, 文档分类：…, 1/6, the upload notice
    r"|下载此文档|下载该文档|下载的文档|^下载提示|^文档分类|^文档列表|文档介绍$|举报非法文档|网友上传"
    r"|^[0-9]{1,3}/[0-9]{1,3}$|^第[0-9]+页\s*/\s*共[0-9]+页$|^\S+\.(?:docx?|pdf|wps)_第[0-9]+页$"
    r"|^上传人[：:]|文档编号[：:]|^返回\s*下载|点击查看更多|^资源描述$|由会员分享"
)
# A site's footer: its address, telephone, post code (地址：…国兴大道69号, 电话：0898-…) next
# to the copyright or ICP line. A notice's own contact line (联系人：…；电话：…) stays.
_CONTACT = re.compile(
    r"^(?:地址|电话|联系电话|邮编|邮政编码|传真|E-?mail|邮箱)\s*[：:]", re.IGNORECASE
)
_FOOTER = re.compile(
    r"版权所有|ICP|公网安备|技术支持|网站主办|主办单位|承办单位\s*[：:]|网站标识码"
)
_FOOTER_REACH = 3
# A site's menu under a lone 首页 line: short items, one to a line (基本情况, 要闻简报, …).
_HOME = re.compile(r"^(?:网站)?首\s*页$")
_MENU_ITEM = 12
# The head of a list of links to other articles (相关推荐, 热点推荐, 相关阅读: the headlines
# under it are other pages').
_LINK_LIST = re.compile(
    r"^(?:热点内容|相关链接|相关阅读|相关文章|相关推荐|热点推荐|热门推荐|推荐阅读|猜你喜欢|热门文章"
    r"|精彩推荐|延伸阅读|相关新闻|热点新闻)(?:$|\s*[：:])"
)
_HEADLINE = 60
_NOT_A_HEADLINE = re.compile(r"[。；;：:]$|^第\S{1,6}[条章节]|^[一二三四五六七八九十]+、")
# What such a site prints inside the text: （未完，全文共1619字，当前显示524字）.
SITE_NOTES = re.compile(r"[（(]未完[，,][^()（）]{0,30}[)）]|[（(]请认真阅读下面的提示信息[)）]")


_LONGEST = 160
# What a page says of itself and of the site's owner, kept apart from the rule as the page's
# notes (a member asks 这个规定哪天发布的, 政协地址在哪): its date, source and views, and
# the footer's copyright, registration, address and telephone.
_PAGE_NOTE = re.compile(
    r"发布时间|发布日期|发文日期|发表时间|发表日期|更新时间|信息来源|文章来源|来源\s*[：:]|浏览次数"
    r"|浏览量|访问次数|点击数|点击量|阅读量|阅读次数|版权所有|ICP备|ICP证|公网安备"
    r"|^(?:技术支持|网站主办|主办单位)\s*[：:]"
    r"|^(?:地址|电话|联系电话|邮编|邮政编码|传真|E-?mail|邮箱)\s*[：:]",
    re.IGNORECASE,
)
_NOTE_LABEL = re.compile(
    rf"{_META}|版权所有|ICP备|ICP证|公网安备|地址|电话|联系电话|邮编|邮政编码|传真|E-?mail|邮箱"
    r"|技术支持|网站主办|主办单位|[：:\s|｜]",
    re.IGNORECASE,
)
_SITE_ADDRESS = re.compile(r"(?:https?://|www\.)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_SITE_LINE = 60
# A page's markup a copy brought along (<samp id="…"></samp>): no rule's words.
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,200})?/?>")


def is_furniture(line: str) -> bool:
    """Whether a whole line is the page's rather than the text's (in either script: a
    mirror site prints 當前位置 and 來源)."""
    if not line.strip():
        return False
    line = simplified(_TAG.sub("", line)).strip().strip("|｜•· ")
    if not line:
        return True  # markup and bullets alone
    if len(line) > _LONGEST:
        return False  # a site's bars and lines are short; a rule's paragraph is not
    if _FURNITURE.search(line):
        return True
    if _SITE_ADDRESS.search(line) and len(line) <= _SITE_LINE and not re.search("[，。；]", line):
        return True  # 中国政协网 www.cppcc.gov.cn: the site's name under the title
    controls_out = _CONTROLS.sub(" ", line).strip()
    return (
        not controls_out
        or bool(_META_LINE.match(controls_out) or _BYLINE.match(controls_out))
        or (controls_out != line and bool(_FURNITURE.search(controls_out)))
    )


def is_page_note(line: str) -> bool:
    """Whether a line of a page's furniture says something of the page or its site worth
    asking (发布时间：2025-04-18 来源：市政协办公室, 版权所有：…, 电话：…), not a bar or a link."""
    line = _CONTROLS.sub(" ", simplified(_TAG.sub("", line))).strip().strip("|｜•· ")
    if _BYLINE.match(line):
        return True
    if not line or len(line) > _LONGEST or not _PAGE_NOTE.search(line):
        return False
    if re.search(r"首页|位置\s*[：:]|分享|上一篇|下一篇|>>|»", line):
        return False
    return len(_NOTE_LABEL.sub("", line)) >= 2  # (来源： alone says nothing)


def page_note(line: str) -> str:
    """A page's note as shown: without the font-size and print controls beside it."""
    line = _NOTE_CONTROLS.sub(" ", _CONTROLS.sub(" ", _TAG.sub("", line)))
    line = re.sub(r" {2,}", " ", line).strip(" []")
    # (a byline's date under the label members ask it by: 哪天发布的)
    return f"发布时间：{line}" if _BYLINE.match(line) else line


# (what a page prints among its notes for the reader's browser: 打印本页, （双击滚屏）)
_NOTE_CONTROLS = re.compile(
    r"打印本页|关闭窗口|[（(]?双击滚屏[)）]?|建议使用[^。]{0,20}分辨率浏览|\[\s*|\s*\]"
)


def without_meta_tail(line: str) -> str:
    """A title with the information line glued after it (…规定（试行）发布时间：2009-01-03
    来源：) without it, and a site's note inside a line (（未完，全文共…）) without that;
    any other line as it is."""
    if "（" in line or "(" in line:
        line = SITE_NOTES.sub("", line)
    if not any(word in line for word in _TAIL_WORDS):
        return line
    for found in _META_TAIL.finditer(line):
        if found.start() > 0 and is_furniture(line[found.start() :]):
            return line[: found.start()].rstrip()
    return line


def without_link_lists(lines: list[str]) -> list[str]:
    """Lines with a list of links to other articles (its head and the headlines under it)
    blanked: 养老金调整通知公布… under 热点推荐 is another page's news."""
    return _without_runs(
        lines,
        lines,
        head=_LINK_LIST.match,
        item=lambda text: len(text) <= _HEADLINE and not _NOT_A_HEADLINE.search(text),
        through_blanks=True,
    )


def without_footer_contacts(raw: list[str], lines: list[str]) -> list[str]:
    """Lines with a site's address and telephone lines blanked where they stand next to
    its copyright or ICP line (``raw``: the lines before furniture was blanked)."""
    shown = [n for n, line in enumerate(raw) if line.strip()]
    out = list(lines)
    for at, n in enumerate(shown):
        if not _CONTACT.match(raw[n].strip()):
            continue
        near = shown[max(0, at - _FOOTER_REACH) : at + _FOOTER_REACH + 1]
        if any(_FOOTER.search(raw[m]) for m in near):
            out[n] = ""
    return out


def without_menus(raw: list[str], lines: list[str]) -> list[str]:
    """Lines with a site's menu blanked: the short lines right under a lone 首页 line,
    up to the first blank or longer line."""
    return _without_runs(
        raw,
        lines,
        head=_HOME.match,
        item=lambda text: len(text) <= _MENU_ITEM and not re.search(r"[，。；：,.;:、]", text),
        through_blanks=False,
    )


def _without_runs(
    raw: list[str],
    lines: list[str],
    *,
    head: Callable[[str], object],
    item: Callable[[str], bool],
    through_blanks: bool,
) -> list[str]:
    """``lines`` with each head line of ``raw`` blanked, and the item lines right under it
    (up to the first other line, or blank one unless ``through_blanks``)."""
    out = list(lines)
    inside = False
    for n, line in enumerate(raw):
        text = line.strip()
        if head(text):
            inside, out[n] = True, ""
        elif inside and text and item(text):
            out[n] = ""
        elif text or not through_blanks:
            inside = False
    return out
