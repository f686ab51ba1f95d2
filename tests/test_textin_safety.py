"""Reading and cleaning never lose report text (issue 20): a footer word removes the footer, not
the report written on the same line; an inline photo credit removes only its parenthesis; an HTML
article nested past the parser's depth limit is read; UTF-16 without a byte-order mark is decoded
when that is certain and named when it is not; a 1970 modification time is no collection date.

Every text here is invented, in the shape of the scraped pages that showed each defect."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from crafted import ARTICLE_PARAGRAPHS, read_seed, strip_pinyin, write_bytes, write_text

from briefing.clean import clean_text
from briefing.errors import SkipFile
from briefing.ingest import IngestOptions, detect_encoding, read_source
from briefing.models import Removal
from briefing.pipeline import process_file

OPTIONS = IngestOptions()
HEADLINE = "某某县召开乡村振兴工作推进会"
LEAD = "2023年6月12日，某某县召开乡村振兴工作推进会，县委书记张三主持会议并讲话。"
BODY = (
    f"{LEAD}会议通报了全县巩固拓展脱贫攻坚成果同乡村振兴有效衔接工作进展情况。"
    "会议要求，各乡镇要压实主体责任，确保各项任务落地见效。"
)
WHEN = dt.datetime(2023, 6, 16, 9, 0)  # when the crafted files were "collected"


def _report_file(folder: Path, text: str, name: str = "report.txt", when: dt.datetime | float = WHEN) -> Path:
    path = write_text(folder, name, text)
    stamp = when.timestamp() if isinstance(when, dt.datetime) else when
    os.utime(path, (stamp, stamp))
    return path


def _skip_reason(path: Path) -> str:
    with pytest.raises(SkipFile) as info:
        read_source(path, str(path), OPTIONS)
    return info.value.reason


# --- 1. a footer word removes the footer, not the line --------------------------------------------

# Every footer rule of the cleaner, as sites write it at the end of a page that a scraper flattened
# onto one line with the report.
FOOTERS = [
    "版权所有：某某县融媒体中心",
    "某某县融媒体中心版权所有",
    "今日某某网版权所有 未经授权不得转载",
    "Copyright © 2016-2023 某某县人民政府 All Rights Reserved",
    "© 2023 某某网",
    "蜀ICP备12345678号-1",
    "ICP证：川B2-20230001",
    "川公网安备51010602000001号",
    "备案号：蜀ICP备12345678号",
    "网站标识码：5101000001",
    "互联网新闻信息服务许可证编号：51120190022",
    "技术支持：某某网络科技有限公司",
    "主办单位：某某县人民政府办公室 承办单位：某某县大数据中心",
    "网站地图 联系我们",
]


@pytest.mark.parametrize("footer", FOOTERS)
def test_footer_after_a_report_on_one_line_removes_only_the_footer(footer):
    cleaned = clean_text(f"{HEADLINE} {BODY} {footer}")

    assert cleaned.text == f"{HEADLINE} {BODY}"
    assert cleaned.removals == (Removal("copyright-footer", footer, 1),)


@pytest.mark.parametrize("footer", ["版权所有：某某县融媒体中心", "技术支持：某某网络科技有限公司"])
def test_footer_glued_to_the_last_sentence_removes_only_the_footer(footer):
    cleaned = clean_text(f"{BODY}{footer}")

    assert cleaned.text == BODY
    assert cleaned.removals == (Removal("copyright-footer", footer, 1),)


def test_one_line_report_with_a_footer_is_read_with_its_date(tmp_path):
    footer = "版权所有：某某县融媒体中心 备案号：蜀ICP备12345678号 技术支持：某某网络科技有限公司"
    path = _report_file(tmp_path, f"{HEADLINE} {BODY} {footer}\n")

    report = process_file(path, OPTIONS)

    assert "县委书记张三主持会议并讲话" in report.body
    assert report.date.iso == "2023-06-12"
    assert Removal("copyright-footer", footer, 1) in report.removals


def test_inline_photo_credit_removes_only_the_parenthesis(tmp_path):
    credit = "（图片版权所有：某某网）"
    lead = f"2023年6月12日，某某县召开乡村振兴工作推进会{credit}，县委书记张三主持会议并讲话。"
    rest = "会议要求，各乡镇要压实主体责任，确保各项任务落地见效，持续巩固拓展脱贫攻坚成果。"
    path = _report_file(tmp_path, f"{HEADLINE}\n{lead}\n{rest}\n")

    cleaned = clean_text(path.read_text(encoding="utf-8"))
    report = process_file(path, OPTIONS)

    assert cleaned.text == f"{HEADLINE}\n{lead.replace(credit, '')}\n{rest}"
    assert cleaned.removals == (Removal("copyright-credit", credit, 2),)
    assert report.date.iso == "2023-06-12"


def test_photo_credit_in_ascii_parentheses_is_removed_alone():
    cleaned = clean_text(f"{HEADLINE}\n{LEAD[:-1]}(图/某某网 版权所有)。")

    assert cleaned.text == f"{HEADLINE}\n{LEAD}"
    assert cleaned.removals == (Removal("copyright-credit", "(图/某某网 版权所有)", 2),)


def test_footer_lines_of_their_own_are_still_removed_whole():
    footer = "主办：中共某某县委宣传部 承办：某某县融媒体中心 地址：某某县人民路88号 版权所有 某某县融媒体中心"
    cleaned = clean_text(f"{HEADLINE}\n{BODY}\n{footer}\n网站地图 | 联系我们 | 关于我们")

    assert cleaned.text == f"{HEADLINE}\n{BODY}"
    assert [r.text for r in cleaned.removals] == [footer, "网站地图 | 联系我们 | 关于我们"]


@pytest.mark.parametrize(
    "line",
    [
        # a copyright holder is report text, not a footer
        "县市场监管局查处侵犯著作权案件3起，依法保护版权所有人的合法权益。",
        # a footer word with the report after it, longer than any footer: the text stays
        "版权所有 某某网 " + BODY * 3,
        # a weak footer word inside a sentence
        "本次培训班主办单位：县乡村振兴局，承办单位：县委党校，共培训村干部120人。",
    ],
)
def test_report_text_around_footer_words_stays(line):
    cleaned = clean_text(f"{HEADLINE}\n{line}")

    assert cleaned.text == f"{HEADLINE}\n{line}"
    assert cleaned.removals == ()


def test_site_owner_of_a_trailing_footer_is_kept_as_the_outlet():
    cleaned = clean_text(f"{BODY} 主办单位：某某县融媒体中心 技术支持：某某科技")

    assert cleaned.text == BODY
    assert cleaned.meta.outlets == ("某某县融媒体中心",)


# The other line rules that could take a flattened page's report with them: chrome that starts
# the line (a breadcrumb, a contact field) or ends it (a credited photo caption).
@pytest.mark.parametrize(
    ("raw", "rule", "chrome"),
    [
        (f"当前位置：首页 > 新闻中心 > 乡镇动态 {BODY}", "navigation", "当前位置：首页 > 新闻中心 > 乡镇动态"),
        (f"某某网 > 新闻中心 > 乡镇动态 {BODY}", "navigation", "某某网 > 新闻中心 > 乡镇动态"),
        (f"电话：0826-1234567 {BODY}", "contact-line", "电话：0826-1234567"),
        (f"{BODY}图为会议现场。 记者张三 摄", "photo-caption", "图为会议现场。 记者张三 摄"),
    ],
)
def test_line_chrome_on_a_report_line_removes_only_the_chrome(raw, rule, chrome):
    cleaned = clean_text(raw)

    assert cleaned.text == BODY
    assert cleaned.removals == (Removal(rule, chrome, 1),)


# --- 2. an HTML article nested past the parser's depth limit --------------------------------------

ARTICLE = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)


def _page(inner: str) -> str:
    return f"<html><head><title>{HEADLINE}</title></head><body>{inner}</body></html>"


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(_page("<font>" * 300 + ARTICLE), id="300-unclosed-font"),
        pytest.param(_page("<font size=3><span>" * 1500 + ARTICLE), id="3000-unclosed-inline"),
        pytest.param(_page("<div>" * 300 + ARTICLE + "</div>" * 300), id="300-div"),
        pytest.param(_page("<div class=x>" * 5000 + ARTICLE + "</div>" * 5000), id="5000-div"),
    ],
)
def test_deeply_nested_html_article_is_read(tmp_path, page):
    path = write_text(tmp_path, "deep.html", page)

    ingested = read_source(path, str(path), OPTIONS)

    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in ingested.text
    assert ingested.source.html_title == HEADLINE


def test_html_nested_past_every_limit_is_skipped_with_that_reason(tmp_path):
    # Alternating block elements, 6,000 deep: nothing to flatten without guessing at structure.
    page = _page("<div><section>" * 3000 + ARTICLE + "</section></div>" * 3000)
    path = write_text(tmp_path, "deeper.html", page)

    try:
        ingested = read_source(path, str(path), OPTIONS)
    except SkipFile as exc:
        assert "nested" in exc.reason and "without an article body" not in exc.reason
    else:
        assert all(paragraph in ingested.text for paragraph in ARTICLE_PARAGRAPHS)


# --- 3. UTF-16 without a byte-order mark ----------------------------------------------------------


def _traditional_with_pinyin() -> str:
    return read_seed("000_497ccbb6f08a9728.txt")


UTF16_TEXTS = [
    pytest.param(lambda: read_seed("002_68af5a0512a93f3f.txt"), id="simplified-page"),
    pytest.param(_traditional_with_pinyin, id="traditional-with-pinyin"),
    pytest.param(lambda: strip_pinyin(read_seed("003_f79c5a7088eff534.txt")), id="traditional"),
    pytest.param(lambda: f"{HEADLINE}{BODY}", id="one-line-no-ascii"),
]


@pytest.mark.parametrize("order", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("make_text", UTF16_TEXTS)
def test_utf16_without_bom_is_decoded(make_text, order):
    text = make_text()

    assert detect_encoding(text.encode(order)) == (order, text)


def test_utf16_without_bom_is_read_as_a_report(tmp_path):
    path = write_bytes(tmp_path, "report.txt", f"{HEADLINE}\n{BODY}\n".encode("utf-16-le"))

    ingested = read_source(path, str(path), OPTIONS)

    assert ingested.source.encoding == "utf-16-le"
    assert ingested.text == f"{HEADLINE}\n{BODY}\n"


def test_damaged_utf16_without_bom_is_named_not_called_binary(tmp_path):
    data = bytearray(f"{HEADLINE}\n{BODY}\n".encode("utf-16-le"))
    data[20:22] = b"\x00\xd8"  # a lone high surrogate: no longer valid UTF-16
    path = write_bytes(tmp_path, "report.txt", bytes(data))

    reason = _skip_reason(path)

    assert "UTF-16 without a byte-order mark" in reason
    assert "binary" not in reason


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (read_seed("002_68af5a0512a93f3f.txt"), "gb18030"),
        (strip_pinyin(read_seed("003_f79c5a7088eff534.txt")).strip(), "big5"),
        ("Meeting report of the county on rural revitalisation.\n" * 20, "utf-8"),
    ],
)
def test_other_encodings_are_not_taken_for_utf16(text, encoding):
    assert detect_encoding(text.encode(encoding)) == (encoding, text)


# --- 4. a 1970 modification time is no collection date --------------------------------------------


def test_full_date_of_a_file_with_a_1970_modification_time_is_its_date(tmp_path):
    path = _report_file(tmp_path, f"{HEADLINE}\n{BODY}\n", when=0)

    report = process_file(path, OPTIONS)

    assert report.date.iso == "2023-06-12"


def test_publication_stamp_of_a_file_with_a_1970_modification_time_is_kept(tmp_path):
    text = f"{HEADLINE}\n发布时间：2023-06-12\n6月12日，某某县召开乡村振兴工作推进会，县委书记张三主持会议并讲话。\n"
    path = _report_file(tmp_path, text, when=0)

    report = process_file(path, OPTIONS)

    assert report.date.iso == "2023-06-12"
    assert report.date.published == "2023-06-12"


def test_year_in_the_text_is_not_vetoed_by_a_1970_modification_time(tmp_path):
    text = f"{HEADLINE}\n6月12日，某某县召开乡村振兴工作推进会，总结2022年工作，部署2023年重点任务。\n"
    path = _report_file(tmp_path, text, when=0)

    report = process_file(path, OPTIONS)

    assert report.date.iso == "2023-06-12"


def test_no_year_is_guessed_from_a_1970_modification_time(tmp_path):
    text = f"{HEADLINE}\n6月12日，某某县召开乡村振兴工作推进会，县委书记张三主持会议并讲话。\n"
    path = _report_file(tmp_path, text, when=0)

    report = process_file(path, OPTIONS)

    modified = report.source.collected.date().isoformat()  # 1970-01-01, or 1969-12-31 west of Greenwich
    assert report.date.year == dt.date.today().year or report.date.year == dt.date.today().year - 1
    assert report.date.confidence == "low" and report.date.year_basis == "collection"
    assert f"文件修改时间{modified}不是采集日期" in report.date.rule
