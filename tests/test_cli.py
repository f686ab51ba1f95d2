"""The `brief` command line, driven through click's CliRunner on copies of the seed reports.

Every test works in its own tmp folder, with the BRIEF_* environment cleared and the current
folder moved there (so no stray brief.toml or environment variable changes the outcome).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import markupsafe
import opencc
import pytest
from conftest import SEED_NAMES, SEEDS, copy_seeds, environment_without_brief, invoke

from briefing import __version__
from briefing.cli import main

# Tone-marked pinyin vowels (ā á ǎ à …, ü with tones, ń ň ǹ ḿ).
PINYIN = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]")
CHROME = (
    "028-86966315",
    "2677741813",
    "33849阅读",
    ".jpg",
    "编辑:",
    "编辑：",
    "校对",
    "COPYRIGHT",
    "ICP",
    "技术支持",
    "天水在线编辑",
)
WEEK_FORMAT = re.compile(r"^\d{4}-W\d{2}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- helpers --------------------------------------------------------------------------------------


def current_weeks() -> set[str]:
    today = dt.date.today()
    iso = today.isocalendar()
    return {f"{iso.year}-W{iso.week:02d}"}


def stderr_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def write_report(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


GOOD_REPORT = (
    "平安乡召开脱贫攻坚工作推进会\n"
    "10月10日，重庆市奉节县平安乡召开脱贫攻坚工作推进会，安排部署平安乡下一阶段脱贫攻坚工作。\n"
    "会议要求，全乡干部要扎实推进各项工作，确保取得实效。\n"
)


# --- build on the seeds -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    """`brief build --week --input IN --out OUT` on a fresh copy of the five seeds."""
    root = tmp_path_factory.mktemp("seed_build")
    inp = copy_seeds(root / "in")
    out = root / "out"
    weeks = current_weeks()
    result = invoke(["build", "--week", "--input", inp, "--out", out], cwd=root)
    weeks |= current_weeks()  # the week may have turned while it ran
    files = sorted(p.name for p in out.iterdir() if p.name != "brief.db") if out.is_dir() else []
    week = next((w for w in weeks if f"{w}.json" in files), None)
    data = json.loads((out / f"{week}.json").read_text(encoding="utf-8")) if week else None
    md = (out / f"{week}.md").read_text(encoding="utf-8") if week else ""
    html = (out / f"{week}.html").read_text(encoding="utf-8") if week else ""
    by_name = {Path(r["source"]).name: r for r in data["reports"]} if data else {}
    return SimpleNamespace(
        result=result, inp=inp, out=out, week=week, files=files, data=data, md=md, html=html, by_name=by_name
    )


def test_build_seeds_exits_zero_and_writes_current_week(seed_build):
    assert seed_build.result.exit_code == 0, seed_build.result.output
    assert seed_build.week is not None, f"no digest for {current_weeks()} in {seed_build.files}"
    # The map of the week; no bar chart, as the archive has no earlier week to compare with.
    assert seed_build.files == sorted(f"{seed_build.week}.{ext}" for ext in ("md", "html", "json", "map.png"))
    for ext in ("md", "html", "json"):
        assert f"wrote {seed_build.out / f'{seed_build.week}.{ext}'}" in seed_build.result.stdout


def test_build_without_week_flag_means_current_week(tmp_path):
    inp = copy_seeds(tmp_path / "in")
    result = invoke(["build", "--input", inp, "--out", tmp_path / "out", "-q"], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "out").iterdir() if p.name != "brief.db"}
    assert any(f"{w}.json" in names for w in current_weeks()), names


def test_json_top_level_contract(seed_build):
    data = seed_build.data
    assert isinstance(data["week"], str) and WEEK_FORMAT.match(data["week"])
    assert data["week"] == seed_build.week
    assert isinstance(data["reports"], list)
    assert isinstance(data["skipped"], list) and data["skipped"] == []
    assert data["outside_week"] == []


def test_json_report_contract(seed_build):
    reports = seed_build.data["reports"]
    assert len(reports) == 5
    for r in reports:
        assert isinstance(r["source"], str) and Path(r["source"]).parent == seed_build.inp
        assert isinstance(r["title"], str) and r["title"].strip()
        date = r["date"]
        assert {"iso", "year", "month", "day", "rule"} <= set(date)
        assert date["iso"] is None or ISO_DATE.match(date["iso"])
        for key in ("year", "month", "day"):
            assert date[key] is None or isinstance(date[key], int)
        assert isinstance(date["rule"], str)
        assert {"province", "city", "county", "town"} <= set(r["region"])
        for key in ("province", "city", "county", "town"):
            assert r["region"][key] is None or isinstance(r["region"][key], str)
        assert isinstance(r["summary"], str) and r["summary"].strip()
        assert isinstance(r["summarizer"], str) and r["summarizer"]
        assert isinstance(r["officials"], list)
        assert isinstance(r["figures"], list)
        assert isinstance(r["warnings"], list) and all(isinstance(w, str) for w in r["warnings"])


def test_all_seeds_present_and_provinces(seed_build):
    assert sorted(seed_build.by_name) == SEED_NAMES
    provinces = {r["region"]["province"] for r in seed_build.data["reports"]}
    assert {"广东省", "重庆市", "四川省", "甘肃省"} <= provinces
    assert {"广东省", "重庆市", "四川省", "甘肃省"} <= set(seed_build.data["regions"])


def test_each_report_has_its_own_date_and_rule(seed_build):
    month_day = {
        "000": (8, 26),
        "001": (10, 10),
        "002": (2, 13),
        "003": (3, 15),
        "004": (2, 28),
    }
    for name, r in seed_build.by_name.items():
        date = r["date"]
        assert date["iso"] is not None, name
        assert (date["month"], date["day"]) == month_day[name[:3]], name
        assert date["iso"] == f"{date['year']:04d}-{date['month']:02d}-{date['day']:02d}"
        assert date["rule"].strip(), name
    assert seed_build.by_name[SEED_NAMES[2]]["date"]["iso"] == "2022-02-13"


@pytest.mark.parametrize(
    ("seed", "region"),
    [
        ("000", ("广东省", "湛江市", "遂溪县", "草潭镇")),
        ("001", ("重庆市", None, "奉节县", "平安乡")),
        ("003", (None, None, None, "城关镇")),
        ("004", ("甘肃省", "天水市", "麦积区", "五龙镇")),
    ],
)
def test_seed_regions(seed_build, seed, region):
    (name,) = [n for n in SEED_NAMES if n.startswith(seed)]
    g = seed_build.by_name[name]["region"]
    assert (g["province"], g["city"], g["county"], g["town"]) == region


def test_seed_002_dated_by_publication_line(seed_build):
    date = seed_build.by_name[SEED_NAMES[2]]["date"]
    assert (date["iso"], date["year"], date["month"], date["day"]) == ("2022-02-13", 2022, 2, 13)
    assert "2022 02/13" in date["rule"]


def _texts(seed_build) -> dict[str, str]:
    reports = seed_build.data["reports"]
    parts = []
    for r in reports:
        parts += [r["title"], r["summary"]]
        parts += [f["text"] + f["context"] for f in r["figures"]]
        parts += [o["title"] + o["name"] for o in r["officials"]]
    # The chart is embedded as base64, whose letters may spell anything ("ICP"): look at the text.
    html = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", seed_build.html)
    return {"md": seed_build.md, "html": html, "json": "\n".join(parts)}


def test_no_pinyin_in_outputs(seed_build):
    for kind, text in _texts(seed_build).items():
        assert not PINYIN.search(text), (kind, PINYIN.findall(text)[:10])


def test_no_traditional_characters_in_outputs(seed_build):
    t2s = opencc.OpenCC("t2s").convert
    for kind, text in _texts(seed_build).items():
        converted = t2s(text)
        changed = {a + "→" + b for a, b in zip(text, converted, strict=True) if a != b}
        assert converted == text, (kind, sorted(changed)[:20])


@pytest.mark.parametrize("chrome", CHROME)
def test_no_page_chrome_in_outputs(seed_build, chrome):
    for kind, text in _texts(seed_build).items():
        assert chrome not in text, kind


def test_markdown_and_html_show_every_report(seed_build):
    # The seeds' meetings were all held years before the week: each is one line of 往期会议
    # (title, place, its real date) and keeps its summary in the JSON; none is a card.
    earlier_md = seed_build.md.split("## 往期会议（本周采集）", 1)[1]
    earlier_html = seed_build.html.split("往期会议（本周采集）</h2>", 1)[1]
    for r in seed_build.data["reports"]:
        assert r["title"] in earlier_md
        assert str(markupsafe.escape(r["title"])) in earlier_html
        assert r["summary"]
    assert seed_build.md.count("#### ") == 0
    assert earlier_md.count("\n- <a id=") == 5
    assert "未收录" not in seed_build.md


def test_build_summary_line_on_stdout(seed_build):
    first = seed_build.result.stdout.splitlines()[0]
    assert first == f"{seed_build.week}: 5 report(s) in 4 province(s), 0 skipped, 0 from other weeks"


# --- formats, weeks, inputs: usage errors ----------------------------------------------------------


def test_format_md_json_writes_only_those(tmp_path):
    inp = copy_seeds(tmp_path / "in")
    out = tmp_path / "out"
    result = invoke(["build", "--week", "2021-W34", "--input", inp, "--out", out, "--format", "md,json"], tmp_path)
    assert result.exit_code == 0, result.output
    # No report was collected in 2021-W34, so there is no chart either.
    assert sorted(p.name for p in out.iterdir() if p.name != "brief.db") == ["2021-W34.json", "2021-W34.md"]


def test_format_is_case_and_space_tolerant(tmp_path):
    inp = copy_seeds(tmp_path / "in")
    out = tmp_path / "out"
    result = invoke(["build", "--week", "2021-W34", "--input", inp, "--out", out, "--format", " HTML , html"], tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.name != "brief.db") == ["2021-W34.html"]


@pytest.mark.parametrize("fmt", ["pdf", "md,pdf", ""])
def test_bad_format_is_usage_error(tmp_path, fmt):
    inp = copy_seeds(tmp_path / "in")
    out = tmp_path / "out"
    result = invoke(["build", "--week", "--input", inp, "--out", out, "--format", fmt], tmp_path)
    assert result.exit_code == 2, result.output
    lines = stderr_lines(result)
    assert len(lines) == 1, lines
    assert "format" in lines[0]
    if fmt:
        assert "pdf" in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_bad_format_message_names_the_flag_the_user_typed(tmp_path):
    inp = copy_seeds(tmp_path / "in")
    result = invoke(["build", "--week", "--input", inp, "--out", tmp_path / "out", "--format", "pdf"], tmp_path)
    assert result.exit_code == 2
    assert "--format " in result.stderr or "--format:" in result.stderr
    assert "--formats" not in result.stderr


@pytest.mark.parametrize("week", ["2021-W99", "2021-W53", "2021-W00", "foo", "2021-34", "W34"])
def test_bad_week_is_usage_error(tmp_path, week):
    inp = copy_seeds(tmp_path / "in")
    out = tmp_path / "out"
    result = invoke(["build", "--week", week, "--input", inp, "--out", out], tmp_path)
    assert result.exit_code == 2, result.output
    lines = stderr_lines(result)
    assert len(lines) == 1 and week in lines[0], lines
    assert not out.exists()


def test_nonexistent_input_is_usage_error(tmp_path):
    out = tmp_path / "out"
    missing = tmp_path / "no-such-folder"
    result = invoke(["build", "--week", "--input", missing, "--out", out], tmp_path)
    assert result.exit_code == 2, result.output
    lines = stderr_lines(result)
    assert len(lines) == 1 and str(missing) in lines[0], lines
    assert not out.exists()


def test_input_that_is_a_file_is_usage_error(tmp_path):
    inp = copy_seeds(tmp_path / "in")
    result = invoke(["build", "--week", "--input", inp / SEED_NAMES[0], "--out", tmp_path / "out"], tmp_path)
    assert result.exit_code == 2, result.output
    assert "not a folder" in result.stderr


def test_bad_by_choice_is_usage_error(tmp_path):
    inp = copy_seeds(tmp_path / "in")
    result = invoke(["build", "--week", "--input", inp, "--out", tmp_path / "out", "--by", "mtime"], tmp_path)
    assert result.exit_code == 2


def test_unknown_summarizer_is_usage_error(tmp_path):
    inp = copy_seeds(tmp_path / "in")
    out = tmp_path / "out"
    result = invoke(["build", "--week", "--input", inp, "--out", out, "--summarizer", "nope"], tmp_path)
    assert result.exit_code == 2, result.output
    assert "nope" in result.stderr
    assert "Traceback" not in result.output


# --- bad inputs: skipped, listed, exit 1 -------------------------------------------------------------


@pytest.fixture
def messy_build(tmp_path):
    inp = tmp_path / "in"
    write_report(inp / "good.txt", GOOD_REPORT)
    (inp / "empty.txt").write_bytes(b"")
    (inp / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (inp / "english.txt").write_text("Meeting report, no Chinese at all.\n", encoding="utf-8")
    (inp / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (inp / "nothing-here").mkdir()
    out = tmp_path / "out"
    result = invoke(["build", "--week", "2021-W34", "--by", "collected", "--input", inp, "--out", out], tmp_path)
    bad = {
        str(inp / "empty.txt"): "empty",
        str(inp / "image.txt"): "binary",
        str(inp / "english.txt"): "no Chinese",
        str(inp / "scan.pdf"): "unsupported",
        str(inp / "nothing-here"): "empty folder",
    }
    return SimpleNamespace(result=result, inp=inp, out=out, bad=bad)


def test_bad_inputs_exit_1_and_digest_still_written(messy_build):
    assert messy_build.result.exit_code == 1, messy_build.result.output
    assert sorted(p.name for p in messy_build.out.iterdir() if p.name != "brief.db") == [
        "2021-W34.html",
        "2021-W34.json",
        "2021-W34.md",
    ]
    assert "5 skipped" in messy_build.result.stdout


def test_bad_inputs_listed_in_json_with_reason(messy_build):
    data = json.loads((messy_build.out / "2021-W34.json").read_text(encoding="utf-8"))
    skipped = {s["source"]: s["reason"] for s in data["skipped"]}
    assert set(skipped) == set(messy_build.bad)
    for source, word in messy_build.bad.items():
        assert word in skipped[source], (source, skipped[source])
    # the good report was read (collected now, so it is outside 2021-W34), never skipped
    assert [Path(o["source"]).name for o in data["outside_week"]] == ["good.txt"]
    assert data["stats"]["skipped"] == 5


def test_bad_inputs_listed_in_markdown_and_html(messy_build):
    md = (messy_build.out / "2021-W34.md").read_text(encoding="utf-8")
    html = (messy_build.out / "2021-W34.html").read_text(encoding="utf-8")
    md_section = md.split("## 未收录", 1)[1]
    html_section = html.split('<h3 id="skipped">未收录</h3>', 1)[1]
    for source, word in messy_build.bad.items():
        row = next(line for line in md_section.splitlines() if f"`{source}`" in line)
        assert word in row, row
        assert f"<code>{source}</code>" in html_section


def test_bad_inputs_one_stderr_line_each(messy_build):
    lines = stderr_lines(messy_build.result)
    assert len(lines) == len(messy_build.bad), lines
    for source in messy_build.bad:
        assert sum(source + ":" in line for line in lines) == 1, (source, lines)


def test_quiet_build_prints_no_skip_lines(tmp_path):
    inp = tmp_path / "in"
    write_report(inp / "good.txt", GOOD_REPORT)
    (inp / "empty.txt").write_bytes(b"")
    result = invoke(["build", "--week", "--input", inp, "--out", tmp_path / "out", "-q"], tmp_path)
    assert result.exit_code == 1
    assert result.stderr == ""


def test_empty_input_folder(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    out = tmp_path / "out"
    result = invoke(["build", "--week", "2021-W34", "--input", inp, "--out", out], tmp_path)
    assert result.exit_code == 1, result.output
    data = json.loads((out / "2021-W34.json").read_text(encoding="utf-8"))
    assert data["reports"] == []
    assert data["outside_week"] == []
    assert len(data["skipped"]) == 1
    assert data["skipped"][0]["source"] == str(inp)
    assert "empty folder" in data["skipped"][0]["reason"]
    md = (out / "2021-W34.md").read_text(encoding="utf-8")
    assert "本周没有收录任何报告" in md
    assert f"`{inp}`" in md.split("## 未收录", 1)[1]
    assert str(inp) in result.stderr


def test_hidden_files_are_not_inputs(tmp_path):
    inp = tmp_path / "in"
    write_report(inp / "good.txt", GOOD_REPORT)
    (inp / ".DS_Store").write_bytes(b"\x00\x01binary")
    write_report(inp / ".git" / "HEAD", "ref: refs/heads/main\n")
    out = tmp_path / "out"
    result = invoke(["build", "--week", "--input", inp, "--out", out, "--format", "json"], tmp_path)
    assert result.exit_code == 0, result.output
    (digest,) = out.glob("*.json")
    data = json.loads(digest.read_text(encoding="utf-8"))
    assert [Path(r["source"]).name for r in data["reports"]] == ["good.txt"]
    assert data["skipped"] == []


def test_newline_in_file_name_cannot_break_markdown(tmp_path):
    inp = tmp_path / "in"
    write_report(inp / "good.txt", GOOD_REPORT)
    (inp / "bad\n# 注入标题.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = invoke(["build", "--week", "--input", inp, "--out", out, "--format", "md"], tmp_path)
    assert result.exit_code == 1
    (digest,) = out.glob("*.md")
    md = digest.read_text(encoding="utf-8")
    assert not any(line.startswith("# 注入标题") for line in md.splitlines())
    table = md.split("## 未收录", 1)[1].split("\n\n", 1)[0]
    assert all(line.startswith("|") for line in table.strip().splitlines()), table
    assert len(stderr_lines(result)) == 1


# --- clean and explain ------------------------------------------------------------------------------------


def test_clean_explain_seed_002(tmp_path):
    result = invoke(["clean", SEEDS / SEED_NAMES[2], "--explain"], tmp_path)
    assert result.exit_code == 0, result.output
    text, sep, report = result.stdout.partition("── ")
    assert sep, result.stdout
    for rule in (
        "contact-line",
        "view-counter",
        "image-filename",
        "editor-line",
        "copyright-footer",
        "publication-line",
    ):
        assert f"removed [{rule}]" in report, rule
    assert "line 1: 电话: 028-86966315" in report
    assert "kept as metadata [publication line]: 2022 02/13 16:09" in report
    # the cleaned text comes first, without the chrome
    assert "像刘西林这样结对帮扶的驻村第一书记在全县共有152名。" in text
    assert "2021年，全县脱贫人口人均可支配收入11886元" in text
    for chrome in CHROME:
        assert chrome not in text, chrome


def test_clean_without_explain_prints_only_text(tmp_path):
    result = invoke(["clean", SEEDS / SEED_NAMES[2]], tmp_path)
    assert result.exit_code == 0, result.output
    assert "removed [" not in result.stdout
    assert "像刘西林这样结对帮扶的驻村第一书记在全县共有152名。" in result.stdout


def test_clean_converts_traditional_and_drops_pinyin(tmp_path):
    result = invoke(["clean", SEEDS / SEED_NAMES[0], "--explain"], tmp_path)
    assert result.exit_code == 0, result.output
    text = result.stdout.partition("── ")[0]
    assert text.startswith("草潭镇扎实推进脱贫攻坚与乡村振兴交接衔接")
    assert "镇(zhèn)" not in text and "乡(xiāng)" not in text and "(zh" not in text
    assert opencc.OpenCC("t2s").convert(text) == text
    assert "removed [pinyin-annotation]" in result.stdout
    assert "Traditional → Simplified" in result.stdout
    # the two lost characters of line 3 ("??h") are marked and reported
    assert "会议□□人大常委会副主任韩永红" in text
    assert "warning: 第3行第121列有2个字符丢失" in result.stdout  # column in the input line


def test_clean_seed_000_leaves_no_pinyin_or_raw_question_marks(tmp_path):
    result = invoke(["clean", SEEDS / SEED_NAMES[0], "--explain"], tmp_path)
    assert result.exit_code == 0, result.output
    text = result.stdout.partition("── ")[0]
    assert not PINYIN.search(text), PINYIN.findall(text)
    assert "?" not in text
    assert "第16行" in result.stdout  # a warning for the lost character of line 16


def test_clean_of_skippable_file_is_an_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = invoke(["clean", empty], tmp_path)
    assert result.exit_code != 0
    assert "empty file" in result.stderr


@pytest.mark.parametrize("command", ["clean", "explain"])
def test_clean_and_explain_of_missing_file_is_usage_error(tmp_path, command):
    result = invoke([command, tmp_path / "missing.txt"], tmp_path)
    assert result.exit_code == 2


def test_explain_seed_004_shows_date_rule_and_region_evidence(tmp_path):
    result = invoke(["explain", SEEDS / SEED_NAMES[4]], tmp_path)
    assert result.exit_code == 0, result.output
    out = result.stdout
    # a page without a headline: the title is made from the lead's meeting clause, organiser included
    assert re.search(r"^title:\s+\S+召开五龙镇脱贫攻坚工作推进会议$", out, re.M), out
    assert re.search(r"^date:\s+\d{4}-02-28 \(confidence \w+\)$", out, re.M), out
    assert re.search(r"^\s+rule: 正文月日", out, re.M), out
    assert "region:   甘肃省天水市麦积区五龙镇" in out
    assert "五龙镇 exists in" in out and "decided by" in out


def test_explain_seed_002_and_003(tmp_path):
    r2 = invoke(["explain", SEEDS / SEED_NAMES[2]], tmp_path)
    assert r2.exit_code == 0, r2.output
    assert "date:     2022-02-13" in r2.stdout
    assert "rule: 发布时间行“2022 02/13 16:09”" in r2.stdout
    assert "region:   四川省广安市邻水县" in r2.stdout
    r3 = invoke(["explain", SEEDS / SEED_NAMES[3]], tmp_path)
    assert r3.exit_code == 0, r3.output
    assert "region:   城关镇" in r3.stdout
    assert "城关镇 exists in" in r3.stdout and "nothing in the report decides" in r3.stdout


# --- help and version -----------------------------------------------------------------------------------------

COMMANDS = sorted(main.commands)


def test_there_are_commands():
    assert {"build", "clean", "explain"} <= set(COMMANDS)


@pytest.mark.parametrize("args", [[], *[[name] for name in COMMANDS]], ids=["brief", *COMMANDS])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_exits_zero_and_has_an_example(tmp_path, args, flag):
    result = invoke([*args, flag], tmp_path)
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout
    assert "Example" in result.stdout


def test_main_help_lists_commands(tmp_path):
    result = invoke(["--help"], tmp_path)
    for name in COMMANDS:
        assert re.search(rf"^\s+{name}\s", result.stdout, re.M), name


def test_version(tmp_path):
    result = invoke(["--version"], tmp_path)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"brief, version {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


HEAVY = ("torch", "transformers", "jinja2", "trafilatura", "opencc")


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["--version"]], ids=" ".join)
def test_help_does_not_import_heavy_modules(tmp_path, args):
    code = (
        "import sys\n"
        "from briefing.cli import main\n"
        "try:\n"
        f"    main({args!r}, standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print('LOADED=' + ','.join(loaded), file=sys.stderr)\n"
    )
    env = environment_without_brief()
    env["PYTHONPATH"] = os.pathsep.join([str(SEEDS.parent), env.get("PYTHONPATH", "")])  # this checkout
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "Usage:" in proc.stdout or "version" in proc.stdout
    (line,) = [x for x in proc.stderr.splitlines() if x.startswith("LOADED=")]
    assert line == "LOADED=", line
