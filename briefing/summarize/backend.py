"""The seq2seq backend: which engine generates (CTranslate2 or torch, as runtime.py plans it),
and the summarizer that batches the week's reports through it, guards every output and caches
the outcome (see seq2seq.py for the batching, long reports and the guard's retry).

It sits above both engines, so that neither imports the other: ct2.py builds on seq2seq.py's
tokenized engine, and only this module chooses between them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from ..model_paths import resolve_model_path
from ..models import GuardResult, Report, Summary
from ..text import printable_path
from .cache import SummaryCache, cache_key, default_cache_dir
from .checkpoint import CheckpointNotFound, ConversionError, model_fingerprint
from .ct2 import Ct2Engine, convert_checkpoint
from .extractive import ExtractiveSummarizer, guard_source, select_input
from .guard import GUARD_VERSION, check_batch, check_summary
from .runtime import plan_runtime, torch_plan
from .seq2seq import (
    GenerationSettings,
    Seq2SeqEngine,
    Seq2SeqOptions,
    TokenizedEngine,
    cannot_load,
    read_checkpoint_defaults,
    resolve_generation,
    split_into_chunks,
)


def load_engine(options: Seq2SeqOptions, notify: Callable[[str], None] = lambda _m: None) -> TokenizedEngine:
    """The engine the runtime plan names; CTranslate2 converts on first use and, when it
    cannot convert the checkpoint, gives way to torch with the reason."""
    plan = plan_runtime(resolve_model_path(options.model), options.engine, options.precision, options.device)
    if plan.engine == "ctranslate2":
        try:
            conversion = convert_checkpoint(options.model, plan.precision, options.revision)
        except CheckpointNotFound as exc:
            if not options.online:  # torch may download it; offline it would fail the same way
                raise cannot_load(options.model, OSError(str(exc))) from None
            plan = torch_plan(options.precision, options.device, str(exc))
        except ConversionError as exc:
            if options.engine == "ctranslate2":
                raise
            plan = torch_plan(options.precision, options.device, str(exc))
            notify(f"model {options.model}: {exc}; using {plan.label} instead")
        else:
            if conversion.fresh:
                notify(f"model {options.model}: converted for CTranslate2 in {conversion.seconds:.0f} s")
            try:
                return Ct2Engine(options, plan, conversion.path)
            except RuntimeError as exc:  # CTranslate2 refuses the converted model (its own message)
                if options.engine == "ctranslate2":
                    raise ConfigError(f"CTranslate2 cannot load {conversion.path}: {exc}") from None
                plan = torch_plan(options.precision, options.device, f"CTranslate2 cannot load it: {exc}")
                notify(f"model {options.model}: CTranslate2 cannot load {conversion.path}: {exc}; using {plan.label}")
    engine = Seq2SeqEngine(dataclasses.replace(options, precision=plan.precision))
    engine.plan = plan
    return engine


# --- the backend ------------------------------------------------------------------------------------


@dataclass
class _Job:
    index: int
    report: Report
    key: str
    pieces: list[str]


class Seq2SeqSummarizer:
    name = "seq2seq"

    def __init__(
        self,
        options: Seq2SeqOptions,
        engine: TokenizedEngine | None = None,
        notify: Callable[[str], None] = lambda _m: None,
    ) -> None:
        self.checkpoint_defaults = read_checkpoint_defaults(resolve_model_path(options.model))
        self.options, notes = resolve_generation(options, self.checkpoint_defaults)
        for note in notes:  # once per run: the summarizer is made once, its settings hold for every batch
            notify(f"model {options.model}: {note}")
        self._engine = engine
        self.notify = notify
        self._planned: str | None = None
        self.fallback = ExtractiveSummarizer()
        folder = options.cache_dir or default_cache_dir()
        self.cache = SummaryCache(folder, notify) if options.use_cache else None

    @property
    def engine(self) -> TokenizedEngine:
        if self._engine is None:  # loaded on first need: a week served from the cache loads no model
            self._engine = load_engine(self.options, self.notify)
            plan = self._engine.plan
            if plan is not None:
                self.notify(f"model {self.options.model}: {plan.label} ({plan.reason})")
        return self._engine

    def _runtime_key(self) -> str:
        """Engine and precision (int8 writes slightly different text than float32)."""
        if self._engine is not None:
            plan = self._engine.plan
            return plan.key if plan else f"torch:{self._engine.options.precision}"
        if self._planned is None:
            options = self.options
            path = resolve_model_path(options.model)
            self._planned = plan_runtime(path, options.engine, options.precision, options.device).key
        return self._planned

    def _settings_key(self) -> dict[str, Any]:
        return {
            "generation": dataclasses.asdict(self.options.generation),
            "prefix": self.options.prefix,
            "max_input_tokens": self.options.max_input_tokens,
            "guard": GUARD_VERSION,
            "runtime": self._runtime_key(),
        }

    def _identity(self) -> str:
        path = resolve_model_path(self.options.model)
        return model_fingerprint(path, self.options.revision)

    def summarize(self, reports: Sequence[Report]) -> list[Summary]:
        return [summary for summary, _ in self.summarize_with_outputs(reports)]

    def summarize_with_outputs(self, reports: Sequence[Report]) -> list[tuple[Summary, str]]:
        """Each report's summary and the model's own last output for it (what the guard saw;
        for a cached entry, the summary when it passed, else "")."""
        results: list[Summary | None] = [None] * len(reports)
        outputs: list[str] = [""] * len(reports)
        identity = self._identity()
        jobs: list[_Job] = []
        for index, report in enumerate(reports):
            key = cache_key(select_input(report), identity, self._settings_key())
            entry = self.cache.get(key) if self.cache else None
            cached = self._trusted(entry, report) if entry is not None else None
            if cached is not None:
                results[index] = cached
            else:
                jobs.append(_Job(index, report, key, []))
        if jobs:
            self._run(jobs, results, outputs)
        for index, summary in enumerate(results):
            if summary is not None and summary.cached and summary.guard and summary.guard.passed:
                outputs[index] = summary.text
        return [(r, text) for r, text in zip(results, outputs, strict=True) if r is not None]

    def _trusted(self, entry: dict[str, Any], report: Report) -> Summary | None:
        """A cached summary, if it still holds: the right shape, and a model's text must pass
        the guard again (the cache is a file anyone can edit, and the guard's rules change);
        a fallback's text must be the extract itself. Otherwise None: generate anew."""
        where = printable_path(report.source.path)
        try:
            summary = summary_from_entry(entry)
        except ValueError as exc:
            self.notify(f"summary cache entry for {where} has an unexpected shape ({exc}); generating it anew")
            return None
        if summary.backend == self.name:
            reason = check_summary(summary.text, guard_source(report))
        elif summary.text != self.fallback.summarize([report])[0].text:
            reason = "not the extractive summary of this report"
        else:
            reason = None
        if reason is not None:
            self.notify(f"cached summary for {where} fails the faithfulness guard ({reason}); generating it anew")
            return None
        return summary

    def _run(self, jobs: list[_Job], results: list[Summary | None], outputs: list[str]) -> None:
        planned = self._settings_key()
        engine = self.engine
        actual = self._settings_key()
        if actual != planned:  # e.g. CTranslate2 could not convert and torch runs: store under torch
            identity = self._identity()
            for job in jobs:
                job.key = cache_key(select_input(job.report), identity, actual)
        room = engine.max_input - engine.count_tokens([""])[0]  # what the prefix and </s> leave
        for job in jobs:
            # The model reads what the extractive summary is made of (summarize/extractive.py).
            job.pieces = split_into_chunks(select_input(job.report), engine.count_text_tokens, max(16, room))
        settings = self.options.generation
        texts = self._summarize_pieces(jobs, settings)
        model_name = self.options.model
        failed: list[tuple[_Job, str]] = []
        reasons = check_batch(texts, [guard_source(job.report) for job in jobs])
        for job, text, reason in zip(jobs, texts, reasons, strict=True):
            outputs[job.index] = text
            if reason is None:
                guard = GuardResult(True, None, model_name)
                self._finish(job, results, Summary(text, self.name, guard, len(job.pieces)))
            else:
                failed.append((job, reason))
        if failed:
            retry_jobs = [job for job, _ in failed]
            retried = self._summarize_pieces(retry_jobs, settings.safer())
            retry_reasons = check_batch(retried, [guard_source(job.report) for job in retry_jobs])
            for (job, first_reason), text, reason in zip(failed, retried, retry_reasons, strict=True):
                outputs[job.index] = text
                if reason is None:
                    guard = GuardResult(True, None, model_name)
                    summary = Summary(text, self.name, guard, len(job.pieces))
                else:
                    why = first_reason if first_reason == reason else f"{first_reason}; retry: {reason}"
                    extractive = self.fallback.summarize([job.report])[0]
                    guard = GuardResult(False, why, model_name)
                    summary = Summary(extractive.text, extractive.backend, guard, len(job.pieces))
                self._finish(job, results, summary)

    def _summarize_pieces(self, jobs: list[_Job], settings: GenerationSettings) -> list[str]:
        """One pass over every piece of every job (batched together), then a second pass over
        the joined piece summaries of the jobs that had several pieces."""
        flat = [piece for job in jobs for piece in job.pieces]
        generated = self.engine.generate(flat, settings)
        per_job: list[list[str]] = []
        position = 0
        for job in jobs:
            per_job.append(generated[position : position + len(job.pieces)])
            position += len(job.pieces)
        combine = [i for i, job in enumerate(jobs) if len(job.pieces) > 1]
        joined = ["".join(per_job[i]) for i in combine]
        second = self.engine.generate(joined, settings)
        texts = [parts[0] if parts else "" for parts in per_job]
        for i, text in zip(combine, second, strict=True):
            texts[i] = text
        return texts

    def _finish(self, job: _Job, results: list[Summary | None], summary: Summary) -> None:
        results[job.index] = summary
        if self.cache:
            self.cache.put(job.key, _entry_from_summary(summary))


def _entry_from_summary(summary: Summary) -> dict[str, Any]:
    guard = summary.guard
    return {
        "text": summary.text,
        "backend": summary.backend,
        "chunks": summary.chunks,
        "guard": {"passed": guard.passed, "reason": guard.reason, "model": guard.model} if guard else None,
    }


def summary_from_entry(entry: dict[str, Any]) -> Summary:
    """A cache entry back into a Summary; ValueError when any field has the wrong shape."""
    text, backend, chunks, guard = entry.get("text"), entry.get("backend"), entry.get("chunks", 1), entry.get("guard")
    if not isinstance(text, str) or not isinstance(backend, str):
        raise ValueError("text and backend must be strings")
    if not isinstance(chunks, int) or isinstance(chunks, bool) or chunks < 1:
        raise ValueError("chunks must be a positive whole number")
    if guard is not None and not (
        isinstance(guard, dict)
        and isinstance(guard.get("passed"), bool)
        and isinstance(guard.get("reason"), (str, type(None)))
        and isinstance(guard.get("model"), str)
    ):
        raise ValueError("guard must be {passed, reason, model}")
    return Summary(
        text=text,
        backend=backend,
        guard=GuardResult(guard["passed"], guard["reason"], guard["model"]) if guard else None,
        chunks=chunks,
        cached=True,
    )
