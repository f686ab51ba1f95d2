"""Files brief writes: atomically (a temporary file beside the target, then a rename, so a reader
never sees half a file and a crash never loses the old one), the temporary files a killed run
leaves behind, cleaned up later, and how brief tells its own digest files from a user's."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from . import __version__
from .errors import BriefError, UsageError
from .text import printable_path

# brief's temporaries are ".brief-tmp-<name>.<8 random>.tmp": a prefix no other program uses, so
# the clean-up of a killed run's leftovers can never take a user's ".<name>.<8 chars>.tmp" (with
# --out equal to the input folder, the output folder is the user's own).
TEMP_PREFIX = ".brief-tmp-"
TEMP_SUFFIX = ".tmp"
_OWN_TEMP = re.compile(rf"^{re.escape(TEMP_PREFIX)}.+\.[a-z0-9_]{{8}}{re.escape(TEMP_SUFFIX)}$")
STALE_TEMP_SECONDS = 3600  # a live run holds its temporary file for well under a second

# No space left (ENOSPC) or the user's quota spent (EDQUOT): the machine's state, not a usage error.
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


class DiskFullError(BriefError):
    """A file could not be written for lack of space; what was there before is untouched."""

    exit_code = 4


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in _DISK_FULL


def write_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write next to the target and rename, so a reader never sees half a digest."""
    write_atomic_bytes(path, text.encode("utf-8"), mode)


def write_atomic_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """The file gets the mode an ordinary write would give it: an existing file keeps its own
    (a wiki's 0644 Home.md stays 0644), a new one 0666 less the umask (mkstemp alone gives 0600).
    `mode` overrides both (the summary cache keeps its entries private: 0600)."""
    tmp = _write_temporary(path, data, mode, durable=False)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_set_atomic(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write files that belong together (a week's .md, .html, .json and chart): every one to its
    temporary first, on disk (fsync), and only then rename them all. A failure while writing (a
    full disk) leaves the previous set exactly as it was; renames within a folder need no space.
    An OSError names the file it was writing, not its temporary."""
    written: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            try:
                written.append((_write_temporary(path, data, None, durable=True), path))
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from exc
        while written:
            tmp, path = written[0]
            os.replace(tmp, path)
            written.pop(0)
    finally:
        for tmp, _path in written:  # an error, or an interrupt: no temporary is left behind
            tmp.unlink(missing_ok=True)


def _write_temporary(path: Path, data: bytes, mode: int | None, durable: bool) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~current_umask()
    fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            with contextlib.suppress(OSError):  # a file system without modes (FAT, SMB) keeps its own
                os.fchmod(handle.fileno(), mode)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


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
    """Delete brief's own temporary files (".brief-tmp-…", regular files, not links) older than an
    hour, left by a killed run, in `folder`. Younger ones may belong to a run that is writing right
    now; every other file is never touched, whatever its name looks like."""
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


# --- brief's own digest files -----------------------------------------------------------------------
# With --out equal to the input folder, a user's report may carry a digest's name (2025-W01.md).
# brief's digest files carry a generator mark, so brief neither reads its own files back as
# reports nor overwrites a file it did not write.

GENERATOR = f"brief {__version__}"
GENERATOR_COMMENT = f"<!-- generator: {GENERATOR} -->"
_MARK = re.compile(rb"<!-- generator: brief [^<>\n]*-->")
_JSON_MARK = re.compile(rb'"generator": "brief ')
# Digests written before the mark: the packaged templates' footer ends "· brief 0.1.0 …".
_LEGACY_FOOTER = re.compile(r"· brief \d+\.\d+".encode())
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_MARK = b"Software\0brief"
# A chart of an earlier brief: matplotlib's PNG with no metadata, at brief's 100 dpi (3937 px/m).
_LEGACY_CHART_CHUNKS = {b"IHDR", b"pHYs", b"IDAT", b"IEND"}
_LEGACY_CHART_PHYS = (3937).to_bytes(4, "big") * 2 + b"\x01"
_PEEK = 4096  # the mark is in the first or last 4 KiB of a text digest


def mark_output(suffix: str, data: bytes) -> bytes:
    """`data` (a digest file of type `suffix`) with brief's generator mark: a comment as the last
    line of Markdown (after any front matter and content), as the first line of HTML (before the
    doctype, where no template puts anything), a tEXt chunk in the chart. JSON carries its
    "generator" field already."""
    if suffix == ".md":
        return data.rstrip(b"\n") + b"\n\n" + GENERATOR_COMMENT.encode() + b"\n"
    if suffix == ".html":
        return GENERATOR_COMMENT.encode() + b"\n" + data
    if suffix == ".png" and data.startswith(_PNG_SIGNATURE):
        body = b"tEXt" + _PNG_MARK
        chunk = len(_PNG_MARK).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
        after_header = len(_PNG_SIGNATURE) + 25  # IHDR comes first: 4 length + 4 type + 13 data + 4 CRC
        return data[:after_header] + chunk + data[after_header:]
    return data


def is_brief_output(path: Path) -> bool:
    """Whether `path` is a digest file brief wrote (its generator mark, or the shape of an earlier
    version's digest); a link, a folder or anything unreadable is not."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        with open(path, "rb") as handle:
            if path.suffix == ".png":
                return _is_brief_chart(handle)
            size = os.fstat(handle.fileno()).st_size
            head = handle.read(_PEEK)
            tail = head
            if size > _PEEK:
                handle.seek(max(size - _PEEK, _PEEK))
                tail = handle.read()
    except OSError:
        return False
    if path.suffix == ".json":
        return bool(_JSON_MARK.search(head))
    if path.suffix == ".eml":  # send --dry-run: Message-ID <…brief.<week>@…>
        return f".brief.{path.stem}@".encode() in head
    return bool(_MARK.search(head) or _MARK.search(tail) or _LEGACY_FOOTER.search(tail))


def _is_brief_chart(handle: BinaryIO) -> bool:
    """Walk the PNG's chunks (skipping the image data): brief's tEXt mark, or exactly the chunks an
    earlier brief's chart had."""
    read, seek = handle.read, handle.seek
    if read(8) != _PNG_SIGNATURE:
        return False
    kinds: set[bytes] = set()
    while True:
        header = read(8)
        if len(header) < 8:
            return False
        length, kind = int.from_bytes(header[:4], "big"), header[4:]
        if kind in (b"tEXt", b"IHDR", b"pHYs") and length < 256:
            body = read(length)
            if kind == b"tEXt" and body == _PNG_MARK:
                return True
            if kind == b"pHYs" and body != _LEGACY_CHART_PHYS:
                return False
            seek(4, os.SEEK_CUR)
        else:
            seek(length + 4, os.SEEK_CUR)
        kinds.add(kind)
        if kind == b"IEND":
            return kinds == _LEGACY_CHART_CHUNKS
        if not kinds <= _LEGACY_CHART_CHUNKS:
            return False


def check_not_foreign(path: Path) -> None:
    """Refuse to overwrite a file brief did not write (a user's report named 2025-W01.md in the
    output folder): exit 2, naming it, before anything is written."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError:
        return  # cannot be looked at: the write itself fails with the reason
    what = (
        "is a symbolic link"
        if stat.S_ISLNK(info.st_mode)
        else "is a folder"
        if stat.S_ISDIR(info.st_mode)
        else "is not a regular file"
        if not stat.S_ISREG(info.st_mode)
        else None
    )
    if what is None and is_brief_output(path):
        return
    raise UsageError(
        f"{printable_path(path)} {what or 'exists'} and was not written by brief; brief will not overwrite it, "
        "nothing was written",
        hint="move or rename it, or choose another --out",
    )
