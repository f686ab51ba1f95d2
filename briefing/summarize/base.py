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


class Summarizer(Protocol):
    name: str

    def summarize(self, reports: Sequence[Report]) -> list[Summary]:
        """One summary per report, in the order given."""
        ...


def _extractive(options: dict[str, object]) -> Summarizer:
    from .extractive import ExtractiveSummarizer

    return ExtractiveSummarizer.from_options(options)


BACKENDS: dict[str, Callable[[dict[str, object]], Summarizer]] = {
    "extractive": _extractive,
}


def get_summarizer(name: str, options: dict[str, object] | None = None) -> Summarizer:
    try:
        factory = BACKENDS[name]
    except KeyError:
        raise ConfigError(
            f"unknown summarizer backend '{name}'", hint=f"choose one of: {', '.join(sorted(BACKENDS))}"
        ) from None
    return factory(options or {})
