"""Where a report happened: province › city › county › town, with the evidence.

1. Scan title, body and outlet names once for gazetteer names (full names, and the short
   names of provinces, cities and counties: 奉节 -> 奉节县), longest match first, so 平安乡 is
   never read as 平安 and 麦积区委书记 yields 麦积区.
2. The subject is the most specific place named in the title; without a title place, the town
   named most often, else the county, city or province named most often.
3. A name that exists in several places (城关镇: 82 townships) is decided only by the other
   places the report names (its county, city or province, an outlet such as 奉节网). When
   nothing decides, only the levels all candidates share are kept: a wrong county is worse
   than none.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from ..models import Region
from .gazetteer import COUNTY, PROVINCE, TOWN, Gazetteer, Place, load_gazetteer

_HAN = re.compile(r"[\u3400-\u9fff]")


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
    for name in list(gaz.by_name) + list(gaz.by_short):
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
            codes = gaz.by_name.get(word)
            kind = via
            if codes is None:
                codes = gaz.by_short.get(word)
                kind = "short name" if via == "name" else via
            if codes is None:
                continue
            # Two-character township names (兴镇, 新镇) hide inside words (振兴镇村): only a
            # name that starts a word counts.
            if length == 2 and gaz.places[codes[0]].level == TOWN and i and _HAN.match(text[i - 1]):
                continue
            # 发展乡村, 平安乡村: "X乡" followed by 村 is the word 乡村 (countryside), not a township.
            if word.endswith("乡") and text[i + length : i + length + 1] == "村":
                continue
            mentions.append(Mention(word, codes, i, i < title_end, kind))
            i += length
            break
        else:
            i += 1
    return mentions


ADJACENT_WEIGHT = 10  # 竹溪县城关镇: a parent written right before the name is explicit hierarchy


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
    gaz = load_gazetteer()
    text = f"{title}\n{body}"
    mentions = scan_places(text, gaz, title_end=len(title))
    for outlet in outlets:
        mentions += scan_places(outlet, gaz, via=f"outlet {outlet}")
    if not mentions:
        return Region(evidence=("no place name from the gazetteer in the report",))
    mentioned: Counter[str] = Counter()
    for m in mentions:
        for code in m.codes:
            mentioned[code] += 1

    subject = _choose_subject(mentions, gaz)
    candidates = [gaz.places[c] for c in subject.codes]
    level = candidates[0].level
    evidence = [f"subject: {subject.text} ({'title' if subject.in_title else 'most named'}, {subject.via})"]
    if len(candidates) == 1:
        chosen: dict[int, Place] = gaz.ancestors(candidates[0].code)
    else:
        scored = sorted(((_support(p, gaz, mentioned, mentions), p) for p in candidates), key=lambda x: -x[0])
        best = scored[0][0]
        winners = [p for s, p in scored if s == best]
        if best > 0 and len(winners) == 1:
            chosen = gaz.ancestors(winners[0].code)
            decided_by = [p.name for lvl, p in chosen.items() if lvl < level and mentioned[p.code]]
            evidence.append(f"{subject.text} exists in {len(candidates)} places; decided by {'、'.join(decided_by)}")
        else:
            chosen = _common_path(winners, gaz, level)
            chosen[level] = winners[0]
            evidence.append(
                f"{subject.text} exists in {len(candidates)} places and nothing in the report decides "
                "which: higher levels left open"
                if not _common_path(winners, gaz, level)
                else f"{subject.text} exists in {len(candidates)} places; only the shared levels are kept"
            )
    town = _unlisted_town(text, chosen[COUNTY].name, gaz) if TOWN not in chosen and COUNTY in chosen else None
    if town:
        evidence.append(f"{town} is not in the gazetteer; the text places it: {chosen[COUNTY].name}{town}")
        region = _region_from(chosen, evidence)
        return Region(region.province, region.city, region.county, town, region.evidence)
    return _region_from(chosen, evidence)


def _unlisted_town(text: str, county: str, gaz: Gazetteer) -> str | None:
    """A township written right after its county (麦积区五龙镇) that the gazetteer does not list
    (merged or renamed since), when the headline names it and the report repeats it. "乡" before
    村 is the word 乡村 (光山县召开乡村振兴会议), not a township."""
    title = text.split("\n", 1)[0]
    found = Counter(
        m.group(1)
        for m in re.finditer(rf"{re.escape(county)}([\u4e00-\u9fff]{{1,4}}?(?:镇|乡(?!村)|街道))", text)
        if m.group(1) not in gaz.by_name
    )
    for town, _ in found.most_common():
        if town in title and text.count(town) >= 2:
            return town
    return None


def _choose_subject(mentions: list[Mention], gaz: Gazetteer) -> Mention:
    def level(m: Mention) -> int:
        return gaz.places[m.codes[0]].level

    in_title = [m for m in mentions if m.in_title]
    if in_title:
        return max(in_title, key=lambda m: (level(m), -m.start))
    counts = Counter(m.text for m in mentions)
    for wanted in (TOWN, COUNTY, COUNTY - 1, PROVINCE):
        at_level = [m for m in mentions if level(m) == wanted]
        if at_level:
            return max(at_level, key=lambda m: (counts[m.text], -m.start))
    return mentions[0]


def _region_from(chain: dict[int, Place], evidence: list[str]) -> Region:
    return Region(
        province=chain[1].name if 1 in chain else None,
        city=chain[2].name if 2 in chain else None,
        county=chain[3].name if 3 in chain else None,
        town=chain[4].name if 4 in chain else None,
        evidence=tuple(evidence),
    )
