"""Figures with meaning (issue 17, item 4): a complete phrase that says what it counts, a kind from
its own words, no fragments, no duplicates, nothing from markup. Invented texts of real shapes."""

from __future__ import annotations

import pytest

from briefing.extract.figures import find_figures


def figures(text: str) -> dict[str, str]:
    return {f.text: f.kind for f in find_figures(text)}


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        ("今年全县投入衔接资金1.2亿元，用于产业发展。", "衔接资金1.2亿元", "资金"),
        ("县财政拨付帮扶资金300万元。", "县财政拨付帮扶资金300万元", "资金"),
        ("全村工农业总产值210亿元。", "全村工农业总产值210亿元", "产值"),
        ("全县农村居民人均可支配收入达到1.5万元。", "全县农村居民人均可支配收入达到1.5万元", "收入"),
        ("全市地区生产总值1200亿元。", "全市地区生产总值1200亿元", "GDP"),
        ("全镇监测户56户。", "全镇监测户56户", "户数"),
        ("全县贫困发生率降至0.5%。", "全县贫困发生率降至0.5%", "比例"),
    ],
)
def test_kind_comes_from_the_figures_own_words(text: str, phrase: str, kind: str) -> None:
    assert figures(text).get(phrase) == kind, figures(text)


def test_a_village_output_value_is_not_funds() -> None:
    assert "资金" not in figures("该村工农业总产值达210亿元，村集体经济收入50万元。").values()


@pytest.mark.parametrize(
    "text",
    [
        "会议共有4名。",  # a bare count
        "30个村书记和分管乡村振兴的副书记参加会议。",  # (the noun ends at 和: kept whole, never cut)
        "该村距宁晋东高速出口10公里。",  # a distance
        "市考察组一行10人来我县调研。",  # a delegation's size
        "全体村干部近110人参加会议。",  # an audience
        "• 2025高考首日 晋江1.1万名考生赴考",  # page furniture
        "播放进度100%",  # markup of a video player, no words
    ],
)
def test_no_fragments_no_furniture(text: str) -> None:
    found = figures(text)
    assert all(not t.endswith(("分管乡村振", "和")) for t in found), found
    assert not any(t in ("4名", "100%", "10公里") or "一行" in t or "参加" in t or "•" in t for t in found), found


def test_one_fact_once() -> None:
    texts = list(figures("全镇现行标准下农村贫困人口958户、2478人全部脱贫退出。"))
    assert texts == ["全镇现行标准下农村贫困人口958户、2478人全部脱贫退出"]


def test_the_weeks_largest_funds_are_funds(tmp_path) -> None:
    # 本周最大数字 compares like with like: a village's output value is no 资金.
    from briefing.events import detect_events
    from briefing.ingest import IngestOptions
    from briefing.overview import largest_figures
    from briefing.pipeline import process_file

    texts = {
        "a.txt": "红星村召开产业发展推进会\n5月6日，红星村召开产业发展推进会。该村工农业总产值210亿元。\n",
        "b.txt": "青山县召开衔接资金调度会\n5月7日，青山县召开衔接资金调度会。今年全县拨付衔接资金1.2亿元。\n",
    }
    reports = []
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        reports.append(process_file(tmp_path / name, IngestOptions()))
    top = {f.kind: f.text for f in largest_figures(detect_events(reports))}
    assert top["资金"] == "今年全县拨付衔接资金1.2亿元" and top["产值"] == "该村工农业总产值210亿元"


@pytest.mark.parametrize(
    "text",
    [
        "会议表彰了8家先进帮扶单位和25名先进个人。",  # the counted nouns come after 家 and 名
        "石墙镇韩庄村的4名党员参加观摩。",
        "表现突出的8家企业作了交流发言。",
    ],
)
def test_a_count_whose_noun_comes_after_it_is_no_figure(text: str) -> None:
    # A figure cut before what it counts (…和25名, …的4名) says nothing: none is kept.
    assert not [t for t in figures(text) if t.endswith(("名", "家"))], figures(text)
