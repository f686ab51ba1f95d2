"""Settings: packaged defaults < brief.toml < environment < flags, and config errors.

`load_settings` is called with an explicit `environ` (never the test process's environment) and,
where it matters, from a tmp current folder, so a stray ./brief.toml cannot leak in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, copy_seeds, invoke

from briefing.errors import ConfigError
from briefing.settings import Settings, describe_settings, load_settings
from briefing.summarize.extractive import ExtractiveSummarizer

# Every test runs from an empty folder with no BRIEF_* variables.
pytestmark = pytest.mark.usefixtures("in_empty_folder")


def toml(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the four layers ---------------------------------------------------------------------------


def test_packaged_defaults():
    s = load_settings(flags={}, config_file=None, environ={})
    assert s == Settings()
    assert s.build.input == Path("reports")
    assert s.build.out == Path("out")
    assert s.build.formats == ("md", "html", "json")
    assert s.build.select_by == "collected"
    assert s.build.templates is None
    assert s.ingest.max_bytes == 5 * 1024 * 1024
    assert s.summarize.backend is None and s.backend == "extractive"  # seq2seq only once a model is set
    assert ExtractiveSummarizer.from_settings(s.summarize) == ExtractiveSummarizer(max_chars=135, max_sentences=3)
    assert s.config_file is None


FULL_TOML = """
[build]
input = "toml-in"
out = "toml-out"
formats = ["json", "md"]
select_by = "date"
templates = "toml-templates"

[ingest]
max_bytes = 1000

[summarize]
backend = "extractive"
max_chars = 80
max_sentences = 2
"""


def test_toml_overrides_defaults(tmp_path):
    cfg = toml(tmp_path / "my.toml", FULL_TOML)
    s = load_settings(flags={}, config_file=cfg, environ={})
    assert s.build.input == Path("toml-in")
    assert s.build.out == Path("toml-out")
    assert s.build.formats == ("json", "md")
    assert s.build.select_by == "date"
    assert s.build.templates == Path("toml-templates")
    assert s.ingest.max_bytes == 1000
    assert ExtractiveSummarizer.from_settings(s.summarize) == ExtractiveSummarizer(max_chars=80, max_sentences=2)
    assert s.config_file == cfg


def test_partial_toml_keeps_other_defaults(tmp_path):
    cfg = toml(tmp_path / "brief.toml", '[build]\nout = "elsewhere"\n')
    s = load_settings(flags={}, config_file=cfg, environ={})
    assert s.build.out == Path("elsewhere")
    assert s.build.input == Path("reports") and s.build.formats == ("md", "html", "json")
    assert s.ingest.max_bytes == 5 * 1024 * 1024


def test_environment_overrides_toml(tmp_path):
    cfg = toml(tmp_path / "my.toml", FULL_TOML)
    env = {
        "BRIEF_INPUT": "env-in",
        "BRIEF_OUT": "env-out",
        "BRIEF_FORMATS": "html",
        "BRIEF_SELECT_BY": "collected",
        "BRIEF_TEMPLATES": "env-templates",
        "BRIEF_SUMMARIZER": "env-backend",
    }
    s = load_settings(flags={}, config_file=cfg, environ=env)
    assert s.build.input == Path("env-in")
    assert s.build.out == Path("env-out")
    assert s.build.formats == ("html",)
    assert s.build.select_by == "collected"
    assert s.build.templates == Path("env-templates")
    assert s.summarize.backend == "env-backend"
    assert s.ingest.max_bytes == 1000  # no environment variable for it: the file's value stays


def test_flags_override_environment_and_toml(tmp_path):
    cfg = toml(tmp_path / "my.toml", FULL_TOML)
    env = {"BRIEF_OUT": "env-out", "BRIEF_FORMATS": "html", "BRIEF_SELECT_BY": "collected"}
    flags = {"out": Path("flag-out"), "formats": "md", "select_by": "date", "input": None}
    s = load_settings(flags=flags, config_file=cfg, environ=env)
    assert s.build.out == Path("flag-out")
    assert s.build.formats == ("md",)
    assert s.build.select_by == "date"
    assert s.build.input == Path("toml-in")  # a flag given as None was not given


def test_empty_environment_variable_is_ignored(tmp_path):
    cfg = toml(tmp_path / "my.toml", FULL_TOML)
    s = load_settings(flags={}, config_file=cfg, environ={"BRIEF_OUT": ""})
    assert s.build.out == Path("toml-out")


def test_brief_config_variable_names_the_file(tmp_path):
    cfg = toml(tmp_path / "custom.toml", '[build]\nout = "via-env-config"\n')
    s = load_settings(flags={}, environ={"BRIEF_CONFIG": str(cfg)})
    assert s.build.out == Path("via-env-config")
    assert s.config_file == cfg


def test_brief_toml_in_current_folder_is_read(in_empty_folder):
    toml(in_empty_folder / "brief.toml", '[build]\nout = "from-cwd"\n')
    s = load_settings(flags={}, environ={})
    assert s.build.out == Path("from-cwd")
    assert s.config_file == Path("brief.toml")


def test_explicit_config_beats_brief_config_and_cwd(in_empty_folder):
    toml(in_empty_folder / "brief.toml", '[build]\nout = "from-cwd"\n')
    via_env = toml(in_empty_folder / "env.toml", '[build]\nout = "from-env-config"\n')
    explicit = toml(in_empty_folder / "explicit.toml", '[build]\nout = "from-explicit"\n')
    assert load_settings(environ={"BRIEF_CONFIG": str(via_env)}).build.out == Path("from-env-config")
    assert load_settings(config_file=explicit, environ={"BRIEF_CONFIG": str(via_env)}).build.out == Path(
        "from-explicit"
    )


def test_paths_expand_user(tmp_path):
    s = load_settings(flags={"out": "~/digests"}, environ={})
    assert s.build.out == Path("~/digests").expanduser()
    assert "~" not in str(s.build.out)


def test_formats_are_normalised(tmp_path):
    assert load_settings(flags={"formats": " JSON, md ,json"}, environ={}).build.formats == ("json", "md")
    cfg = toml(tmp_path / "f.toml", '[build]\nformats = "md,html"\n')
    assert load_settings(config_file=cfg, environ={}).build.formats == ("md", "html")


# --- the sections, as the stages and `brief config` see them ------------------------------------


def test_defaults_of_subject_and_wiki_page():
    s = Settings()
    assert s.email.subject == "乡村振兴周报｜{label}：{meetings}场会议"
    assert s.wiki.page == "乡村振兴周报-{week}"
    assert s.smtp.password_env == "BRIEF_SMTP_PASSWORD" and s.store_file == Path("out/brief.db")


def test_each_layer_reaches_its_section(tmp_path):
    cfg = toml(
        tmp_path / "my.toml", '[smtp]\nport = 2525\n[model]\nnum_beams = 2\n[wiki]\nindex = ["Home", "_Sidebar"]\n'
    )
    env = {
        "BRIEF_SMTP_HOST": "mail.example.org",
        "BRIEF_ENGINE": "torch",
        "BRIEF_EMAIL_TO": "a@example.org, b@example.org",
    }
    flags = {
        "email_from": "brief@example.org",
        "wiki_dir": tmp_path / "wiki",
        "wiki_push": True,
        "store_path": tmp_path / "archive.db",
        "use_cache": False,
        "model_precision": "int8",
    }
    s = load_settings(flags=flags, config_file=cfg, environ=env)
    assert (s.smtp.host, s.smtp.port, s.smtp.security) == ("mail.example.org", 2525, "starttls")
    assert (s.model.num_beams, s.model.engine, s.model.precision, s.model.cache) == (2, "torch", "int8", False)
    assert s.email.sender == "brief@example.org" and s.email.to == ("a@example.org", "b@example.org")
    assert (s.wiki.dir, s.wiki.push, s.wiki.index) == (tmp_path / "wiki", True, ("Home", "_Sidebar"))
    assert s.store.path == s.store_file == tmp_path / "archive.db"


def test_model_section_becomes_the_seq2seq_options(tmp_path):
    from briefing.summarize.seq2seq import GenerationSettings, Seq2SeqOptions

    cfg = toml(
        tmp_path / "my.toml",
        '[model]\nname = "m"\nrevision = "r"\nprefix = "摘要："\ndevice = "cpu"\ntoken_budget = 100\nmax_batch = 5\n'
        'decode_rows = 6\nmax_input_tokens = 7\nthreads = 1\nengine = "torch"\nprecision = "float32"\n'
        'cache_dir = "c"\ncache = false\nonline = true\nnum_beams = 2\nmax_new_tokens = 50\nmin_new_tokens = 4\n'
        "no_repeat_ngram_size = 2\nlength_penalty = 0.6\n",
    )
    model = load_settings(config_file=cfg, environ={}).model
    assert Seq2SeqOptions.from_settings(model) == Seq2SeqOptions(
        model="m",
        revision="r",
        prefix="摘要：",
        device="cpu",
        token_budget=100,
        max_batch=5,
        decode_rows=6,
        max_input_tokens=7,
        threads=1,
        cache_dir=Path("c"),
        use_cache=False,
        online=True,
        generation=GenerationSettings(
            num_beams=2, max_new_tokens=50, min_new_tokens=4, no_repeat_ngram_size=2, length_penalty=0.6
        ),
        engine="torch",
        precision="float32",
    )
    # the backend's own defaults are [model]'s: a checkpoint named alone gets brief's defaults
    assert Seq2SeqOptions(model="m") == Seq2SeqOptions.from_settings(dataclasses.replace(Settings().model, name="m"))
    with pytest.raises(ConfigError, match="needs a model"):
        Seq2SeqOptions.from_settings(Settings().model)


# `brief config` prints one row per key, section by section, in this order.
CONFIG_ROWS = {
    "build": "input out formats select_by templates",
    "digest": "recent_days home",
    "ingest": "max_bytes",
    "summarize": "backend max_chars max_sentences",
    "model": "name revision prefix device token_budget max_batch decode_rows max_input_tokens threads engine "
    "precision cache_dir cache online num_beams max_new_tokens min_new_tokens no_repeat_ngram_size length_penalty",
    "email": "from to cc bcc reply_to subject max_bytes volume_threshold full_cards unsubscribe",
    "smtp": "host port security user password_env timeout retries backoff deadline allow_plaintext_login ca_file",
    "wiki": "dir page index push remote url",
    "store": "path",
}


def test_config_rows_in_order_with_the_password_masked():
    rows = describe_settings(Settings(), environ={"BRIEF_SMTP_PASSWORD": "s3cret"})
    expected = [f"{section}.{key}" for section, keys in CONFIG_ROWS.items() for key in keys.split()]
    assert [key for key, _ in rows] == ["config file", *expected, "smtp password ($BRIEF_SMTP_PASSWORD)"]
    values = dict(rows)
    assert values["config file"] == "(none)" and values["build.formats"] == "md, html, json"
    assert values["email.subject"] == "乡村振兴周报｜{label}：{meetings}场会议" and values["smtp.port"] == ""
    assert values["smtp password ($BRIEF_SMTP_PASSWORD)"] == "set (hidden)"
    assert not any("s3cret" in value for _, value in rows)


def test_readme_configuration_example_loads_and_names_every_key(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Configuration", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    cfg = toml(tmp_path / "readme.toml", example)
    ca_file = tomllib.loads(example).get("smtp", {}).get("ca_file")
    if ca_file and not Path(ca_file).is_absolute():  # read when loaded: the example's CA file must hold a CA
        import trustme

        trustme.CA().cert_pem.write_to_path(str(tmp_path / ca_file))
    s = load_settings(config_file=cfg, environ={})  # every value in the example is valid
    documented = set()
    for section, table in tomllib.loads(example).items():
        if isinstance(table, list):  # [[subscription]]: described one row per subscription, by name
            documented |= {f"{section}.{entry['name']}" for entry in table}
        else:
            documented |= {f"{section}.{key}" for key in table}
    described = {key for key, _ in describe_settings(s, environ={})[1:-1]}
    assert documented == described


# --- errors --------------------------------------------------------------------------------------


def test_unknown_key_is_an_error_naming_it(tmp_path):
    cfg = toml(tmp_path / "brief.toml", '[build]\nout = "x"\noutput_dir = "typo"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(config_file=cfg, environ={})
    message = str(info.value)
    assert "output_dir" in message and "[build]" in message and str(cfg) in message
    assert "out" in (info.value.hint or "")


def test_unknown_section_is_an_error_naming_it(tmp_path):
    cfg = toml(tmp_path / "brief.toml", '[summarise]\nbackend = "extractive"\n')
    with pytest.raises(ConfigError, match=r"summarise"):
        load_settings(config_file=cfg, environ={})


def test_key_in_the_wrong_section_is_an_error(tmp_path):
    cfg = toml(tmp_path / "brief.toml", "[build]\nmax_bytes = 10\n")
    with pytest.raises(ConfigError, match=r"max_bytes"):
        load_settings(config_file=cfg, environ={})


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ("[ingest]\nmax_bytes = 0\n", "max_bytes"),
        ("[ingest]\nmax_bytes = -5\n", "max_bytes"),
        ('[ingest]\nmax_bytes = "lots"\n', "max_bytes"),
        ("[summarize]\nmax_chars = 0\n", "max_chars"),
        ('[summarize]\nmax_sentences = "three"\n', "max_sentences"),
        ('[build]\nselect_by = "week"\n', "select_by"),
        ('[build]\nselect_by = ["date"]\n', "select_by"),
        ('[build]\nformats = ["md", "pdf"]\n', "pdf"),
        ("[build]\nformats = []\n", "formats"),
        ("[build\nout = 1\n", "TOML"),
    ],
)
def test_invalid_values_are_config_errors(tmp_path, body, word):
    cfg = toml(tmp_path / "brief.toml", body)
    with pytest.raises(ConfigError, match=word):
        load_settings(config_file=cfg, environ={})


@pytest.mark.parametrize(
    ("env", "word"),
    [
        ({"BRIEF_FORMATS": "md,docx"}, "BRIEF_FORMATS"),
        ({"BRIEF_SELECT_BY": "published"}, "BRIEF_SELECT_BY"),
    ],
)
def test_invalid_environment_values_are_config_errors(env, word):
    with pytest.raises(ConfigError, match=word):
        load_settings(environ=env)


def test_invalid_flag_value_is_config_error():
    with pytest.raises(ConfigError):
        load_settings(flags={"formats": "pdf"}, environ={})


def test_missing_config_file_is_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(config_file=tmp_path / "absent.toml", environ={})


def test_config_error_is_exit_code_2():
    assert ConfigError("x").exit_code == 2


@pytest.mark.parametrize("value", ["true", "1.5"])
def test_non_integer_numbers_are_config_errors(tmp_path, value):
    cfg = toml(tmp_path / "brief.toml", f"[ingest]\nmax_bytes = {value}\n")
    with pytest.raises(ConfigError, match="max_bytes"):
        load_settings(config_file=cfg, environ={})


def test_known_section_that_is_not_a_table_is_not_called_unknown(tmp_path):
    cfg = toml(tmp_path / "brief.toml", 'build = "reports"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(config_file=cfg, environ={})
    assert "unknown section" not in str(info.value)


# --- through the command line --------------------------------------------------------------------


def test_cli_config_option(in_empty_folder):
    inp = copy_seeds(in_empty_folder / "in")
    out = in_empty_folder / "cfg-out"
    cfg = toml(in_empty_folder / "settings.toml", f'[build]\ninput = "{inp}"\nout = "{out}"\nformats = ["json"]\n')
    result = invoke(["--config", cfg, "build", "--week", "2021-W34", "-q"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir() if p.name != "brief.db"] == ["2021-W34.json"]


def test_cli_brief_config_variable(in_empty_folder):
    inp = copy_seeds(in_empty_folder / "in")
    out = in_empty_folder / "env-cfg-out"
    cfg = toml(in_empty_folder / "elsewhere.toml", f'[build]\ninput = "{inp}"\nout = "{out}"\nformats = ["md"]\n')
    result = invoke(["build", "--week", "2021-W34", "-q"], env={"BRIEF_CONFIG": str(cfg)})
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir() if p.name != "brief.db"] == ["2021-W34.md"]


def test_cli_reads_brief_toml_in_current_folder(in_empty_folder):
    copy_seeds(in_empty_folder / "reports")
    toml(in_empty_folder / "brief.toml", '[build]\nout = "digests"\nformats = ["json"]\n')
    result = invoke(["build", "--week", "2021-W34", "-q"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (in_empty_folder / "digests").iterdir() if p.name != "brief.db"] == ["2021-W34.json"]


def test_cli_precedence_flag_over_env_over_file(in_empty_folder):
    inp = copy_seeds(in_empty_folder / "in")
    cfg = toml(in_empty_folder / "brief.toml", f'[build]\ninput = "{inp}"\nout = "file-out"\nformats = ["md"]\n')
    env = {"BRIEF_OUT": "env-out", "BRIEF_FORMATS": "json"}
    r1 = invoke(["--config", cfg, "build", "--week", "2021-W34", "-q"], env=env)
    assert r1.exit_code == 0, r1.output
    assert [p.name for p in (in_empty_folder / "env-out").iterdir() if p.name != "brief.db"] == ["2021-W34.json"]
    assert not (in_empty_folder / "file-out").exists()
    r2 = invoke(
        ["--config", cfg, "build", "--week", "2021-W34", "-q", "--out", "flag-out", "--format", "html"], env=env
    )
    assert r2.exit_code == 0, r2.output
    assert [p.name for p in (in_empty_folder / "flag-out").iterdir() if p.name != "brief.db"] == ["2021-W34.html"]


def test_cli_select_by_from_config(in_empty_folder):
    inp = copy_seeds(in_empty_folder / "in")
    collected = dt.datetime(2021, 8, 29, 12).timestamp()
    for p in inp.iterdir():
        os.utime(p, (collected, collected))
    cfg = toml(in_empty_folder / "brief.toml", f'[build]\ninput = "{inp}"\nout = "o"\nselect_by = "date"\n')
    result = invoke(["--config", cfg, "build", "--week", "2021-W34", "-q", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads((in_empty_folder / "o" / "2021-W34.json").read_text(encoding="utf-8"))
    assert data["select_by"] == "date"
    assert [Path(r["source"]).name[:3] for r in data["reports"]] == ["000"]


def test_cli_unknown_key_exits_2_naming_it(in_empty_folder):
    inp = copy_seeds(in_empty_folder / "in")
    cfg = toml(in_empty_folder / "brief.toml", '[build]\nformat = ["md"]\n')
    result = invoke(["--config", cfg, "build", "--week", "--input", inp, "--out", "o"])
    assert result.exit_code == 2, result.output
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "'format'" in lines[0] and "[build]" in lines[0], lines
    assert "Traceback" not in result.output
    assert not (in_empty_folder / "o").exists()


def test_cli_invalid_config_value_exits_2(in_empty_folder):
    inp = copy_seeds(in_empty_folder / "in")
    cfg = toml(in_empty_folder / "brief.toml", "[ingest]\nmax_bytes = -1\n")
    result = invoke(["--config", cfg, "build", "--week", "--input", inp, "--out", "o"])
    assert result.exit_code == 2, result.output
    assert "max_bytes" in result.stderr


def test_cli_missing_config_file_exits_2(in_empty_folder):
    result = invoke(["--config", in_empty_folder / "nope.toml", "build", "--week", "--input", "x"])
    assert result.exit_code == 2, result.output
    assert "nope.toml" in result.stderr


def test_cli_invalid_environment_value_exits_2(in_empty_folder):
    inp = copy_seeds(in_empty_folder / "in")
    result = invoke(["build", "--week", "--input", inp, "--out", "o"], env={"BRIEF_FORMATS": "docx"})
    assert result.exit_code == 2, result.output
    assert "BRIEF_FORMATS" in result.stderr


def test_cli_max_bytes_from_config_skips_large_files(in_empty_folder):
    inp = copy_seeds(in_empty_folder / "in")
    cfg = toml(in_empty_folder / "brief.toml", "[ingest]\nmax_bytes = 5500\n")
    result = invoke(["--config", cfg, "build", "--week", "--input", inp, "--out", "o", "--format", "json"])
    assert result.exit_code == 1, result.output
    (digest,) = [p for p in (in_empty_folder / "o").iterdir() if p.name != "brief.db"]
    skipped = json.loads(digest.read_text(encoding="utf-8"))["skipped"]
    sizes = {p.name: p.stat().st_size for p in inp.iterdir()}
    assert sorted(Path(s["source"]).name for s in skipped) == sorted(n for n, size in sizes.items() if size > 5500)
    assert skipped and all("too large" in s["reason"] for s in skipped)
