"""The seq2seq backend for real, offline: a random-weight MT5 with a SentencePiece vocabulary
trained on the seeds, built once per test session. Such a model writes nonsense, so the
faithfulness guard must send every report back to the extractive summary, with a reason."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from briefing.clean import clean_text
from briefing.cli import main
from briefing.ingest import IngestOptions, iter_input_files
from briefing.pipeline import process_file
from briefing.summarize.backend import Seq2SeqSummarizer, summary_from_entry
from briefing.summarize.cache import SummaryCache
from briefing.summarize.extractive import ExtractiveSummarizer
from briefing.summarize.seq2seq import (
    GenerationSettings,
    Seq2SeqEngine,
    Seq2SeqOptions,
    pick_device,
    plan_batches,
    split_into_chunks,
)
from evaluation.tinymodel import TINY, TinyModelSpec, build_mt5


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    texts = [clean_text(p.read_text(encoding="utf-8")).text for p in sorted(SEEDS.glob("*.txt"))]
    return build_mt5(tmp_path_factory.mktemp("tiny-mt5"), texts, TinyModelSpec(TINY, vocab_size=1200))


@pytest.fixture(scope="session")
def seed_reports():
    return [process_file(p, IngestOptions()) for p in iter_input_files(SEEDS)]


def build(tmp_path: Path, *args: str, env: dict[str, str] | None = None, quiet: bool = True):
    inp = tmp_path / "in"
    if not inp.exists():
        shutil.copytree(SEEDS, inp)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["build", "--week", "--input", str(inp), "--out", str(out), *(["-q"] if quiet else []), *args],
        env=env or {},
    )
    data = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    return result, data


def test_build_with_a_model_falls_back_per_report_and_then_hits_the_cache(tmp_path, tiny_model, seed_reports):
    # The torch engine in float32: this random model's CTranslate2 int8 output differs (test_ct2.py).
    env = {"BRIEF_CACHE_DIR": str(tmp_path / "cache"), "BRIEF_ENGINE": "torch", "BRIEF_PRECISION": "float32"}
    result, data = build(tmp_path, "--model", str(tiny_model), "--device", "cpu", env=env)
    assert result.exit_code == 0, result.output
    assert "5 generated, 5 fell back" in result.output
    extractive = {
        r.source.path.split("/")[-1]: s.text
        for r, s in zip(seed_reports, ExtractiveSummarizer().summarize(seed_reports), strict=True)
    }
    for report in data["reports"]:
        assert report["summarizer"] == "extractive"
        assert report["guard"]["passed"] is False
        assert report["guard"]["reason"]  # each with its own reason
        assert report["guard"]["model"] == str(tiny_model)
        assert report["summary"] == extractive[Path(report["source"]).name]
        assert any("未通过事实核对" in w for w in report["warnings"])
    assert data["stats"]["guard_fallbacks"] == 5
    md = next((tmp_path / "out").glob("*.md")).read_text(encoding="utf-8")
    assert "5 篇生成摘要未通过事实核对" in md

    again, second = build(tmp_path, "--model", str(tiny_model), env=env)
    assert again.exit_code == 0, again.output
    assert "5 from the cache, 0 generated" in again.output
    assert all(r["summary_cached"] for r in second["reports"])
    assert [r["summary"] for r in second["reports"]] == [r["summary"] for r in data["reports"]]

    fresh, _ = build(tmp_path, "--model", str(tiny_model), "--no-cache", env=env)
    assert "0 from the cache, 5 generated" in fresh.output


def test_missing_model_is_a_one_line_error(tmp_path):
    result, _ = (
        CliRunner().invoke(
            main, ["build", "--week", "--input", str(SEEDS), "--out", str(tmp_path), "--model", "no-such-model"]
        ),
        None,
    )
    assert result.exit_code == 2
    assert "cannot load model 'no-such-model'" in result.output


def test_batches_respect_the_token_budget_and_cover_every_input():
    lengths = [120, 30, 512, 64, 64, 300, 10, 700]
    batches = plan_batches(lengths, token_budget=1024, max_batch=3)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= 3
        assert len(batch) == 1 or len(batch) * max(lengths[i] for i in batch) <= 1024
    assert batches[0][0] == 7  # longest first: similar lengths share a batch, little padding


def test_batched_generation_returns_outputs_in_input_order(tiny_model, seed_reports):
    engine = Seq2SeqEngine(Seq2SeqOptions(model=str(tiny_model), device="cpu", token_budget=2048))
    texts = [r.body[:200] for r in seed_reports] + ["草潭镇召开会议。"]
    greedy = GenerationSettings(num_beams=1, max_new_tokens=12, min_new_tokens=12, no_repeat_ngram_size=0)
    together = engine.generate(texts, greedy)
    alone = [engine.generate([t], greedy)[0] for t in texts]
    same = sum(a == b for a, b in zip(together, alone, strict=True))
    assert same >= len(texts) - 1  # padding may flip a rare near-tie, never the order


def test_long_reports_are_split_at_sentence_boundaries(tiny_model, seed_reports, tmp_path):
    engine = Seq2SeqEngine(Seq2SeqOptions(model=str(tiny_model), device="cpu"))
    body = seed_reports[0].body
    chunks = split_into_chunks(body, engine.count_text_tokens, 60)
    assert len(chunks) > 2
    assert "".join(chunks) == body.replace("\n", "")  # nothing lost at a boundary
    assert all(n <= 60 for n in engine.count_text_tokens(chunks))
    summarizer = Seq2SeqSummarizer(
        Seq2SeqOptions(model=str(tiny_model), device="cpu", max_input_tokens=64, cache_dir=tmp_path / "c"),
        engine=None,
    )
    (summary,) = summarizer.summarize([seed_reports[0]])
    assert summary.chunks > 2
    assert summary.guard is not None and summary.guard.model == str(tiny_model)


def test_cpu_device_and_precision():
    import torch

    assert pick_device("cpu") == ("cpu", torch.float32)
    if not torch.cuda.is_available():
        assert pick_device("auto") == ("cpu", torch.float32)
        with pytest.raises(Exception, match="no CUDA GPU"):
            pick_device("cuda")


def test_cache_survives_concurrent_writers(tmp_path):
    cache = SummaryCache(tmp_path)
    key = "ab" + "0" * 62
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(50):
                cache.put(key, {"text": f"摘要{n}-{i}" * 20, "backend": "seq2seq"})
                entry = cache.get(key)
                assert entry is not None and entry["backend"] == "seq2seq"
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert not list(tmp_path.rglob("*.tmp"))
    (tmp_path / "ab" / f"{key}.json").write_text("{broken", encoding="utf-8")
    assert cache.get(key) is None  # a corrupt entry is a miss, not a crash


def test_model_info_and_list(tiny_model, tmp_path, monkeypatch):
    result = CliRunner().invoke(main, ["model", "info", str(tiny_model)])
    assert result.exit_code == 0, result.output
    assert "MT5ForConditionalGeneration (mt5)" in result.output
    assert "vocabulary:   1200" in result.output
    assert "parameters:" in result.output and "unknown" not in result.output.split("parameters:")[1].splitlines()[0]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").mkdir()
    shutil.copytree(tiny_model, tmp_path / "models" / "tiny")
    listed = CliRunner().invoke(main, ["model", "list"], env={"HF_HOME": str(tmp_path / "hf")})
    assert listed.exit_code == 0, listed.output
    assert "tiny" in listed.output and "MT5ForConditionalGeneration" in listed.output


def test_model_pull_offline_says_so(tmp_path):
    result = CliRunner().invoke(
        main,
        ["model", "pull", "google/mt5-small", "--to", str(tmp_path / "m")],
        env={"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")},
    )
    assert result.exit_code == 2
    assert "cannot download google/mt5-small" in result.output


# --- a damaged cache is a miss, never a crash after the model work (issue 9) ---------------------


def two_seeds(tmp_path: Path) -> dict[str, str]:
    """Two reports and short greedy generation are enough here and keep the model work short;
    returns the environment that says so (and where the cache is)."""
    (tmp_path / "in").mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy2(path, tmp_path / "in" / path.name)
    config = tmp_path / "brief.toml"
    config.write_text("[model]\nnum_beams = 1\nmax_new_tokens = 12\nmin_new_tokens = 1\n", encoding="utf-8")
    return {"BRIEF_CONFIG": str(config), "BRIEF_CACHE_DIR": str(tmp_path / "cache")}


BAD_SHAPES = [
    lambda e: {"key": e["key"]},
    lambda e: {**e, "guard": "passed"},
    lambda e: {"key": e["key"], "text": 5, "backend": "seq2seq"},
    lambda e: {**e, "chunks": "many"},
    lambda e: {**e, "backend": ["seq2seq"]},
    lambda e: {**e, "guard": {"passed": True}},
]


@pytest.mark.parametrize("shape", range(len(BAD_SHAPES)))
def test_an_entry_of_the_wrong_shape_is_refused_by_the_reader(shape):
    good = {"key": "k", "text": "摘要", "backend": "seq2seq", "chunks": 1, "guard": None}
    assert summary_from_entry(good).text == "摘要"
    with pytest.raises(ValueError):
        summary_from_entry(BAD_SHAPES[shape](good))


def rewrite_entries(cache: Path, make) -> int:
    """Replace every cached entry by make(entry); returns how many there were."""
    entries = sorted(cache.glob("*/*.json"))
    for n, path in enumerate(entries):
        entry = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(make(n, entry), ensure_ascii=False), encoding="utf-8")
    return len(entries)


def test_cache_entries_of_the_wrong_shape_are_misses_with_a_warning(tmp_path, tiny_model):
    env = two_seeds(tmp_path)
    first, data = build(tmp_path, "--model", str(tiny_model), env=env)
    assert first.exit_code == 0, first.output
    # two reports and the model's attempt at 本周概览's lead paragraph
    assert rewrite_entries(tmp_path / "cache", lambda n, e: BAD_SHAPES[n](e)) == 3
    again, second = build(tmp_path, "--model", str(tiny_model), env=env, quiet=False)
    assert again.exit_code == 0, again.output
    assert "0 from the cache, 2 generated" in again.output
    assert again.stderr.count("unexpected shape") == 3
    assert [r["summary"] for r in second["reports"]] == [r["summary"] for r in data["reports"]]
    third, _ = build(tmp_path, "--model", str(tiny_model), env=env)
    assert "2 from the cache, 0 generated" in third.output  # the bad entries were replaced


def test_a_cache_folder_that_is_a_file_is_a_warning_not_a_crash(tmp_path, tiny_model):
    env = two_seeds(tmp_path)
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder\n", encoding="utf-8")
    result, data = build(tmp_path, "--model", str(tiny_model), env=env, quiet=False)
    assert result.exit_code == 0, result.output
    assert "0 from the cache, 2 generated" in result.output
    assert result.stderr.count("summary cache") == 1  # said once, not once per report
    assert len(data["reports"]) == 2 and all(r["summary"] for r in data["reports"])
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_cached_summaries_pass_the_guard_again(tmp_path, tiny_model):
    env = two_seeds(tmp_path)
    first, data = build(tmp_path, "--model", str(tiny_model), env=env)
    assert first.exit_code == 0, first.output
    planted = "全县脱贫人口人均可支配收入达到99999元，同比增长88%，群众满意度显著提升。"

    def plant(n: int, entry: dict) -> dict:
        if n % 2:  # a "seq2seq" summary with figures no report states, marked as passed
            guard = {"passed": True, "reason": None, "model": str(tiny_model)}
            return {**entry, "text": planted, "backend": "seq2seq", "guard": guard}
        return {**entry, "text": planted}  # an "extractive" fallback that is not the extract

    rewrite_entries(tmp_path / "cache", plant)
    again, second = build(tmp_path, "--model", str(tiny_model), env=env, quiet=False)
    assert again.exit_code == 0, again.output
    assert all(planted not in r["summary"] for r in second["reports"])
    assert [r["summary"] for r in second["reports"]] == [r["summary"] for r in data["reports"]]
    assert "0 from the cache, 2 generated" in again.output
    assert again.stderr.count("cached summary") == 3  # the two reports and the overview's lead


def test_a_model_rewrites_the_overview_lead_only_through_the_guard(tmp_path, tiny_model):
    # 本周概览's lead paragraph: a random-weight model's rewrite is rejected (guard, or a phrase
    # repeated three times) and the extractive paragraph stays.
    env = {"BRIEF_CACHE_DIR": str(tmp_path / "cache")}
    plain, a = build(tmp_path / "a")
    generated, b = build(tmp_path / "b", "--model", str(tiny_model), "--device", "cpu", env=env)
    assert plain.exit_code == generated.exit_code == 0, generated.output
    assert a["overview"]["lead"]
    assert b["overview"]["lead_backend"] == "extractive" and b["overview"]["lead"] == a["overview"]["lead"]
