"""Character-level ROUGE for Chinese summaries, against our references in tests/data/.

Chinese has no spaces, so hypotheses and references are compared character by character
(punctuation removed): rouge-chinese's scorer over space-separated characters. Baselines: lead-3
(the first three sentences) and jionlp's extract_summary, the usual Chinese extractive baseline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..models import Report
from ..sentences import split_sentences

_PUNCT = re.compile(r"[\s，。！？；：、“”‘’（）《》【】,.!?;:()\"'…—-]")


def _chars(text: str) -> str:
    return " ".join(_PUNCT.sub("", text)) or "∅"


@dataclass(frozen=True)
class RougeScore:
    rouge1: float
    rouge2: float
    rougeL: float

    def __str__(self) -> str:
        return f"R1={self.rouge1:.3f} R2={self.rouge2:.3f} RL={self.rougeL:.3f}"


def rouge(hypotheses: list[str], references: list[str]) -> RougeScore:
    """Mean F1 of ROUGE-1/2/L over the pairs."""
    from rouge_chinese import Rouge

    scores = Rouge().get_scores([_chars(h) for h in hypotheses], [_chars(r) for r in references], avg=True)
    return RougeScore(scores["rouge-1"]["f"], scores["rouge-2"]["f"], scores["rouge-l"]["f"])


def lead3(report: Report) -> str:
    return "".join(split_sentences(report.body)[:3])


def jionlp_summary(report: Report, max_chars: int = 120) -> str:
    from jionlp.algorithm.summary import extract_summary

    return str(extract_summary(report.body, summary_length=max_chars))


def load_references(path: Path) -> dict[str, str]:
    return json.loads(path.read_text(encoding="utf-8"))


def compare(
    reports: list[Report], references: dict[str, str], systems: dict[str, Callable[[Report], str]]
) -> dict[str, RougeScore]:
    """ROUGE of each system over the reports that have a reference (matched by file name)."""
    chosen = [r for r in reports if Path(r.source.path).name in references]
    refs = [references[Path(r.source.path).name] for r in chosen]
    return {name: rouge([system(r) for r in chosen], refs) for name, system in systems.items()}
