"""Ingest: files on disk -> decoded text + source metadata.

Every file found under the input folder comes back either as `Ingested` or as `Skipped` with a
one-line reason; nothing is dropped silently. Hidden files and folders (".git", ".DS_Store") are
not inputs and are not listed, like git and most tools do.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from .errors import SkipFile
from .models import Ingested, Skipped, SourceFile

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # a meeting report is a few KB; 5 MB is already absurd

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
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class IngestOptions:
    max_bytes: int = DEFAULT_MAX_BYTES


def iter_input_files(root: Path) -> Iterator[Path]:
    """All non-hidden files below `root`, sorted by path. Symbolic links to folders are not
    followed but are listed, so that the run can say it skipped them."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath) / d for d in dirnames if (Path(dirpath) / d).is_symlink())
        found.extend(Path(dirpath) / f for f in filenames if not f.startswith("."))
    yield from sorted(found)


def detect_encoding(data: bytes) -> tuple[str, str]:
    """Return (encoding, text). Raises SkipFile when no candidate decodes cleanly.

    BOMs decide first; then strict UTF-8 (most files, and unambiguous); then the legacy Chinese
    encodings, chosen by charset-normalizer's coherence scoring, which tells GB18030 from Big5
    reliably even on a 60-character snippet (GB18030 alone accepts almost any byte string, so
    "it decodes" proves nothing).
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return ("utf-8" if name == "utf-8-sig" else name), data.decode(name)
            except UnicodeDecodeError as exc:
                raise SkipFile(f"undecodable: {name} byte-order mark but invalid data at byte {exc.start}") from exc
    if b"\x00" in data:
        raise SkipFile("binary file (contains NUL bytes)")
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # lazy: only legacy-encoded files pay for it

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None or best.encoding not in LEGACY_ENCODINGS:
        raise SkipFile("undecodable: not valid UTF-8, UTF-16, GB18030 or Big5 text")
    text = str(best)
    if best.chaos > 0.3:
        raise SkipFile(f"undecodable: reads as {best.encoding} only as garbage (chaos {best.chaos:.0%})")
    return best.encoding, text


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MiB" if n >= 104858 else f"{n} bytes"


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return kind
    return None


def read_source(path: Path, shown_path: str, options: IngestOptions) -> Ingested:
    """Read and decode one file. Raises SkipFile with a one-line reason."""
    suffix = path.suffix.lower()
    if path.is_dir():
        raise SkipFile("folder behind a symbolic link (not followed)")
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
        raise SkipFile(f"unreadable: {exc.strerror or exc}") from exc
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
    if not _HAN.search(text):
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


def ingest_folder(root: Path, options: IngestOptions | None = None) -> Iterator[Ingested | Skipped]:
    """Every file below `root`, read: an `Ingested` or a `Skipped` per file, in path order."""
    options = options or IngestOptions()
    for path in iter_input_files(root):
        shown = str(path)
        try:
            yield read_source(path, shown, options)
        except SkipFile as exc:
            yield Skipped(source=shown, reason=exc.reason)
