"""The fidelity check: does a faster precision write what float32 writes?

Compared on token ids of greedy outputs for the same inputs: the share of outputs that are
token-identical, and the mean ROUGE-L F1 (longest common subsequence of tokens). A precision
passes when ≥ 90% of outputs are identical or the mean ROUGE-L is ≥ 0.95. On random weights every
step is a near-tie and int8 flips many of them, so the check means something only on a trained
model (tests/test_ct2.py runs it on one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MIN_IDENTICAL = 0.90
MIN_ROUGE_L = 0.95


@dataclass(frozen=True)
class Fidelity:
    identical: float  # share of outputs token-identical to the reference
    rouge_l: float  # mean token-level ROUGE-L F1 against the reference
    count: int

    @property
    def passed(self) -> bool:
        return self.identical >= MIN_IDENTICAL or self.rouge_l >= MIN_ROUGE_L

    def __str__(self) -> str:
        verdict = "passes" if self.passed else "fails"
        return f"{self.identical:.0%} token-identical, ROUGE-L {self.rouge_l:.3f} over {self.count}: {verdict}"


def rouge_l(reference: Sequence[int], candidate: Sequence[int]) -> float:
    """ROUGE-L F1 of two token sequences (1.0 for two empty ones)."""
    if not reference or not candidate:
        return float(not reference and not candidate)
    previous = [0] * (len(candidate) + 1)
    for token in reference:
        current = [0]
        for j, other in enumerate(candidate):
            current.append(previous[j] + 1 if token == other else max(previous[j + 1], current[j]))
        previous = current
    lcs = previous[-1]
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(candidate), lcs / len(reference)
    return 2 * precision * recall / (precision + recall)


def measure_fidelity(reference: Sequence[Sequence[int]], candidate: Sequence[Sequence[int]]) -> Fidelity:
    if len(reference) != len(candidate) or not reference:
        raise ValueError("fidelity needs the same, non-zero number of outputs on both sides")
    same = sum(list(a) == list(b) for a, b in zip(reference, candidate, strict=True))
    scores = [rouge_l(a, b) for a, b in zip(reference, candidate, strict=True)]
    return Fidelity(same / len(reference), sum(scores) / len(scores), len(reference))
