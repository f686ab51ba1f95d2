"""Shared test helpers and fixtures: the seeds, running the real CLI, a real SMTP server on
127.0.0.1 and git in a temporary folder. Test modules import the helpers with
`from conftest import ...` (tests/ is on sys.path, as for crafted.py); fixtures need no import."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from briefing.cli import main
from briefing.errors import SkipFile
from briefing.ingest import IngestOptions, read_source, scan_inputs
from briefing.models import Ingested, Skipped

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))
REAL = ROOT.parent / "shared" / "real"  # third-party pages, read in place and never copied


def environment_without_brief() -> dict[str, str]:
    """This process's environment less every BRIEF_* variable, for brief run as a subprocess."""
    return {k: v for k, v in os.environ.items() if not k.startswith("BRIEF_")}


@pytest.fixture
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test runs from an empty folder with no BRIEF_* variables (settings tests use it for
    every test: `pytestmark = pytest.mark.usefixtures("in_empty_folder")`)."""
    for name in list(os.environ):
        if name.startswith("BRIEF_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(args: list[object], cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """Run `brief ARGS` (in `cwd` when given) with no BRIEF_* variables except those in `env`."""
    clean_env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("BRIEF_")}
    clean_env.update(env or {})
    with pytest.MonkeyPatch.context() as mp:
        if cwd is not None:
            mp.chdir(cwd)
        return CliRunner().invoke(main, [str(a) for a in args], env=clean_env)


def copy_seeds(dest: Path, when: dt.datetime | float | None = None, names: list[str] = SEED_NAMES) -> Path:
    """Copy the seeds into `dest` with modification time `when` (a naive datetime is local time,
    as the pipeline reads mtimes; default: now, so `--week` alone selects them)."""
    dest.mkdir(parents=True, exist_ok=True)
    stamp = when.timestamp() if isinstance(when, dt.datetime) else when
    for name in names:
        shutil.copyfile(SEEDS / name, dest / name)
        if stamp is not None:
            os.utime(dest / name, (stamp, stamp))
    return dest


def put_collected(path: Path, data: str | bytes, when: dt.datetime | float) -> Path:
    """A report file as a scraper saves it: text (UTF-8) or bytes, its modification time the
    moment it was collected (`when`: a naive datetime is local time, as the pipeline reads it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    stamp = when.timestamp() if isinstance(when, dt.datetime) else when
    os.utime(path, (stamp, stamp))
    return path


GIT_WHO = ["-c", "user.name=t", "-c", "user.email=t@example.org"]  # commits work without a global config


def ingest_folder(root: Path, options: IngestOptions | None = None) -> list[Ingested | Skipped]:
    """Every file below `root` read as the pipeline reads it (scan_inputs, then read_source for
    each file): an `Ingested` or a `Skipped` per file, in path order; then a `Skipped` per folder
    that could not be read. The ingest tests look at this stage alone, before cleaning."""
    options = options or IngestOptions()
    scan = scan_inputs(root)
    results: list[Ingested | Skipped] = []
    for path in scan.files:
        try:
            results.append(read_source(path, str(path), options, inside=root))
        except SkipFile as exc:
            results.append(Skipped(source=str(path), reason=exc.reason))
    return [*results, *scan.unreadable]


def git(repo: Path, *args: str, check: bool = True) -> str:
    """`git -C REPO ARGS`; with `check`, a failure fails the test with git's own message."""
    result = subprocess.run(["git", "-C", str(repo), *GIT_WHO, *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(result.stderr)
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SMTP_USER, SMTP_PASSWORD = "brief", "s3cret"  # the one login the test servers accept


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def text(value: bytes | str) -> str:
        return value.decode() if isinstance(value, bytes) else value

    ok = isinstance(auth_data, LoginPassword) and (text(auth_data.login), text(auth_data.password)) == (
        SMTP_USER,
        SMTP_PASSWORD,
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@pytest.fixture
def start_smtp() -> Iterator[Any]:
    """start_smtp(handler, auth=False) -> port: a real aiosmtpd server on 127.0.0.1 (no TLS) with
    the test's handler; stopped after the test."""
    from aiosmtpd.controller import Controller

    controllers = []

    def start(handler: Any, auth: bool = False) -> int:
        port = free_port()
        kwargs = {"authenticator": authenticator, "auth_require_tls": False} if auth else {}
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        controllers.append(controller)
        return port

    yield start
    for controller in controllers:
        controller.stop()


# --- make test-fast ---------------------------------------------------------------------------------
# The slow tests: they train or load seq2seq models, run brief as a real process (signals, a full
# disk, concurrent builds, TLS with a real server), or build a week of all the real pages. `make
# test` (CI) runs everything; `make test-fast` (pytest -m "not slow") leaves these out.
SLOW_MODULES = {
    "test_seq2seq",
    "test_ct2",
    "test_model_formats",
    "test_model_safety",
    "test_archive_safety",
    "test_send_safety",
    "test_deliver_tls",
    "test_schedule",
    "test_summary_quality",
    "test_region_scorer",
    "test_hostile",
    "test_help_examples",
    "test_publish_safety",
}
SLOW_FIXTURES = {
    "real_week",
    "two_weeks",
    "trained_model",
    "tiny_model",
    "random_models",
    "seed_reports_with_model",
    "week300",
}
SLOW_WORDS = (
    "real_page",
    "real_week",
    "torture",
    "subprocess",
    "process",
    "sigkill",
    "ctrl_c",
    "million",
    "fifty_thousand",
    "thousand_meetings",
    "every_division_name",
    "piped",
    "closed_stdout",
    "locked_archive",
    "model_reading",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if getattr(item, "module", None) else ""
        fixtures = set(getattr(item, "fixturenames", ()))
        if module in SLOW_MODULES or fixtures & SLOW_FIXTURES or any(w in item.name for w in SLOW_WORDS):
            item.add_marker(pytest.mark.slow)
