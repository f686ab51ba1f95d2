"""The embedded extractive summarizer: shape of its output and a pinned quality floor."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from briefing.errors import ConfigError
from briefing.evaluate.rouge import compare, lead3
from briefing.ingest import IngestOptions, iter_input_files
from briefing.pipeline import process_file
from briefing.sentences import split_sentences
from briefing.summarize import get_summarizer
from briefing.summarize.extractive import ExtractiveSummarizer

REFERENCES = json.loads((ROOT / "tests/data/reference_summaries.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_reports():
    return [process_file(p, IngestOptions()) for p in iter_input_files(ROOT / "seeds")]


def test_summaries_are_one_to_three_whole_sentences_of_the_report(seed_reports):
    summaries = get_summarizer("extractive").summarize(seed_reports)
    assert len(summaries) == len(seed_reports)
    for report, summary in zip(seed_reports, summaries, strict=True):
        assert summary.backend == "extractive"
        sentences = split_sentences(summary.text)
        assert 1 <= len(sentences) <= 3
        body_sentences = set(split_sentences(report.body))
        assert all(s in body_sentences for s in sentences), summary.text
        assert len(set(sentences)) == len(sentences)  # no duplicates


def test_summaries_respect_the_budget_where_the_report_allows(seed_reports):
    summaries = ExtractiveSummarizer(max_chars=120).summarize(seed_reports)
    for summary in summaries:
        sentences = split_sentences(summary.text)
        # Over budget only when a single sentence is itself longer than the budget.
        assert len(summary.text) <= 120 or len(sentences) == 1, summary.text


def test_summaries_are_deterministic(seed_reports):
    first = [s.text for s in ExtractiveSummarizer().summarize(seed_reports)]
    second = [s.text for s in ExtractiveSummarizer().summarize(list(seed_reports))]
    assert first == second


def test_event_and_figures_are_preferred_over_scene_setting(seed_reports):
    report = next(r for r in seed_reports if r.source.path.endswith("002_68af5a0512a93f3f.txt"))
    text = ExtractiveSummarizer().summarize([report])[0].text
    assert "仲冬时节" not in text
    assert "11886元" in text or "152名" in text


def test_a_last_sentence_without_final_punctuation_is_not_lost():
    body = "8月1日，某镇召开推进会，部署脱贫攻坚工作。会议强调要巩固成果\n全镇958户、2478人全部脱贫"
    assert split_sentences(body)[-1] == "全镇958户、2478人全部脱贫"
    summary = ExtractiveSummarizer().summarize_text(body)
    assert "958户" in summary


def test_rouge_beats_lead3_with_a_pinned_floor(seed_reports):
    ours = ExtractiveSummarizer()
    scores = compare(
        seed_reports,
        REFERENCES,
        {"ours": lambda r: ours.summarize([r])[0].text, "lead3": lead3},
    )
    # Floors pinned within 0.005 of the measured 0.6052 / 0.5056 / 0.5051 (make eval-summary): a
    # change that costs the summaries quality fails here; one that gains raises the floors.
    assert scores["ours"].rouge1 >= 0.600
    assert scores["ours"].rouge2 >= 0.500
    assert scores["ours"].rougeL >= 0.500
    assert scores["ours"].rouge1 > scores["lead3"].rouge1
    assert scores["ours"].rouge2 > scores["lead3"].rouge2
    assert scores["ours"].rougeL > scores["lead3"].rougeL


def test_unknown_backend_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown summarizer backend 'nope'"):
        get_summarizer("nope")


def test_cache_entries_are_written_whole_and_private(tmp_path):
    import stat

    from briefing.summarize.cache import SummaryCache

    cache = SummaryCache(tmp_path / "summaries")
    cache.put("ab" + "0" * 62, {"text": "全镇958户全部脱贫。"})
    (entry,) = (tmp_path / "summaries").rglob("*.json")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600  # README: summary cache entries are private to you
    assert cache.get("ab" + "0" * 62) == {"text": "全镇958户全部脱贫。", "key": "ab" + "0" * 62}
    assert [p.name for p in entry.parent.iterdir()] == [entry.name]  # no temporary file left beside it
