"""Key figures: numbers with their unit and what they count, as exact spans of the text.

A figure is a complete phrase (at least two words' worth besides the number: 4名 alone is no figure)
with a kind from its own words (资金 only for funds; 产值, 收入, GDP apart). Not figures: fragments
whose counted noun has no end, a delegation's or an audience's size, distances, page furniture;
a figure listed after another (958户、2478人) shares its phrase, and one fact is shown once.

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
MAX_LEFT = 18  # a noun phrase longer than this is cut at a word that ends one
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


# What a figure counts decides its kind, from its own words (the phrase first, then its clause up
# to the number): 资金 only for funds; output value, income and GDP are kinds of their own, so that
# the week's largest 资金 is never a village's output value.
_MONEY_KINDS = (
    ("GDP", re.compile(r"GDP|生产总值")),
    ("产值", re.compile(r"产值|营业额|销售额|交易额|营收|销售收入|成交额")),
    ("收入", re.compile(r"收入|增收|分红|工资|薪酬|年薪")),
    (
        "资金",
        re.compile(r"资金|投入|拨付|补助|奖补|下达|筹措|整合|贷款|捐赠|捐款|援助|投资|补贴|预算|帮扶款|资助|发放|争取"),
    ),
)
_COUNT_KINDS = {"户": "户数", "人": "人数", "名": "人数", "人次": "人次", "亩": "面积", "平方米": "面积"}
_SHARE_UNITS = ("%", "％", "个百分点")
# Numbers that are no key figure: a delegation's or an audience's size, a distance to somewhere.
_NOT_KEY = re.compile(r"一行\d|\d+(?:多|余)?(?:人|名)(?:参加|参会|出席|列席)|^(?:距|离|距离)")
_QUALIFIERS = set("多余近约共计达逾超全")
_CHROME_MARKS = re.compile(r"[•●■◆【】|｜]|https?:|www\.")
# Words that open a clause without belonging to what is counted: 并奔赴…, 以及1个省级…, 目前全县…
_LEAD_IN = re.compile(r"\s*(?:并|以及|其中|同时|目前|另有|另|与会人员对|对|和|及|与)?\s*")
# Where the counted noun after 个 ends: punctuation, a conjunction, a verb that starts the predicate.
_NOUN_END = re.compile(r"[和及与等、]|进行|作|任|签订|分别|巩固|开展|实施|参加|的")


def figure_kind(unit: str, phrase: str, clause: str) -> str:
    return _kind_and_rule(unit, phrase, clause)[0]


def _kind_and_rule(unit: str, phrase: str, clause: str) -> tuple[str, str]:
    """The figure's kind and the id of the rule that gave it (catalog.py: figure.kind.*)."""
    base = unit.removeprefix("万").removeprefix("亿")
    if base.endswith("元"):
        for words in (phrase, clause):
            for kind, pattern in _MONEY_KINDS:
                if pattern.search(words):
                    return kind, "figure.kind.money_words"
        return "金额", "figure.kind.amount"
    if base in _SHARE_UNITS:
        return "比例", "figure.kind.share"
    if base in _COUNT_KINDS:
        return _COUNT_KINDS[base], "figure.kind.count_unit"
    return "数量", "figure.kind.other_count"


def _is_complete(phrase: str, number: str) -> bool:
    """A figure says what it counts: at least two characters of words besides the number and its
    qualifiers (4名 and 100% alone do not), and no page furniture."""
    words = [ch for ch in phrase.replace(number, "", 1) if "\u4e00" <= ch <= "\u9fff" and ch not in _QUALIFIERS]
    return len(words) >= 2 and not _CHROME_MARKS.search(phrase) and not _CUT_OFF_COUNT.search(phrase)


# 8家先进帮扶单位和25名, 韩庄村的4名, 表彰了8家: the counted noun comes after the measure word
# and the phrase ends before it, so the figure does not say what it counts.
_CUT_OFF_COUNT = re.compile(r"[的和及与、了](?:约|近|共|计)?\d+(?:\.\d+)?[名家个位支批]$")


def _inside_a_token(text: str, m: re.Match[str]) -> bool:
    """The number is part of a longer token: an ordinal (第3名), a range of years (2019-2021年),
    a longer number, or letters and digits (2025高考 is no count)."""
    start, end = m.start(), m.end()
    if start and (text[start - 1].isdigit() or text[start - 1] in "第-—~"):
        return True
    before = text[start - 1 : start]
    return text[end : end + 1].isdigit() or (before.isascii() and before.isalpha())


def _cut_long_phrase(text: str, start: int, number: str) -> int:
    """Where a noun phrase too long to keep whole starts: after the last word that ends a noun
    phrase and still leaves words saying what is counted (收入达到1.5万元, not 1.5万元)."""
    window = text[start - MAX_LEFT : start]
    cuts = [i + 1 for i, ch in enumerate(window) if ch in _CUT_CHARS]
    cuts += [v.end() for v in _CUT_VERBS.finditer(window)]
    complete = [c for c in cuts if _is_complete(window[c:] + number, number)]
    return start - MAX_LEFT + max(complete or cuts or [MAX_LEFT])


def _phrase_start(text: str, m: re.Match[str], previous: Figure | None) -> tuple[int, list[str]]:
    """Where the noun phrase before the number starts, and the ids of the rules that placed it.
    The steps run in order, each moving the start right (or, for a listed figure, left)."""
    start, end, number = m.start(), m.end(), m.group(0)
    left_start = start
    while left_start > 0 and text[left_start - 1] not in _DELIM:
        left_start -= 1
    fired = ["figure.span.clause"]
    if start - left_start > MAX_LEFT:
        left_start = _cut_long_phrase(text, start, number)
        fired.append("figure.span.long_cut")
    elif (cut := _LEFT_CUTS.match(text[left_start:start])) and _is_complete(text[left_start + cut.end() : end], number):
        # 贫困人口由…降至…: what stands before 向/到/有 … is not what is counted.
        left_start += cut.end()
        fired.append("figure.span.cut_word")
    # …薄弱村选派驻村第一书记152名: what is counted starts after the verb of the clause.
    verbs = [v.end() for v in _CUT_VERBS.finditer(text, left_start, start)]
    if verbs and _is_complete(text[verbs[-1] : end], number):
        left_start = verbs[-1]
        fired.append("figure.span.after_verb")
    if lead_in := _LEAD_IN.match(text, left_start, start):
        if lead_in.end() > left_start:
            fired.append("figure.span.lead_in")
        left_start = lead_in.end()
    # 农村贫困人口958户、2478人全部脱贫: a figure listed after another shares its noun phrase.
    if left_start == start and text[start - 1 : start] == "、" and previous is not None:
        at = text.rfind(previous.text, 0, start)
        if at >= 0 and at + len(previous.text) == start - 1:
            left_start = at
            fired.append("figure.span.listed")
    return left_start, fired


def _phrase_end(text: str, m: re.Match[str]) -> tuple[int, list[str]] | None:
    """Where the phrase after the number ends (the counted noun after 个, a short predicate such
    as 全部脱贫), with the ids of the rules that extended it; None for a fragment whose counted
    noun has no end (30个村书记和分管乡村振…)."""
    end = right_end = m.end()
    fired: list[str] = []
    if m.group(3).startswith("个"):
        # 3个省定贫困村: the counted noun follows the measure word, up to where it ends.
        while (
            right_end < len(text)
            and text[right_end] not in _DELIM
            and right_end - end < 8
            and not _RIGHT_PREDICATE.match(text[right_end:])
            and not _NOUN_END.match(text, right_end)
        ):
            right_end += 1
        if right_end - end >= 8 and right_end < len(text) and text[right_end] not in _DELIM:
            return None
        if right_end > end:
            fired.append("figure.span.counted_noun")
    if p := _RIGHT_PREDICATE.match(text[right_end:]):
        right_end += p.end()
        fired.append("figure.span.predicate")
    return right_end, fired


def _weight(m: re.Match[str], span: str) -> tuple[float, list[str]]:
    """How much a briefing reader cares: the unit's weight, more for the subject's words (脱贫,
    收入 …) and for a noun phrase rather than a bare number; summed here, in one place."""
    weight = UNIT_WEIGHT.get(m.group(3), 1.0)
    fired: list[str] = []
    if _KEYWORDS.search(span):
        weight += KEYWORD_WEIGHT
        fired.append("figure.rank.subject_words")
    weight += PHRASE_WEIGHT if len(span) > len(m.group(0)) else 0.0
    return weight, fired


def _read_figure(text: str, m: re.Match[str], previous: Figure | None) -> tuple[float, Figure] | None:
    """The figure at one number with its weight, or None when the number is no key figure."""
    if _inside_a_token(text, m):
        return None
    left_start, left_rules = _phrase_start(text, m, previous)
    right = _phrase_end(text, m)
    if right is None:
        return None
    right_end, right_rules = right
    span = text[left_start:right_end]
    if _NOT_KEY.search(text[left_start : right_end + 2]) or not _is_complete(span, m.group(0)):
        return None
    start, end = m.start(), m.end()
    clause_end = min((i for i in (text.find(ch, end) for ch in "，。；\n") if i >= 0), default=len(text))
    context = text[clause_start(text, start) : clause_end].strip('“”" ')
    unit = (m.group(2) or "") + m.group(3)
    weight, rank_rules = _weight(m, span)
    kind, kind_rule = _kind_and_rule(unit, span, text[clause_start(text, start) : end])
    rule_ids = ("figure.number.unit", *left_rules, *right_rules, kind_rule, *rank_rules)
    return weight, Figure(text=span, value=m.group(1), unit=unit, context=context, kind=kind, rule_ids=rule_ids)


def _best(scored: list[tuple[float, int, Figure]]) -> tuple[Figure, ...]:
    """The MAX_FIGURES figures a reader cares most about, each fact once: a figure whose phrase
    another figure's phrase holds is that figure, and the same phrase is shown once."""
    phrases = [f.text for _, _, f in scored]
    kept = [item for item in scored if not any(item[2].text in other and item[2].text != other for other in phrases)]
    best: list[tuple[float, int, Figure]] = []
    seen: set[str] = set()
    for item in sorted(kept, key=lambda x: (-x[0], x[1])):
        if item[2].text not in seen:
            seen.add(item[2].text)
            best.append(item)
        if len(best) == MAX_FIGURES:
            break
    return tuple(f for _, _, f in best)


def find_figures(text: str) -> tuple[Figure, ...]:
    scored: list[tuple[float, int, Figure]] = []
    for m in _NUMBER.finditer(text):
        read = _read_figure(text, m, scored[-1][2] if scored else None)
        if read is not None:
            scored.append((read[0], m.start(), read[1]))
    return _best(scored)
