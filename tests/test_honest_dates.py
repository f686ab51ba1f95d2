"""Honest dates (issue 17, item 3): a year the page does not give is never printed as if it did."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import invoke, put_collected

from briefing.ingest import IngestOptions
from briefing.pipeline import process_file

WEEK = "2026-W50"
COLLECTED = dt.datetime(2026, 12, 9, 10, 0)

NO_YEAR = (
    "柳河镇召开防返贫动态监测工作推进会\n"
    "4月21日，柳河镇召开防返贫动态监测工作推进会，镇党委书记王明主持会议。"
    "会议要求，各村要对监测户逐户排查，做到应纳尽纳。\n"
)
CONTEXT_YEAR = (
    "青山县召开脱贫攻坚总结表彰大会\n"
    "3月5日，青山县召开脱贫攻坚总结表彰大会，县委书记李强出席并讲话。"
    "会议指出，2015年全县脱贫攻坚取得明显成效，全年减贫1200人。\n"
)
# The same hint, but the text speaks of 乡村振兴局, which exists only from 2021: the hint (2015年
# as a finished year, so 2016) is contradicted, and no year is given.
CONTRADICTED_YEAR = (
    "青山县召开脱贫攻坚总结表彰大会\n"
    "3月5日，青山县召开脱贫攻坚总结表彰大会，县乡村振兴局局长张华主持会议。"
    "会议指出，2015年全县脱贫攻坚取得明显成效，全年减贫1200人。\n"
)
STAMPED = (
    "白水镇召开乡村振兴工作会议\n"
    "发布时间：2023-06-12 09:30  来源：白水镇人民政府\n"
    "6月10日，白水镇召开乡村振兴工作会议，镇长赵刚主持会议。会议部署了下半年的产业帮扶工作。\n"
)


def put(folder: Path, name: str, text: str) -> Path:
    return put_collected(folder / name, text, COLLECTED)


@pytest.mark.parametrize(
    ("text", "basis", "shown"),
    [
        (NO_YEAR, "collection", "4月21日（未注明年份）"),
        (CONTEXT_YEAR, "context", "2016年3月5日（据文中“2015年”推断）"),
        (CONTRADICTED_YEAR, "collection", "3月5日（未注明年份）"),
        (STAMPED, "stated", "2023年6月10日"),
    ],
)
def test_year_basis_and_what_the_reader_sees(tmp_path: Path, text: str, basis: str, shown: str) -> None:
    report = process_file(put(tmp_path, "r.txt", text), IngestOptions())
    assert report.date.year_basis == basis
    assert report.date.display() == shown


def test_contradicted_inference_names_its_reason(tmp_path: Path) -> None:
    date = process_file(put(tmp_path, "r.txt", CONTRADICTED_YEAR), IngestOptions()).date
    assert "乡村振兴局" in date.rule and date.year_evidence is None


def test_the_digest_never_prints_a_collection_year(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    for name, text in {"a.txt": NO_YEAR, "b.txt": CONTEXT_YEAR, "c.txt": STAMPED}.items():
        put(inp, name, text)
    out = tmp_path / "out"
    result = invoke(["build", "--week", WEEK, "--input", inp, "--out", out], tmp_path)
    assert result.exit_code == 0, result.output
    data = json.loads((out / f"{WEEK}.json").read_text(encoding="utf-8"))
    dates = {Path(r["source"]).name: r["date"] for r in data["reports"]}
    assert dates["a.txt"]["year_basis"] == "collection" and dates["a.txt"]["iso"] == "2026-04-21"
    assert dates["b.txt"]["year_basis"] == "context" and dates["b.txt"]["year_evidence"] == "文中“2015年”"
    assert dates["c.txt"]["year_basis"] == "stated" and dates["c.txt"]["published"] == "2023-06-12"
    for fmt in ("md", "html"):
        page = (out / f"{WEEK}.{fmt}").read_text(encoding="utf-8")
        assert "4月21日（未注明年份）" in page
        assert "2026-04-21" not in page and "2026年4月21日" not in page
        assert "2023年6月10日（发布于2023年6月12日）" in page  # a 往期会议 line
