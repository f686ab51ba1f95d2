"""Precision and recall of the extracted facts against the labeled set in tests/data/facts/.

Labels (labels.json): the region at the level the text makes certain (null above it), the
date (null with "date_note": "no year" when only month/day is given and nothing gives the year:
then the right answer is a date flagged low-confidence, assumed from the collection date), and
the officials named with a title. Files are evaluated as if collected on labels["collected"].
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from briefing.ingest import IngestOptions
from briefing.models import Report
from briefing.pipeline import process_file

LEVELS = ("province", "city", "county", "town")


@dataclass
class Tally:
    predicted: int = 0
    labeled: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.labeled if self.labeled else 1.0

    def count(self, want: object, got: object) -> bool:
        """Count one labeled value against one answer (None: none given); True when they agree."""
        self.predicted += got is not None
        self.labeled += want is not None
        self.correct += got is not None and got == want
        return got == want

    def describe(self) -> str:
        counts = f"({self.correct}/{self.predicted} predicted, {self.labeled} labeled)"
        return f"precision {self.precision:.3f}  recall {self.recall:.3f}  {counts}"


def score_region(tallies: dict[str, Tally], key: str, want: dict, got: object, errors: list[str]) -> None:
    """Every level of one report's region (`got` a Region, or None for a skipped page)."""
    for level in LEVELS:
        label, answer = want.get(level), getattr(got, level) if got is not None else None
        if not tallies[level].count(label, answer):
            errors.append(f"{key}: {level} {answer!r}, labeled {label!r}")


@dataclass
class FactScores:
    region: dict[str, Tally] = field(default_factory=lambda: {lvl: Tally() for lvl in LEVELS})
    officials: Tally = field(default_factory=Tally)
    roles: Tally = field(default_factory=Tally)
    dates_exact: int = 0
    dates_total: int = 0
    ambiguous_guessed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def date_accuracy(self) -> float:
        return self.dates_exact / self.dates_total if self.dates_total else 1.0


def load_labels(folder: Path) -> dict:
    return json.loads((folder / "labels.json").read_text(encoding="utf-8"))


def extract_labeled(folder: Path, labels: dict) -> dict[str, Report]:
    """Run the real pipeline on every labeled file, with its collection time set as labeled."""
    collected = dt.datetime.fromisoformat(labels["collected"]).replace(hour=12)
    reports = {}
    with tempfile.TemporaryDirectory(prefix="brief-eval-") as tmp:
        for key in labels["reports"]:
            source = (folder / key).resolve()
            copy = Path(tmp) / source.name
            shutil.copyfile(source, copy)
            os.utime(copy, (collected.timestamp(), collected.timestamp()))
            reports[key] = process_file(copy, IngestOptions())
    return reports


def score(labels: dict, reports: dict[str, Report]) -> FactScores:
    scores = FactScores()
    for key, label in labels["reports"].items():
        report = reports[key]
        got_region = report.region
        score_region(scores.region, key, label["region"], got_region, scores.errors)
        if label["region"].get("county") is None and label["region"].get("town") and got_region.county:
            scores.ambiguous_guessed.append(key)
        scores.dates_total += 1
        want_date = label.get("date")
        if want_date is None and label.get("date_note") == "no year":
            ok = report.date.confidence == "low" and report.date.iso is not None
        else:
            ok = report.date.iso == want_date
        scores.dates_exact += ok
        if not ok:
            scores.errors.append(f"{key}: date {report.date.iso!r} ({report.date.rule}), labeled {want_date!r}")
        want_names = {o["name"]: set(o.get("roles", [])) for o in label.get("officials", [])}
        got_names = {o.name: set(o.roles) for o in report.officials}
        scores.officials.predicted += len(got_names)
        scores.officials.labeled += len(want_names)
        scores.officials.correct += len(want_names.keys() & got_names.keys())
        for name in sorted(want_names.keys() ^ got_names.keys()):
            which = "missed" if name in want_names else "spurious"
            scores.errors.append(f"{key}: official {name} {which}")
        for name in want_names.keys() & got_names.keys():
            scores.roles.predicted += len(got_names[name])
            scores.roles.labeled += len(want_names[name])
            scores.roles.correct += len(got_names[name] & want_names[name])
    return scores


def format_scores(scores: FactScores, count: int) -> str:
    lines = [f"labeled reports: {count}"]
    for level, t in scores.region.items():
        lines.append(f"region {level:<8} {t.describe()}")
    guessed = scores.ambiguous_guessed
    lines.append(f"ambiguous towns placed in a county without evidence: {len(guessed)} {guessed or ''}".rstrip())
    lines.append(f"date exact       {scores.date_accuracy:.3f}  ({scores.dates_exact}/{scores.dates_total})")
    lines.append(f"officials        {scores.officials.describe()}")
    lines.append(f"official roles   {scores.roles.describe()}")
    return "\n".join(lines)
