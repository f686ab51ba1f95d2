"""Where a report happened: province › city › county › town, with the evidence.

1. mentions.py finds the gazetteer's names in the title, body and outlet names (full, short and
   former names, longest first) and keeps those that are places (合作社 is no 合作市; 李德宏 is
   a person). venues.py drops visitors' homes and venues (泉港区考察团来宁化; 晋江市委…在东石镇召开).
2. The subject is the most specific place named in the title (of two at one level, the venue);
   without one, the place the body names most at the level the report speaks at (我镇, 县委,
   市委…), townships standing for their county.
3. A name that exists in several places (城关镇: 82 townships) is decided only by the other
   places the report names. When nothing decides, only the levels all candidates share are kept:
   a wrong county is worse than none.
4. The level is cut where the report says the event belongs: a scope before the venue (全省…在
   宁化县召开), the lead's venue above the body's place, a headline naming a province-wide
   meeting, an enumeration of places, a county named once in passing. A township is kept when the
   report speaks as it or writes it under its county in the lead.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

from ..models import Region
from ..text import HAN, clause_start
from .gazetteer import CITY, COUNTY, PROVINCE, TOWN, Gazetteer, Place, load_gazetteer
from .mentions import (
    Mention,
    after_parent,
    ancestor_codes,
    chain_start,
    in_place_context,
    is_ancestor,
    lead_span,
    scan_places,
)
from .region_features import Candidate, Reading, RegionScorer, describe_candidates, load_scorer
from .venues import has_scope, is_venue, scope_above_venue, titled_scope, venue_start, without_visitors_and_venues

# An outlet or site (麦积区融媒体中心讯) names the publisher's own place: it outweighs a place
# the text names once (a partner district, a visitor's home). 2 changes no answer on the real
# pages' dev part and places a repost whose partner district is named twice.
OUTLET_WEIGHT = 2
# 竹溪县城关镇: a parent written right before the name is explicit hierarchy, so it outweighs
# separate mentions of a rival parent (a report about 竹溪县城关镇 may cite 房县 three times). Set by
# that reasoning, not fitted: make eval and make eval-real give identical figures for any value
# from 0 to 100; tests/test_extract.py holds it above 3 (three separate mentions of a rival).
ADJACENT_WEIGHT = 10


def _support(place: Place, gaz: Gazetteer, mentioned: Counter[str], mentions: list[Mention]) -> int:
    """How much the report's other places speak for this candidate: each mention of one of its
    ancestors counts once, an ancestor written immediately before the name counts much more."""
    ancestors = {p.code for lvl, p in gaz.ancestors(place.code).items() if lvl < place.level}
    score = sum(mentioned[code] for code in ancestors)
    ends = {m.start + len(m.text): m for m in mentions if ancestors & set(m.codes)}
    for m in mentions:
        if place.code in m.codes and m.start in ends:
            score += ADJACENT_WEIGHT
    return score


def _common_path(places: list[Place], gaz: Gazetteer, below: int) -> dict[int, Place]:
    """The ancestors (levels < below) that all candidate places share."""
    chains = [gaz.ancestors(p.code) for p in places]
    shared: dict[int, Place] = {}
    for level in range(PROVINCE, below):
        codes = {c[level].code for c in chains if level in c}
        if len(codes) == 1 and all(level in c for c in chains):
            shared[level] = chains[0][level]
        else:
            break
    return shared


def resolve_region(title: str, body: str, outlets: tuple[str, ...] = ()) -> Region:
    """The hand rules' answer, checked by the fitted scorer (region_features.py)."""
    region, reading = read_region(title, body, outlets)
    if reading is None:
        return region
    return decide_region(reading, describe_candidates(reading), load_scorer())


def read_region(title: str, body: str, outlets: tuple[str, ...] = ()) -> tuple[Region, Reading | None]:
    """The hand rules' answer and what they saw (None when the report names no host place)."""
    gaz = load_gazetteer()
    text = f"{title}\n{body}"
    mentions = scan_places(text, gaz, title_end=len(title))
    for outlet in outlets:
        mentions += scan_places(outlet, gaz, via=f"outlet {outlet}")
    mentions = [m for m in mentions if in_place_context(m, mentions, text, gaz)]
    if not mentions:
        return Region(
            evidence=("no place name from the gazetteer in the report",), rule_ids=("region.none.no_place",)
        ), None
    visitors = "、".join(dict.fromkeys(m.text for m in mentions))
    everyone = mentions
    mentions = without_visitors_and_venues(mentions, text, gaz)
    if not mentions:
        evidence = (f"only the visitors' places are named ({visitors}); the host is not",)
        return Region(evidence=evidence, rule_ids=("region.visitor.only",)), None
    region = _resolve_by_rules(title, text, mentions, gaz)
    rules_county = None
    if region.county:
        # The county as the rules wrote it (渝北区 over the division list's 两江新区).
        named = [gaz.places[c] for c in gaz.by_name.get(region.county, ())]
        rules_county = next((p for p in named if _inside(p, region, gaz)), named[0] if named else None)
    reading = Reading(
        text=text,
        mentions=everyone,
        kept=mentions,
        rules_region=region,
        rules_county=rules_county,
        county_voice=_spoken_suffixes(text, mentions),
        gaz=gaz,
    )
    return region, reading


def _inside(place: Place, region: Region, gaz: Gazetteer) -> bool:
    chain = gaz.ancestors(place.code)
    return chain.get(PROVINCE) is not None and chain[PROVINCE].name == region.province


def decide_region(reading: Reading, candidates: list[Candidate], scorer: RegionScorer) -> Region:
    """The best candidate county when the scorer is sure enough; the rules' levels above the
    county otherwise (abstaining). A candidate the rules chose keeps the rules' township."""
    rules = reading.rules_region
    found = scorer.best(candidates)
    if found is None:
        return rules
    best, probability = found
    why = f"candidate {best.place.name}: p={probability:.2f} ({'、'.join(best.fired) or 'no feature'})"
    if probability < scorer.threshold:
        if rules.county is None:
            return rules
        evidence = (*rules.evidence, f"{why} is below the threshold {scorer.threshold:.2f}: county left open")
        ids = (*rules.rule_ids, "region.scorer.abstained")
        return Region(rules.province, rules.city, None, None, evidence, ids)
    if reading.rules_county is not None and best.place.code == reading.rules_county.code:
        return replace(
            rules, evidence=(*rules.evidence, why), rule_ids=(*rules.rule_ids, "region.scorer.kept", *best.fired)
        )
    if scope := _scope_of_its_venue(reading, best.place):
        # 宁德市…现场推进会在屏南召开: the county is where its city met; the scorer may not place it there
        evidence = (*rules.evidence, f"{why}, but {scope}…在{best.place.name}召开 only locates the meeting")
        return replace(rules, evidence=evidence, rule_ids=(*rules.rule_ids, "region.scope.venue"))
    chain = reading.gaz.ancestors(best.place.code)
    town = _town_written_under(best.place, reading.kept, reading.text, reading.gaz)
    if town is not None:
        chain[TOWN] = town
    evidence = [*rules.evidence, f"{why}: placed there instead of {rules.county or 'no county'}"]
    return _region_from(chain, evidence, [*rules.rule_ids, "region.scorer.moved", *best.fired])


def _scope_of_its_venue(reading: Reading, place: Place) -> str | None:
    """The scope (宁德市, 全市…) of a meeting the report holds in this county, written before its
    venue: the county only locates a meeting of a higher level."""
    chain = {**reading.gaz.ancestors(place.code), COUNTY: place}
    for m in (m for m in reading.mentions if place.code in m.codes):
        if found := scope_above_venue(reading.text, m, reading.mentions, chain, reading.gaz):
            return found[0]
    return None


def _spoken_suffixes(text: str, mentions: list[Mention]) -> frozenset[str]:
    """The county suffixes the report speaks with (县委, 我区, 旗长), not those of named organs."""
    inside = {i for m in mentions if not m.via.startswith("outlet") for i in range(m.start, m.start + len(m.text))}
    return frozenset(
        next(ch for ch in found.group(0) if ch in "县区旗")
        for found in _COUNTY_VOICE.finditer(text)
        if found.start() not in inside
    )


def _resolve_by_rules(title: str, text: str, mentions: list[Mention], gaz: Gazetteer) -> Region:
    """The hand rules, in order: choose the subject, place it in the gazetteer, cut the levels
    where the report says the event belongs, then narrow or extend at the county and township."""
    mentioned: Counter[str] = Counter(code for m in mentions for code in m.codes)
    subject, evidence, ids = _subject_with_evidence(mentions, gaz, text)
    candidates = [gaz.places[c] for c in subject.codes]
    # 吉林 is 吉林省 and its city 吉林市, 承德 the city and its 承德县: a short name shared by a place
    # and its own parent names the parent (the one that is right whichever was meant).
    candidates = [p for p in candidates if not any(is_ancestor(q, p, gaz) for q in candidates)]
    level = candidates[0].level
    if len(candidates) == 1:
        chosen = _place_the_only_candidate(subject, candidates[0], mentions, gaz, evidence, ids)
    else:
        chosen = _place_an_ambiguous_name(subject, candidates, mentions, mentioned, gaz, evidence, ids)
    for cut in _LEVEL_CUTS:
        if (found := cut(title, text, subject, mentions, chosen, gaz)) is not None:
            scope_level, why, rule_id = found
            evidence.append(why)
            ids.append(rule_id)
            return _region_from({lvl: p for lvl, p in chosen.items() if lvl <= scope_level}, evidence, ids)
    rivals = _rivals(subject, mentions, gaz, text)
    chosen = _narrowed(subject, level, rivals, chosen, mentions, text, gaz, evidence, ids)
    return _with_written_town(level, rivals, chosen, mentions, text, gaz, evidence, ids)


def _subject_with_evidence(mentions: list[Mention], gaz: Gazetteer, text: str) -> tuple[Mention, list[str], list[str]]:
    """The subject with its first line of evidence and the ids of the rules that chose it."""
    ids: list[str] = []
    subject, balance = _choose_subject(mentions, gaz, text)
    if balance:
        ids.append(balance)
    post = None
    if visited := _visited_by_the_posts_holder(subject, mentions, text, gaz):
        # 铜仁市委书记调研民族乡…, then 到德江县桶井土家族乡调研: the headline's place is the
        # visitor's post; the lead says where the visit went.
        post, subject = subject, visited
    evidence = [f"subject: {subject.text} ({'title' if subject.in_title else 'most named'}, {subject.via})"]
    ids.append("region.subject.title" if subject.in_title else "region.subject.most_named")
    if post:
        evidence[0] = f"subject: {subject.text} (where the lead's visit went; {post.text} is the visitor's post)"
        ids[0] = "region.visitor.post_holder"
    return subject, evidence, ids


def _place_the_only_candidate(
    subject: Mention, place: Place, mentions: list[Mention], gaz: Gazetteer, evidence: list[str], ids: list[str]
) -> dict[int, Place]:
    chosen: dict[int, Place] = gaz.ancestors(place.code)
    if written := _written_county(subject, mentions, chosen, gaz):
        # 重庆渝北区石船镇: the division list files 石船镇 under 两江新区 (a development zone
        # that manages it); the county the text writes before the township is its own.
        evidence.append(
            f"{written.name}{subject.text} as written; the division list files it under {chosen[COUNTY].name}"
        )
        chosen = {**gaz.ancestors(written.code), TOWN: chosen[TOWN]}
        ids.append("region.town.written_county")
    return chosen


def _place_an_ambiguous_name(
    subject: Mention,
    candidates: list[Place],
    mentions: list[Mention],
    mentioned: Counter[str],
    gaz: Gazetteer,
    evidence: list[str],
    ids: list[str],
) -> dict[int, Place]:
    """A name several places bear (城关镇) is decided only by the other places the report names;
    when nothing decides, only the levels all candidates share are kept."""
    level = candidates[0].level
    scored = sorted(((_support(p, gaz, mentioned, mentions), p) for p in candidates), key=lambda x: -x[0])
    best = scored[0][0]
    winners = [p for s, p in scored if s == best]
    if best > 0 and len(winners) == 1:
        chosen = gaz.ancestors(winners[0].code)
        decided_by = [p.name for lvl, p in chosen.items() if lvl < level and mentioned[p.code]]
        evidence.append(f"{subject.text} exists in {len(candidates)} places; decided by {'、'.join(decided_by)}")
        ids.append("region.ambiguous.decided")
        return chosen
    chosen = _common_path(winners, gaz, level)
    chosen[level] = winners[0]
    evidence.append(
        f"{subject.text} exists in {len(candidates)} places and nothing in the report decides "
        "which: higher levels left open"
        if not _common_path(winners, gaz, level)
        else f"{subject.text} exists in {len(candidates)} places; only the shared levels are kept"
    )
    ids.append("region.ambiguous.shared")
    return chosen


# A cut: the level the event belongs at, the evidence line and the rule's id (None: no cut).
_Cut = tuple[int, str, str] | None


def _cut_at_scope_before_venue(
    title: str, text: str, subject: Mention, mentions: list[Mention], chosen: dict[int, Place], gaz: Gazetteer
) -> _Cut:
    """全省…在宁化县召开: the venue only locates a meeting of its scope's level."""
    scope = scope_above_venue(text, subject, mentions, chosen, gaz)
    if scope is None:
        return None
    word, scope_level = scope
    why = f"{word}…在{subject.text}召开: the venue only locates a meeting of its scope's level"
    return scope_level, why, "region.scope.venue"


def _cut_at_lead_venue(
    title: str, text: str, subject: Mention, mentions: list[Mention], chosen: dict[int, Place], gaz: Gazetteer
) -> _Cut:
    """7月15日，…主题采访活动在云南省楚雄彝族自治州正式启动: the lead holds the event at the
    prefecture; a county named later (楚雄市紫溪镇) is one of its stops."""
    lead_venue = _lead_venue_above(subject, mentions, text, chosen, gaz)
    if lead_venue is None:
        return None
    why = f"the lead holds the event in {lead_venue.name}: {subject.text} is a later place of it"
    return lead_venue.level, why, "region.lead.venue_above"


def _cut_at_titled_scope(
    title: str, text: str, subject: Mention, mentions: list[Mention], chosen: dict[int, Place], gaz: Gazetteer
) -> _Cut:
    """全省打造乡村振兴齐鲁样板现场调度会召开, then 在荣成市召开会议 in the body: the headline names
    a meeting of the whole province; the places of its body are stops and venues. (A county
    reporting its part in it, 我县/县委…, is placed at the county.)"""
    if subject.in_title or _voice(_COUNTY_VOICE, text, mentions):
        return None
    titled = titled_scope(title, subject, chosen, gaz)
    if not titled:
        return None
    word, scope_level = titled
    return (
        scope_level,
        f"the headline names a {word} meeting: {subject.text} is one of its places",
        "region.scope.headline",
    )


def _nearest_codes(m: Mention, subject: Place | None, gaz: Gazetteer) -> list[str]:
    """Of a name found in several places (马村乡), those nearest the subject: listed with 纸房乡 of
    清丰县, it is 清丰县's 马村乡, not one in another province."""
    if subject is None or len(m.codes) < 2:
        return list(m.codes)
    own = gaz.ancestors(subject.code)
    for level in range(subject.level - 1, PROVINCE - 1, -1):
        if level in own and (near := [c for c in m.codes if gaz.ancestors(c).get(level) == own[level]]):
            return near
    return list(m.codes)


# Where the report says the event belongs, tried in this order; the first that cuts decides.
_LEVEL_CUTS = (_cut_at_scope_before_venue, _cut_at_lead_venue, _cut_at_titled_scope)


def _narrowed(
    subject: Mention,
    level: int,
    rivals: list[Mention],
    chosen: dict[int, Place],
    mentions: list[Mention],
    text: str,
    gaz: Gazetteer,
    evidence: list[str],
    ids: list[str],
) -> dict[int, Place]:
    """The levels the report is not about alone left open: rivals at the subject's level, a county
    named once in passing, a township the report does not speak as."""
    if rivals:
        # Several places at the subject's level (助力伽师县、岳普湖县; a city meeting where counties
        # report): the report is about none of them alone. Keep what they share.
        places = [chosen[level]] if level in chosen else []
        places += [gaz.places[c] for m in rivals for c in _nearest_codes(m, chosen.get(level), gaz)]
        chosen = _common_path(places, gaz, level)
        names = "、".join(dict.fromkeys([subject.text, *(m.text for m in rivals)]))
        evidence.append(f"several places at this level ({names}): only the levels they share are kept")
        ids.append("region.list.rivals")
    if level == COUNTY and _named_once_in_passing(subject, mentions, text):
        # A county named once in the body, by a report that never speaks as a county (我山…,
        # 与庐山市相关部门对接): a partner or a destination, not the report's own place.
        chosen.pop(COUNTY, None)
        evidence.append(f"{subject.text} is named once in passing and the report does not speak as a county")
        ids.append("region.mention.passing")
    if level == TOWN and not subject.in_title and not _speaks_as_town(text, mentions, gaz):
        chosen.pop(TOWN, None)
        evidence.append(f"{subject.text} only locates the report: it does not speak as that township")
        ids.append("region.town.not_own_voice")
    return chosen


def _with_written_town(
    level: int,
    rivals: list[Mention],
    chosen: dict[int, Place],
    mentions: list[Mention],
    text: str,
    gaz: Gazetteer,
    evidence: list[str],
    ids: list[str],
) -> Region:
    """The region, with the township the text writes under its county when none is chosen: the
    gazetteer's (written right after the county in the lead) or one it does not list."""
    written = _town_written_under(chosen[COUNTY], mentions, text, gaz) if level >= COUNTY and COUNTY in chosen else None
    if written and TOWN not in chosen and not rivals:
        chosen[TOWN] = written
        evidence.append(f"{chosen[COUNTY].name}{written.name}: the only township, written under its county in the lead")
        ids.append("region.town.written_under")
    town = _unlisted_town(text, chosen[COUNTY].name, gaz) if TOWN not in chosen and COUNTY in chosen else None
    if town:
        evidence.append(f"{town} is not in the gazetteer; the text places it: {chosen[COUNTY].name}{town}")
        ids.append("region.town.unlisted")
        return replace(_region_from(chosen, evidence, ids), town=town)
    return _region_from(chosen, evidence, ids)


# 门头沟区委召开镇街…, 平谷区召开乡镇…, 到兴宁市调研驻镇帮镇扶村工作, 禹州市城乡规划局, 禹州市驻浅井乡: an
# organ, a verb or the word 城乡 after the county is not a township's name.
_NOT_A_TOWN_NAME = re.compile(
    r"^[委府驻到赴在]|召开|举行|组织|开展|部署|推进|各|调研|督导|督查|检查|考察|视察|走访|慰问|指导|^城乡$"
)


def _written_county(
    subject: Mention, mentions: list[Mention], chosen: dict[int, Place], gaz: Gazetteer
) -> Place | None:
    """A county written right before a township that the division list files under another
    county of the same province."""
    if TOWN not in chosen or COUNTY not in chosen:
        return None
    for m in mentions:
        if not set(m.codes) & set(subject.codes):
            continue
        for before in mentions:
            if before.start + len(before.text) != m.start or before.via.startswith("outlet") or len(before.codes) != 1:
                continue
            county = gaz.places[before.codes[0]]
            province = gaz.ancestors(county.code).get(PROVINCE)
            if county.level == COUNTY and county.code != chosen[COUNTY].code and province == chosen.get(PROVINCE):
                return county
    return None


def _unlisted_town(text: str, county: str, gaz: Gazetteer) -> str | None:
    """A township written right after its county (麦积区五龙镇) that the gazetteer does not list
    (merged or renamed since), when the headline names it and the report repeats it. "乡" before
    村 is the word 乡村 (光山县召开乡村振兴会议), not a township."""
    title = text.split("\n", 1)[0]
    found = Counter(
        m.group(1)
        for m in re.finditer(rf"{re.escape(county)}([{HAN}]{{1,4}}?(?:镇|乡(?![村镇])|街道))", text)
        if m.group(1) not in gaz.by_name and not _NOT_A_TOWN_NAME.search(m.group(1))
    )
    for town, _ in found.most_common():
        if town in title and text.count(town) >= 2:
            return town
    return None


def _choose_subject(mentions: list[Mention], gaz: Gazetteer, text: str) -> tuple[Mention, str | None]:
    """The report's subject, and the ID of the rule that left the county open, if one did."""
    in_title = [m for m in mentions if m.in_title]
    if in_title:
        return _title_subject(in_title, mentions, gaz, text), None
    return _body_subject(mentions, gaz, text)


def _level(m: Mention, gaz: Gazetteer) -> int:
    return gaz.places[m.codes[0]].level


def _title_subject(in_title: list[Mention], mentions: list[Mention], gaz: Gazetteer, text: str) -> Mention:
    """The most specific place the headline names; of two at one level, the venue hosts it (吴川——
    三江协作联席会议在广西三江县召开); 西青区与麦积区…座谈会举行 with 在麦积区举行 in the lead: the
    lead's venue decides."""
    held = _lead_venue_codes(mentions, text)

    def hosts(m: Mention) -> bool:
        return is_venue(text, m) or bool(set(m.codes) & held)

    # Two parties joined in the headline (天津·庆阳…座谈会, 西青区与麦积区…): the host decides,
    # whatever their levels; otherwise the most specific place (宝应县…会议在南京召开).
    joined = any(_JOINED.fullmatch(text[a.start + len(a.text) : b.start]) for a, b in pairwise(in_title))
    if joined and any(hosts(m) for m in in_title):
        return max(in_title, key=lambda m: (hosts(m), _level(m, gaz), -m.start))
    return max(in_title, key=lambda m: (_level(m, gaz), hosts(m), -m.start))


@dataclass(frozen=True)
class _BodyCounts:
    """What the body's mentions weigh: each name's count (an outlet's counts OUTLET_WEIGHT), the
    townships named alone, the counties those townships imply, and whether a place lies within
    the higher places the report names."""

    counts: Counter[str]
    towns: list[Mention]
    implied: Counter[str]
    within_higher: Callable[[Mention], bool]

    def county_weight(self, m: Mention) -> int:
        return self.counts[m.text] + sum(self.implied[c] for c in m.codes)

    def most_named(self, mentions: list[Mention]) -> Mention:
        return max(mentions, key=lambda m: (self.counts[m.text], -m.start))


def _within_higher(mentions: list[Mention], counts: Counter[str], gaz: Gazetteer) -> Callable[[Mention], bool]:
    """Whether a place is inside the city or province the report names (部分乡镇 must not move a
    甘南州 report to another province), or named more often than they are (海山镇 six times, the
    helpers' 中山市 four)."""
    higher = {c for m in mentions if _level(m, gaz) < COUNTY for c in m.codes}
    most_higher = max((counts[m.text] for m in mentions if _level(m, gaz) < COUNTY), default=0)
    return lambda m: not higher or any(higher & ancestor_codes(c, gaz) for c in m.codes) or counts[m.text] > most_higher


def _count_body(mentions: list[Mention], gaz: Gazetteer) -> _BodyCounts:
    counts: Counter[str] = Counter()
    for m in mentions:
        counts[m.text] += OUTLET_WEIGHT if m.via.startswith("outlet") else 1
    within_higher = _within_higher(mentions, counts, gaz)
    # A township written without its county speaks for that county: 赴海丰县可塘镇… with 可塘镇 named
    # eight times outweighs the visitors' 龙岗区 named three times; 安厚镇、坂仔镇 outweigh a 寿宁县下党乡
    # quoted once. A township written right after its county is that county's mention already.
    towns = [
        m for i, m in enumerate(mentions)
        if _level(m, gaz) == TOWN and len(m.codes) == 1 and not m.via.startswith("outlet")
        and not after_parent(mentions[:i], m.start, m.codes, gaz)
        and within_higher(m)
    ]  # fmt: skip
    implied: Counter[str] = Counter()
    for m in towns:
        if county := gaz.ancestors(m.codes[0]).get(COUNTY):
            implied[county.code] += 1
    return _BodyCounts(counts, towns, implied, within_higher)


def _body_subject(mentions: list[Mention], gaz: Gazetteer, text: str) -> tuple[Mention, str | None]:
    """The place the body names most at the level the report speaks at, townships standing for
    their county; with the id of the rule that left the county open, if one did."""
    body = _count_body(mentions, gaz)
    counties = {c for m in mentions if _level(m, gaz) == COUNTY for c in m.codes} | set(body.implied)
    # A city speaking of its counties (各县市区汇报) is a city report; a city leader who goes to one
    # county (市长深入于都县…调研) reports on that county.
    cities = [m for m in mentions if _level(m, gaz) == CITY]
    if cities and _speaks_as_city(text, mentions) and len(counties) != 1:
        return body.most_named(cities), None
    # Townships named without their county (县长到汪墩乡、土塘镇调研) still locate it, which a
    # city or province named elsewhere (a provincial outlet) does not.
    levels = (TOWN, COUNTY, CITY, PROVINCE) if _speaks_as_town(text, mentions, gaz) else (COUNTY, TOWN, CITY, PROVINCE)
    return _subject_by_level(levels, mentions, body, gaz, text)


def _subject_by_level(
    levels: tuple[int, ...],
    mentions: list[Mention],
    body: _BodyCounts,
    gaz: Gazetteer,
    text: str,
) -> tuple[Mention, str | None]:
    """The most named place at the first level (in the report's order) that has one. At the county,
    the named county weighs against the county its townships imply; a tie decides no county,
    though the city or province may still hold."""
    balance = None
    for wanted in levels:
        if balance and wanted >= COUNTY:
            continue
        at_level = [m for m in mentions if _level(m, gaz) == wanted]
        if wanted == TOWN:
            at_level = [m for m in at_level if body.within_higher(m)]
        if wanted == COUNTY:
            at_level = _in_own_voice(at_level, text, mentions, gaz)
        if wanted == COUNTY and at_level and body.implied:
            if (weighed := _county_against_its_towns(at_level, body, gaz)) is not None:
                return weighed, None
            balance = "region.county.balance"  # conflicting evidence: no county
            continue
        if at_level:
            return body.most_named(at_level), balance
    # Only townships are named and the report does not speak as one (县政协…视察大固本镇、建设镇):
    # the most named township still locates the county, which is all it decides.
    return body.most_named(mentions), balance


def _county_against_its_towns(counties: list[Mention], body: _BodyCounts, gaz: Gazetteer) -> Mention | None:
    """The named county against the county its townships imply: the heavier one's mention (a
    township of the implied county stands for it), None when they weigh the same."""
    named = max(counties, key=lambda m: (body.county_weight(m), -m.start))
    county, weight = body.implied.most_common(1)[0]
    if county in named.codes or weight < body.county_weight(named):
        return named
    if weight > body.county_weight(named):
        return body.most_named([m for m in body.towns if gaz.ancestors(m.codes[0])[COUNTY].code == county])
    return None


# How a report speaks of its own level: 我镇/全镇/镇党委 for a township's own meeting, 全县/县委/区长
# for a county's. "乡镇" is the generic word for all townships of a county, not a voice.
_TOWN_VOICE = re.compile(r"(?:[我全本](?<!乡)[镇乡])|(?:(?<![乡城])[镇乡](?:党委|政府|人大|长|委))")
_COUNTY_VOICE = re.compile(r"[我全本][县区旗]|[县区旗](?:委|政府|人大|政协|长)")
_TOWN_SELF = re.compile(r"[我本](?<!乡)[镇乡](?!村)")
_COUNTY_SELF = re.compile(r"[我本][县区旗]")


_CITY_VOICE = re.compile(r"[我全本]市|(?<!县级)市(?:委|政府|人大|政协|长)")


def _voice(pattern: re.Pattern[str], text: str, mentions: list[Mention]) -> int:
    """How often the report speaks at a level: 县委 counts, 固始县委 (a named organ) does not."""
    inside = {i for m in mentions if not m.via.startswith("outlet") for i in range(m.start, m.start + len(m.text))}
    return sum(1 for found in pattern.finditer(text) if found.start() not in inside)


_MOVED_TO = re.compile(r"(?:到|赴|来|深入|前往|莅临|走进)$")  # where a visit went


def _named_once_in_passing(subject: Mention, mentions: list[Mention], text: str) -> bool:
    same = [m for m in mentions if set(m.codes) & set(subject.codes)]
    if subject.in_title or len(same) > 1 or subject.via != "name" or is_venue(text, subject):
        return False  # the meeting's venue (推进会在安龙县举行) is not a passing mention
    start = chain_start(subject, mentions)  # 赴巴中市巴州区…: the parents written before it
    listed = text[subject.start + len(subject.text) : subject.start + len(subject.text) + 1] in ("、", "和", "及")
    if _MOVED_TO.search(text[max(0, start - 2) : start]) and not listed:
        return False  # where a visit went (一行赴巴州区大和乡调研) is not a passing mention; one of a list is
    return _voice(_COUNTY_VOICE, text, mentions) == 0


_JOINED = re.compile(r"\s*(?:·|•|与|和|同|—{1,2}|-|、)\s*")


_POST_AFTER = re.compile(r"委?(?:副?书记|[市县区州]长|主任|主席)")


def _visited_by_the_posts_holder(
    subject: Mention, mentions: list[Mention], text: str, gaz: Gazetteer
) -> Mention | None:
    """The lead's destination inside the headline's place, when that place is only the post of
    the official who went (铜仁市委书记…): the most specific place of the destination."""
    if not subject.in_title or not _POST_AFTER.match(text, subject.start + len(subject.text)):
        return None
    title_end, lead_end = lead_span(text)
    in_lead = [m for m in mentions if title_end < m.start < lead_end]
    for m in in_lead:
        if not _MOVED_TO.search(text, max(0, m.start - 2), m.start):
            continue
        chain = [m]  # 到德江县桶井土家族乡: the destination and the places written after it
        while (nxt := next((o for o in in_lead if o.start == chain[-1].start + len(chain[-1].text)), None)) is not None:
            chain.append(nxt)
        last = chain[-1]
        if len(last.codes) == 1 and set(subject.codes) & ancestor_codes(last.codes[0], gaz) - set(last.codes):
            return last
    return None


def _lead_venue_codes(mentions: list[Mention], text: str) -> set[str]:
    """The places written as the venue of the lead sentence (…座谈会在天津市召开), when no organ
    or place of its own stands before 在 in that clause (市政府在南京市召开: a venue of that 市)."""
    title_end, lead_end = lead_span(text)
    held: set[str] = set()
    for m in mentions:
        if title_end < m.start < lead_end and (venue := venue_start(text, m)) is not None:
            clause = clause_start(text, venue, "\n，,。；")
            if not has_scope(text, clause, venue):
                held |= set(m.codes)
    return held


def _lead_venue_above(
    subject: Mention, mentions: list[Mention], text: str, chosen: dict[int, Place], gaz: Gazetteer
) -> Place | None:
    """The venue of the lead sentence, when it is a parent of the subject the body chose."""
    if subject.in_title:
        return None
    title_end, lead_end = lead_span(text)
    level = gaz.places[subject.codes[0]].level
    for m in mentions:
        if title_end < m.start < lead_end and is_venue(text, m) and not set(m.codes) & set(subject.codes):
            place = gaz.places[m.codes[0]]
            if place.level < level and chosen.get(place.level) == place and len(m.codes) == 1:
                # the last of a written chain is the venue (在云南省楚雄彝族自治州)
                following = [o for o in mentions if o.start == m.start + len(m.text)]
                if not following:
                    return place
    return None


def _in_own_voice(counties: list[Mention], text: str, mentions: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """天津市和平区与舟曲县开展协作…县委书记…县长主持: a report that speaks of its own county only as
    a 县 (县委, 县长, 我县) is about the 县 it names, not the 区 of its partner."""
    spoken: set[str] = set()
    inside = {i for m in mentions if not m.via.startswith("outlet") for i in range(m.start, m.start + len(m.text))}
    for found in _COUNTY_VOICE.finditer(text):
        if found.start() not in inside:
            spoken.add(next(ch for ch in found.group(0) if ch in "县区旗"))
    if len(spoken) != 1:
        return counties
    (suffix,) = spoken
    own = [m for m in counties if any(gaz.places[c].name.endswith(suffix) for c in m.codes)]
    return own if own and len(own) < len(counties) else counties


def _speaks_as_city(text: str, mentions: list[Mention]) -> bool:
    city = _voice(_CITY_VOICE, text, mentions)
    return city > _voice(_COUNTY_VOICE, text, mentions) + _voice(_TOWN_VOICE, text, mentions)


def _related(a: Place, b: Place, gaz: Gazetteer) -> bool:
    return a.code in {p.code for p in gaz.ancestors(b.code).values()} or b.code in {
        p.code for p in gaz.ancestors(a.code).values()
    }


def _rivals(subject: Mention, mentions: list[Mention], gaz: Gazetteer, text: str) -> list[Mention]:
    """Other places that are as much the report's subject as the chosen one: the headline's or
    the lead's enumeration that holds it, or the counties of a city speaking of its counties."""
    level = _level(subject, gaz)
    own = [gaz.places[c] for c in subject.codes]

    def rival(m: Mention) -> bool:
        return not any(_related(a, gaz.places[c], gaz) or a.code == c for a in own for c in m.codes)

    if subject.in_title:
        # An enumeration (伽师县、岳普湖县) has no single subject; in 船营区与长白县开展… the first
        # named is the publisher's own place.
        listed = [
            m for m in mentions if m.in_title and _level(m, gaz) in (level, level - 1) and _is_listed(text, m, "、及和")
        ]
        return [m for m in listed if rival(m)] if subject in listed else []
    if lead_rivals := _lead_enumeration_rivals(subject, level, mentions, gaz, text, rival):
        return lead_rivals
    if level >= COUNTY and _speaks_as_city(text, mentions):
        lower = [m for m in mentions if _level(m, gaz) >= COUNTY and not m.via.startswith("outlet")]
        return [m for m in lower if rival(m)]
    return []


def _lead_enumeration_rivals(
    subject: Mention,
    level: int,
    mentions: list[Mention],
    gaz: Gazetteer,
    text: str,
    rival: Callable[[Mention], bool],
) -> list[Mention]:
    """The lead's own enumeration: 率队到贵阳市开阳县、清镇市考察 went to two counties. (Townships
    listed in the lead still locate their county: a tour of 中兴镇和港沿镇.)"""
    if level > COUNTY:
        return []
    title_end, lead_end = lead_span(text)
    # 到我省佳木斯抚远市、同江市和哈尔滨市: a city listed with the counties is a stop of the same tour
    in_lead = [m for m in mentions if title_end < m.start < lead_end and _level(m, gaz) in (level, level - 1)]
    listed = [m for m in in_lead if _is_listed(text, m, ("、", "和", "及"))]
    if not any(set(m.codes) & set(subject.codes) for m in listed):
        return []
    return [m for m in listed if rival(m)]


# 深入纸房乡孟楼村、髙堡乡西吉村…: a township with the village visited there, then the list goes on
_VILLAGE_THEN_JOINER = re.compile(rf"[{HAN}]{{1,6}}?(?:村|社区)(?=[、和及])")


def _is_listed(text: str, m: Mention, joiners: str | tuple[str, ...]) -> bool:
    """A joiner stands right before or after the name (or after the village named with it): one of
    an enumeration. (A string of joiners also accepts the empty string at the text's edges, as `in`
    on a string does.)"""
    after = m.start + len(m.text)
    if village := _VILLAGE_THEN_JOINER.match(text, after):
        after = village.end()
    return text[m.start - 1 : m.start] in joiners or text[after : after + 1] in joiners


def _town_written_under(county: Place, mentions: list[Mention], text: str, gaz: Gazetteer) -> Place | None:
    """The only township the report names, written right after its county in the opening (陕西
    吴起县周湾镇隆重召开…, 赴巴州区大和乡朱垭村调研): the text places the event there."""
    towns = {c for m in mentions if _level(m, gaz) == TOWN for c in m.codes}
    title_end, lead_end = lead_span(text)
    for i, m in enumerate(mentions):
        if not title_end < m.start < lead_end or _level(m, gaz) != TOWN:
            continue
        if _county_meeting_held_there(county, m, mentions, text, title_end):
            continue  # 原州区…启动会在原州区头营镇马园村举行: the county's own meeting, held in the township
        if i and _written_right_after(mentions[i - 1], county, m):
            own = [c for c in m.codes if gaz.ancestors(c).get(COUNTY, county).code == county.code]
            named = {c for c in towns if c in m.codes or gaz.ancestors(c).get(COUNTY) == county}
            if len(own) == 1 and named <= set(m.codes):
                return gaz.places[own[0]]
    return None


def _county_meeting_held_there(county: Place, m: Mention, mentions: list[Mention], text: str, title_end: int) -> bool:
    """The township is the venue of a meeting whose clause names the county before it."""
    venue = venue_start(text, m)
    return venue is not None and any(title_end < o.start < venue and county.code in o.codes for o in mentions)


def _written_right_after(before: Mention, county: Place, m: Mention) -> bool:
    return county.code in before.codes and before.start + len(before.text) == m.start


def _speaks_as_town(text: str, mentions: list[Mention], gaz: Gazetteer) -> bool:
    """A township found only in the body is the report's subject when the report speaks as that
    township and names no rival one; a county meeting held in or visiting a township does not
    make it a township report (on real pages the venue was the commonest wrong town)."""
    towns = Counter(m.text for m in mentions if gaz.places[m.codes[0]].level == TOWN)
    if not towns:
        return False
    ranked = towns.most_common(2)
    if len(ranked) == 2 and ranked[0][1] <= 2 * ranked[1][1]:
        return False
    # The publisher's own first person (我镇, 本镇) outweighs the titles of visitors (县委常委…).
    town_self, county_self = len(_TOWN_SELF.findall(text)), len(_COUNTY_SELF.findall(text))
    if town_self or county_self:
        return town_self > 0 and county_self == 0
    return _voice(_TOWN_VOICE, text, mentions) > _voice(_COUNTY_VOICE, text, mentions)


def _region_from(chain: dict[int, Place], evidence: list[str], ids: list[str]) -> Region:
    return Region(
        province=chain[PROVINCE].name if PROVINCE in chain else None,
        city=chain[CITY].name if CITY in chain else None,
        county=chain[COUNTY].name if COUNTY in chain else None,
        town=chain[TOWN].name if TOWN in chain else None,
        evidence=tuple(evidence),
        rule_ids=tuple(ids),
    )
