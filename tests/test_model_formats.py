"""The checkpoint formats Chinese summarization models ship in, loaded from local folders and run
for real, and the guard measured on them: a trained tiny model (faithful output must pass) and
random-weight checkpoints in three formats (every output must be rejected).

Models are built by tests/tinymodels.py and cached in .pytest_cache/tinymodels between sessions
(keyed by a hash of that file), so only the first session pays for training.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS
from tinymodels import CACHE, build_random_seq2seq, heldout_pairs, train_tiny_seq2seq

from briefing.cli import main
from briefing.ingest import IngestOptions, iter_input_files
from briefing.pipeline import process_file
from briefing.summarize.guard import check_batch, reason_kind
from briefing.summarize.seq2seq import (
    GenerationSettings,
    Seq2SeqEngine,
    Seq2SeqOptions,
    apply_checkpoint_defaults,
    read_checkpoint_defaults,
)

REFERENCES = ROOT / "tests" / "data" / "reference_summaries.json"
FORMATS = ("mt5", "t5", "bart")  # MT5 + SentencePiece, T5 + BertTokenizer, BART + BertTokenizer
GREEDY = GenerationSettings(num_beams=1, max_new_tokens=80, min_new_tokens=0, no_repeat_ngram_size=0)
# One torch thread: these models are tiny, and on a shared CI machine more threads only wait.
ONE_THREAD = "[model]\nthreads = 1\n"


def engine_for(folder: Path) -> Seq2SeqEngine:
    return Seq2SeqEngine(Seq2SeqOptions(model=str(folder), device="cpu", threads=1))


@pytest.fixture(scope="session")
def trained_model() -> Path:
    return train_tiny_seq2seq(CACHE)


@pytest.fixture(scope="session")
def random_models() -> dict[tuple[str, int], Path]:
    return {(arch, seed): build_random_seq2seq(CACHE, arch, seed) for arch in FORMATS for seed in range(3)}


@pytest.fixture(scope="session")
def seed_reports():
    return [process_file(p, IngestOptions()) for p in iter_input_files(SEEDS)]


def test_trained_model_outputs_on_held_out_text_pass_the_guard(trained_model):
    pairs = heldout_pairs(trained_model)
    engine = engine_for(trained_model)
    outputs = engine.generate([source for source, _ in pairs], GREEDY)
    reasons = check_batch(outputs, [source for source, _ in pairs])
    passed = sum(r is None for r in reasons)
    exact = sum(out == lead for out, (_, lead) in zip(outputs, pairs, strict=True))
    print(f"trained tiny BART, {len(pairs)} held-out texts: {passed} pass the guard, {exact} exact leads")
    assert len(pairs) >= 60
    assert passed / len(pairs) >= 0.95, [(o, r) for o, r in zip(outputs, reasons, strict=True) if r]
    assert exact / len(pairs) >= 0.8  # the outputs are the task's answers, not just plausible text
    assert all(" " not in out for out in outputs)  # BertTokenizer's spaces between characters are gone


def test_random_weight_outputs_of_three_formats_and_three_seeds_never_pass(random_models, seed_reports):
    bodies = [r.body for r in seed_reports]
    kinds = set()
    for (arch, seed), folder in random_models.items():
        engine = engine_for(folder)
        outputs = engine.generate(bodies, GREEDY)
        reasons = check_batch(outputs, bodies)
        assert all(reasons), [(arch, seed, o) for o, r in zip(outputs, reasons, strict=True) if r is None]
        kinds |= {reason_kind(r) for r in reasons if r}
    print("random-weight rejections by kind:", sorted(kinds))


@pytest.mark.parametrize("arch", FORMATS)
def test_build_with_a_random_checkpoint_falls_back_on_every_seed_with_reasons(random_models, arch, tmp_path):
    inp, out, config = tmp_path / "in", tmp_path / "out", tmp_path / "brief.toml"
    shutil.copytree(SEEDS, inp)
    config.write_text(ONE_THREAD, encoding="utf-8")
    folder = str(random_models[arch, 0])
    result = CliRunner().invoke(
        main,
        ["--config", str(config), "build", "--week", "--input", str(inp), "--out", str(out), "-q", "--model", folder],
        env={"BRIEF_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert result.exit_code == 0, result.output
    data = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert len(data["reports"]) == 5
    for report in data["reports"]:
        assert report["summarizer"] == "extractive"
        assert report["guard"]["passed"] is False and report["guard"]["reason"]
    reasons = data["stats"]["guard_reasons"]
    assert sum(reasons.values()) == data["stats"]["guard_fallbacks"] == 5
    assert reasons == dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    assert set(reasons) == {reason_kind(r["guard"]["reason"]) for r in data["reports"]}
    md = next(out.glob("*.md")).read_text(encoding="utf-8")
    footer = "、".join(f"{kind} {count}" for kind, count in reasons.items())
    assert f"5 篇生成摘要未通过事实核对，改用抽取式摘要（{footer}）" in md


@pytest.mark.parametrize("arch", [*FORMATS, "pegasus"])
def test_each_format_loads_from_a_local_folder_and_writes_chinese_without_spaces(arch):
    engine = engine_for(build_random_seq2seq(CACHE, arch, 0))
    (text,) = engine.generate(["草潭镇召开脱贫攻坚与乡村振兴工作会议。"], GREEDY)
    assert re.search(r"[\u4e00-\u9fff]", text)
    assert not re.search(r"[\u4e00-\u9fff，。]\s+[\u4e00-\u9fff，。]", text), text


def test_randeng_style_pegasus_is_refused_with_the_reason(tmp_path):
    """Randeng-Pegasus ships a BERT vocab.txt and declares PegasusTokenizer, implemented in its own
    tokenizers_pegasus.py (jieba + BERT): brief runs no code from a model folder."""
    folder = tmp_path / "randeng"
    shutil.copytree(build_random_seq2seq(CACHE, "bart", 0), folder)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        (folder / name).unlink(missing_ok=True)
    (folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "PegasusTokenizer"}), encoding="utf-8")
    (folder / "tokenizers_pegasus.py").write_text("# the checkpoint's own tokenizer\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", "--week", "--input", str(SEEDS), "--out", str(tmp_path / "o"), "--model", str(folder)]
    )
    assert result.exit_code == 2
    assert "declares PegasusTokenizer for a BERT vocab.txt" in result.output
    assert "tokenizers_pegasus.py" in result.output
    info = CliRunner().invoke(main, ["model", "info", str(folder)])
    assert "tokenizer:    PegasusTokenizer over a BERT vocab.txt: code of the checkpoint's own" in info.output


def test_a_bert_vocabulary_without_a_declared_class_is_read_by_bert_tokenizer(tmp_path):
    """uer's T5 checkpoints ship vocab.txt and no tokenizer class; transformers alone would look
    for T5's SentencePiece model."""
    folder = tmp_path / "uer-like"
    shutil.copytree(build_random_seq2seq(CACHE, "t5", 0), folder)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        (folder / name).unlink(missing_ok=True)
    engine = engine_for(folder)
    assert type(engine.tokenizer).__name__.startswith("BertTokenizer")
    assert engine.generate(["草潭镇召开会议。"], GREEDY)[0]


def test_prefix_and_generation_defaults_come_from_the_checkpoint(tmp_path):
    folder = tmp_path / "ckpt"
    folder.mkdir()
    config = {
        "model_type": "t5",
        "length_penalty": 0.6,  # older checkpoints (XLSum) keep generation settings at the top level
        "task_specific_params": {"summarization": {"prefix": "summarize: ", "num_beams": 5, "max_length": 64}},
    }
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (folder / "generation_config.json").write_text(json.dumps({"no_repeat_ngram_size": 2}), encoding="utf-8")
    defaults = read_checkpoint_defaults(str(folder))
    assert defaults.prefix == "summarize: "
    assert defaults.generation == {
        "length_penalty": 0.6,
        "num_beams": 5,
        "max_new_tokens": 64,
        "no_repeat_ngram_size": 2,
    }
    resolved = apply_checkpoint_defaults(Seq2SeqOptions(model=str(folder)), defaults)
    assert resolved.prefix == "summarize: "
    assert (resolved.generation.num_beams, resolved.generation.max_new_tokens) == (5, 64)
    assert resolved.generation.no_repeat_ngram_size == 2
    info = CliRunner().invoke(main, ["model", "info", str(folder)])
    assert "task prefix:  'summarize: '" in info.output
    assert "generation:   length_penalty 0.6, max_new_tokens 64, no_repeat_ngram_size 2, num_beams 5" in info.output
    # what the user set (a value other than brief's default) wins over the checkpoint
    mine = Seq2SeqOptions(model=str(folder), prefix="摘要：", generation=GenerationSettings(num_beams=2))
    resolved = apply_checkpoint_defaults(mine, defaults)
    assert resolved.prefix == "摘要：" and resolved.generation.num_beams == 2


def test_model_eval_on_the_seeds_with_the_trained_model_and_the_extractive_summarizer(trained_model, tmp_path):
    config = tmp_path / "brief.toml"
    config.write_text(ONE_THREAD, encoding="utf-8")
    for model in (str(trained_model), "extractive"):
        args = ["model", "eval", "--model", model, "--input", str(SEEDS), "--labels", str(REFERENCES)]
        result = CliRunner().invoke(main, ["--config", str(config), *args, "--device", "cpu"])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()  # stderr says which engine ran (`brief: model …`)
        print(result.output)
        assert lines[1] == "reports:          5"
        assert lines[2].startswith("guard pass rate:")
        assert any(line.startswith("  summaries shown: R1=") for line in lines)
        assert any(line.startswith("speed:") and "reports/s" in line for line in lines)
    extractive = result.output
    assert "guard pass rate:  100% (5 of 5 outputs)" in extractive  # whole sentences of the report
    assert "summaries shown: R1=0.641 R2=0.506 RL=0.535" in extractive  # the README's figures


def test_model_eval_with_bad_labels_says_which_file(tmp_path):
    labels = tmp_path / "labels.json"
    labels.write_text("[1, 2]", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["model", "eval", "--model", "extractive", "--input", str(SEEDS), "--labels", str(labels)]
    )
    assert result.exit_code == 2
    assert f"{labels}: labels must be a JSON object" in result.output
