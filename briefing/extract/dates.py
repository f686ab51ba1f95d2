"""The report's date, with the rule that produced it.

Rules, first that applies wins:
1. a full date (2021年8月26日) in the opening of the report: the event date, stated;
2. the meeting's month and day: in the opening (8月26日; the one whose sentence holds the meeting
   when a period of other work comes first), a day alone after a dated dateline (本网拉萨5月19日讯
   …18日), at the meeting clause further down, at the start of a later paragraph, a day whose 月
   was lost (815日), or else the dateline's own day; none when the opening says 近日/日前 first.
   Its year: the meeting's own name (召开2022年…培训会), else the publication line or the page's
   publication metadata, else a year the text speaks of (a year whose results are reported means
   the meeting is after it), else the latest year not after collection (marked low confidence);
3. a day alone in the opening (12日，…召开) or 昨天/今天, counted from the publication stamp;
4. the publication stamp alone, for an article that reports no meeting (a meeting reported
   without its day is undated: the stamp is when it was posted);
otherwise unknown. Never today's year silently: the rule names where every part came from, and
`year_basis` says whether the page gives the year (stated), the text suggests it (context: a year
contradicted by words the text cannot predate, YEAR_FLOORS, is no context) or only the collection
date does (collection: shown to readers without a year).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from ..models import PageMeta, ReportDate, TimeRef

OPENING_CHARS = 200  # the event date of a meeting report stands in its first sentence or two
_FULL = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# "…参加会议 2020年07月01日" at a line's end, "2021年09月28日16:32 |": a page's stamp, not an event.
_STAMP_AFTER = re.compile(r"\s*(?:\d{1,2}:\d{2}|[|｜]|$)", re.MULTILINE)
# 8月26日, 3月8号, and the first day of a range written once: 7月15至16日.
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号|(?=[至到—~-]\s*\d{1,2}\s*[日号]))")
# A day alone right after a dated dateline: 本网拉萨5月19日讯（…）18日，区党委…
_BARE_DAY = re.compile(r"(?:^|(?<=[，。,；\s]))(\d{1,2})\s*日")  # a lookbehind: found at a paragraph's start too
BARE_DAY_CHARS = 40  # the bare day follows the dateline within its first sentence or two
_DATELINE_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")
_AFTER_DATELINE = "正文日与电头月份"
# A meeting named with its own year happens in that year: 召开2022年防返贫监测…培训会.
_NAMED_YEAR = re.compile(
    r"(?:召开|举行|举办)了?[^，。；]{0,16}?((?:19|20)\d{2})\s*年(度?)([^，。；]{0,40}?)(?:会议|大会|会|活动|培训班)"
)

# 我县2019年社会扶贫座谈会在…召开: the name stands before the verb.
_NAMED_YEAR_FIRST = re.compile(
    r"((?:19|20)\d{2})\s*年(度?)([^，。；]{0,30}?)(?:会议|大会|会|培训班|论坛)(?:在[^，。；]{0,24}?)?(?:召开|举行|举办|开班|开幕|启动)"
)
# 召开2020年度示范村验收会: a year's review, held after that year is over. Not a named year.
_REVIEW = re.compile(r"验收|考核|考评|总结|述职|评议|表彰|评估")
# "近日/日前": the text does not say the day; a publication stamp is not the meeting's date.
_UNDATED_EVENT = re.compile(r"近日|(?<![\d号])日前|近期|前不久")  # not 5月24日前 (before a day)
_PARAGRAPH_DAY = re.compile(r"(?<=\n)\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:上午|下午|晚上)?\s*[，,]")
# "西藏自治区12日在拉萨市召开…": the day alone as the first sentence's adverbial of time.
_ADVERBIAL_DAY = re.compile(r"(?<![\d月])(\d{1,2})日(?=\s*(?:上午|下午|晚上|晚)?\s*(?:在|召开|举行|举办))")
_LOST_MONTH_DAY = re.compile(
    r"(?:^|(?<=[，。,；\s]))(\d{3,4})日(?=\s*(?:上午|下午|晚上)?\s*[，,])"
    # 1219,涿州市召开…: both 月 and 日 lost, at a paragraph's start, before the meeting's clause
    r"|(?:^|(?<=\n))(\d{3,4})(?=[，,][^，。]{0,30}(?:召开|举行|举办))"
)
_RELATIVE_DAY = re.compile(r"\s*(昨天|昨日|前天|今天|今日)(?:上午|下午|晚上|晚)?\s*[，,（(]")
_RELATIVE_DAYS = {"昨天": 1, "昨日": 1, "前天": 2, "今天": 0, "今日": 0}
_PERIOD_BEFORE = re.compile(r"(?:从|自|截至|截止到?)$")
_PERIOD_AFTER = re.compile(r"(?:起|开始|以来|以后|之前|前|后)(?![^，。]{0,3}(?:召开|举行))")
_REPORTED_ON = re.compile(r"(\d{1,2})月(\d{1,2})日(?:报道|讯|电|消息)[，,]\s*(\d{1,2})日")
_LEARNED = re.compile(r"[^。]{0,30}?(?:获悉|了解到|得知)")
_HELD_AFTER = re.compile(r"[^。！？]{0,40}?(?:召开|举行|举办)")
_HELD_MEETING = re.compile(r"召开|举行|举办|参加[^。]{0,60}?会")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})")
_NUMERIC = re.compile(r"((?:19|20)\d{2})\s*[-/.年]?\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*[-—–~至到]\s*((?:19|20)\d{2}))?\s*年(.?)")
# A year followed by these is spoken of as finished: 2015年底, 2020年的, 2021年，全县…, 2021年度.
_FINISHED_AFTER = set("底末的度，,全")
_FINISHED_BEFORE = ("到", "至", "截至", "提升到", "截止")
_SINCE = re.compile(r"((?:19|20)\d{2})年以来")
# 安排部署2021年…工作: a year being planned is the year of the meeting (or the next).
_PLANNED_BEFORE = ("部署", "安排", "谋划", "规划", "启动", "做好", "推进")
# "今年是中国共产党成立100周年": anniversaries and well-known years name the year of the report.
_ANNIVERSARIES = {"中国共产党成立": 1921, "建党": 1921, "新中国成立": 1949}
_ANNIVERSARY = re.compile(r"(中国共产党成立|建党|新中国成立)(\d{2,3})\s*周年")
_YEAR_PHRASES = {"建党百年": 2021, "脱贫攻坚收官之年": 2020}
# Five-year plans name their years: 十三五 is 2016–2020, 十四五 2021–2025, 十五五 2026–2030.
# "今年是“十四五”规划收官之年" -> 2025; "明年是“十五五”开局之年" -> the report's year is 2025.
_PLAN_YEAR = re.compile(r"(今年|明年|去年)?是?[“\"]?十([一二三四五六七八九])五[”\"]?(?:规划)?(开局|收官|起步|决胜)之年")
_PLAN_NUMBERS = {"一": 11, "二": 12, "三": 13, "四": 14, "五": 15, "六": 16, "七": 17, "八": 18, "九": 19}
_PLAN_OFFSETS = {"开局": 0, "起步": 0, "收官": 4, "决胜": 4}
_SPOKEN_FROM = {"明年": -1, "去年": 1}


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_published(meta: PageMeta, html_date: str | None) -> tuple[dt.date, str] | None:
    """The page's publication date from its publication line or HTML metadata."""
    for raw, label in ((meta.published, "发布时间行"), (html_date, "网页发布时间元数据")):
        if not raw:
            continue
        if m := _NUMERIC.search(raw):
            date = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif m := _DOTTED.search(raw):  # 28.11.2017: day first, as aggregators print it
            date = _valid(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        else:
            continue
        # 1 January is what a CMS shows when it has no date (2019-01-01 00:00): a placeholder
        # must not outweigh the body, so it is not a publication date.
        if date and (date.month, date.day) != (1, 1):
            return date, f"{label}“{raw}”"
    # A site's clock is not the article's date; an e-paper's date header is its issue's.
    issue = _NUMERIC.search(meta.page_dates[0]) if meta.epaper and meta.page_dates else None
    if issue and (date := _valid(int(issue.group(1)), int(issue.group(2)), int(issue.group(3)))):
        return date, f"电子报出版日期“{meta.page_dates[0]}”"
    return None


def _find_month_day(body: str, meta: PageMeta) -> tuple[tuple[int, int], str, str] | None:
    """The meeting's month and day, the text that says it, and where it was read (for the rule):
    in the opening, after a dated dateline, at the meeting clause further down (县…于10月28日
    召开…) when the opening has none, or else the dateline's own day."""
    line = _DATELINE_DAY.match(meta.dateline) if meta.dateline else None
    if line and (bare := _bare_day_after_dateline(body)):
        month, filed = int(line.group(1)), int(line.group(2))
        day = int(bare.group(1))
        if day > filed:  # filed on the 2nd about the 30th: the month before
            month = 12 if month == 1 else month - 1
        return (month, day), f"{meta.dateline}讯…{bare.group(1)}日", _AFTER_DATELINE
    opening = body[:OPENING_CHARS]
    if reported := _REPORTED_ON.search(opening):
        # 据《黑龙江日报》2月27日报道，26日下午，…召开: the day of the report, then the meeting's.
        month, filed, day = int(reported.group(1)), int(reported.group(2)), int(reported.group(3))
        if day > filed:
            month = 12 if month == 1 else month - 1
        if _valid(2000, month, day):
            return (month, day), reported.group(0), _AFTER_DATELINE
    # 从1月5日开始, 自3月1日起, 截至6月30日: the bound of a period, not the day of an event.
    dates = [m for m in _MONTH_DAY.finditer(opening) if not _period_bound(opening, m)]
    # "7月19日至24日，督查组开展督查。7月24日上午，反馈会在合肥召开": a period of other work comes
    # first; the meeting's date is the one its sentence holds (召开/举行) when another is not.
    held = [m for m in dates if _HELD_AFTER.match(opening, m.end())]
    found = held[0] if held and not _HELD_AFTER.match(opening, dates[0].end()) else (dates[0] if dates else None)
    vague = _UNDATED_EVENT.search(opening)
    if found and vague and vague.start() < found.start() and not _HELD_AFTER.match(opening, found.end()):
        # "近日，区农业农村委增挂…牌子。…5月29日，市乡村振兴局挂牌": the report's own event has no
        # day; a later date belongs to another event, unless a meeting is held on it (近日，…完成
        # 交接。5月6日，集团公司组织召开座谈会).
        return None
    if found and vague and _LEARNED.match(opening, found.end()) and found.end() < vague.start():
        # "7月21日，记者从区委宣传部获悉，日前，该区召开…": the day the reporter was told.
        return None
    if found is None:
        found = next((m for m in _MONTH_DAY.finditer(body) if _HELD_AFTER.match(body, m.end())), None)
    if found is None:
        # A paragraph that opens with its day ("8月3日，校党委副书记…") after background paragraphs.
        found = next((m for m in _MONTH_DAY.finditer(body) if _PARAGRAPH_DAY.match(body, m.start())), None)
    if found is None and (lost := _lost_month(opening)):
        return lost
    if found is None:
        undated = _UNDATED_EVENT.search(opening)  # "近日，…": filed that day, held some day before
        if line and not undated and _valid(2000, int(line.group(1)), int(line.group(2))):
            # The text never says the day: a local outlet files a meeting the day it is held
            # ("东北网虎林4月17日讯 宝东镇…对接会在…召开"), so the dateline's day stands for it.
            return (int(line.group(1)), int(line.group(2))), f"{meta.dateline}讯", "电头日期（正文未写会议日）"
        return None
    month_day = (int(found.group(1)), int(found.group(2)))
    if not _valid(2000, *month_day):  # 2000 is a leap year: 2月29日 is a real day
        return None
    return month_day, found.group(0), "正文月日"


def _period_bound(text: str, m: re.Match[str]) -> bool:
    return bool(_PERIOD_BEFORE.search(text, max(0, m.start() - 3), m.start()) or _PERIOD_AFTER.match(text, m.end()))


def _lost_month(opening: str) -> tuple[tuple[int, int], str, str] | None:
    """1025日，…召开 or 815日，调研组…: the 月 was lost in a bad conversion. Read only when the
    digits split into a month and a day one way (Chinese writes no leading zero: 105日 is 10月5日,
    while 115日 could be 1月15日 or 11月5日 and is left alone)."""
    m = _LOST_MONTH_DAY.search(opening)
    if m is None:
        return None
    digits = m.group(1) or m.group(2)
    splits = [
        (int(digits[:i]), int(digits[i:]))
        for i in (1, 2)
        if digits[i] != "0" and 1 <= int(digits[:i]) <= 12 and _valid(2000, int(digits[:i]), int(digits[i:]))
    ]
    if len(splits) != 1:
        return None
    return splits[0], m.group(0).strip("，。,； \n"), "正文月日（“月”字丢失）"


def _bare_day_after_dateline(body: str) -> re.Match[str] | None:
    """A day alone at the start of the paragraph the dateline opened. A subtitle may stand
    before that paragraph, so each of the opening paragraphs is tried, not only the first."""
    start = 0
    while start < OPENING_CHARS:
        if bare := _BARE_DAY.search(body, start, start + BARE_DAY_CHARS):
            return bare
        start = body.find("\n", start) + 1
        if start == 0:
            return None
    return None


# A review of a year's work (2019年度…考核座谈会) is held at that year's end or in the year after:
# without a publication stamp, from October on it is the same year, earlier the next.
REVIEW_FROM_MONTH = 10


def _named_year(body: str, evidence: str) -> tuple[int, bool] | None:
    """The year in the name of the meeting held on the date found (召开2021年度…会议), and whether
    the meeting reviews that year (2020年度…验收会), which does not date it by itself."""
    at = body.find(evidence)
    sentence = re.split(r"[。！？]", body[at:], maxsplit=1)[0] if at >= 0 else ""
    m = _NAMED_YEAR.search(sentence) or _NAMED_YEAR_FIRST.search(sentence)
    if m is None:
        return None
    return int(m.group(1)), bool(m.group(2) and _REVIEW.search(m.group(3)))


def infer_year_from_text(text: str, not_after: int) -> tuple[int, str] | None:
    """The latest year the report can be in, judging by the years it mentions."""
    best: tuple[int, str] | None = None
    for m in _YEAR.finditer(text):
        start_year, end_year, after = int(m.group(1)), m.group(2), m.group(3)
        year = int(end_year) if end_year else start_year
        if year > not_after:
            continue
        before = text[max(0, m.start() - 3) : m.start()]
        if before.endswith(("这是", "今年是")) and not end_year:
            # 这是2019年，… / 今年是2019年: the year spoken of as the present one.
            candidate = year
            said = text[m.start() : m.end(3) - len(after)]
            if best is None or candidate > best[0]:
                best = (candidate, f"文中“是{said}”即当年")
            continue
        if after.isdigit():
            # 截至2021年2月底: a point inside that year, which is not over.
            finished = False
        else:
            planned = text[max(0, m.start() - 4) : m.start()].endswith(_PLANNED_BEFORE)
            finished = not planned and (bool(end_year) or after in _FINISHED_AFTER or before.endswith(_FINISHED_BEFORE))
        if not finished and text[m.end() - len(after) :].startswith("以来"):
            continue  # 2017年以来 only says "not before 2017"
        candidate = min(year + 1, not_after) if finished else year
        said = text[m.start() : m.end(3) - len(after)]
        why = f"文中“{said}”{'是已结束的年份，会议在其后一年' if finished else '是提到的最近年份'}"
        if best is None or candidate > best[0]:
            best = (candidate, why)
    for m in _ANNIVERSARY.finditer(text):
        year = _ANNIVERSARIES[m.group(1)] + int(m.group(2))
        if year <= not_after and (best is None or year > best[0]):
            best = (year, f"文中“{m.group(0)}”即{year}年")
    for m in _PLAN_YEAR.finditer(text):
        if not m.group(1) and _PLAN_OFFSETS[m.group(3)]:
            continue  # "为十四五收官之年打基础" looks ahead; only 今年是…收官之年 names the year
        first = 2016 + 5 * (_PLAN_NUMBERS[m.group(2)] - 13)
        year = first + _PLAN_OFFSETS[m.group(3)] + _SPOKEN_FROM.get(m.group(1) or "", 0)
        if year <= not_after and (best is None or year > best[0]):
            best = (year, f"文中“{m.group(0)}”即{year}年")
    for phrase, year in _YEAR_PHRASES.items():
        if phrase in text and year <= not_after and (best is None or year > best[0]):
            best = (year, f"文中“{phrase}”即{year}年")
    return best


# Words a text cannot be written before: a year inferred from a weaker hint (2015年 reported as
# finished) that falls before one of them is contradicted by the text itself, and none is given.
YEAR_FLOORS: dict[str, int] = {
    "乡村振兴战略": 2017,  # announced in October 2017
    "主题教育": 2019,  # 不忘初心、牢记使命 (2019), and those after it
    "巩固拓展脱贫攻坚成果": 2020,
    "全面推进乡村振兴": 2020,
    "新冠": 2020,
    "新型冠状病毒": 2020,
    "乡村振兴局": 2021,  # the national administration and its local bureaus: from February 2021
    "党史学习教育": 2021,
    "十四五开局": 2021,
    "党的二十大": 2021,  # 迎接党的二十大 from late 2021
    "二十届": 2022,
}


def contradicting_floor(text: str, year: int) -> tuple[int, str] | None:
    """The latest floor of YEAR_FLOORS the text passes that `year` falls before, with its words."""
    floors = [(floor, words) for words, floor in YEAR_FLOORS.items() if floor > year and words in text]
    return max(floors) if floors else None


# A modification time before this is no collection time: a file unpacked from an archive that kept
# no times (zip's 1980, tar's 0 = 1970-01-01) was not collected then, and brief reads reports of
# the 2010s on. Such a time vetoes no date ("after the collection date") and bounds no year: the
# run's own day takes its place (the file exists now, so its report is not later), and the rule
# says the modification time is no collection date.
EARLIEST_COLLECTION = dt.date(2000, 1, 1)


def collection_bound(collected: dt.datetime) -> tuple[dt.date, str, str]:
    """The latest day the report can be of, as the rule names it in full and in short."""
    day = collected.date()
    if day >= EARLIEST_COLLECTION:
        return day, f"采集日期{day.isoformat()}", "采集日"
    today = dt.date.today()
    return today, f"今天{today.isoformat()}（文件修改时间{day.isoformat()}不是采集日期）", "今天"


def resolve_date(body: str, meta: PageMeta, collected: dt.datetime, html_date: str | None = None) -> ReportDate:
    """The meeting's date (see the module's rules), and the page's own publication date beside it."""
    date = _resolve_event_date(body, meta, collected, html_date)
    published = parse_published(meta, html_date)
    if published and published[0] <= max(collected.date(), dt.date.today()):
        date = replace(date, published=published[0].isoformat())
    return date


def _resolve_event_date(body: str, meta: PageMeta, collected: dt.datetime, html_date: str | None) -> ReportDate:
    collected_date, collected_words, collected_day = collection_bound(collected)
    opening = body[:OPENING_CHARS]
    found = _find_month_day(body, meta)
    all_full = list(_FULL.finditer(opening))
    stamps = [m for m in all_full if _STAMP_AFTER.match(opening, m.end())]
    fulls = [m for m in all_full if not _STAMP_AFTER.match(opening, m.end())]
    # 为…，学校党委于2023年12月8日召开会议…\n2024年1月31日，校党委副书记率队…: background first;
    # a date that opens a paragraph is the report's own.
    full = next((m for m in fulls if m.start() == 0 or opening[m.start() - 1] == "\n"), fulls[0] if fulls else None)
    # A day after a dated dateline is this story's day; a full date further on is another event.
    if full and not (found and found[2] == _AFTER_DATELINE):
        date = _valid(int(full.group(1)), int(full.group(2)), int(full.group(3)))
        if date and date <= collected_date:
            return _make(date, "正文写明完整日期", "high", full.group(0), "stated")
    published = parse_published(meta, html_date)
    if published is None and stamps and (stamped := _valid(*(int(g) for g in stamps[0].groups()))):
        published = stamped, f"正文中的日期戳“{stamps[0].group(0)}”"
    if published and published[0] > max(collected_date, dt.date.today()):
        # A stamp in the future is a placeholder. (One after the collection date alone only
        # says the file's modification time is off, as it is after unpacking an archive.)
        published = None
    if found:
        month_day, evidence, source = found
        named, review = _named_year(body, evidence) or (None, False)
        if named and not review and (date := _valid(named, *month_day)) and date <= collected_date:
            return _make(date, f"{source}，年份取自会议名称中的“{named}年”", "high", evidence, "stated")
        if published:
            pub_date, pub_label = published
            year = pub_date.year
            # A meeting reported in January may have taken place in December of the year before.
            if month_day > (pub_date.month, pub_date.day):
                year -= 1
            if date := _valid(year, *month_day):
                return _make(date, f"{source}，年份取自{pub_label}", "high", evidence, "stated")
        if named and review:
            year = named if month_day[0] >= REVIEW_FROM_MONTH else named + 1
            if (date := _valid(year, *month_day)) and date <= collected_date:
                return _make(
                    date,
                    f"{source}，会议评的是{named}年度：年终或次年召开",
                    "medium",
                    evidence,
                    "context",
                    f"“{named}年度”",
                )
        inferred = infer_year_from_text(body, collected_date.year)
        if inferred and (floor := contradicting_floor(body, inferred[0])):
            inferred = None  # precision first: a weaker hint against what the text says of its time
            why_not = f"推断的年份与文中“{floor[1]}”（不早于{floor[0]}年）矛盾，"
        else:
            why_not = ""
        if inferred:
            year, why = inferred
            date = _valid(year, *month_day)
            if date and date <= collected_date:
                return _make(date, f"{source}，年份推断：{why}", "medium", evidence, "context", _quoted(why))
        date = _latest_not_after(month_day, collected_date)
        since = _SINCE.search(body)
        if inferred:
            why = f"文中年份推断为{inferred[0]}年，但会晚于{collected_words}，"
        elif since:
            why = f"文中“{since.group(0)}”只说明不早于{since.group(1)}年：按{collected_words}"
        else:
            why = f"{why_not or '全文无年份：'}按{collected_words}"
        return _make(date, f"{source}，{why}推定为不晚于{collected_day}的最近一年", "low", evidence, "collection")
    first_sentence_end = body.find("。") if "。" in body else len(body)
    bare = _bare_day_after_dateline(body) or _ADVERBIAL_DAY.search(body, 0, first_sentence_end)
    if published and bare and not _UNDATED_EVENT.search(opening):
        # "发布时间:2022-08-14 …\n12日，省乡村振兴局长会议在长春召开": a day alone at the start of
        # the report is in the stamp's month (or the month before, when it is after the stamp's day).
        pub_date, pub_label = published
        month, year = pub_date.month, pub_date.year
        if int(bare.group(1)) > pub_date.day:
            month, year = (12, year - 1) if month == 1 else (month - 1, year)
        if date := _valid(year, month, int(bare.group(1))):
            return _make(
                date, f"正文日，月份和年份取自{pub_label}", "medium", bare.group(0).strip("，。,； \n"), "stated"
            )
    if published and (relative := _RELATIVE_DAY.match(opening)):
        # "昨天，西来镇举办…" under a stamp (or an e-paper's issue date): the day before it.
        pub_date, pub_label = published
        date = pub_date - dt.timedelta(days=_RELATIVE_DAYS[relative.group(1)])
        return _make(date, f"正文“{relative.group(1)}”，按{pub_label}推算", "medium", relative.group(0), "stated")
    if published:
        pub_date, pub_label = published
        if vague := _UNDATED_EVENT.search(opening):
            return ReportDate.unknown(f"正文只说“{vague.group(0)}”，会议日期不详（{pub_label}）")
        if held := _HELD_MEETING.search(opening):
            # A page's stamp says when it was posted, not when the meeting was: on the real pages
            # that report a meeting without its day, the stamp was never that day (a digest of
            # several items, a report filed days later, 据悉…召开 with no day).
            return ReportDate.unknown(f"正文写了“{held.group(0)[:12]}”却没写会议日期（{pub_label}只是发布日期）")
        # A feature without an event day (仲冬时节，…) is dated by its publication.
        return _make(pub_date, f"{pub_label}", "high", meta.published or html_date, "stated")
    if vague := _UNDATED_EVENT.search(opening):
        return ReportDate.unknown(f"正文只说“{vague.group(0)}”，会议日期不详")
    return ReportDate.unknown()


def _latest_not_after(month_day: tuple[int, int], limit: dt.date) -> dt.date:
    """The latest date with this month and day not after `limit` (2月29日: the last leap year)."""
    year = limit.year if month_day <= (limit.month, limit.day) else limit.year - 1
    while (date := _valid(year, *month_day)) is None:
        year -= 1
    return date


def _make(
    date: dt.date, rule: str, confidence: str, evidence: str | None, basis: str, year_evidence: str | None = None
) -> ReportDate:
    return ReportDate(
        iso=date.isoformat(),
        year=date.year,
        month=date.month,
        day=date.day,
        rule=rule,
        confidence=confidence,
        evidence=evidence,
        year_basis=basis,
        year_evidence=year_evidence,
    )


def _quoted(why: str) -> str | None:
    """The words an inference rests on (文中“十四五”…): what the card shows after 据."""
    m = re.search(r"“[^”]+”", why)
    return f"文中{m.group(0)}" if m else None


_RELATIVE = re.compile(r"今年|去年|前年|明年|本月|上月|下月|本周|上周|下周|今天|昨天|当天|当日")


def resolve_relative(body: str, date: ReportDate) -> tuple[TimeRef, ...]:
    """今年/去年/上周… resolved against the report's date (once each, in order of appearance)."""
    if date.iso is None:
        return ()
    day = dt.date.fromisoformat(date.iso)
    monday = day - dt.timedelta(days=day.weekday())
    first = day.replace(day=1)
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)

    def week(start: dt.date) -> str:
        return f"{start.isoformat()}/{(start + dt.timedelta(days=6)).isoformat()}"

    table = {
        "今年": str(day.year),
        "去年": str(day.year - 1),
        "前年": str(day.year - 2),
        "明年": str(day.year + 1),
        "本月": f"{first:%Y-%m}",
        "上月": f"{prev_month:%Y-%m}",
        "下月": f"{next_month:%Y-%m}",
        "本周": week(monday),
        "上周": week(monday - dt.timedelta(days=7)),
        "下周": week(monday + dt.timedelta(days=7)),
        "今天": day.isoformat(),
        "当天": day.isoformat(),
        "当日": day.isoformat(),
        "昨天": (day - dt.timedelta(days=1)).isoformat(),
    }
    seen: dict[str, TimeRef] = {}
    for m in _RELATIVE.finditer(body):
        seen.setdefault(m.group(0), TimeRef(m.group(0), table[m.group(0)]))
    return tuple(seen.values())
