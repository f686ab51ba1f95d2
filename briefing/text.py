"""Text that leaves brief for a file or a terminal: file names that are not UTF-8 and control
characters from untrusted input are shown escaped, never passed through."""

from __future__ import annotations

import re
from typing import Any


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
