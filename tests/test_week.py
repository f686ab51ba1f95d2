"""ISO weeks (`briefing.week.IsoWeek`) and how `brief build` places reports in a week."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from conftest import SEED_NAMES, copy_seeds, invoke

from briefing.errors import UsageError
from briefing.week import IsoWeek

# --- IsoWeek -------------------------------------------------------------------------------------


def test_parse_and_str():
    week = IsoWeek.parse("2021-W34")
    assert (week.year, week.week) == (2021, 34)
    assert str(week) == "2021-W34"
    assert week == IsoWeek(2021, 34)


@pytest.mark.parametrize("text", ["2021-W34", "2021W34", "2021-w34", " 2021-W34 ", "2021-W34\n"])
def test_parse_accepts_spellings_and_normalises(text):
    assert str(IsoWeek.parse(text)) == "2021-W34"


def test_str_pads_single_digit_weeks():
    assert str(IsoWeek.parse("2021-W5")) == "2021-W05"
    assert str(IsoWeek(2021, 1)) == "2021-W01"


def test_start_and_end():
    week = IsoWeek.parse("2021-W34")
    assert week.start == dt.date(2021, 8, 23)
    assert week.end == dt.date(2021, 8, 29)
    assert week.start.isoweekday() == 1 and week.end.isoweekday() == 7


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2021, 8, 23), "2021-W34"),
        (dt.date(2021, 8, 29), "2021-W34"),
        (dt.date(2021, 8, 22), "2021-W33"),
        (dt.date(2021, 8, 30), "2021-W35"),
        (dt.date(2021, 1, 1), "2020-W53"),
        (dt.date(2021, 1, 3), "2020-W53"),
        (dt.date(2021, 1, 4), "2021-W01"),
        (dt.date(2019, 12, 30), "2020-W01"),
        (dt.date(2024, 12, 31), "2025-W01"),
    ],
)
def test_containing(day, expected):
    assert str(IsoWeek.containing(day)) == expected


def test_contains_operator():
    week = IsoWeek.parse("2021-W34")
    assert dt.date(2021, 8, 23) in week
    assert dt.date(2021, 8, 29) in week
    assert dt.date(2021, 8, 22) not in week
    assert dt.date(2021, 8, 30) not in week


def test_current_week():
    assert IsoWeek.current(dt.date(2021, 8, 25)) == IsoWeek(2021, 34)
    today = dt.date.today()
    assert today in IsoWeek.current()


def test_weeks_are_ordered():
    assert IsoWeek.parse("2020-W53") < IsoWeek.parse("2021-W01") < IsoWeek.parse("2021-W34")


def test_year_boundary_week_53():
    week = IsoWeek.parse("2020-W53")
    assert week.start == dt.date(2020, 12, 28)
    assert week.end == dt.date(2021, 1, 3)
    assert str(IsoWeek.parse("2026-W53")) == "2026-W53"
    with pytest.raises(UsageError, match="2021 has no week 53"):
        IsoWeek.parse("2021-W53")


@pytest.mark.parametrize(
    "text",
    ["2021-W99", "2021-W54", "2021-W00", "2021-W0", "foo", "", "2021-34", "21-W34", "2021-W034", "W34", "2021-W3x"],
)
def test_invalid_week_raises_usage_error(text):
    with pytest.raises(UsageError) as info:
        IsoWeek.parse(text)
    assert info.value.exit_code == 2
    assert text.strip() in str(info.value)


# --- placing reports in a week through the CLI ----------------------------------------------------------


def stamp(path: Path, when: dt.datetime) -> None:
    t = when.timestamp()  # naive datetime: local time, as the pipeline reads mtimes
    os.utime(path, (t, t))


def load(out: Path, week: str) -> dict:
    return json.loads((out / f"{week}.json").read_text(encoding="utf-8"))


def names(items: list[dict]) -> list[str]:
    return sorted(Path(i["source"]).name for i in items)


IN_W34 = dt.datetime(2021, 8, 29, 18, 0)  # Sunday of 2021-W34, after every seed's meeting
IN_W36 = dt.datetime(2021, 9, 10, 12, 0)


def test_week_by_collection_time(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_W34)
    stamp(inp / SEED_NAMES[1], IN_W36)
    out = tmp_path / "out"
    result = invoke(["build", "--week", "2021-W34", "--input", inp, "--out", out], tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.name != "brief.db") == [
        "2021-W34.html",
        "2021-W34.json",
        "2021-W34.map.png",
        "2021-W34.md",
    ]
    data = load(out, "2021-W34")
    assert data["week"] == "2021-W34"
    assert (data["start"], data["end"]) == ("2021-08-23", "2021-08-29")
    assert data["select_by"] == "collected"
    assert names(data["reports"]) == [n for i, n in enumerate(SEED_NAMES) if i != 1]
    assert data["skipped"] == []
    (other,) = data["outside_week"]
    assert Path(other["source"]).name == SEED_NAMES[1]
    assert other["week"] == "2021-W36"
    assert "2021-09-10" in other["reason"]
    assert data["stats"]["outside_week"] == 1
    md = (out / "2021-W34.md").read_text(encoding="utf-8")
    section = md.split("## 其他周的文件", 1)[1]
    assert SEED_NAMES[1] in section
    assert "平安乡召开脱贫攻坚工作推进会" not in md  # the title of 001 is not in this week's digest
    html = (out / "2021-W34.html").read_text(encoding="utf-8")
    assert SEED_NAMES[1] in html.split('<h3 id="outside">其他周的文件</h3>', 1)[1]
    assert "1 from other weeks" in result.stdout


def test_collected_week_ignores_the_reports_own_dates(tmp_path):
    """Reports dated 2020 and 2022 still belong to the week they were collected in."""
    inp = copy_seeds(tmp_path / "in", IN_W34)
    out = tmp_path / "out"
    result = invoke(["build", "--week", "2021-W34", "--input", inp, "--out", out, "--format", "json"], tmp_path)
    assert result.exit_code == 0, result.output
    data = load(out, "2021-W34")
    dates = {Path(r["source"]).name[:3]: r["date"]["iso"] for r in data["reports"]}
    # 001 says only "2017年以来" (since 2017): no year, so the latest 10月10日 before collection
    assert dates["001"] == "2020-10-10"
    assert dates["002"] == "2022-02-13"
    assert dates["000"] == "2021-08-26"
    # no year in 003/004: the year comes from the collection date, and the rule says so
    assert dates["003"] == "2021-03-15" and dates["004"] == "2021-02-28"
    for r in data["reports"]:
        if Path(r["source"]).name[:3] in ("001", "003", "004"):
            assert "采集日期2021-08-29" in r["date"]["rule"]


def test_week_by_report_date(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_W36)
    out = tmp_path / "out"
    result = invoke(["build", "--week", "2021-W34", "--by", "date", "--input", inp, "--out", out], tmp_path)
    assert result.exit_code == 0, result.output
    data = load(out, "2021-W34")
    assert data["select_by"] == "date"
    assert names(data["reports"]) == [SEED_NAMES[0]]  # 000: 8月26日 of 2021, collected in W36
    outside = {Path(o["source"]).name: o for o in data["outside_week"]}
    assert sorted(outside) == SEED_NAMES[1:]
    assert outside[SEED_NAMES[1]]["week"] == "2020-W41"
    assert outside[SEED_NAMES[2]]["week"] == "2022-W06"
    assert "2022-02-13" in outside[SEED_NAMES[2]]["reason"]
    assert data["skipped"] == []
    assert "报告日期" in (out / "2021-W34.md").read_text(encoding="utf-8")


def test_by_date_report_without_date_is_listed_not_dropped(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "nodate.txt").write_text(
        "平安乡召开乡村振兴工作推进会。会议要求全乡干部扎实推进乡村振兴各项工作，确保取得实效。\n", encoding="utf-8"
    )
    stamp(inp / "nodate.txt", IN_W34)
    out = tmp_path / "out"
    by_date = invoke(["build", "--week", "2021-W34", "--by", "date", "--input", inp, "--out", out], tmp_path)
    assert by_date.exit_code == 0, by_date.output
    data = load(out, "2021-W34")
    assert data["reports"] == [] and data["skipped"] == []
    (other,) = data["outside_week"]
    assert other["week"] == ""
    assert "no date" in other["reason"]
    by_collected = invoke(["build", "--week", "2021-W34", "--input", inp, "--out", out], tmp_path)
    assert by_collected.exit_code == 0
    (report,) = load(out, "2021-W34")["reports"]
    assert report["date"]["iso"] is None and report["date"]["rule"]


def test_year_boundary_week_through_cli(tmp_path):
    inp = copy_seeds(tmp_path / "in", dt.datetime(2021, 1, 2, 12, 0))
    out = tmp_path / "out"
    result = invoke(["build", "--week", "2020w53", "--input", inp, "--out", out, "--format", "json"], tmp_path)
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir() if p.name != "brief.db"] == ["2020-W53.json"]
    data = load(out, "2020-W53")
    assert (data["start"], data["end"]) == ("2020-12-28", "2021-01-03")
    assert names(data["reports"]) == SEED_NAMES


def test_skipped_files_are_listed_whatever_their_week(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_W34)
    (inp / "empty.txt").write_bytes(b"")
    stamp(inp / "empty.txt", IN_W36)
    out = tmp_path / "out"
    result = invoke(["build", "--week", "2021-W34", "--input", inp, "--out", out, "--format", "json"], tmp_path)
    assert result.exit_code == 1
    data = load(out, "2021-W34")
    assert names(data["skipped"]) == ["empty.txt"]
    assert data["outside_week"] == []


def test_collection_fallback_rule_does_not_claim_the_text_has_no_year(tmp_path):
    inp = copy_seeds(tmp_path / "in", dt.datetime(2021, 8, 25, 12, 0))
    out = tmp_path / "out"
    result = invoke(["build", "--week", "2021-W34", "--input", inp, "--out", out, "--format", "json"], tmp_path)
    assert result.exit_code == 0, result.output
    (r,) = [r for r in load(out, "2021-W34")["reports"] if Path(r["source"]).name == SEED_NAMES[0]]
    assert "全文无年份" not in r["date"]["rule"], r["date"]


def test_a_1970_modification_time_is_named_as_no_collection_date(tmp_path):
    # An archive unpacked without its times: the report is listed with what to do, not as "collected 1970".
    inp = tmp_path / "in"
    inp.mkdir()
    path = inp / "a.txt"
    path.write_text(
        "柳河镇召开工作会议\n发布时间：2023-06-12\n6月10日，柳河镇召开乡村振兴工作会议，镇长主持会议并部署工作。\n",
        "utf-8",
    )
    os.utime(path, (0, 0))
    result = invoke(["build", "--week", "2023-W23", "--input", inp, "--out", tmp_path / "out"], tmp_path)
    data = json.loads((tmp_path / "out" / "2023-W23.json").read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    (outside,) = data["outside_week"]
    assert "no collection date" in outside["reason"] and "--by date" in outside["reason"]
