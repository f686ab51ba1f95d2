"""Rules by id: what each rule of extract/ is called, why it exists, what it says to a reader, and
the examples that prove it. The types live here; the table and its lookup (`catalog`, `rule`,
`message`) are catalog.py, which imports this module and nothing imports back.

A rule that takes part in a fact is recorded by its id, and the id travels onto the fact
(`ReportDate.rule_id` / `rule_ids`), the way spaCy's span ruler puts a pattern's id on every match.
Code asks for ids, never for a message's wording: the wording a reader sees is made from the rule's
template in one place (`catalog.message`), so the cards and the archive keep the words they always had.
Word lists and patterns are `Pattern`s: a regular expression with an id and examples that must and
must not match, checked by tests/test_rules.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Example:
    """A text on which a rule decides, and what the extractor must answer for it.

    For a date rule `text` is the report's body and `expect` holds `date` (ISO, or None for no
    date) and optionally `rule` (the wording a reader sees). `page` holds the page's other facts:
    `dateline`, `published`, `html_date`, `page_dates`, `epaper`, `collected` (ISO day; the
    examples' default collection day when not given)."""

    text: str
    expect: Mapping[str, Any]
    page: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """One rule: its id (`stage.family.name`), a one-line reason with a Chinese example, the
    wording a reader sees when it takes part (a `str.format` template; None for a rule that only
    vetoes), a `short` form of that wording where another message quotes it, and its examples."""

    id: str
    reason: str
    examples: tuple[Example, ...]
    wording: str | None = None
    short: str | None = None

    @property
    def stage(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Pattern:
    """A word list or pattern as data: a regular expression with an id and examples that must and
    must not match (`how`: "search", "match" or "fullmatch", as the rules use it). It is used
    like the compiled expression it holds (search, match, finditer … are the expression's own)."""

    id: str
    regex: re.Pattern[str]
    matches: tuple[str, ...]
    not_matches: tuple[str, ...] = ()
    how: str = "search"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.regex, name)

    def check(self) -> Iterator[str]:
        """What is wrong with the examples, one line each (nothing when they all hold)."""
        test = getattr(self.regex, self.how)
        if not self.matches:
            yield f"{self.id}: no example that must {self.how}"
        for text in self.matches:
            if not test(text):
                yield f"{self.id}: should {self.how} {text!r}"
        for text in self.not_matches:
            if test(text):
                yield f"{self.id}: should not {self.how} {text!r}"


def pattern(
    pattern_id: str,
    regex: str,
    matches: tuple[str, ...],
    not_matches: tuple[str, ...] = (),
    how: str = "search",
    flags: int = 0,
) -> Pattern:
    return Pattern(pattern_id, re.compile(regex, flags), matches, not_matches, how)
