"""Digest: the week's reports and events grouped by region, and its JSON form. Rendering lives in
`render`, week selection in `week`, atomic writes in `files`.

`Digest` is the only object the templates see; its fields (and `to_json()`) are the public
template context, so they change only by addition.

Order a reader can find. Provinces stand in the national division-code order (北京 110000, 天津,
河北 … 新疆 650000), those of `[digest] home` first in the order given, 地区未定 last. Inside a
province the places follow their codes too (a place of `home` first): the province's own meetings
(省级会议) first, then each city and its counties; a township whose county is not known comes
last, labelled 城关镇（所属县未定）. Each card keeps its place in this order; meetings held before
the week by more than `[digest] recent_days` (overview.held_when) leave the cards for one line each
under 往期会议（本周采集）, grouped the same way. Anchors are stable: a card's is its event id, a
province's `p-` and its division code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from . import __version__
from .extract.gazetteer import CITY, COUNTY, PROVINCE, Gazetteer, load_gazetteer
from .models import Event, Region, Report, Skipped
from .overview import EARLIER, RECENT_DAYS, Overview, ProvinceChange, held_when, known_place
from .text import UNPLACED
from .week import IsoWeek, OutsideWeek

VOLUME_THRESHOLD = 30  # above this many events the email lists one line per event, not cards


@dataclass(frozen=True)
class PlaceGroup:
    """Reports of one city/county inside a province group."""

    label: str  # "湛江市 › 遂溪县"; "省级会议" when only the province is known; "城关镇（所属县未定）"
    reports: tuple[Report, ...]  # every report of the events below (lead reports and reposts)
    events: tuple[Event, ...] = ()  # one card each


@dataclass(frozen=True)
class ProvinceGroup:
    province: str
    places: tuple[PlaceGroup, ...]
    code: str | None = None  # the province's division code (510000); None for 地区未定

    @property
    def anchor(self) -> str:
        """The section's stable anchor: p-510000, p-unplaced."""
        if self.province == UNPLACED:
            return "p-unplaced"
        return f"p-{self.code}" if self.code else "p-" + hashlib.sha1(self.province.encode()).hexdigest()[:8]

    @property
    def count(self) -> int:
        return sum(len(p.reports) for p in self.places)

    @property
    def event_count(self) -> int:
        return sum(len(p.events) for p in self.places)

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(e for p in self.places for e in p.events)


@dataclass(frozen=True)
class Digest:
    week: str
    start: dt.date
    end: dt.date
    select_by: str
    generated_at: dt.datetime
    groups: tuple[ProvinceGroup, ...]
    skipped: tuple[Skipped, ...]
    outside_week: tuple[OutsideWeek, ...]
    summarizers: tuple[str, ...]
    models: tuple[str, ...] = ()  # seq2seq models asked for summaries this week
    version: str = __version__
    stats: dict[str, int] = field(default_factory=dict)
    events: tuple[Event, ...] = ()  # this week's new events, in card order
    previously: tuple[Event, ...] = ()  # events an earlier digest carried: 此前已报道
    overview: Overview | None = None  # 本周概览
    archive: str | None = None  # the archive file, when history was used
    archive_error: str | None = None  # why the digest was built without history
    volume_threshold: int = VOLUME_THRESHOLD
    # The cards: `groups` less the meetings held before the week by more than recent_days, which
    # are `earlier_groups` (往期会议（本周采集）, one line each).
    card_groups: tuple[ProvinceGroup, ...] = ()
    earlier_groups: tuple[ProvinceGroup, ...] = ()
    held: dict[str, str] = field(default_factory=dict)  # event id -> overview.held_when
    recent_days: int = RECENT_DAYS
    home: tuple[str, ...] = ()  # [digest] home: these regions first

    @property
    def earlier(self) -> tuple[Event, ...]:
        """往期会议（本周采集）: this week's new events held before the week by more than recent_days."""
        return tuple(e for g in self.earlier_groups for e in g.events)

    @property
    def week_label(self) -> str:
        """The week as a reader reads it: 2026年第50周（12月7日—13日）."""
        return week_label(IsoWeek.parse(self.week))

    def week_name(self, week: str) -> str:
        """Any ISO week (2021-W33, as the archive names it) as a reader reads it."""
        try:
            return week_label(IsoWeek.parse(week))
        except ValueError:  # UsageError is one; an archive's odd week stays as it is
            return week

    def anchor(self, event: Event | str) -> str:
        """The stable anchor of an event's card or line on the page: its id."""
        return card_anchor(event if isinstance(event, str) else event.id)

    def place(self, report: Report) -> str:
        """The report's place as far as it is known: 城关镇（所属县未定）."""
        return known_place(report.region)

    def source_name(self, report: Report) -> str:
        """What the card's 来源 calls a page: its outlet, else the site of its address."""
        return source_name(report)

    def file_anchor(self, report: Report) -> str:
        """The anchor of a file's entry in the 数据说明 appendix."""
        return file_anchor(report.source.path)

    def markers(self, report: Report) -> tuple[str, ...]:
        """The short markers a card keeps of its diagnostics (the rest is in the appendix)."""
        return card_markers(report)

    @property
    def summary_label(self) -> str:
        """How the summaries were made, in the reader's words (backend names stay in the JSON)."""
        kinds = {"抽取式" if name.startswith("extractive") else "模型生成，已逐句核对原文" for name in self.summarizers}
        return "、".join(sorted(kinds, key=len)) or "无"

    @property
    def province_rows(self) -> tuple[ProvinceChange, ...]:
        """本周概览's events per province, in the cards' order (home first, then division codes;
        provinces only the archive's earlier weeks had, after them by name; 地区未定 last)."""
        if self.overview is None:
            return ()
        rank = {g.province: i for i, g in enumerate((*self.groups, *self.earlier_groups))}
        return tuple(
            sorted(
                self.overview.by_province,
                key=lambda p: (p.province == UNPLACED, rank.get(p.province, len(rank)), p.province),
            )
        )

    @property
    def appendix_reports(self) -> tuple[Report, ...]:
        """Every included file, in path order, for the appendix."""
        return tuple(sorted(self.reports, key=lambda r: r.source.path))

    @property
    def reports(self) -> tuple[Report, ...]:
        """Every report of the week: those of the new events, then those already reported."""
        cards = tuple(r for g in self.groups for p in g.places for r in p.reports)
        return cards + tuple(r for e in self.previously for r in e.reports)

    def event(self, ident: str) -> Event | None:
        """The event with this id (new or previously reported), for templates."""
        return next((e for e in (*self.events, *self.previously) if e.id == ident), None)

    @property
    def compact_email(self) -> bool:
        """Above the volume threshold the email carries the overview and one line per event."""
        return len(self.events) > self.volume_threshold

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(g.province for g in self.groups if g.province != UNPLACED)

    def subset(self, keep: Callable[[Event], bool]) -> Digest:
        """The digest of the events `keep` says yes to (a subscription's): grouped, counted and
        overviewed (要点, counts line, themes) on its own, against the same week and history; the
        skipped and other weeks' files are the week's, not the subset's, and are left out."""
        from .overview import make_overview

        events = [e for e in self.events if keep(e)]
        previously = [e for e in self.previously if keep(e)]
        history: dict[str, dict[str, int]] = {}
        if self.overview is not None:
            for change in self.overview.by_province:
                for week, count in change.previous:
                    history.setdefault(week, {})[change.province] = count
        overview = make_overview(events, previously, history, start=self.start, recent_days=self.recent_days)
        return make_digest(
            [],
            [],
            [],
            IsoWeek.parse(self.week),
            self.select_by,
            self.generated_at,
            events=events,
            previously=previously,
            overview=overview,
            archive=self.archive,
            archive_error=self.archive_error,
            volume_threshold=self.volume_threshold,
            recent_days=self.recent_days,
            home=self.home,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "select_by": self.select_by,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "generator": f"brief {self.version}",
            "summarizers": list(self.summarizers),
            "models": list(self.models),
            "stats": self.stats,
            "regions": list(self.regions),
            "week_label": self.week_label,
            "home": list(self.home),
            "overview": self.overview.to_json() if self.overview else None,
            "events": [event_json(e, self.held.get(e.id)) for e in self.events],
            "previously_reported": [event_json(e) for e in self.previously],
            "archive": {"path": self.archive, "error": self.archive_error},
            "reports": [report_json(r) for r in self.reports],
            "skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped],
            "outside_week": [{"source": o.source, "week": o.week, "reason": o.reason} for o in self.outside_week],
        }


def event_json(event: Event, held: str | None = None) -> dict[str, Any]:
    lead = event.lead
    return {
        "id": event.id,
        "anchor": card_anchor(event.id),
        "title": lead.title,
        "place": lead.region.label(),
        "date": lead.date.iso,
        "date_display": lead.date.display(),
        "held": held,  # overview.held_when: this_week, recent, earlier (往期会议), undated
        "first_reported": event.first_reported,
        "sources": [
            {"source": r.source.path, "url": r.source.url, "outlets": list(r.meta.outlets)} for r in event.reports
        ],
    }


def report_json(report: Report) -> dict[str, Any]:
    d, g = report.date, report.region
    return {
        "source": report.source.path,
        "url": report.source.url,
        "url_origin": report.source.url_origin,
        "event": report.event,
        "first_reported": report.first_reported,
        "title": report.title,
        "title_rule": report.title_rule,
        "meeting": report.meeting,
        "date": {
            "iso": d.iso,
            "year": d.year,
            "month": d.month,
            "day": d.day,
            "rule": d.rule,
            "confidence": d.confidence,
            "evidence": d.evidence,
            "year_basis": d.year_basis,
            "year_evidence": d.year_evidence,
            "published": d.published,
            "display": d.display(),
            "relative": [{"text": t.text, "resolved": t.resolved} for t in report.time_refs],
        },
        "region": {
            "province": g.province,
            "city": g.city,
            "county": g.county,
            "town": g.town,
            "evidence": list(g.evidence),
        },
        "summary": report.summary.text if report.summary else "",
        "summarizer": report.summary.backend if report.summary else None,
        "guard": _guard_json(report),
        "summary_chunks": report.summary.chunks if report.summary else None,
        "summary_cached": report.summary.cached if report.summary else False,
        "officials": [{"name": o.name, "title": o.title, "roles": list(o.roles)} for o in report.officials],
        "figures": [
            {"text": f.text, "value": f.value, "unit": f.unit, "kind": f.kind, "context": f.context}
            for f in report.figures
        ],
        "warnings": list(report.warnings),
        "byline": list(report.meta.bylines),
        "outlets": list(report.meta.outlets),
        "collected": report.source.collected.isoformat(timespec="seconds"),
        "encoding": report.source.encoding,
        "removed": _removal_counts(report),
    }


def _guard_json(report: Report) -> dict[str, Any] | None:
    guard = report.summary.guard if report.summary else None
    return {"passed": guard.passed, "reason": guard.reason, "model": guard.model} if guard else None


def _removal_counts(report: Report) -> dict[str, int]:
    counts: dict[str, int] = {}
    for removal in report.removals:
        counts[removal.rule] = counts.get(removal.rule, 0) + 1
    return counts


# --- order ------------------------------------------------------------------------------------------

_LAST = "~"  # sorts after every division code


def week_label(week: IsoWeek) -> str:
    """2026年第50周（12月7日—13日）; a day in another year than the ISO week's carries its year,
    a day in another month its month: 2020年第53周（12月28日—2021年1月3日）."""
    start, end = week.start, week.end
    first = (
        f"{start.month}月{start.day}日" if start.year == week.year else f"{start.year}年{start.month}月{start.day}日"
    )
    if end.year != week.year:
        last = f"{end.year}年{end.month}月{end.day}日"
    else:
        last = f"{end.day}日" if end.month == start.month else f"{end.month}月{end.day}日"
    return f"{week.year}年第{week.week}周（{first}—{last}）"


_SAFE_ANCHOR = re.compile(r"[A-Za-z0-9_-]{1,64}")


def card_anchor(ident: str) -> str:
    """An event id as an anchor (ev-f7f60fd66507); an id from the archive that is no safe anchor
    becomes a hash of itself, so it can stand in an HTML attribute and a Markdown link."""
    return ident if _SAFE_ANCHOR.fullmatch(ident) else "ev-" + hashlib.sha1(ident.encode()).hexdigest()[:12]


def place_label(region: Region) -> str:
    """The heading of a place inside its province: 湛江市 › 遂溪县, 省级会议, 城关镇（所属县未定）."""
    parts = [part for part in (region.city, region.county) if part]
    if parts:
        return " › ".join(parts) + ("" if region.province else "（所属省未定）")
    if region.town:
        return f"{region.town}（所属县未定）"
    return "省级会议" if region.province else ""


def _division_code(gazetteer: Gazetteer, name: str | None, level: int, parents: Sequence[str]) -> str | None:
    """The code of the division of this name and level under one of `parents` (any, if none is)."""
    if not name:
        return None
    codes = [c for c in gazetteer.by_name.get(name, ()) if gazetteer.places[c].level == level]
    under = [c for c in codes if gazetteer.places[c].parent in parents]
    return min(under or codes, default=None)


def _home_holds(home: str, city: str, county: str) -> bool:
    """Whether a place of this city and county is the home division `home` or inside it (a home
    city takes its counties along: the same first four digits). A home province holds no place
    in particular: it only puts its province first."""
    if home.endswith("0000"):
        return False
    if home.endswith("00"):
        return home in (city, county) or county[:4] == home[:4]
    return county == home


@dataclass(frozen=True)
class RegionOrder:
    """Sort keys for provinces and places: `home` first, then the division codes."""

    gazetteer: Gazetteer
    home: tuple[tuple[str, ...], ...]  # each home entry's division codes (a name may be several places)
    known: dict[tuple[str | None, ...], tuple[str, str, str]] = field(default_factory=dict, compare=False)

    @classmethod
    def from_home(cls, home: Sequence[str]) -> RegionOrder:
        gazetteer = load_gazetteer()
        found = (gazetteer.find(name) for name in home)
        return cls(gazetteer, tuple(tuple(p.code for p in places if p.level <= COUNTY) for places in found))

    def codes(self, region: Region) -> tuple[str, str, str]:
        """(province, city, county) codes; "" where the region has no such level, "~name" where the
        name is no division of the list."""
        key = (region.province, region.city, region.county)
        if key not in self.known:
            province = _division_code(self.gazetteer, region.province, PROVINCE, ("",)) or ""
            city = _division_code(self.gazetteer, region.city, CITY, (province,)) or ""
            county = _division_code(self.gazetteer, region.county, COUNTY, (city or province,)) or ""
            self.known[key] = (
                province or (_LAST + region.province if region.province else ""),
                city or (_LAST + region.city if region.city else ""),
                county or (_LAST + region.county if region.county else ""),
            )
        return self.known[key]

    def _home_rank(self, holds: Callable[[str], bool]) -> int:
        """The first home entry one of whose divisions `holds` says yes to; after all of them if none."""
        return next((i for i, codes in enumerate(self.home) if any(holds(code) for code in codes)), len(self.home))

    def province_key(self, province: str, region: Region) -> tuple[bool, int, str, str]:
        code = self.codes(region)[0]
        rank = self._home_rank(lambda home: bool(code) and home[:2] == code[:2])
        return (province == UNPLACED, rank, code or _LAST, province)

    def place_key(self, region: Region) -> tuple[int, str, str, str]:
        _, city, county = self.codes(region)
        rank = self._home_rank(lambda home: _home_holds(home, city, county))
        if not city and not county and region.town:
            return (rank, _LAST, _LAST, region.town)  # 所属县未定: after the places placed in full
        return (rank, city, county, "")


def in_regions(names: Sequence[str]) -> Callable[[Event], bool]:
    """Whether an event's place is one of these provinces, cities or counties of the division list,
    or inside one (四川省 holds 广安市 and 邻水县); a place the list does not know is in none."""
    wanted = {code for codes in RegionOrder.from_home(names).home for code in codes}
    order = RegionOrder.from_home(())

    def holds(event: Event) -> bool:
        return any(code in wanted for code in order.codes(event.lead.region))

    return holds


def _date_key(report: Report) -> tuple[str, str]:
    return (report.date.iso or "9999", report.source.path)


def group_events(events: Sequence[Event], home: Sequence[str] = ()) -> tuple[ProvinceGroup, ...]:
    """province › city › county by each event's lead report, in the order a reader can find (see
    the module's docstring); one card per event."""
    order = RegionOrder.from_home(home)
    by_province: dict[str, list[Event]] = {}
    for event in events:
        by_province.setdefault(event.lead.region.province or UNPLACED, []).append(event)
    first = {province: members[0].lead.region for province, members in by_province.items()}
    groups = []
    for province in sorted(by_province, key=lambda p: order.province_key(p, first[p])):
        ordered = sorted(
            by_province[province],
            key=lambda e: (order.place_key(e.lead.region), place_label(e.lead.region), _date_key(e.lead)),
        )
        places: dict[str, list[Event]] = {}
        for event in ordered:
            places.setdefault(place_label(event.lead.region), []).append(event)
        code = order.codes(first[province])[0] if province != UNPLACED else None
        groups.append(
            ProvinceGroup(
                province,
                tuple(PlaceGroup(k, tuple(r for e in v for r in e.reports), tuple(v)) for k, v in places.items()),
                code if code and not code.startswith(_LAST) else None,
            )
        )
    return tuple(groups)


def make_digest(
    reports: list[Report],
    skipped: list[Skipped],
    outside: list[OutsideWeek],
    week: IsoWeek,
    select_by: str,
    now: dt.datetime | None = None,
    *,
    events: list[Event] | None = None,
    previously: list[Event] | None = None,
    overview: Overview | None = None,
    archive: str | None = None,
    archive_error: str | None = None,
    volume_threshold: int = VOLUME_THRESHOLD,
    recent_days: int = RECENT_DAYS,
    home: Sequence[str] = (),
) -> Digest:
    """`events` (this week's new events) and `previously` (already reported) come from the
    pipeline; without them the reports are grouped into events here, with no history."""
    if events is None:
        from .events import detect_events

        events = detect_events(reports)
    previously = previously or []
    if overview is None:
        from .overview import make_overview

        overview = make_overview(events, previously, start=week.start, recent_days=recent_days)
    reports = [r for e in [*events, *previously] for r in e.reports]
    held = {e.id: held_when(e.lead.date, week.start, recent_days) for e in events}
    groups = group_events(events, home)
    summarizers = tuple(sorted({r.summary.backend for r in reports if r.summary}))
    stats = {
        "reports": len(reports),
        "skipped": len(skipped),
        "outside_week": len(outside),
        "provinces": sum(1 for g in groups if g.province != UNPLACED),
        "unplaced": sum(g.count for g in groups if g.province == UNPLACED),
        "warnings": sum(len(r.warnings) for r in reports),
        "cached": sum(1 for r in reports if r.summary and r.summary.cached),
        "generated": sum(1 for r in reports if r.summary and r.summary.guard and not r.summary.cached),
        "guard_fallbacks": sum(1 for r in reports if r.summary and r.summary.guard and not r.summary.guard.passed),
        "events": len(events) + len(previously),
        "new_events": len(events),
        "previously_reported": len(previously),
        "guard_reasons": _fallback_reasons(reports),
    }
    return Digest(
        week=str(week),
        start=week.start,
        end=week.end,
        select_by=select_by,
        generated_at=now or dt.datetime.now().astimezone(),
        groups=groups,
        skipped=tuple(skipped),
        outside_week=tuple(outside),
        summarizers=summarizers,
        models=tuple(sorted({r.summary.guard.model for r in reports if r.summary and r.summary.guard})),
        stats=stats,
        events=tuple(e for g in groups for e in g.events),
        previously=tuple(previously),
        overview=overview,
        archive=archive,
        archive_error=archive_error,
        volume_threshold=volume_threshold,
        card_groups=group_events([e for e in events if held[e.id] != EARLIER], home),
        earlier_groups=group_events([e for e in events if held[e.id] == EARLIER], home),
        held=held,
        recent_days=recent_days,
        home=tuple(home),
    )


def _fallback_reasons(reports: list[Report]) -> dict[str, int]:
    """How many generated summaries the guard rejected, by kind of reason, most frequent first."""
    from .summarize.guard import reason_kind

    kinds = Counter(
        reason_kind(r.summary.guard.reason or "")
        for r in reports
        if r.summary and r.summary.guard and not r.summary.guard.passed
    )
    return dict(sorted(kinds.items(), key=lambda item: (-item[1], item[0])))


def source_name(report: Report) -> str:
    """A page's outlet (人民网、某县人民政府), else the host of its address, else 原文."""
    if report.meta.outlets:
        return "、".join(report.meta.outlets)
    if report.source.url:
        host = urlsplit(report.source.url).hostname or ""
        return host.removeprefix("www.") or "原文"
    return "原文"


def file_anchor(path: str) -> str:
    """A stable anchor for a file's appendix entry: its path, hashed (paths hold any character)."""
    return "f-" + hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()[:10]


# Diagnostics that mark the card, by the words of their warning: everything else is appendix only.
_MARKERS = (("有缺字", ("字符丢失", "无法解码")),)


def card_markers(report: Report) -> tuple[str, ...]:
    return tuple(marker for marker, words in _MARKERS if any(w in text for text in report.warnings for w in words))
