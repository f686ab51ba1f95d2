"""The build pipeline: folder -> reports -> week -> summaries -> digest files.

Each stage is a function of the previous stage's data; this module only strings them together
and keeps the per-file bookkeeping (a bad file is recorded with its reason, the run goes on).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .chart import render_chart
from .clean import clean_text
from .digest import Digest, make_digest
from .errors import SkipFile, UsageError
from .events import detect_events, fingerprint_reports
from .extract import extract_report
from .extract.title import is_headline
from .files import is_brief_output, remove_stale_temp_files
from .ingest import HTML_SUFFIXES, TEXT_SUFFIXES, IngestOptions, read_source, scan_inputs
from .models import CleanText, Event, Report, Skipped, SourceFile
from .overview import degenerate_lead, extractive_lead, lead_report, make_overview
from .render import check_digest_targets, write_digest
from .settings import Settings
from .source_link import pair_sidecars, read_sidecar
from .store import Archive, StoreError
from .summarize import get_summarizer
from .summarize.base import Summarizer
from .text import han_count, printable_path
from .week import IsoWeek, OutsideWeek, select_week
from .weekmap import WeekMap, draw_week_map

Notify = Callable[[str], None]
MIN_REPORT_CHARS = 20


@dataclass(frozen=True)
class BuildResult:
    digest: Digest
    written: tuple[Path, ...]
    chart: bytes | None  # the week's chart (PNG), rendered once for the digest, email and wiki
    archive_error: str | None = None  # the archive could not be read or written: built without history
    week_map: WeekMap | None = None  # the week's map (OUT/<week>.map.png), for the email and wiki too


# The files brief writes into its output folder: <week>.md/.html/.json/.png/.map.png/.eml. When --out is the
# input folder (or inside it) these are not inputs: brief's own (they carry its generator mark) are
# passed over, a user's file of such a name is skipped with the reason. The archive (brief.db and
# SQLite's journal files beside it) is brief's own too.
OWN_OUTPUT = re.compile(
    r"^(?:\d{4}-W\d{2}\.(?:md|html|json|png|map\.png|(?:[A-Za-z0-9_-]+\.)?eml)|brief\.db(?:-journal|-wal|-shm)?)$"
)
ARCHIVE_FILE = re.compile(r"^brief\.db(?:-journal|-wal|-shm)?$")


def _is_own_output(path: Path, out: Path) -> bool:
    if not OWN_OUTPUT.match(path.name):
        return False
    try:
        return path.parent.samefile(out)
    except OSError:
        return False


def _named_like_output(path: Path) -> Skipped | None:
    """None for brief's own file in the output folder; for a user's file that merely has such a
    name, why it is not read (it is no report of brief's to re-read, and brief may overwrite
    nothing of the user's: building that week refuses)."""
    if ARCHIVE_FILE.match(path.name) or is_brief_output(path):
        return None
    return Skipped(
        str(path),
        f"named like brief's own output ({printable_path(path.name)}) but not written by brief: "
        "not read as a report (rename it to include it)",
    )


def process_file(path: Path, options: IngestOptions, inside: Path | None = None) -> Report:
    return extract_report(*clean_file(path, options, inside))


def clean_file(path: Path, options: IngestOptions, inside: Path | None = None) -> tuple[SourceFile, CleanText]:
    """The file read and cleaned, ready for extract_report (brief explain reads both)."""
    ingested = read_source(path, str(path), options, inside=inside)
    source, text = ingested.source, ingested.text
    if source.html_title:
        # The <title> is page text like any other: Traditional, pinyin and chrome are cleaned
        # from it. When it is no headline but the first paragraph itself (a page without a
        # headline), it is put back as text, where its dateline and places belong.
        title = clean_text(source.html_title).text.strip()
        if is_headline(title):
            source = replace(source, html_title=title)
        else:
            source, text = replace(source, html_title=None), f"{source.html_title}\n{text}"
    cleaned = clean_text(text)
    han = han_count(cleaned.text)
    if han < MIN_REPORT_CHARS:
        # A navigation page or a bare headline is not a report; say so rather than summarize it.
        raise SkipFile(
            f"too little text after removing page chrome ({han} Chinese characters, need {MIN_REPORT_CHARS})"
        )
    return source, cleaned


def read_reports(
    root: Path,
    settings: Settings,
    notify: Notify = lambda _msg: None,
    progress: Callable[[Iterable[Path]], Iterable[Path]] = lambda it: it,
) -> tuple[list[Report], list[Skipped]]:
    if not root.exists():
        raise UsageError(f"input folder {root} does not exist", hint="pass --input DIR or set [build] input")
    if not root.is_dir():
        raise UsageError(f"input {root} is not a folder")
    options = IngestOptions(max_bytes=settings.ingest.max_bytes)
    reports: list[Report] = []
    skipped: list[Skipped] = []
    scan = scan_inputs(root)
    # An archive moved by [store] path may sit among the inputs. (realpath: a link loop is no error here.)
    store = os.path.realpath(settings.store_file)
    paths = [p for p in scan.files if os.path.realpath(p) != store]
    for path in [p for p in paths if _is_own_output(p, settings.build.out)]:
        paths.remove(path)
        if (named := _named_like_output(path)) is not None:
            skipped.append(named)
            notify(f"skipped {printable_path(path)}: {named.reason}")
    # A scraper's sidecar (p001.url, p001.json) belongs to its report: read with it (source_link),
    # not a file of its own. One that holds no address is said so.
    reportable = [p for p in paths if p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES]
    for sidecar, report in pair_sidecars(paths, reportable).items():
        paths.remove(sidecar)
        if read_sidecar(sidecar) is None:
            reason = f"sidecar of {report.name} without an http(s) address: no link for that report"
            skipped.append(Skipped(str(sidecar), reason))
            notify(f"skipped {printable_path(sidecar)}: {reason}")
    for path in progress(paths):
        try:
            reports.append(process_file(path, options, inside=root))
        except SkipFile as exc:
            skipped.append(Skipped(str(path), exc.reason))
            notify(f"skipped {printable_path(path)}: {exc.reason}")
        except Exception as exc:  # one broken file must not end the run; the reason says what broke
            reason = printable_path(f"failed to process: {type(exc).__name__}: {exc}")
            skipped.append(Skipped(str(path), reason))
            notify(f"skipped {printable_path(path)}: {reason}")
    for problem in scan.unreadable:
        skipped.append(problem)
        notify(f"skipped {printable_path(problem.source)}: {problem.reason}")
    for folder in scan.empty_folders:
        skipped.append(Skipped(str(folder), "empty folder: no input files"))
        notify(f"skipped {printable_path(folder)}: empty folder: no input files")
    return reports, skipped


def summarize_reports(
    reports: list[Report],
    settings: Settings,
    notify: Notify = lambda _msg: None,
    summarizer: Summarizer | None = None,
) -> list[Report]:
    if not reports:
        return reports
    summarizer = summarizer or get_summarizer(settings.backend, settings.summarize, settings.model, notify)
    summaries = summarizer.summarize(reports)
    out = []
    for report, summary in zip(reports, summaries, strict=True):
        warnings = report.warnings
        if summary.guard and not summary.guard.passed:
            warnings += (f"生成摘要未通过事实核对（{summary.guard.reason}），已改用抽取式摘要",)
        out.append(replace(report, summary=summary, warnings=warnings))
    return out


def build(
    settings: Settings,
    week: IsoWeek,
    notify: Notify = lambda _msg: None,
    progress: Callable[[Iterable[Path]], Iterable[Path]] = lambda it: it,
    force: bool = False,
) -> BuildResult:
    """`force`: rebuild a week the archive holds with reports even when this input gives it none
    (refused otherwise, before anything is written: RebuildRefused)."""
    if settings.build.templates is not None and not settings.build.templates.is_dir():
        # A misspelt folder would otherwise fall back to the packaged templates unnoticed.
        raise UsageError(f"templates folder {settings.build.templates} does not exist")
    # A user's file where a digest file goes: refused before any work (write_digest checks again).
    check_digest_targets(str(week), settings.build.out, settings.build.formats)
    for stale in remove_stale_temp_files(settings.build.out):
        notify(f"removed {printable_path(stale)}, a temporary file left by an interrupted run")
    reports, skipped = read_reports(settings.build.input, settings, notify, progress)
    inside, outside = select_week(reports, week, settings.build.select_by)
    summarizer = get_summarizer(settings.backend, settings.summarize, settings.model, notify) if inside else None
    inside = summarize_reports(inside, settings, notify, summarizer)
    fingerprints = fingerprint_reports(inside)
    events = detect_events(inside, fingerprints)
    archive, archive_error, history = None, None, {}
    try:
        archive = Archive.open(settings.store_file)
        if not inside and not force:
            # A week that had reports, rebuilt from a folder that gives it none (a wrong --input).
            archive.refuse_emptying(week, settings.build.input, outside=len(outside), skipped=len(skipped))
        events = archive.link_events(events, week, fingerprints)
        history = archive.province_history(week)
    except StoreError as exc:
        archive_error = str(exc)  # the CLI says it, even with --quiet
        if archive is not None:
            archive.close()
            archive = None
    except BaseException:
        if archive is not None:  # refused or interrupted: no connection left open
            archive.close()
        raise
    new = [e for e in events if e.first_reported is None]
    previously = [e for e in events if e.first_reported is not None]
    try:
        digest, written, chart, week_map = _write_week(
            settings,
            week,
            inside,
            skipped,
            outside,
            (new, previously),
            history,
            summarizer,
            archive,
            archive_error,
            notify,
        )
        if archive is not None:
            # The digest is on disk before the archive is touched: a failing archive costs only history.
            try:
                archive.record(week, new, previously, fingerprints, digest.generated_at)
            except StoreError as exc:
                archive_error = str(exc)
    finally:
        if archive is not None:  # also when rendering or writing failed: no connection left open
            archive.close()
    return BuildResult(
        digest=digest, written=tuple(written), chart=chart, archive_error=archive_error, week_map=week_map
    )


def _write_week(
    settings: Settings,
    week: IsoWeek,
    inside: list[Report],
    skipped: list[Skipped],
    outside: list[OutsideWeek],
    events: tuple[list[Event], list[Event]],
    history: dict[str, dict[str, int]],
    summarizer: Summarizer | None,
    archive: Archive | None,
    archive_error: str | None,
    notify: Notify = lambda _msg: None,
) -> tuple[Digest, list[Path], bytes | None, WeekMap | None]:
    """The overview, the digest and its files (all formats rendered before the first is written).
    `events`: this week's new events, and those an earlier digest already carried."""
    new, previously = events
    lead, lead_backend = overview_lead(new, settings, summarizer)
    digest = make_digest(
        inside,
        skipped,
        outside,
        week,
        settings.build.select_by,
        events=new,
        previously=previously,
        overview=make_overview(
            new, previously, history, lead, lead_backend, start=week.start, recent_days=settings.digest.recent_days
        ),
        archive=str(settings.store_file) if archive is not None else None,
        archive_error=archive_error,
        volume_threshold=settings.email.volume_threshold,
        recent_days=settings.digest.recent_days,
        home=settings.digest.home,
    )
    chart = render_chart(digest)
    week_map = draw_week_map(digest)
    if week_map.warn:
        notify(f"no map for {digest.week}: {week_map.reason}; the digest is written without it")
    try:
        written = write_digest(
            digest, settings.build.out, settings.build.formats, settings.build.templates, chart, week_map
        )
    except OSError as exc:
        where = printable_path(exc.filename or settings.build.out)
        raise UsageError(
            f"cannot write the digest to {where}: {exc.strerror or exc}", hint="check --out / [build] out"
        ) from None
    return digest, written, chart, week_map.drawn


def overview_lead(events: list[Event], settings: Settings, summarizer: Summarizer | None) -> tuple[str | None, str]:
    """The lead paragraph of 本周概览: extractive (None: make_overview picks it), or rewritten by
    the seq2seq model when one is configured and its guard passes the rewrite."""
    if settings.backend != "seq2seq" or summarizer is None or not events:
        return None, "extractive"
    text = extractive_lead(events)
    (summary,) = summarizer.summarize([lead_report(text)])
    if summary.guard is not None and summary.guard.passed and degenerate_lead(summary.text) is None:
        return summary.text, summary.backend
    return text, "extractive"
