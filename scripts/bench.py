"""Benchmark: reports/second for ingest + clean + extract + summarize, and peak memory.

Generates N variants of the seeds (default 600) in a temporary folder: re-encoded as GB18030,
Big5, UTF-16 and UTF-8, wrapped in HTML pages, with paragraphs dropped, repeated or reordered,
dates changed and page chrome added, so every file is different. Runs on one core (Python is
single-threaded here; BLAS threads are pinned to 1 for honesty). Prints one line per figure.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.clean import clean_text, to_simplified  # noqa: E402
from briefing.extract import extract_report  # noqa: E402
from briefing.extract.gazetteer import load_gazetteer  # noqa: E402
from briefing.ingest import IngestOptions, iter_input_files, read_source  # noqa: E402
from briefing.summarize.extractive import ExtractiveSummarizer  # noqa: E402

_PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
CHROME = [
    "电话: 0{a}-{b}",
    "Q Q: {b}{a}",
    "{a}阅读",
    "{b}.jpg",
    "编辑:张可 校对:申涵兮 审核:詹耘",
    "版权所有 COPYRIGHT 2011 网站备案号:蜀ICP备{b}号 技术支持:创企科技",
]


def make_variants(out: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    paths = []
    for i in range(count):
        text = texts[i % len(texts)]
        paragraphs = [p for p in text.split("\n") if p.strip()]
        head, rest = paragraphs[:2], paragraphs[2:]
        rng.shuffle(rest)
        keep = max(1, int(len(rest) * rng.uniform(0.4, 1.0)))
        rest = rest[:keep] + (rest[: rng.randint(0, 2)] if rng.random() < 0.3 else [])
        body = "\n".join(head + rest)
        body = re.sub(r"\d{1,2}月\d{1,2}日", f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日", body, count=1)
        lines = [c.format(a=rng.randint(10, 99999), b=rng.randint(100000, 9999999)) for c in rng.sample(CHROME, 3)]
        body = "\n".join([*lines[:2], body, lines[2]])
        kind = i % 6
        if kind == 0:  # GB18030, Simplified, no pinyin
            data = to_simplified(_PINYIN.sub("", body))[0].encode("gb18030", errors="replace")
            name = f"v{i:04d}.txt"
        elif kind == 1:  # Big5, Traditional, no pinyin (Big5 cannot encode tone marks)
            import opencc

            trad = opencc.OpenCC("s2t").convert(_PINYIN.sub("", body))
            data = trad.encode("big5", errors="replace")
            name = f"v{i:04d}.txt"
        elif kind == 2:  # UTF-16 with BOM
            data = body.encode("utf-16")
            name = f"v{i:04d}.txt"
        elif kind == 3:  # an HTML page
            paras = "".join(f"<p>{p}</p>" for p in body.split("\n"))
            title = head[0][:40]
            page = (
                f"<html><head><meta charset='utf-8'><title>{title}_县人民政府</title></head><body>"
                f"<div class='nav'><a href='/'>首页</a> | <a>新闻中心</a></div><div class='article'>"
                f"<h1>{title}</h1>{paras}</div><div class='footer'>版权所有 ICP备05003311号</div></body></html>"
            )
            data = page.encode("utf-8")
            name = f"v{i:04d}.html"
        else:  # UTF-8 as scraped
            data = body.encode("utf-8")
            name = f"v{i:04d}.txt"
        path = out / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600)
    args = parser.parse_args()

    t0 = time.perf_counter()
    load_gazetteer()
    gazetteer_s = time.perf_counter() - t0
    summarizer = ExtractiveSummarizer()
    options = IngestOptions()
    with tempfile.TemporaryDirectory(prefix="brief-bench-") as tmp:
        make_variants(Path(tmp), args.count)
        paths = list(iter_input_files(Path(tmp)))
        # Warm-up: first OpenCC, trafilatura and charset-normalizer calls load their data.
        for p in paths[:6]:
            ing = read_source(p, str(p), options)
            summarizer.summarize([extract_report(ing.source, clean_text(ing.text))])
        stage = {"ingest": 0.0, "clean": 0.0, "extract": 0.0, "summarize": 0.0}
        cpu0, wall0 = time.process_time(), time.perf_counter()
        done = 0
        for p in paths:
            a = time.perf_counter()
            ing = read_source(p, str(p), options)
            b = time.perf_counter()
            cleaned = clean_text(ing.text)
            c = time.perf_counter()
            report = extract_report(ing.source, cleaned)
            d = time.perf_counter()
            summarizer.summarize([report])
            e = time.perf_counter()
            stage["ingest"] += b - a
            stage["clean"] += c - b
            stage["extract"] += d - c
            stage["summarize"] += e - d
            done += 1
        wall = time.perf_counter() - wall0
        cpu = time.process_time() - cpu0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reports: {done} generated variants of the seeds (txt GB18030/Big5/UTF-16/UTF-8, HTML)")
    print(f"gazetteer load: {gazetteer_s:.2f} s")
    for name, seconds in stage.items():
        print(f"{name:<10} {seconds / done * 1000:7.2f} ms/report")
    print(f"throughput: {done / wall:.1f} reports/s wall, {done / cpu:.1f} reports/s per CPU-second (one core)")
    print(f"peak RSS: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
