"""Events across sources: invented hard negatives (two meetings of one county on one day), reposts
that must still merge, a flood of near-identical reports, and a week built from the real pages
in ../shared/real/.

The real week: every real page (some of which are real reposts of one event: `event_group` in
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
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REAL

from briefing.cli import main
from briefing.events import (
    BANDS,
    LSH_THRESHOLD,
    NUM_PERM,
    ROWS,
    EventFacts,
    detect_events,
    facts_conflict,
    meeting_kinds,
    same_event,
    shingle_hashes,
    similarity,
)
from briefing.extract.gazetteer import TOWN, load_gazetteer
from briefing.ingest import IngestOptions
from briefing.pipeline import process_file

WEEK = "2025-W20"
IN_WEEK = dt.datetime(2025, 5, 14, 9, 0).timestamp()
ORIGINALS = 10  # pages that get the five reposts
NEGATIVES = 16  # pages that get a sibling-township or another-day twin


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
    if not (REAL / "labels.jsonl").is_file():
        pytest.skip("../shared/real/ is not here")
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
    # Recall on the labeled real reposts: 9 of the 11 same-event pairs are found (missed: two
    # rewrites sharing 3–7% of their text with dates read differently: a 论坛's 执委会 told by two
    # outlets, a 民进中央 visit written up twice; see README). A floor: it must not drop.
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
    assert pairs == 11 and found >= 9, (found, pairs)


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


# --- two meetings of one county on one day are two events (invented texts) -------------------------

# The standard closing paragraph of the county's press office: every meeting report ends with it.
CLOSING = (
    "会议要求，各乡镇、各部门要提高政治站位，压紧压实工作责任，层层传导压力，强化督导考核，以作风建设的"
    "新成效推动各项工作落地落实，为全面推进乡村振兴、加快农业农村现代化打下坚实基础。\n"
    "会议还对近期安全生产、森林防火、防汛备汛和信访维稳工作作了安排部署。县委办、县政府办、县委组织部、"
    "县委宣传部、县财政局、县农业农村局、县乡村振兴局主要负责同志，各乡镇（街道）党政主要负责同志参加会议。"
)
MEETING_FIGURES = (
    "会上，县农业农村局、县乡村振兴局和各乡镇主要负责同志分别汇报了产业发展、防返贫动态监测和衔接资金使用情况。"
    "今年以来，全县共排查农户3125户，纳入监测对象214户，下达衔接资金5620万元。"
)
MEETING_DEMANDS = (
    "要把防止规模性返贫作为底线任务，紧盯重点人群，落实一户一策，确保监测对象应纳尽纳、应帮尽帮。"
    "要做大做强特色产业，完善联农带农机制，让群众在产业链上稳定增收。"
)
MORNING = "\n".join(
    [
        "安龙县召开乡村振兴重点工作推进会",
        "5月12日上午，安龙县乡村振兴重点工作推进会在县委党校召开。县委书记周明远主持会议并讲话，"
        "县长韩立新通报了一季度全县巩固拓展脱贫攻坚成果工作进展情况。",
        MEETING_FIGURES,
        f"周明远强调，各乡镇、各部门{MEETING_DEMANDS}",
        CLOSING,
    ]
)
AFTERNOON = "\n".join(
    [
        "安龙县召开驻村帮扶工作座谈会",
        "5月12日下午，安龙县驻村帮扶工作座谈会在县政府三楼会议室召开。县委副书记吴志刚主持会议，"
        "各驻村第一书记和工作队员代表参加会议。",
        "座谈会上，来自招堤街道、春潭街道和洒雨镇的6名第一书记结合工作实际，交流了驻村以来在发展村集体经济、"
        "化解矛盾纠纷和服务群众方面的经验做法，并就工作中遇到的困难提出了意见建议。",
        "吴志刚指出，驻村工作队是党委政府联系群众的桥梁纽带，要沉下身子、扑下身子，真正做到吃住在村、"
        "工作在村，切实帮助群众解决急难愁盼问题。",
        CLOSING,
    ]
)
# One press template for several meetings: only the meeting's name, its chair or its time differ.
TEMPLATE_BODY = "\n".join([MEETING_FIGURES, f"会议强调，各乡镇、各部门{MEETING_DEMANDS}", CLOSING])
HARD_NEGATIVES = {
    # the case: other meeting, other chair, morning and afternoon, one closing paragraph
    "morning-and-afternoon": (MORNING, AFTERNOON, "different time of day"),
    # only the meeting differs: the standing committee and a training class, one chair, one template
    "standing-committee-and-training-class": (
        f"安龙县召开县委常委会\n5月12日，安龙县召开县委常委会，县委书记周明远主持会议并讲话。\n{TEMPLATE_BODY}",
        f"安龙县举办乡村振兴干部培训班\n5月12日，安龙县乡村振兴干部培训班开班，县委书记周明远主持会议并讲话。\n{TEMPLATE_BODY}",
        "different meeting",
    ),
    # only the time of day differs: two 推进会, no chair named
    "morning-and-afternoon-push-meetings": (
        f"安龙县召开乡村振兴推进会\n5月12日上午，安龙县召开乡村振兴推进会，县委主要负责同志出席会议并讲话。\n{TEMPLATE_BODY}",
        f"安龙县召开产业发展推进会\n5月12日下午，安龙县召开产业发展推进会，县委主要负责同志出席会议并讲话。\n{TEMPLATE_BODY}",
        "different time of day",
    ),
    # only the chair differs: two 推进会 on one day, no time of day
    "two-chairs": (
        f"安龙县召开乡村振兴推进会\n5月12日，安龙县召开乡村振兴推进会，县委书记周明远主持会议并讲话。\n{TEMPLATE_BODY}",
        f"安龙县召开产业发展推进会\n5月12日，安龙县召开产业发展推进会，县长韩立新主持会议并讲话。\n{TEMPLATE_BODY}",
        "different chair",
    ),
}
CUT = MORNING[: int(len(MORNING) * 0.6)]
# Reposts of the morning meeting that must stay its event.
MORNING_REPOSTS = {
    "headline-cut-short": MORNING.replace("乡村振兴重点工作推进会\n", "乡村振兴重点工作推…\n", 1),
    "other-outlets-headline": CHROME_TOP + MORNING.replace("召开乡村振兴重点工作推进会\n", "部署乡村振兴重点工作\n", 1),
    "traditional": None,  # MORNING in Traditional script, made in the test (OpenCC)
    "chair-not-named": MORNING.replace("县委书记周明远主持", "县委主要负责同志主持").replace("周明远强调", "会议强调"),
    "chair-misspelled": MORNING.replace("周明远", "周名远"),
    "meeting-spelled-otherwise": MORNING.replace("推进会", "现场推进会议"),
    "no-time-of-day": MORNING.replace("5月12日上午", "5月12日"),
    "truncated": CUT,
}
WHEN = dt.datetime(2025, 5, 13, 9, 0).timestamp()


def read_report(folder: Path, name: str, text: str):
    return process_file(put(folder / f"{name}.txt", text.encode("utf-8")), IngestOptions())


def events_of(reports: list) -> list[set[str]]:
    return [{Path(r.source.path).stem for r in event.reports} for event in detect_events(reports)]


@pytest.mark.parametrize("case", sorted(HARD_NEGATIVES))
def test_two_meetings_of_one_county_on_one_day_are_two_events(tmp_path, case):
    first, second, reason = HARD_NEGATIVES[case]
    a, b = read_report(tmp_path, "a", first), read_report(tmp_path, "b", second)
    # Guard: the texts alone would make them one event (same county and day, shared text).
    assert a.region.county == b.region.county == "安龙县"
    jaccard, containment = similarity(shingle_hashes(f"{a.title}\n{a.body}"), shingle_hashes(f"{b.title}\n{b.body}"))
    assert containment >= 0.6 or jaccard >= 0.12, (jaccard, containment)
    conflict = facts_conflict(EventFacts.from_report(a), EventFacts.from_report(b))
    assert conflict and conflict.startswith(reason), conflict
    assert events_of([a, b]) == [{"a"}, {"b"}]


@pytest.mark.parametrize("case", sorted(MORNING_REPOSTS))
def test_a_repost_of_the_meeting_stays_its_event(tmp_path, case):
    text = MORNING_REPOSTS[case] or to_traditional(MORNING)
    original, repost = read_report(tmp_path, "original", MORNING), read_report(tmp_path, "repost", text)
    assert facts_conflict(EventFacts.from_report(original), EventFacts.from_report(repost)) is None
    assert events_of([original, repost]) == [{"original", "repost"}]


def test_every_repost_and_the_other_meetings_together(tmp_path):
    # One week with the morning meeting, all its reposts and the afternoon meeting: two events.
    reports = [read_report(tmp_path, "morning", MORNING), read_report(tmp_path, "afternoon", AFTERNOON)]
    for case, text in MORNING_REPOSTS.items():
        reports.append(read_report(tmp_path, f"repost-{case}", text or to_traditional(MORNING)))
    events = sorted(events_of(reports), key=len)
    assert events == [{"afternoon"}, {"morning", *(f"repost-{case}" for case in MORNING_REPOSTS)}]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("产业扶贫现场推进会议", "麦积区召开产业扶贫推进会", True),
        ("县委常委会会议", "县委常委（扩大）会议", True),
        ("动员部署会", "调度会", True),  # one family: work meetings that push and deploy
        ("座谈会", "经验交流会", True),
        ("推进暨培训会", "业务培训班", True),
        ("脱贫攻坚半年工作总结暨业务培训会", "脱贫攻坚半年工作总结会", True),  # either of two held as one
        ("乡村振兴推进会", "驻村帮扶工作座谈会", False),
        ("县委常委会", "乡村振兴干部培训班", False),
        ("县委常委会", "县政府常务会议", False),
    ],
)
def test_meeting_names_are_compared_by_their_kind(a, b, same):
    kinds_a, kinds_b = meeting_kinds(a), meeting_kinds(b)
    assert kinds_a and kinds_b
    assert bool(kinds_a & kinds_b) == same, (kinds_a, kinds_b)


@pytest.mark.parametrize(
    "text",
    [
        "传达学习党的二十届三中全会精神",  # a meeting studied, not held
        "省人大常委会副主任王某到安龙调研",  # a standing body, not a 常委会 meeting
        "安龙县召开全县乡村振兴工作会议",  # 工作会议 names no kind
        "全县干部大会召开",
    ],
)
def test_words_that_name_no_kind_of_meeting(text):
    assert meeting_kinds(text) == frozenset()


def test_a_new_meeting_in_a_later_week_is_not_first_reported_earlier(tmp_path):
    # Undated reports of two meetings of one county, a week apart, sharing the closing paragraph:
    # the later one is a new event, not "首次报道于" the earlier week; the earlier one scraped again
    # a week after that is.
    inp, out = tmp_path / "in", tmp_path / "out"
    undated_morning = MORNING.replace("5月12日上午", "近日")
    weeks = {
        "2025-W19": ("push.txt", undated_morning),
        "2025-W20": ("talks.txt", AFTERNOON.replace("5月12日下午", "近日")),
        "2025-W21": ("push-again.txt", CHROME_TOP + undated_morning + CHROME_BOTTOM),
    }
    first_reported = {}
    for week, (name, text) in weeks.items():
        year, number = week.split("-W")
        when = dt.datetime.fromisocalendar(int(year), int(number), 3).replace(hour=9).timestamp()
        path = inp / week / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, (when, when))
        result = CliRunner().invoke(main, ["build", "--week", week, "--input", str(inp), "--out", str(out), "-q"])
        assert result.exit_code == 0, result.output
        data = json.loads((out / f"{week}.json").read_text(encoding="utf-8"))
        first_reported |= {Path(r["source"]).name: r["first_reported"] for r in data["reports"]}
    assert first_reported == {"push.txt": None, "talks.txt": None, "push-again.txt": "2025-W19"}


# --- near-linear at volume --------------------------------------------------------------------------


def near_identical(report, count: int) -> list:
    """`count` copies of one report that differ only in a figure (distinct content hashes)."""
    return [
        replace(report, body=report.body.replace("3125户", f"{3000 + i}户"), source=replace(report.source, path=f"{i}"))
        for i in range(count)
    ]


def test_near_identical_reports_are_matched_in_near_linear_time(tmp_path):
    # 2,000 copies took 90 s and 950 MB with every candidate pair materialised; the bound leaves
    # room for a slow, shared machine (`make bench` measures 10,000).
    report = read_report(tmp_path, "morning", MORNING)
    copies = near_identical(report, 2000)
    t0 = time.perf_counter()
    events = detect_events(copies)
    seconds = time.perf_counter() - t0
    assert len(events) == 1 and len(events[0].reports) == 2000
    assert seconds < 20, seconds


def test_a_mirror_without_a_township_joins_one_township_and_chains_none(tmp_path):
    # Two townships' reports from one press template and a mirror that names neither: the mirror
    # may join one of them, never both (every pair of an event is compatible).
    template = "\n".join(
        [
            "{town}召开产业扶贫现场推进会议",
            "9月20日，麦积区{town}召开产业扶贫现场推进会议，镇党委书记主持会议并讲话。",
            MEETING_FIGURES,
            f"会议强调，各村、各站所{MEETING_DEMANDS}",
            CLOSING,
        ]
    )
    a = read_report(tmp_path, "a", template.format(town="五龙镇"))
    b = read_report(tmp_path, "b", template.format(town="甘泉镇"))
    mirror = read_report(tmp_path, "mirror", template.format(town=""))
    assert (a.region.town, b.region.town, mirror.region.town) == ("五龙镇", "甘泉镇", None)
    events = events_of([a, b, mirror])
    assert sorted(events, key=sorted) == [{"a", "mirror"}, {"b"}]


def test_the_lsh_banding_is_the_one_datasketch_picks_for_the_threshold():
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)
