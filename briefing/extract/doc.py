"""The report parsed once: headline, body, paragraphs, sentences, clauses, the lead, the opening,
venue phrases (在…召开) and the page's metadata, with offsets. Every rule reads this `Doc` instead
of splitting the text again (the shape of sumy's document model).

Two coordinate systems, both plain string offsets:
- body spans (`paragraphs`, `sentences`, `clauses`, `opening`) count from the start of `body`;
- text spans (`lead`, `venues`, `title_end`, `headline_line_end`) count from the start of `text`,
  which is the headline line, a newline, then the body: the text places are read from.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from ..models import PageMeta

OPENING_CHARS = 200  # the event date of a meeting report stands in its first sentence or two
SENTENCE_ENDS = "。！？"
CLAUSE_STOPS = "，。；\n"  # text.clause_start's default: the clause a figure or a date stands in

# 在万州区恒合乡召开, 在梅子镇政府会议室召开: the place (with its parents) written between 在/于 and
# the verb, a building of it allowed after the name. Read line by line (a venue never spans lines).
VENUE_PHRASE = re.compile(r"[在于]([^，。\n在于]{2,34}?)(?:召开|举行|举办|开班|开幕|启动|成立)")


@dataclass(frozen=True)
class Span:
    start: int
    end: int  # exclusive
    text: str


@dataclass(frozen=True)
class Venue:
    """A venue phrase of `text`: 在(place)召开. `place` is the span between 在/于 and the verb."""

    start: int  # where 在/于 stands
    place: Span
    end: int


def split_spans(text: str, stops: str) -> tuple[Span, ...]:
    """`text` cut at each stop character; the stops belong to no span (empty spans are kept, so
    that span i+1 starts right after stop i)."""
    spans: list[Span] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in stops:
            spans.append(Span(start, i, text[start:i]))
            start = i + 1
    spans.append(Span(start, len(text), text[start:]))
    return tuple(spans)


def split_sentences(text: str) -> tuple[Span, ...]:
    """Sentences ending after 。！？ (the mark is the sentence's last character); the last one may
    end without a mark, and is never lost. Empty pieces are not sentences."""
    spans: list[Span] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_ENDS:
            spans.append(Span(start, i + 1, text[start : i + 1]))
            start = i + 1
    if start < len(text):
        spans.append(Span(start, len(text), text[start:]))
    return tuple(spans)


def find_venues(text: str) -> tuple[Venue, ...]:
    venues: list[Venue] = []
    line_start = 0
    while line_start <= len(text):
        line_end = text.find("\n", line_start)
        end = len(text) if line_end < 0 else line_end
        for m in VENUE_PHRASE.finditer(text, line_start, end):
            venues.append(Venue(m.start(), Span(m.start(1), m.end(1), m.group(1)), m.end()))
        if line_end < 0:
            break
        line_start = line_end + 1
    return tuple(venues)


@dataclass(frozen=True)
class Doc:
    """One report, parsed once. `headline` is the line places are read from: the title, or on a page
    without one the lead's meeting clause ("" where only the body is read, as for the date)."""

    headline: str
    body: str
    meta: PageMeta = field(default_factory=PageMeta)
    html_date: str | None = None  # the publication date in the page's HTML metadata
    text: str = ""  # headline + "\n" + body
    paragraphs: tuple[Span, ...] = ()  # body lines, empty ones too
    sentences: tuple[Span, ...] = ()  # body sentences (see split_sentences)
    clauses: tuple[Span, ...] = ()  # body clauses, cut at CLAUSE_STOPS
    title_end: int = 0  # len(headline): a place before it is in the headline
    headline_line_end: int = 0  # the first newline of `text` (a derived headline may hold one)
    lead: Span = Span(0, 0, "")  # text span: the body's first sentence, up to its mark
    venues: tuple[Venue, ...] = ()  # text spans

    @classmethod
    def parse(
        cls,
        headline: str,
        body: str,
        meta: PageMeta | None = None,
        html_date: str | None = None,
    ) -> Doc:
        body_parts = {
            "paragraphs": split_spans(body, "\n"),
            "sentences": split_sentences(body),
            "clauses": split_spans(body, CLAUSE_STOPS),
        }
        doc = cls(
            headline=headline,
            body=body,
            meta=meta or PageMeta(),
            html_date=html_date,
            **body_parts,
        )
        return doc.with_headline(headline)

    def with_headline(self, headline: str) -> Doc:
        """The same report with another line to read places from (the text spans recomputed)."""
        text = f"{headline}\n{self.body}"
        line_end = text.find("\n")
        # The lead ends at the first 。！？ after the headline line (or with the text).
        ends = [i for i in (text.find(ch, line_end + 1) for ch in SENTENCE_ENDS) if i > 0]
        lead_end = min(ends, default=len(text))
        return replace(
            self,
            headline=headline,
            text=text,
            title_end=len(headline),
            headline_line_end=line_end,
            lead=Span(line_end, lead_end, text[line_end:lead_end]),
            venues=find_venues(text),
        )

    # --- body --------------------------------------------------------------------------------

    @property
    def opening(self) -> str:
        """The first OPENING_CHARS of the body: where a meeting report states its date."""
        return self.body[:OPENING_CHARS]

    def paragraph_starts(self, before: int) -> list[int]:
        """Where the body's lines start, those before `before`."""
        return [p.start for p in self.paragraphs if p.start < before]

    def first_sentence(self) -> str:
        """The body's first sentence without its mark ("" for an empty body)."""
        if not self.sentences:
            return ""
        first = self.sentences[0].text
        return first[:-1] if first.endswith(tuple(SENTENCE_ENDS)) else first

    def sentence_rest(self, at: int) -> str:
        """The body from `at` to the end of its sentence, the mark excluded."""
        i = bisect.bisect_right([s.start for s in self.sentences], at) - 1
        if i < 0:
            return ""
        sentence = self.sentences[i]
        end = sentence.end - 1 if sentence.text.endswith(tuple(SENTENCE_ENDS)) else sentence.end
        return self.body[at:end]

    def clause_at(self, pos: int) -> Span:
        """The body clause (cut at CLAUSE_STOPS) holding position `pos`."""
        i = bisect.bisect_right([c.start for c in self.clauses], pos) - 1
        return self.clauses[max(i, 0)]

    @property
    def first_full_stop(self) -> int:
        """Where the body's first 。 stands (its length without one): the first sentence of a
        date's adverbial day, which ！ and ？ do not end."""
        at = self.body.find("。")
        return at if at >= 0 else len(self.body)

    # --- text (headline line + body) ---------------------------------------------------------

    @property
    def body_start(self) -> int:
        return len(self.headline) + 1

    def venue_at(self, pos: int) -> Venue | None:
        """The venue phrase whose place holds text position `pos`, if any (the first on its line)."""
        for venue in self.venues:
            if venue.place.start <= pos < venue.place.end:
                return venue
        return None
