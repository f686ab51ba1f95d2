"""Place names in a report's text: where the gazetteer's names stand, and which of them are
places at all (a county's short name 合作 is also a word; 李德宏 is a person, not 德宏州)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..text import is_han
from .gazetteer import CITY, COUNTY, PROVINCE, TOWN, Gazetteer, Place, load_gazetteer
from .officials import SURNAMES, TITLE_ENDINGS


@dataclass(frozen=True)
class Mention:
    text: str
    codes: tuple[str, ...]
    start: int
    in_title: bool
    via: str  # "name", "short name" or "outlet"


@functools.lru_cache(maxsize=1)
def _lengths_by_first_char() -> dict[str, tuple[int, ...]]:
    gaz = load_gazetteer()
    table: dict[str, set[int]] = {}
    for name in list(gaz.by_name) + list(gaz.by_short) + list(gaz.former):
        table.setdefault(name[0], set()).add(len(name))
    return {ch: tuple(sorted(lens, reverse=True)) for ch, lens in table.items()}


def scan_places(text: str, gaz: Gazetteer, title_end: int = 0, via: str = "name") -> list[Mention]:
    """All gazetteer names in `text`, leftmost-longest, non-overlapping."""
    lengths = _lengths_by_first_char()
    mentions: list[Mention] = []
    i, n = 0, len(text)
    while i < n:
        for length in lengths.get(text[i], ()):
            word = text[i : i + length]
            if len(word) < length:
                continue
            codes, kind = _look_up(word, gaz, via)
            if codes is None:
                continue
            spot = _Spot(text, i, word, codes, kind)
            if any(veto(spot, mentions, gaz, lengths) for veto in _NOT_A_NAME_HERE):
                continue
            mentions.append(Mention(word, codes, i, i < title_end, kind))
            i += length
            break
        else:
            i += 1
    return mentions


def _look_up(word: str, gaz: Gazetteer, via: str) -> tuple[tuple[str, ...] | None, str]:
    """The codes a word names and how: its full name, a former name, or a short name."""
    codes = gaz.by_name.get(word)
    kind = via
    if codes is None and word in gaz.former:
        codes = (gaz.former[word],)
        kind = "former name" if via == "name" else via
    if codes is None:
        codes = gaz.by_short.get(word)
        kind = "short name" if via == "name" else via
    return codes, kind


@dataclass(frozen=True)
class _Spot:
    """A gazetteer name found at `start` of `text`, before the vetoes decide whether it is one."""

    text: str
    start: int
    word: str
    codes: tuple[str, ...]
    kind: str

    @property
    def next_char(self) -> str:
        end = self.start + len(self.word)
        return self.text[end : end + 1]

    @property
    def glued(self) -> bool:
        """A Han character stands right before it: it may be the tail of a word."""
        return bool(self.start) and is_han(self.text[self.start - 1])


def _inside_a_word(spot: _Spot, mentions: list[Mention], gaz: Gazetteer, lengths: dict[str, tuple[int, ...]]) -> bool:
    """Two-character township names (兴镇, 新镇) hide inside words (振兴镇村): only a name that
    starts a word counts."""
    return len(spot.word) == 2 and gaz.places[spot.codes[0]].level == TOWN and spot.glued


def _the_word_for_townships(
    spot: _Spot, mentions: list[Mention], gaz: Gazetteer, lengths: dict[str, tuple[int, ...]]
) -> bool:
    """分乡镇 and 山城镇 end in the words 乡镇 and 城镇 (部分乡镇, 我山城镇困难群众): glued to a word
    before them they count only after their own county (夷陵区分乡镇)."""
    return spot.word.endswith(_TOWN_WORDS) and spot.glued and not after_parent(mentions, spot.start, spot.codes, gaz)


def _the_word_countryside(
    spot: _Spot, mentions: list[Mention], gaz: Gazetteer, lengths: dict[str, tuple[int, ...]]
) -> bool:
    """发展乡村, 平安乡村: "X乡" followed by 村 is the word 乡村 (countryside), not a township."""
    return spot.word.endswith("乡") and spot.next_char == "村"


def _a_villages_name(spot: _Spot, mentions: list[Mention], gaz: Gazetteer, lengths: dict[str, tuple[int, ...]]) -> bool:
    """宁夏村, 北京村: a short name followed by 村 is a village's name."""
    return spot.kind == "short name" and spot.next_char == "村"


def _straddles_a_province(
    spot: _Spot, mentions: list[Mention], gaz: Gazetteer, lengths: dict[str, tuple[int, ...]]
) -> bool:
    """振兴安徽: a short name that straddles into a province's name (兴安|安徽) yields to it."""
    return spot.kind == "short name" and _province_overlaps(spot.text, spot.start, len(spot.word), gaz, lengths)


def _the_words_east_west(
    spot: _Spot, mentions: list[Mention], gaz: Gazetteer, lengths: dict[str, tuple[int, ...]]
) -> bool:
    """文山东西部协作: a name ending in 东 glued to 西部协作 ends in the word 东西部 (east-west
    cooperation), not in 山东 (山东西部地区 stays)."""
    return spot.word.endswith("东") and _EAST_WEST.match(spot.text, spot.start + len(spot.word)) is not None


_EAST_WEST = re.compile(r"西部?(?:协作|扶贫|合作|对口|帮扶)")


def _the_end_of_a_title(
    spot: _Spot, mentions: list[Mention], gaz: Gazetteer, lengths: dict[str, tuple[int, ...]]
) -> bool:
    """组织部部长沙庆: a name starting with 长 right after 部/县/局… ends a title (部长), and what
    follows is a person (沙庆), not 长沙."""
    return (
        spot.kind == "short name"
        and spot.word.startswith("长")
        and spot.glued
        and spot.text[: spot.start + 1].endswith(_TITLES_IN_ZHANG)
        and spot.next_char not in "市县区旗州盟"  # 福州市长乐区 is the district
    )


_TITLES_IN_ZHANG = tuple(title for title in TITLE_ENDINGS if title.endswith("长"))  # 部长, 县长, 局长 …


def _into_a_full_name(
    spot: _Spot, mentions: list[Mention], gaz: Gazetteer, lengths: dict[str, tuple[int, ...]]
) -> bool:
    """文山西畴县: a province's short name glued between two names (文山|西畴县) whose last character
    starts a county's full name yields to that name."""
    if spot.kind != "short name" or not spot.glued or gaz.places[spot.codes[0]].level != PROVINCE:
        return False
    at = spot.start + len(spot.word) - 1
    for other in lengths.get(spot.text[at], ()):
        codes = gaz.by_name.get(spot.text[at : at + other])
        if codes and other > 2 and gaz.places[codes[0]].level in (CITY, COUNTY):
            return True
    return False


# What may stand glued before a township's name: its county or city, and the words that lead to a place
# (在、到、赴、深入、走进、来到、莅临、驻 …).
_BEFORE_A_TOWN = set("县区市旗州盟省镇乡村在到赴至于和与及同对向从为是的进入往达临驻研导察查访问看走了")


def _tail_of_a_longer_name(
    spot: _Spot, mentions: list[Mention], gaz: Gazetteer, lengths: dict[str, tuple[int, ...]]
) -> bool:
    """霍龙门乡 (a township the division list knows by another name) is not 龙门乡: a township name
    glued, wherever the report writes it, to the same character that cannot lead to a place."""
    if gaz.places[spot.codes[0]].level != TOWN or not spot.glued:
        return False
    before = spot.text[spot.start - 1]
    if before in _BEFORE_A_TOWN:
        return False
    return all(at > 0 and spot.text[at - 1] == before for at in _occurrences(spot.text, spot.word))


def _occurrences(text: str, word: str) -> list[int]:
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found


# Where a gazetteer name found in the text is no mention of the place, tried in this order.
_NOT_A_NAME_HERE = (
    _inside_a_word,
    _the_word_for_townships,
    _the_word_countryside,
    _a_villages_name,
    _straddles_a_province,
    _tail_of_a_longer_name,
    _the_words_east_west,
    _into_a_full_name,
    _the_end_of_a_title,
)


_TOWN_WORDS = ("乡镇", "城镇", "村镇")  # 部分乡镇, 我山城镇, 示范村镇: words, not 分乡镇/山城镇/范村镇
# The level suffixes a county-level place may be written with: its own, or an older one.
_SUFFIXES_WRITTEN = {"县": "县", "旗": "旗", "市": "县市", "区": "县市区"}
_GENERIC_FIRST = set("东西南北中城郊矿")


def title_end(text: str) -> int:
    """The end of the headline line in "title\nbody", the text every Mention's position is in."""
    return text.find("\n") if "\n" in text else len(text)


def lead_span(text: str) -> tuple[int, int]:
    """The lead: the body's first sentence, after the headline line."""
    start = title_end(text)
    end = min((i for i in (text.find(ch, start + 1) for ch in "。！？") if i > 0), default=len(text))
    return start, end


def chain_start(m: Mention, mentions: list[Mention]) -> int:
    """Where a place written with its parents begins: 巴中市巴州区 for 巴州区."""
    start = m.start
    while parent := next((p for p in mentions if p.start + len(p.text) == start), None):
        start = parent.start
    return start


def _province_overlaps(text: str, start: int, length: int, gaz: Gazetteer, lengths: dict[str, tuple[int, ...]]) -> bool:
    for j in range(start + 1, start + length):
        for other in lengths.get(text[j], ()):
            word = text[j : j + other]
            codes = gaz.by_name.get(word) or gaz.by_short.get(word)
            if j + other > start + length and codes and gaz.places[codes[0]].level == PROVINCE:
                return True
    return False


def after_parent(mentions: list[Mention], start: int, codes: tuple[str, ...], gaz: Gazetteer) -> bool:
    if not mentions or mentions[-1].start + len(mentions[-1].text) != start:
        return False
    parents = {p.code for c in codes for p in gaz.ancestors(c).values()}
    return bool(parents & set(mentions[-1].codes))


# After a bare short name, what makes it a place: an outlet or site (奉节网, 灌南发布), an organ of
# the place (宁晋县委 is a full name; 宁晋党政), an origin (宁晋籍).
_AFTER_SHORT = re.compile(
    r"(?:[县区市旗]|开发区|高新区|网|新闻|融媒|发布|日报|晚报|在线|电视|广播|讯|党政|党委|政府|人大|政协|支行|分行|分公司|籍|境内|全境|各[乡镇村地]"
    r"|[一二三四五六]?中学|小学|人民医院|中医院|法院|检察院|公安局|供电)"  # a county's own institutions: 大竹中学
)
# 马多静、韩延琪、李德宏等: a two-character short name after a surname, ending a list item, is a
# person's given name (德宏 is also a prefecture).
# 市长宫镇江主持会议: or what a person does next.
_NAME_END = re.compile(r"[、，,等]|同志|一行|\s|$|主持|出席|讲话|强调|指出|要求|表示|带队|陪同|参加")
# Before the surname: a list's separator, or the end of a title (政委辛建华一行).
_BEFORE_NAME = set("、，, \n。；：长记委任员席理")


def _in_a_persons_name(m: Mention, text: str) -> bool:
    if len(m.text) != 2 or m.start == 0 or text[m.start - 1] not in SURNAMES:
        return False
    before = text[m.start - 2 : m.start - 1]
    return (before == "" or before in _BEFORE_NAME) and bool(_NAME_END.match(text, m.start + 2))


# City short names that are also everyday words (来宾 guests, 安康 well-being, 大同 harmony): like a
# county's, they count only in place context.
_WORDLIKE_SHORT = frozenset({"来宾", "安康", "大同"})
# Before it, a move to the place followed by what is done there: 来宁化开展, 驻灌南帮扶, 赴奉节调研.
_MOVE_SHORT = re.compile(r"[来赴到至驻]$")
_DONE_THERE = re.compile(r"(?:开展|考察|调研|召开|举办|举行|帮扶|参观|交流|督导|检查|慰问|挂职|工作|蹲点)")
_HELD_HERE = re.compile(r"(?:召开|举行|举办)")
# A two-character county name (和县, 道县) whose suffix starts a title word: 书记和县长 is not 和县.
_TITLE_AFTER_SUFFIX = re.compile(r"[长委级域城直里]")


def in_place_context(m: Mention, mentions: list[Mention], text: str, gaz: Gazetteer) -> bool:
    """A county's short name (合作, 全州, 仓山, 资源) is also a common word or part of a longer
    name, so it counts only in place context: written after its city or province (邢台宁晋),
    followed by an outlet or organ (奉节网), after a move there (来宁化开展), or when the report
    also names the county in full. Province and city short names (广西, 天水) are not words."""
    places = [gaz.places[c] for c in m.codes]
    if m.via == "short name" and _in_a_persons_name(m, text):
        return False
    if m.via.startswith("outlet") or (any(p.level != COUNTY for p in places) and m.text not in _WORDLIKE_SHORT):
        return True
    after = text[m.start + len(m.text) : m.start + len(m.text) + 4]
    # 城区, 郊区, 东区: districts named by a common word count only after their city (攀枝花市东区)
    if len(m.text) == 2 and m.via == "name" and (len(m.codes) > 1 or m.text[0] in _GENERIC_FIRST):
        return after_parent(mentions[: mentions.index(m)], m.start, m.codes, gaz)
    if m.via == "name" or m.text[-1] in "县区市旗":
        # A name written with its level (奉节县, 化隆县 for 化隆回族自治县) is a place; 书记和县长
        # is not 和县: a two-character name whose suffix starts a title word.
        return len(m.text) > 2 or not _TITLE_AFTER_SUFFIX.match(after)
    context = _ShortName(m, mentions, text, places, after)
    return any(holds(context, gaz) for holds in _PLACE_CONTEXTS)


@dataclass(frozen=True)
class _ShortName:
    """A county's bare short name and what stands around it."""

    mention: Mention
    mentions: list[Mention]
    text: str
    places: list[Place]
    after: str  # the four characters after it

    @property
    def before(self) -> str:
        start = self.mention.start
        return self.text[max(0, start - 1) : start]


def _also_named_in_full(c: _ShortName, gaz: Gazetteer) -> bool:
    codes = set(c.mention.codes)
    return any(o is not c.mention and o.via != "short name" and codes & set(o.codes) for o in c.mentions)


def _outlet_or_organ_after(c: _ShortName, gaz: Gazetteer) -> bool:
    """奉节网, 宁晋党政, 宁晋籍. 大城市 is a big city, not 大城县: a level suffix counts only when the
    place has or had it (counties became cities and districts, so 射洪县 still names today's 射洪市)."""
    found = _AFTER_SHORT.match(c.after)
    return bool(found) and (
        found.group(0) not in "县区市旗" or any(found.group(0) in _SUFFIXES_WRITTEN[p.name[-1]] for p in c.places)
    )


def _moved_there_to_work(c: _ShortName, gaz: Gazetteer) -> bool:
    return bool(_MOVE_SHORT.search(c.before)) and bool(_DONE_THERE.match(c.after))  # 来宁化开展


def _venue_of_a_meeting(c: _ShortName, gaz: Gazetteer) -> bool:
    return c.before == "在" and bool(_HELD_HERE.match(c.after))  # 工作会议在合作召开


def _after_its_parent(c: _ShortName, gaz: Gazetteer) -> bool:
    """邢台宁晋: written right after its city or province."""
    ancestors = {a.code for p in c.places for lvl, a in gaz.ancestors(p.code).items() if lvl < COUNTY}
    start = c.mention.start
    return any(o.start + len(o.text) == start and ancestors & set(o.codes) for o in c.mentions)


# The contexts in which a county's bare short name is a place; any one suffices.
_PLACE_CONTEXTS = (
    _also_named_in_full,
    _outlet_or_organ_after,
    _moved_there_to_work,
    _venue_of_a_meeting,
    _after_its_parent,
)


def ancestor_codes(code: str, gaz: Gazetteer) -> set[str]:
    return {p.code for p in gaz.ancestors(code).values()}


def is_ancestor(a: Place, b: Place, gaz: Gazetteer) -> bool:
    return a.code != b.code and a.code in {p.code for p in gaz.ancestors(b.code).values()}
