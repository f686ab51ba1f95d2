"""Events across sources, on a week built from the real pages in ../shared/real/.

The week: every real page (some of which are real reposts of one event: `event_group` in
labels.jsonl), plus reposts we make of some originals (other chrome, Traditional via OpenCC,
truncated, wrapped in an HTML page, GB18030 bytes) and hard negatives (the same text for a
sibling township, or on another day). The real CLI builds the week; the JSON's event ids must
give every repost its original's event and merge no negative, and no two real pages that the
labels say are different events.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REAL

from briefing.cli import main
from briefing.events import EventFacts, facts_conflict, same_event, shingle_hashes, similarity
from briefing.extract.gazetteer import TOWN, load_gazetteer
from briefing.ingest import IngestOptions
from briefing.pipeline import process_file

WEEK = "2025-W20"
IN_WEEK = dt.datetime(2025, 5, 14, 9, 0).timestamp()
ORIGINALS = 10  # pages that get the five reposts
NEGATIVES = 16  # pages that get a sibling-township or another-day twin

pytestmark = pytest.mark.skipif(not (REAL / "labels.jsonl").is_file(), reason="../shared/real/ is not here")

CHROME_TOP = (
    "首页 | 新闻中心 | 乡村振兴 | 政务公开\n当前位置：首页 > 新闻中心 > 基层动态\n"
    "来源：县融媒体中心客户端 浏览次数：1032\n"
)
CHROME_BOTTOM = (
    "\n【打印本页】【关闭窗口】\n扫一扫在手机打开当前页\n版权所有：某某县人民政府办公室 备案号：黔ICP备05003311号"
)


def labels() -> list[dict]:
    return [json.loads(line) for line in (REAL / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line]


def put(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (IN_WEEK, IN_WEEK))
    return path


def to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def html_page(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    title, body = lines[0], lines[1:]
    paragraphs = "".join(f"<p>{line}</p>" for line in body)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}_县人民政府网</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/x'>政务公开</a> <a href='/y'>新闻中心</a></div>"
        f"<div class='article'><h1>{title}</h1>{paragraphs}</div>"
        "<div class='footer'>版权所有 县人民政府 ICP备05003311号 技术支持：某某科技</div></body></html>"
    )


def reposts_of(text: str) -> dict[str, bytes]:
    """Five reposts of one page, as other sites and scrapers save them."""
    cut = text[: max(200, int(len(text) * 0.6))]
    return {
        "chrome.txt": (CHROME_TOP + text + CHROME_BOTTOM).encode("utf-8"),
        "trad.txt": to_traditional(text).encode("utf-8"),
        "cut.txt": cut.encode("utf-8"),
        "page.html": html_page(text).encode("utf-8"),
        "gb.txt": text.encode("gb18030", errors="replace"),
    }


def sibling_town(town: str, county: str) -> str | None:
    """Another township of the same county whose name is unique in the country."""
    gaz = load_gazetteer()
    for place in gaz.find(town):
        if place.level != TOWN or gaz.ancestors(place.code).get(3) is None:
            continue
        if gaz.ancestors(place.code)[3].name != county:
            continue
        siblings = sorted(
            p.name
            for p in gaz.places.values()
            if p.level == TOWN and p.parent == place.parent and p.name != town and len(gaz.by_name.get(p.name, ())) == 1
        )
        return siblings[0] if siblings else None
    return None


_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")


def another_day(text: str, month: int, day: int) -> str:
    other = day + 1 if day < 27 else day - 1
    return text.replace(f"{month}月{day}日", f"{month}月{other}日")


@pytest.fixture(scope="module")
def real_week(tmp_path_factory):
    """Build the week once; return (json, {file name: what it is})."""
    tmp = tmp_path_factory.mktemp("events")
    inp = tmp / "in"
    rows = labels()
    grouped = {r["id"] for r in rows if r.get("event_group") or r.get("related_not_same")}
    related = {r["related_not_same"] for r in rows if r.get("related_not_same")}
    roles: dict[str, tuple[str, str]] = {}  # file name -> (kind, original file name)
    originals, negatives = [], []
    for row in rows:
        path = REAL / "pages" / row["file"]
        put(inp / row["file"], path.read_bytes())
        roles[row["file"]] = ("real", row["file"])
        if row["id"] in grouped or row["id"] in related or path.suffix != ".txt":
            continue
        try:
            report = process_file(path, IngestOptions())
        except Exception:
            continue
        text = path.read_text(encoding="utf-8")
        if len(originals) < ORIGINALS and report.region.county and report.date.rule.startswith("正文"):
            originals.append(row["file"])
            for suffix, data in reposts_of(text).items():
                name = f"repost-{path.stem}-{suffix}"
                put(inp / name, data)
                roles[name] = ("repost", row["file"])
        if len(negatives) < NEGATIVES and report.region.town and report.region.county:
            sibling = sibling_town(report.region.town, report.region.county)
            twin = text.replace(report.region.town, sibling) if sibling else text
            if sibling and twin != text:
                name = f"negative-{path.stem}-town.txt"
                put(inp / name, twin.encode("utf-8"))
                roles[name] = ("negative", row["file"])
                negatives.append(row["file"])
        d = report.date
        if len(negatives) < NEGATIVES and d.rule.startswith("正文") and d.month and d.day:
            twin = another_day(text, d.month, d.day)
            if twin != text:
                name = f"negative-{path.stem}-day.txt"
                put(inp / name, twin.encode("utf-8"))
                roles[name] = ("negative", row["file"])
                negatives.append(row["file"])
    assert len(originals) == ORIGINALS and len(negatives) >= NEGATIVES
    out = tmp / "out"
    result = CliRunner().invoke(main, ["build", "--week", WEEK, "--input", str(inp), "--out", str(out), "-q"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads((out / f"{WEEK}.json").read_text(encoding="utf-8"))
    return data, roles, rows


def _event_of(data: dict) -> dict[str, str]:
    return {Path(r["source"]).name: r["event"] for r in data["reports"]}


def test_every_repost_gets_its_originals_event(real_week):
    data, roles, _ = real_week
    event = _event_of(data)
    reposts = [(name, original) for name, (kind, original) in roles.items() if kind == "repost"]
    assert len(reposts) == 5 * ORIGINALS
    missing = [name for name, original in reposts if name not in event]
    assert not missing, f"reposts not in the digest: {missing}"
    wrong = [name for name, original in reposts if event[name] != event[original]]
    assert not wrong, f"reposts with an event of their own: {wrong}"


def test_no_hard_negative_is_merged(real_week):
    data, roles, _ = real_week
    event = _event_of(data)
    negatives = [(name, original) for name, (kind, original) in roles.items() if kind == "negative"]
    assert len(negatives) >= NEGATIVES
    merged = [name for name, original in negatives if event[name] == event[original]]
    assert not merged, f"a township's or a day's twin merged with its original: {merged}"
    kinds = {name.rsplit("-", 1)[1] for name, _ in negatives}
    assert kinds == {"town.txt", "day.txt"}


def test_hard_negatives_are_near_duplicates_in_text(real_week):
    # Guard for the test above: each twin shares nearly all its text with its original, so only
    # the facts (township, day) can keep them apart.
    data, roles, _ = real_week
    inp = Path(data["reports"][0]["source"]).parent
    for name, (kind, original) in roles.items():
        if kind != "negative":
            continue
        a = process_file(inp / original, IngestOptions())
        b = process_file(inp / name, IngestOptions())
        _, containment = similarity(shingle_hashes(f"{a.title}\n{a.body}"), shingle_hashes(f"{b.title}\n{b.body}"))
        assert containment >= 0.8, (name, containment)
        assert facts_conflict(EventFacts.from_report(a), EventFacts.from_report(b)), name


def test_real_pages_merge_only_within_their_labeled_event(real_week):
    data, roles, rows = real_week
    event = _event_of(data)
    group = {r["file"]: r.get("event_group") for r in rows}
    by_event: dict[str, list[str]] = {}
    for name, (kind, _) in roles.items():
        if kind == "real" and name in event:
            by_event.setdefault(event[name], []).append(name)
    false_merges = [
        names for names in by_event.values() if len(names) > 1 and len({group[n] for n in names} - {None}) != 1
    ]
    false_merges += [names for names in by_event.values() if len(names) > 1 and any(group[n] is None for n in names)]
    assert not false_merges, f"pages of different events merged: {false_merges}"
    # Recall on the labeled real reposts: 7 of the 11 same-event pairs are found (missed: two
    # rewrites sharing 3–7% of their text with dates read differently, and a district's report
    # against two mirrors that name only the city; see README).
    pairs = found = 0
    labeled: dict[str, list[str]] = {}
    for r in rows:
        if r.get("event_group") and r["file"] in event:
            labeled.setdefault(r["event_group"], []).append(r["file"])
    for names in labeled.values():
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                pairs += 1
                found += event[a] == event[b]
    assert pairs == 11 and found >= 7, (found, pairs)


def test_overview_counts_the_distinct_event_ids(real_week):
    data, _, _ = real_week
    assert data["overview"]["events"] == len({r["event"] for r in data["reports"]})
    assert data["overview"]["reports"] == len(data["reports"])


def test_a_township_twin_is_kept_apart_by_its_facts_not_its_text():
    # Identical press-template text: only the township differs. Without the facts rule they would merge.
    a = EventFacts(province="甘肃省", city="天水市", county="麦积区", town="五龙镇", days=frozenset({(9, 20)}))
    b = EventFacts(province="甘肃省", city="天水市", county="麦积区", town="甘泉镇", days=frozenset({(9, 20)}))
    text = "9月20日，五龙镇召开产业扶贫现场推进会议，镇党委书记主持会议并讲话，要求全面进行一次回头看，查缺补漏。" * 3
    hashes = shingle_hashes(text)
    assert same_event(a, a, hashes, hashes) is not None
    assert facts_conflict(a, b) == "different town: 五龙镇 / 甘泉镇"
    assert same_event(a, b, hashes, hashes) is None
    later = EventFacts(province="甘肃省", city="天水市", county="麦积区", town="五龙镇", days=frozenset({(9, 21)}))
    assert same_event(a, later, hashes, hashes) is None
    # A mirror that names no township and no day is compatible with either.
    mirror = EventFacts(province="甘肃省", county="麦积区")
    assert same_event(a, mirror, hashes, hashes) is not None
