"""`brief explain` names the rules that decided the date by id, and `--rules` prints the date
decision list in order with what fired (issue 19), on crafted reports of the real shape."""

from __future__ import annotations

import os
import re

from conftest import invoke

from briefing.extract.dates import DATE_DECISIONS

REPORT = (
    "县委召开乡村振兴工作推进会\n发布时间：2024-08-27 10:00\n"
    "8月26日，县委召开乡村振兴工作推进会，研究部署下一步工作。\n"
)


def _write(tmp_path, text: str = REPORT):
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    os.utime(path, (1735646400, 1735646400))  # collected 2024-12-31
    return path


def test_explain_lists_the_date_rule_ids_in_order(tmp_path):
    result = invoke(["explain", _write(tmp_path)], tmp_path)
    assert result.exit_code == 0, result.output
    assert re.search(r"^date:\s+2024-08-26 \(confidence high\)$", result.stdout, re.M), result.stdout
    assert "rule: 正文月日，年份取自发布时间行“2024-08-27 10:00”" in result.stdout
    assert "ids:  date.day.opening → date.published.line → date.year.published" in result.stdout
    assert re.search(r"^\s+id:   title\.card\.headline_line$", result.stdout, re.M), result.stdout
    assert "date rules, in order" not in result.stdout  # only with --rules


def test_explain_rules_prints_the_decision_list_in_order_with_what_fired(tmp_path):
    result = invoke(["explain", "--rules", _write(tmp_path)], tmp_path)
    assert result.exit_code == 0, result.output
    out = result.stdout
    listed = re.findall(r"^  [✓+✗· ] (date\.\S+)", out, re.M)
    assert listed[: len(DATE_DECISIONS)] == [d.rule_id for d in DATE_DECISIONS]
    assert re.search(r"^  \+ date\.day\.opening\s", out, re.M)  # the day read
    assert re.search(r"^  · date\.day\.after_dateline\s", out, re.M)  # tried, did not apply
    assert re.search(r"^  ✓ date\.year\.published\s", out, re.M)  # decided
    assert re.search(r"^    date\.year\.collection\s", out, re.M)  # not reached
    assert re.search(r"^consulted:\n  \+ date\.published\.line\s", out, re.M)


def test_explain_rules_shows_a_veto(tmp_path):
    text = (
        "县农业农村委挂牌\n发布时间：2024-06-01 09:00\n"
        "近日，区农业农村委增挂区乡村振兴局牌子。5月29日，市乡村振兴局挂牌。\n"
    )
    result = invoke(["explain", "--rules", _write(tmp_path, text)], tmp_path)
    assert result.exit_code == 0, result.output
    assert re.search(r"^date:\s+unknown", result.stdout, re.M)
    assert re.search(r"^  ✗ date\.veto\.undated_first\s", result.stdout, re.M)
    assert re.search(r"^  ✓ date\.undated\.vague_published\s", result.stdout, re.M)


def test_explain_rules_names_every_facts_rules_by_id_and_reason(tmp_path):
    text = (
        "邻水县召开防返贫监测工作推进会\n发布时间：2024-08-27 10:00\n"
        "8月26日，邻水县召开防返贫动态监测工作推进会，县委书记李强主持会议并讲话。"
        "全县新识别监测对象214户，落实衔接资金5620万元。\n"
    )
    result = invoke(["explain", "--rules", _write(tmp_path, text)], tmp_path)
    assert result.exit_code == 0, result.output
    facts = result.stdout.split("rules that decided each fact, in order:", 1)[1]
    blocks = dict(re.findall(r"^  (\S[^\n]*)\n((?:    [^\n]*\n?)+)", facts, re.M))
    assert {"title", "date", "region", "official 县委书记李强"} <= set(blocks), blocks.keys()
    assert "region.subject.title" in blocks["region"] and "标题中最具体的地名" in blocks["region"]
    assert "official.role.clause_words" in blocks["official 县委书记李强"]
    figures = [fact for fact in blocks if fact.startswith("figure ")]
    assert figures and all("figure.number.unit" in blocks[f] for f in figures)
    assert "(no reason recorded)" not in facts
