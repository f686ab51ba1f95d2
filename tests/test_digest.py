"""The digest files: grouping, escaping of untrusted report text, templates, atomic writes."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from conftest import SEED_NAMES, copy_seeds, invoke

from briefing.files import GENERATOR_COMMENT
from briefing.render import escape_markdown, packaged_templates
from briefing.text import UNPLACED

WEEK = "2021-W34"
IN_WEEK = dt.datetime(2021, 8, 29, 18, 0)


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    t = IN_WEEK.timestamp()
    os.utime(path, (t, t))
    return path


def build(tmp_path: Path, inp: Path, *extra: object):
    out = tmp_path / "out"
    result = invoke(["build", "--week", WEEK, "--input", inp, "--out", out, *extra], tmp_path)
    return result, out


def read(out: Path, fmt: str) -> str:
    return (out / f"{WEEK}.{fmt}").read_text(encoding="utf-8")


# --- escaping of report text --------------------------------------------------------------------------

EVIL_REPORT = (
    "草潭镇召开乡村振兴工作会议<script>alert(1)</script>\n"
    "8月26日，草潭镇召开乡村振兴工作会议<img src=x onerror=alert(1)>，镇领导梁盘主持会议。\n"
    "会议要求，全镇上下要扎实推进脱贫攻坚与乡村振兴有效衔接<script>alert(1)</script>，全镇958户贫困户全部脱贫。\n"
)


@pytest.fixture
def evil_build(tmp_path):
    inp = tmp_path / "in"
    put(inp / "evil.txt", EVIL_REPORT)
    result, out = build(tmp_path, inp)
    assert result.exit_code == 0, result.output
    return out


def test_html_escapes_script_and_img_from_reports(evil_build):
    html = read(evil_build, "html")
    assert "<script" not in html.lower()
    assert "<img src=x" not in html.lower() and "onerror=" not in html.replace("&lt;img src=x onerror=", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the headline, shown as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the summary, shown as text


def test_markdown_escapes_script_and_img_from_reports(evil_build):
    md = read(evil_build, "md")
    assert "<script" not in md.lower()
    assert "<img" not in md.lower()
    assert "&lt;script&gt;" in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md


def test_json_keeps_report_text_verbatim(evil_build):
    data = json.loads(read(evil_build, "json"))
    (report,) = data["reports"]
    assert report["title"] == "草潭镇召开乡村振兴工作会议<script>alert(1)</script>"
    assert "<img src=x onerror=alert(1)>" in report["summary"]


def test_markdown_markup_in_reports_is_neutralised(tmp_path):
    inp = tmp_path / "in"
    put(
        inp / "md.txt",
        # the link's target is no web address: a line with one is chrome, never the headline
        "草潭镇召开[乡村振兴](evil-example)会议**重要**\n"
        "8月26日，草潭镇召开乡村振兴工作会议，镇领导梁盘主持会议，要求`全员`参与 | 不得缺席_。\n",
    )
    result, out = build(tmp_path, inp, "--format", "md")
    assert result.exit_code == 0, result.output
    md = read(out, "md")
    assert "[乡村振兴](evil-example)" not in md
    assert "**重要**" not in md
    assert r"\[乡村振兴\](evil-example)" in md
    assert r"\*\*重要\*\*" in md
    assert r"\`全员\`" in md and r"\|" in md


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("a & b", "a &amp; b"),
        ("&lt;", "&amp;lt;"),
        ("**bold** _it_ `code` [l](u) a|b ~s~ \\", r"\*\*bold\*\* \_it\_ \`code\` \[l\](u) a\|b \~s\~ \\"),
        ("两行\n文字", "两行 文字"),
        (None, ""),
        (12, "12"),
    ],
)
def test_escape_markdown(raw, escaped):
    assert escape_markdown(raw) == escaped


# --- grouping and contents --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_digest(tmp_path_factory):
    root = tmp_path_factory.mktemp("digest")
    inp = copy_seeds(root / "in", IN_WEEK)
    # These tests read the cards: with no line under 往期会议, each of the seeds (years old, or
    # without a year) keeps its card. tests/test_week_reading.py checks that line.
    put(root / "brief.toml", "[digest]\nrecent_days = 36500\n")
    result, out = build(root, inp)
    assert result.exit_code == 0, result.output
    return out


def test_groups_are_provinces_in_division_code_order_with_unplaced_last(seed_digest):
    md = read(seed_digest, "md")
    headings = [line[3:].split("（")[0] for line in md.splitlines() if line.startswith("## ")]
    # 本周概览 first; provinces by their division codes (广东 44, 重庆 50, 四川 51, 甘肃 62).
    assert headings == ["本周概览", "广东省", "重庆市", "四川省", "甘肃省", UNPLACED, "数据说明"]
    data = json.loads(read(seed_digest, "json"))
    assert data["regions"] == ["广东省", "重庆市", "四川省", "甘肃省"]
    assert data["stats"] == {
        "reports": 5,
        "skipped": 0,
        "outside_week": 0,
        "provinces": 4,
        "unplaced": 1,
        "warnings": data["stats"]["warnings"],
        "cached": 0,  # the extractive backend: no model, no cache, no guard
        "generated": 0,
        "guard_fallbacks": 0,
        "events": 5,  # five different meetings: no repost among the seeds
        "new_events": 5,
        "previously_reported": 0,
        "guard_reasons": {},
    }
    assert data["stats"]["warnings"] == sum(len(r["warnings"]) for r in data["reports"])


def test_place_labels_under_provinces(seed_digest):
    md = read(seed_digest, "md")
    for label in (
        "### 湛江市 › 遂溪县",
        "### 天水市 › 麦积区",
        "### 奉节县",
        "### 广安市 › 邻水县",
        "### 城关镇（所属县未定）",
    ):
        assert label in md.splitlines(), label
    html = read(seed_digest, "html")
    assert "<h3>湛江市 › 遂溪县</h3>" in html


def test_report_card_in_markdown(seed_digest):
    md = read(seed_digest, "md")
    card = md.split("#### 平安乡召开脱贫攻坚工作推进会", 1)[1].split("####", 1)[0]
    # "2017年以来" gives no year (collected 2021-08-29): no year printed; the rule is the appendix's
    assert "- **时间**：10月10日（未注明年份）\n" in card
    assert "- **地点**：重庆市奉节县平安乡" in card
    assert "- **要点**：" in card
    # the outlet, without a link (the seed has no address); the local path only in the appendix
    assert "- **来源**：奉节网（未附网址） 署名：记者 段超 通讯员 王培权" in card
    path = str(seed_digest.parent / "in" / SEED_NAMES[1])
    assert path not in md.split('<a id="appendix"></a>', 1)[0]
    appendix = md.split("## 数据说明", 1)[1]
    assert f"`{path}` → [平安乡召开脱贫攻坚工作推进会](#ev-" in appendix
    assert "日期依据：正文月日，文中“2017年以来”只说明不早于2017年" in appendix
    assert "⚠" not in md.split("## 数据说明", 1)[0]


def test_week_heading_and_range(seed_digest):
    md = read(seed_digest, "md")
    assert md.startswith("# 乡村振兴周报｜2021年第34周（8月23日—29日）\n")
    html = read(seed_digest, "html")
    assert "<title>乡村振兴周报｜2021年第34周（8月23日—29日）</title>" in html
    assert "<!DOCTYPE html>" in html and '<html lang="zh-CN">' in html


def test_warnings_reach_the_digest(seed_digest):
    data = json.loads(read(seed_digest, "json"))
    (r000,) = [r for r in data["reports"] if Path(r["source"]).name == SEED_NAMES[0]]
    assert any("字符丢失" in w for w in r000["warnings"])
    md = read(seed_digest, "md")
    assert md.count("- ⚠ ") == data["stats"]["warnings"]


# --- templates --------------------------------------------------------------------------------------------


def test_packaged_templates_folder():
    folder = packaged_templates()
    assert (folder / "digest.md.j2").is_file() and (folder / "digest.html.j2").is_file()


def test_user_template_overrides_packaged_one(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    mine = tmp_path / "my-templates"
    put(
        mine / "digest.md.j2",
        "CUSTOM {{ digest.week }} {{ digest.reports | length }}\n"
        "{% for r in digest.reports %}* {{ r.title | md }}\n{% endfor %}",
    )
    result, out = build(tmp_path, inp, "--templates", mine)
    assert result.exit_code == 0, result.output
    md = read(out, "md")
    assert md.startswith(f"CUSTOM {WEEK} 5\n")
    assert "* 平安乡召开脱贫攻坚工作推进会" in md
    assert "乡村振兴周报" not in md
    # the HTML template was not overridden: the packaged one is still used
    assert "<title>乡村振兴周报｜2021年第34周（8月23日—29日）</title>" in read(out, "html")


def test_user_html_template_is_autoescaped(tmp_path):
    inp = tmp_path / "in"
    put(inp / "evil.txt", EVIL_REPORT)
    mine = tmp_path / "tpl"
    put(mine / "digest.html.j2", "{% for r in digest.reports %}<p>{{ r.title }}</p>{% endfor %}\n")
    result, out = build(tmp_path, inp, "--templates", mine, "--format", "html")
    assert result.exit_code == 0, result.output
    html = read(out, "html").strip()
    assert html == f"{GENERATOR_COMMENT}\n<p>草潭镇召开乡村振兴工作会议&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_templates_from_brief_toml(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    put(tmp_path / "tpl" / "digest.md.j2", "FROM-TOML {{ digest.week }}\n")
    put(tmp_path / "brief.toml", '[build]\ntemplates = "tpl"\nformats = ["md"]\n')
    result, out = build(tmp_path, inp)
    assert result.exit_code == 0, result.output
    assert read(out, "md") == f"FROM-TOML {WEEK}\n\n{GENERATOR_COMMENT}\n"


def test_missing_templates_folder_is_usage_error(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    result, _ = build(tmp_path, inp, "--templates", tmp_path / "no-such-templates")
    assert result.exit_code == 2


@pytest.mark.parametrize("body", ["{% for %}\n", "{{ digest.no_such_field }}\n"])
def test_broken_user_template_is_a_one_line_error(tmp_path, body):
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    put(tmp_path / "tpl" / "digest.md.j2", body)
    result, _ = build(tmp_path, inp, "--templates", tmp_path / "tpl")
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --- atomic writes ------------------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp"))


def test_no_temporary_files_left_behind(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    result, out = build(tmp_path, inp)
    assert result.exit_code == 0, result.output
    assert leftovers(out) == []
    assert sorted(p.name for p in out.iterdir() if p.name != "brief.db") == [
        f"{WEEK}.html",
        f"{WEEK}.json",
        f"{WEEK}.map.png",
        f"{WEEK}.md",
    ]


def test_rebuild_replaces_digest(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    out = tmp_path / "out"
    out.mkdir()
    earlier = "OLD DIGEST\n\n摘要：extractive · brief 0.0.9\n"  # an earlier brief's digest: its footer
    (out / f"{WEEK}.md").write_text(earlier, encoding="utf-8")
    result, out = build(tmp_path, inp, "--format", "md")
    assert result.exit_code == 0, result.output
    assert read(out, "md").startswith("# 乡村振兴周报｜2021年第34周")
    assert leftovers(out) == []


def test_failed_render_keeps_previous_digest_and_leaves_no_temp_files(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    out = tmp_path / "out"
    out.mkdir()
    previous = f"PREVIOUS DIGEST\n\n{GENERATOR_COMMENT}\n"  # brief's own: replaceable
    (out / f"{WEEK}.md").write_text(previous, encoding="utf-8")
    put(tmp_path / "tpl" / "digest.md.j2", "{{ digest.no_such_field }}\n")
    result, out = build(tmp_path, inp, "--templates", tmp_path / "tpl", "--format", "md")
    assert result.exit_code == 2 and "no_such_field" in result.output, result.output
    assert read(out, "md") == previous
    assert leftovers(out) == []


def test_output_folder_is_created(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    out = tmp_path / "a" / "b" / "c"
    result = invoke(["build", "--week", WEEK, "--input", inp, "--out", out, "--format", "json"], tmp_path)
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir() if p.name != "brief.db"] == [f"{WEEK}.json"]


def test_outputs_are_utf8_with_unix_newlines(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    result, out = build(tmp_path, inp)
    assert result.exit_code == 0, result.output
    for fmt in ("md", "html", "json"):
        raw = (out / f"{WEEK}.{fmt}").read_bytes()
        assert b"\r\n" not in raw
        assert raw.endswith(b"\n")
        raw.decode("utf-8")
    assert "草潭镇" in (out / f"{WEEK}.json").read_text(encoding="utf-8")  # not \\u-escaped
