"""Chinese sentence splitting that never loses text at a boundary.

A sentence ends at 。！？ (with any closing quotes that follow) or at the end of a paragraph; a
paragraph without final punctuation is still a sentence (sumy's splitter drops it).
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』）)]*|(?=\n)|$)")


def split_sentences(text: str) -> list[str]:
    out: list[str] = []
    for paragraph in text.split("\n"):
        for m in _SENTENCE.finditer(paragraph):
            sentence = m.group(0).strip()
            if sentence:
                out.append(sentence)
    return out


_OPENERS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "「": "」", "【": "】"}
_CLOSERS = {close: open_ for open_, close in _OPENERS.items()}


def split_clauses(sentence: str, stops: str = "，；：,;:") -> list[str]:
    """The clauses of one sentence, without the stops between them and without its final 。！？.
    A stop inside quotes or brackets (“大排查、大整改，大落实”) does not end a clause, unless a
    bracket is never closed: then every stop does (a lost quote mark must not swallow the rest)."""
    body = sentence.rstrip("。！？!?")
    cuts = _clause_cuts(body, stops, nested=True)
    if cuts is None:
        cuts = _clause_cuts(body, stops, nested=False) or []
    pieces = [body[a:b] for a, b in zip([0, *(c + 1 for c in cuts)], [*cuts, len(body)], strict=True)]
    return [p for p in (p.strip() for p in pieces) if p]


def _clause_cuts(body: str, stops: str, nested: bool) -> list[int] | None:
    depth: list[str] = []
    cuts: list[int] = []
    for i, ch in enumerate(body):
        if nested and ch in _CLOSERS and depth and depth[-1] == _CLOSERS[ch]:
            depth.pop()
        elif nested and ch in _OPENERS:
            depth.append(ch)
        elif ch in stops and not depth:
            cuts.append(i)
    return None if depth else cuts
