"""Key figures: numbers with their unit and what they count, as exact spans of the text.

958户、2478人全部脱贫 / 人均收入14690.25元 / 驻村第一书记152名: the span runs from the noun
phrase before the number (cut at punctuation and at verbs such as 向/到/有) to a short predicate
after it (全部脱贫, 出列). Years, dates and ordinals are not figures. Figures are ranked by how much a
briefing reader cares (money, households, people, shares; near 脱贫/收入/帮扶 words), at most five.
"""

from __future__ import annotations

import re

from ..models import Figure
from ..text import clause_start

MAX_FIGURES = 5
_UNITS = (
    "万亿元|亿元|万元|元|户|人次|人|名|个百分点|%|％|个村|个乡镇|个社区|个"
    "|亩|公里|千米|家|项|吨|平方米|套|间|座|条|所|场|次|批"
)
_NUMBER = re.compile(rf"(\d+(?:\.\d+)?)(万|亿)?({_UNITS})(?:多|余|左右)?")
_DELIM = '，。；、：,;:（）()“”"！？\n'
# Words that end a noun phrase on the left: what stands before them is not what is counted.
_LEFT_CUTS = re.compile(r".*(?:累计向|向|到|至|达|为|有|共|由|了|是|在|将|把|对|和|及|与|不足|超过|提升到|增加到)")
MAX_LEFT = 14
_CUT_CHARS = set("的下中里在向到为有共由了是将把对和及与达至年")
_CUT_VERBS = re.compile(r"选派|派出|派驻|组建|落实|培训|新增|建成|实现|完成|带动|吸纳|安置|发放|投入")
_RIGHT_PREDICATE = re.compile(
    r"^(?:全部|已|均|实现|顺利|全面)?(?:脱贫(?:退出)?|出列|摘帽|退出|增收|受益|覆盖|参加|参与|返乡|就业)"
)
# How a figure is ranked among the report's figures (the first MAX_FIGURES are kept). Set by hand
# on the seeds when figures were added, in this order of what a reader of a poverty-alleviation
# report looks for: money and households, then people and rates, then other counts (weight 1). A
# figure gains KEYWORD_WEIGHT when its phrase names the subject (脱贫, 收入, 第一书记 …) and
# PHRASE_WEIGHT when it carries a noun phrase, not a bare number. Held in place by the figure
# tests in tests/test_extract.py (驻村第一书记152名 among the seed's figures, no years).
UNIT_WEIGHT = {"元": 3, "万元": 3, "亿元": 3, "户": 3, "人": 2.5, "%": 2.5, "％": 2.5, "个百分点": 2, "名": 2}
KEYWORD_WEIGHT = 1.0
PHRASE_WEIGHT = 0.5
_KEYWORDS = re.compile(r"脱贫|收入|人均|贫困|帮扶|选派|资金|增长|出列|就业|产业|监测|第一书记|工作队")


def find_figures(text: str) -> tuple[Figure, ...]:
    scored: list[tuple[float, int, Figure]] = []
    for m in _NUMBER.finditer(text):
        start, end = m.start(), m.end()
        if start and (text[start - 1].isdigit() or text[start - 1] in "第-—~"):
            continue  # part of a longer token, an ordinal or a range of years
        left_start = start
        while left_start > 0 and text[left_start - 1] not in _DELIM:
            left_start -= 1
        if start - left_start > MAX_LEFT:
            # Too long to keep whole: start after the last word that ends a noun phrase, or not at all.
            window = text[start - MAX_LEFT : start]
            cuts = [i + 1 for i, ch in enumerate(window) if ch in _CUT_CHARS]
            cuts += [m.end() for m in _CUT_VERBS.finditer(window)]
            left_start = start - MAX_LEFT + max(cuts) if cuts else start
        elif cut := _LEFT_CUTS.match(text[left_start:start]):
            left_start += cut.end()
        right_end = end
        if m.group(3) == "个" or m.group(3).startswith("个"):
            # 3个省定贫困村: the counted noun follows the measure word.
            while (
                right_end < len(text)
                and text[right_end] not in _DELIM
                and right_end - end < 8
                and not _RIGHT_PREDICATE.match(text[right_end:])
            ):
                right_end += 1
        if p := _RIGHT_PREDICATE.match(text[right_end:]):
            right_end += p.end()
        span = text[left_start:right_end]
        clause_end = min((i for i in (text.find(ch, end) for ch in "，。；\n") if i >= 0), default=len(text))
        context = text[clause_start(text, start) : clause_end].strip('“”" ')
        unit = (m.group(2) or "") + m.group(3)
        weight = UNIT_WEIGHT.get(m.group(3), 1.0)
        weight += KEYWORD_WEIGHT if _KEYWORDS.search(span) else 0.0
        weight += PHRASE_WEIGHT if len(span) > len(m.group(0)) else 0.0
        figure = Figure(text=span, value=m.group(1), unit=unit, context=context)
        scored.append((weight, start, figure))
    best: list[tuple[float, int, Figure]] = []
    seen: set[str] = set()
    for item in sorted(scored, key=lambda x: (-x[0], x[1])):
        if item[2].text not in seen:
            seen.add(item[2].text)
            best.append(item)
        if len(best) == MAX_FIGURES:
            break
    return tuple(f for _, _, f in best)
