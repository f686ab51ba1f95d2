"""Traditional -> Simplified (OpenCC t2s) that leaves names alone.

OpenCC's t2s also rewrites characters that are standard in Simplified names: 乾安县 becomes 干安县,
於潜镇 于潜镇, 濛江镇 蒙江镇, an official 王乾 王干 — even in text that is already Simplified, since
the table cannot tell a name from a word. A report that loses its county that way is placed
nowhere and shows 干安县 in its headline. So after converting a line, two kinds of names get their
characters back:
- the division list's names (full, short and former) that t2s would change: wherever the
  converted line shows t2s's spelling and the page wrote the name's own character there
  (乾安县 and the Traditional 乾安縣 both give 乾安县; 幹安縣 stays 干安县);
- officials' names (a title, then the name): a character that is itself a Simplified character as
  well as a Traditional one (t2s lists it among its own conversions: 乾, 於, 徵 …) is kept as the
  page wrote it; a purely Traditional one (張) is still converted.
OpenCC's dictionaries map every entry to a value of the same length, so the converted line lines
up with the original character by character (checked when the tables load).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class _Tables:
    convert: Callable[[str], str]
    changing: frozenset[str]  # every character of an entry t2s changes: other lines convert to themselves
    also_simplified: frozenset[str]  # characters t2s changes that are Simplified too (乾 -> 干 or 乾)


@functools.lru_cache(maxsize=1)
def _tables() -> _Tables:
    import opencc  # loads its dictionaries once; kept lazy so `brief --help` stays instant

    folder = Path(opencc.__file__).parent / "dictionary"
    changing: set[str] = set()
    also_simplified: set[str] = set()
    for name in ("TSCharacters.txt", "TSPhrases.txt"):
        for row in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = row.partition("\t")
            choices = values.split(" ")
            if not key or choices[0] == key:
                continue
            if len(choices[0]) != len(key):  # the alignment every rule below relies on
                raise RuntimeError(f"OpenCC entry {key} -> {choices[0]} changes the length")
            changing.update(key)
            if name == "TSCharacters.txt" and key in choices:
                also_simplified.add(key)
    return _Tables(opencc.OpenCC("t2s").convert, frozenset(changing), frozenset(also_simplified))


@functools.lru_cache(maxsize=1)
def _protected_places() -> tuple[dict[str, str], re.Pattern[str] | None]:
    """t2s's spelling -> the division's own name, for every name of the list t2s would change."""
    from .extract.gazetteer import load_gazetteer

    tables = _tables()
    gazetteer = load_gazetteer()
    names = set(gazetteer.by_name) | set(gazetteer.by_short) | set(gazetteer.former)
    by_converted: dict[str, str] = {}
    for name in names:
        if tables.changing.isdisjoint(name):
            continue
        converted = tables.convert(name)
        if converted != name:
            by_converted[converted] = name
    if not by_converted:
        return {}, None
    pattern = re.compile("|".join(re.escape(c) for c in sorted(by_converted, key=len, reverse=True)))
    return by_converted, pattern


def _keep_places(original: str, converted: list[str]) -> None:
    by_converted, pattern = _protected_places()
    if pattern is None:
        return
    for m in pattern.finditer("".join(converted)):
        name = by_converted[m.group(0)]
        span = original[m.start() : m.end()]
        # Only where the page wrote the name's own character at each place t2s changed it.
        if all(span[i] == name[i] for i, ch in enumerate(m.group(0)) if ch != name[i]):
            converted[m.start() : m.end()] = name


def _keep_official_names(original: str, converted: list[str]) -> None:
    from .extract.officials import find_officials

    also_simplified = _tables().also_simplified
    line = "".join(converted)
    for official in find_officials(line):
        for m in re.finditer(re.escape(official.name), line):
            for i in range(m.start(), m.end()):
                if original[i] in also_simplified:
                    converted[i] = original[i]


def simplify_line(line: str) -> str:
    """One line in Simplified script, names as the page wrote them."""
    tables = _tables()
    if tables.changing.isdisjoint(line):
        return line
    converted = list(tables.convert(line))
    _keep_places(line, converted)
    if not tables.also_simplified.isdisjoint(line):
        _keep_official_names(line, converted)
    return "".join(converted)


def to_simplified(text: str) -> tuple[str, int]:
    """Convert line by line; return the text and how many characters changed."""
    lines = text.split("\n")
    changed = 0
    for i, line in enumerate(lines):
        out = simplify_line(line)
        if out is not line:
            changed += sum(1 for a, b in zip(line, out, strict=True) if a != b)
            lines[i] = out
    return "\n".join(lines), changed
