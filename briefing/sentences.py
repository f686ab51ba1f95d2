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
