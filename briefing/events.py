"""Events: the reports of one meeting across sources, found on the cleaned Simplified text.

The same meeting is posted by the township site, the county site, a news app and a WeChat
mirror, each with its own chrome, some in Traditional script, some cut short. After cleaning they
share most of their text, so two reports are compared on character 4-gram shingles of the cleaned
Simplified body with punctuation and spaces dropped (full-width and ASCII punctuation then do not
matter). Candidates come from MinHash/LSH (`datasketch` signatures, 37 bands of 3), and from
reports of the same county (or city and day), never from another township's; each candidate pair
is then checked exactly:

- **near-duplicate**: at least `MIN_CONTAINMENT` of the shorter text's shingles are in the longer
  one (a truncated repost is contained in its original);
- **rewrite**: a rewritten copy of the same county's report shares less text, so it needs
  `MIN_REWRITE_JACCARD` Jaccard similarity *and* the same county (or, when neither names a
  county, the same city and a day both state) *and* a date that is not contradicted (a higher bar
  when a day is missing);

and in both cases the facts must be compatible: a different stated day (month/day of the text),
a different sure year, a different place at any level (province, city, county, township), a
different kind of meeting (推进会 / 座谈会, 常委会 / 培训班), a different chair, or 上午 / 下午 make
two reports different events, however similar the text (townships publish near-identical reports
of their own meetings from one press template; a county's morning and afternoon meetings share
its standard closing paragraph). A fact vetoes only when both reports state it. Clusters merge
only when every pair across them is compatible, so a truncated repost without a township cannot
chain two townships together.

Near-linear at volume: near-identical copies with the same facts (a figure or the chrome changed)
are grouped first, each against the group heads found through its MinHash bands, and only the
heads go through the candidate pairs; a cluster carries the distinct facts of its members, so the
every-pair check compares a few facts, not every member.
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .extract.dates import day_from_text
from .models import Event, Report
from .text import HAN

# The thresholds were set by hand on the real pages with generated reposts (with page chrome, in
# Traditional, cut to 60 %, as HTML, in GB18030) and 16 hard negatives (a sibling township's or
# another day's meeting from the same press template); tests/test_events.py holds them, and
# invented pairs of two meetings of one county on one day (another meeting, chair or time of
# day): every repost joins its original's event, no hard negative is merged, real pages merge
# only within their labeled event.
SHINGLE = 4  # characters: long enough that shared 4-grams mean shared phrasing, not shared words
NUM_PERM = 128
LSH_THRESHOLD = 0.3  # recall first: every candidate is verified exactly
MIN_CONTAINMENT = 0.6  # a truncated or re-chromed repost keeps well over this share of its original
MIN_SHINGLES = 20  # below this a text is too short to call anything a near-duplicate of it
MIN_REWRITE_JACCARD = 0.12  # a rewrite of the same county's meeting on a day both state
MIN_REWRITE_JACCARD_UNDATED = 0.18  # the same without a day on one side: a higher bar
# A near-identical copy (a figure, a counter or the chrome changed; the other script) shares this
# share of the larger text's shingles; with the same facts it is grouped with its head before any
# pair is made, so 10,000 copies of one report cost 10,000 checks, not 50 million.
TWIN_SHARE = 0.8
BANDS, ROWS = 37, 3  # LSH bands x rows of the 128 values: datasketch's MinHashLSH banding for LSH_THRESHOLD
_KEEP = re.compile(f"[^{HAN}0-9A-Za-z]+")


def content_hash(report: Report) -> str:
    """The report's identity in the archive: its cleaned Simplified headline and body."""
    return hashlib.sha256(f"{report.title}\n{report.body}".encode()).hexdigest()


def shingle_hashes(text: str) -> np.ndarray:
    """Sorted unique crc32 hashes of the character 4-grams of the text's letters and digits."""
    kept = _KEEP.sub("", text)
    if len(kept) < SHINGLE:
        kept = kept.ljust(SHINGLE, "_") if kept else ""
    grams = {kept[i : i + SHINGLE] for i in range(len(kept) - SHINGLE + 1)}
    return np.array(sorted({zlib.crc32(g.encode("utf-8")) for g in grams}), dtype=np.uint32)


def report_text(report: Report) -> str:
    return f"{report.title}\n{report.body}"


@dataclass(frozen=True)
class EventFacts:
    """What decides that two similar texts are still different events."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    town: str | None = None
    days: frozenset[tuple[int, int]] = frozenset()  # month/day stated in the opening of the text
    year: int | None = None  # only when stated (high confidence), not inferred
    meetings: frozenset[str] = frozenset()  # kinds of meeting named: 推进, 座谈, 常委 (see MEETING_KINDS)
    chairs: frozenset[str] = frozenset()  # names of the officials who presided
    half_day: str | None = None  # 上午 / 下午 / 晚上 / 中午, written with the meeting's day

    @classmethod
    def from_report(cls, report: Report) -> EventFacts:
        d, g = report.date, report.region
        days = ",".join(f"{m}-{day}" for m, day in stated_days(report))
        return cls.from_values(
            g.province,
            g.city,
            g.county,
            g.town,
            days,
            d.year,
            day_from_text(d),
            d.confidence,
            headline=report.title,
            opening=report.body[:OPENING_CHARS],
            meeting=report.meeting,
            chairs=[o.name for o in report.officials_with("主持")],
        )

    @classmethod
    def from_values(
        cls,
        province: str | None,
        city: str | None,
        county: str | None,
        town: str | None,
        days: str | None,
        year: int | None,
        from_text: bool | None,
        confidence: str | None,
        *,
        headline: str | None = None,
        opening: str | None = None,
        meeting: str | None = None,
        chairs: Iterable[str] = (),
    ) -> EventFacts:
        """The facts from the archive's columns (and `from_report`'s): the meeting's kind and
        time of day are read from the headline, the first `OPENING_CHARS` of the body and the
        meeting clause; `chairs` are the names of the officials with the 主持 role; `from_text`
        whether the date's day was read from the report's own text (dates.day_from_text)."""
        # A publication stamp dates the page, not the meeting: a repost is published later.
        stated = bool(from_text)
        parsed = frozenset(tuple(int(x) for x in item.split("-")) for item in (days or "").split(",") if item)
        return cls(
            province=province,
            city=city,
            county=county,
            town=town,
            days=parsed,  # type: ignore[arg-type]
            year=year if stated and year and confidence == "high" else None,
            meetings=meeting_kinds(headline or "", first_sentence(opening or ""), meeting or ""),
            chairs=frozenset(name for name in chairs if name),
            half_day=half_day_of(f"{headline or ''}\n{opening or ''}"),
        )


_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*日")
OPENING_CHARS = 200  # where a meeting report states its date


def stated_days(report: Report) -> tuple[tuple[int, int], ...]:
    """Every month/day written in the headline and the opening, plus the report's own date when
    it was read from the text. A repost may carry an extra date (its publication stamp), so two
    reports disagree on the day only when they share none."""
    found = {(int(m), int(d)) for m, d in _MONTH_DAY.findall(f"{report.title}\n{report.body[:OPENING_CHARS]}")}
    date = report.date
    if day_from_text(date) and date.month and date.day:
        found.add((date.month, date.day))
    return tuple(sorted(found))


# The kind of a meeting is read from its name, backwards from the word that ends it (会议, 大会, 会,
# 班, 仪式, 暨): 产业扶贫现场推进会议 -> {推进}; 县委常委会 -> {常委}; 推进暨培训会 -> {推进, 培训};
# 干部大会 or 工作会议 -> nothing (no kind that tells two meetings apart). A kind is a family of
# words that outlets use for one meeting (推进会, 推进会议, 现场推进会, 调度会, 部署会; 座谈会 and 交流会),
# so two reports name different meetings only when their kinds share nothing. The words in
# MEETING_FILLERS are stepped over.
MEETING_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # work meetings that push, schedule or deploy work, on site or not
    ("推进", ("推进", "调度", "部署", "动员", "誓师", "现场", "观摩", "拉练", "例", "分析", "讲评", "点评")),
    # talks with visitors, the grassroots or a partner
    ("座谈", ("座谈", "交流", "恳谈", "见面", "对接", "研讨", "汇报")),
    ("培训", ("培训", "开班", "宣讲", "学习", "警示教育")),
    ("表彰", ("表彰", "表扬", "总结")),
    ("评审", ("评审", "评估", "验收", "考核", "评议", "述职")),
    ("仪式", ("启动", "签约", "揭牌", "发布", "推介")),
    ("联席", ("联席", "协调")),
    ("常委", ("常委",)),  # a party committee's standing committee (县委常委会)
    ("常务", ("常务",)),  # a government's executive meeting (县政府常务会议)
    ("全体", ("全体",)),
    ("党委", ("党委",)),
    ("党组", ("党组",)),
    ("约谈", ("约谈",)),
    ("务虚", ("务虚",)),
)
MEETING_FILLERS = ("工作", "专题", "视频", "电视电话", "扩大", "（扩大）", "(扩大)")
_KIND_OF = {spelling: kind for kind, spellings in MEETING_KINDS for spelling in spellings}
# The words that may stand before a meeting's ending, reversed: the name is read backwards from the
# ending by matching forwards in the reversed text, the longest word first (警示教育 before 教育).
_BACKWARDS = re.compile(
    "|".join(re.escape(w[::-1]) for w in sorted([*_KIND_OF, *MEETING_FILLERS, "暨"], key=len, reverse=True))
)
# 论坛 is a kind in itself; 精神 after a meeting's name is a meeting studied, not held (学习全会精神);
# 人大常委会 / 政协常委会 are standing bodies, not a 常委会 meeting. 暨 ends the first of two meetings
# held as one (半年工作总结暨业务培训会 -> {表彰, 培训}), so that either name alone shares a kind.
_MEETING_END = re.compile(r"论坛|会议|大会|仪式|会|班(?!子)|暨")
_STUDIED = "精神"
_STANDING_BODIES = ("大人", "协政")  # 人大, 政协 reversed


def meeting_kinds(*names: str) -> frozenset[str]:
    """The kinds of the meetings named in these texts (a headline, a first sentence, a meeting
    clause), normalized: 推进会议 and 推进会 are both {推进}; 推进暨培训会 is {推进, 培训}."""
    kinds: set[str] = set()
    for text in names:
        backwards = text[::-1]
        for end in _MEETING_END.finditer(text):
            if text.startswith(_STUDIED, end.end()):
                continue
            if end.group(0) == "论坛":
                kinds.add("论坛")
                continue
            at = len(text) - end.start()
            while word := _BACKWARDS.match(backwards, at):
                kind = _KIND_OF.get(word.group(0)[::-1])
                if kind == "常委" and backwards.startswith(_STANDING_BODIES, word.end()):
                    break
                if kind:
                    kinds.add(kind)
                at = word.end()
    return frozenset(kinds)


def first_sentence(text: str) -> str:
    return re.split(r"[。！？]", text, maxsplit=1)[0]


# The time of day written with the meeting's day: 5月12日上午, 12日下午, 昨天下午, 当天晚上.
_HALF_DAY = re.compile(r"(?:\d{1,2}\s*日|[今昨当]天|[今昨当]日)\s*(上午|下午|中午|晚上|晚间|晚)")


def half_day_of(text: str) -> str | None:
    """The first time of day written with a day in the headline and the opening."""
    m = _HALF_DAY.search(text)
    if not m:
        return None
    return "晚上" if m.group(1).startswith("晚") else m.group(1)


def same_person(a: str, b: str) -> bool:
    """Two spellings of one official's name: equal, or three or more characters of which one
    differs (余旭峰 / 于旭峰: a variant or a typo in one outlet)."""
    if a == b:
        return True
    return len(a) == len(b) >= 3 and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def facts_conflict(a: EventFacts, b: EventFacts) -> str | None:
    """Why two reports cannot be one event, or None when nothing they state disagrees."""
    for level in ("province", "city", "county", "town"):
        x, y = getattr(a, level), getattr(b, level)
        if x and y and x != y:
            return f"different {level}: {x} / {y}"
    if a.days and b.days and not a.days & b.days:
        return f"different day: {_days(a.days)} / {_days(b.days)}"
    if a.year and b.year and a.year != b.year:
        return f"different year: {a.year} / {b.year}"
    if a.half_day and b.half_day and a.half_day != b.half_day:
        return f"different time of day: {a.half_day} / {b.half_day}"
    if a.meetings and b.meetings and not a.meetings & b.meetings:
        return f"different meeting: {'、'.join(sorted(a.meetings))} / {'、'.join(sorted(b.meetings))}"
    if a.chairs and b.chairs and not any(same_person(x, y) for x in a.chairs for y in b.chairs):
        return f"different chair: {'、'.join(sorted(a.chairs))} / {'、'.join(sorted(b.chairs))}"
    return None


def _days(days: frozenset[tuple[int, int]]) -> str:
    return "、".join(f"{m}月{d}日" for m, d in sorted(days))


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set) of two shingle-hash sets."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common), common / min(len(a), len(b))


def same_event(fa: EventFacts, fb: EventFacts, ha: np.ndarray, hb: np.ndarray) -> float | None:
    """A score (higher: more alike) when the two reports are one event, else None."""
    if facts_conflict(fa, fb):
        return None
    jaccard, containment = similarity(ha, hb)
    if min(len(ha), len(hb)) >= MIN_SHINGLES and containment >= MIN_CONTAINMENT:
        return 1.0 + containment
    # The same county; or, when neither names a county, the same city on a day both state. (A
    # county's meeting and its city's meeting on the same day share phrasing but are two events.)
    both_dated = bool(fa.days and fb.days)
    same_county = bool(fa.county) and fa.county == fb.county
    city_level = not fa.county and not fb.county and bool(fa.city) and fa.city == fb.city and both_dated
    same_place = same_county or city_level
    if same_place:
        needed = MIN_REWRITE_JACCARD if both_dated else MIN_REWRITE_JACCARD_UNDATED
        if jaccard >= needed:
            return jaccard
    return None


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """A report as the matcher sees it: facts, exact shingles and their MinHash signature.

    Archived reports come without `hashes` (their signature and size are stored); the matcher
    asks for the exact shingles of a candidate only when it needs them.
    """

    key: str
    facts: EventFacts
    signature: np.ndarray  # MinHash hash values (uint32), stored in the archive
    size: int  # number of distinct shingles
    hashes: np.ndarray | None = None

    @classmethod
    def from_report(cls, key: str, report: Report) -> Fingerprint:
        hashes = shingle_hashes(report_text(report))
        return cls(key, EventFacts.from_report(report), minhash_signature(hashes), len(hashes), hashes)


def minhash_signature(hashes: np.ndarray) -> np.ndarray:
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=_permutations(), scheme="affine32")
    minhash.update_batch(hashes.tolist())
    return minhash.hashvalues


@functools.cache
def _permutations() -> np.ndarray:
    """datasketch's permutations for NUM_PERM and its default seed: a constant, drawn once rather
    than for every report (drawing them was half the cost of a signature)."""
    from datasketch import MinHash

    permutations: np.ndarray = MinHash(num_perm=NUM_PERM, hashfunc=int).permutations
    permutations.setflags(write=False)
    return permutations


HashLookup = Callable[[str], np.ndarray]


def _blocks(facts: EventFacts) -> list[str]:
    """Keys of the reports a rewrite could be compared with: its county, or — without one — its
    city on each day it states."""
    if facts.county:
        return [f"county:{facts.county}"]
    return [f"city:{facts.city}:{m}-{d}" for m, d in sorted(facts.days)] if facts.city else []


class CandidateIndex:
    """MinHash/LSH over fingerprints plus place blocks: who might be the same event as whom.

    LSH: two reports are candidates when their signatures agree on one of BANDS bands (the
    banding datasketch's MinHashLSH picks for LSH_THRESHOLD). Every bucket and block is split by
    township, and a report that names one is never offered another's: they could not be one
    event, and a press template used by every township of a county must not make each report a
    candidate of all the others.
    """

    def __init__(self, fingerprints: Iterable[Fingerprint], hashes_of: HashLookup | None = None) -> None:
        self._buckets: dict[tuple[int, bytes] | str, dict[str | None, list[str]]] = {}
        self.fingerprints: dict[str, Fingerprint] = {}
        self._hashes_of = hashes_of
        self._hashes: dict[str, np.ndarray] = {}
        for fp in fingerprints:
            if fp.key in self.fingerprints:
                continue
            self.fingerprints[fp.key] = fp
            for bucket in _buckets(fp):
                self._buckets.setdefault(bucket, {}).setdefault(fp.facts.town, []).append(fp.key)

    def hashes(self, key: str) -> np.ndarray:
        fp = self.fingerprints[key]
        if fp.hashes is not None:
            return fp.hashes
        if key not in self._hashes:
            assert self._hashes_of is not None, "an index of archived reports needs a text lookup"
            self._hashes[key] = self._hashes_of(key)
        return self._hashes[key]

    def candidates(self, fp: Fingerprint) -> set[str]:
        town = fp.facts.town
        found: set[str] = set()
        for bucket in _buckets(fp):
            by_town = self._buckets.get(bucket)
            if not by_town:
                continue
            if town:
                found.update(by_town.get(town, ()))
                found.update(by_town.get(None, ()))
            else:
                for keys in by_town.values():
                    found.update(keys)
        found.discard(fp.key)
        return found


def _buckets(fp: Fingerprint) -> list[tuple[int, bytes] | str]:
    """The LSH buckets of a fingerprint (one per band) and its place blocks."""
    buckets: list[tuple[int, bytes] | str] = []
    if fp.size:
        buckets.extend(enumerate(band_keys(fp.signature)))
    buckets.extend(_blocks(fp.facts))
    return buckets


def match_pairs(index: CandidateIndex, queries: Sequence[Fingerprint]) -> list[tuple[float, str, str]]:
    """(score, query key, candidate key) for every verified same-event pair, best first."""
    pairs = []
    for fp in queries:
        assert fp.hashes is not None
        for key in index.candidates(fp):
            other = index.fingerprints[key]
            if facts_conflict(fp.facts, other.facts):
                continue  # cheap check first: no shingles loaded for another township's report
            score = same_event(fp.facts, other.facts, fp.hashes, index.hashes(key))
            if score is not None:
                pairs.append((score, fp.key, key))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


def cluster(fingerprints: Sequence[Fingerprint], pairs: Sequence[tuple[float, str, str]]) -> list[list[str]]:
    """Greedy merging, best pair first; two clusters merge only when every pair across them has
    compatible facts (complete link), so no chain of weak links joins two townships. A cluster
    carries the distinct facts of its members: whether two clusters are compatible depends on
    those alone, and they are few (near-identical reports share theirs)."""
    owner = {fp.key: i for i, fp in enumerate(fingerprints)}
    members: dict[int, list[str]] = {i: [fp.key] for i, fp in enumerate(fingerprints)}
    kinds: dict[int, set[EventFacts]] = {i: {fp.facts} for i, fp in enumerate(fingerprints)}
    conflicts: dict[tuple[EventFacts, EventFacts], bool] = {}

    def conflict(x: EventFacts, y: EventFacts) -> bool:
        if (x, y) not in conflicts:
            conflicts[(x, y)] = conflicts[(y, x)] = facts_conflict(x, y) is not None
        return conflicts[(x, y)]

    for _score, a, b in pairs:
        ca, cb = owner[a], owner[b]
        if ca == cb:
            continue
        if any(conflict(x, y) for x in kinds[ca] for y in kinds[cb]):
            continue
        small, big = sorted((ca, cb), key=lambda c: len(members[c]))
        for key in members[small]:
            owner[key] = big
        members[big].extend(members.pop(small))
        kinds[big] |= kinds.pop(small)
    return list(members.values())


def band_keys(signature: np.ndarray) -> list[bytes]:
    """The MinHash signature cut into BANDS bands of ROWS values: two texts that agree on one
    band are candidates (with 3 rows, a pair at Jaccard 0.5 agrees on one of 37 bands with
    probability 0.99)."""
    return [band.tobytes() for band in signature[: BANDS * ROWS].reshape(BANDS, ROWS)]


def is_twin(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two shingle sets are near-identical: they share TWIN_SHARE of the larger one."""
    if min(len(a), len(b)) < MIN_SHINGLES:
        return False
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common >= TWIN_SHARE * max(len(a), len(b))


def group_twins(fingerprints: Sequence[Fingerprint]) -> list[list[Fingerprint]]:
    """Near-identical reports with the same facts, in groups led by the fullest text. Each report
    is checked against the heads that share one of its bands and have its facts, and joins the
    first twin it finds, else leads a group of its own: linear in the number of reports when
    they are copies of a few texts."""
    heads: list[Fingerprint] = []
    groups: list[list[Fingerprint]] = []
    facts_ids: dict[EventFacts, int] = {}
    buckets: dict[tuple[int, int, bytes], list[int]] = {}
    for fp in sorted(fingerprints, key=lambda f: (-f.size, f.key)):
        assert fp.hashes is not None
        facts = facts_ids.setdefault(fp.facts, len(facts_ids))
        keys = [(facts, i, band) for i, band in enumerate(band_keys(fp.signature))] if fp.size else []
        seen: set[int] = set()
        twin = None
        for key in keys:
            for head in buckets.get(key, ()):
                if head in seen:
                    continue
                seen.add(head)
                other = heads[head].hashes
                assert other is not None
                if is_twin(fp.hashes, other):
                    twin = head
                    break
            if twin is not None:
                break
        if twin is not None:
            groups[twin].append(fp)
            continue
        for key in keys:
            buckets.setdefault(key, []).append(len(heads))
        heads.append(fp)
        groups.append([fp])
    return groups


def _lead_order(report: Report) -> tuple[int, str]:
    # The fullest text leads (a truncated repost never does); the path breaks ties stably.
    return (-len(report.body), report.source.path)


def event_id(lead: Report) -> str:
    return "ev-" + content_hash(lead)[:12]


def fingerprint_reports(reports: Iterable[Report]) -> dict[str, Fingerprint]:
    """One fingerprint per distinct content (by content hash): identical copies share it."""
    out: dict[str, Fingerprint] = {}
    for report in reports:
        key = content_hash(report)
        if key not in out:
            out[key] = Fingerprint.from_report(key, report)
    return out


def detect_events(reports: Sequence[Report], fingerprints: dict[str, Fingerprint] | None = None) -> list[Event]:
    """Group this week's reports into events; each report gets the event's id. Events come in
    the order of their lead reports' paths."""
    by_hash: dict[str, list[Report]] = {}
    for report in reports:
        by_hash.setdefault(content_hash(report), []).append(report)
    fingerprints = fingerprints if fingerprints is not None else fingerprint_reports(reports)
    # Exact copies share a content hash; near-identical copies with the same facts share a twin
    # group; only each group's head is paired with the others.
    twins = {group[0].key: group for group in group_twins([fingerprints[key] for key in by_hash])}
    heads = [group[0] for group in twins.values()]
    index = CandidateIndex(heads)
    groups = cluster(heads, match_pairs(index, heads))
    events = [make_event([r for head in group for twin in twins[head] for r in by_hash[twin.key]]) for group in groups]
    return sorted(events, key=lambda e: e.lead.source.path)


def make_event(reports: Sequence[Report], event: str | None = None, first_reported: str | None = None) -> Event:
    ordered = sorted(reports, key=_lead_order)
    ident = event or event_id(ordered[0])
    tagged = tuple(replace(r, event=ident, first_reported=first_reported) for r in ordered)
    return Event(id=ident, reports=tagged, first_reported=first_reported)
