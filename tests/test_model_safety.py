"""A model folder is data, never code, and a bad one is a clean usage error (issue 20).

- A checkpoint that maps a transformers class to code of its own (`auto_map` in config.json or
  tokenizer_config.json) is refused before anything is loaded; nothing asks "Do you wish to run
  the custom code? [y/N]", and an answer waiting on stdin changes nothing.
- A truncated or non-object JSON file, a safetensors header that claims more than the file
  holds, a pickle that weights-only loading rejects: exit 2 naming the file, never exit 4.
- Generation settings read from a checkpoint are bounded by the model's positions and brief's
  own limits, on both engines, and the adjustment is said once.
- `brief model eval --labels` whose keys name no report says so.

Checkpoints are the random-weight tiny models of tests/tinymodels.py (built in seconds, cached).
"""

from __future__ import annotations

import json
import math
import os
import pickle
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, copy_seeds, environment_without_brief, invoke
from tinymodels import CACHE, build_random_seq2seq

from briefing.summarize.seq2seq import (
    GENERATION_LIMITS,
    GenerationSettings,
    Seq2SeqOptions,
    read_checkpoint_defaults,
    resolve_generation,
)

BRIEF = ROOT / ".venv" / "bin" / "brief"
ONE_THREAD = "[model]\nthreads = 1\n"
PROMPT = "Do you wish to run the custom code"


def checkpoint(tmp_path: Path, arch: str, name: str | None = None) -> Path:
    """A private copy of the random-weight `arch` checkpoint under tmp_path/models/."""
    folder = tmp_path / "models" / (name or arch)
    shutil.copytree(build_random_seq2seq(CACHE, arch, 0), folder)
    (folder / "done").unlink(missing_ok=True)
    return folder


def edit_json(file: Path, **changes: object) -> None:
    data = json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}
    data.update(changes)
    file.write_text(json.dumps(data), encoding="utf-8")


def run_brief(
    args: list[object], cwd: Path, stdin: str = "y\n", timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """The real `brief` in a subprocess, offline, with `stdin` waiting on a pipe (an answer to
    any prompt) and the Hugging Face folders inside the test's own folder."""
    env = environment_without_brief() | {
        "HF_HOME": str(cwd / "hf"),
        "HF_HUB_OFFLINE": "1",
        "BRIEF_CACHE_DIR": str(cwd / "summary-cache"),
        "PYTHONWARNINGS": "default",
    }
    return subprocess.run(
        [str(BRIEF), *[str(a) for a in args]],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


# --- 1. no code from a model folder, no prompt -------------------------------------------------------


def custom_code_checkpoint(tmp_path: Path, where: str) -> tuple[Path, Path]:
    """A checkpoint whose `where` file maps classes to its own .py; importing that .py would
    create the returned marker file."""
    marker = tmp_path / "the-checkpoint-code-ran"
    folder = checkpoint(tmp_path, "mt5", f"custom-{where.split('.')[0]}")
    code = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
    (folder / "evil_model.py").write_text(code, encoding="utf-8")
    if where == "config.json":
        # An unknown model type: transformers has no class of its own and asks whether to run this one.
        edit_json(
            folder / "config.json",
            model_type="evil_seq2seq",
            architectures=["EvilModel"],
            auto_map={"AutoConfig": "evil_model.EvilConfig", "AutoModelForSeq2SeqLM": "evil_model.EvilModel"},
        )
    else:
        edit_json(folder / "tokenizer_config.json", auto_map={"AutoTokenizer": ["evil_model.EvilTokenizer", None]})
    return folder, marker


@pytest.mark.parametrize("where", ["config.json", "tokenizer_config.json"])
def test_a_checkpoint_with_custom_code_is_refused_without_a_prompt_and_its_code_never_runs(tmp_path, where):
    folder, marker = custom_code_checkpoint(tmp_path, where)
    copy_seeds(tmp_path / "in")
    (tmp_path / "brief.toml").write_text(ONE_THREAD, encoding="utf-8")
    runs = {
        "build": ["--config", "brief.toml", "build", "--week", "--input", "in", "--out", "out", "--model", folder],
        "build --engine torch": [
            *("--config", "brief.toml", "build", "--week", "--input", "in", "--out", "out2"),
            *("--model", folder, "--engine", "torch"),
        ],
        "model info": ["model", "info", folder],
        "model convert": ["model", "convert", folder.name],
        "model eval": ["model", "eval", "--model", folder, "--input", "in"],
    }
    for what, args in runs.items():
        result = run_brief(args, tmp_path)
        said = result.stdout + result.stderr
        assert result.returncode == 2, (what, said)
        assert not marker.exists(), f"{what}: the checkpoint's code ran"
        assert PROMPT not in said and "[y/N]" not in said, (what, said)
        assert str(folder.name) in said and "custom code" in said and "auto_map" in said, (what, said)
        assert f"{where}" in said and "evil_model.py" in said, (what, said)
        assert len(result.stderr.strip().splitlines()) == 1, (what, result.stderr)  # one line, no traceback
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.json"))


def test_a_hub_id_with_custom_code_is_refused_by_transformers_not_asked_about(tmp_path):
    """A hub id in the Hugging Face cache is not a folder brief inspects by name: the explicit
    trust_remote_code=False makes transformers refuse instead of asking (torch engine), and the
    converter's snapshot is inspected like any folder (CTranslate2)."""
    folder, marker = custom_code_checkpoint(tmp_path, "config.json")
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hf" / "hub" / "models--someone--evil"
    shutil.copytree(folder, repo / "snapshots" / commit)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit, encoding="utf-8")
    shutil.rmtree(folder)
    copy_seeds(tmp_path / "in")
    for engine in ("torch", "ctranslate2"):
        args = ["build", "--week", "--input", "in", "--out", "out", "--model", "someone/evil", "--engine", engine]
        result = run_brief(args, tmp_path)
        said = result.stdout + result.stderr
        assert result.returncode == 2, (engine, said)
        assert not marker.exists()
        assert PROMPT not in said
        assert "custom code" in said, (engine, said)


# --- 2. bad checkpoint files are exit 2 naming the file ------------------------------------------------


def truncate_config(folder: Path) -> None:
    text = (folder / "config.json").read_text(encoding="utf-8")
    (folder / "config.json").write_text(text[: len(text) // 3], encoding="utf-8")


def test_a_truncated_or_non_object_config_is_named_in_info_list_and_build(tmp_path):
    good = checkpoint(tmp_path, "bart", "good")
    truncated = checkpoint(tmp_path, "bart", "truncated")
    truncate_config(truncated)
    listed = checkpoint(tmp_path, "bart", "a-list")
    (listed / "config.json").write_text("[1, 2]", encoding="utf-8")
    custom, _ = custom_code_checkpoint(tmp_path, "config.json")
    copy_seeds(tmp_path / "in")
    env = {"HF_HOME": str(tmp_path / "hf")}

    for folder, reason in ((truncated, "not valid JSON"), (listed, "not a JSON object")):
        info = invoke(["model", "info", folder.name], cwd=tmp_path, env=env)
        assert info.exit_code == 2, info.output
        assert f"{folder / 'config.json'}" in info.output.replace(str(tmp_path) + "/", "") or (
            f"models/{folder.name}/config.json" in info.output
        ), info.output
        assert reason in info.output
        for engine in ("auto", "torch"):
            build = invoke(
                ["build", "--week", "--input", "in", "--out", "out", "--model", folder.name, "--engine", engine],
                cwd=tmp_path,
                env=env,
            )
            assert build.exit_code == 2, build.output
            assert f"models/{folder.name}/config.json" in build.output and reason in build.output

    result = invoke(["model", "list"], cwd=tmp_path, env=env)
    assert result.exit_code == 1, result.output  # some checkpoints cannot be used: partial, as for build
    lines = result.output.splitlines()
    by_name = {line.split()[0]: line for line in lines if line.strip()}
    assert set(by_name) == {good.name, truncated.name, listed.name, custom.name}, result.output
    assert "BartForConditionalGeneration" in by_name[good.name]
    assert "unusable" in by_name[truncated.name] and "not valid JSON" in by_name[truncated.name]
    assert "unusable" in by_name[listed.name] and "not a JSON object" in by_name[listed.name]
    assert "unusable" in by_name[custom.name] and "custom code" in by_name[custom.name]


def test_a_safetensors_header_claiming_two_to_the_62_bytes_is_named(tmp_path):
    folder = checkpoint(tmp_path, "bart", "huge-header")
    weights = folder / "model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(struct.pack("<Q", 2**62) + data[8:])
    copy_seeds(tmp_path / "in")
    info = invoke(["model", "info", folder.name], cwd=tmp_path)
    assert info.exit_code == 2, info.output
    assert f"models/{folder.name}/model.safetensors" in info.output and "header" in info.output
    for engine in ("auto", "torch", "ctranslate2"):
        args = ["build", "--week", "--input", "in", "--out", "out", "--model", folder.name, "--engine", engine]
        build = invoke(args, cwd=tmp_path)
        assert build.exit_code == 2, (engine, build.output)
        assert f"models/{folder.name}/model.safetensors" in build.output, (engine, build.output)
    # A header whose tensors lie past the end of the file is refused the same way.
    header = json.dumps({"w": {"dtype": "F32", "shape": [1000, 1000], "data_offsets": [0, 4_000_000]}}).encode()
    weights.write_bytes(struct.pack("<Q", len(header)) + header + b"\0" * 16)
    info = invoke(["model", "info", folder.name], cwd=tmp_path)
    assert info.exit_code == 2 and "model.safetensors" in info.output, info.output


class _RunsCode:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_weights_only_loading_rejects_is_named_and_never_run(tmp_path):
    folder = checkpoint(tmp_path, "bart", "pickled")
    marker = tmp_path / "the-pickle-ran"
    (folder / "model.safetensors").unlink()
    with (folder / "pytorch_model.bin").open("wb") as handle:
        pickle.dump({"model.shared.weight": _RunsCode(marker)}, handle)
    copy_seeds(tmp_path / "in")
    (tmp_path / "brief.toml").write_text(ONE_THREAD, encoding="utf-8")
    for engine in ("auto", "torch", "ctranslate2"):
        args = ["--config", "brief.toml", "build", "--week", "--input", "in", "--out", "out"]
        result = run_brief([*args, "--model", folder.name, "--engine", engine], tmp_path)
        assert result.returncode == 2, (engine, result.stderr)
        assert f"models/{folder.name}/pytorch_model.bin" in result.stderr, (engine, result.stderr)
        assert "weights-only" in result.stderr, (engine, result.stderr)
        assert not marker.exists()
    convert = run_brief(["model", "convert", folder.name], tmp_path)
    assert convert.returncode == 2 and f"models/{folder.name}/pytorch_model.bin" in convert.stderr, convert.stderr
    assert not (tmp_path / "models" / "pickled.ct2" / "failed.json").exists()  # a broken file is no conversion failure


# --- 3. generation settings from a checkpoint are bounded ---------------------------------------------


def test_checkpoint_generation_values_are_bounded_with_one_note_each(tmp_path):
    folder = tmp_path / "ckpt"
    folder.mkdir()
    config = {
        "model_type": "bart",
        "max_position_embeddings": 128,
        "min_length": 1e9,
        "num_beams": 1e9,
        "length_penalty": math.inf,
        "repetition_penalty": 0,
        "no_repeat_ngram_size": -3,
    }
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")  # json writes Infinity
    (folder / "generation_config.json").write_text('{"max_length": 1e9, "num_beams": NaN}', encoding="utf-8")
    defaults = read_checkpoint_defaults(str(folder))
    options, notes = resolve_generation(Seq2SeqOptions(model=str(folder)), defaults)
    generation = options.generation
    assert generation.max_new_tokens == 127  # 128 positions, one taken by the decoder's start token
    assert generation.min_new_tokens == 127
    assert generation.num_beams == GENERATION_LIMITS["num_beams"][1]
    assert generation.length_penalty == GenerationSettings().length_penalty  # infinity is no setting: ignored
    assert generation.repetition_penalty == GenerationSettings().repetition_penalty
    assert generation.no_repeat_ngram_size == 0
    said = "\n".join(notes)
    for key in (
        "min_length",
        "max_length",
        "num_beams",
        "length_penalty",
        "repetition_penalty",
        "no_repeat_ngram_size",
    ):
        assert key in said, (key, said)
    assert "generation_config.json max_length" in said and "config.json min_length" in said
    assert "NaN" in said or "nan" in said  # the ignored NaN is said, the config.json value then used
    # the user's own value wins where it fits, and is bounded by the positions where it does not
    mine = Seq2SeqOptions(model=str(folder), generation=GenerationSettings(max_new_tokens=40, min_new_tokens=8))
    resolved, _ = resolve_generation(mine, defaults)
    assert (resolved.generation.max_new_tokens, resolved.generation.min_new_tokens) == (40, 8)
    too_long = Seq2SeqOptions(model=str(folder), generation=GenerationSettings(max_new_tokens=5000))
    resolved, notes = resolve_generation(too_long, defaults)
    assert resolved.generation.max_new_tokens == 127 and any("[model] max_new_tokens" in n for n in notes)


@pytest.mark.parametrize(
    ("arch", "engine"), [("bart", "torch"), ("bart", "ctranslate2"), ("t5", "torch"), ("t5", "ctranslate2")]
)
def test_a_billion_token_minimum_neither_crashes_nor_runs_forever(tmp_path, arch, engine):
    folder = checkpoint(tmp_path, arch)
    edit_json(folder / "config.json", min_length=1e9, max_length=1e9)
    # transformers' own generation config of the checkpoint must not steer the torch engine either
    edit_json(folder / "generation_config.json", min_length=1e9, num_return_sequences=3, return_dict_in_generate=True)
    copy_seeds(tmp_path / "in")
    (tmp_path / "brief.toml").write_text(ONE_THREAD, encoding="utf-8")
    args = ["--config", "brief.toml", "build", "--week", "--input", "in", "--out", "out", "--no-cache"]
    result = run_brief([*args, "--model", arch, "--engine", engine], tmp_path, timeout=240)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "max_length" in line]
    assert len(notes) == 1, result.stderr  # said once, not once per batch or per retry
    limit = "511 (the model's 512 positions)" if arch == "bart" else "512 (brief's limit)"
    assert limit in notes[0], notes
    data = json.loads(next((tmp_path / "out").glob("*.json")).read_text(encoding="utf-8"))
    assert len(data["reports"]) == 5


# --- 4. labels that name no report ---------------------------------------------------------------------


def test_model_eval_labels_naming_no_report_say_so(tmp_path):
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps({"other-a.txt": "一", "other-b.txt": "二", "other-c.txt": "三"}), encoding="utf-8")
    result = invoke(["model", "eval", "--model", "extractive", "--input", SEEDS, "--labels", labels])
    assert result.exit_code == 2, result.output
    assert str(labels) in result.output
    assert "none of its 3 keys" in result.output and "5 reports" in result.output
