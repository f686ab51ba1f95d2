"""Where a report can be read online: the page's own address, for the card's 来源 link.

A scraper knows the address of every page it saved; brief finds it in one of three places, first
found wins:
1. a sidecar the scraper wrote beside the file: `NAME.url` (the address alone, or a Windows
   `[InternetShortcut]` file with `URL=`) or `NAME.json` (an object with `url`), where NAME is the
   report's file name with or without its suffix (`p001.url` or `p001.txt.url` for `p001.txt`);
2. an HTML page's own declaration: `<link rel="canonical">`, else `<meta property="og:url">`;
3. a labelled line of a text file: `原文链接：http://…`, `原文地址：`, `URL: http://…` (the cleaner
   removes that line from the text).
Only absolute http(s) addresses are kept: a `javascript:` or `file:` link, or a relative one, is
no address a reader can open.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SIDECAR_SUFFIXES = (".url", ".json")
MAX_URL = 2000  # longer is no page address (and would swamp a card)
MAX_SIDECAR_BYTES = 64 * 1024  # a sidecar holds an address and a few fields, never a page

_URL = re.compile(r"https?://[^\s<>\"'，。；、）)】\]]+", re.IGNORECASE)
# 原文链接：http://…  原文地址: …  URL：…  网址：…  (a whole line, nothing else of substance on it)
LINK_LABEL = r"(?:原文链接|原文地址|原文网址|原文|本文链接|文章链接|来源链接|来源网址|网址|链接|URL|Url|url|Link|link)"
_LINK_LINE = re.compile(rf"^\s*[【\[]?{LINK_LABEL}[】\]]?\s*[:：]\s*(https?://\S+)\s*$", re.MULTILINE)
_SHORTCUT = re.compile(r"^\s*URL\s*=\s*(\S+)\s*$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class SourceLink:
    url: str
    origin: str  # where it was found: "sidecar p001.url", "canonical", "og:url", "原文链接 line"


def clean_url(candidate: str | None) -> str | None:
    """An absolute http(s) address, trimmed of trailing punctuation, or None."""
    if not candidate:
        return None
    match = _URL.match(candidate.strip())
    if not match:
        return None
    url = match.group(0).rstrip(".,;:!?")
    if len(url) > MAX_URL or any(ord(ch) < 32 for ch in url):
        return None
    return url


def sidecar_candidates(report: Path) -> tuple[Path, ...]:
    """The sidecar files a scraper may have written for `report`, most specific first."""
    names = [report.name, report.stem] if report.suffix else [report.name]
    return tuple(report.with_name(name + suffix) for name in names for suffix in SIDECAR_SUFFIXES)


def pair_sidecars(paths: Iterable[Path], is_report: Iterable[Path]) -> dict[Path, Path]:
    """sidecar -> report, for every file among `paths` that is a sidecar of a report file."""
    reports = set(is_report)
    pairs: dict[Path, Path] = {}
    for report in sorted(reports):
        for candidate in sidecar_candidates(report):
            if candidate in pairs or candidate in reports:
                continue
            pairs[candidate] = report
    present = set(paths)
    return {sidecar: report for sidecar, report in pairs.items() if sidecar in present}


def read_sidecar(path: Path) -> str | None:
    """The address in a sidecar file, or None when it holds none (or cannot be read)."""
    try:
        if path.stat().st_size > MAX_SIDECAR_BYTES:
            return None
        text = path.read_bytes().decode("utf-8-sig", "replace")
    except OSError:
        return None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        for key in ("url", "source_url", "link", "href"):
            if isinstance(data.get(key), str) and (url := clean_url(data[key])):
                return url
        return None
    shortcut = _SHORTCUT.search(text)
    if shortcut:
        return clean_url(shortcut.group(1))
    lines = [line for line in text.splitlines() if line.strip()]
    return clean_url(lines[0]) if lines else None


def link_from_sidecars(report: Path) -> SourceLink | None:
    for candidate in sidecar_candidates(report):
        if candidate.is_file() and (url := read_sidecar(candidate)):
            return SourceLink(url, f"sidecar {candidate.name}")
    return None


def link_in_html(html: str) -> SourceLink | None:
    """The page's canonical address, else its og:url."""
    import lxml.html  # lazy: only HTML inputs pay for it
    from lxml.etree import ParserError

    try:
        doc = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return None
    for xpath, origin in (
        ("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href", "canonical"),
        ("//meta[@property='og:url']/@content", "og:url"),
    ):
        for value in doc.xpath(xpath):
            if url := clean_url(str(value)):
                return SourceLink(url, origin)
    return None


def link_in_text(text: str) -> SourceLink | None:
    """A `原文链接：http://…` line of a text file."""
    match = _LINK_LINE.search(text)
    if match and (url := clean_url(match.group(1))):
        return SourceLink(url, "原文链接 line")
    return None


def is_link_line(line: str) -> bool:
    """Whether a whole line is a labelled source address (the cleaner removes it)."""
    match = _LINK_LINE.fullmatch(line)
    return match is not None and clean_url(match.group(1)) is not None
