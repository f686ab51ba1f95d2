"""Benchmark the seq2seq engine against the naive baseline (make bench-model).

Model: the exact google/mt5-small architecture with random weights (no download), and a
SentencePiece vocabulary trained on the seeds. Inputs: N reports of varied length (variants of
the seeds, 40 to ~600 tokens). Output length fixed at 64 new tokens, so both sides do the same
amount of decoding.

Naive baseline: transformers `generate` one report at a time, fp32. Ours: Seq2SeqEngine
(length-sorted batches within a token budget, inference mode, thread setting). Each run is a
separate process so its peak RSS is its own. Greedy and beam 4. The last line reads
`speedup greedy=X.XX beam4=Y.YY identical=0.NN` (identical: share of greedy outputs that are
token-identical to the baseline's).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NEW_TOKENS = 64


def make_inputs(count: int, seed: int = 11) -> list[str]:
    from briefing.clean import clean_text
    from briefing.sentences import split_sentences

    rng = random.Random(seed)
    sentences = [
        s
        for p in sorted((ROOT / "seeds").glob("*.txt"))
        for s in split_sentences(clean_text(p.read_text("utf-8")).text)
    ]
    texts = []
    for i in range(count):
        start = rng.randrange(len(sentences))
        take = 1 + (i * 7) % 14  # 1..14 sentences: short notices to long reports
        texts.append("".join(sentences[(start + k) % len(sentences)] for k in range(take)))
    return texts


def build_model(folder: Path) -> None:
    from briefing.clean import clean_text
    from briefing.evaluate.tinymodel import MT5_SMALL, TinyModelSpec, build_mt5

    texts = [clean_text(p.read_text("utf-8")).text for p in sorted((ROOT / "seeds").glob("*.txt"))]
    build_mt5(folder, texts, TinyModelSpec(MT5_SMALL, vocab_size=4000))


def run(mode: str, model: str, inputs_file: str, beams: int, out_file: str) -> None:
    """One measured run in this process: 'naive' or 'engine'."""
    texts = json.loads(Path(inputs_file).read_text("utf-8"))
    from briefing.summarize.seq2seq import GenerationSettings, Seq2SeqEngine, Seq2SeqOptions

    settings = GenerationSettings(
        num_beams=beams, max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS, no_repeat_ngram_size=0
    )
    engine = Seq2SeqEngine(Seq2SeqOptions(model=model, device="cpu"))
    torch = engine.torch
    start = time.perf_counter()
    if mode == "naive":
        ids = []
        for text in texts:
            encoded = engine.tokenizer(text, truncation=True, max_length=engine.max_input, return_tensors="pt")
            with torch.no_grad():
                result = engine.model.generate(**encoded, **settings.as_kwargs())
            ids.append(result[0].tolist()[1:])
    else:
        ids = engine.generate_ids(texts, settings)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(out_file).write_text(json.dumps({"seconds": seconds, "peak_mb": peak, "ids": ids}), "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=32)
    parser.add_argument("--run", nargs=5, metavar=("MODE", "MODEL", "INPUTS", "BEAMS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        mode, model, inputs, beams, out = args.run
        run(mode, model, inputs, int(beams), out)
        return 0

    with tempfile.TemporaryDirectory(prefix="brief-bench-model-") as tmp:
        folder = Path(tmp) / "mt5-small-random"
        t0 = time.perf_counter()
        build_model(folder)
        print(f"model: google/mt5-small architecture, random weights ({time.perf_counter() - t0:.0f} s to build)")
        texts = make_inputs(args.docs)
        inputs = Path(tmp) / "inputs.json"
        inputs.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
        from briefing.summarize.seq2seq import Seq2SeqEngine, Seq2SeqOptions

        lengths = Seq2SeqEngine(Seq2SeqOptions(model=str(folder), device="cpu")).count_tokens(texts)
        print(f"inputs: {len(texts)} reports, {min(lengths)}-{max(lengths)} tokens; {NEW_TOKENS} new tokens each")
        print(f"machine: {os.cpu_count()} CPU threads available")
        results: dict[tuple[str, int], dict] = {}
        for beams in (1, 4):
            for mode in ("naive", "engine"):
                out = Path(tmp) / f"{mode}-{beams}.json"
                cmd = [sys.executable, __file__, "--run", mode, str(folder), str(inputs), str(beams), str(out)]
                subprocess.run(cmd, check=True, env={**os.environ, "TOKENIZERS_PARALLELISM": "false"})
                results[(mode, beams)] = json.loads(out.read_text("utf-8"))
                r = results[(mode, beams)]
                label = "greedy" if beams == 1 else f"beam{beams}"
                print(
                    f"{mode:<7} {label:<6} {len(texts) / r['seconds']:6.2f} docs/s  "
                    f"{r['seconds']:7.1f} s  peak RSS {r['peak_mb']:.0f} MB"
                )
        speed = {b: results[("naive", b)]["seconds"] / results[("engine", b)]["seconds"] for b in (1, 4)}
        naive_ids, ours_ids = results[("naive", 1)]["ids"], results[("engine", 1)]["ids"]
        identical = sum(a == b for a, b in zip(naive_ids, ours_ids, strict=True)) / len(texts)
        print(f"speedup greedy={speed[1]:.2f} beam4={speed[4]:.2f} identical={identical:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
