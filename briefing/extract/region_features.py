"""Regions as candidates, named features and a fitted scorer that may abstain.

The hand rules of regions.py read the report and propose an answer; every county the report
reaches (named, or through one of its townships) is a candidate, described by named features
(in the headline, in the outlet's name, one of an enumeration, a visitor's home …). A logistic
regression fitted on the development part of the labeled real pages (scripts/fit_regions.py,
`make fit`) weighs them; the best candidate is kept when its probability reaches a threshold
chosen on the same pages for precision, and the county is left open below it: a wrong county is
worse than none. Hard facts stay vetoes: a candidate outside the province or city the rules
decided is no candidate.

Every rule of regions.py and every feature here has an ID with a one-line reason (`RULES`);
`Region.rule_ids` carries the IDs that decided a region.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from ..models import Region
from .gazetteer import CITY, COUNTY, PROVINCE, TOWN, Gazetteer, Place
from .mentions import Mention, lead_span
from .venues import is_venue

if TYPE_CHECKING:
    import numpy as np

# The hand rules, in the order regions.py applies them, then the scorer's own decisions.
RULE_REASONS: dict[str, str] = {
    "region.none.no_place": "报告未提及名录中的地名",
    "region.visitor.only": "只提及来访者的家乡（泉港区考察团来宁化…），东道主未具名",
    "region.subject.title": "标题中最具体的地名（同级两地取会议地点）",
    "region.subject.most_named": "正文中按报告口吻（我镇、县委…）所在层级提及最多的地名",
    "region.visitor.post_holder": "标题地名只是来访官员的职务（铜仁市委书记…），导语写明去了哪里（到德江县…）",
    "region.town.written_county": "乡镇前写明的县（渝北区石船镇）优先于名录的归属",
    "region.ambiguous.decided": "重名地（城关镇）由报告中的上级地名决定",
    "region.ambiguous.shared": "重名地无法确定：只保留各候选共有的上级",
    "region.county.balance": "具名的县与乡镇所在的县分量相当（来到我县…寿宁县下党乡）：县留空",
    "region.scope.venue": "地点前写明会议范围（全省…在宁化县召开）：地点只说明会场",
    "region.lead.venue_above": "导语把活动放在上级（…在楚雄州启动），正文的县只是其中一站",
    "region.scope.headline": "标题是全省性会议（全省…现场调度会召开），正文地名是其各站",
    "region.list.rivals": "同级多地并列（伽师县、岳普湖县）：只保留共有的上级",
    "region.mention.passing": "县名只顺带提及一次，报告不以县的口吻说话（与庐山市相关部门对接）",
    "region.town.not_own_voice": "乡镇只说明地点，报告不以该乡镇口吻说话",
    "region.town.written_under": "导语中写在县名之后的唯一乡镇（吴起县周湾镇…召开）",
    "region.town.unlisted": "名录未收的乡镇，标题与正文写在县名之后（麦积区五龙镇）",
    "region.scorer.kept": "评分器确认规则选出的县",
    "region.scorer.moved": "评分器选了另一个候选县（规则未定或选错）",
    "region.scorer.abstained": "最佳候选县的概率低于阈值：县与乡镇留空",
}

# The features, in the order of the weights file. Each is a property of one candidate county.
FEATURE_REASONS: dict[str, str] = {
    "region.rules.chosen": "手写规则选中的县",
    "region.title.named": "县或其乡镇出现在标题中",
    "region.outlet.named": "县或其乡镇出现在媒体或网站名中（麦积区融媒体中心）",
    "region.voice.own": "报告以该县的级别口吻说话（我县、县委、区长…），县名后缀与之相同",
    "region.visitor.delegation": "县的每次出现都是来访者的家乡（泉港区考察团来…）",
    "region.mention.once": "县在正文中只出现一次，且不在标题中",
    "region.list.enumeration": "县是并列中的一项（检查大通县、湟中县、湟源县…）",
    "region.venue.clause": "县出现在会场短语中（在安龙县召开）",
    "region.mention.count": "县及其乡镇被提及的次数（取对数）",
    "region.mention.share": "该县在所有候选县提及次数中的占比",
    "region.parent.written": "县写在其上级之后（巴中市巴州区）",
    "region.town.implied": "县本身未出现，只由其乡镇推出（我市城前镇）",
    "region.lead.named": "县或其乡镇出现在导语中",
    "region.name.ambiguous": "县名在全国有多处（郊区、城区），且未写在其上级之后",
}
FEATURES: tuple[str, ...] = tuple(FEATURE_REASONS)
RULES: dict[str, str] = {**RULE_REASONS, **FEATURE_REASONS}

# Rules after which the hand answer stops above the county on purpose: the hard facts the scorer
# may not overturn (it may still leave open a county the rules chose). On the dev pages every
# county the scorer rightly adds is one the rules never weighed (a headline naming only the city).
CUT_RULES = frozenset(
    {
        "region.ambiguous.shared",
        "region.county.balance",
        "region.scope.venue",
        "region.lead.venue_above",
        "region.scope.headline",
        "region.list.rivals",
        "region.mention.passing",
    }
)
_LISTED = ("、", "和", "及")


@dataclass(frozen=True)
class Reading:
    """What the hand rules saw and decided, which the features describe."""

    text: str  # "headline\nbody"
    mentions: list[Mention]  # every place in place context, the visitors' homes included
    kept: list[Mention]  # without the visitors' homes and the venues of another's organ
    rules_region: Region
    rules_county: Place | None
    county_voice: frozenset[str]  # the county suffixes the report speaks with (县委 -> 县)
    gaz: Gazetteer = field(repr=False)


@dataclass(frozen=True)
class Candidate:
    place: Place  # a county-level place
    values: tuple[float, ...]  # aligned with FEATURES

    @property
    def fired(self) -> tuple[str, ...]:
        return tuple(name for name, value in zip(FEATURES, self.values, strict=True) if value)


def _county_of(code: str, gaz: Gazetteer) -> Place | None:
    place = gaz.places[code]
    if place.level == COUNTY:
        return place
    return gaz.ancestors(code).get(COUNTY) if place.level == TOWN else None


def _consistent(place: Place, region: Region, gaz: Gazetteer) -> bool:
    """The hard veto: a candidate lies inside the province and city the rules decided."""
    chain = gaz.ancestors(place.code)
    for level, name in ((PROVINCE, region.province), (CITY, region.city)):
        if name and (level not in chain or chain[level].name != name):
            return False
    return True


def _listed(m: Mention, code: str, text: str, county_level_at: dict[int, Mention]) -> bool:
    """One of an enumeration of other counties: 大通县、湟中县、湟源县."""
    before, after = text[m.start - 1 : m.start], text[m.start + len(m.text) : m.start + len(m.text) + 1]
    prev = next((o for o in county_level_at.values() if o.start + len(o.text) + 1 == m.start), None)
    nxt = county_level_at.get(m.start + len(m.text) + 1)
    return (before in _LISTED and prev is not None and code not in prev.codes) or (
        after in _LISTED and nxt is not None and code not in nxt.codes
    )


def _after_parent(m: Mention, code: str, mentions: list[Mention], gaz: Gazetteer) -> bool:
    """Written right after its city or province: 巴中市巴州区."""
    parents = {a.code for lvl, a in gaz.ancestors(code).items() if lvl < COUNTY}
    return any(o.start + len(o.text) == m.start and parents & set(o.codes) for o in mentions)


def describe_candidates(reading: Reading) -> list[Candidate]:
    """Every county the report reaches, with its features, in the order first reached; none
    when the rules left the county open on purpose (CUT_RULES)."""
    if reading.rules_region.county is None and set(reading.rules_region.rule_ids) & CUT_RULES:
        return []
    reached = _reached_counties(reading)
    seen = _Seen.of(reading, sum(len(hits) for hits in reached.values()) or 1)
    candidates = []
    for code, hits in reached.items():
        reach = _Reach(code, reading.gaz.places[code], hits)
        values = tuple(float(_FEATURE_VALUES[name](reach, seen)) for name in FEATURES)
        candidates.append(Candidate(reach.place, values))
    return candidates


def _reached_counties(reading: Reading) -> dict[str, list[Mention]]:
    """Each county the report reaches inside the rules' province and city (named, or through one
    of its townships) with the mentions that reach it; the rules' own county always."""
    gaz = reading.gaz
    reached: dict[str, list[Mention]] = {}
    for m in reading.mentions:
        for code in m.codes:
            county = _county_of(code, gaz)
            if county is not None and _consistent(county, reading.rules_region, gaz):
                hits = reached.setdefault(county.code, [])
                if m not in hits:
                    hits.append(m)
    if reading.rules_county is not None:
        reached.setdefault(reading.rules_county.code, [])
    return reached


@dataclass(frozen=True)
class _Seen:
    """What every candidate's features read of the report, computed once."""

    reading: Reading
    total: int  # mentions reaching any candidate (at least 1)
    kept: frozenset[int]  # ids of the mentions that are no visitor's home
    title_end: int
    lead_end: int
    county_level_at: dict[int, Mention]  # mentions that may name a county, by start

    @classmethod
    def of(cls, reading: Reading, total: int) -> _Seen:
        gaz = reading.gaz
        title_end, lead_end = lead_span(reading.text)
        county_level_at = {m.start: m for m in reading.mentions if any(gaz.places[c].level == COUNTY for c in m.codes)}
        return cls(reading, total, frozenset(id(m) for m in reading.kept), title_end, lead_end, county_level_at)


@dataclass(frozen=True)
class _Reach:
    """One candidate county and the mentions that reach it."""

    code: str
    place: Place
    hits: list[Mention]

    @property
    def direct(self) -> list[Mention]:
        """The mentions that name the county itself, not one of its townships."""
        return [m for m in self.hits if self.code in m.codes]

    @property
    def in_text(self) -> list[Mention]:
        return [m for m in self.hits if not m.via.startswith("outlet")]

    def after_parent(self, seen: _Seen) -> bool:
        return any(_after_parent(m, self.code, seen.reading.mentions, seen.reading.gaz) for m in self.direct)


def _rules_chosen(r: _Reach, seen: _Seen) -> bool:
    return seen.reading.rules_county is not None and seen.reading.rules_county.code == r.code


def _enumeration(r: _Reach, seen: _Seen) -> bool:
    text = seen.reading.text
    return any(_listed(m, r.code, text, seen.county_level_at) for m in r.direct if not m.via.startswith("outlet"))


def _ambiguous_name(r: _Reach, seen: _Seen) -> bool:
    return bool(r.hits) and all(len(m.codes) > 1 for m in r.hits) and not r.after_parent(seen)


# Each feature's value for one candidate, by name (FEATURE_REASONS says what each means); the
# scorer weighs them in FEATURES order and sums them in one place (RegionScorer.probability).
_FEATURE_VALUES: dict[str, Callable[[_Reach, _Seen], float | bool]] = {
    "region.rules.chosen": _rules_chosen,
    "region.title.named": lambda r, seen: any(m.in_title for m in r.hits),
    "region.outlet.named": lambda r, seen: any(m.via.startswith("outlet") for m in r.hits),
    "region.voice.own": lambda r, seen: r.place.name[-1] in seen.reading.county_voice,
    "region.visitor.delegation": lambda r, seen: bool(r.hits) and not any(id(m) in seen.kept for m in r.hits),
    "region.mention.once": lambda r, seen: len(r.in_text) == 1 and not r.in_text[0].in_title,
    "region.list.enumeration": _enumeration,
    "region.venue.clause": lambda r, seen: any(
        not m.via.startswith("outlet") and is_venue(seen.reading.text, m) for m in r.hits
    ),
    "region.mention.count": lambda r, seen: math.log1p(len(r.hits)),
    "region.mention.share": lambda r, seen: len(r.hits) / seen.total,
    "region.parent.written": lambda r, seen: r.after_parent(seen),
    "region.town.implied": lambda r, seen: bool(r.hits) and not r.direct,
    "region.lead.named": lambda r, seen: any(seen.title_end < m.start < seen.lead_end for m in r.hits),
    "region.name.ambiguous": _ambiguous_name,
}


@dataclass(frozen=True)
class RegionScorer:
    """A logistic regression over the features: P(candidate is the report's county)."""

    weights: tuple[float, ...]  # aligned with FEATURES
    bias: float
    threshold: float  # below it the county is left open

    def probability(self, candidate: Candidate) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, candidate.values, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def best(self, candidates: list[Candidate]) -> tuple[Candidate, float] | None:
        """The most probable candidate (the first reached on a tie)."""
        scored = [(self.probability(c), -i, c) for i, c in enumerate(candidates)]
        if not scored:
            return None
        p, _, c = max(scored, key=lambda x: (x[0], x[1]))
        return c, p

    @classmethod
    def from_json(cls, data: dict) -> RegionScorer:
        weights = data["weights"]
        if set(weights) != set(FEATURES):
            missing, unknown = set(FEATURES) - set(weights), set(weights) - set(FEATURES)
            raise ValueError(f"region weights do not match the features: missing {missing}, unknown {unknown}")
        return cls(tuple(float(weights[name]) for name in FEATURES), float(data["bias"]), float(data["threshold"]))


WEIGHTS_FILE = "data/region_weights.json"


@functools.lru_cache(maxsize=1)
def load_scorer() -> RegionScorer:
    text = resources.files("briefing").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    return RegionScorer.from_json(json.loads(text))


# --- fitting (scripts/fit_regions.py): numpy only, imported when fitting ----------------------------

# L2 penalty on the weights (not the bias): fixed, not tuned, so that 142 pages cannot push a
# rare feature's weight to infinity (a feature that fires on one right page only).
L2 = 1.0
NEWTON_STEPS = 50
# When choosing the threshold, a wrong county costs this many right ones: the digest prefers an
# open county to a wrong one.
WRONG_COST = 3.0


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[np.ndarray, float]:
    """Penalized logistic regression by Newton's method: deterministic, no random start."""
    import numpy as np

    design = np.hstack([np.ones((x.shape[0], 1)), x])
    beta = np.zeros(design.shape[1])
    penalty = np.diag([0.0] + [l2] * x.shape[1])
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-design @ beta))
        gradient = design.T @ (p - y) + penalty @ beta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return beta[1:], float(beta[0])


def choose_threshold(pages: list[tuple[float, bool]]) -> float:
    """The threshold that maximizes right − WRONG_COST × wrong over the pages' best candidates
    (probability, right?): halfway between the lowest probability kept and the next one below,
    so that the boundary does not sit on a page's own probability."""
    ranked = sorted({p for p, _ in pages}, reverse=True)
    best_value, cut = 0.0, None
    for i, threshold in enumerate(ranked):
        right = sum(1 for p, ok in pages if p >= threshold and ok)
        wrong = sum(1 for p, ok in pages if p >= threshold and not ok)
        if right - WRONG_COST * wrong > best_value:
            best_value, cut = right - WRONG_COST * wrong, i
    if cut is None:
        return 1.0  # nothing is worth placing: always abstain
    below = ranked[cut + 1] if cut + 1 < len(ranked) else 0.0
    return round((ranked[cut] + below) / 2, 6)
