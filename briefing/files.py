"""Files brief writes: atomically (a temporary file beside the target, then a rename, so a reader
never sees half a file and a crash never loses the old one), and the temporary files a killed run
leaves behind, cleaned up later."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path


def write_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write next to the target and rename, so a reader never sees half a digest."""
    write_atomic_bytes(path, text.encode("utf-8"), mode)


def write_atomic_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """The file gets the mode an ordinary write would give it: an existing file keeps its own
    (a wiki's 0644 Home.md stays 0644), a new one 0666 less the umask (mkstemp alone gives 0600).
    `mode` overrides both (the summary cache keeps its entries private: 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~current_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            with contextlib.suppress(OSError):  # a file system without modes (FAT, SMB) keeps its own
                os.fchmod(handle.fileno(), mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


TEMP_SUFFIX = ".tmp"
# What write_atomic_bytes leaves behind when a run is killed mid-write: ".<name>.<8 random>.tmp".
_OWN_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
STALE_TEMP_SECONDS = 3600  # a live run holds its temporary file for well under a second


def current_umask() -> int:
    """The process umask. Linux shows it in /proc (no change, safe beside threads); elsewhere it
    can only be read by setting it and putting it back."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_stale_temp_files(folder: Path, now: float | None = None) -> list[Path]:
    """Delete brief's own temporary files older than an hour (left by a killed run) in `folder`.
    Younger ones may belong to a run that is writing right now; other files are never touched."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    limit = (time.time() if now is None else now) - STALE_TEMP_SECONDS
    try:
        entries = [e for e in os.scandir(folder) if _OWN_TEMP.match(e.name)]
    except OSError:
        return removed  # an unreadable output folder fails later, with a clear message
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to delete: the next run tries again
    return removed
