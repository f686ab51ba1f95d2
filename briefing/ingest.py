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
from typing import TYPE_CHECKING

from .errors import SkipFile
from .models import Ingested, Skipped, SourceFile
from .settings import IngestSettings
from .source_link import link_from_sidecars, link_in_html, link_in_text
from .text import HAN_CHAR, han_count

if TYPE_CHECKING:
    from lxml.html import HtmlElement  # imported for real only where an HTML page is read

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
    if utf16 := _utf16_without_bom(data):
        return utf16
    nuls = data.count(b"\x00")
    if nuls and not _small_damage(nuls, len(data)):
        raise SkipFile("binary file (contains NUL bytes)")
    try:
        return _decode_text(data)
    except SkipFile:
        if nuls:
            raise SkipFile("binary file (contains NUL bytes)") from None
        raise


# UTF-16 without a byte-order mark (Windows tools that save "Unicode" text may write none) is
# decoded only when that is certain: the first UTF16_SAMPLE_BYTES read in one byte order (and not
# in the other) as text, that is at least UTF16_TEXT_SHARE characters of the kinds a report is
# written in, and either at least UTF16_MIN_HAN Han characters of which UTF16_COMMON_SHARE are
# common ones (GB2312 level 1 or Big5 level 1: 97.9% or more on every real page, about a third
# of the ideographs that random bytes, or ASCII read two bytes at a time, decode to), or mostly
# ASCII (every other byte NUL: unmistakable). A file whose NULs fall on every other byte but that
# is not such text is named as UTF-16 without a byte-order mark, not called binary. UTF-8 comes
# first: a valid UTF-8 file without NULs is never read as UTF-16 ("Bush hid the facts").
UTF16_SAMPLE_BYTES = 8192
UTF16_TEXT_SHARE = 0.95
UTF16_MIN_HAN = 20
UTF16_COMMON_SHARE = 0.8
UTF16_NUL_PARITY = 0.9  # the share of NULs on one parity that marks UTF-16 (ASCII's zero high byte)
_UTF16_TEXT_CHAR = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u024f\u2000-\u206f\u2100-\u214f\u2460-\u24ff\u2500-\u25ff"
    "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
)
_ASCII_CHAR = re.compile(r"[\t\n\r\x20-\x7e]")
_HAN_BMP = re.compile("[\u4e00-\u9fff]")


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(encoding, text) for UTF-16 without a byte-order mark when that is certain; None when the
    file is not UTF-16. Raises SkipFile naming UTF-16 when the file looks like it but is not sure."""
    if len(data) < 2 or (b"\x00" not in data and _is_utf8(data)):
        return None
    sample = data[: min(len(data), UTF16_SAMPLE_BYTES) // 2 * 2]
    certain = [order for order in ("utf-16-le", "utf-16-be") if _reads_as_utf16_text(sample, order)]
    if len(certain) == 1:
        try:
            return certain[0], data.decode(certain[0]).replace("\x00", LOST)
        except UnicodeDecodeError as exc:
            raise SkipFile(
                f"undecodable: UTF-16 without a byte-order mark ({certain[0]}) but invalid data at byte {exc.start}"
            ) from exc
    nuls = data.count(b"\x00")
    if (
        nuls
        and not _small_damage(nuls, len(data))
        and max(data[0::2].count(0), data[1::2].count(0)) >= UTF16_NUL_PARITY * nuls
    ):
        raise SkipFile(
            "undecodable: looks like UTF-16 without a byte-order mark but does not read as text in it "
            "(save it as UTF-8)"
        )
    return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _reads_as_utf16_text(sample: bytes, order: str) -> bool:
    text = sample.decode(order, "replace")
    if len(_UTF16_TEXT_CHAR.findall(text)) < UTF16_TEXT_SHARE * len(text):
        return False
    han = _HAN_BMP.findall(text)
    if len(han) >= UTF16_MIN_HAN:
        return sum(map(_is_common_han, han)) >= UTF16_COMMON_SHARE * len(han)
    return len(_ASCII_CHAR.findall(text)) >= len(text) / 2


def _is_common_han(char: str) -> bool:
    """In GB2312's level 1 (the 3,755 most used Simplified characters) or Big5's (5,401 Traditional)."""
    try:
        gb = char.encode("gb2312")
    except UnicodeEncodeError:
        gb = b""
    if gb and 0xB0 <= gb[0] <= 0xD7:
        return True
    try:
        big5 = char.encode("big5")
    except UnicodeEncodeError:
        return False
    return (0xA4, 0x40) <= (big5[0], big5[1]) <= (0xC6, 0x7E)


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
    # The sidecar a scraper wrote says where the page came from most surely; then the page itself.
    link = link_from_sidecars(path)
    if suffix in HTML_SUFFIXES:
        link = link or link_in_html(text)
        text, html_title, html_date = extract_html(text)
        source_kind = "html"
    else:
        link = link or link_in_text(text)
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
        url=link.url if link else None,
        url_origin=link.origin if link else None,
    )
    return Ingested(source=source, text=text)


def extract_html(html: str) -> tuple[str, str | None, str | None]:
    """Article body, headline and publication date of a web page (trafilatura does the work).

    The body keeps publication and source lines ("发布时间：… 来源：…"): the cleaner lifts them
    into metadata, which is what the date extractor needs.
    """
    import trafilatura  # lazy: pulls lxml and friends, only HTML inputs pay for it

    from .extract.title import choose_html_headline  # the headline rules live with the title's

    body = _article_body(html)
    meta = trafilatura.extract_metadata(html)
    title = choose_html_headline(*_headline_candidates(html), meta.title if meta and meta.title else None)
    date = meta.date if meta and meta.date else None
    return body, title, date


def _headline_candidates(html: str) -> tuple[list[str], str | None, str | None]:
    """The page's <h1>s, og:title and <title>, which compete for its headline (extract.title)."""
    import lxml.html  # lazy, as trafilatura
    from lxml.etree import ParserError

    try:
        doc = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return [], None, None
    h1s = [" ".join(h.text_content().split()) for h in doc.iter("h1")][:3]
    og_title = next(iter(doc.xpath("//meta[@property='og:title']/@content")), None)
    title_tag = doc.findtext(".//title")
    return h1s, og_title, title_tag


# libxml2 builds a document tree at most 256 elements deep and drops everything below (2048 deep
# with its "huge" option): an article under runaway nesting (300 unclosed <font> tags, which some
# site editors leave behind) would read as a page without one. Such a page is read from its tree
# without the tags that only format text, and runs of one tag opened or closed again and again
# collapsed to one; a page still nested too deep after that is skipped with that reason.
HTML_DEPTH_LIMIT = 255  # deeper than this, libxml2's default parser has dropped part of the page
HTML_HUGE_DEPTH_LIMIT = 2048  # libxml2's limit with XML_PARSE_HUGE (lxml's huge_tree)
_FORMATTING_TAG = re.compile(
    r"</?(?:font|span|b|i|u|s|em|strong|small|big|strike|tt|sup|sub|center|basefont)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_REPEATED_OPEN_TAG = re.compile(r"(<([a-z][a-z0-9]*)\b[^<>]*>)(?:\s*<\2\b[^<>]*>)+", re.IGNORECASE)
_REPEATED_CLOSE_TAG = re.compile(r"(</([a-z][a-z0-9]*)\s*>)(?:\s*</\2\s*>)+", re.IGNORECASE)
_EXTRACT_OPTIONS: dict[str, bool] = {
    "include_comments": False,
    "include_tables": True,
    "favor_recall": True,
    "deduplicate": False,
}


def _article_body(html: str) -> str:
    """trafilatura's article text of the page; for a page nested past libxml2's depth limit, of the
    page flattened as above. Raises SkipFile with the reason when there is none."""
    import trafilatura

    if _html_depth(html) <= HTML_DEPTH_LIMIT:
        body = trafilatura.extract(html, **_EXTRACT_OPTIONS)
    else:
        flat = _REPEATED_CLOSE_TAG.sub(r"\1", _REPEATED_OPEN_TAG.sub(r"\1", _FORMATTING_TAG.sub("", html)))
        tree = _parse_huge(flat)
        if tree is None or _tree_depth(tree) >= HTML_HUGE_DEPTH_LIMIT:
            raise SkipFile(f"HTML page nested more than {HTML_HUGE_DEPTH_LIMIT} elements deep: not read")
        try:
            body = trafilatura.extract(tree, **_EXTRACT_OPTIONS)
        except RecursionError:
            raise SkipFile(f"HTML page nested too deep to read ({_tree_depth(tree)} elements)") from None
    if not body or not body.strip():
        raise SkipFile("HTML page without an article body")
    return body


def _parse_huge(html: str) -> HtmlElement | None:
    from lxml.etree import ParserError
    from lxml.html import HTMLParser, fromstring

    parser = HTMLParser(huge_tree=True, collect_ids=False, remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        return fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (ParserError, ValueError):
        return None  # nothing an HTML parser can read: trafilatura says the page has no body


def _html_depth(html: str) -> int:
    tree = _parse_huge(html)
    return 0 if tree is None else _tree_depth(tree)


def _tree_depth(root: HtmlElement) -> int:
    """How many elements deep the tree goes (a loop, not recursion: the tree may be 2048 deep)."""
    deepest, pending = 0, [(root, 1)]
    while pending:
        element, depth = pending.pop()
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in element)
    return deepest
