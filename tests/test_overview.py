"""本周概览 and the layout at volume: Markdown opens with it, the HTML page has a line of
contents, the email shrinks to one line per event above the threshold, the chart compares with
the previous weeks, the JSON `overview` has the documented shape."""

from __future__ import annotations

import datetime as dt
import email
import json
import os
import re
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS, copy_seeds, invoke

from briefing.chart import ChartRow, chart_rows
from briefing.cli import main
from briefing.ingest import IngestOptions
from briefing.overview import LEAD_MAX, LEAD_MIN, THEMES, degenerate_lead
from briefing.pipeline import build as run_build
from briefing.pipeline import process_file
from briefing.sentences import split_sentences
from briefing.settings import load_settings
from briefing.text import HAN
from briefing.week import IsoWeek

WEEK = "2021-W34"
IN_WEEK = dt.datetime(2021, 8, 27, 9, 0).timestamp()


@pytest.fixture(scope="module")
def seed_week(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("overview")
    inp = copy_seeds(tmp / "in", IN_WEEK)
    out = tmp / "out"
    result = invoke(["build", "--week", WEEK, "--input", inp, "--out", out, "-q"], tmp)
    assert result.exit_code == 0, result.output
    return tmp, inp, out


def test_markdown_opens_with_the_overview(seed_week):
    _, _, out = seed_week
    lines = [line for line in (out / f"{WEEK}.md").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines[0] == "# 乡村振兴周报｜2021年第34周（8月23日—29日）"
    assert lines[1:3] == ['<a id="overview"></a>', "## 本周概览"]
    # 要点 first (the two meetings held this week), then where they come from, then the counts
    assert lines[3].startswith("1. [") and lines[4].startswith("2. [")
    assert lines[5] == "要点取自本周举行的会议。"
    assert lines[6].startswith("本周采集 5 篇，合并为 5 场会议和活动；本周举行 2 场，此前举行 3 场，日期不详 0 场")


def test_json_overview_has_the_documented_shape(seed_week):
    _, _, out = seed_week
    data = json.loads((out / f"{WEEK}.json").read_text(encoding="utf-8"))
    overview = data["overview"]
    assert {"events", "reports", "themes", "figures", "by_province", "lead"} <= set(overview)
    ids = {r["event"] for r in data["reports"]}
    assert overview["events"] == len(ids) == 5 and overview["reports"] == 5
    assert overview["provinces"] == 4 and overview["counties"] == 4
    names = [name for name, _ in THEMES]
    for theme in overview["themes"]:
        assert theme["name"] in names and theme["count"] == len(theme["events"]) and set(theme["events"]) <= ids
    assert any(t["name"] == "驻村帮扶/第一书记" for t in overview["themes"])  # 驻村第一书记 in three seeds
    sources = {r["source"] for r in data["reports"]}
    assert overview["figures"] and all(f["source"] in sources and f["event"] in ids for f in overview["figures"])
    # like with like: the first figure of each kind is that kind's largest
    for kind in {f["kind"] for f in overview["figures"]}:
        same = [f for f in overview["figures"] if f["kind"] == kind]
        assert same[0]["amount"] == max(f["amount"] for f in same)
    assert {f["kind"] for f in overview["figures"]} <= {"资金", "户数", "人数", "收入", "产值", "GDP", "面积"}
    assert sum(p["events"] for p in overview["by_province"]) == 5
    assert all(p["previous"] == {} and p["change"] is None for p in overview["by_province"])  # first week
    sentences = split_sentences(overview["lead"])
    assert LEAD_MIN <= len(sentences) <= LEAD_MAX
    bodies = "".join(process_file(Path(r["source"]), IngestOptions()).body for r in data["reports"])
    summaries = "".join(r["summary"] for r in data["reports"])
    # Extractive: every lead sentence is a sentence of the week's reports or of their summaries
    # (which leave clauses out of the report's sentences), modulo punctuation.
    for sentence in sentences:
        core = re.sub(f"[^{HAN}0-9]", "", sentence)[:30]
        assert core in re.sub(f"[^{HAN}0-9]", "", bodies + summaries), sentence


def test_html_has_a_table_of_contents_whose_links_resolve(seed_week):
    _, _, out = seed_week
    html = (out / f"{WEEK}.html").read_text(encoding="utf-8")
    toc = html.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', toc)
    # the cards' provinces in division-code order, then the meetings held before the week
    assert targets == ["overview", "p-440000", "p-510000", "earlier"]
    for target in targets:
        assert f'id="{target}"' in html, target
    assert html.index('id="overview"') < html.index('id="p-440000"')


def message_parts(eml: Path) -> tuple[str, str]:
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_email_gives_the_most_important_meetings_in_full_and_the_others_one_line_each(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    args = ["send", "--week", WEEK, "--input", inp, "--out", tmp_path / "out", "-q"]
    args += ["--to", "team@example.org", "--from", "brief@example.org", "--dry-run"]
    full = invoke(args, tmp_path)
    assert full.exit_code == 0, full.output
    text, html = message_parts(tmp_path / "out" / f"{WEEK}.eml")
    assert "== 要点 ==" in text and ">要点<" in html
    assert text.count("  来源：") == 5 and html.count('class="card"') == 5  # five meetings: all in full

    (tmp_path / "brief.toml").write_text("[email]\nfull_cards = 2\n", encoding="utf-8")
    compact = invoke(args, tmp_path)
    assert compact.exit_code == 0, compact.output
    text, html = message_parts(tmp_path / "out" / f"{WEEK}.eml")
    assert "== 要点 ==" in text and text.count("  来源：") == 2 and html.count('class="card"') == 2
    data = json.loads((tmp_path / "out" / f"{WEEK}.json").read_text(encoding="utf-8"))
    # The two in full are the first two 要点; the other meetings are one line each, with their date.
    cards = re.findall(r'<p class="title"[^>]*>([^<]+)</p>', html)
    titles = {e["id"]: e["title"] for e in data["events"]}
    assert cards == [titles[k["event"]] for k in data["overview"]["key_points"][:2]]
    for event in data["events"]:
        if event["title"] not in cards:
            assert f"- {event['date_display']} · " in text and f" · {event['title']}" in text
    # The full cards stay in the HTML page: this week's meetings as cards, the older as one line each.
    page = (tmp_path / "out" / f"{WEEK}.html").read_text(encoding="utf-8")
    assert page.count('<div class="report" id="') == 2 and page.count('<li id="ev-') == 3


def cleaned(path: Path) -> str:
    report = process_file(path, IngestOptions())
    return f"{report.title}\n{report.body}"


def put_text(path: Path, text: str, when: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (when, when))


def test_the_chart_compares_provinces_with_the_previous_weeks(tmp_path):
    inp = tmp_path / "in"
    out = tmp_path / "out"
    copy_seeds(inp / "w33", dt.datetime(2021, 8, 20, 9, 0).timestamp())
    settings = load_settings(flags={"input": inp, "out": out}, environ={})
    first = run_build(settings, IsoWeek.parse("2021-W33"))
    assert first.digest.overview is not None and first.digest.overview.history_weeks == ()
    assert chart_rows(first.digest) is None  # no history: no chart (the map shows where)
    # This week: seed 000 scraped again (already reported) and two new meetings from the same
    # templates on other days, in 广东省 and 甘肃省.
    gansu = cleaned(next(SEEDS.glob("004_*.txt"))).replace("2月28日", "3月1日")
    guangdong = cleaned(next(SEEDS.glob("000_*.txt"))).replace("8月26日", "8月27日")
    put_text(inp / "w34" / "gansu.txt", gansu, IN_WEEK)
    put_text(inp / "w34" / "guangdong.txt", guangdong, IN_WEEK)
    put_text(inp / "w34" / "again.txt", next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8"), IN_WEEK)
    second = run_build(settings, IsoWeek.parse(WEEK))
    digest = second.digest
    assert digest.overview is not None and digest.overview.history_weeks == ("2021-W33",)
    assert len(digest.events) == 2 and len(digest.previously) == 1
    comparison = chart_rows(digest)
    assert comparison is not None and comparison.title == "各省事件数：本周与前1周平均"
    # 四川省 and 重庆市 had meetings in the week before and none this week: a bar of 0 beside the mean.
    assert set(comparison.rows) == {
        ChartRow("四川省", 0, 1.0),
        ChartRow("重庆市", 0, 1.0),
        ChartRow("广东省", 1, 1.0),
        ChartRow("甘肃省", 1, 1.0),
    }
    changes = {p.province: (p.events, p.average, p.change) for p in digest.overview.by_province}
    assert changes["甘肃省"] == (1, 1.0, 0.0) and changes["四川省"] == (0, 1.0, -1.0)


def test_every_theme_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 本周概览", 1)[1].split("\n## ", 1)[0]
    for name, words in THEMES:
        assert name in section, name
        assert all(word in section for word in words), name


def test_history_and_search_have_help_with_an_example():
    for command in ("history", "search"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Example" in result.output, command


def test_a_tripled_phrase_is_a_broken_lead():
    assert degenerate_lead("帮扶力量帮扶力量帮扶力量归归归") == "repetition ('帮扶力量' three times)"
    assert degenerate_lead("8月26日，草潭镇召开工作会议。3月15日，城关镇召开推进会。") is None
