"""The build pipeline: folder -> reports -> week -> summaries -> digest files.

Each stage is a function of the previous stage's data; this module only strings them together
and keeps the per-file bookkeeping (a bad file is recorded with its reason, the run goes on).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .chart import render_chart
from .clean import clean_text
from .digest import Digest, make_digest, printable_path, select_week, write_digest
from .errors import SkipFile, UsageError
from .extract import extract_report
from .ingest import IngestOptions, iter_input_files, read_source
from .models import Report, Skipped
from .settings import Settings
from .summarize import get_summarizer
from .week import IsoWeek

Notify = Callable[[str], None]
MIN_REPORT_CHARS = 20


@dataclass(frozen=True)
class BuildResult:
    digest: Digest
    written: tuple[Path, ...]
    chart: bytes | None  # the week's chart (PNG), rendered once for the digest, email and wiki


def _empty_folders(root: Path) -> list[str]:
    empty = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        if not dirnames and not [f for f in filenames if not f.startswith(".")]:
            empty.append(dirpath)
    return sorted(empty)


def process_file(path: Path, options: IngestOptions) -> Report:
    ingested = read_source(path, str(path), options)
    cleaned = clean_text(ingested.text)
    han = sum(1 for ch in cleaned.text if "\u4e00" <= ch <= "\u9fff")
    if han < MIN_REPORT_CHARS:
        # A navigation page or a bare headline is not a report; say so rather than summarize it.
        raise SkipFile(
            f"too little text after removing page chrome ({han} Chinese characters, need {MIN_REPORT_CHARS})"
        )
    return extract_report(ingested.source, cleaned)


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
    options = IngestOptions(max_bytes=settings.max_bytes)
    reports: list[Report] = []
    skipped: list[Skipped] = []
    out = settings.out.resolve()
    # Our own digests inside the input folder are not inputs (--out reports/out --input reports).
    paths = [p for p in iter_input_files(root) if not p.resolve().is_relative_to(out)]
    for path in progress(paths):
        try:
            reports.append(process_file(path, options))
        except SkipFile as exc:
            skipped.append(Skipped(str(path), exc.reason))
            notify(f"skipped {printable_path(path)}: {exc.reason}")
        except Exception as exc:  # one broken file must not end the run; the reason says what broke
            reason = f"failed to process: {type(exc).__name__}: {exc}"
            skipped.append(Skipped(str(path), reason))
            notify(f"skipped {printable_path(path)}: {reason}")
    for folder in _empty_folders(root):
        skipped.append(Skipped(folder, "empty folder: no input files"))
        notify(f"skipped {printable_path(folder)}: empty folder: no input files")
    return reports, skipped


def summarize_reports(reports: list[Report], settings: Settings, notify: Notify = lambda _msg: None) -> list[Report]:
    if not reports:
        return reports
    summarizer = get_summarizer(settings.backend, settings, notify)
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
) -> BuildResult:
    if settings.templates is not None and not settings.templates.is_dir():
        # A misspelt folder would otherwise fall back to the packaged templates unnoticed.
        raise UsageError(f"templates folder {settings.templates} does not exist")
    reports, skipped = read_reports(settings.input, settings, notify, progress)
    inside, outside = select_week(reports, week, settings.select_by)
    inside = summarize_reports(inside, settings, notify)
    digest = make_digest(inside, skipped, outside, week, settings.select_by)
    chart = render_chart(digest)
    written = write_digest(digest, settings.out, settings.formats, settings.templates, chart)
    return BuildResult(digest=digest, written=tuple(written), chart=chart)
