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
from ..settings import ModelSettings, SummarizeSettings


class Summarizer(Protocol):
    name: str

    def summarize(self, reports: Sequence[Report]) -> list[Summary]:
        """One summary per report, in the order given."""
        ...


Notify = Callable[[str], None]


def _extractive(summarize: SummarizeSettings, model: ModelSettings, notify: Notify) -> Summarizer:
    from .extractive import ExtractiveSummarizer

    return ExtractiveSummarizer.from_settings(summarize)


def _seq2seq(summarize: SummarizeSettings, model: ModelSettings, notify: Notify) -> Summarizer:
    from .backend import Seq2SeqSummarizer
    from .seq2seq import Seq2SeqOptions

    return Seq2SeqSummarizer(Seq2SeqOptions.from_settings(model), notify=notify)


BACKENDS: dict[str, Callable[[SummarizeSettings, ModelSettings, Notify], Summarizer]] = {
    "extractive": _extractive,
    "seq2seq": _seq2seq,
}


def get_summarizer(
    name: str,
    summarize: SummarizeSettings | None = None,
    model: ModelSettings | None = None,
    notify: Notify = lambda _m: None,
) -> Summarizer:
    """The backend `name`, built from [summarize] and [model] (defaults where not given)."""
    try:
        factory = BACKENDS[name]
    except KeyError:
        raise ConfigError(
            f"unknown summarizer backend '{name}'", hint=f"choose one of: {', '.join(sorted(BACKENDS))}"
        ) from None
    return factory(summarize or SummarizeSettings(), model or ModelSettings(), notify)
