"""Text constants and helpers shared by every stage: what counts as a Chinese character, the mark
for a lost character, the user-visible strings written in more than one place; and text that
leaves brief for a file or a terminal (file names that are not UTF-8 and control characters from
untrusted input are shown escaped, never passed through)."""

from __future__ import annotations

import re
from typing import Any

# Han ideographs, as a character-class body for regular expressions: the unified block, CJK
# Extension A (rare characters of place and person names: 㙟, 䢺) and the compatibility ideographs
# that some legacy encoders emit. One definition, so a character that counts as Chinese when a file
# is decoded also counts in the 20-character rule, in region matching and in the cleaner.
HAN = "\u3400-\u9fff\uf900-\ufaff"
HAN_CHAR = re.compile(f"[{HAN}]")

LOST_MARK = "\u25a1"  # □, the usual mark for an illegible character in Chinese text

# User-visible strings written by more than one module (templates keep their own wording).
UNPLACED = "地区未定"  # the region label of a report or event with no province found
# The digest's name, heading the wiki index block; settings and templates spell out their defaults.
DIGEST_TITLE = "乡村振兴周报"
NO_DATE_FOUND = "报告中没有找到日期"
NO_REGION_FOUND = "报告中没有找到地区"


def is_han(ch: str) -> bool:
    """Whether one character is a Han ideograph (see `HAN`)."""
    return bool(HAN_CHAR.fullmatch(ch))


def clause_start(text: str, pos: int, stops: str = "，。；\n") -> int:
    """Where the clause holding `pos` begins: just after the last stop character before it."""
    return max(text.rfind(ch, 0, pos) for ch in stops) + 1


def han_count(text: str) -> int:
    """How many Han ideographs `text` holds."""
    return len(HAN_CHAR.findall(text))


def text_path(path: object) -> str:
    """A file name as text that UTF-8 can carry. A name that is not UTF-8 (GBK bytes from a
    Windows scraper) reaches Python with each bad byte as a lone surrogate (surrogateescape);
    it is shown as \\xNN, the byte it stands for."""
    return _SURROGATE.sub(_escaped_byte, str(path))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped_byte(m: re.Match[str]) -> str:
    code = ord(m.group(0))
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def printable_path(path: object) -> str:
    """A file name as one visible line: control characters (a newline in a name!) are shown
    escaped, so a hostile file name cannot add lines to a digest or a log; bytes that are not
    UTF-8 are shown as \\xNN (see `text_path`)."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text_path(path))


def printable_text(text: object) -> str:
    """Report text for a terminal: line breaks and tabs stay, every other control character
    (ESC of a terminal escape sequence, BEL, a C1 CSI) is shown escaped and so does nothing."""
    return "\n".join(
        "".join(ch if ch.isprintable() or ch == "\t" else ch.encode("unicode_escape").decode("ascii") for ch in line)
        for line in text_path(text).split("\n")
    )


def json_safe(value: Any) -> Any:
    """Every string of the JSON export as UTF-8-encodable text (file names above all)."""
    if isinstance(value, str):
        return text_path(value)
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value
