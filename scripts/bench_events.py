"""Benchmark: event detection on a flood of near-identical reports, in a process of its own.

One invented meeting report is read through the real pipeline (clean, facts), then `--reports`
copies of it (default 10,000) are made that differ only in their figures, as when one report is
scraped again and again with a counter or a figure changed: all one event. Events are then
detected (`briefing.events.detect_events`: fingerprints, MinHash/LSH candidates, exact checks,
clustering) and timed; the peak RSS is this process's, so run it alone (`make bench` does).
Prints

    events near_identical=N seconds=S rss_mb=M events=E

Then a template flood (`--template-flood`, default 10,000): one press template for as many
townships of one county on one day, each its own meeting, so every pair shares its text and only
the facts keep them apart (a perfect run finds one event per report):

    events template_flood=N seconds=S rss_mb=M events=N

Each case runs in a process of its own, so that its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.clean import clean_text  # noqa: E402
from briefing.events import detect_events  # noqa: E402
from briefing.extract import extract_report  # noqa: E402
from briefing.models import Region, Report, SourceFile  # noqa: E402

TEMPLATE = """安龙县乡村振兴重点工作推进会召开
5月12日上午，安龙县乡村振兴重点工作推进会在县委党校召开。县委书记周明远主持会议并讲话，县长韩立新通报了一季度全县巩固拓展脱贫攻坚成果工作进展情况。
会上，县农业农村局、县乡村振兴局、县财政局和各乡镇主要负责同志分别汇报了产业发展、防返贫动态监测和衔接资金使用情况。今年以来，全县共排查农户{a}户，纳入监测对象{b}户，落实帮扶措施{c}条，下达衔接资金{d}万元。
周明远强调，各乡镇、各部门要清醒认识当前巩固拓展脱贫攻坚成果面临的形势，把防止规模性返贫作为底线任务，紧盯重点人群，落实一户一策，确保监测对象应纳尽纳、应帮尽帮。要做大做强特色产业，完善联农带农机制，让群众在产业链上稳定增收。
会议要求，要压紧压实责任，层层传导压力，强化督导考核，以作风建设的新成效推动各项工作落地落实，为全面推进乡村振兴打下坚实基础。"""

TOWNS = ("城关镇", "石门镇", "龙泉镇", "白沙镇", "青山镇", "河口镇", "新华乡", "和平乡", "太平乡", "永安乡")


def template_report() -> Report:
    text = TEMPLATE.format(a=3125, b=214, c=86, d=5620)
    collected = dt.datetime(2025, 5, 13, 9, 0)
    source = SourceFile("near/base.txt", len(text.encode()), "utf-8", collected, "text")
    return extract_report(source, clean_text(text))


def near_identical(count: int) -> list[Report]:
    """`count` copies of the template report whose figures differ: one meeting, one event."""
    base = template_report()
    reports = []
    for i in range(count):
        text = TEMPLATE.format(a=3000 + i, b=200 + i % 97, c=80 + i % 13, d=5000 + i)
        _title, _, body = clean_text(text).text.partition("\n")
        reports.append(replace(base, body=body, source=replace(base.source, path=f"near/{i:05d}.txt")))
    return reports


def template_flood(count: int) -> list[Report]:
    """`count` reports of one press template, each for its own township (a made-up name beyond
    the first ten) of one county on one day: every pair shares its text, none is one event."""
    base = template_report()
    reports = []
    for i in range(count):
        town = TOWNS[i] if i < len(TOWNS) else f"第{i}镇"
        text = TEMPLATE.format(a=3000 + i, b=200, c=80, d=5000).replace("全县", town)
        title, _, body = clean_text(text).text.partition("\n")
        region = replace(base.region, town=town) if isinstance(base.region, Region) else base.region
        source = replace(base.source, path=f"flood/{i:05d}.txt")
        reports.append(replace(base, title=title, body=body, region=region, source=source))
    return reports


def run(name: str, reports: list[Report]) -> None:
    t0 = time.perf_counter()
    events = detect_events(reports)
    seconds = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"events {name}={len(reports)} seconds={seconds:.1f} rss_mb={rss:.0f} events={len(events)}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000, help="near-identical reports (0: skip)")
    parser.add_argument("--template-flood", type=int, default=10_000, help="one template, many townships (0: skip)")
    parser.add_argument("--case", choices=("near_identical", "template_flood"), help="run this case here")
    args = parser.parse_args()
    if args.case == "near_identical":
        run(args.case, near_identical(args.reports))
    elif args.case == "template_flood":
        run(args.case, template_flood(args.template_flood))
    else:
        # Each case in a process of its own, so that its peak RSS is its own.
        for case, count in (("near_identical", args.reports), ("template_flood", args.template_flood)):
            if count:
                flags = ["--reports", str(args.reports), "--template-flood", str(args.template_flood)]
                subprocess.run([sys.executable, __file__, "--case", case, *flags], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
