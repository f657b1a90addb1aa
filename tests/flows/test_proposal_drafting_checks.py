"""The clerk's drafting checks as a member meets them in chat (issues 13 and 16): empty or
slogan-only 具体建议 and an over-long body keep the draft at the preview with the count
shown, slogans in concrete suggestions are a hint, a paraphrased title is not "mismatched",
and the same matter in other words is offered for co-signing."""

from __future__ import annotations

from bot.app import App
from handlers.proposals.findings import similarity_cache
from tests.flows.test_proposal_flow import proposals
from tests.support.chat import Chat, add_member
from tests.support.proposal_texts import CHILDCARE_SITUATION, CHILDCARE_SUGGESTIONS

ELDERLY_SITUATION = (
    "我市60岁以上户籍老人已超过150万，九成以上选择居家养老。社区助餐点、日间照料中心数量少，"
    "上门护理服务覆盖面窄，独居、空巢老人生活照料需求得不到满足。"
) * 2
ELDERLY_SUGGESTIONS = (
    "1. 每个社区建设一处嵌入式养老服务站，提供助餐、助浴和日间照料，2025年底覆盖率达到80%。\n"
    "2. 推动社区卫生服务中心与养老服务站签约，为居家老人提供上门医疗和护理服务。"
)


def assert_kept_at_preview(chat: Chat) -> None:
    """Submission refused: the preview again, the blocking finding marked, no confirmation."""
    assert "请核对提案" in chat.text and "⛔" in chat.text
    assert "确认提交《" not in chat.text


async def to_preview(
    chat: Chat,
    *,
    title: str = "加快发展普惠托育服务",
    field: str = "教育",
    situation: str = CHILDCARE_SITUATION,
    suggestions: str = CHILDCARE_SUGGESTIONS,
) -> None:
    await chat.send("/proposal")
    await chat.press("个人提案")
    await chat.send(title)
    await chat.press(field)
    await chat.send(situation)
    await chat.send(suggestions)
    assert "请核对提案" in chat.text


async def test_suggestions_of_nothing_keep_the_draft_at_the_preview(
    app: App, member_chat: Chat
) -> None:
    await to_preview(member_chat, suggestions="无")
    assert "具体建议只有 1 个字，无法提交" in member_chat.text
    assert "⛔" in member_chat.text
    await member_chat.press("提交")
    assert_kept_at_preview(member_chat)
    [row] = await proposals(app)
    assert (row.status, row.suggestions) == ("draft", "无")  # kept, nothing lost
    await member_chat.press("改具体建议")
    await member_chat.send(CHILDCARE_SUGGESTIONS)
    assert "格式检查未发现问题" in member_chat.text
    await member_chat.press("提交")
    assert "确认提交《关于加快发展普惠托育服务的提案》" in member_chat.text


async def test_slogans_only_block_and_slogans_beside_measures_are_a_hint(
    app: App, member_chat: Chat
) -> None:
    await to_preview(member_chat, suggestions="一是高度重视，二是加强领导，三是形成合力。")
    assert "只有“高度重视”“加强领导”“形成合力”这类套话" in member_chat.text
    await member_chat.press("提交")
    assert_kept_at_preview(member_chat)
    await member_chat.press("改具体建议")
    await member_chat.send(
        CHILDCARE_SUGGESTIONS + "\n4. 加大投入，市财政每年安排托育专项资金5000万元。"
    )
    assert "具体建议中的“加大投入”是套话" in member_chat.text
    await member_chat.press("提交")
    assert "确认提交" in member_chat.text  # a hint, not a block


async def test_a_body_over_the_rulebook_limit_shows_its_count_and_blocks(
    app: App, member_chat: Chat
) -> None:
    situation = CHILDCARE_SITUATION * 7
    await to_preview(member_chat, situation=situation)
    assert "超过了规定的上限 1500 字，无法提交" in member_chat.text
    [row] = await proposals(app)
    count = len("".join((row.situation + row.suggestions).split()))
    assert f"正文有 {count} 字" in member_chat.text
    await member_chat.press("提交")
    assert_kept_at_preview(member_chat)


async def test_a_paraphrased_title_is_not_called_a_mismatch(app: App, member_chat: Chat) -> None:
    await to_preview(
        member_chat,
        title="关于缓解中心城区交通拥堵的提案",
        field="城建",
        situation=(
            "每天早晚高峰，主城区几条主干道堵车严重，车辆排队一两公里，通行不畅，市民通勤时间"
            "普遍超过一小时。原因是路网微循环不畅、信号灯配时不合理、上下班时间过于集中。"
        )
        * 2,
        suggestions=(
            "1. 由市公安局交警支队对主干道信号灯实行智能配时，高峰时段设置潮汐车道。\n"
            "2. 2025年前打通断头路20条，建设支路微循环。\n"
            "3. 推行机关事业单位错峰上下班。"
        ),
    )
    assert "案由与正文内容对应不上" not in member_chat.text
    assert "一事一案" not in member_chat.text
    assert "格式检查未发现问题" in member_chat.text


async def test_the_same_matter_in_other_words_is_offered_for_co_signing(
    app: App, member_chat: Chat
) -> None:
    li = await add_member(app, name="李委员", phone="13900000002")
    li_chat = await Chat.verified(app, li)
    await to_preview(
        li_chat,
        title="完善社区居家养老服务体系",
        field="社会法制",
        situation=ELDERLY_SITUATION,
        suggestions=ELDERLY_SUGGESTIONS,
    )
    await li_chat.press("提交")
    await li_chat.press("确认提交")
    await similarity_cache(app.services).settled()
    await to_preview(
        member_chat,
        title="加强社区居家养老服务",
        field="社会法制",
        situation=(
            "很多老人愿意在家养老，但家门口的助餐、上门照护服务跟不上，空巢老人吃饭、看病都难。"
        )
        * 3,
        suggestions="1. 每个社区建一个养老服务站，提供老年助餐。\n2. 组织护理员上门照护独居老人。",
    )
    assert "本届已有相似提案：关于完善社区居家养老服务体系的提案" in member_chat.text
