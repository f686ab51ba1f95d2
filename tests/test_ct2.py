"""The CTranslate2 engine for real, offline: a tiny random-weight mT5 built in the session,
converted by `brief model convert` or on first use by `brief build`, run through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from briefing.clean import clean_text
from briefing.cli import main
from briefing.ingest import IngestOptions, iter_input_files
from briefing.pipeline import process_file
from briefing.summarize.ct2 import Ct2Engine, convert_checkpoint
from briefing.summarize.runtime import RuntimePlan, plan_runtime
from briefing.summarize.seq2seq import GenerationSettings, Seq2SeqEngine, Seq2SeqOptions
from evaluation.tinymodel import TINY, TinyModelSpec, build_mt5

GREEDY = GenerationSettings(num_beams=1, max_new_tokens=16, min_new_tokens=4, no_repeat_ngram_size=0)
BEAM = GenerationSettings(num_beams=4, max_new_tokens=16, min_new_tokens=4, no_repeat_ngram_size=0)


def _seed_texts() -> list[str]:
    return [clean_text(p.read_text(encoding="utf-8")).text for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory) -> Path:
    """A built checkpoint, never converted: tests copy it into their own models/ folder."""
    return build_mt5(tmp_path_factory.mktemp("ct2-src") / "tiny", _seed_texts(), TinyModelSpec(TINY, vocab_size=1200))


@pytest.fixture(scope="module")
def seed_reports():
    return [process_file(p, IngestOptions()) for p in iter_input_files(SEEDS)]


@pytest.fixture
def workdir(tmp_path, monkeypatch, tiny_folder) -> Path:
    """A project folder with models/tiny, as a user has it."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(tiny_folder, tmp_path / "models" / "tiny")
    shutil.copytree(SEEDS, tmp_path / "in")
    return tmp_path


def _build(*args: str, env: dict[str, str]):
    result = CliRunner().invoke(main, ["build", "--week", "--input", "in", "--out", "out", *args], env=env)
    data = json.loads(next(Path("out").glob("*.json")).read_text(encoding="utf-8"))
    return result, data


def test_model_convert_writes_beside_the_checkpoint_once(workdir):
    runner = CliRunner()
    info = runner.invoke(main, ["model", "info", "tiny", "--device", "cpu"])
    assert info.exit_code == 0, info.output
    assert "engine:       ctranslate2 int8 on cpu" in info.output
    assert "not yet" in info.output

    first = runner.invoke(main, ["model", "convert", "tiny"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("converted tiny (int8)")
    (converted,) = (workdir / "models" / "tiny.ct2").glob("local-*-int8")
    assert (converted / "model.bin").is_file() and (converted / "config.json").is_file()
    assert not [p for p in converted.parent.iterdir() if p.name.startswith(".")]  # no half-written temp folder

    again = runner.invoke(main, ["model", "convert", "tiny"])
    assert again.output.startswith("already converted (int8)")
    assert "(ready)" in runner.invoke(main, ["model", "info", "tiny", "--device", "cpu"]).output
    other = runner.invoke(main, ["model", "convert", "tiny", "--quantization", "float32"])
    assert other.exit_code == 0, other.output
    assert {p.name.rsplit("-", 1)[1] for p in converted.parent.iterdir()} == {"int8", "float32"}
    listed = runner.invoke(main, ["model", "list"], env={"HF_HOME": str(workdir / "hf")})
    assert "tiny.ct2" not in listed.output  # converted copies are not checkpoints of their own

    # A changed checkpoint is another revision: converted afresh, the old copy left alone.
    (workdir / "models" / "tiny" / "generation_config.json").write_text('{"max_length": 40}', encoding="utf-8")
    changed = runner.invoke(main, ["model", "convert", "tiny"])
    assert changed.output.startswith("converted tiny (int8)")
    assert len(list((workdir / "models" / "tiny.ct2").glob("local-*-int8"))) == 2


def test_build_converts_on_first_use_and_serves_the_cache_after(workdir):
    env = {"BRIEF_CACHE_DIR": str(workdir / "cache")}
    result, data = _build("--model", "tiny", "--device", "cpu", env=env)
    assert result.exit_code == 0, result.output
    assert "model tiny: converted for CTranslate2" in result.output
    assert "model tiny: ctranslate2 int8 on cpu (fastest on CPU" in result.output
    assert "0 from the cache, 5 generated" in result.output
    assert list((workdir / "models" / "tiny.ct2").glob("local-*-int8/model.bin"))
    assert len(data["reports"]) == 5
    for report in data["reports"]:
        assert report["summary"]
        assert report["guard"]["model"] == "tiny"
        assert report["summarizer"] in ("seq2seq", "extractive")

    again, second = _build("--model", "tiny", env=env)
    assert again.exit_code == 0, again.output
    assert "converted" not in again.output  # neither converted again nor even loaded
    assert "5 from the cache, 0 generated" in again.output
    assert [r["summary"] for r in second["reports"]] == [r["summary"] for r in data["reports"]]

    # int8 and float32 write different text: they never share cache entries.
    fp32, _ = _build("--model", "tiny", "--precision", "float32", env=env)
    assert "ctranslate2 float32 on cpu (as configured)" in fp32.output
    assert "0 from the cache, 5 generated" in fp32.output


def test_a_checkpoint_ctranslate2_cannot_convert_runs_on_torch_with_the_reason(workdir):
    # mish is an activation transformers runs and CTranslate2 does not know.
    spec = TinyModelSpec({**TINY, "feed_forward_proj": "gated-mish"}, vocab_size=1200)
    build_mt5(workdir / "models" / "mish", _seed_texts(), spec)
    env = {"BRIEF_CACHE_DIR": str(workdir / "cache")}
    result, data = _build("--model", "mish", "--device", "cpu", env=env)
    assert result.exit_code == 0, result.output
    assert "model mish: CTranslate2 cannot convert mish: 'mish'; using torch int8 on cpu instead" in result.output
    assert len(data["reports"]) == 5
    info = CliRunner().invoke(main, ["model", "info", "mish", "--device", "cpu"])
    assert "engine:       torch int8 on cpu" in info.output
    assert "conversion failed earlier" in info.output  # not attempted again on every build
    refused = CliRunner().invoke(
        main, ["build", "--week", "--input", "in", "--out", "out2", "--model", "mish", "--engine", "ctranslate2"]
    )
    assert refused.exit_code == 2
    assert "cannot use CTranslate2" in refused.output


def test_plan_names_engine_precision_and_reason(tmp_path):
    unsupported = tmp_path / "longt5"
    unsupported.mkdir()
    (unsupported / "config.json").write_text('{"model_type": "longt5"}', encoding="utf-8")
    plan = plan_runtime(str(unsupported), device="cpu")
    assert (plan.engine, plan.precision) == ("torch", "int8")
    assert "cannot convert model type 'longt5'" in plan.reason
    forced = plan_runtime(str(unsupported), engine="torch", precision="float32", device="cpu")
    assert (forced.engine, forced.precision) == ("torch", "float32")
    with pytest.raises(Exception, match="cannot compute in bfloat16"):
        plan_runtime(str(tmp_path / "nothing"), precision="bfloat16", device="cpu")


def test_ct2_float32_greedy_is_token_identical_to_torch_float32(tiny_folder, seed_reports, tmp_path):
    """The converted model computes what the checkpoint computes; only int8 may differ."""
    folder = tmp_path / "tiny"
    shutil.copytree(tiny_folder, folder)
    options = Seq2SeqOptions(model=str(folder), device="cpu")
    converted = convert_checkpoint(str(folder), "float32").path
    ct2 = Ct2Engine(options, RuntimePlan("ctranslate2", "float32", "cpu", "test"), converted)
    torch_engine = Seq2SeqEngine(Seq2SeqOptions(model=str(folder), device="cpu", precision="float32"))
    texts = [s for r in seed_reports for s in r.body.split("。") if s][:24]
    assert ct2.generate_ids(texts, GREEDY) == torch_engine.generate_ids(texts, GREEDY)
    assert ct2.generate(texts[:3], GREEDY) == torch_engine.generate(texts[:3], GREEDY)


def test_ct2_beam_search_returns_outputs_in_input_order(tiny_folder, seed_reports, tmp_path):
    folder = tmp_path / "tiny"
    shutil.copytree(tiny_folder, folder)
    options = Seq2SeqOptions(model=str(folder), device="cpu", token_budget=1024)
    converted = convert_checkpoint(str(folder), "int8").path
    engine = Ct2Engine(options, RuntimePlan("ctranslate2", "int8", "cpu", "test"), converted)
    texts = [r.body[: 40 + 60 * i] for i, r in enumerate(seed_reports)] + ["草潭镇召开会议。"]
    together = engine.generate(texts, BEAM)
    alone = [engine.generate([t], BEAM)[0] for t in texts]
    assert sum(a == b for a, b in zip(together, alone, strict=True)) >= len(texts) - 1
    assert len(set(together)) > 1  # different inputs, different outputs: not one row copied


def test_torch_beam_cache_skips_cross_attention_reordering_without_changing_output(tiny_folder, seed_reports):
    engine = Seq2SeqEngine(Seq2SeqOptions(model=str(tiny_folder), device="cpu", precision="float32"))
    cache = engine._beam_cache(BEAM)["cache"]
    assert engine._beam_cache(GREEDY) == {}
    encoded = engine.tokenizer([r.body[:300] for r in seed_reports], padding=True, return_tensors="pt")
    with engine.torch.inference_mode():
        plain = engine.model.generate(**encoded, **BEAM.as_kwargs())
        ours = engine.model.generate(**encoded, **BEAM.as_kwargs(), cache=cache)
    assert ours.tolist() == plain.tolist()
    assert cache.cross_attention_cache.get_seq_length() > 0  # the cache was used, not bypassed


def test_fidelity_counts_identical_outputs_and_token_rouge_l():
    from evaluation.fidelity import measure_fidelity, rouge_l

    assert rouge_l([1, 2, 3, 4], [1, 2, 3, 4]) == 1.0
    assert rouge_l([1, 2, 3, 4], [1, 3, 4]) == pytest.approx(2 * 0.75 * 1.0 / 1.75)
    assert rouge_l([1, 2], [3, 4]) == 0.0
    reference = [[1, 2, 3, 4]] * 10
    nine_same = [[1, 2, 3, 4]] * 9 + [[5, 6]]
    assert measure_fidelity(reference, nine_same).passed  # 90% identical
    near = [[1, 2, 3, 5]] * 10  # nothing identical, ROUGE-L 0.75
    assert not measure_fidelity(reference, near).passed
    long_reference = [list(range(40))] * 10
    one_token_off = [[*range(39), 99]] * 10  # nothing identical, ROUGE-L 0.975
    result = measure_fidelity(long_reference, one_token_off)
    assert result.identical == 0 and result.passed


@pytest.fixture(scope="module")
def trained_model(tmp_path_factory) -> Path:
    """The tiny model trained to write a report's lead sentence (tests/tinymodels.py), copied so
    its conversions land in this test's folder."""
    from tinymodels import CACHE, train_tiny_seq2seq

    folder = tmp_path_factory.mktemp("trained") / "lead-bart"
    shutil.copytree(train_tiny_seq2seq(CACHE, "bart"), folder)
    return folder


@pytest.mark.parametrize("num_beams", [1, 4])
def test_int8_passes_the_fidelity_check_against_float32_on_a_trained_model(trained_model, num_beams):
    """The check behind the CPU default (runtime.py): int8 writes what float32 writes."""
    from tinymodels import heldout_pairs

    from evaluation.fidelity import measure_fidelity

    pairs = heldout_pairs(trained_model)
    texts = [source for source, _ in pairs]
    settings = GenerationSettings(num_beams=num_beams, max_new_tokens=64, min_new_tokens=0, no_repeat_ngram_size=0)
    options = Seq2SeqOptions(model=str(trained_model), device="cpu")
    reference_engine = Seq2SeqEngine(Seq2SeqOptions(model=str(trained_model), device="cpu", precision="float32"))
    reference = reference_engine.generate_ids(texts, settings)
    # A trained model, not noise: its float32 output is the lead sentence it was taught to write.
    decoded = reference_engine.generate(texts[:10], settings)
    assert sum(d.replace(" ", "") == lead for d, (_, lead) in zip(decoded, pairs, strict=False)) >= 8

    candidates = {"torch int8": Seq2SeqEngine(Seq2SeqOptions(model=str(trained_model), device="cpu", precision="int8"))}
    for precision in ("int8", "float32"):
        converted = convert_checkpoint(str(trained_model), precision).path
        plan = RuntimePlan("ctranslate2", precision, "cpu", "test")
        candidates[f"ct2 {precision}"] = Ct2Engine(options, plan, converted)
    for name, engine in candidates.items():
        fidelity = measure_fidelity(reference, engine.generate_ids(texts, settings))
        assert fidelity.passed, f"{name}: {fidelity}"
        if name == "ct2 float32":
            assert fidelity.identical == 1.0, fidelity  # the conversion itself changes nothing
