"""Where a question word sits: in the member's situation, or in what is asked.

A member often tells the situation before asking (我下周有手术 大会请假找谁批; 亲戚打官司
我以委员身份去法院打个招呼行不行). A thing named there, or the place the member goes to,
is no subject the rulebook must cover: the question is about leave, or about using the
member's standing. A thing named in what is asked (开全会的误餐费能报吗) still is.
"""

from __future__ import annotations

import re

__all__ = ["told_as_situation"]

_CLAUSE = re.compile(r"[\s,，。？?！!；;]+")
# A clause asking something: it is the question, not its situation.
_ASKS = re.compile(
    r"吗|谁|啥|什么|怎么|咋|哪|几|多少|多久|是否|能否|可以|行不|能不能|会不会|要不要|有没有|算不算|[不没]$"
)
# A clause telling what happened or will happen to the member.
_TELLS = re.compile(r"了|过|着|正在|下周|明天|^我")
# The member going somewhere: 去法院, 调到外省, 回老家.
_GOES_TO = re.compile(r"(?:去|到|回)$")


# The thing a clause tells of, not the member: by whom it was done (被人民日报登了), or what was
# lost (密码忘了, 委员证丢了).
_THE_THING = re.compile(r"被$")
_LOST = re.compile(r"(?:又|也|给)?(?:忘了|忘记了|丢了|弄丢了|坏了|找不到|过期了|被盗)")
# A matter of the member's own (我家孩子上学的事, 我儿子调工作的事): the rule asked about is
# whether such a matter may be raised, not the child or the school.
_OWN_MATTER = re.compile(
    r"(?:我家|我们家|家里|我|亲戚|朋友|邻居)[^，,。？?\s]{0,12}?的事(?:情|儿)?"
)


def told_as_situation(word: str, question: str) -> bool:
    """``word`` names the place the member goes to, sits in a matter of the member's own,
    or sits in a clause before the last that tells the member's situation without asking
    anything."""
    if any(word in m.group(0) for m in _OWN_MATTER.finditer(question)):
        return True
    clauses = [c for c in _CLAUSE.split(question) if c]
    for n, clause in enumerate(clauses):
        at = clause.find(word)
        if at < 0:
            continue
        if _GOES_TO.search(clause[:at]):
            return True
        if _THE_THING.search(clause[:at]) or _LOST.match(clause[at + len(word) :]):
            # 被人民日报登了 (who published the report decides the points), 密码忘了 (the
            # password is what is asked about): the thing, not the member's situation
            return False
        return n < len(clauses) - 1 and not _ASKS.search(clause) and bool(_TELLS.search(clause))
    return False
