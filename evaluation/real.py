"""Scores the extracted facts on the labeled real pages in ../shared/real/ (make eval-real).

The pages are third-party text: they are read from the shared folder, never copied here. The
labeling rules are in that folder's README; the scoring follows them:
- region: precision and recall per level against `gold_region` (full official names);
- date: exact when the page gives the year (`YYYY-MM-DD`), month and day when it does not
  (`MM-DD`), and no date at all when the label is null;
- chair: the person said to preside (主持), compared by name: right when our chair's name ends
  `gold_chair_simplified`/`gold_chair`, or when both say nobody presided.
Every page is processed as if collected on COLLECTED, after the newest page in the set.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefing.errors import SkipFile
from briefing.ingest import IngestOptions
from briefing.models import Report
from briefing.pipeline import process_file

from .facts import LEVELS, Tally, score_region

REAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "real"
COLLECTED = dt.datetime(2026, 11, 20, 12, 0)
SPLITS = ("dev", "heldout")


@dataclass
class RealScores:
    pages: int = 0
    region: dict[str, Tally] = field(default_factory=lambda: {lvl: Tally() for lvl in LEVELS})
    dates_exact: int = 0
    chair: Tally = field(default_factory=Tally)
    chair_exact: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def date_accuracy(self) -> float:
        return self.dates_exact / self.pages if self.pages else 1.0

    @property
    def chair_accuracy(self) -> float:
        return self.chair_exact / self.pages if self.pages else 1.0


def load_real_labels(folder: Path = REAL_DIR) -> list[dict]:
    with (folder / "labels.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def extract_pages(labels: Iterable[dict], folder: Path = REAL_DIR) -> dict[str, Report | None]:
    """Run the real pipeline on each page; None for a page the pipeline skipped."""
    stamp = COLLECTED.timestamp()
    reports: dict[str, Report | None] = {}
    with tempfile.TemporaryDirectory(prefix="brief-real-") as tmp:
        for label in labels:
            copy = Path(tmp) / label["file"]
            shutil.copyfile(folder / "pages" / label["file"], copy)
            os.utime(copy, (stamp, stamp))
            try:
                reports[label["id"]] = process_file(copy, IngestOptions())
            except SkipFile:
                reports[label["id"]] = None
    return reports


def _date_ok(label: dict, report: Report | None) -> bool:
    want = label["gold_date"]
    got = report.date if report else None
    if want is None:
        return got is None or got.iso is None
    if got is None or got.iso is None:
        return False
    return got.iso == want if label["gold_year_known"] else got.iso[5:] == want


def _chair_name(report: Report | None) -> str | None:
    if report is None:
        return None
    chairs = report.officials_with("主持")
    return chairs[0].name if chairs else None


def _plain(text: str) -> str:
    return re.sub(r"[\s,，、:：()（）]", "", text)


def score_real(labels: Iterable[dict], reports: dict[str, Report | None]) -> RealScores:
    scores = RealScores()
    for label in labels:
        key = label["id"]
        report = reports[key]
        scores.pages += 1
        score_region(scores.region, key, label["gold_region"], report.region if report else None, scores.errors)
        if _date_ok(label, report):
            scores.dates_exact += 1
        else:
            got_date = (report.date.iso, report.date.rule) if report else "skipped"
            scores.errors.append(f"{key}: date {got_date}, labeled {label['gold_date']!r}")
        want_chair = label.get("gold_chair_simplified") or label.get("gold_chair")
        got_chair = _chair_name(report)
        right = got_chair is not None and want_chair is not None and _plain(want_chair).endswith(got_chair)
        scores.chair.predicted += got_chair is not None
        scores.chair.labeled += want_chair is not None
        scores.chair.correct += right
        if right or (got_chair is None and want_chair is None):
            scores.chair_exact += 1
        else:
            scores.errors.append(f"{key}: chair {got_chair!r}, labeled {want_chair!r}")
    return scores


def format_real(name: str, scores: RealScores) -> str:
    lines = [f"== {name}: {scores.pages} real pages"]
    lines += [f"region {level:<8} {t.describe()}" for level, t in scores.region.items()]
    lines.append(f"date exact       {scores.date_accuracy:.3f}  ({scores.dates_exact}/{scores.pages})")
    chair = f"{scores.chair_accuracy:.3f}  ({scores.chair_exact}/{scores.pages})"
    lines.append(f"chair            {chair}  {scores.chair.describe()}")
    return "\n".join(lines)


def evaluate_split(split: str, folder: Path = REAL_DIR) -> RealScores:
    labels = [label for label in load_real_labels(folder) if label["split"] == split]
    return score_real(labels, extract_pages(labels, folder))
