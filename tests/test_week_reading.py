"""The week an official reads in two minutes (issue 18, items 1, 2 and 4): 要点 first, one counts
line, this week's meetings apart from old news (往期会议（本周采集）), provinces in division-code
order with the reader's home first, contents and anchors, the week written in Chinese.

A week of invented reports (same shape as real pages, written here) checks each rule; a week of
the real pages in ../shared/real (read in place, never copied into the repository) with ten of
them re-dated into the week checks them at volume."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from conftest import REAL, invoke, put_collected

from briefing.errors import ConfigError
from briefing.extract.gazetteer import load_gazetteer
from briefing.ingest import IngestOptions
from briefing.models import ReportDate
from briefing.overview import EARLIER, RECENT, THIS_WEEK, UNDATED, held_when
from briefing.pipeline import process_file
from briefing.settings import Settings, load_settings
from briefing.week import IsoWeek

WEEK = "2026-W50"  # Monday 2026-12-07 to Sunday 2026-12-13
START = dt.date(2026, 12, 7)
COLLECTED = dt.datetime(2026, 12, 13, 18, 0)  # Sunday evening: every day of the week is past

# Invented reports: three meetings of the week (province, county, township), one of 2019, one
# whose page gives 3月15日 without a year, one with no date, one in a township whose county no
# text names (城关镇 is in many counties).
THIS_WEEKS = {
    "a_province.txt": "四川省召开防止返贫动态监测帮扶工作推进会\n"
    "2026年12月8日，四川省召开防止返贫动态监测帮扶工作推进会，省委副书记王明远主持会议并讲话。"
    "会议要求，各地要压实责任，对监测对象做到应纳尽纳、应帮尽帮，确保不发生规模性返贫。"
    "全省21个市州分管负责同志参加会议。\n",
    "b_county.txt": "邻水县召开衔接资金项目推进会\n"
    "2026年12月9日，邻水县召开衔接资金项目推进会，县委书记李春华主持会议。"
    "会议强调，要加快衔接资金支出进度，严格项目库管理，12月底前完成全部项目验收。\n",
    "c_town.txt": "五龙镇开展驻村帮扶走访活动\n2026年12月10日，甘肃省天水市麦积区五龙镇组织驻村工作队走访脱贫户，"
    "了解群众生产生活情况，宣传惠民政策。镇干部和驻村第一书记参加活动。\n",
}
OLDER = {
    "d_old.txt": "遂溪县召开脱贫攻坚工作推进会\n2019年5月18日，遂溪县召开脱贫攻坚工作推进会，县长陈志强主持会议。"
    "会议要求，各镇要对照脱贫标准逐户核查，确保脱贫质量。\n",
    "e_noyear.txt": "奉节县召开乡村振兴工作会议\n3月15日，奉节县召开乡村振兴工作会议，县委副书记周立新主持会议。"
    "会议部署了今年乡村振兴的重点工作。\n",
}
UNDATED_TEXTS = {
    "f_undated.txt": "彭阳县开展防返贫监测集中排查\n近日，宁夏彭阳县组织各乡镇开展防返贫动态监测集中排查，"
    "对全县脱贫户逐户走访，全面掌握返贫致贫风险。\n",
    "g_town_only.txt": "城关镇召开人居环境整治推进会\n12月9日，城关镇召开人居环境整治推进会，镇党委书记刘洋主持会议。"
    "会议要求，各村要抓好垃圾清运和改厕工作。\n",
}
COUNTS = "本周采集 7 篇，合并为 7 场会议和活动；本周举行 3 场，此前举行 2 场，日期不详 2 场；涉及 5 个省级地区、5 个县"


def write_reports(folder: Path, texts: dict[str, str], when: dt.datetime = COLLECTED) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        put_collected(folder / name, text, when)
    return folder


def build_week(root: Path, inp: Path, toml: str = "") -> tuple[dict, str, str]:
    if toml:
        (root / "brief.toml").write_text(toml, encoding="utf-8")
    out = root / "out"
    result = invoke(["build", "--week", WEEK, "--input", inp, "--out", out, "-q"], root)
    assert result.exit_code == 0, result.output
    data = json.loads((out / f"{WEEK}.json").read_text(encoding="utf-8"))
    return data, (out / f"{WEEK}.md").read_text(encoding="utf-8"), (out / f"{WEEK}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def invented(tmp_path_factory) -> tuple[dict, str, str]:
    root = tmp_path_factory.mktemp("reading")
    inp = write_reports(root / "in", {**THIS_WEEKS, **OLDER, **UNDATED_TEXTS})
    return build_week(root, inp)


def by_source(data: dict) -> dict[str, dict]:
    """file name -> the event whose lead report it is."""
    return {Path(e["sources"][0]["source"]).name: e for e in data["events"]}


def card_provinces(md: str) -> list[str]:
    """The province headings of the cards, in order (the 往期会议 section has its own)."""
    cards = md.split('<a id="earlier"></a>', 1)[0]
    return [line[3:].split("（")[0] for line in cards.splitlines() if line.startswith("## ") and "本周概览" not in line]


def extractive_pieces(what: str, text: str, shortest: int = 4) -> bool:
    """Whether `what` is made of pieces of `text` taken in order (each at least `shortest`
    characters but the last; punctuation between them aside)."""
    at = 0
    while what:
        if what[0] in "，。、；：":
            what = what[1:]
            continue
        size, least = len(what), min(shortest, len(what))  # the last piece may be shorter
        while size >= least and (found := text.find(what[:size], at)) < 0:
            size -= 1
        if size < least:
            return False
        at, what = found + size, what[size:]
    return True


def province_code(name: str) -> str:
    return next(p.code for p in load_gazetteer().find(name) if p.level == 1)


# --- when a meeting was held ------------------------------------------------------------------------


def dated(iso: str | None, basis: str | None) -> ReportDate:
    if iso is None:
        return ReportDate.unknown()
    day = dt.date.fromisoformat(iso)
    return ReportDate(iso, day.year, day.month, day.day, "正文", "high", None, basis)


@pytest.mark.parametrize(
    ("iso", "basis", "held"),
    [
        ("2026-12-09", "stated", THIS_WEEK),
        ("2026-12-07", "context", THIS_WEEK),
        ("2026-12-20", "stated", THIS_WEEK),  # after the week: a slip or an announcement, no older news
        ("2026-11-23", "stated", RECENT),  # 14 days before Monday: still recent
        ("2026-11-22", "stated", EARLIER),
        ("2019-05-18", "context", EARLIER),
        ("2026-12-09", "collection", UNDATED),  # 12月9日 without a year: perhaps this week's, perhaps not
        ("2026-11-30", "collection", UNDATED),
        ("2026-03-15", "collection", EARLIER),  # 3月15日 is before the window in any year
        (None, None, UNDATED),
    ],
)
def test_when_a_meeting_was_held(iso, basis, held):
    assert held_when(dated(iso, basis), START) == held


def test_recent_days_moves_the_line():
    assert held_when(dated("2026-11-30", "stated"), START, recent_days=14) == RECENT
    assert held_when(dated("2026-11-30", "stated"), START, recent_days=5) == EARLIER
    assert held_when(dated("2026-12-06", "stated"), START, recent_days=0) == EARLIER


# --- 要点 and the counts line --------------------------------------------------------------------------


def test_key_points_are_this_weeks_meetings_most_important_first(invented):
    data, _md, _html = invented
    overview = data["overview"]
    events = by_source(data)
    points = overview["key_points"]
    assert [p["event"] for p in points] == [
        events[name]["id"] for name in ("a_province.txt", "b_county.txt", "c_town.txt")
    ]
    assert overview["key_points_from"] == "this_week"
    a, b, c = points
    # date · place · who · what was decided
    assert a["text"].startswith("2026年12月8日 · 四川省 · 省委副书记王明远 · 会议要求")
    assert b["text"].startswith("2026年12月9日 · 四川省广安市邻水县 · 县委书记李春华 · 会议强调")
    assert (
        c["text"] == "2026年12月10日 · 甘肃省天水市麦积区五龙镇 · 五龙镇开展驻村帮扶走访活动"
    )  # no decision: the headline
    # … in the report's own words: what was decided is pieces of the report (the summary may leave
    # clauses out, never add a word)
    texts = {**THIS_WEEKS, **OLDER, **UNDATED_TEXTS}
    for point, name in zip(points, ("a_province.txt", "b_county.txt", "c_town.txt"), strict=True):
        assert extractive_pieces(point["text"].rsplit(" · ", 1)[1].rstrip("…"), texts[name]), point
    assert all(len(p["text"]) <= 82 for p in points)
    assert a["why"] == "省级会议；核心业务：防返贫监测；有部署要求；本周举行"
    assert b["why"] == "县级会议；核心业务：衔接资金与项目；有部署要求；本周举行"
    assert c["why"] == "乡镇级会议；本周举行"


def test_the_overview_opens_with_the_points_then_the_counts(invented):
    data, md, html = invented
    assert data["overview"]["counts_line"] == COUNTS
    assert data["overview"]["held"] == {
        "this_week": 3,
        "before": 2,
        "recent": 0,
        "earlier": 2,
        "undated": 2,
        "recent_days": 14,
    }
    overview = md.split("## 本周概览\n", 1)[1]
    lines = [line for line in overview.splitlines() if line.strip()]
    assert re.match(r"1\. \[2026年12月8日 · 四川省 · 省委副书记王明远 · ", lines[0])
    assert lines[1].startswith("2. ") and lines[2].startswith("3. ")
    assert lines[3] == "要点取自本周举行的会议。"
    assert lines[4] == COUNTS + "。"
    section = html.split('<h2 id="overview">本周概览</h2>', 1)[1]
    assert section.index('<ol class="points">') < section.index(COUNTS) < section.index('<nav class="toc"')


def test_without_a_meeting_of_this_week_the_overview_says_where_the_points_come_from(tmp_path):
    data, md, _ = build_week(tmp_path, write_reports(tmp_path / "in", {**OLDER, **UNDATED_TEXTS}))
    overview = data["overview"]
    assert overview["key_points_from"] == "undated"
    assert {p["event"] for p in overview["key_points"]} == {by_source(data)[n]["id"] for n in UNDATED_TEXTS}
    assert "本周没有确知在本周或近期举行的会议；要点取自日期不详的会议。" in md


def test_a_point_says_who_where_the_report_says_he(tmp_path):
    # "他强调，…" / "他对…作了部署" name no one: the point puts the leading official in its place.
    text = (
        "邻水县召开衔接资金项目推进会\n2026年12月9日，邻水县召开衔接资金项目推进会，县委书记李春华主持会议并讲话。"
        "他强调，要加快衔接资金支出进度，12月底前完成全部项目验收。\n"
    )
    data, _, _ = build_week(tmp_path, write_reports(tmp_path / "in", {"b.txt": text}))
    (point,) = data["overview"]["key_points"]
    assert "县委书记李春华强调，要加快衔接资金支出进度" in point["text"], point
    assert "他强调" not in point["text"]


# --- this week apart from old news ----------------------------------------------------------------------


def test_older_meetings_leave_the_cards_for_one_line_each(invented):
    data, md, html = invented
    events = by_source(data)
    assert {n: events[n]["held"] for n in events} == {
        **dict.fromkeys(THIS_WEEKS, "this_week"),
        **dict.fromkeys(OLDER, "earlier"),
        **dict.fromkeys(UNDATED_TEXTS, "undated"),
    }
    cards, earlier = md.split("## 往期会议（本周采集）", 1)
    for name in OLDER:
        assert f"#### {events[name]['title']}" not in md
        assert f'<div class="report" id="{events[name]["anchor"]}">' not in html
    lines = [line for line in earlier.splitlines() if line.startswith("- ")]
    anchors = {name: f'<a id="{events[name]["anchor"]}"></a>' for name in OLDER}
    # one line each, with the real date (a year the page does not give is not printed)
    assert f"- {anchors['d_old.txt']}2019年5月18日 · 广东省湛江市遂溪县 · 遂溪县召开脱贫攻坚工作推进会" in lines
    assert f"- {anchors['e_noyear.txt']}3月15日（未注明年份） · 重庆市奉节县 · 奉节县召开乡村振兴工作会议" in lines
    assert len(lines) == 2
    for name in (*THIS_WEEKS, *UNDATED_TEXTS):
        assert f"#### {events[name]['title']}" in cards
        assert f'<div class="report" id="{events[name]["anchor"]}">' in html
    assert "- **时间**：日期不详\n" in cards and "- **时间**：12月9日（未注明年份）\n" in cards
    html_earlier = html.split('<h2 id="earlier">往期会议（本周采集）</h2>', 1)[1].split('<section id="appendix">')[0]
    assert html_earlier.count('<ul class="earlier">') == 2 and html_earlier.count("<li id=") == 2


# --- order, contents, anchors --------------------------------------------------------------------------


def test_provinces_follow_the_division_codes(invented):
    _data, md, html = invented
    provinces = card_provinces(md)
    assert provinces == ["四川省", "甘肃省", "宁夏回族自治区", "地区未定"]
    html_order = re.findall(r'<h2 id="p-(\d+|unplaced)">', html)
    assert html_order == ["510000", "620000", "640000", "unplaced"]
    earlier = md.split("## 往期会议（本周采集）", 1)[1]
    assert [line[4:] for line in earlier.splitlines() if line.startswith("### ")] == ["广东省", "重庆市"]
    # Inside a province: the province's own meetings first (省级会议), then its cities by code.
    sichuan = md.split("## 四川省（", 1)[1].split("\n## ", 1)[0]
    assert [line[4:] for line in sichuan.splitlines() if line.startswith("### ")] == ["省级会议", "广安市 › 邻水县"]
    # 本周概览's table of events per province: the cards' order, then the 往期 ones', 地区未定 last.
    table = md.split("**各省事件数**", 1)[1].split("\n\n", 2)[1]
    rows = [line.split(" | ")[0].lstrip("| ") for line in table.splitlines()[2:]]
    assert rows == ["四川省", "甘肃省", "宁夏回族自治区", "广东省", "重庆市", "地区未定"], rows


def test_home_regions_come_first(tmp_path):
    inp = write_reports(tmp_path / "in", {**THIS_WEEKS, **OLDER, **UNDATED_TEXTS})
    _, md, html = build_week(tmp_path, inp, '[digest]\nhome = ["宁夏回族自治区", "广安市"]\n')
    assert card_provinces(md) == ["宁夏回族自治区", "四川省", "甘肃省", "地区未定"]
    assert re.findall(r'<h2 id="p-(\d+|unplaced)">', html) == ["640000", "510000", "620000", "unplaced"]
    # a home city comes first inside its province, before the province's own meetings
    sichuan = md.split("## 四川省（", 1)[1].split("\n## ", 1)[0]
    assert [line[4:] for line in sichuan.splitlines() if line.startswith("### ")] == ["广安市 › 邻水县", "省级会议"]
    contents = md.split("**目录**", 1)[1].split("\n\n", 2)[1]
    assert [re.sub(r"（\d+）", "", t) for t in re.findall(r"- \[([^\]]+)\]", contents)][1:4] == [
        "宁夏回族自治区",
        "四川省",
        "甘肃省",
    ]


def test_a_township_without_its_county_says_so(invented):
    _data, md, html = invented
    unplaced = md.split("## 地区未定（", 1)[1].split("\n## ", 1)[0]
    assert "### 城关镇（所属县未定）" in unplaced
    assert "- **地点**：城关镇（所属县未定）" in unplaced
    assert "<h3>城关镇（所属县未定）</h3>" in html and "<td>城关镇（所属县未定）</td>" in html


def test_markdown_has_a_contents_list_and_every_link_resolves(invented):
    data, md, _ = invented
    contents = md.split("**目录**", 1)[1].split("\n\n", 2)[1].splitlines()
    assert contents == [
        "- [本周概览](#overview)",
        "- [四川省（2）](#p-510000)",
        "- [甘肃省（1）](#p-620000)",
        "- [宁夏回族自治区（1）](#p-640000)",
        "- [地区未定（1）](#p-unplaced)",
        "- [往期会议（本周采集）（2）](#earlier)",
    ]
    targets = set(re.findall(r'<a id="([^"]+)"></a>', md))
    links = re.findall(r"\]\(#([^)]+)\)", md)
    assert links and set(links) <= targets
    assert {e["anchor"] for e in data["events"]} <= targets  # every meeting: its card or its line
    for point in data["overview"]["key_points"]:
        assert f"](#{point['event']})" in md
    assert md.count("[↑ 目录](#contents)") == len(THIS_WEEKS) + len(UNDATED_TEXTS) + 1  # each card, and 往期


def test_html_contents_is_one_line_of_links_after_the_points_and_every_link_resolves(invented):
    _data, _, html = invented
    nav = html.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    assert "<ol" not in nav and "<li" not in nav
    assert re.findall(r'href="#([^"]+)"', nav) == [
        "overview",
        "p-510000",
        "p-620000",
        "p-640000",
        "p-unplaced",
        "earlier",
    ]
    ids = set(re.findall(r' id="([^"]+)"', html))
    assert set(re.findall(r'href="#([^"]+)"', html)) <= ids
    assert html.index('<ol class="points">') < html.index('<nav class="toc"') < html.index('<h2 id="p-510000">')
    cards = re.findall(r'<div class="report" id="[^"]+">.*?</div>', html, re.DOTALL)
    assert len(cards) == 5 and all('<a href="#contents">↑ 目录</a>' in card for card in cards)


def test_the_week_is_written_in_chinese_where_a_reader_sees_it(invented):
    data, md, html = invented
    assert md.startswith("# 乡村振兴周报｜2026年第50周（12月7日—13日）\n")
    assert "<title>乡村振兴周报｜2026年第50周（12月7日—13日）</title>" in html
    assert "<h1>乡村振兴周报｜2026年第50周（12月7日—13日）</h1>" in html
    assert data["week"] == WEEK and data["week_label"] == "2026年第50周（12月7日—13日）"


@pytest.mark.parametrize(
    ("week", "label"),
    [
        ("2026-W50", "2026年第50周（12月7日—13日）"),
        ("2026-W49", "2026年第49周（11月30日—12月6日）"),
        ("2021-W05", "2021年第5周（2月1日—7日）"),
        ("2020-W53", "2020年第53周（12月28日—2021年1月3日）"),
        ("2025-W01", "2025年第1周（2024年12月30日—1月5日）"),
    ],
)
def test_week_label(week, label):
    from briefing.digest import week_label

    assert week_label(IsoWeek.parse(week)) == label


# --- [digest] settings ---------------------------------------------------------------------------------


def test_digest_settings_are_read_and_checked(tmp_path):
    assert Settings().digest.recent_days == 14 and Settings().digest.home == ()
    cfg = tmp_path / "brief.toml"
    cfg.write_text('[digest]\nrecent_days = 7\nhome = ["四川省", "广安"]\n', encoding="utf-8")
    settings = load_settings(config_file=cfg, environ={})
    assert settings.digest.recent_days == 7 and settings.digest.home == ("四川省", "广安")
    assert load_settings(config_file=cfg, environ={"BRIEF_HOME": "甘肃省,天水市"}).digest.home == ("甘肃省", "天水市")
    for body, words in (
        ('[digest]\nhome = ["火星省"]\n', ("[digest] home", "火星省", "division list")),
        ("[digest]\nrecent_days = -1\n", ("[digest] recent_days", "negative")),
        ('[digest]\nhome = "四川省"\nnearby = 3\n', ("nearby", "[digest]")),
    ):
        cfg.write_text(body, encoding="utf-8")
        with pytest.raises(ConfigError) as info:
            load_settings(config_file=cfg, environ={})
        assert all(word in str(info.value) for word in words), str(info.value)


def test_a_bad_home_is_a_config_error_of_the_build(tmp_path):
    inp = write_reports(tmp_path / "in", THIS_WEEKS)
    (tmp_path / "brief.toml").write_text('[digest]\nhome = ["乡村振兴局"]\n', encoding="utf-8")
    result = invoke(["build", "--week", WEEK, "--input", inp, "--out", tmp_path / "out", "-q"], tmp_path)
    assert result.exit_code == 2 and "home" in result.output and "乡村振兴局" in result.output


# --- a week of the real pages, ten of them re-dated into the week -------------------------------------------

REDATED = 10
_MONTH_DAY = re.compile(r"^(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日$")


def redate(path: Path, day: int) -> str | None:
    """The page's text with its meeting's date rewritten to 2026年12月{day}日 (a stated year), when
    the page has a province and its date is a month and day written in the text."""
    report = process_file(path, IngestOptions())
    evidence = report.date.evidence or ""
    text = path.read_text(encoding="utf-8")
    if not report.region.province or not _MONTH_DAY.match(evidence) or evidence not in text:
        return None
    return text.replace(evidence, f"2026年12月{day}日", 1)


@pytest.fixture(scope="module")
def real_week(tmp_path_factory) -> tuple[dict, str, str, set[str]]:
    if not (REAL / "labels.jsonl").is_file():
        pytest.skip("../shared/real/ is not here")
    root = tmp_path_factory.mktemp("real_reading")
    inp = root / "in"
    inp.mkdir()
    rows = [json.loads(line) for line in (REAL / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line]
    # pages of a labelled group (a repost, a near duplicate) keep their own dates: a re-dated
    # copy would be a different day's meeting beside its twin
    grouped = {r["file"] for r in rows if r.get("event_group") or r.get("related_not_same")}
    grouped |= {f"{r['related_not_same']}.txt" for r in rows if r.get("related_not_same")}
    redated: set[str] = set()
    for row in rows:
        path = REAL / "pages" / row["file"]
        text = None
        if len(redated) < REDATED and row["file"] not in grouped and path.suffix == ".txt":
            text = redate(path, 7 + len(redated) % 7)
        target = inp / row["file"]
        if text is None:
            target.write_bytes(path.read_bytes())
        else:
            target.write_text(text, encoding="utf-8")
            redated.add(row["file"])
        os.utime(target, (COLLECTED.timestamp(), COLLECTED.timestamp()))
    assert len(redated) == REDATED
    data, md, html = build_week(root, inp)
    return data, md, html, redated


def expected_held(date: dict) -> str:
    """When a meeting was held, by the rule of the README, from its JSON date."""
    if date["iso"] is None:
        return UNDATED
    day, cutoff = dt.date.fromisoformat(date["iso"]), START - dt.timedelta(days=14)
    if date["year_basis"] in ("stated", "context"):
        return THIS_WEEK if day >= START else RECENT if day >= cutoff else EARLIER
    return EARLIER if day < cutoff else UNDATED


def test_real_week_key_points_are_the_redated_meetings(real_week):
    data, md, _, redated = real_week
    points = data["overview"]["key_points"]
    assert 3 <= len(points) <= 5 and data["overview"]["key_points_from"] == "this_week"
    events = {e["id"]: e for e in data["events"]}
    for point in points:
        event = events[point["event"]]
        assert Path(event["sources"][0]["source"]).name in redated, point
        assert point["text"].startswith(f"{event['date_display']} · {event['place']} · "), point
        assert event["date_display"].startswith("2026年12月") and event["place"] != "地区未定"
        assert len(point["text"]) <= 82 and point["why"].endswith("本周举行")
        assert f"](#{event['anchor']})" in md


def test_real_week_older_meetings_are_in_earlier_with_correct_counts(real_week):
    data, md, html, redated = real_week
    reports = {r["source"]: r for r in data["reports"]}
    held = {e["id"]: expected_held(reports[e["sources"][0]["source"]]["date"]) for e in data["events"]}
    assert {e["id"]: e["held"] for e in data["events"]} == held
    this_week = [e for e in data["events"] if held[e["id"]] == THIS_WEEK]
    assert {Path(e["sources"][0]["source"]).name for e in this_week} == redated
    n = {kind: sum(1 for h in held.values() if h == kind) for kind in (THIS_WEEK, RECENT, EARLIER, UNDATED)}
    overview = data["overview"]
    provinces = len({reports[e["sources"][0]["source"]]["region"]["province"] for e in data["events"]} - {None})
    expected = (
        f"本周采集 {len(data['reports'])} 篇，合并为 {len(data['events'])} 场会议和活动；"
        f"本周举行 {n[THIS_WEEK]} 场，此前举行 {n[RECENT] + n[EARLIER]} 场，日期不详 {n[UNDATED]} 场；"
        f"涉及 {provinces} 个省级地区、{overview['counties']} 个县"
    )
    assert overview["counts_line"] == expected and f"{expected}。" in md
    assert n[EARLIER] > 100  # most of the real pages are years old
    cards, earlier = md.split("## 往期会议（本周采集）", 1)
    earlier_lines = [line for line in earlier.split("\n## ", 1)[0].splitlines() if line.startswith("- <a id=")]
    assert len(earlier_lines) == n[EARLIER]
    for event in data["events"]:
        anchor = f'<a id="{event["anchor"]}"></a>'
        if held[event["id"]] == EARLIER:
            # its real date, then the page's publication date when it has one (发布于…)
            start = f"- {anchor}{event['date_display']}"
            assert any(line.startswith((f"{start} · ", f"{start}（发布于")) for line in earlier_lines), event
            assert f'<div class="report" id="{event["anchor"]}">' not in html
        else:
            assert anchor in cards and f'<div class="report" id="{event["anchor"]}">' in html
    # a month and day without the page's year: no year printed
    assert not any(re.search(r"\d{4}年", line.split(" · ")[0]) for line in earlier_lines if "未注明年份" in line)


def test_real_week_provinces_in_division_code_order_with_a_contents_list(real_week):
    _data, md, html, _ = real_week
    provinces = card_provinces(md)
    assert provinces[-1] == "地区未定"
    codes = [province_code(p) for p in provinces[:-1]]
    assert codes == sorted(codes) and len(codes) >= 5
    assert re.findall(r'<h2 id="p-(\d+)">', html) == codes
    contents = md.split("**目录**", 1)[1].split("\n\n", 2)[1].splitlines()
    assert contents[0] == "- [本周概览](#overview)"
    assert [re.sub(r"（\d+）$", "", line[3:].split("](")[0]) for line in contents[1 : len(provinces) + 1]] == provinces
    targets = set(re.findall(r'<a id="([^"]+)"></a>', md))
    assert set(re.findall(r"\]\(#([^)]+)\)", md)) <= targets
