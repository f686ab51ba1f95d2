"""The archive never loses data: a build killed (SIGKILL), interrupted (Ctrl-C) or failing (a
trigger that raises, a file-size limit) while it records the week leaves the previous rows as
they were; three first builds at once make one schema; history and search only read, and refuse a
file that is not an archive; a rebuild that would empty a stored week is refused without --force;
a store that is not a regular file is refused. Real `brief` processes and real signals throughout;
the failures are real SQLite ones (a trigger the test adds to the archive, RLIMIT_FSIZE)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEED_NAMES, SEEDS, copy_seeds, environment_without_brief, invoke

from briefing.store import SCHEMA_VERSION

WEEK = "2025-W20"
IN_WEEK = dt.datetime(2025, 5, 14, 9, 0)
OTHER_WEEK = dt.datetime(2025, 3, 5, 9, 0)
TABLES = ("schema_version", "reports", "events", "digests", "digest_reports", "digest_events")
ADDED = "\n会议强调，要持续巩固拓展脱贫攻坚成果，守住不发生规模性返贫的底线。\n"  # changes each report's hash

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="signals, /proc and RLIMIT_FSIZE as on Linux")


def brief_command() -> list[str]:
    """The installed `brief` of this virtualenv (python -m briefing where there is none)."""
    script = Path(sys.executable).with_name("brief")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "briefing"]


def brief_env(cwd: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = environment_without_brief()
    env.update(XDG_CACHE_HOME=str(cwd / "cache"), **(extra or {}))
    return env


def run_brief(
    args: list[object], cwd: Path, extra_env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*brief_command(), *map(str, args)],
        cwd=cwd,
        env=brief_env(cwd, extra_env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,  # type: ignore[arg-type]
    )


@contextlib.contextmanager
def started_brief(args: list[object], cwd: Path) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [*brief_command(), *map(str, args)],
        cwd=cwd,
        env=brief_env(cwd),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:  # a failed test leaves no brief running
            process.kill()
        process.communicate()


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of brief's tables, in a stable order."""
    conn = sqlite3.connect(db)
    try:
        return {table: sorted(conn.execute(f"select * from {table}").fetchall(), key=repr) for table in TABLES}
    finally:
        conn.close()


def fingerprint(path: Path) -> tuple[str, int, int]:
    """Content hash, size and mtime: what 'byte-for-byte unchanged' means here."""
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_size, stat.st_mtime_ns


def change_reports(inp: Path) -> None:
    """The same week scraped again: every report has a sentence more (a new content hash), and
    one of them is gone."""
    for name in SEED_NAMES:
        (inp / name).write_text((SEEDS / name).read_text(encoding="utf-8") + ADDED, encoding="utf-8")
        os.utime(inp / name, (IN_WEEK.timestamp(), IN_WEEK.timestamp()))
    (inp / SEED_NAMES[-1]).unlink()


class Week:
    """A week built into OUT/brief.db, with what `brief search` and `brief history` said then."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.inp = copy_seeds(root / "in", IN_WEEK)
        self.out = root / "out"
        built = invoke(["build", "--week", WEEK, "--input", self.inp, "--out", self.out, "-q"], root)
        assert built.exit_code == 0, built.output
        self.db = self.out / "brief.db"
        data = json.loads((self.out / f"{WEEK}.json").read_text(encoding="utf-8"))
        self.word = data["reports"][0]["title"][:4]
        self.rows = snapshot(self.db)
        self.search = self.ask(["search", self.word])
        self.history = self.ask(["history"])
        assert self.word in self.search and WEEK in self.history

    def build_args(self, *more: object) -> list[object]:
        return ["build", "--week", WEEK, "--input", self.inp, "--out", self.out, "-q", *more]

    def ask(self, args: list[object]) -> str:
        done = run_brief([*args, "--store", self.db], self.root)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def assert_intact(self) -> None:
        """Search and history answer as before (they run first: they must cope with whatever a
        killed run left beside the file), and every row is as it was."""
        assert self.ask(["search", self.word]) == self.search
        assert self.ask(["history"]) == self.history
        assert snapshot(self.db) == self.rows


@pytest.fixture
def week(tmp_path: Path) -> Week:
    return Week(tmp_path)


def slow_trigger_sql(seconds: float | None) -> list[str]:
    """A trigger that makes the first digest_reports row of a week take `seconds` (None: until
    killed): SQLite busy inside the record, exactly where a slow disk or a large week keeps it."""
    ballast = 400
    probe = sqlite3.connect(":memory:")
    probe.execute("create table ballast(i integer)")
    probe.executemany("insert into ballast values (?)", [(i,) for i in range(ballast)])
    started = time.perf_counter()
    probe.execute("select count(*) from ballast a, ballast b where a.i + b.i >= 0").fetchone()
    per_row = (time.perf_counter() - started) / ballast**2
    probe.close()
    if seconds is None:
        ballast, join = 2000, "test_ballast a, test_ballast b, test_ballast c"  # 8e9 rows: hours
    else:
        ballast, join = max(ballast, int((seconds / per_row) ** 0.5)), "test_ballast a, test_ballast b"
    return [
        "create table test_ballast(i integer)",
        f"with recursive n(i) as (select 1 union all select i + 1 from n where i < {ballast}) "
        "insert into test_ballast select i from n",
        "create trigger test_slow after insert on digest_reports "
        "when (select count(*) from digest_reports where week = new.week) = 1 "
        f"begin select count(*) from {join} where a.i + b.i >= 0; end",
    ]


def add_to_archive(db: Path, statements: list[str]) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()
    # The test's own rows are not brief's: the snapshot covers brief's tables only.


def wait_inside_record(process: subprocess.Popen[str], db: Path, held_s: float = 1.0) -> None:
    """Until the build has held a write transaction (its rollback journal) for `held_s`: it is
    then inside the slow trigger, in the middle of recording the week."""
    journal = db.with_name(db.name + "-journal")
    since: float | None = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"brief ended (exit {process.returncode}) before recording: {process.stderr.read()}")
        if journal.exists():
            since = since or time.monotonic()
            if time.monotonic() - since >= held_s:
                return
        else:
            since = None
        time.sleep(0.01)
    raise AssertionError("brief never held the archive's write transaction")


def test_sigkill_while_recording_leaves_the_previous_week(week: Week):
    add_to_archive(week.db, slow_trigger_sql(None))
    change_reports(week.inp)
    with started_brief(week.build_args(), week.root) as process:
        wait_inside_record(process, week.db)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    week.assert_intact()


def test_ctrl_c_while_recording_leaves_the_previous_week(week: Week):
    add_to_archive(week.db, slow_trigger_sql(3.0))
    change_reports(week.inp)
    with started_brief(week.build_args(), week.root) as process:
        wait_inside_record(process, week.db)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert not week.db.with_name("brief.db-journal").exists()  # rolled back by brief itself
    week.assert_intact()


def test_an_error_inside_sqlite_while_recording_leaves_the_previous_week(week: Week):
    add_to_archive(
        week.db,
        ["create trigger test_fail after insert on digest_reports begin select raise(abort, 'the disk said no'); end"],
    )
    change_reports(week.inp)
    done = run_brief(week.build_args(), week.root)
    assert done.returncode == 1, done.stderr
    assert "the disk said no" in done.stderr and "the digest was written without history" in done.stderr
    week.assert_intact()


def test_a_file_size_limit_while_recording_leaves_the_previous_week(week: Week):
    # A real write failure from the kernel: the archive may not grow (EFBIG), and the changed
    # reports need new pages. The digest files are smaller than the limit and are written.
    limit = week.db.stat().st_size
    assert all(p.stat().st_size < limit for p in week.out.glob(f"{WEEK}.*"))
    change_reports(week.inp)

    def cap_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = run_brief(week.build_args(), week.root, preexec_fn=cap_file_size)
    assert done.returncode == 1, done.stderr
    assert "the digest was written without history" in done.stderr
    assert len(json.loads((week.out / f"{WEEK}.json").read_text(encoding="utf-8"))["reports"]) == 4
    week.assert_intact()


def start_build(inp: Path, out: Path, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*brief_command(), "build", "--week", WEEK, "--input", str(inp), "--out", str(out), "-q"],
        cwd=cwd,
        env=brief_env(cwd),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_one_complete_schema(db: Path) -> None:
    rows = snapshot(db)  # fails on a missing table
    assert [row[0] for row in rows["schema_version"]] == list(range(1, SCHEMA_VERSION + 1))
    assert [row[0] for row in rows["digests"]] == [WEEK]
    assert len(rows["digest_reports"]) == len(SEED_NAMES)


def test_history_and_search_answer_after_a_writer_died_mid_commit(week: Week):
    # A writer killed after SQLite began changing the file (a large transaction spills pages
    # before COMMIT) leaves a hot journal. A read-only open may not roll it back; brief lets
    # SQLite restore the last committed state, then reads.
    killed_writer = f"""
import os, signal, sqlite3
conn = sqlite3.connect({str(week.db)!r}, isolation_level=None)
conn.execute("pragma cache_size = 1")  # spill every changed page into the file at once
conn.execute("begin immediate")
conn.execute("delete from digest_reports")
conn.execute("update reports set body = body || body")
os.kill(os.getpid(), signal.SIGKILL)
"""
    assert subprocess.run([sys.executable, "-c", killed_writer], timeout=60).returncode == -signal.SIGKILL
    assert week.db.with_name("brief.db-journal").stat().st_size > 0
    week.assert_intact()


def test_three_first_builds_at_once_make_one_schema(tmp_path: Path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    out = tmp_path / "out"
    out.mkdir()
    db = out / "brief.db"
    # The three must meet at the fresh (empty) archive: another program holds its write lock
    # (reads go on) until each has the file open, so all three find it empty, then let go at once.
    # Without it the race is there but rarely hit.
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("begin immediate")
    processes = [start_build(inp, out, tmp_path) for _ in range(3)]
    try:
        first_open: float | None = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and all(p.poll() is None for p in processes):
            have_it = [has_open(p.pid, db) for p in processes]
            if any(have_it):
                first_open = first_open or time.monotonic()
            # brief waits 2 s for a lock: let go before the first one gives up
            if first_open and (all(have_it) or time.monotonic() - first_open > 1.2):
                time.sleep(0.2 if all(have_it) else 0)
                break
            time.sleep(0.005)
    finally:
        holder.rollback()
        holder.close()
    results = [(p, *p.communicate(timeout=120)) for p in processes]
    for process, _out, err in results:
        assert process.returncode == 0 or (process.returncode == 1 and "is locked" in err), err
    # Every build succeeds; at worst one says the archive was locked (its digest is still written).
    assert sum(process.returncode == 0 for process, _out, _err in results) >= 2, [err for *_, err in results]
    assert_one_complete_schema(db)


def test_a_failed_first_migration_leaves_no_half_made_schema(tmp_path: Path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    out = tmp_path / "out"
    # The first build may not grow any file past 16 KiB: the new archive's tables do not fit
    # (a real EFBIG from the kernel, as a full disk would fail them); its Markdown and chart do.
    limit = 16 * 1024

    def cap_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    args = ["build", "--week", WEEK, "--input", inp, "--out", out, "-q", "--format", "md"]
    first = run_brief(args, tmp_path, preexec_fn=cap_file_size)
    assert first.returncode == 1 and "the digest was written without history" in first.stderr, first.stderr
    conn = sqlite3.connect(out / "brief.db")
    assert conn.execute("select name from sqlite_master").fetchall() == []  # nothing half-made
    conn.close()
    again = run_brief(args, tmp_path)
    assert again.returncode == 0, again.stderr
    assert_one_complete_schema(out / "brief.db")


def has_open(pid: int, path: Path) -> bool:
    with contextlib.suppress(OSError):
        return any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{pid}/fd").iterdir())
    return False


# --- history and search only read ---------------------------------------------------------------


def foreign_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("create table notes(id integer primary key, text text)")
    conn.execute("insert into notes(text) values ('someone else''s data')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", ["empty file", "another program's database"])
@pytest.mark.parametrize("command", [["history"], ["search", "防返贫"]])
def test_history_and_search_refuse_a_file_that_is_not_an_archive(tmp_path: Path, kind: str, command: list[str]):
    store = tmp_path / "other.db"
    if kind == "empty file":
        store.write_bytes(b"")
    else:
        foreign_database(store)
    os.utime(store, (1_600_000_000, 1_600_000_000))
    before = fingerprint(store)
    done = run_brief([*command, "--store", store], tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "not a brief archive" in done.stderr and str(store) in done.stderr
    assert fingerprint(store) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["other.db"]  # no journal


def test_history_and_search_leave_an_archive_as_it_was(week: Week):
    os.utime(week.db, (1_600_000_000, 1_600_000_000))
    before = fingerprint(week.db)
    week.ask(["history"])
    week.ask(["search", week.word])
    assert fingerprint(week.db) == before


def test_a_missing_archive_is_named_and_not_created(tmp_path: Path):
    store = tmp_path / "nowhere" / "brief.db"
    for command in (["history"], ["search", "防返贫"]):
        done = run_brief([*command, "--store", store], tmp_path)
        assert done.returncode == 2 and "no archive at" in done.stderr, done.stderr
    assert not store.parent.exists()


def test_history_and_search_survive_nulls_in_old_rows(week: Week):
    add_to_archive(
        week.db,
        [
            "update digests set built_at = null, reports = null, events = null, new_events = null, "
            "previously_reported = null",
            "update reports set title = null, summary = null, date_iso = null, province = null, city = null, "
            "county = null, town = null, event = null, first_week = null",
            "update digest_reports set source = null, event = null",
        ],
    )
    history = run_brief(["history", "--store", week.db], week.root)
    assert history.returncode == 0, history.stderr
    assert WEEK in history.stdout and "None" not in history.stdout
    body_word = week.rows["reports"][0][2][5:9]  # the title is gone: search the text
    found = run_brief(["search", body_word, "--store", week.db], week.root)
    assert found.returncode == 0, found.stderr
    assert WEEK in found.stdout and "None" not in found.stdout


def test_a_very_long_search_is_a_usage_error(week: Week):
    done = run_brief(["search", "防" * 30_000, "--store", week.db], week.root)
    assert done.returncode == 2, done.stderr
    assert "200" in done.stderr and "archive" not in done.stderr
    assert len(done.stderr) < 500  # the query is not echoed back whole


# --- a rebuild never silently empties a week ----------------------------------------------------


def test_a_rebuild_that_would_empty_a_stored_week_is_refused(week: Week):
    wrong = copy_seeds(week.root / "wrong", OTHER_WEEK)  # these files belong to another week
    digest_files = sorted(week.out.glob(f"{WEEK}.*"))
    before = {p.name: fingerprint(p) for p in [*digest_files, week.db]}
    done = run_brief(["build", "--week", WEEK, "--input", wrong, "--out", week.out, "-q"], week.root)
    assert done.returncode == 3, done.stdout + done.stderr
    message = done.stderr
    assert f"{len(SEED_NAMES)} report(s)" in message and f"{len(SEED_NAMES)} in other weeks" in message, message
    assert "--force" in message
    assert {p.name: fingerprint(p) for p in [*digest_files, week.db]} == before
    assert sorted(week.out.iterdir()) == sorted([*digest_files, week.db])
    week.assert_intact()
    # --force: the user means it; the week is rebuilt empty.
    forced = run_brief(["build", "--week", WEEK, "--input", wrong, "--out", week.out, "-q", "--force"], week.root)
    assert forced.returncode == 0, forced.stderr
    assert json.loads((week.out / f"{WEEK}.json").read_text(encoding="utf-8"))["reports"] == []
    assert snapshot(week.db)["digest_reports"] == []


# --- a store that is not a regular file ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "directory", "/dev/null"])
def test_a_store_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str):
    if kind == "fifo":
        store = tmp_path / "store.db"
        os.mkfifo(store)
    elif kind == "directory":
        store = tmp_path / "store.db"
        store.mkdir()
    else:
        store = Path("/dev/null")
    beside = store.with_name(store.name + "-journal")
    existed = beside.exists()
    inp = copy_seeds(tmp_path / "in", IN_WEEK)
    try:
        done = run_brief(
            ["build", "--week", WEEK, "--input", inp, "--out", tmp_path / "out", "-q"],
            tmp_path,
            {"BRIEF_STORE": str(store)},
        )
        assert done.returncode == 1, done.stderr
        assert f"archive {store} is not a regular file" in done.stderr, done.stderr
        assert (tmp_path / "out" / f"{WEEK}.md").is_file()  # the digest is still written
        for command in (["history"], ["search", "防返贫"]):
            asked = run_brief(command, tmp_path, {"BRIEF_STORE": str(store)})
            assert asked.returncode == 2 and "is not a regular file" in asked.stderr, asked.stderr
        assert beside.exists() == existed
    finally:
        if not existed and beside.is_file():  # today's brief, run as root, leaves /dev/null-journal
            beside.unlink()
