"""Benchmark: a week at volume, end to end — ingest, clean, facts, summaries, events, archive,
overview, chart and all three formats — through `briefing.pipeline.build`.

The week: `--events` distinct meetings (default 900) made from the report texts in the
repository (seeds, tests/data/facts, tests/data/facts_holdout) and, when present, the real pages
in ../shared/real/ (read here, never copied): each variant of a text gets its own day in the
opening and other figures, so they are the same press template on different days. Then 10% of
them are reposted (other chrome, Traditional script, truncated, wrapped in HTML, GB18030 bytes):
1,000 files. Runs on one core; prints

    volume reports=N seconds=S rss_mb=M

and the events found (a perfect run finds exactly `--events`). Then builds the next week with 50
of these pages scraped again, against the archive of the first, and prints that too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.clean import clean_text  # noqa: E402
from briefing.pipeline import build  # noqa: E402
from briefing.settings import load_settings  # noqa: E402
from briefing.week import IsoWeek  # noqa: E402

WEEK = IsoWeek.parse("2025-W20")
NEXT = IsoWeek.parse("2025-W21")
_MONTH_DAY = re.compile(r"(?<!\d)\d{1,2}月\d{1,2}日")
_NUMBER = re.compile(r"(?<![\d.])(\d{2,5})(?=[户人名元万个亩])")
CHROME_TOP = "首页 | 新闻中心 | 乡村振兴 | 政务公开\n当前位置：首页 > 基层动态\n浏览次数：{n}\n"
CHROME_BOTTOM = "\n【打印本页】【关闭窗口】\n版权所有：县人民政府办公室 备案号：ICP备{n}号"


def base_texts() -> list[str]:
    """Cleaned Simplified texts (so a variant's new day is really in its text), one per event:
    real pages labeled as reposts of another page are left out."""
    paths = sorted((ROOT / "seeds").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "data" / "facts").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "data" / "facts_holdout").glob("*.txt"))
    real = ROOT.parent / "shared" / "real"
    if (real / "labels.jsonl").is_file():
        rows = [json.loads(line) for line in (real / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line]
        tied = {r["file"] for r in rows if r.get("event_group") or r.get("related_not_same")}
        paths += [p for p in sorted((real / "pages").glob("*.txt")) if p.name not in tied]
    return [clean_text(p.read_text(encoding="utf-8")).text for p in paths]


def variant(text: str, index: int, rng: random.Random) -> str:
    """The same template on its own day, with other figures."""
    month, day = 1 + index // 28 % 12, 1 + index % 28
    stamp = f"{month}月{day}日"
    lines = [_MONTH_DAY.sub(stamp, line) for line in text.splitlines() if line.strip()]
    headline = len(lines) > 1 and len(lines[0]) <= 60  # else the first line is already the text
    head, body = (lines[0] + "\n", "\n".join(lines[1:])) if headline else ("", "\n".join(lines))
    if stamp not in body[:200]:
        body = f"{stamp}，{body}"
    body = _NUMBER.sub(lambda m: str(int(m.group(1)) + rng.randint(1, 97)), body)
    return head + body


def repost(text: str, kind: int, rng: random.Random) -> tuple[str, bytes]:
    if kind == 0:
        n = rng.randint(100, 99999)
        return ".txt", (CHROME_TOP.format(n=n) + text + CHROME_BOTTOM.format(n=n)).encode("utf-8")
    if kind == 1:
        import opencc

        return ".txt", opencc.OpenCC("s2t").convert(text).encode("utf-8")
    if kind == 2:
        return ".txt", text[: max(200, int(len(text) * 0.6))].encode("utf-8")
    if kind == 3:
        lines = [line for line in text.splitlines() if line.strip()]
        paras = "".join(f"<p>{line}</p>" for line in lines[1:])
        page = (
            f"<html><head><meta charset='utf-8'><title>{lines[0]}_县人民政府</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a></div><div class='article'><h1>{lines[0]}</h1>{paras}</div>"
            "<div class='footer'>版权所有 ICP备05003311号</div></body></html>"
        )
        return ".html", page.encode("utf-8")
    return ".txt", text.encode("gb18030", errors="replace")


def make_week(folder: Path, events: int, when: float, seed: int = 11) -> list[Path]:
    rng = random.Random(seed)
    texts = base_texts()
    folder.mkdir(parents=True, exist_ok=True)
    originals = []
    for i in range(events):
        text = variant(texts[i % len(texts)], i // len(texts) * 7 + i % 5, rng)
        path = folder / f"r{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        os.utime(path, (when, when))
        originals.append((path, text))
    for j, (path, text) in enumerate(rng.sample(originals, events // 9)):
        suffix, data = repost(text, j % 5, rng)
        target = folder / f"repost-{j:03d}-{path.stem}{suffix}"
        target.write_bytes(data)
        os.utime(target, (when, when))
    return [p for p, _ in originals]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=900)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="brief-volume-") as tmp:
        inp, out = Path(tmp) / "in", Path(tmp) / "out"
        this_week = dt.datetime.combine(WEEK.start, dt.time(10)).timestamp()
        originals = make_week(inp / "w20", args.events, this_week)
        settings = load_settings(flags={"input": inp, "out": out}, environ={})
        t0 = time.perf_counter()
        result = build(settings, WEEK)
        seconds = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        digest = result.digest
        reports = len(digest.reports)
        print(f"volume reports={reports} seconds={seconds:.1f} rss_mb={rss:.0f}")
        print(
            f"  events={len(digest.events)} (made {args.events}), provinces={digest.stats['provinces']}, "
            f"skipped={len(digest.skipped)}, archive={'ok' if not result.archive_error else result.archive_error}"
        )
        # Next week: 50 of these pages scraped again under new names, against the archive.
        next_week = dt.datetime.combine(NEXT.start, dt.time(10)).timestamp()
        for k, path in enumerate(originals[:50]):
            again = inp / "w21" / f"again-{k:02d}.txt"
            again.parent.mkdir(parents=True, exist_ok=True)
            again.write_bytes(path.read_bytes())
            os.utime(again, (next_week, next_week))
        t1 = time.perf_counter()
        second = build(settings, NEXT)
        marked = sum(1 for r in second.digest.reports if r.first_reported == str(WEEK))
        print(
            f"  next week: reports={len(second.digest.reports)} first_reported={marked} "
            f"seconds={time.perf_counter() - t1:.1f} (archive of {reports} reports)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
