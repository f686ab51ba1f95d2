"""The embedded extractive summarizer: 1-3 whole sentences of the report, deterministic.

A meeting report's summary should say who met, where, when and about what, and carry the hard
numbers. Each sentence is scored on those signals (a date, meeting verbs, the report's place,
officials' titles, counted figures), on its position (news puts the event first) and on its
overlap with the headline; quotes, exhortations and overlong sentences lose points. Sentences
are then picked greedily within the character budget, skipping near-duplicates, and returned
in the order of the report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Report, Summary
from ..sentences import split_sentences
from ..settings import SummarizeSettings

_DATE = re.compile(r"\d{1,2}月\d{1,2}日|(?:19|20)\d{2}年\d{1,2}月")
_EVENT = re.compile(r"召开|主持|出席|参加会议|推进会|座谈会|工作会|会议|部署|举行|调研|签署|交接|汇报|讲话")
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿)?(?:户|人|元|名|%|个(?:村|百分点|乡镇|社区)?|亩|项|次|家|吨|公里|个)")
_TITLE_WORDS = re.compile(r"书记|县长|区长|镇长|乡长|市长|主任|主席|局长|委员")
_EXHORTATION = re.compile(r"^(?:要|必须|坚持|进一步|切实|全面|深入|一要|二要|三要|四要|同时)")
_ATTRIBUTION = re.compile(r"(?:表示|说|介绍|指出|认为)[。！]$")
_LOST = "\u25a1"
MIN_SHARE_OF_BEST = 0.35
_DEFAULTS = SummarizeSettings()  # [summarize] max_chars and max_sentences


@dataclass(frozen=True)
class ExtractiveSummarizer:
    name: str = "extractive"
    max_chars: int = _DEFAULTS.max_chars
    max_sentences: int = _DEFAULTS.max_sentences
    overlong: int = 150  # a sentence longer than this is a paragraph in disguise

    @classmethod
    def from_settings(cls, settings: SummarizeSettings) -> ExtractiveSummarizer:
        return cls(max_chars=settings.max_chars, max_sentences=settings.max_sentences)

    def summarize(self, reports: Sequence[Report]) -> list[Summary]:
        return [Summary(text=self.summarize_text(r.body, r.title, r.region.path()), backend=self.name) for r in reports]

    def summarize_text(self, body: str, title: str = "", places: tuple[str, ...] = ()) -> str:
        sentences = split_sentences(body)
        if not sentences:
            return ""
        scored = [(self._score(s, i, title, places), i, s) for i, s in enumerate(sentences)]
        ranked = sorted(scored, key=lambda x: (-x[0], x[1]))
        chosen: list[tuple[int, str]] = []
        used = 0
        for score, index, sentence in ranked:
            if len(chosen) >= self.max_sentences:
                break
            # Further sentences must be worth reading next to the best one, and fit the budget.
            if chosen and (score < MIN_SHARE_OF_BEST * ranked[0][0] or used + len(sentence) > self.max_chars):
                continue
            if any(_similar(sentence, other) for _, other in chosen):
                continue
            chosen.append((index, sentence))
            used += len(sentence)
            if used >= self.max_chars:
                break
        return "".join(s for _, s in sorted(chosen))

    def _score(self, sentence: str, index: int, title: str, places: tuple[str, ...]) -> float:
        length = len(sentence)
        score = 2.0 / (1 + index)  # lead bias: the event comes first in news writing
        signals = 0.0
        if _DATE.search(sentence):
            signals += 2.0
        signals += min(len(_EVENT.findall(sentence)), 3) * 0.8
        signals += min(len(_FIGURE.findall(sentence)), 4) * 0.9
        signals += min(len(_TITLE_WORDS.findall(sentence)), 2) * 0.3
        if any(p and p in sentence for p in places):
            signals += 1.0
        # Scene-setting colour ("仲冬时节，脐橙熟了") says nothing a briefing needs.
        score += signals if signals else -1.5
        score += 2.0 * _overlap(sentence, title)
        if _ATTRIBUTION.search(sentence) and length < 25:
            return float("-inf")  # "…相关领导表示。" only attributes the quote before it
        if sentence.startswith(("“", '"', "「")):
            score -= 2.0
        if _EXHORTATION.match(sentence):
            score -= 1.0
        if _LOST in sentence:
            score -= 0.5
        if length < 12:
            score -= 2.0
        if length > self.max_chars:
            score -= 1.5 + (length - self.max_chars) / 60
        if length > self.overlong:
            score -= 1.0
        return score


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _overlap(sentence: str, title: str) -> float:
    """Share of the headline's character bigrams that the sentence contains."""
    title_grams = _bigrams(title)
    if not title_grams:
        return 0.0
    return len(title_grams & _bigrams(sentence)) / len(title_grams)


def _similar(a: str, b: str) -> bool:
    ga, gb = _bigrams(a), _bigrams(b)
    if not ga or not gb:
        return a == b
    return len(ga & gb) / min(len(ga), len(gb)) > 0.6
