"""The figures behind the guard's thresholds (README, "Faithfulness guard"):

- the support and repeated-trigram share of our hand-written reference summaries of the seeds,
  of the trained tiny model's outputs on held-out text, and of random-weight outputs (MT5 +
  SentencePiece, T5 + BertTokenizer, BART + BertTokenizer; three seeds each) on the seeds;
- the guard's pass rate on each, with the rejections by kind.

Models come from tests/tinymodels.py (cached in .pytest_cache/tinymodels). Run: make eval-guard
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# tests/ holds the tiny-model builders, the repository root the (unshipped) evaluation package.
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from tinymodels import CACHE, build_random_seq2seq, heldout_pairs, train_tiny_seq2seq  # noqa: E402

from briefing.ingest import IngestOptions, iter_input_files  # noqa: E402
from briefing.pipeline import process_file  # noqa: E402
from briefing.summarize.guard import check_batch, reason_kind, repeated_share, support  # noqa: E402
from briefing.summarize.seq2seq import GenerationSettings, Seq2SeqEngine, Seq2SeqOptions  # noqa: E402

GREEDY = GenerationSettings(num_beams=1, max_new_tokens=80, min_new_tokens=0, no_repeat_ngram_size=0)


def describe(name: str, outputs: list[str], sources: list[str]) -> None:
    reasons = check_batch(outputs, sources)
    supports = sorted(support(o, s) for o, s in zip(outputs, sources, strict=True) if o)
    repeats = sorted(repeated_share(o) for o in outputs if o)
    kinds = Counter(reason_kind(r) for r in reasons if r)
    passed = sum(r is None for r in reasons)
    print(f"{name}: {passed}/{len(outputs)} pass ({passed / len(outputs):.0%})")
    if supports:
        print(f"  support min {supports[0]:.2f} median {supports[len(supports) // 2]:.2f} max {supports[-1]:.2f}")
        print(f"  repeated trigrams min {repeats[0]:.2f} median {repeats[len(repeats) // 2]:.2f} max {repeats[-1]:.2f}")
    if kinds:
        print("  rejected: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))


def main() -> None:
    reports = [process_file(p, IngestOptions()) for p in iter_input_files(ROOT / "seeds")]
    bodies = [r.body for r in reports]
    references = json.loads((ROOT / "tests" / "data" / "reference_summaries.json").read_text(encoding="utf-8"))
    names = [Path(r.source.path).name for r in reports]
    describe("reference summaries (hand-written)", [references[n] for n in names], bodies)

    start = time.process_time()
    trained = train_tiny_seq2seq(CACHE)
    print(f"trained tiny BART: {trained.name} (training or loading took {time.process_time() - start:.0f} s CPU)")
    pairs = heldout_pairs(trained)
    engine = Seq2SeqEngine(Seq2SeqOptions(model=str(trained), device="cpu", threads=1))
    outputs = engine.generate([s for s, _ in pairs], GREEDY)
    exact = sum(o == lead for o, (_, lead) in zip(outputs, pairs, strict=True))
    describe(f"trained tiny BART on {len(pairs)} held-out texts ({exact} exact leads)", outputs, [s for s, _ in pairs])

    random_outputs: list[str] = []
    for arch in ("mt5", "t5", "bart"):
        for seed in range(3):
            folder = build_random_seq2seq(CACHE, arch, seed)
            engine = Seq2SeqEngine(Seq2SeqOptions(model=str(folder), device="cpu", threads=1))
            outputs = engine.generate(bodies, GREEDY)
            describe(f"random {arch} seed {seed}", outputs, bodies)
            random_outputs += outputs
            print("  e.g. " + repr(outputs[0][:60]))
    describe("random, all 9 models", random_outputs, bodies * 9)


if __name__ == "__main__":
    main()
