"""A source the reader can open (issue 17, item 6): the card's 来源 is the outlet and a link to the
page, from a scraper's sidecar (NAME.url, NAME.json), the page's canonical/og:url, or a 原文链接 line;
the local path stays in the JSON and the 数据说明 appendix."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import invoke, put_collected

from briefing.ingest import IngestOptions
from briefing.pipeline import process_file
from briefing.source_link import clean_url, link_in_html, link_in_text, read_sidecar

WEEK = "2026-W50"
COLLECTED = dt.datetime(2026, 12, 9, 10, 0)

BODY = (
    "12月8日，柳河镇召开防返贫动态监测工作推进会，镇党委书记王明主持会议。"
    "会议要求，各村要对监测户逐户排查，做到应纳尽纳、应帮尽帮。\n"
)


def put(folder: Path, name: str, text: str) -> Path:
    return put_collected(folder / name, text, COLLECTED)


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("http://www.example.gov.cn/a/1.html", "http://www.example.gov.cn/a/1.html"),
        ("  https://example.cn/x?id=3&p=2。", "https://example.cn/x?id=3&p=2"),
        ('http://example.cn/a"onmouseover="alert(1)', "http://example.cn/a"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("/relative/page.html", None),
        ("", None),
    ],
)
def test_only_absolute_http_addresses_are_links(candidate, expected):
    assert clean_url(candidate) == expected


def test_sidecars_of_every_shape(tmp_path):
    plain = put(tmp_path, "a.url", "http://news.example.cn/a.html\n")
    shortcut = put(tmp_path, "b.url", "[InternetShortcut]\r\nURL=https://example.gov.cn/b.shtml\r\n")
    meta = put(tmp_path, "c.json", json.dumps({"title": "x", "url": "https://example.org/c"}))
    empty = put(tmp_path, "d.json", json.dumps({"title": "no address"}))
    broken = put(tmp_path, "e.json", "{not json")
    assert read_sidecar(plain) == "http://news.example.cn/a.html"
    assert read_sidecar(shortcut) == "https://example.gov.cn/b.shtml"
    assert read_sidecar(meta) == "https://example.org/c"
    assert read_sidecar(empty) is None and read_sidecar(broken) is None


def test_an_html_page_declares_its_address():
    page = '<html><head><link rel="canonical" href="https://a.example.cn/1.html"><meta property="og:url" content="https://b.example.cn/2.html"></head></html>'
    assert link_in_html(page).url == "https://a.example.cn/1.html"
    assert link_in_html(page.replace('rel="canonical"', 'rel="alternate"')).url == "https://b.example.cn/2.html"
    assert link_in_html('<html><head><link rel="canonical" href="javascript:alert(1)"></head></html>') is None


def test_a_text_file_names_its_address_on_a_line_the_cleaner_removes(tmp_path):
    text = "柳河镇召开防返贫动态监测工作推进会\n原文链接：http://www.example.gov.cn/art/2026/12/8/1.html\n" + BODY
    assert link_in_text(text).url == "http://www.example.gov.cn/art/2026/12/8/1.html"
    report = process_file(put(tmp_path, "r.txt", text), IngestOptions())
    assert report.source.url == "http://www.example.gov.cn/art/2026/12/8/1.html"
    assert report.source.url_origin == "原文链接 line"
    assert "原文链接" not in report.body and "http" not in report.body


def test_the_card_links_the_page_and_the_local_path_stays_in_the_appendix(tmp_path):
    inp = tmp_path / "in"
    put(inp, "a.txt", "柳河镇召开防返贫动态监测工作推进会\n" + BODY)
    put(inp, "a.url", "http://www.example.gov.cn/a.html?x=1&y=2\n")
    put(inp, "b.txt", "白水镇召开乡村振兴工作会议\n" + BODY.replace("柳河镇", "白水镇").replace("王明", "赵刚"))
    put(inp, "b.txt.json", json.dumps({"url": "https://news.example.cn/b.html"}))
    put(inp, "c.txt", "青山镇召开人居环境整治推进会\n" + BODY.replace("柳河镇", "青山镇").replace("王明", "李强"))
    put(inp, "c.json", json.dumps({"note": "the scraper lost the address"}))
    out = tmp_path / "out"
    result = invoke(["build", "--week", WEEK, "--input", inp, "--out", out, "-q"], tmp_path)
    assert result.exit_code == 1, result.output  # a file was skipped: c.json
    data = json.loads((out / f"{WEEK}.json").read_text(encoding="utf-8"))
    urls = {Path(r["source"]).name: (r["url"], r["url_origin"]) for r in data["reports"]}
    assert urls == {
        "a.txt": ("http://www.example.gov.cn/a.html?x=1&y=2", "sidecar a.url"),
        "b.txt": ("https://news.example.cn/b.html", "sidecar b.txt.json"),
        "c.txt": (None, None),
    }
    # a sidecar with an address is part of its report; one without is said so, nothing is lost
    assert [(Path(s["source"]).name, s["reason"]) for s in data["skipped"]] == [
        ("c.json", "sidecar of c.txt without an http(s) address: no link for that report")
    ]
    html = (out / f"{WEEK}.html").read_text(encoding="utf-8")
    cards, appendix = html.split('<section id="appendix">', 1)
    assert '<a href="http://www.example.gov.cn/a.html?x=1&amp;y=2">example.gov.cn</a>' in cards
    assert '<a href="https://news.example.cn/b.html">news.example.cn</a>' in cards
    assert "原文（未附网址）" in cards
    assert str(inp) not in cards
    for name in ("a.txt", "b.txt", "c.txt"):
        assert str(inp / name) in appendix
    md = (out / f"{WEEK}.md").read_text(encoding="utf-8")
    md_cards = md.split('<a id="appendix"></a>', 1)[0]
    assert "[example.gov.cn](<http://www.example.gov.cn/a.html?x=1&y=2>)" in md_cards
    assert str(inp) not in md_cards
