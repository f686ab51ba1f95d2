"""The summarizer interface and the registry of backends.

A backend has a name and turns a batch of cleaned reports into summaries, one per report, in
input order. Backends are looked up by name; heavy ones import their libraries inside their
own module, so choosing the embedded backend never loads torch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from ..errors import ConfigError
from ..models import Report, Summary
from ..settings import Settings


class Summarizer(Protocol):
    name: str

    def summarize(self, reports: Sequence[Report]) -> list[Summary]:
        """One summary per report, in the order given."""
        ...


Notify = Callable[[str], None]


def _extractive(settings: Settings, notify: Notify) -> Summarizer:
    from .extractive import ExtractiveSummarizer

    return ExtractiveSummarizer.from_options(settings.summarizer_options())


def _seq2seq(settings: Settings, notify: Notify) -> Summarizer:
    from .seq2seq import GenerationSettings, Seq2SeqOptions, Seq2SeqSummarizer

    if not settings.model:
        raise ConfigError("the seq2seq backend needs a model", hint="pass --model DIR or set [model] name")
    options = Seq2SeqOptions(
        model=settings.model,
        revision=settings.model_revision,
        prefix=settings.model_prefix,
        device=settings.device,
        token_budget=settings.token_budget,
        max_batch=settings.max_batch,
        decode_rows=settings.decode_rows,
        max_input_tokens=settings.max_input_tokens,
        threads=settings.threads,
        cache_dir=settings.cache_dir,
        use_cache=settings.use_cache,
        online=settings.online,
        generation=GenerationSettings(
            num_beams=settings.num_beams,
            max_new_tokens=settings.max_new_tokens,
            min_new_tokens=settings.min_new_tokens,
            no_repeat_ngram_size=settings.no_repeat_ngram_size,
            length_penalty=settings.length_penalty,
        ),
        engine=settings.model_engine,
        precision=settings.model_precision,
    )
    return Seq2SeqSummarizer(options, notify=notify)


BACKENDS: dict[str, Callable[[Settings, Notify], Summarizer]] = {
    "extractive": _extractive,
    "seq2seq": _seq2seq,
}


def get_summarizer(name: str, settings: Settings | None = None, notify: Notify = lambda _m: None) -> Summarizer:
    try:
        factory = BACKENDS[name]
    except KeyError:
        raise ConfigError(
            f"unknown summarizer backend '{name}'", hint=f"choose one of: {', '.join(sorted(BACKENDS))}"
        ) from None
    return factory(settings or Settings(), notify)
