"""The report's headline, and the body without it.

Scraped text files start with zero to three headline lines (a kicker such as 踏上新征程 续写新篇章,
then the headline). A headline line is short and is not a sentence. When a page has no headline at
all, the title is derived from the first sentence's meeting clause (城关镇召开…推进会) and the rule
says so. HTML pages give their <title>, which wins.
"""

from __future__ import annotations

import re

from ..text import HAN

MAX_TITLE_CHARS = 64
MAX_DERIVED_CHARS = 30  # a clause shown as a title; the region reads all of it
_SENTENCE_END = tuple("。！？；!?;")
_EVENT_WORDS = re.compile(r"召开|会议|推进会|座谈会|部署|调研|督导|举行|开展|动员")
_EVENT_VERBS = re.compile(r"召开|举行|举办|部署|调研|督导|开展|动员")
_MEETING = re.compile(r"召开([^，。；、]{2,40}?(?:会议|会))")
_PLACE_SUBJECT = re.compile(rf"(?:^|[，。；])([{HAN}]{{2,10}}(?:镇|乡|县|区|市|村|街道|州|旗|盟))$")


def is_headline(line: str) -> bool:
    return (
        len(line) <= MAX_TITLE_CHARS
        and not line.endswith(_SENTENCE_END)
        and "，" not in line
        and not re.match(r"^\d{1,2}月\d{1,2}日", line)
    )


def split_title(text: str, html_title: str | None = None) -> tuple[str, str, str]:
    """Return (title, rule, body): the body is the text without its headline lines."""
    lines = text.split("\n")
    heads: list[str] = []
    while lines and len(heads) < 3 and is_headline(lines[0]) and len(lines) > 1:
        heads.append(lines.pop(0))
    body = "\n".join(lines)
    if html_title:
        return html_title, "the page's <title>", body
    if heads:
        if len(heads) == 1:
            return heads[0], "headline line", body
        # A kicker precedes the headline; the headline names the event.
        eventful = [h for h in heads if _EVENT_WORDS.search(h)]
        # A line that says what was done (——某乡召开推进会) names the event better than a photo
        # caption that only mentions a meeting (参加会议领导).
        acting = [h for h in eventful if _EVENT_VERBS.search(h)]
        chosen = (acting or eventful or heads)[-1].lstrip("—－- ")
        return chosen, f"headline line (of {len(heads)} headline lines)", body
    return derive_title(body), "derived from the first sentence (the page has no headline)", body


def derive_title(body: str) -> str:
    """A one-line title for a page without a headline: the longest line of its lead, cut to
    MAX_DERIVED_CHARS."""
    line = max(derive_lead(body).split("\n"), key=len).strip()
    return line if len(line) <= MAX_DERIVED_CHARS else line[:MAX_DERIVED_CHARS] + "…"


def derive_lead(body: str) -> str:
    """The meeting clause of the first sentence (城关镇召开…推进会), else its longest clause. The
    first sentence may run over the lines of a page's chrome; what it names still places the
    report, so the region reads the lead, while the title shown is one line of it."""
    first = re.split(r"[。！？]", body, maxsplit=1)[0]
    if m := _MEETING.search(first):
        before = first[: m.start()]
        meeting = m.group(1)
        if subject := _PLACE_SUBJECT.search(before):
            return f"{subject.group(1)}召开{meeting}"
        return meeting
    clause = re.split(r"[，；]", first)
    return max(clause, key=len) if clause else first


def find_meeting(body: str) -> str | None:
    """The meeting's name from the opening sentences (召开…推进会), when it is a meeting report."""
    opening = "".join(re.split(r"(?<=[。！？])", body)[:2])
    m = _MEETING.search(opening)
    return m.group(1) if m else None
