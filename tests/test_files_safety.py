"""brief writes and deletes only its own files, and fails cleanly (issue 20): the temporaries it
removes are its own (by name, never a user's file of a similar shape), a user's file named like a
digest is neither read silently nor overwritten, a closed stdout ends quietly, a full disk leaves
the previous digest set as it was, and values from the archive cannot inject Markdown. Real
processes, real pipes, a real full file system, a real archive."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEED_NAMES, copy_seeds, environment_without_brief, invoke

WEEK = "2021-W34"
IN_WEEK = dt.datetime(2021, 8, 29, 18, 0)
TWO_HOURS_AGO = time.time() - 7200
GOOD = (
    "平安乡召开脱贫攻坚工作推进会\n"
    "8月26日，重庆市奉节县平安乡召开脱贫攻坚工作推进会，安排部署平安乡下一阶段脱贫攻坚工作。\n"
    "会议要求，全乡干部要扎实推进各项工作，确保取得实效。\n"
)


def cache_env(tmp_path: Path) -> dict[str, str]:
    """The summary cache and crash logs inside the test's folder."""
    return {"XDG_CACHE_HOME": str(tmp_path / "cache"), "BRIEF_CACHE_DIR": str(tmp_path / "cache" / "summaries")}


def build(tmp_path: Path, inp: Path, out: Path, *extra: object):
    """`brief build` of WEEK (per-file messages on stderr: no -q)."""
    args = ["build", "--week", WEEK, "--input", inp, "--out", out, *extra]
    return invoke(args, tmp_path, cache_env(tmp_path))


def brief_command(*args: object) -> list[str]:
    return [sys.executable, "-m", "briefing", *map(str, args)]


def process_env(tmp_path: Path) -> dict[str, str]:
    return {**environment_without_brief(), **cache_env(tmp_path)}


def crash_logs(tmp_path: Path) -> list[Path]:
    return list((tmp_path / "cache" / "brief" / "logs").glob("brief-crash-*.log"))


def age(path: Path, when: float = TWO_HOURS_AGO) -> None:
    os.utime(path, (when, when), follow_symlinks=False)


# --- brief deletes only its own temporaries -------------------------------------------------------------


def killed_write(target: Path) -> list[Path]:
    """Kill a real process in the middle of writing `target` atomically (SIGXFSZ at a 4 KiB file
    size limit): what it leaves behind is what a killed `brief build` leaves."""
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from briefing.files import write_atomic_bytes\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_DFL)\n"  # Python ignores it; a real kill is wanted
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "write_atomic_bytes(Path(sys.argv[1]), b'x' * 65536)\n"
    )
    before = set(target.parent.iterdir())
    done = subprocess.run([sys.executable, "-c", script, str(target)], cwd=ROOT, capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGXFSZ, done.stderr
    return sorted(set(target.parent.iterdir()) - before)


def test_only_brief_own_stale_temporaries_are_removed(tmp_path):
    inp = copy_seeds(tmp_path / "reports", IN_WEEK, SEED_NAMES[:1])  # out = input: the user's own folder
    (left,) = killed_write(inp / f"{WEEK}.md")
    assert left.name.startswith(".brief-tmp-")
    age(left)
    young = inp / f".brief-tmp-{WEEK}.json.a1b2c3d4.tmp"  # perhaps another run writing right now
    young.write_text("half a digest", encoding="utf-8")
    users = {
        inp / ".notes.md.a1b2c3d4.tmp": "我的笔记",  # the shape brief's temporaries used to have
        inp / f".{WEEK}.md.k2j4h5g6.tmp": "我的草稿",
        inp / ".config.toml.zzzz9999.tmp": "key = 1",
        inp / ".draft.tmp": "草稿",
    }
    for path, text in users.items():
        path.write_text(text, encoding="utf-8")
        age(path)
    target = tmp_path / "precious.txt"
    target.write_text("链接指向的文件", encoding="utf-8")
    link = inp / f".brief-tmp-{WEEK}.html.qqqq1111.tmp"  # brief's name, but a link: not a file brief wrote
    link.symlink_to(target)
    age(link)
    folder = inp / f".brief-tmp-{WEEK}.png.rrrr2222.tmp"
    folder.mkdir()
    age(folder)

    result = build(tmp_path, inp, inp)

    assert result.exit_code == 0, result.output
    assert not left.exists()
    assert f"removed {left}" in result.stderr
    assert young.exists() and link.is_symlink() and folder.is_dir()
    assert target.read_text(encoding="utf-8") == "链接指向的文件"
    for path, text in users.items():
        assert path.read_text(encoding="utf-8") == text, path


# --- a user's file named like a digest ------------------------------------------------------------------


def test_a_users_report_named_like_a_digest_is_skipped_with_the_reason(tmp_path):
    inp = copy_seeds(tmp_path / "reports", IN_WEEK, SEED_NAMES[:1])
    theirs = inp / "2021-W01.md"  # another week's name: not overwritten by this build, but not read either
    theirs.write_text(GOOD, encoding="utf-8")
    os.utime(theirs, (IN_WEEK.timestamp(), IN_WEEK.timestamp()))
    result = build(tmp_path, inp, inp)
    assert result.exit_code == 1, result.output
    data = json.loads((inp / f"{WEEK}.json").read_text(encoding="utf-8"))
    reasons = {Path(s["source"]).name: s["reason"] for s in data["skipped"]}
    assert "2021-W01.md" in reasons, data["skipped"]
    assert "brief" in reasons["2021-W01.md"] and "2021-W01.md" in reasons["2021-W01.md"]
    assert "2021-W01.md" in (inp / f"{WEEK}.md").read_text(encoding="utf-8")  # listed under 未收录
    assert theirs.read_text(encoding="utf-8") == GOOD


@pytest.mark.parametrize("fmt", ["md", "json", "png"])
def test_a_users_file_where_the_digest_goes_is_never_overwritten(tmp_path, fmt):
    inp = copy_seeds(tmp_path / "reports", IN_WEEK, SEED_NAMES[:1])
    theirs = inp / f"{WEEK}.{fmt}"
    content = GOOD.encode("utf-8") if fmt == "md" else b'{"mine": true}\n' if fmt == "json" else b"\x89PNG\r\n"
    theirs.write_bytes(content)
    result = build(tmp_path, inp, inp)
    assert result.exit_code == 2, result.output
    assert theirs.name in result.output and "not written by brief" in result.output, result.output
    assert "Traceback" not in result.output
    assert theirs.read_bytes() == content
    written = sorted(p.name for p in inp.glob(f"{WEEK}.*"))
    assert written == [theirs.name]  # nothing of the week was written beside it
    assert not crash_logs(tmp_path)


def test_brief_recognises_its_digests_of_earlier_versions_and_of_user_templates(tmp_path):
    inp = copy_seeds(tmp_path / "reports", IN_WEEK, SEED_NAMES[:2])
    assert build(tmp_path, inp, inp).exit_code == 0
    # Digests written before the generator mark: no comment line, no tEXt chunk in the chart.
    md, html, png = (inp / f"{WEEK}.md", inp / f"{WEEK}.html", inp / f"{WEEK}.png")
    # No chart was drawn (no earlier week to compare with): an earlier brief drew one every week.
    png.write_bytes(earlier_chart())
    # Their footer named brief and its version (摘要：extractive · brief 0.1.0).
    unmarked = re.sub(r"<!-- generator: brief [^>]*-->\n", "", md.read_text(encoding="utf-8"))
    md.write_text(unmarked + "摘要：extractive · brief 0.1.0\n", encoding="utf-8")
    unmarked = re.sub(r"<!-- generator: brief [^>]*-->\n", "", html.read_text(encoding="utf-8"))
    html.write_text(unmarked.replace("</footer>", " · brief 0.1.0</footer>"), "utf-8")
    png.write_bytes(without_text_chunks(png.read_bytes()))
    again = build(tmp_path, inp, inp)
    assert again.exit_code == 0, again.output
    data = json.loads((inp / f"{WEEK}.json").read_text(encoding="utf-8"))
    assert data["skipped"] == [] and len(data["reports"]) == 2
    # A template of the user's own, with none of the packaged footer: still brief's file.
    mine = tmp_path / "tpl"
    mine.mkdir()
    front_matter = "---\ntitle: {{ digest.week }}\n---\n本周 {{ digest.stats.reports }} 篇\n"
    (mine / "digest.md.j2").write_text(front_matter, encoding="utf-8")
    for run in (1, 2):
        result = build(tmp_path, inp, inp, "--templates", mine)
        assert result.exit_code == 0, (run, result.output)
    assert md.read_text(encoding="utf-8").startswith("---\ntitle: 2021-W34\n---\n")  # front matter stays first


def earlier_chart() -> bytes:
    """A chart as an earlier brief drew it: matplotlib's PNG at 100 dpi, its metadata left out."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 2), dpi=100)
    ax.barh(["a", "b"], [2, 1], color="#b22222")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def without_text_chunks(png: bytes) -> bytes:
    out, at = [png[:8]], 8
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        chunk = png[at : at + 12 + length]
        if chunk[4:8] not in (b"tEXt", b"iTXt", b"zTXt"):
            out.append(chunk)
        at += 12 + length
    return b"".join(out)


# --- a closed stdout ----------------------------------------------------------------------------------


def test_a_closed_stdout_ends_quietly(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK, SEED_NAMES[:1])
    out = tmp_path / "out"
    read_end, write_end = os.pipe()
    reader = subprocess.Popen(["head", "-c", "0"], stdin=read_end)  # reads nothing, exits at once
    reader.wait(timeout=30)
    os.close(read_end)  # no reader left: brief's first line hits a closed pipe
    try:
        done = subprocess.run(
            brief_command("build", "--week", WEEK, "--input", inp, "--out", out),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=process_env(tmp_path),
            timeout=300,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 141, done.stderr  # as a POSIX tool killed by SIGPIPE reports it
    for noise in ("Traceback", "brief failed", "Exception ignored", "BrokenPipe", "Error"):
        assert noise not in done.stderr, done.stderr
    assert not crash_logs(tmp_path)
    assert (out / f"{WEEK}.json").exists()  # the digest was complete before the first line was printed


def test_brief_piped_into_head_ends_quietly(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK, SEED_NAMES[:1])
    command = " ".join(f"'{part}'" for part in brief_command("build", "--week", WEEK, "--input", inp, "--out", "out"))
    done = subprocess.run(
        ["bash", "-c", f'{command} | head -1; echo "status=${{PIPESTATUS[0]}}" >&2'],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=process_env(tmp_path),
        timeout=300,
    )
    assert done.stdout.startswith(f"{WEEK}: 1 report(s)"), done.stdout
    status = re.search(r"status=(\d+)", done.stderr)
    assert status and status.group(1) in ("0", "141"), done.stderr
    assert "Traceback" not in done.stderr and "brief failed" not in done.stderr, done.stderr
    assert not crash_logs(tmp_path)


# --- a full disk ----------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A real 2 MiB tmpfs, where the test may mount one (root, CAP_SYS_ADMIN)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip()
        pytest.skip(f"cannot mount a small file system here ({reason}); the full-disk test needs root")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def fill_leaving(folder: Path, free: int) -> None:
    """Fill the file system of `folder`, then give back `free` bytes."""
    filler = folder / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - free))


def test_a_full_disk_leaves_the_previous_digest_set_intact(tmp_path, small_disk):
    out = small_disk / "out"
    store = tmp_path / "brief.db"  # the archive elsewhere: this test is about the digest files
    first = copy_seeds(tmp_path / "first", IN_WEEK, SEED_NAMES[:1])
    assert build(tmp_path, first, out, "--store", store).exit_code == 0
    previous = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(previous) == [f"{WEEK}.{ext}" for ext in ("html", "json", "map.png", "md")]
    # Room for a new map and Markdown, not for the whole new set (the HTML alone is bigger).
    fill_leaving(small_disk, free=len(previous[f"{WEEK}.map.png"]) + 24 * 1024)
    second = copy_seeds(tmp_path / "second", IN_WEEK)  # all seeds: every file of the set changes
    result = build(tmp_path, second, out, "--store", store)
    assert result.exit_code == 4, result.output
    assert "disk full" in result.stderr and f"{out}/{WEEK}." in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == previous  # and no temporary left
    assert not crash_logs(tmp_path)


# --- archive-given values in the Markdown -------------------------------------------------------------


CRAFTED_ID = "ev-1`</p><script>alert(1)</script> *粗* _斜_ [点我](javascript:alert(1)) | ~删~\r\n# 注入标题"


def test_an_event_id_from_the_archive_cannot_inject_markdown(tmp_path):
    inp = copy_seeds(tmp_path / "in", IN_WEEK, SEED_NAMES[:1])
    out = tmp_path / "out"
    assert build(tmp_path, inp, out).exit_code == 0
    with sqlite3.connect(out / "brief.db") as db:  # an archive can hold anything
        db.execute("update reports set event = ?", [CRAFTED_ID])
        db.execute("update digest_reports set event = ?", [CRAFTED_ID])
    db.close()
    result = build(tmp_path, inp, out)
    assert result.exit_code == 0, result.output
    data = json.loads((out / f"{WEEK}.json").read_text(encoding="utf-8"))
    assert data["reports"][0]["event"] == CRAFTED_ID  # the id itself is kept as it is
    md = (out / f"{WEEK}.md").read_text(encoding="utf-8")
    # Event ids are the JSON's: the page links to a card by an anchor made from the id, and an id
    # that is no safe anchor is hashed, so none of its markup reaches the Markdown.
    assert "<script>" not in md and "javascript:" not in md
    assert "\r" not in md and not any(x.startswith("# 注入") for x in md.splitlines())
    for markup in ("*粗*", "_斜_", "[点我]", "~删~"):
        assert markup not in md, markup
    assert re.search(r'<a id="ev-[0-9a-f]{12}"></a>', md)
    html = (out / f"{WEEK}.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
