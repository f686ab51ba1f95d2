"""Benchmark every seq2seq engine and precision against naive generate() (make bench-model).

Model: the exact google/mt5-small architecture with random weights (no download), and a
SentencePiece vocabulary trained on the seeds. Inputs: N reports of varied length (variants of
the seeds). Output length is fixed (min = max new tokens), so every configuration does the same
amount of decoding.

Configurations, each greedy and beam 4:
  naive          transformers generate(), one report at a time, fp32 (the baseline)
  torch-fp32     brief's torch engine (length-sorted batches, beam cache without cross-attention reordering)
  torch-int8     the same with dynamic int8 Linear layers
  ct2-int8 / ct2-int8_float32 / ct2-float32   CTranslate2 on the converted checkpoint

Every measured run is a fresh child process started by this parent, which never imports torch,
transformers or ctranslate2; the child reports its own peak resident memory (VmHWM, which exec
resets), so each configuration's peak is its own. Each child also reports its load time and the
latency of one report with the model loaded.

The last line is for the configuration `brief build --model` uses by default on CPU:
`speedup greedy=X beam4=Y identical=Z rss_mb=N backend=NAME`, where identical is the share of
greedy outputs of that engine in float32 that are token-identical to the naive baseline's.

Quick mode for development: --quick (or BENCH_QUICK=1): 8 reports, 24 new tokens.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONFIGS = ("naive", "torch-fp32", "torch-int8", "ct2-int8", "ct2-int8_float32", "ct2-float32")
FP32_OF = {"ctranslate2": "ct2-float32", "torch": "torch-fp32"}  # the float32 twin of each engine


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


def peak_rss_mb() -> float:
    """This process's own peak resident set (VmHWM starts afresh at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource  # not Linux: ru_maxrss (may include the parent's peak before exec)

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- children -----------------------------------------------------------------------------------


def child_prepare(folder: Path, inputs_file: Path, out_file: Path) -> None:
    """Build the model, convert it for CTranslate2, count input tokens."""
    from briefing.clean import clean_text
    from briefing.summarize.ct2 import convert_checkpoint
    from evaluation.tinymodel import MT5_SMALL, TinyModelSpec, build_mt5

    info: dict = {}
    if not (folder / "config.json").is_file():
        t0 = time.perf_counter()
        texts = [clean_text(p.read_text("utf-8")).text for p in sorted((ROOT / "seeds").glob("*.txt"))]
        build_mt5(folder, texts, TinyModelSpec(MT5_SMALL, vocab_size=4000))
        info["build_s"] = time.perf_counter() - t0
    info["convert_s"] = {
        q: convert_checkpoint(str(folder), q).seconds for q in ("int8", "int8_float32", "float32")
    }  # 0 when converted by an earlier run
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    texts = json.loads(inputs_file.read_text("utf-8"))
    info["lengths"] = [len(ids) for ids in tokenizer(texts)["input_ids"]]
    out_file.write_text(json.dumps(info), "utf-8")


def child_run(config: str, model: str, inputs_file: Path, beams: int, new_tokens: int, out_file: Path) -> None:
    texts = json.loads(inputs_file.read_text("utf-8"))
    from briefing.summarize.seq2seq import GenerationSettings, Seq2SeqOptions

    settings = GenerationSettings(
        num_beams=beams, max_new_tokens=new_tokens, min_new_tokens=new_tokens, no_repeat_ngram_size=0
    )
    start = time.perf_counter()
    engine = load(config, Seq2SeqOptions(model=model, device="cpu"))
    load_s = time.perf_counter() - start
    if config == "naive":

        def generate(batch: list[str]) -> list[list[int]]:
            torch = engine.torch
            ids = []
            for text in batch:
                encoded = engine.tokenizer(text, truncation=True, max_length=engine.max_input, return_tensors="pt")
                with torch.no_grad():
                    result = engine.model.generate(**encoded, **settings.as_kwargs())
                ids.append(engine.strip_row(result[0].tolist()))
            return ids
    else:

        def generate(batch: list[str]) -> list[list[int]]:
            return engine.generate_ids(batch, settings)

    middle = sorted(texts, key=len)[len(texts) // 2]
    generate([texts[0][:20]])  # warm-up: first-call allocations are load time, not latency
    start = time.perf_counter()
    generate([middle])
    latency_s = time.perf_counter() - start
    start = time.perf_counter()
    ids = generate(texts)
    seconds = time.perf_counter() - start
    result = {"seconds": seconds, "load_s": load_s, "latency_s": latency_s, "peak_mb": peak_rss_mb(), "ids": ids}
    out_file.write_text(json.dumps(result), "utf-8")


def load(config: str, options):
    import dataclasses

    from briefing.summarize.seq2seq import Seq2SeqEngine

    if config in ("naive", "torch-fp32"):
        return Seq2SeqEngine(dataclasses.replace(options, precision="float32"))
    if config == "torch-int8":
        return Seq2SeqEngine(dataclasses.replace(options, precision="int8"))
    from briefing.summarize.ct2 import Ct2Engine, convert_checkpoint
    from briefing.summarize.runtime import RuntimePlan

    precision = config.split("-", 1)[1]
    converted = convert_checkpoint(options.model, precision).path
    return Ct2Engine(options, RuntimePlan("ctranslate2", precision, "cpu", "bench"), converted)


# --- the lean parent ------------------------------------------------------------------------------


def spawn(*args: str) -> None:
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false"}
    subprocess.run([sys.executable, __file__, *args], check=True, env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=None, help="reports (default 32; 8 with --quick)")
    parser.add_argument("--new-tokens", type=int, default=None, help="tokens generated per report (default 64)")
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_QUICK")))
    parser.add_argument("--model-dir", type=Path, help="build the model here, or reuse it (default: a temp folder)")
    parser.add_argument("--configs", default=",".join(CONFIGS), help="comma-separated subset of: " + ", ".join(CONFIGS))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "prepare":
            child_prepare(Path(rest[0]), Path(rest[1]), Path(rest[2]))
        else:
            child_run(rest[0], rest[1], Path(rest[2]), int(rest[3]), int(rest[4]), Path(rest[5]))
        return 0
    assert "torch" not in sys.modules, "the parent must stay lean"
    docs = args.docs or (8 if args.quick else 32)
    new_tokens = args.new_tokens or (24 if args.quick else 64)
    configs = [c for c in args.configs.split(",") if c]
    with tempfile.TemporaryDirectory(prefix="brief-bench-model-") as tmp:
        folder = args.model_dir or Path(tmp) / "mt5-small-random"
        texts = make_inputs(docs)
        inputs = Path(tmp) / "inputs.json"
        inputs.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
        prepared = Path(tmp) / "prepared.json"
        spawn("--child", "prepare", str(folder), str(inputs), str(prepared))
        info = json.loads(prepared.read_text("utf-8"))
        lengths = info["lengths"]
        if "build_s" in info:
            print(f"model: google/mt5-small architecture, random weights ({info['build_s']:.0f} s to build)")
        converted = ", ".join(f"{q} {s:.0f} s" for q, s in info["convert_s"].items() if s)
        print(f"CTranslate2 conversion: {converted or 'already converted'}")
        print(f"inputs: {len(texts)} reports, {min(lengths)}-{max(lengths)} tokens; {new_tokens} new tokens each")
        print(f"machine: {os.cpu_count()} CPU threads; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(
            f"{'config':<17}{'mode':<7}{'reports/s':>10}{'× naive':>9}{'seconds':>9}"
            f"{'load s':>8}{'1 report s':>11}{'peak RSS MB':>12}{'= naive':>9}"
        )
        results: dict[tuple[str, int], dict] = {}
        for beams in (1, 4):
            for config in configs:
                out = Path(tmp) / f"{config}-{beams}.json"
                spawn("--child", "run", config, str(folder), str(inputs), str(beams), str(new_tokens), str(out))
                r = results[(config, beams)] = json.loads(out.read_text("utf-8"))
                naive = results.get(("naive", beams))
                times = f"{naive['seconds'] / r['seconds']:8.2f}×" if naive else f"{'':>9}"
                same = f"{_identical(naive['ids'], r['ids']):9.2f}" if naive else ""
                label = "greedy" if beams == 1 else f"beam{beams}"
                print(
                    f"{config:<17}{label:<7}{len(texts) / r['seconds']:10.2f}{times}{r['seconds']:9.1f}"
                    f"{r['load_s']:8.1f}{r['latency_s']:11.2f}{r['peak_mb']:12.0f}{same}",
                    flush=True,
                )
        _agreement(results, configs)
        _final_line(results, str(folder))
    return 0


def _identical(a: list[list[int]], b: list[list[int]]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def _agreement(results: dict, configs: list[str]) -> None:
    """int8 against its float32 twin. Random weights make every step a near-tie, so this is the
    worst case; the fidelity gate itself runs on a trained model (tests/test_ct2.py)."""
    from evaluation.fidelity import measure_fidelity

    for int8, fp32 in (("torch-int8", "torch-fp32"), ("ct2-int8", "ct2-float32"), ("ct2-int8_float32", "ct2-float32")):
        if int8 in configs and fp32 in configs:
            fidelity = measure_fidelity(results[(fp32, 1)]["ids"], results[(int8, 1)]["ids"])
            print(f"greedy {int8} against {fp32} (random weights): {fidelity}")


def _final_line(results: dict, folder: str) -> None:
    from briefing.summarize.runtime import plan_runtime

    plan = plan_runtime(folder, device="cpu")
    if plan.engine == "ctranslate2":
        name = f"ct2-{plan.precision}"
    else:
        name = "torch-int8" if plan.precision == "int8" else "torch-fp32"
    assert "torch" not in sys.modules, "the parent must stay lean"
    twin = FP32_OF[plan.engine]
    if any((c, b) not in results for c in ("naive", name, twin) for b in (1, 4)):
        print(f"default on CPU: {plan.label}; run naive, {name} and {twin} for the speedup line")
        return
    speed = {b: results[("naive", b)]["seconds"] / results[(name, b)]["seconds"] for b in (1, 4)}
    identical = _identical(results[("naive", 1)]["ids"], results[(twin, 1)]["ids"])
    rss = max(results[(name, b)]["peak_mb"] for b in (1, 4))
    print(f"default on CPU: {plan.label} ({plan.reason})")
    speedup = f"speedup greedy={speed[1]:.2f} beam4={speed[4]:.2f}"
    print(f"{speedup} identical={identical:.2f} rss_mb={rss:.0f} backend={name}")


if __name__ == "__main__":
    sys.exit(main())
