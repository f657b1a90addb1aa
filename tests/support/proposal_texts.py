"""Proposal and report texts written the way members write them, for checks and documents."""

from __future__ import annotations

from bot.proposals.proposal_checks import ProposalText
from bot.proposals.report_checks import ReportText

CHILDCARE_SITUATION = (
    "近年来，我市0至3岁婴幼儿家庭托育需求持续增长。据市卫健委统计，全市现有托育机构312家，"
    "提供托位1.8万个，每千人口托位数为1.4个，低于国家提出的4.5个的目标。普惠性托育机构数量少，"
    "收费普遍在每月3000元以上，超出多数双职工家庭承受能力。究其原因，一是托育用房难以落实，"
    "新建小区配套用房移交不到位；二是运营成本高，社会资本投入意愿不足；三是托育从业人员缺乏"
    "专业培训，队伍不稳定。托育服务供给不足已成为影响家庭生育意愿的重要因素，亟需加快补齐短板。"
)
CHILDCARE_SUGGESTIONS = (
    "为此，建议：\n"
    "1. 由市住建局牵头，将托育用房纳入新建住宅小区配套设施建设标准，每个街道至少建成一所普惠性托育机构。\n"
    "2. 市财政对普惠性托育机构按每个托位每年2000元给予运营补贴，并减免场地租金。\n"
    "3. 依托职业院校开设托育专业，每年培训托育从业人员1000人次，推行持证上岗。"
)

GOOD_PROPOSAL = ProposalText(
    title="关于加快发展普惠托育服务的提案",
    field="教育",
    situation=CHILDCARE_SITUATION,
    suggestions=CHILDCARE_SUGGESTIONS,
)

PARKING_PROPOSAL = ProposalText(
    title="关于缓解老旧小区停车难问题的提案",
    field="城建",
    situation=(
        "我市建成于2000年以前的老旧小区有1200余个，普遍缺少停车位，车辆占用消防通道、"
        "绿地停放现象突出，邻里纠纷时有发生。原因在于规划时未预留停车空间，周边公共停车场"
        "建设滞后，错时共享机制尚未建立。"
    ),
    suggestions=(
        "1. 结合老旧小区改造，利用边角地块新建立体停车设施，2025年前新增车位5000个。\n"
        "2. 推行机关、学校停车场夜间向周边居民错时开放，由街道统一签订共享协议。\n"
        "3. 开通停车泊位共享信息平台，公开周边空余车位。"
    ),
)

GOOD_REPORT = ReportText(
    category="医疗卫生",
    title="关于社区卫生服务中心夜间无人值守的情况反映",
    situation=(
        "近期走访发现，我市多个社区卫生服务中心晚上8点后停止接诊，居民夜间突发小病只能前往"
        "三甲医院急诊，排队时间长达两三个小时，加重了大医院急诊压力。"
    ),
    cause="社区卫生服务中心编制紧张，医生普遍超负荷工作，夜班补贴标准低，缺少值班激励。",
    suggestions=(
        "1. 按服务人口核定社区卫生服务中心夜间值班岗位，每个街道至少一个中心开设夜间门诊。\n"
        "2. 将夜班补贴提高到每班300元，由区财政列入预算。"
    ),
)
