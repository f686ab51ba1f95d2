"""Rules by id (issue 19): every rule of extract/catalog.py has a reason and examples, each example
gives the expected answer and fires its rule, the date decision list and the catalog agree, and
every pattern of dates.py holds its must / must-not examples; officials and figures carry the
ids of the rules that read them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from briefing.extract import catalog as catalog_module
from briefing.extract import dates, region_features
from briefing.extract.catalog import catalog, message
from briefing.extract.doc import Doc
from briefing.extract.figures import find_figures
from briefing.extract.officials import find_officials
from briefing.extract.rules import Example, Pattern, Rule
from briefing.extract.title import card_title, choose_card_title, read_title, split_title
from briefing.models import PageMeta, Region, ReportDate

RULES = catalog_module.RULES
DATE_RULES = [r for r in RULES if r.stage == "date"]


def _date_of(example: Example) -> ReportDate:
    page = example.page
    meta = PageMeta(
        published=page.get("published"),
        page_dates=tuple(page.get("page_dates", ())),
        dateline=page.get("dateline"),
        epaper=bool(page.get("epaper", False)),
    )
    collected = dt.datetime.fromisoformat(page.get("collected", catalog_module.EXAMPLE_COLLECTED) + "T12:00")
    return dates.resolve_date(example.text, meta, collected, page.get("html_date"), page.get("headline", ""))


@pytest.mark.parametrize(
    ("rule", "example"),
    [(r, e) for r in DATE_RULES for e in r.examples],
    ids=[f"{r.id}#{i}" for r in DATE_RULES for i, _ in enumerate(r.examples)],
)
def test_date_example_gives_its_answer_and_fires_its_rule(rule: Rule, example: Example) -> None:
    date = _date_of(example)
    if "date" in example.expect:
        assert date.iso == example.expect["date"], date
    if "rule" in example.expect:
        assert date.rule == example.expect["rule"]
    if "basis" in example.expect:
        assert date.year_basis == example.expect["basis"]
    assert rule.id in date.rule_ids, (rule.id, date.rule_ids, date.rule)
    assert date.rule_id == date.rule_ids[-1]  # the deciding rule is the last to take part


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_has_a_reason_with_chinese_and_an_example(rule: Rule) -> None:
    assert rule.examples, f"{rule.id} has no example: add one to briefing/extract/catalog.py"
    assert rule.reason and "\n" not in rule.reason
    assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.reason), f"{rule.id}: the reason shows a Chinese example"
    assert rule.id.count(".") >= 1 and rule.id == rule.id.lower()


# A reason is read by Chinese officials (`brief explain --rules`), so it is written in Chinese. What
# may stay in Latin letters: markup and metadata names the reason quotes (<title>, og:title,
# article:published_time) and upper-case acronyms (HTML, GDP); any other ASCII word of three or more
# letters is English left untranslated. Punctuation is full-width, as in the region rules' reasons.
_QUOTED_NAMES = re.compile(r"</?[a-z0-9]+>|(?<![A-Za-z])[a-z]+:[a-z_]+")  # no \b: a Han character is \w
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_REGION_REASONS = {**region_features.RULE_REASONS, **region_features.FEATURE_REASONS}


def _english_left_in(reason: str) -> list[str]:
    words = _LATIN_WORD.findall(_QUOTED_NAMES.sub("", reason))
    return [w for w in words if not w.isupper()]


@pytest.mark.parametrize(
    ("rule_id", "reason"),
    [(r.id, r.reason) for r in RULES] + sorted(_REGION_REASONS.items()),
    ids=[r.id for r in RULES] + sorted(_REGION_REASONS),
)
def test_every_reason_is_written_in_chinese(rule_id: str, reason: str) -> None:
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in reason) >= 4, rule_id
    assert not _english_left_in(reason), (rule_id, _english_left_in(reason))
    assert not set("(),;") & set(reason), f"{rule_id}: full-width （），； in a reason"
    assert not reason.endswith((".", "。")), rule_id


def test_the_reason_check_tells_english_from_quoted_names() -> None:
    assert _english_left_in("A number with its unit (152名)") == ["number", "with", "its", "unit"]
    assert _english_left_in("卡片显示页面标题：<title>、<h1>与og:title中最好的一个") == []
    assert _english_left_in("网页HTML元数据中的发布日期（article:published_time，2024-05-06）") == []


def test_rule_ids_are_unique_and_the_catalog_loads() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert set(catalog()) == set(ids)


def test_the_decision_list_names_catalog_rules_in_a_fixed_order() -> None:
    listed = [d.rule_id for d in dates.DATE_DECISIONS]
    assert len(listed) == len(set(listed))
    assert set(listed) <= set(catalog())
    parts = [d.part for d in dates.DATE_DECISIONS]
    # day sources, then the full date, then the year sources, then the rules without a day
    assert parts == sorted(parts, key=["day", "full", "year", "dayless"].index)
    assert listed[-1] == "date.unknown"


def test_every_date_rule_that_decides_has_wording_and_every_veto_none() -> None:
    for rule in DATE_RULES:
        if rule.id.startswith("date.veto."):
            assert rule.wording is None, rule.id
        else:
            assert rule.wording is not None, rule.id


def test_messages_keep_their_chinese_wording() -> None:
    # The cards, events.stated_days and the archive read these words: they may not drift.
    assert message("date.day.opening") == "正文月日"
    assert (
        message("date.year.published", day="正文月日", published="发布时间行“x”") == "正文月日，年份取自发布时间行“x”"
    )
    assert message("date.full_date") == "正文写明完整日期"


DATE_PATTERNS = [v for v in vars(dates).values() if isinstance(v, Pattern)]


def test_dates_keeps_its_patterns_as_data() -> None:
    # No bare compiled expression at module level: each is a Pattern with examples.
    bare = [name for name, v in vars(dates).items() if type(v).__name__ == "Pattern" and not isinstance(v, Pattern)]
    assert not bare, bare
    assert len(DATE_PATTERNS) >= 20
    ids = [p.id for p in DATE_PATTERNS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("pattern", DATE_PATTERNS, ids=[p.id for p in DATE_PATTERNS])
def test_pattern_examples_hold(pattern: Pattern) -> None:
    assert list(pattern.check()) == []


def test_walk_records_what_each_decision_said() -> None:
    doc = Doc.parse(
        "", "近日，区农业农村委增挂区乡村振兴局牌子。5月29日，市乡村振兴局挂牌。", PageMeta(published="2024-06-01")
    )
    date, walk = dates.walk_date(doc, dt.datetime(2024, 12, 31, 12))
    assert walk.statuses["date.day.after_dateline"] == "no"
    assert walk.statuses["date.veto.undated_first"] == "vetoed"
    assert "date.day.opening" not in walk.statuses  # not reached: the veto ended the day sources
    assert walk.statuses["date.undated.vague_published"] == "decided"
    assert date.rule_ids == ("date.veto.undated_first", "date.published.line", "date.undated.vague_published")


def test_rule_ids_do_not_change_equality() -> None:
    a = ReportDate.unknown()
    assert a == ReportDate(None, None, None, None, a.rule, "none", None, rule_id="date.unknown", rule_ids=("x",))


def test_doc_keeps_every_sentence_and_offsets() -> None:
    body = "8月26日，县委召开常委会议。会议要求，抓好落实！\n最后一句没有句号"
    doc = Doc.parse("标题", body)
    assert "".join(s.text for s in doc.sentences) == body
    assert [p.text for p in doc.paragraphs] == body.split("\n")
    assert doc.text[doc.lead.start : doc.lead.end].strip() == "8月26日，县委召开常委会议"
    assert doc.sentence_rest(body.index("县委")) == "县委召开常委会议"
    assert doc.clause_at(body.index("要求")).text == "会议要求"
    venues = Doc.parse("", "全县推进会在县委会议室召开。").venues
    assert [v.place.text for v in venues] == ["县委会议室"]


TITLE_RULES = [r for r in RULES if r.stage == "title"]


def _region(path: str) -> Region:
    return Region(*(part or None for part in (path.split("/") + [""] * 4)[:4]))


@pytest.mark.parametrize(
    ("rule", "example"),
    [(r, e) for r in TITLE_RULES for e in r.examples],
    ids=[f"{r.id}#{i}" for r in TITLE_RULES for i, _ in enumerate(r.examples)],
)
def test_title_example_gives_its_title_and_fires_its_rule(rule: Rule, example: Example) -> None:
    html_title = example.page.get("html_title")
    title, rule_id, _lines, body = read_title(example.text, html_title)
    if rule.id.startswith("title.card."):
        officials = find_officials(body, title)
        title, rule_id, fields = choose_card_title(
            example.text, html_title, _region(example.page.get("region", "")), officials
        )
        assert card_title(example.text, html_title, _region(example.page.get("region", "")), officials) == (
            title,
            message(rule_id, **fields),
        )
    assert (title, rule_id) == (example.expect["title"], rule.id)


def test_title_wording_is_unchanged() -> None:
    text = "脱贫攻坚工作推进会\n会议要求，全镇上下要抓好落实。"
    assert card_title(text, None, _region("甘肃省/天水市/麦积区/五龙镇"))[1] == (
        "headline line: a bare meeting name, given its place"
    )
    assert (
        split_title("踏上新征程 续写新篇章\n五龙镇召开推进会\n会议要求。")[1] == "headline line (of 2 headline lines)"
    )


def test_day_from_text_agrees_with_the_wording_events_reads() -> None:
    # events.stated_days tests rule.startswith("正文"); the ids say the same without the wording.
    for rule in DATE_RULES:
        for example in rule.examples:
            date = _date_of(example)
            if date.iso is not None:
                assert dates.day_from_text(date) == date.rule.startswith("正文"), (rule.id, date.rule)


OFFICIAL_RULES = [r for r in RULES if r.stage == "official"]


@pytest.mark.parametrize(
    ("rule", "example"),
    [(r, e) for r in OFFICIAL_RULES for e in r.examples],
    ids=[f"{r.id}#{i}" for r in OFFICIAL_RULES for i, _ in enumerate(r.examples)],
)
def test_official_example_gives_its_official_and_fires_its_rule(rule: Rule, example: Example) -> None:
    officials = {o.name: o for o in find_officials(example.text, example.page.get("headline", ""))}
    official = officials[example.expect["official"]]
    assert (official.title, official.roles) == (example.expect["title"], tuple(example.expect["roles"]))
    assert rule.id in official.rule_ids, (rule.id, official.rule_ids)


FIGURE_RULES = [r for r in RULES if r.stage == "figure"]


@pytest.mark.parametrize(
    ("rule", "example"),
    [(r, e) for r in FIGURE_RULES for e in r.examples],
    ids=[f"{r.id}#{i}" for r in FIGURE_RULES for i, _ in enumerate(r.examples)],
)
def test_figure_example_gives_its_figure_and_fires_its_rule(rule: Rule, example: Example) -> None:
    figures = {f.text: f for f in find_figures(example.text)}
    figure = figures[example.expect["figure"]]
    assert figure.kind == example.expect["kind"]
    assert rule.id in figure.rule_ids, (rule.id, figure.rule_ids)


def test_official_and_figure_rule_ids_are_catalog_rules_and_do_not_change_equality() -> None:
    body = "县委书记王明主持会议。镇领导梁盘、卜英忠出席会议。农村贫困人口958户、2478人全部脱贫。"
    known = set(catalog())
    for official in find_officials(body):
        assert official.rule_ids and set(official.rule_ids) <= known, official.rule_ids
        assert official == dataclasses.replace(official, rule_ids=())
    for figure in find_figures(body):
        assert figure.rule_ids and set(figure.rule_ids) <= known, figure.rule_ids
        assert figure == dataclasses.replace(figure, rule_ids=())
