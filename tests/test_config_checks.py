"""Hostile configuration: every bad value is a one-line config error naming the key and where it
came from (file, environment variable or flag), exit 2, never a traceback and never a silently
mangled value (a port of 70000 once became 4464, `from = ["a@b"]` the string "['a@b']")."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from briefing.cli import main
from briefing.errors import ConfigError
from briefing.settings import load_settings

# Every test runs from an empty folder with no BRIEF_* variables.
pytestmark = pytest.mark.usefixtures("in_empty_folder")


def config_error(tmp_path: Path, body: str | bytes) -> str:
    cfg = tmp_path / "brief.toml"
    if isinstance(body, str):
        cfg.write_text(body, encoding="utf-8")
    else:
        cfg.write_bytes(body)
    result = CliRunner().invoke(main, ["--config", str(cfg), "config"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    (line,) = [line for line in result.output.splitlines() if line.strip()]  # one line
    assert str(cfg) in line
    return line


def test_a_config_file_that_is_not_utf8_is_a_config_error(tmp_path):
    line = config_error(tmp_path, b'[smtp]\nhost = "mail.\xc3\x28\xff.org"\n')
    assert "UTF-8" in line


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("[smtp]\nport = 70000\n", "port"),
        ("[smtp]\nport = 0\n", "port"),
        ('[smtp]\nport = "587"\n', "port"),  # a quoted number in TOML is a string: say so
        ("[smtp]\nbackoff = inf\n", "backoff"),
        ("[smtp]\nbackoff = nan\n", "backoff"),
        ("[smtp]\nbackoff = 100000\n", "backoff"),
        ("[smtp]\ntimeout = nan\n", "timeout"),
        ("[smtp]\ntimeout = 0\n", "timeout"),
        ("[smtp]\ntimeout = -inf\n", "timeout"),
        ("[smtp]\nretries = -1\n", "retries"),
        ("[smtp]\nretries = 10000\n", "retries"),
        ("[smtp]\nhost = 5\n", "host"),
        ('[smtp]\nhost = ""\n', "host"),
        ('[smtp]\nhost = "a\\nb"\n', "host"),
        ("[smtp]\nsecurity = true\n", "security"),
        ('[smtp]\npassword_env = ["P"]\n', "password_env"),
        ("[smtp]\ndeadline = 0\n", "deadline"),
        ("[smtp]\ndeadline = inf\n", "deadline"),
        ('[smtp]\nallow_plaintext_login = "yes"\n', "allow_plaintext_login"),
        ('[email]\nfrom = ["a@example.org"]\n', "from"),
        ('[email]\nfrom = "no address here"\n', "from"),
        ('[email]\nfrom = "a@example.org\\r\\nBcc: victim@example.org"\n', "from"),
        ("[email]\nto = [1, 2]\n", "to"),
        ('[email]\nto = ["a@example.org", "b@example.org\\nBcc: c@example.org"]\n', "to"),
        ('[email]\ncc = ["not-an-address"]\n', "cc"),
        ('[email]\nreply_to = "x@example.org\\rX-Injected: 1"\n', "reply_to"),
        ('[email]\nsubject = "{week.x}"\n', "subject"),
        ('[email]\nsubject = "{weeks}"\n', "subject"),
        ('[email]\nsubject = "{0}"\n', "subject"),
        ('[email]\nsubject = "周报 {week}\\nBcc: x@example.org"\n', "subject"),
        ("[email]\nmax_bytes = 0\n", "max_bytes"),
        ("[model]\nlength_penalty = nan\n", "length_penalty"),
        ('[model]\ncache = "sometimes"\n', "cache"),
        ('[wiki]\npage = "../escape-{week}"\n', "page"),
        ('[wiki]\npage = "/tmp/escape-{week}"\n', "page"),
        ('[wiki]\npage = "notes/../../escape-{week}"\n', "page"),
        ('[wiki]\npage = ".git/hooks/{week}"\n', "page"),
        ('[wiki]\npage = "{week.year}"\n', "page"),
        ('[wiki]\nindex = ["../Home"]\n', "index"),
        ('[wiki]\nindex = ["/etc/passwd"]\n', "index"),
        ("[wiki]\npush = 1\n", "push"),
        ('[wiki]\nremote = ""\n', "remote"),
    ],
)
def test_bad_values_name_the_key_and_the_file(tmp_path, body, key):
    line = config_error(tmp_path, body)
    assert key in line


def test_good_values_still_load(tmp_path):
    cfg = tmp_path / "brief.toml"
    cfg.write_text(
        '[smtp]\nport = 2525\nbackoff = 0.5\ntimeout = 10\nretries = 0\ndeadline = 60\nhost = "127.0.0.1"\n'
        '[email]\nfrom = "乡村振兴周报 <brief@example.org>"\nto = ["a@example.org", "B <b@example.org>"]\n'
        'subject = "周报 {week}（{count} 篇）"\nmax_bytes = 1000000\nreply_to = ""\n'
        '[wiki]\npage = "周报/乡村振兴周报-{week}"\nindex = ["Home", "_Sidebar"]\n',
        encoding="utf-8",
    )
    s = load_settings(config_file=cfg, environ={})
    assert s.email.reply_to is None  # an empty reply_to is none, not a bad address
    assert (s.smtp.port, s.smtp.backoff, s.smtp.timeout, s.smtp.retries, s.smtp.deadline) == (2525, 0.5, 10.0, 0, 60.0)
    assert s.email.to == ("a@example.org", "B <b@example.org>") and s.email.max_bytes == 1000000
    assert s.wiki.page == "周报/乡村振兴周报-{week}"


def test_environment_values_are_checked_too():
    with pytest.raises(ConfigError, match="BRIEF_SMTP_PORT"):
        load_settings(environ={"BRIEF_SMTP_PORT": "70000"})
    with pytest.raises(ConfigError, match="BRIEF_EMAIL_TO"):
        load_settings(environ={"BRIEF_EMAIL_TO": "a@example.org,b@example.org\r\nBcc: c@example.org"})


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--to", "a@example.org\r\nBcc: victim@example.org"),
        ("--from", "brief@example.org\nX-Evil: 1"),
        ("--reply-to", "r@example.org\rX-Evil: 1"),
        ("--subject", "{week.x}"),
        ("--subject", "{week}\r\nBcc: victim@example.org"),
        ("--cc", "nobody"),
    ],
)
def test_bad_addresses_and_subjects_on_the_command_line_exit_2(tmp_path, flag, value):
    args = ["send", "--week", "--input", str(SEEDS), "--out", str(tmp_path / "out"), "-q", "--dry-run"]
    defaults = {"--to": "team@example.org", "--from": "brief@example.org"}
    defaults[flag] = value
    for name, given in defaults.items():
        args += [name, given]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert f"option {flag}" in result.output
    assert not (tmp_path / "out").exists()  # refused before any work
