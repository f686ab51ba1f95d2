"""Every `Example` in every command's --help runs as written.

The examples run in the order `brief --help` lists the commands, all in one folder that holds
what a user's project folder would: a copy of seeds/ (collected now, so `--week` alone selects
it), a brief.toml naming the sender, the recipients and the SMTP server (a real aiosmtpd on
127.0.0.1 that wants a login), and ../team.wiki, a git clone of a bare remote. A placeholder
`…` in an example is the secret the reader fills in: here the test server's password.

Examples that need what no test may have end at a clean, documented error instead (exit 2 and
the one-line message): a seq2seq checkpoint under models/ (none is shipped) and the Hugging Face
hub (no network; HF_HUB_OFFLINE=1 makes sure `model pull` never downloads gigabytes in CI).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import click
import pytest
from conftest import ROOT, SMTP_PASSWORD, SMTP_USER, copy_seeds, git, invoke

from briefing.cli import main

# Example -> (exit code, text its output must hold) for the examples that cannot succeed here.
CLEAN_ERRORS = {
    "brief build --week --input seeds --model mt5-small-xlsum --device cpu": (2, "cannot load model 'mt5-small-xlsum'"),
    "brief model info models/mt5-small-xlsum": (2, "no checkpoint folder"),
    "brief model pull csebuetnlp/mT5_multilingual_XLSum": (2, "cannot download"),
    "brief model pull csebuetnlp/mT5_multilingual_XLSum --revision main": (2, "cannot download"),
    "brief model eval --model models/mt5-small-xlsum --input seeds --labels refs.json": (2, "cannot load model"),
    "brief model convert mT5_multilingual_XLSum": (2, "neither a local checkpoint nor in the Hugging Face cache"),
    "brief model convert mT5_multilingual_XLSum --quantization bfloat16": (
        2,
        "neither a local checkpoint nor in the Hugging Face cache",
    ),
}


def commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found += commands(sub, (*path, name))
    return found


def examples(command: click.Command) -> list[str]:
    """The indented lines under "Example:" / "Examples:" of the command's help."""
    out: list[str] = []
    inside = False
    for line in (command.help or "").splitlines():
        if line.strip() in ("Example:", "Examples:"):
            inside = True
        elif inside and line.startswith("    ") and line.strip():
            out.append(line.strip())
        elif line.strip():
            inside = False
    return out


ALL_EXAMPLES = [(path, ex) for path, command in commands(main) for ex in examples(command)]


def test_every_command_has_an_example():
    missing = [" ".join(path) or "brief" for path, command in commands(main) if not examples(command)]
    assert missing == []
    assert len(ALL_EXAMPLES) >= 20


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


@pytest.fixture
def project(tmp_path: Path, start_smtp) -> tuple[Path, Inbox]:
    work = tmp_path / "work"
    copy_seeds(work / "seeds")
    inbox = Inbox()
    port = start_smtp(inbox, auth=True)
    (work / "brief.toml").write_text(
        '[email]\nfrom = "乡村振兴周报 <brief@example.org>"\nto = ["team@example.org"]\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nuser = "{SMTP_USER}"\n'
        "allow_plaintext_login = true\n",  # the test server has no TLS
        encoding="utf-8",
    )
    # The reference summaries of the seeds, for `brief model eval --labels refs.json`.
    shutil.copyfile(ROOT / "tests" / "data" / "reference_summaries.json", work / "refs.json")
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    subprocess.run(["git", "clone", "-q", str(remote), str(tmp_path / "team.wiki")], check=True, capture_output=True)
    return work, inbox


def test_every_help_example_runs_as_written(project, tmp_path):
    work, inbox = project
    ran = []
    for _path, example in ALL_EXAMPLES:
        words = shlex.split(example.replace("…", SMTP_PASSWORD))
        env = {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
        while "=" in words[0]:
            name, value = words.pop(0).split("=", 1)
            env[name] = value
        assert words[0] == "brief", example
        result = invoke(words[1:], work, env)
        code, says = CLEAN_ERRORS.get(example, (0, ""))
        assert result.exit_code == code, f"{example}\n{result.output}"
        assert says in result.output, f"{example}\n{result.output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), example
        ran.append(example)
    assert len(ran) == len(ALL_EXAMPLES)
    # What the examples promise happened: the dry run wrote its .eml, the real send reached the
    # recipient of brief.toml once, publish --push reached the remote.
    assert list((work / "out").glob("*.eml"))
    assert inbox.messages == [("brief@example.org", ["team@example.org"])]
    assert "brief: publish" in git(tmp_path / "team.git", "log", "--oneline", "--all")
