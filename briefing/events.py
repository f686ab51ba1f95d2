"""Events: the reports of one meeting across sources, found on the cleaned Simplified text.

The same meeting is posted by the township site, the county site, a news app and a WeChat
mirror, each with its own chrome, some in Traditional script, some cut short. After cleaning they
share most of their text, so two reports are compared on character 4-gram shingles of the cleaned
Simplified body with punctuation and spaces dropped (full-width and ASCII punctuation then do not
matter). Candidates come from MinHash/LSH (`datasketch`), and from reports of the same county (or city
and day);
each candidate pair is then checked exactly:

- **near-duplicate**: at least `MIN_CONTAINMENT` of the shorter text's shingles are in the longer
  one (a truncated repost is contained in its original);
- **rewrite**: a rewritten copy of the same county's report shares less text, so it needs
  `MIN_REWRITE_JACCARD` Jaccard similarity *and* the same county (or, when neither names a
  county, the same city and a day both state) *and* a date that is not contradicted (a higher bar
  when a day is missing);

and in both cases the facts must be compatible: a different stated day (month/day of the text),
a different sure year, or a different place at any level (province, city, county, township) make
two reports different events, however similar the text (townships publish near-identical reports
of their own meetings from one press template). Clusters merge only when every pair across them
is compatible, so a truncated repost without a township cannot chain two townships together.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .models import Event, Report
from .text import HAN

# The thresholds were set by hand on the real pages with generated reposts (with page chrome, in
# Traditional, cut to 60 %, as HTML, in GB18030) and 16 hard negatives (a sibling township's or
# another day's meeting from the same press template); tests/test_events.py holds them: every
# repost joins its original's event, no hard negative is merged, real pages merge only within
# their labeled event.
SHINGLE = 4  # characters: long enough that shared 4-grams mean shared phrasing, not shared words
NUM_PERM = 128
LSH_THRESHOLD = 0.3  # recall first: every candidate is verified exactly
MIN_CONTAINMENT = 0.6  # a truncated or re-chromed repost keeps well over this share of its original
MIN_SHINGLES = 20  # below this a text is too short to call anything a near-duplicate of it
MIN_REWRITE_JACCARD = 0.12  # a rewrite of the same county's meeting on a day both state
MIN_REWRITE_JACCARD_UNDATED = 0.18  # the same without a day on one side: a higher bar
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

    @classmethod
    def from_report(cls, report: Report) -> EventFacts:
        d, g = report.date, report.region
        days = ",".join(f"{m}-{day}" for m, day in stated_days(report))
        return cls.from_values(g.province, g.city, g.county, g.town, days, d.year, d.rule, d.confidence)

    @classmethod
    def from_values(
        cls,
        province: str | None,
        city: str | None,
        county: str | None,
        town: str | None,
        days: str | None,
        year: int | None,
        rule: str | None,
        confidence: str | None,
    ) -> EventFacts:
        # A publication stamp dates the page, not the meeting: a repost is published later.
        stated = bool(rule) and str(rule).startswith("正文")
        parsed = frozenset(tuple(int(x) for x in item.split("-")) for item in (days or "").split(",") if item)
        return cls(
            province=province,
            city=city,
            county=county,
            town=town,
            days=parsed,  # type: ignore[arg-type]
            year=year if stated and year and confidence == "high" else None,
        )


_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*日")
OPENING_CHARS = 200  # where a meeting report states its date


def stated_days(report: Report) -> tuple[tuple[int, int], ...]:
    """Every month/day written in the headline and the opening, plus the report's own date when
    it was read from the text. A repost may carry an extra date (its publication stamp), so two
    reports disagree on the day only when they share none."""
    found = {(int(m), int(d)) for m, d in _MONTH_DAY.findall(f"{report.title}\n{report.body[:OPENING_CHARS]}")}
    date = report.date
    if date.rule.startswith("正文") and date.month and date.day:
        found.add((date.month, date.day))
    return tuple(sorted(found))


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

    minhash = MinHash(num_perm=NUM_PERM, hashfunc=int)
    minhash.update_batch(hashes.tolist())
    return minhash.hashvalues


def _minhash(signature: np.ndarray) -> object:
    from datasketch import MinHash

    return MinHash(hashvalues=signature, scheme="affine32", hashfunc=int)


HashLookup = Callable[[str], np.ndarray]


def _blocks(facts: EventFacts) -> list[str]:
    """Keys of the reports a rewrite could be compared with: its county, or — without one — its
    city on each day it states."""
    if facts.county:
        return [f"county:{facts.county}"]
    return [f"city:{facts.city}:{m}-{d}" for m, d in sorted(facts.days)] if facts.city else []


class CandidateIndex:
    """MinHash/LSH over fingerprints plus place blocks: who might be the same event as whom."""

    def __init__(self, fingerprints: Iterable[Fingerprint], hashes_of: HashLookup | None = None) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._blocks: dict[str, list[str]] = {}
        self.fingerprints: dict[str, Fingerprint] = {}
        self._hashes_of = hashes_of
        self._hashes: dict[str, np.ndarray] = {}
        with self._lsh.insertion_session() as session:
            for fp in fingerprints:
                if fp.key in self.fingerprints:
                    continue
                self.fingerprints[fp.key] = fp
                if fp.size:
                    session.insert(fp.key, _minhash(fp.signature))
                for block in _blocks(fp.facts):
                    self._blocks.setdefault(block, []).append(fp.key)

    def hashes(self, key: str) -> np.ndarray:
        fp = self.fingerprints[key]
        if fp.hashes is not None:
            return fp.hashes
        if key not in self._hashes:
            assert self._hashes_of is not None, "an index of archived reports needs a text lookup"
            self._hashes[key] = self._hashes_of(key)
        return self._hashes[key]

    def candidates(self, fp: Fingerprint) -> set[str]:
        found = set(self._lsh.query(_minhash(fp.signature))) if fp.size else set()
        for block in _blocks(fp.facts):
            found.update(self._blocks.get(block, ()))
        found.discard(fp.key)
        return found


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
    compatible facts (complete link), so no chain of weak links joins two townships."""
    facts = {fp.key: fp.facts for fp in fingerprints}
    owner = {fp.key: i for i, fp in enumerate(fingerprints)}
    members: dict[int, list[str]] = {i: [fp.key] for i, fp in enumerate(fingerprints)}
    for _score, a, b in pairs:
        ca, cb = owner[a], owner[b]
        if ca == cb:
            continue
        if any(facts_conflict(facts[x], facts[y]) for x in members[ca] for y in members[cb]):
            continue
        small, big = sorted((ca, cb), key=lambda c: len(members[c]))
        for key in members[small]:
            owner[key] = big
        members[big].extend(members.pop(small))
    return list(members.values())


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
    unique = [fingerprints[key] for key in by_hash]
    index = CandidateIndex(unique)
    groups = cluster(unique, match_pairs(index, unique))
    events = [make_event([r for key in group for r in by_hash[key]]) for group in groups]
    return sorted(events, key=lambda e: e.lead.source.path)


def make_event(reports: Sequence[Report], event: str | None = None, first_reported: str | None = None) -> Event:
    ordered = sorted(reports, key=_lead_order)
    ident = event or event_id(ordered[0])
    tagged = tuple(replace(r, event=ident, first_reported=first_reported) for r in ordered)
    return Event(id=ident, reports=tagged, first_reported=first_reported)
