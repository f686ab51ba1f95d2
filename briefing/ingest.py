"""Ingest: files on disk -> decoded text + source metadata.

Every file found under the input folder comes back either as `Ingested` or as `Skipped` with a
one-line reason; nothing is dropped silently. Hidden files and folders (".git", ".DS_Store") are
not inputs and are not listed, like git and most tools do.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from .errors import SkipFile
from .models import Ingested, Skipped, SourceFile
from .settings import IngestSettings
from .text import HAN_CHAR, han_count

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}

# Magic numbers of the binary files that end up in scraped folders (images, PDFs, archives).
_BINARY_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (docx/xlsx?)",
    b"\xd0\xcf\x11\xe0": "MS Office document",
    b"\x1f\x8b": "gzip archive",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy encodings of Chinese web pages, tried in this order by the detector.
LEGACY_ENCODINGS = ("gb18030", "big5")


@dataclass(frozen=True)
class IngestOptions:
    """How files are read: [ingest] (settings.IngestSettings, which declares the defaults)."""

    max_bytes: int = IngestSettings().max_bytes


@dataclass(frozen=True)
class InputScan:
    """What a walk of the input folder found: the files to read, the folders that could not be
    read (each with its reason) and the folders that hold no input at all."""

    files: tuple[Path, ...]
    unreadable: tuple[Skipped, ...]
    empty_folders: tuple[Path, ...]


def _folder_error(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "folder nested too deep: its path is longer than the system allows, not read"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "unreadable folder: permission denied"
    return f"unreadable folder: {exc.strerror or exc}"


def scan_inputs(root: Path) -> InputScan:
    """Walk `root` without following symbolic links. Every non-hidden entry ends up as a file to
    read (symbolic links included: `read_source` says why it refuses them), an unreadable folder
    with its reason, or an empty folder; a folder the walk cannot open is never lost silently."""
    files: list[Path] = []
    unreadable: list[Skipped] = []
    empty: list[Path] = []
    pending = [str(root)]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                visible = [e for e in entries if not e.name.startswith(".")]
        except OSError as exc:
            unreadable.append(Skipped(folder, _folder_error(exc)))
            continue
        if not visible:
            empty.append(Path(folder))
        for entry in visible:
            path = os.path.join(folder, entry.name)
            try:
                is_folder = not entry.is_symlink() and entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False  # read_source gives the reason
            if is_folder:
                pending.append(path)
            else:
                files.append(Path(path))
    return InputScan(
        files=tuple(sorted(files)),
        unreadable=tuple(sorted(unreadable, key=lambda s: Path(s.source))),
        empty_folders=tuple(sorted(empty)),
    )


def iter_input_files(root: Path) -> Iterator[Path]:
    """All non-hidden files below `root`, sorted by path. Symbolic links (to folders too) are not
    followed but are listed, so that the run can say it skipped them."""
    yield from scan_inputs(root).files


# A few damaged bytes (a NUL from a broken copy, a byte flipped in transit) in an otherwise good
# file cost those characters, marked as lost, not the whole report. More damage than this means
# the file is not text in that encoding (or not text at all).
MAX_DAMAGED_BYTES = 16
MAX_DAMAGED_SHARE = 0.01
LOST = "\ufffd"  # what a damaged byte decodes to; the cleaner marks it □ and says where


def _small_damage(bad: int, total: int) -> bool:
    return bad <= MAX_DAMAGED_BYTES and bad <= max(1, int(total * MAX_DAMAGED_SHARE))


def _decode_damaged(data: bytes, encoding: str) -> tuple[str, int]:
    """Decode with each bad byte (and NUL) replaced by U+FFFD; returns (text, replacements)."""
    text = data.decode(encoding, "replace").replace("\x00", LOST)
    return text, text.count(LOST)


def detect_encoding(data: bytes) -> tuple[str, str]:
    """Return (encoding, text). Raises SkipFile when no candidate decodes cleanly.

    BOMs decide first; then strict UTF-8 (most files, and unambiguous); then the legacy Chinese
    encodings, chosen by charset-normalizer's coherence scoring, which tells GB18030 from Big5
    reliably even on a 60-character snippet (GB18030 alone accepts almost any byte string, so
    "it decodes" proves nothing). A file with a few bad bytes or NULs is decoded with those bytes
    replaced by U+FFFD; many NULs make it a binary file.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return ("utf-8" if name == "utf-8-sig" else name), data.decode(name)
            except UnicodeDecodeError as exc:
                raise SkipFile(f"undecodable: {name} byte-order mark but invalid data at byte {exc.start}") from exc
    nuls = data.count(b"\x00")
    if nuls and not _small_damage(nuls, len(data)):
        raise SkipFile("binary file (contains NUL bytes)")
    try:
        return _decode_text(data)
    except SkipFile:
        if nuls:
            raise SkipFile("binary file (contains NUL bytes)") from None
        raise


def _decode_text(data: bytes) -> tuple[str, str]:
    try:
        return "utf-8", data.decode("utf-8").replace("\x00", LOST)
    except UnicodeDecodeError:
        pass
    text, bad = _decode_damaged(data, "utf-8")
    # A legacy-encoded file read as UTF-8 is damaged everywhere and shows no Chinese; a UTF-8
    # file with a bad byte or two is Chinese all around them.
    if _small_damage(bad, len(data)) and han_count(text) >= 20 * bad:
        return "utf-8", text
    from charset_normalizer import from_bytes  # lazy: only legacy-encoded files pay for it

    best = from_bytes(data.replace(b"\x00", b" "), cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is not None and best.encoding in LEGACY_ENCODINGS:
        if best.chaos > 0.3:
            raise SkipFile(f"undecodable: reads as {best.encoding} only as garbage (chaos {best.chaos:.0%})")
        if b"\x00" in data:
            return best.encoding, _decode_damaged(data, best.encoding)[0]
        return best.encoding, str(best)
    repaired = _repair_legacy(data)
    if repaired is None:
        raise SkipFile("undecodable: not valid UTF-8, UTF-16, GB18030 or Big5 text")
    return repaired


def _repair_legacy(data: bytes) -> tuple[str, str] | None:
    """GB18030 or Big5 with a few bad bytes: judge each candidate on its text without them."""
    from charset_normalizer import from_bytes

    candidates = []
    for encoding in LEGACY_ENCODINGS:
        text, bad = _decode_damaged(data, encoding)
        if bad == 0 or not _small_damage(bad, len(data)):
            continue
        match = from_bytes(text.replace(LOST, "").encode(encoding), cp_isolation=[encoding]).best()
        if match is not None and match.encoding == encoding and match.chaos <= 0.3:
            candidates.append((match.chaos, encoding, text))
    if not candidates:
        return None
    _chaos, encoding, text = min(candidates)
    return encoding, text


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MiB" if n >= 104858 else f"{n} bytes"


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return kind
    return None


def check_link(path: Path, inside: Path | None) -> None:
    """A symbolic link is read only when it leads to a file inside the input folder (`inside`;
    anywhere when None, as for `brief clean FILE`). Raises SkipFile otherwise."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way
        raise SkipFile("symbolic link loop (not followed)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SkipFile("symbolic link loop (not followed)") from None
        if exc.errno == errno.ENOENT:
            raise SkipFile("unreadable: broken symbolic link (its target does not exist)") from None
        raise SkipFile(f"unreadable: symbolic link ({exc.strerror or exc})") from None
    if target.is_dir():
        raise SkipFile("folder behind a symbolic link (not followed)")
    if inside is not None and not target.is_relative_to(inside.resolve()):
        raise SkipFile("symbolic link to a file outside the input folder (not followed)")


def _file_error(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "nested too deep: its path is longer than the system allows"
    return f"unreadable: {exc.strerror or exc}"


def read_source(path: Path, shown_path: str, options: IngestOptions, inside: Path | None = None) -> Ingested:
    """Read and decode one file. Raises SkipFile with a one-line reason. `inside`: the input
    folder, which a symbolic link must not lead out of."""
    suffix = path.suffix.lower()
    try:
        is_link = path.is_symlink()
    except OSError as exc:
        raise SkipFile(_file_error(exc)) from exc
    if is_link:
        check_link(path, inside)
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise SkipFile(f"unsupported file type '{suffix or '(none)'}' (expected .txt, .md, .html, .htm)")
    try:
        stat = path.stat()
        if not S_ISREG(stat.st_mode):
            raise SkipFile("not a regular file (a pipe, device or socket)")
        if stat.st_size > options.max_bytes:
            raise SkipFile(
                f"too large: {_size(stat.st_size)} (limit {_size(options.max_bytes)}, "
                "set [ingest] max_bytes in brief.toml)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SkipFile(_file_error(exc)) from exc
    if not data.strip():
        raise SkipFile("empty file")
    kind = _binary_kind(data)
    if kind:
        raise SkipFile(f"binary file ({kind}) with a {suffix} name")
    encoding, text = detect_encoding(data)
    if not text.strip():
        raise SkipFile("empty file (only a byte-order mark and white space)")
    collected = dt.datetime.fromtimestamp(stat.st_mtime).astimezone()
    html_title = html_date = None
    if suffix in HTML_SUFFIXES:
        text, html_title, html_date = extract_html(text)
        source_kind = "html"
    else:
        source_kind = "text"
    if not HAN_CHAR.search(text):
        raise SkipFile("no Chinese text")
    source = SourceFile(
        path=shown_path,
        size=stat.st_size,
        encoding=encoding,
        collected=collected,
        kind=source_kind,
        html_title=html_title,
        html_date=html_date,
    )
    return Ingested(source=source, text=text)


# "标题_邻水县人民政府" / "标题 | 奉节网": only a tail that names a site is cut, so a year range
# (2016-2020年…) or a ——subtitle stays.
_SITE_SUFFIX = re.compile(
    r"\s*(?:[_|｜]|\s[-—–]\s)\s*[^_|｜]{0,30}?(?:网|网站|政府|门户|在线|新闻|频道|日报|之窗|融媒|电视台|信息港)\s*$"
)


def extract_html(html: str) -> tuple[str, str | None, str | None]:
    """Article body, headline and publication date of a web page (trafilatura does the work).

    The body keeps publication and source lines ("发布时间：… 来源：…"): the cleaner lifts them
    into metadata, which is what the date extractor needs.
    """
    import trafilatura  # lazy: pulls lxml and friends, only HTML inputs pay for it

    body = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        deduplicate=False,
    )
    if not body or not body.strip():
        raise SkipFile("HTML page without an article body")
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta and meta.title else None
    if title:
        title = _SITE_SUFFIX.sub("", title).strip() or title
    date = meta.date if meta and meta.date else None
    return body, title, date
