"""Ingest: real seed excerpts and crafted messy files, written to tmp_path in real encodings."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from conftest import ingest_folder
from crafted import (
    ARTICLE_PARAGRAPHS,
    PAGE_CHROME,
    PNG_HEADER,
    SEEDS,
    UNDECODABLE,
    encode,
    government_page,
    random_binary,
    read_seed,
    seed_names,
    simplified_excerpt,
    traditional_excerpt,
    write_bytes,
    write_text,
)

from briefing.errors import SkipFile
from briefing.ingest import IngestOptions, detect_encoding, iter_input_files, read_source
from briefing.models import Ingested, Skipped

OPTIONS = IngestOptions()
SEED_000 = "000_497ccbb6f08a9728.txt"  # Traditional with tone-marked pinyin: needs a Unicode encoding


def _read(path: Path, options: IngestOptions = OPTIONS) -> Ingested:
    return read_source(path, str(path), options)


def _skip_reason(path: Path, options: IngestOptions = OPTIONS) -> str:
    with pytest.raises(SkipFile) as info:
        read_source(path, str(path), options)
    return info.value.reason


# --- decoding ------------------------------------------------------------------------------------

# (label, text, how it is written to disk, encoding name the ingester must report)
ENCODED_SAMPLES = [
    ("utf-8", lambda: read_seed(SEED_000), "utf-8", "utf-8"),
    ("utf-8-bom", lambda: read_seed(SEED_000), "utf-8-sig", "utf-8"),
    ("utf-16-le-bom", lambda: read_seed(SEED_000), "utf-16-le", "utf-16"),
    ("utf-16-be-bom", lambda: read_seed(SEED_000), "utf-16-be", "utf-16"),
    ("gb18030", simplified_excerpt, "gb18030", "gb18030"),
    ("gb18030-short", lambda: simplified_excerpt(60), "gb18030", "gb18030"),
    ("big5", traditional_excerpt, "big5", "big5"),
    ("big5-short", lambda: traditional_excerpt(60), "big5", "big5"),
]


@pytest.mark.parametrize(
    ("make_text", "written_as", "expected"),
    [pytest.param(make, written, expected, id=label) for label, make, written, expected in ENCODED_SAMPLES],
)
def test_detect_encoding_decodes_chinese_samples(make_text, written_as, expected):
    text = make_text()
    data = encode(text, written_as)
    assert data != text.encode("utf-8") or written_as == "utf-8"  # the sample really is in that encoding

    encoding, decoded = detect_encoding(data)

    assert encoding == expected
    assert decoded == text


@pytest.mark.parametrize(
    ("make_text", "written_as", "expected"),
    [pytest.param(make, written, expected, id=label) for label, make, written, expected in ENCODED_SAMPLES],
)
def test_read_source_records_encoding_and_exact_text(tmp_path, make_text, written_as, expected):
    text = make_text()
    path = write_text(tmp_path, "report.txt", text, written_as)

    ingested = _read(path)

    assert ingested.source.encoding == expected
    assert ingested.text == text
    assert not ingested.text.startswith("\ufeff")
    assert ingested.source.size == path.stat().st_size


def test_short_big5_is_not_taken_for_gb18030():
    """GB18030 decodes almost any byte string; a 60-character Big5 snippet must still read as Big5."""
    text = traditional_excerpt(60)
    data = text.encode("big5")
    assert data.decode("gb18030", errors="replace") != text  # the trap is real

    assert detect_encoding(data) == ("big5", text)


def test_undecodable_bytes_raise_skip():
    with pytest.raises(SkipFile, match="undecodable"):
        detect_encoding(UNDECODABLE)


def test_nul_bytes_without_bom_are_binary():
    with pytest.raises(SkipFile, match="binary"):
        detect_encoding(random_binary())


# --- HTML pages ----------------------------------------------------------------------------------

HEADLINE = "草潭镇召开脱贫攻坚与乡村振兴交接衔接工作会议"


def test_html_page_reduced_to_article_and_headline(tmp_path):
    page = government_page(f"{HEADLINE}_某某县人民政府", HEADLINE)
    path = write_text(tmp_path, "news.html", page)

    ingested = _read(path)

    assert ingested.source.kind == "html"
    assert ingested.source.encoding == "utf-8"
    assert ingested.source.html_title == HEADLINE
    assert ingested.source.html_date == "2021-08-27"
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in ingested.text
    for chrome in PAGE_CHROME:
        assert chrome not in ingested.text
    assert "<p>" not in ingested.text
    # The publication line stays in the body: the cleaner lifts it into metadata.
    assert "发布时间：2021-08-27" in ingested.text


def test_html_page_in_gb18030_with_htm_suffix(tmp_path):
    page = government_page(f"{HEADLINE} - 某某县人民政府", HEADLINE, charset="gb2312")
    path = write_bytes(tmp_path, "news.htm", page.encode("gb18030"))

    ingested = _read(path)

    assert ingested.source.kind == "html"
    assert ingested.source.encoding == "gb18030"
    assert ingested.source.html_title == HEADLINE
    assert all(paragraph in ingested.text for paragraph in ARTICLE_PARAGRAPHS)
    assert "版权所有" not in ingested.text


def test_html_title_with_year_range_is_kept_whole(tmp_path):
    headline = "2016-2020年脱贫攻坚工作总结会召开"
    path = write_text(tmp_path, "news.html", government_page(headline, headline))

    assert _read(path).source.html_title == headline


def test_html_title_with_dash_subtitle_is_kept_whole(tmp_path):
    headline = "踏上新征程——平安乡召开脱贫攻坚工作推进会"
    path = write_text(tmp_path, "news.html", government_page(f"{headline}_奉节县人民政府", headline))

    assert _read(path).source.html_title == headline


def test_html_page_without_body_is_skipped(tmp_path):
    path = write_text(tmp_path, "blank.html", "<html><head><title>某某县人民政府</title></head><body></body></html>")

    assert "without an article body" in _skip_reason(path)


# --- bad inputs: each one a Skipped with a one-line reason ---------------------------------------


def _bad_files(folder: Path) -> dict[str, str]:
    """Write one file of each bad kind; return {file name: key words its reason must contain}."""
    write_bytes(folder, "a_empty.txt", b"")
    write_bytes(folder, "b_blank.txt", b"  \r\n\t\n   \n")
    write_bytes(folder, "c_photo.txt", PNG_HEADER + bytes(range(256)))
    write_bytes(folder, "d_download.txt", random_binary())
    write_bytes(folder, "e_garbled.txt", UNDECODABLE)
    write_text(folder, "f_english.txt", "Meeting report: the county discussed rural revitalisation.\n")
    write_bytes(folder, "g_report.pdf", b"%PDF-1.4\n" + "草潭镇召开会议".encode())
    os.symlink(folder / "gone" / "moved-away.txt", folder / "h_dangling.txt")
    write_text(folder, "i_notes", "草潭镇召开会议")  # no suffix at all
    write_bytes(folder, "j_huge.txt", ("草潭镇召开脱贫攻坚工作会议。" * 200).encode())  # 8.4 kB, limit below
    return {
        "a_empty.txt": "empty",
        "b_blank.txt": "empty",
        "c_photo.txt": "binary",
        "d_download.txt": "binary",
        "e_garbled.txt": "undecodable",
        "f_english.txt": "no Chinese",
        "g_report.pdf": "unsupported",
        "h_dangling.txt": "unreadable",
        "i_notes": "unsupported",
        "j_huge.txt": "too large",
    }


@pytest.mark.parametrize(
    ("name", "keyword"),
    [
        ("a_empty.txt", "empty file"),
        ("b_blank.txt", "empty file"),
        ("c_photo.txt", "binary file (PNG image)"),
        ("d_download.txt", "binary file"),
        ("e_garbled.txt", "undecodable"),
        ("f_english.txt", "no Chinese text"),
        ("g_report.pdf", "unsupported file type '.pdf'"),
        ("h_dangling.txt", "unreadable"),
        ("i_notes", "unsupported file type"),
        ("j_huge.txt", "too large"),
    ],
)
def test_read_source_skip_reason(tmp_path, name, keyword):
    _bad_files(tmp_path)

    reason = _skip_reason(tmp_path / name, IngestOptions(max_bytes=4096))

    assert keyword in reason
    assert "\n" not in reason


def test_bad_files_are_skipped_and_the_run_goes_on(tmp_path):
    expected = _bad_files(tmp_path)
    shutil.copy(SEEDS / "002_68af5a0512a93f3f.txt", tmp_path / "k_seed.txt")
    write_text(tmp_path, "l_gbk.md", simplified_excerpt(), "gb18030")
    write_text(tmp_path, "m_big5.txt", traditional_excerpt(), "big5")

    results = list(ingest_folder(tmp_path, IngestOptions(max_bytes=8000)))

    names = [Path(r.source.path if isinstance(r, Ingested) else r.source).name for r in results]
    assert names == sorted(names)
    assert len(results) == len(expected) + 3  # one result per file, none dropped
    by_name = dict(zip(names, results, strict=True))
    for name, keyword in expected.items():
        result = by_name[name]
        assert isinstance(result, Skipped), name
        assert keyword in result.reason, (name, result.reason)
        assert "\n" not in result.reason
        assert result.source == str(tmp_path / name)
    assert by_name["k_seed.txt"].text == read_seed("002_68af5a0512a93f3f.txt")
    assert by_name["l_gbk.md"].source.encoding == "gb18030"
    assert by_name["m_big5.txt"].source.encoding == "big5"


def test_size_limit_boundary(tmp_path):
    path = shutil.copy(SEEDS / SEED_000, tmp_path / "report.txt")
    size = Path(path).stat().st_size

    assert _read(Path(path), IngestOptions(max_bytes=size)).source.size == size
    assert "too large" in _skip_reason(Path(path), IngestOptions(max_bytes=size - 1))


def _atime_is_updated_by_reads(folder: Path) -> bool:
    probe = write_bytes(folder, ".probe", b"x" * 64)
    mtime = probe.stat().st_mtime
    os.utime(probe, (mtime - 3600, mtime))
    before = probe.stat().st_atime
    probe.read_bytes()
    return probe.stat().st_atime != before


def test_twenty_megabyte_file_is_skipped_without_reading(tmp_path):
    path = tmp_path / "dump.txt"
    line = ("草潭镇召开脱贫攻坚与乡村振兴交接衔接工作会议。" * 20 + "\n").encode()
    with path.open("wb") as out:
        while out.tell() < 20 * 1024 * 1024:
            out.write(line)
    mtime = path.stat().st_mtime
    os.utime(path, (mtime - 3600, mtime))  # an old atime: a read would refresh it (relatime)
    atime = path.stat().st_atime

    started = time.perf_counter()
    results = list(ingest_folder(tmp_path))
    elapsed = time.perf_counter() - started

    assert results == [Skipped(str(path), results[0].reason)]
    assert results[0].reason.startswith("too large: 20.0 MiB")
    assert "max_bytes" in results[0].reason
    assert elapsed < 0.5
    if _atime_is_updated_by_reads(tmp_path):
        assert path.stat().st_atime == atime, "the 20 MB file was read although it is over the limit"


def test_bom_only_file_is_empty(tmp_path):
    path = write_bytes(tmp_path, "blank.txt", b"\xef\xbb\xbf\r\n")

    assert "empty" in _skip_reason(path)


def test_named_pipe_does_not_hang_the_run(tmp_path):
    write_text(tmp_path, "a.txt", "草潭镇召开脱贫攻坚工作会议。")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    results: list[Ingested | Skipped] = []
    worker = threading.Thread(target=lambda: results.extend(ingest_folder(tmp_path)), daemon=True)

    worker.start()
    worker.join(1.0)
    hung = worker.is_alive()
    if hung:  # let the blocked reader see end-of-file so the thread ends
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(5.0)

    assert not hung, "ingest_folder blocked on a named pipe"
    assert isinstance(results[1], Skipped)


# --- walking the folder --------------------------------------------------------------------------


def test_hidden_files_and_folders_are_not_inputs(tmp_path):
    good = "草潭镇召开脱贫攻坚工作会议。"
    write_text(tmp_path, "b.txt", good)
    write_text(tmp_path, "a/z.md", good)
    write_text(tmp_path, "a/c/y.htm", government_page(HEADLINE, HEADLINE))
    write_text(tmp_path, ".hidden.txt", good)
    write_bytes(tmp_path, ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write_text(tmp_path, ".git/notes.txt", good)
    write_text(tmp_path, "a/.cache/page.html", government_page(HEADLINE, HEADLINE))

    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files(tmp_path)]

    assert sorted(found) == ["a/c/y.htm", "a/z.md", "b.txt"]
    assert found == [p.relative_to(tmp_path).as_posix() for p in iter_input_files(tmp_path)]  # stable
    results = list(ingest_folder(tmp_path))
    assert len(results) == 3
    assert all(isinstance(r, Ingested) for r in results)


def test_seeds_are_all_ingested_as_utf8_text():
    results = list(ingest_folder(SEEDS))

    assert [Path(r.source.path).name for r in results] == seed_names()
    for result in results:
        assert isinstance(result, Ingested)
        assert (result.source.encoding, result.source.kind) == ("utf-8", "text")
        assert result.text == Path(result.source.path).read_text(encoding="utf-8")


# --- SourceFile metadata -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), [("report.txt", "text"), ("report.MD", "text"), ("page.HTML", "html")])
def test_source_file_metadata(tmp_path, name, kind):
    content = government_page(HEADLINE, HEADLINE) if kind == "html" else read_seed(SEED_000)
    path = write_text(tmp_path, name, content, "utf-8-sig")
    collected = dt.datetime(2021, 8, 27, 10, 32, 5, tzinfo=dt.UTC)
    stamp = int(collected.timestamp())
    os.utime(path, (stamp - 86400, stamp))

    source = read_source(path, f"reports/{name}", OPTIONS).source

    assert source.path == f"reports/{name}"
    assert source.size == len(content.encode("utf-8")) + 3  # the BOM counts: it is on disk
    assert source.encoding == "utf-8"
    assert source.kind == kind
    assert source.collected == collected
    assert source.collected.tzinfo is not None
    assert source.collected.utcoffset() == dt.datetime.fromtimestamp(stamp).astimezone().utcoffset()
    if kind == "text":
        assert (source.html_title, source.html_date) == (None, None)
    else:
        assert source.html_title == HEADLINE


def test_ingest_folder_shows_paths_joined_with_the_folder(tmp_path):
    write_text(tmp_path, "sub/report.txt", "草潭镇召开脱贫攻坚工作会议。")

    (result,) = ingest_folder(tmp_path)

    assert result.source.path == str(tmp_path / "sub" / "report.txt")
