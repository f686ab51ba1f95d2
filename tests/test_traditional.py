"""Traditional -> Simplified keeps names: the division list's and officials' (issue 17, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.clean import clean_text
from briefing.extract.gazetteer import load_gazetteer
from briefing.ingest import IngestOptions
from briefing.pipeline import process_file
from briefing.traditional import to_simplified


def division_names() -> list[str]:
    gazetteer = load_gazetteer()
    return sorted(set(gazetteer.by_name) | set(gazetteer.by_short) | set(gazetteer.former))


def test_every_division_name_survives_the_conversion() -> None:
    names = division_names()
    assert len(names) > 30000
    altered = [(n, to_simplified(n)[0]) for n in names if to_simplified(n)[0] != n]
    assert altered == []


def test_every_division_name_survives_the_cleaner_in_a_sentence() -> None:
    # One report of every name, in lines the cleaner keeps: the whole cleaning pipeline, not only t2s.
    names = division_names()
    lines = [f"{name}召开乡村振兴工作推进会议，部署下一阶段重点任务。" for name in names]
    cleaned = clean_text("\n".join(lines)).text.split("\n")
    assert len(cleaned) == len(lines)
    lost = [name for name, line in zip(names, cleaned, strict=True) if not line.startswith(name)]
    assert lost == []


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("乾安縣召開鄉村振興工作會議", "乾安县召开乡村振兴工作会议"),  # Traditional page, name's own 乾
        ("於潛鎮黨委書記主持會議", "於潜镇党委书记主持会议"),
        ("濛江鎮開展防返貧監測", "濛江镇开展防返贫监测"),
        ("幹部大會在縣城召開", "干部大会在县城召开"),  # 幹 is no name: converted as before
        ("天氣乾燥，注意防火", "天气干燥，注意防火"),  # 乾 outside a name: converted as before
    ],
)
def test_traditional_text_converts_but_names_keep_their_characters(page: str, expected: str) -> None:
    assert to_simplified(page)[0] == expected


def test_officials_names_keep_characters_that_are_also_simplified() -> None:
    text, _ = to_simplified("縣長王乾主持會議，副縣長於立新、張明出席")
    assert text == "县长王乾主持会议，副县长於立新、张明出席"  # 張 is only Traditional: 张


def write_report(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("headline", "body", "county", "city"),
    [
        (
            "乾安县召开防返贫动态监测帮扶工作推进会",
            "5月18日，松原市乾安县召开防返贫动态监测帮扶工作推进会，县委副书记李明主持会议。"
            "会议要求，各乡镇要压实责任，对监测对象做到应纳尽纳、应帮尽帮，确保不发生规模性返贫。",
            "乾安县",
            "松原市",
        ),
        (
            "乾县召开乡村振兴重点工作调度会",
            "6月3日，咸阳市乾县召开乡村振兴重点工作调度会，县长王强出席并讲话。"
            "会议强调，要抓好产业帮扶和就业帮扶，衔接资金项目要在9月底前全部开工。",
            "乾县",
            "咸阳市",
        ),
    ],
)
def test_reports_keep_their_county_and_headline(
    tmp_path: Path, headline: str, body: str, county: str, city: str
) -> None:
    report = process_file(write_report(tmp_path, "r.txt", f"{headline}\n{body}\n"), IngestOptions())
    assert report.title == headline
    assert report.region.county == county
    assert report.region.city == city
    assert "干" not in report.title
