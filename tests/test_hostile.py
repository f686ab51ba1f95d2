"""A hostile user's inputs (issue 9): real folders, permissions, symbolic links, bad names and bad
bytes, driven through the real CLI. Nothing may be lost silently, nothing may crash, and every
output file must be complete."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, SEED_NAMES, SEEDS, copy_seeds, environment_without_brief, ingest_folder
from conftest import invoke as invoke_brief
from crafted import simplified_excerpt, traditional_excerpt

from briefing.files import write_atomic

REPO = ROOT
GOOD = (
    "平安乡召开脱贫攻坚工作推进会\n"
    "10月10日，重庆市奉节县平安乡召开脱贫攻坚工作推进会，安排部署平安乡下一阶段脱贫攻坚工作。\n"
    "会议要求，全乡干部要扎实推进各项工作，确保取得实效。\n"
)
GBK_NAME = "国家乡村振兴局会议.txt".encode("gbk")  # not UTF-8: Linux hands it over as surrogates


# --- helpers --------------------------------------------------------------------------------------


def invoke(args: list[object], cwd: Path, env: dict[str, str] | None = None):
    """The shared `invoke` with the summary cache and crash logs kept inside `cwd`."""
    cache = {"XDG_CACHE_HOME": str(cwd / "cache"), "BRIEF_CACHE_DIR": str(cwd / "cache" / "summaries")}
    return invoke_brief(args, cwd, {**cache, **(env or {})})


def run_brief(args: list[object], cwd: Path, *, denied: bool = False) -> subprocess.CompletedProcess[str]:
    """`python -m briefing ARGS` as a real process (real stderr, real exit code).

    denied=True runs it without the capabilities that let root read any folder (root ignores
    chmod 000 otherwise), so the permission tests test permissions under root in CI too."""
    env = environment_without_brief()
    env.update(XDG_CACHE_HOME=str(cwd / "cache"), BRIEF_CACHE_DIR=str(cwd / "cache" / "summaries"))
    command = [sys.executable, "-m", "briefing", *map(str, args)]
    if denied and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.fail("running as root: setpriv (util-linux) is needed to drop CAP_DAC_* for this test")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def week_files(out: Path) -> SimpleNamespace:
    """The digest of the one week in `out`, each format read and checked complete."""
    (json_path,) = out.glob("*-W*.json")
    week = json_path.stem
    data = json.loads(json_path.read_text(encoding="utf-8"))
    md = (out / f"{week}.md").read_text(encoding="utf-8")
    html = (out / f"{week}.html").read_text(encoding="utf-8")
    assert md.rstrip().splitlines()[-3].startswith("摘要："), md[-300:]  # the footer: written to the end
    assert md.rstrip().splitlines()[-1].startswith("<!-- generator: brief "), md[-300:]  # then brief's mark
    assert html.rstrip().endswith("</html>"), html[-300:]
    chart = out / f"{week}.png"
    if chart.exists():  # absent only where no CJK font could be installed
        assert chart.read_bytes().endswith(b"IEND\xaeB`\x82")
    return SimpleNamespace(week=week, data=data, md=md, html=html)


def skipped_reasons(data: dict) -> dict[str, str]:
    return {s["source"]: s["reason"] for s in data["skipped"]}


def make_deep_folder(base: Path, levels: int = 24, file_name: str = "报告.txt") -> tuple[Path, int]:
    """Folders nested until the path passes the system limit (PATH_MAX, 4096 on Linux), made
    relative to an open folder because no path to the bottom can be handed to the kernel; a
    report at the bottom unless file_name is empty."""
    name = "深" * 60  # 180 bytes per level
    fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
    depth = 0
    try:
        for depth in range(1, levels + 1):  # noqa: B007
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        if file_name:
            report = os.open(file_name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
            os.write(report, GOOD.encode("utf-8"))
            os.close(report)
    finally:
        os.close(fd)
    return base / name, depth


# --- 1. --out equal to --input or its parent --------------------------------------------------------


def test_out_equal_to_input_reads_every_report_and_rereads_none_of_its_own(tmp_path):
    inp = copy_seeds(tmp_path / "reports")
    (inp / "notes.md").write_text(GOOD, encoding="utf-8")  # a user's file beside the digests: still an input
    for run in (1, 2):  # the second run finds its own digests beside the reports
        result = invoke(["build", "--week", "--input", inp, "--out", inp], tmp_path)
        assert result.exit_code == 0, (run, result.output)
        digest = week_files(inp)
        names = sorted(Path(r["source"]).name for r in digest.data["reports"])
        assert names == sorted([*SEED_NAMES, "notes.md"]), run
        assert digest.data["skipped"] == [] and digest.data["outside_week"] == []
    assert {p.suffix for p in inp.glob(f"{digest.week}.*")} == {".md", ".html", ".json", ".png"}


def test_out_parent_of_input_reads_every_report(tmp_path):
    inp = copy_seeds(tmp_path / "reports" / "2021")
    out = tmp_path / "reports"
    result = invoke(["build", "--week", "--input", inp, "--out", out, "--format", "json,md,html"], tmp_path)
    assert result.exit_code == 0, result.output
    assert len(week_files(out).data["reports"]) == len(SEED_NAMES)


def test_send_dry_run_with_out_equal_to_input_is_not_empty(tmp_path):
    inp = copy_seeds(tmp_path / "reports")
    args = ["send", "--week", "--input", inp, "--out", inp, "--dry-run", "--to", "a@example.org"]
    result = invoke([*args, "--from", "b@example.org"], tmp_path)
    assert result.exit_code == 0, result.output
    assert f"{len(SEED_NAMES)} report(s)" in result.output
    assert len(list(inp.glob("*-W*.eml"))) == 1


# --- 5. file names that are not UTF-8 -----------------------------------------------------------------


def test_gbk_file_name_is_escaped_in_every_output(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    with open(os.path.join(os.fsencode(inp), GBK_NAME), "wb") as handle:
        handle.write(GOOD.encode("utf-8"))
    with open(os.path.join(os.fsencode(inp), b"bad-\xff.txt"), "wb") as handle:
        handle.write(b"")  # a skipped file with a bad name too
    out = tmp_path / "out"
    result = run_brief(["build", "--week", "--input", inp, "--out", out], tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    digest = week_files(out)
    shown = "\\x" + "\\x".join(f"{b:02x}" for b in GBK_NAME[:2])  # \xb9\xfa…
    (report,) = digest.data["reports"]
    assert report["source"].startswith(str(inp) + "/" + shown), report["source"]
    assert list(skipped_reasons(digest.data)) == [f"{inp}/bad-\\xff.txt"]
    for text in (digest.md, digest.html):
        assert shown in text and "bad-\\xff.txt" in text
    dry = run_brief(
        ["send", "--week", "--input", inp, "--out", out, "--dry-run", "--to", "a@x.org", "--from", "b@x.org"], tmp_path
    )
    assert dry.returncode == 1 and "Traceback" not in dry.stderr, dry.stderr
    (eml,) = out.glob("*.eml")
    assert eml.stat().st_size > 1000


# --- 6, 11. symbolic links: loops and links out of the input ------------------------------------------


def test_symlink_loops_are_skipped_with_a_reason(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text(GOOD, encoding="utf-8")
    os.symlink("self.txt", inp / "self.txt")
    os.symlink("pong.txt", inp / "ping.txt")
    os.symlink("ping.txt", inp / "pong.txt")
    out = tmp_path / "out"
    result = run_brief(["build", "--week", "--input", inp, "--out", out], tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    reasons = skipped_reasons(week_files(out).data)
    assert set(reasons) == {str(inp / n) for n in ("self.txt", "ping.txt", "pong.txt")}
    assert all(r == "symbolic link loop (not followed)" for r in reasons.values())


def test_file_link_out_of_the_input_is_refused_and_its_text_never_published(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text(GOOD, encoding="utf-8")
    secret = tmp_path / "private" / "工资表.txt"
    secret.parent.mkdir()
    secret.write_text(GOOD.replace("平安乡", "保密村"), encoding="utf-8")
    os.symlink(secret, inp / "link-out.txt")
    os.symlink("good.txt", inp / "link-in.txt")  # a link that stays inside is read
    out = tmp_path / "out"
    result = invoke(["build", "--week", "--input", inp, "--out", out], tmp_path)
    assert result.exit_code == 1, result.output
    digest = week_files(out)
    assert skipped_reasons(digest.data) == {
        str(inp / "link-out.txt"): "symbolic link to a file outside the input folder (not followed)"
    }
    assert sorted(Path(r["source"]).name for r in digest.data["reports"]) == ["good.txt", "link-in.txt"]
    for text in (json.dumps(digest.data, ensure_ascii=False), digest.md, digest.html):
        assert "保密村" not in text


# --- 7. unreadable folder, 13. nesting past the path limit --------------------------------------------


def test_unreadable_subfolder_is_listed_as_skipped(tmp_path):
    inp = tmp_path / "in"
    (inp / "locked").mkdir(parents=True)
    (inp / "good.txt").write_text(GOOD, encoding="utf-8")
    (inp / "locked" / "hidden-report.txt").write_text(GOOD, encoding="utf-8")
    (inp / "locked").chmod(0)
    out = tmp_path / "out"
    try:
        result = run_brief(["build", "--week", "--input", inp, "--out", out], tmp_path, denied=True)
    finally:
        (inp / "locked").chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert f"skipped {inp / 'locked'}: unreadable folder: permission denied" in result.stderr
    digest = week_files(out)
    assert skipped_reasons(digest.data) == {str(inp / "locked"): "unreadable folder: permission denied"}
    assert f"`{inp / 'locked'}`" in digest.md.split("## 未收录", 1)[1]


def test_nesting_past_the_path_limit_is_skipped_with_a_reason(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text(GOOD, encoding="utf-8")
    make_deep_folder(inp)
    out = tmp_path / "out"
    result = run_brief(["build", "--week", "--input", inp, "--out", out], tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    digest = week_files(out)
    ((source, reason),) = skipped_reasons(digest.data).items()
    assert source.startswith(str(inp / "深深深")) and len(os.fsencode(source)) >= 4096
    assert reason.startswith("folder nested too deep")
    assert [Path(r["source"]).name for r in digest.data["reports"]] == ["good.txt"]


def test_a_file_whose_path_passes_the_limit_is_skipped_with_a_reason(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text(GOOD, encoding="utf-8")
    # folders up to just under 4,096 bytes of path, then a file name that passes it
    levels = (4030 - len(os.fsencode(inp))) // 181
    make_deep_folder(inp, levels=levels, file_name="")
    bottom = os.fsencode(inp) + b"/" + b"/".join([os.fsencode("深" * 60)] * levels)
    name = "报" * 82 + ".txt"  # 250 bytes, under the 255 a name may have
    assert len(bottom) < 4096 < len(bottom) + 1 + len(os.fsencode(name))
    fd = os.open(bottom, os.O_RDONLY | os.O_DIRECTORY)
    try:
        report = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(report, GOOD.encode("utf-8"))
        os.close(report)
    finally:
        os.close(fd)
    out = tmp_path / "out"
    result = run_brief(["build", "--week", "--input", inp, "--out", out], tmp_path)
    assert result.returncode == 1, result.stderr
    ((source, reason),) = skipped_reasons(week_files(out).data).items()
    assert source.endswith(name) and len(os.fsencode(source)) > 4096
    assert reason == "nested too deep: its path is longer than the system allows"


def test_ingest_folder_yields_the_too_deep_folder_as_skipped(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    make_deep_folder(tmp_path)
    results = list(ingest_folder(tmp_path))
    assert [type(r).__name__ for r in results] == ["Ingested", "Skipped"]
    assert results[1].reason.startswith("folder nested too deep")


# --- 9. lost characters: warnings capped per file -----------------------------------------------------


def test_a_million_lost_characters_give_twenty_warnings_and_a_count(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "flood.txt").write_text(GOOD + "奉?" * 1_000_000 + "\n", encoding="utf-8")  # a 2 MB line
    out = tmp_path / "out"
    result = invoke(["build", "--week", "--input", inp, "--out", out, "-q"], tmp_path)
    assert result.exit_code == 0, result.output
    digest = week_files(out)
    (report,) = digest.data["reports"]
    lost = [w for w in report["warnings"] if "丢失" in w]
    assert len(lost) == 21, len(lost)
    # 1,000,000 "?": the last one ends the line, where it reads as a question mark; 20 described
    assert lost[-1].startswith("…及另外999979处字符丢失")
    assert sum(len(w) for w in report["warnings"]) < 5000
    assert (out / f"{digest.week}.md").stat().st_size < 50_000


# --- 12. crashes: own exit code, one line, a log ---------------------------------------------------------


def test_a_crash_exits_4_with_one_line_naming_the_log(tmp_path):
    inp = copy_seeds(tmp_path / "in", names=SEED_NAMES[:1])
    out = tmp_path / "out"
    assert run_brief(["build", "--week", "--input", inp, "--out", out], tmp_path).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    templates = tmp_path / "templates"
    templates.mkdir()
    # A user template that fails at render time with an error jinja does not wrap: a real crash.
    (templates / "digest.md.j2").write_text("{{ digest.stats.reports // 0 }}\n", encoding="utf-8")
    args = ["build", "--week", "--input", inp, "--out", out, "--templates", templates]
    result = run_brief(args, tmp_path)
    assert result.returncode == 4, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "ZeroDivisionError" in lines[0] and "--debug" in lines[0]
    (log,) = (tmp_path / "cache" / "brief" / "logs").glob("brief-crash-*.log")
    assert str(log) in lines[0]
    assert "Traceback" in log.read_text(encoding="utf-8") and "ZeroDivisionError" in log.read_text(encoding="utf-8")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing half-written
    debug = run_brief(["--debug", *args], tmp_path)
    assert debug.returncode not in (0, 4) and "Traceback" in debug.stderr and "ZeroDivisionError" in debug.stderr


def test_an_output_folder_that_is_a_file_is_a_usage_error(tmp_path):
    inp = copy_seeds(tmp_path / "in", names=SEED_NAMES[:1])
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    result = run_brief(["build", "--week", "--input", inp, "--out", tmp_path / "out"], tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "cannot write the digest" in result.stderr


# --- 14. permissions of what brief writes ----------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_outputs_honour_the_umask(tmp_path, umask, mode):
    inp = copy_seeds(tmp_path / "in", names=SEED_NAMES[:1])
    out = tmp_path / "out"
    old = os.umask(umask)
    try:
        result = invoke(["build", "--week", "--input", inp, "--out", out], tmp_path)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    # md, html, json, png and the archive brief.db
    assert len(modes) == 5 and set(modes.values()) == {mode}, {k: oct(v) for k, v in modes.items()}


def test_rewriting_a_file_keeps_its_mode(tmp_path):
    inp = copy_seeds(tmp_path / "in", names=SEED_NAMES[:1])
    out = tmp_path / "out"
    assert invoke(["build", "--week", "--input", inp, "--out", out], tmp_path).exit_code == 0
    (md,) = out.glob("*.md")
    md.chmod(0o604)
    home = tmp_path / "wiki" / "Home.md"  # the wiki writes through the same helper
    home.parent.mkdir()
    home.write_text("# 首页\n", encoding="utf-8")
    home.chmod(0o664)
    old = os.umask(0o077)
    try:
        assert invoke(["build", "--week", "--input", inp, "--out", out], tmp_path).exit_code == 0
        write_atomic(home, "# 首页\n\n新内容\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(md.stat().st_mode) == 0o604
    assert stat.S_IMODE(home.stat().st_mode) == 0o664 and "新内容" in home.read_text(encoding="utf-8")


def test_stale_temporary_files_of_a_killed_run_are_removed(tmp_path):
    inp = copy_seeds(tmp_path / "in", names=SEED_NAMES[:1])
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".brief-tmp-2021-W34.md.k2j4h5g6.tmp"
    fresh = out / ".brief-tmp-2021-W34.json.a1b2c3d4.tmp"  # perhaps another run writing right now
    mine = out / "draft.tmp"  # not brief's: never touched
    for path in (stale, fresh, mine):
        path.write_text("half a digest", encoding="utf-8")
    two_hours_ago = time.time() - 7200
    for path in (stale, mine):
        os.utime(path, (two_hours_ago, two_hours_ago))
    result = invoke(["build", "--week", "--input", inp, "--out", out], tmp_path)
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert fresh.exists() and mine.exists()
    assert f"removed {stale}" in result.stderr


# --- 20. terminal escape sequences ---------------------------------------------------------------------


def test_escape_sequences_in_a_report_never_reach_the_terminal(tmp_path):
    hostile = (
        "平安乡召开脱贫攻坚工作推进会\x1b]0;pwned\x07\n"
        "10月10日，重庆市奉节县平安乡召开脱贫攻坚工作推进会\x1b[2J\x1b[31m，安排部署下一阶段工作。\x9b6n\n"
        "会议要求，全乡干部要扎实推进各项工作，确保取得实效。\n"
    )
    path = tmp_path / "hostile.txt"
    path.write_text(hostile, encoding="utf-8")
    for args in (["clean", path], ["clean", path, "--explain"], ["explain", path]):
        result = invoke(args, tmp_path)
        assert result.exit_code == 0, result.output
        for control in ("\x1b", "\x07", "\x9b"):
            assert control not in result.output, (args, result.output)
        assert "平安乡" in result.output and "[2J" not in result.output.split("\n\n")[0]
    explained = invoke(["clean", path, "--explain"], tmp_path).output
    assert "removed [control-characters] ×4" in explained
    assert "\\x1b[2J" in explained  # what was removed is shown, escaped: harmless


# --- 22. send and publish exit like build ----------------------------------------------------------------


def test_send_and_publish_exit_1_when_inputs_were_skipped(tmp_path):
    inp = copy_seeds(tmp_path / "in", names=SEED_NAMES[:2])
    (inp / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    common = ["--week", "--input", inp, "--out", out, "-q"]
    assert invoke(["build", *common], tmp_path).exit_code == 1
    sent = invoke(["send", *common, "--dry-run", "--to", "a@example.org", "--from", "b@example.org"], tmp_path)
    assert sent.exit_code == 1, sent.output
    wiki = tmp_path / "wiki"
    subprocess.run(["git", "init", "-q", str(wiki)], check=True)
    (wiki / "Home.md").write_text("# 维基\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(wiki), "add", "Home.md"], check=True)
    subprocess.run(
        ["git", "-C", str(wiki), "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "init"], check=True
    )
    published = invoke(["publish", *common, "--wiki", wiki], tmp_path)
    assert published.exit_code == 1, published.output
    assert "committed" in published.output  # it did publish: 1 only says some inputs were skipped


# --- 24. weeks outside the calendar -------------------------------------------------------------------------


@pytest.mark.parametrize("week", ["9999-W52", "0000-W01", "2021-W54"])
def test_week_out_of_range_is_a_clean_usage_error(tmp_path, week):
    inp = copy_seeds(tmp_path / "in", names=SEED_NAMES[:1])
    result = run_brief(["build", "--week", week, "--input", inp, "--out", tmp_path / "out"], tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and week in result.stderr


def test_year_one_week_is_named_with_four_digits(tmp_path):
    inp = copy_seeds(tmp_path / "in", names=SEED_NAMES[:1])
    result = invoke(["build", "--week", "0001-W01", "--input", inp, "--out", tmp_path / "out"], tmp_path)
    assert result.exit_code == 0, result.output
    assert week_files(tmp_path / "out").week == "0001-W01"


# --- damaged bytes: a few lost characters, not a lost report ---------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "text", "damage"),
    [
        ("utf-8", GOOD * 3, b"\xff"),
        ("utf-8", GOOD * 3, b"\x00"),
        ("gb18030", simplified_excerpt(400), b"\xff"),
        ("big5", traditional_excerpt(400), b"\x80"),
    ],
)
def test_a_few_bad_bytes_cost_characters_not_the_report(tmp_path, encoding, text, damage):
    data = text.encode(encoding)
    middle = data.index("。".encode(encoding)) + len("。".encode(encoding))  # between two characters
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "damaged.txt").write_bytes(data[:middle] + damage + data[middle:])
    out = tmp_path / "out"
    result = invoke(["build", "--week", "--input", inp, "--out", out, "--format", "json,md,html"], tmp_path)
    assert result.exit_code == 0, result.output
    (report,) = week_files(out).data["reports"]
    assert report["encoding"] == encoding
    (warning,) = [w for w in report["warnings"] if "无法解码" in w]
    assert warning.startswith("第") and "列有1个无法解码的字节，已标为□" in warning
    explained = invoke(["clean", inp / "damaged.txt"], tmp_path)
    assert "□" in explained.output and "\ufffd" not in explained.output and "\x00" not in explained.output


def test_binary_files_are_still_binary(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text(GOOD, encoding="utf-8")
    (inp / "utf16-without-bom.txt").write_bytes(GOOD.encode("utf-16-le"))
    (inp / "zeros.txt").write_bytes(GOOD.encode("utf-8") + b"\x00" * 64)
    out = tmp_path / "out"
    result = invoke(["build", "--week", "--input", inp, "--out", out, "-q"], tmp_path)
    assert result.exit_code == 1
    data = week_files(out).data
    assert skipped_reasons(data) == {str(inp / "zeros.txt"): "binary file (contains NUL bytes)"}
    # UTF-16 without a byte-order mark is text, read when that is certain (issue 20; test_textin_safety)
    assert {r["encoding"] for r in data["reports"]} == {"utf-8", "utf-16-le"}


# --- all of it at once -------------------------------------------------------------------------------


def test_torture_folder_every_file_accounted_for_and_every_output_complete(tmp_path):
    inp = copy_seeds(tmp_path / "in")
    raw = os.fsencode(inp)
    expected: dict[str, str] = {}  # source as shown -> what its reason must start with ("" = a report)
    for name in SEED_NAMES:
        expected[str(inp / name)] = ""

    def bad(name: str, reason: str, data: bytes | None = None) -> Path:
        path = inp / name
        if data is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        expected[str(path)] = reason
        return path

    bad("empty.txt", "empty file", b"")
    bad("bom-only.txt", "empty file", b"\xef\xbb\xbf")
    bad("photo.txt", "binary file (PNG image)", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    bad("download.txt", "binary file (contains NUL bytes)", bytes(range(256)) * 4)
    bad("garbled.txt", "undecodable", b"\xff\xfa\xfb\xfc\xfd" * 20)
    bad("too-large.txt", "too large", ("草潭镇召开会议。" * 400_000).encode("utf-8"))
    menu = "<html><head><title>首页</title></head><body><nav><a href='/'>首页</a> <a>政务公开</a></nav></body></html>"
    bad("menu.html", "", menu.encode("utf-8"))  # reason filled in below: trafilatura decides which
    bad("newline\n# 注入.txt", "empty file", b"")
    expected[str(inp / "nul-damaged.txt")] = ""
    (inp / "nul-damaged.txt").write_bytes(GOOD.encode("utf-8").replace("会议要求".encode(), b"\x00\xe4\xbc\x9a"))
    expected[str(inp / "bad-byte.txt")] = ""
    (inp / "bad-byte.txt").write_bytes(GOOD.encode("utf-8").replace("，全乡".encode(), b"\xfe\xef\xbc\x8c\xe5\x85\xa8"))
    with open(os.path.join(raw, GBK_NAME), "wb") as handle:
        handle.write(GOOD.encode("gb18030"))
    # bytes that happen to form UTF-8 (\xcb\xbe is "˾") stay characters, the others become \xNN
    shown = "".join(f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff" else c for c in os.fsdecode(GBK_NAME))
    expected[f"{inp}/{shown}"] = ""
    os.symlink("loop.txt", inp / "loop.txt")
    expected[str(inp / "loop.txt")] = "symbolic link loop"
    outside = tmp_path / "outside.txt"
    outside.write_text(GOOD, encoding="utf-8")
    os.symlink(outside, inp / "link-out.txt")
    expected[str(inp / "link-out.txt")] = "symbolic link to a file outside the input folder"
    os.symlink(tmp_path, inp / "folder-link")
    expected[str(inp / "folder-link")] = "folder behind a symbolic link"
    (inp / "empty-folder").mkdir()
    expected[str(inp / "empty-folder")] = "empty folder"
    locked = inp / "locked"
    locked.mkdir()
    (locked / "report.txt").write_text(GOOD, encoding="utf-8")
    expected[str(locked)] = "unreadable folder: permission denied"
    deep, _depth = make_deep_folder(inp)
    expected_deep_prefix = str(deep)
    bad("unreadable.txt", "unreadable: Permission denied", GOOD.encode("utf-8")).chmod(0)
    out = tmp_path / "out"
    locked.chmod(0)
    try:
        result = run_brief(["build", "--week", "--input", inp, "--out", out], tmp_path, denied=True)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    digest = week_files(out)
    reports = {r["source"] for r in digest.data["reports"]}
    skipped = skipped_reasons(digest.data)
    outside_week = {o["source"] for o in digest.data["outside_week"]}
    assert not outside_week
    (deep_source,) = [s for s in skipped if s.startswith(expected_deep_prefix)]
    assert skipped.pop(deep_source).startswith("folder nested too deep")
    menu_reason = skipped.get(str(inp / "menu.html"), "")
    assert menu_reason.startswith(("HTML page without an article body", "too little text", "no Chinese")), menu_reason
    expected[str(inp / "menu.html")] = menu_reason
    assert reports | set(skipped) == set(expected), (reports ^ set(expected)) - set(skipped)
    assert not reports & set(skipped)
    for source, reason in expected.items():
        if reason:
            assert skipped[source].startswith(reason), (source, skipped[source])
        else:
            assert source in reports, (source, skipped.get(source))
    # every one of them in the Markdown and the HTML too, escaped
    section = digest.md.split("## 未收录", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) == len(skipped) + 1  # + the deep folder
    assert "\\n# 注入.txt" in section and not any(line.startswith("# 注入") for line in digest.md.splitlines())
    assert digest.html.count("<tr><td><code>") == len(skipped) + 1
    for source in reports:
        assert source.replace("\n", "\\n") in digest.md
    assert digest.data["stats"]["reports"] == len(reports) == len(SEED_NAMES) + 3
    # the damaged files lost a character each, said so, and kept the rest
    by_source = {r["source"]: r for r in digest.data["reports"]}
    for name in ("nul-damaged.txt", "bad-byte.txt"):
        assert any("无法解码" in w for w in by_source[str(inp / name)]["warnings"]), name


def test_ctrl_c_exits_130_with_one_line(tmp_path):
    # The config is a named pipe nobody writes to: brief blocks opening it until interrupted.
    fifo = tmp_path / "brief.toml"
    os.mkfifo(fifo)
    env = environment_without_brief()
    args = ["--config", fifo, "build", "--week", "--input", SEEDS, "--out", tmp_path / "out"]
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", *map(str, args)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until it is blocked on the pipe, not still starting
        with contextlib.suppress(OSError), open(f"/proc/{process.pid}/wchan", encoding="ascii") as wchan:
            waiting_on = wchan.read()
            if "partner" in waiting_on or "fifo" in waiting_on:
                break
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().splitlines() == [
        "brief: interrupted; files already written are complete, nothing is half-written"
    ]
