"""`brief model eval`: how a summarizer does on the user's own reports.

So a user can choose between checkpoints, and between a checkpoint and the extractive
summarizer, on their data rather than on a benchmark: every report of a folder is summarized
the way `brief build` would (no cache, so the time is real), then measured:
- guard pass rate: the share of the model's own outputs that the faithfulness guard let
  through, with the rejections counted by kind (the extractive summarizer's sentences are put
  through the same guard, as a baseline);
- ROUGE-1/2/L (character level, F1) against reference summaries when a labels file is given:
  of the summaries the digest would print (rejected outputs replaced by the extractive
  summary) and of the model's own outputs;
- mean summary length in characters, and reports per second (model loading excluded).
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, UsageError
from ..ingest import IngestOptions, iter_input_files
from ..models import Report
from ..pipeline import process_file
from ..settings import IngestSettings, ModelSettings, SummarizeSettings
from ..summarize.guard import check_batch, reason_kind
from .rouge import RougeScore, rouge

EXTRACTIVE = "extractive"


@dataclass(frozen=True)
class ModelEvaluation:
    model: str
    reports: int
    passed: int  # model outputs the guard let through
    reasons: dict[str, int]  # rejections by kind
    failures: tuple[tuple[str, str], ...]  # (file, reason) of each rejection
    mean_chars: float  # of the summaries the digest would print
    mean_output_chars: float  # of the model's own outputs
    seconds: float
    rouge_final: RougeScore | None
    rouge_output: RougeScore | None
    referenced: int  # reports with a reference summary

    @property
    def pass_rate(self) -> float:
        return self.passed / self.reports if self.reports else 0.0

    @property
    def reports_per_second(self) -> float:
        return self.reports / self.seconds if self.seconds > 0 else float("inf")

    def lines(self) -> list[str]:
        out = [
            f"model:            {self.model}",
            f"reports:          {self.reports}",
            f"guard pass rate:  {self.pass_rate:.0%} ({self.passed} of {self.reports} outputs)",
        ]
        if self.reasons:
            out.append("rejected, by kind: " + ", ".join(f"{kind} {n}" for kind, n in self.reasons.items()))
            out.extend(f"  {name}: {reason}" for name, reason in self.failures)
        generative = self.model != EXTRACTIVE
        raw = f" (model outputs {self.mean_output_chars:.0f})" if generative else ""
        out.append(f"mean length:      {self.mean_chars:.0f} characters{raw}")
        out.append(f"speed:            {self.reports_per_second:.2f} reports/s ({self.seconds:.1f} s)")
        if self.rouge_final is not None and self.rouge_output is not None:
            out.append(f"ROUGE vs {self.referenced} references (character F1):")
            out.append(f"  summaries shown: {self.rouge_final}")
            if generative:
                out.append(f"  model outputs:   {self.rouge_output}")
        return out


def load_labels(path: Path) -> dict[str, str]:
    """Reference summaries: a JSON object of file name -> summary."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read labels: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ConfigError(f"{path}: labels must be a JSON object of file name -> reference summary")
    return data


def check_labels(path: Path, labels: dict[str, str], reports: list[Report]) -> None:
    """UsageError when no key of the labels file names a report of the folder: ROUGE would be
    measured on nothing, and the evaluation would look like one without references."""
    names = {Path(r.source.path).name for r in reports}
    if labels and not names.intersection(labels):
        example = next(iter(labels))
        raise UsageError(
            f"{path}: none of its {len(labels)} keys names one of the {len(reports)} reports read "
            f"(a key such as {example!r} must be a report's file name)",
            hint="keys are file names without folders, e.g. 001_report.txt",
        )
    if not labels:
        raise UsageError(f"{path}: the labels file holds no reference summaries")


def read_folder(folder: Path, ingest: IngestSettings) -> list[Report]:
    if not folder.is_dir():
        raise UsageError(f"input folder {folder} does not exist", hint="pass --input DIR")
    options = IngestOptions(max_bytes=ingest.max_bytes)
    reports = []
    for path in iter_input_files(folder):
        try:
            reports.append(process_file(path, options))
        except Exception:  # `brief build` lists unreadable files; an evaluation only needs the readable ones
            continue
    if not reports:
        raise UsageError(f"no readable reports in {folder}")
    return reports


def evaluate_model(
    model: str,
    reports: list[Report],
    summarize: SummarizeSettings,
    model_settings: ModelSettings,
    labels: dict[str, str] | None = None,
    notify: Callable[[str], None] = lambda _m: None,
) -> ModelEvaluation:
    """Summarize `reports` with `model` (a checkpoint, or "extractive") and measure; the other
    [model] settings (device, engine, ...) from `model_settings`; `notify` hears what the
    seq2seq backend says (the engine chosen, bounded generation settings)."""
    names = [Path(r.source.path).name for r in reports]
    if model == EXTRACTIVE:
        from ..summarize.extractive import ExtractiveSummarizer, guard_source

        summarizer = ExtractiveSummarizer.from_settings(summarize)
        start = time.perf_counter()
        finals = [s.text for s in summarizer.summarize(reports)]
        seconds = time.perf_counter() - start
        outputs = finals
        # Checked as a model's text is: against the report and what the selection adds (its month, its place).
        reasons = check_batch(outputs, [guard_source(r) for r in reports])
    else:
        from ..summarize.base import get_summarizer

        settings = dataclasses.replace(model_settings, name=model, cache=False)
        summarizer = get_summarizer("seq2seq", summarize, settings, notify)
        summarizer.engine  # noqa: B018 (load the model before the clock starts)
        start = time.perf_counter()
        results = summarizer.summarize_with_outputs(reports)
        seconds = time.perf_counter() - start
        finals = [summary.text for summary, _ in results]
        outputs = [output for _, output in results]
        reasons = [None if s.guard is None or s.guard.passed else s.guard.reason for s, _ in results]
    failures = tuple((name, reason) for name, reason in zip(names, reasons, strict=True) if reason)
    kinds = Counter(reason_kind(reason) for _, reason in failures)
    rouge_final = rouge_output = None
    chosen = [i for i, name in enumerate(names) if labels and name in labels]
    if labels is not None and chosen:
        refs = [labels[names[i]] for i in chosen]
        rouge_final = rouge([finals[i] for i in chosen], refs)
        rouge_output = rouge([outputs[i] for i in chosen], refs)
    return ModelEvaluation(
        model=model,
        reports=len(reports),
        passed=len(reports) - len(failures),
        reasons=dict(sorted(kinds.items(), key=lambda item: (-item[1], item[0]))),
        failures=failures,
        mean_chars=sum(len(t) for t in finals) / len(finals),
        mean_output_chars=sum(len(t) for t in outputs) / len(outputs),
        seconds=seconds,
        rouge_final=rouge_final,
        rouge_output=rouge_output,
        referenced=len(chosen),
    )
