"""Digest: the week's reports and events grouped by region, and its JSON form. Rendering lives in
`render`, week selection in `week`, atomic writes in `files`.

`Digest` is the only object the templates see; its fields (and `to_json()`) are the public
template context, so they change only by addition.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .models import Event, Report, Skipped
from .overview import Overview
from .text import UNPLACED
from .week import IsoWeek, OutsideWeek

VOLUME_THRESHOLD = 30  # above this many events the email lists one line per event, not cards


@dataclass(frozen=True)
class PlaceGroup:
    """Reports of one city/county inside a province group."""

    label: str  # "湛江市 › 遂溪县", or "省级" when only the province is known
    reports: tuple[Report, ...]  # every report of the events below (lead reports and reposts)
    events: tuple[Event, ...] = ()  # one card each


@dataclass(frozen=True)
class ProvinceGroup:
    province: str
    places: tuple[PlaceGroup, ...]

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
            "overview": self.overview.to_json() if self.overview else None,
            "events": [event_json(e) for e in self.events],
            "previously_reported": [event_json(e) for e in self.previously],
            "archive": {"path": self.archive, "error": self.archive_error},
            "reports": [report_json(r) for r in self.reports],
            "skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped],
            "outside_week": [{"source": o.source, "week": o.week, "reason": o.reason} for o in self.outside_week],
        }


def event_json(event: Event) -> dict[str, Any]:
    lead = event.lead
    return {
        "id": event.id,
        "title": lead.title,
        "place": lead.region.label(),
        "date": lead.date.iso,
        "date_display": lead.date.display(),
        "first_reported": event.first_reported,
        "sources": [{"source": r.source.path, "outlets": list(r.meta.outlets)} for r in event.reports],
    }


def report_json(report: Report) -> dict[str, Any]:
    d, g = report.date, report.region
    return {
        "source": report.source.path,
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


def _sort_key(report: Report) -> tuple[str, str, str, str, str]:
    g = report.region
    return (g.city or "", g.county or "", g.town or "", report.date.iso or "9999", report.source.path)


def group_events(events: list[Event]) -> tuple[ProvinceGroup, ...]:
    """province › city › county by each event's lead report; provinces with the most events
    first, 地区未定 last; one card per event."""
    by_province: dict[str, list[Event]] = {}
    for event in events:
        by_province.setdefault(event.lead.region.province or UNPLACED, []).append(event)
    order = sorted(by_province, key=lambda p: (p == UNPLACED, -len(by_province[p]), p))
    groups = []
    for province in order:
        places: dict[str, list[Event]] = {}
        for event in sorted(by_province[province], key=lambda e: _sort_key(e.lead)):
            g = event.lead.region
            label = " › ".join(x for x in (g.city, g.county) if x) or ("省级" if g.province else "")
            places.setdefault(label, []).append(event)
        groups.append(
            ProvinceGroup(
                province,
                tuple(PlaceGroup(k, tuple(r for e in v for r in e.reports), tuple(v)) for k, v in places.items()),
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
) -> Digest:
    """`events` (this week's new events) and `previously` (already reported) come from the
    pipeline; without them the reports are grouped into events here, with no history."""
    if events is None:
        from .events import detect_events

        events = detect_events(reports)
    previously = previously or []
    if overview is None:
        from .overview import make_overview

        overview = make_overview(events, previously)
    reports = [r for e in [*events, *previously] for r in e.reports]
    groups = group_events(events)
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
