"""Visitors, venues and scopes: places a report names that are not where it belongs.

A visiting delegation names its own home (泉港区考察团来宁化); a venue only locates a meeting of
the organ or scope written before it (晋江市委…在东石镇召开, 全区…在银川召开); a headline may name
a province-wide meeting whose body lists its stops.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from ..text import HAN, clause_start
from .dates import OPENING_CHARS  # the meeting's own sentence stands in the opening of the body
from .gazetteer import CITY, COUNTY, PROVINCE, Gazetteer, Place
from .mentions import Mention, ancestor_codes, title_end

# A visiting delegation names its own home first: 泉港区考察团来宁化…, 华亭镇到石壁镇考察调研. The
# report is about where they went (or, 来我县, about its own place, named in the body). A title's
# 在X召开 names the venue of an organ named before it (晋江市委…推进会在东石镇召开).
# 来/到 in words that are no move: 近年来, 以来, 未来, 看到, 达到, 做到…
_VISITOR = re.compile(
    r"[^，。\n]{0,8}?(?<![年以近未原后看起将从历素向达得受感做提遇收等想直])(?:来|到|赴)"
    r"|[^，。\n]{0,24}?(?:来|到)我[县区市镇乡旗州]"  # 天津市武清区委统战部组织社会力量来我县…
    # 深圳市南山区“百千万工程”指挥部办公室到资源县开展…: one of the place's offices goes elsewhere
    r"|[^，。\n]{0,20}?(?:办公室|指挥部|工作组|工作队|委员会)(?:一行)?(?:到|赴|来)"
)
# In the body only a named delegation is a visitor: 县委书记到镇调研 keeps its county.
# 南湖区区委副书记、区长徐军率代表团来遂: the titles and name of its head may stand between.
_DELEGATION = re.compile(
    # 王福祥带领党政考察团，来我市考察: a comma may stand between the delegation and its move
    # 政协主席带队送12名驻村干部到徐闻县: or what it brought
    # (对…代表团的到来表示欢迎: an arrival welcomed, not a move of the one who welcomes)
    r"[^，。\n]{0,30}?(?:考察团|代表团|调研组|学习团|一行|率队|带队)[，,]?[^，。\n]{0,12}?(?:(?<!到)来|到(?!来)|赴)"
    r"|[^，。\n]{0,30}?率[^，。\n]{0,30}?(?:来|到|赴)"  # 番禺区…邓某率番禺区统战部、工商联…到蕉岭县
)
# 与前来考察的云和县党政代表团举行座谈会: the delegation written after what it came to do
_CAME_TO = re.compile(r"(?:前来|来)[^，。\n的]{0,8}的$")
_DELEGATION_NAMED = re.compile(r"[^，。\n]{0,8}?(?:代表团|考察团|学习团|调研组|考察组|一行)")
_RECEIVED = re.compile(r"(?:会见|接见|接待|欢迎)[^，。\n]{0,20}$")
# 我区召开与和田县对口支援工作座谈会: the partner of a pairing, not the host
_PARTNER_BEFORE = re.compile(r"我[县区市镇乡旗州][^，。\n]{0,8}?(?:与|同)$")  # the report's own place pairs with it
_PARTNER_AFTER = re.compile(r"[^，。\n]{0,4}?(?:对口支援|对口帮扶|对口协作|东西部协作|扶贫协作|结对帮扶)")
_RECEIVED_DELEGATION = re.compile(r"[^，。\n]{0,20}?(?:代表团|考察团|学习团|调研组|考察组|一行)")
_HELD = re.compile(r"[^，。\n]{0,8}?(?:召开|举行)")
# 在万州区恒合乡召开, 在梅子镇政府会议室召开: the place (with its parents) written between 在/于 and
# the verb, a building of it allowed after the name.
_VENUE = re.compile(r"[在于]([^，。\n在于]{2,34}?)(?:召开|举行|举办|开班|开幕|启动|成立)")


def venue_start(text: str, m: Mention) -> int | None:
    """Where the venue phrase holding this mention starts (its 在), if the mention is in one."""
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.start)
    for venue in _VENUE.finditer(text, line_start, len(text) if line_end < 0 else line_end):
        if venue.start(1) <= m.start < venue.end(1):
            return venue.start()
    return None


def is_venue(text: str, m: Mention) -> bool:
    return venue_start(text, m) is not None


def without_visitors_and_venues(mentions: list[Mention], text: str, gaz: Gazetteer) -> list[Mention]:
    """The mentions less the visitors' homes (every mention of their places) and the venues of an
    organ named before them (that mention only); a visitor from the host's own parent stays."""
    drop, venues = _title_visitors_and_venues([m for m in mentions if m.in_title], text, gaz)
    drop |= _body_delegations([m for m in mentions if not m.in_title and not m.via.startswith("outlet")], text)

    def without(dropped: set[int]) -> list[Mention]:
        visitors = {c for m in mentions if id(m) in dropped for c in m.codes}
        # 结对帮扶丽水市云和县…: the parent written right before the visitor's place is the visitor's too
        parents = {
            id(a)
            for a, b in pairwise(mentions)
            if a.start + len(a.text) == b.start and visitors and set(b.codes) <= visitors
        }
        return [m for m in mentions if id(m) not in dropped | venues | parents and not set(m.codes) <= visitors]

    kept = without(drop)
    restored = _visitors_from_the_hosts_parent(mentions, kept, drop, gaz)
    if restored:
        # It supports its place but is not the headline's subject (杭州市…来我市调研).
        kept = [replace(m, in_title=False) if id(m) in restored else m for m in without(drop - restored)]
    return kept  # only visitors named: the host is not named, and no place is better than theirs


def _title_visitors_and_venues(title: list[Mention], text: str, gaz: Gazetteer) -> tuple[set[int], set[int]]:
    """The headline's visitors (with the parents written before them) and its venues of an organ
    named before them, as ids of the mentions."""
    drop: set[int] = set()
    venues: set[int] = set()
    for i, m in enumerate(title):
        rest = text[m.start + len(m.text) :]
        visit = _VISITOR.match(rest) or _DELEGATION.match(rest)
        if (visit and not _HELD.match(rest[: visit.end()])) or _named_as_a_visitor(text, m):
            drop.update(id(o) for o in title[: i + 1])  # the visitor and its parents written with it
        elif (venue := venue_start(text, m)) is not None:
            # The organ's place stands before 在; the venue's own parents (在广西三江县) after it.
            parents = {a for c in m.codes for a in ancestor_codes(c, gaz)} - set(m.codes)
            if any(o.start < venue and set(o.codes) & parents for o in title):
                venues.add(id(m))
    return drop, venues


def _named_as_a_visitor(text: str, m: Mention) -> bool:
    """前来考察的云和县党政代表团: a delegation named after what it came to do; 会见云南文山西畴县、马关县…
    党政代表团: one the host received; 与和田县对口支援: the partner of a pairing."""
    before = text[max(0, m.start - 24) : m.start]
    after = m.start + len(m.text)
    return bool(
        (_CAME_TO.search(before[-14:]) and _DELEGATION_NAMED.match(text, after))
        or (_RECEIVED.search(before) and _RECEIVED_DELEGATION.match(text, after))
        or (_PARTNER_BEFORE.search(before) and _PARTNER_AFTER.match(text, after))
    )


def _body_delegations(body: list[Mention], text: str) -> set[int]:
    """The body's named delegations (…考察团来…, …率…到…) and the parents written with them."""
    drop: set[int] = set()
    for i, m in enumerate(body):
        if _DELEGATION.match(text, m.start + len(m.text)) or _named_as_a_visitor(text, m):
            drop.add(id(m))
            j = i
            while j > 0 and body[j - 1].start + len(body[j - 1].text) == body[j].start:
                j -= 1
                drop.add(id(body[j]))  # 绍兴市上虞区…一行: the parents written with it
    return drop


def _visitors_from_the_hosts_parent(
    mentions: list[Mention], kept: list[Mention], drop: set[int], gaz: Gazetteer
) -> set[int]:
    """佳木斯市乡村振兴局局长一行到沿江镇: a delegation from the place's own parent is not a visitor
    from elsewhere; its name still tells which 沿江镇 is meant. (A place written right after a
    visitor's name, 青田县温溪镇, is the visitor's own.)"""
    gone = {m.start + len(m.text) for m in mentions if m not in kept}
    hosts = [m for m in kept if m.start not in gone]
    parents = {a for m in hosts for c in m.codes for a in ancestor_codes(c, gaz)}
    return {id(m) for m in mentions if id(m) in drop and set(m.codes) & parents}


# A meeting's scope written before its venue: 全区…座谈会在银川召开, 省委…现场会在某县召开. The
# report belongs to the scope's level; the venue (a city, county or township inside it) only
# locates it, as the labels of real pages have it (a county-level meeting held in a township has
# no township).
# The scope is 全省/全区…, or an organ named by its level alone at the start (自治区…会议, 市教委…,
# 县委…): a level word not written after a name (宁化县委 is a place's organ, found as a place).
_SCOPE = re.compile(rf"全([省区疆市州盟县旗])|(?:^|(?<![{HAN}]))(自治区|[省市州县区旗])(?![场城域内外级])")
_PERSON_BEFORE = re.compile(rf"(?:书记|主任|主席|[省市州县区]长|部长|局长)[{HAN}]{{2,4}}$")
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")


def scope_above_venue(
    text: str, subject: Mention, mentions: list[Mention], chosen: dict[int, Place], gaz: Gazetteer
) -> tuple[str, int] | None:
    """The level of a meeting's scope written before its venue, when the venue is the subject:
    in the title (全区…座谈会在银川召开), or in a clause of the opening (省委农村工作会议1月10日
    在兰州召开; 黑龙江省…推进会议16日下午在哈尔滨召开). In the body the scope must stand in the
    venue's own clause: 市委副书记到宁化县调研，在宁化县召开座谈会 is a visit, not a city meeting."""
    level = gaz.places[subject.codes[0]].level
    lead_start = title_end(text)
    for m in mentions:
        if not set(m.codes) & set(subject.codes) or m.start > lead_start + OPENING_CHARS:
            continue
        venue = venue_start(text, m)
        if venue is None:
            continue
        stops = "\n" if m.in_title else "\n，,。！？；"
        start = clause_start(text, m.start, stops)
        # The scope stands before the venue's 在; the parents after it (在贵州省…安龙县) are the venue's.
        if _PERSON_BEFORE.search(text, start, venue):
            continue  # 省人大常委会副主任王建鸣在宣恩召开…: a person holds it; 省 is in their title
        found = _scope_word(text, start, venue, level, chosen) or _named_parent_scope(
            start, venue, subject, mentions, level, chosen
        )
        if found is not None:
            return found
    return None


def _scope_word(text: str, start: int, venue: int, level: int, chosen: dict[int, Place]) -> tuple[str, int] | None:
    """A scope word before the venue (全区, 省委…) that names one of the chosen places above it."""
    for found in _SCOPE.finditer(text, start, venue):
        word = found.group(1) or found.group(2)
        for scope_level in range(PROVINCE, level):
            place = chosen.get(scope_level)
            if place and _names_level(word, place, scope_level):
                return found.group(0), scope_level
        # The venue's parents are not known (城郊镇 is in five counties), but every reading of
        # the word is above it (全县…在城郊镇召开): the venue's own level is still not the report's.
        if max(_SCOPE_LEVELS[word]) < level:
            return found.group(0), level - 1
    return None


def _named_parent_scope(
    start: int, venue: int, subject: Mention, mentions: list[Mention], level: int, chosen: dict[int, Place]
) -> tuple[str, int] | None:
    """A named parent as the scope: 黑龙江省…会议在哈尔滨召开. (天水市麦积区与…: a parent written
    in a chain down to the venue itself is no scope.)"""
    for other in mentions:
        chained = any(o.start == other.start + len(other.text) and set(o.codes) & set(subject.codes) for o in mentions)
        if start <= other.start < venue and not other.via.startswith("outlet") and not chained:
            for scope_level, place in chosen.items():
                if scope_level < level and place.code in other.codes:
                    return other.text, scope_level
    return None


def has_scope(text: str, start: int, end: int) -> bool:
    """Whether a scope (全省, 市委, 省政府…) stands between start and end."""
    return _SCOPE.search(text, start, end) is not None


_TITLED_MEETING = re.compile(
    r"全([省区疆市州盟])[^，。\n]{0,30}?(?:会议|大会|会)(?:在[^，。\n]{0,12}?)?(?:召开|举行|举办)"
)


def titled_scope(title: str, subject: Mention, chosen: dict[int, Place], gaz: Gazetteer) -> tuple[str, int] | None:
    """The level a headline's 全省/全区/全疆…会议召开 names, when it is above the subject's."""
    m = _TITLED_MEETING.search(title)
    if m is None:
        return None
    word = "自治区" if m.group(1) == "疆" else m.group(1)
    level = gaz.places[subject.codes[0]].level
    for scope_level in range(PROVINCE, level):
        place = chosen.get(scope_level)
        if place and _names_level(word, place, scope_level) and (m.group(1) != "疆" or "新疆" in place.name):
            return "全" + m.group(1), scope_level
    return None


_SCOPE_LEVELS = {
    "省": (PROVINCE,), "自治区": (PROVINCE,), "疆": (PROVINCE,), "区": (PROVINCE, COUNTY),
    "市": (PROVINCE, CITY, COUNTY), "州": (CITY,), "盟": (CITY,), "县": (COUNTY,), "旗": (COUNTY,),
}  # fmt: skip


def _names_level(word: str, place: Place, level: int) -> bool:
    """Whether 全省/全区/全市… can mean this place: 全区 is an autonomous region or a district,
    全市 a city, a county-level city or a municipality."""
    if word in ("省", "自治区"):
        return level == PROVINCE and place.name.endswith(word)
    if word == "疆":  # 全疆: all of Xinjiang
        return level == PROVINCE and place.name.startswith("新疆")
    if word == "区":
        return (level == PROVINCE and place.name.endswith("自治区")) or (level == COUNTY and place.name.endswith("区"))
    if word == "市":
        return place.name.endswith("市") and (level != PROVINCE or place.name in _MUNICIPALITIES)
    if word in "州盟":
        return level == CITY and place.name.endswith(word)
    return level == COUNTY and place.name.endswith(word)
