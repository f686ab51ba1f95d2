"""Digest: the week's reports grouped by region, rendered to Markdown, HTML and JSON.

`Digest` is the only object the templates see; its fields (and `to_json()`) are the public
template context, so they change only by addition.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import ConfigError
from .models import Event, Report, Skipped
from .overview import Overview
from .text import UNPLACED, json_safe, printable_path
from .week import IsoWeek

VOLUME_THRESHOLD = 30  # above this many events the email lists one line per event, not cards


@dataclass(frozen=True)
class OutsideWeek:
    source: str
    week: str
    reason: str


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
        "figures": [{"text": f.text, "value": f.value, "unit": f.unit, "context": f.context} for f in report.figures],
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


def report_week(report: Report, select_by: str) -> IsoWeek | None:
    if select_by == "date":
        return IsoWeek.containing(dt.date.fromisoformat(report.date.iso)) if report.date.iso else None
    return IsoWeek.containing(report.source.collected.date())


def select_week(reports: list[Report], week: IsoWeek, select_by: str) -> tuple[list[Report], list[OutsideWeek]]:
    """Split reports into this week's and the others, each other one with its reason."""
    inside: list[Report] = []
    outside: list[OutsideWeek] = []
    for report in reports:
        own = report_week(report, select_by)
        if own == week:
            inside.append(report)
        elif own is None:
            outside.append(OutsideWeek(report.source.path, "", "no date, so no week (selection by report date)"))
        else:
            what = (
                f"collected {report.source.collected.date().isoformat()}"
                if select_by == "collected"
                else f"dated {report.date.iso}"
            )
            outside.append(OutsideWeek(report.source.path, str(own), f"{what}, in {own}, not {week}"))
    return inside, outside


def _sort_key(report: Report) -> tuple[str, str, str, str, str]:
    g = report.region
    return (g.city or "", g.county or "", g.town or "", report.date.iso or "9999", report.source.path)


def group_reports(reports: list[Report]) -> tuple[ProvinceGroup, ...]:
    """province › city › county; reports without a province under 地区未定, last."""
    by_province: dict[str, list[Report]] = {}
    for report in reports:
        by_province.setdefault(report.region.province or UNPLACED, []).append(report)
    groups = []
    for province in sorted(by_province, key=lambda p: (p == UNPLACED, p)):
        places: dict[str, list[Report]] = {}
        for report in sorted(by_province[province], key=_sort_key):
            g = report.region
            label = " › ".join(x for x in (g.city, g.county) if x) or ("省级" if g.province else "")
            places.setdefault(label, []).append(report)
        groups.append(ProvinceGroup(province, tuple(PlaceGroup(k, tuple(v)) for k, v in places.items())))
    return tuple(groups)


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


# --- rendering ----------------------------------------------------------------------------------
# Characters that would start Markdown markup mid-line; "<" and ">" become entities so no HTML
# from a report reaches the wiki.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>~])")


def escape_markdown(text: object) -> str:
    """Report text is untrusted: no markup of its own may reach the wiki page."""
    value = "" if text is None else str(text)
    value = value.replace("&", "&amp;")
    value = _MD_SPECIAL.sub(lambda m: _MD_ENTITIES.get(m.group(1), "\\" + m.group(1)), value)
    return value.replace("\n", " ")


_MD_ENTITIES = {"<": "&lt;", ">": "&gt;"}


def escape_path_markdown(path: object) -> str:
    return printable_path(path).replace("`", "'").replace("|", "/")


def packaged_templates() -> Path:
    """templates/ of the source tree (editable installs), else the copy inside the package."""
    source_tree = Path(__file__).resolve().parent.parent / "templates"
    if source_tree.is_dir():
        return source_tree
    from importlib import resources

    return Path(str(resources.files("briefing.templates")))


def template_environment(user_dir: Path | None = None) -> Any:
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders.append(jinja2.FileSystemLoader(str(packaged_templates())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=lambda name: bool(name) and ".html" in name,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["mdpath"] = escape_path_markdown
    env.filters["path"] = printable_path
    return env


def render(digest: Digest, fmt: str, user_dir: Path | None = None, template: str | None = None, **context: Any) -> str:
    """Render one format. Extra context: chart_file (Markdown image link), chart_src (HTML image
    source: a data: URI or cid:), show_generated (False for pages that must not change when the
    week has not)."""
    if fmt == "json":
        return json.dumps(json_safe(digest.to_json()), ensure_ascii=False, indent=2) + "\n"
    import jinja2

    env = template_environment(user_dir)
    name = template or f"digest.{fmt}.j2"
    values = {"chart_file": None, "chart_src": None, "show_generated": True, **context}
    try:
        return env.get_template(name).render(digest=digest, unplaced=UNPLACED, **values)
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else name
        raise ConfigError(f"template {where}: {exc.message or type(exc).__name__}") from None


def write_atomic(path: Path, text: str) -> None:
    """Write next to the target and rename, so a reader never sees half a digest."""
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """The file gets the mode an ordinary write would give it: an existing file keeps its own
    (a wiki's 0644 Home.md stays 0644), a new one 0666 less the umask (mkstemp alone gives 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~current_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            with contextlib.suppress(OSError):  # a file system without modes (FAT, SMB) keeps its own
                os.fchmod(handle.fileno(), mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


TEMP_SUFFIX = ".tmp"
# What write_atomic_bytes leaves behind when a run is killed mid-write: ".<name>.<8 random>.tmp".
_OWN_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
STALE_TEMP_SECONDS = 3600  # a live run holds its temporary file for well under a second


def current_umask() -> int:
    """The process umask. Linux shows it in /proc (no change, safe beside threads); elsewhere it
    can only be read by setting it and putting it back."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_stale_temp_files(folder: Path, now: float | None = None) -> list[Path]:
    """Delete brief's own temporary files older than an hour (left by a killed run) in `folder`.
    Younger ones may belong to a run that is writing right now; other files are never touched."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    limit = (time.time() if now is None else now) - STALE_TEMP_SECONDS
    try:
        entries = [e for e in os.scandir(folder) if _OWN_TEMP.match(e.name)]
    except OSError:
        return removed  # an unreadable output folder fails later, with a clear message
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to delete: the next run tries again
    return removed


def write_digest(
    digest: Digest,
    out_dir: Path,
    formats: tuple[str, ...],
    user_dir: Path | None = None,
    chart: bytes | None = None,
) -> list[Path]:
    """Write each format (and the chart next to the Markdown/HTML that show it). Every format is
    rendered before the first file is written, so a failing template never leaves a new .md
    beside last run's .json."""
    files: list[tuple[Path, bytes]] = []
    context: dict[str, Any] = {}
    if chart and {"md", "html"} & set(formats):
        chart_path = out_dir / f"{digest.week}.png"
        files.append((chart_path, chart))
        context = {"chart_file": chart_path.name, "chart_src": data_uri(chart)}
    for fmt in formats:
        files.append((out_dir / f"{digest.week}.{fmt}", render(digest, fmt, user_dir, **context).encode("utf-8")))
    for path, data in files:
        write_atomic_bytes(path, data)
    return [path for path, _data in files]


def data_uri(png: bytes) -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
