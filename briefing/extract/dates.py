"""The report's date, with the rules that produced it.

The date is decided by one ordered decision list, `DATE_DECISIONS`, walked by one loop (`walk_date`):
the list's order is the cascade, and `brief explain --rules FILE` prints it with what fired. Each
entry is a rule of catalog.py (its id, reason, wording and examples). The list has four parts:
1. day sources, first that reads a day wins: a day alone after a dated dateline (本网拉萨5月19日讯
   …18日) or after a reported day (据…2月27日报道，26日); vetoes when the opening says 近日/日前
   before its day, or the day is when a reporter was told (获悉); the meeting's month and day in
   the opening (8月26日; the one whose sentence holds the meeting when a period of other work comes
   first), at the meeting clause further down, at the start of a later paragraph, a day whose 月
   was lost (815日), or else the dateline's own day;
2. a full date (2021年8月26日) in the opening: the event date, stated (not when the day came from a
   dateline: a full date further on is another event);
3. the year of the day read: the meeting's own name (召开2022年…培训会), else the publication line,
   the page's publication metadata, an e-paper's issue or a stamp in the text, else a year under
   review (2020年度…验收会), else a year the text speaks of (a year whose results are reported
   means the meeting is after it; vetoed when words the text cannot predate contradict it,
   YEAR_FLOORS), else the latest year not after collection (marked low confidence);
4. without a day: a day alone in the opening (12日，…召开) or 昨天/今天, counted from the
   publication stamp; no date when the opening says 近日 or reports a meeting without its day; the
   publication stamp alone for an article that reports no meeting; otherwise unknown.
Never today's year silently: the rule names where every part came from, and `year_basis` says
whether the page gives the year (stated), the text suggests it (context) or only the collection
date does (collection: shown to readers without a year).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

from ..models import PageMeta, ReportDate, TimeRef
from ..text import HAN, LOST_MARK
from .catalog import message, short
from .doc import OPENING_CHARS, Doc
from .rules import pattern

__all__ = [
    "DATE_DECISIONS",
    "DAY_FROM_TEXT",
    "EARLIEST_COLLECTION",
    "OPENING_CHARS",
    "day_from_text",
    "parse_published",
    "resolve_date",
    "resolve_relative",
    "walk_date",
]

# --- vocabulary ----------------------------------------------------------------------------------

_FULL = pattern(
    "date.words.full",
    r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]",
    matches=("2021年8月26日", "2021 年 8 月 26 号"),
    not_matches=("8月26日", "21年8月26日"),
)
# "…参加会议 2020年07月01日" at a line's end, "2021年09月28日16:32 |": a page's stamp, not an event.
_STAMP_AFTER = pattern(
    "date.words.stamp_after",
    r"\s*(?:\d{1,2}:\d{2}|[|｜]|$)",
    matches=("16:32", " |", "", "\n县委"),
    not_matches=("，县委召开",),
    how="match",
    flags=re.MULTILINE,
)
# 8月26日, 3月8号, and the first day of a range written once: 7月15至16日; 元月8日 is January, and
# 11月10上午 a day whose 日 the writer left out before the time of day.
_MONTH_DAY = pattern(
    "date.words.month_day",
    r"(?<![\d年])(\d{1,2}|(?<![^\W\d_])元)\s*月\s*(\d{1,2})\s*"
    r"(?:日|号|(?=[至到—~\-、]\s*\d{1,2}\s*[日号])|(?=上午|下午|晚上|凌晨))",
    matches=("8月26日", "3月8号", "7月15至16日", "9 月20日", "元月8日下午", "11月10上午", "1月15、16日两天"),
    not_matches=("2021年8月26日", "8月份", "7月15", "纪元月8日", "11月10万元"),
)
# A day alone right after a dated dateline: 本网拉萨5月19日讯（…）18日，区党委…
_BARE_DAY = pattern(
    "date.words.bare_day",
    r"(?:^|(?<=[，。,；\s]))(\d{1,2})\s*日",  # a lookbehind: found at a paragraph's start too
    matches=("18日，区党委", "讯 18日上午"),
    not_matches=("5月18日",),
)
BARE_DAY_CHARS = 40  # the bare day follows the dateline within its first sentence or two
_DATELINE_DAY = pattern("date.words.dateline_day", r"(\d{1,2})月(\d{1,2})日", matches=("5月19日",), how="match")
# A meeting named with its own year happens in that year: 召开2022年防返贫监测…培训会.
_NAMED_YEAR = pattern(
    "date.words.named_year",
    # 召开2018脱贫攻坚推进会: the 年 may be left out when the name's words follow the digits
    rf"(?:召开|举行|举办)了?[^，。；]{{0,16}}?((?:19|20)\d{{2}})\s*(?:年(度?)|(?=[{HAN}])(?![年月日至到]))"
    r"([^，。；]{0,40}?)(?:会议|大会|会|活动|培训班)",
    matches=("召开2022年防返贫监测培训会", "举办了全县2021年度工作会议", "召开2018脱贫攻坚推进会"),
    not_matches=("召开防返贫监测培训会，2022年",),
)
_NAMED_LATER_YEAR = pattern(
    "date.words.named_later_year",
    r"暨\s*((?:19|20)\d{2})\s*年",
    matches=("帮扶工作总结会暨2020年第一次联席",),
    not_matches=("帮扶工作总结会暨第一次联席",),
)
# 我县2019年社会扶贫座谈会在…召开: the name stands before the verb.
_NAMED_YEAR_FIRST = pattern(
    "date.words.named_year_first",
    r"((?:19|20)\d{2})\s*年(度?)([^，。；]{0,30}?)(?:会议|大会|会|培训班|论坛)(?:在[^，。；]{0,24}?)?"
    r"(?:召开|举行|举办|开班|开幕|启动)",
    matches=("2019年社会扶贫座谈会在县委召开", "2023年培训班开班"),
    not_matches=("2019年社会扶贫工作成效明显",),
)
# 召开2020年度示范村验收会: a year's review, held after that year is over. Not a named year.
_REVIEW = pattern(
    "date.words.review",
    r"验收|考核|考评|总结|述职|评议|表彰|评估",
    matches=("示范村验收", "述职评议"),
    not_matches=("推进",),
)
# "近日/日前": the text does not say the day; a publication stamp is not the meeting's date.
_UNDATED_EVENT = pattern(
    "date.words.undated",
    r"近日|(?<![\d号])日前|近期|前不久",  # not 5月24日前 (before a day)
    matches=("近日，县委召开", "日前，", "近期", "前不久"),
    not_matches=("5月24日前完成", "24号前"),
)
# 4月19日开始，由市扶贫办领导分别带队…赴各县督导: a sentence that opens on its first day and sends people
# out is a tour starting that day, the report's event, not a period bounding other work.
_TOUR_START = pattern(
    "date.words.tour_start",
    r"(?:开始|起)[，,]?[^。；]{0,40}?(?:带队|分赴|赴|深入|前往)",
    matches=("开始,由市扶贫办领导班子成员分别带队", "起，督导组分赴各乡镇"),
    not_matches=("起，严格落实贫困人口住院合规费用政策", "开始实施"),
    how="match",
)
_PARAGRAPH_DAY = pattern(
    "date.words.paragraph_day",
    r"(?<=\n)(?:\d{1,2}|元)\s*月\s*\d{1,2}\s*日\s*(?:(?:上午|下午|晚上)?\s*[，,]|" + _TOUR_START.regex.pattern + ")",
    matches=("背景。\n8月3日，校党委副书记", "\n8月3日上午，", "精神。\n4月19日开始，由市扶贫办领导分别带队"),
    not_matches=("8月3日，", "\n8月3日召开", "\n6月1日起，严格落实住院报销政策"),
)
# "西藏自治区12日在拉萨市召开…": the day alone as the first sentence's adverbial of time.
_ADVERBIAL_DAY = pattern(
    "date.words.adverbial_day",
    r"(?<![\d月])(\d{1,2})日(?=\s*(?:上午|下午|晚上|晚)?\s*(?:在|召开|举行|举办))",
    matches=("西藏自治区12日在拉萨市召开", "12日上午召开"),
    not_matches=("5月12日在拉萨", "12日，"),
)
_LOST_MONTH_DAY = pattern(
    "date.words.lost_month_day",
    r"(?:^|(?<=[，。,；\s]))(\d{3,4})日(?=\s*(?:上午|下午|晚上)?\s*[，,])"
    # 1219,涿州市召开…: both 月 and 日 lost, at a paragraph's start, before the meeting's clause
    r"|(?:^|(?<=\n))(\d{3,4})(?=[，,][^，。]{0,30}(?:召开|举行|举办))",
    matches=("1025日，县委召开", "815日上午，调研组", "1219,涿州市召开"),
    not_matches=("25日，县委召开", "共1219户，"),
)
_MARKED_MONTH_DAY = pattern(
    "date.words.marked_month_day",
    rf"(?<![\d年])(\d{{1,2}}){LOST_MARK}(\d{{1,2}})(?=日|\s*[-—至到~]\s*\d{{1,2}}日)",
    matches=(f"11{LOST_MARK}4-5日两天", f"5{LOST_MARK}20日，县委召开"),
    not_matches=(f"2019{LOST_MARK}10月", "11月4日"),
)
_RELATIVE_DAY = pattern(
    "date.words.relative_day",
    r"\s*(昨天|昨日|前天|今天|今日)(?:上午|下午|晚上|晚)?\s*[，,（(]",
    matches=("昨天，西来镇举办", "今日上午，"),
    not_matches=("昨天的会议",),
    how="match",
)
_RELATIVE_DAYS = {"昨天": 1, "昨日": 1, "前天": 2, "今天": 0, "今日": 0}
# 为贯彻落实4月17日地区…召开的…会议精神: a date the report's meeting studies, written after these words
_STUDIED_BEFORE = pattern(
    "date.words.studied_before",
    r"(?:贯彻|落实|传达|学习|领会)(?:落实|贯彻|学习)?$",
    matches=("为贯彻落实", "传达学习", "认真落实"),
    not_matches=("于", "，县委召开"),
)
# 29日下午，海口召开…: the body opens on a day alone, its month the publication's (date.day_in_stamp_month)
_OPENING_BARE_DAY = pattern(
    "date.words.opening_bare_day",
    r"\s*(\d{1,2})日(?:上午|下午|晚上|晚)?[，,][^。！？]{0,40}?(?:召开|举行|举办)",
    matches=("29日下午，海口召开2017年农村工作推进会", "18日，区党委召开常委会议"),
    not_matches=("2017年8月29日，海口召开", "29日前完成"),
    how="match",
)
# 东西部扶贫协作考核迎检工作座谈会3月3日召开: the headline gives the meeting's day
_HEADLINE_DAY = pattern(
    "date.words.headline_day",
    r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:上午|下午|晚上)?[^，。]{0,6}?(?:召开|举行|举办|开幕|启动)",
    matches=("座谈会3月3日召开", "推进会5月6日上午在县委召开"),
    not_matches=("2021年3月3日召开", "3月3日前完成"),
)
# 昨天凌晨…, 前天起，…, 前天傍晚6点多: a day counted back from the dateline, at a clause's start
_DAY_BEFORE_DATELINE = pattern(
    "date.words.day_before_dateline",
    r"(?:^|(?<=[，,。；\n\s]))(昨天|昨日|前天|今天|今日)(?=上午|下午|晚上|晚|凌晨|傍晚|早上|中午|起|\s*[，,（(]|\d)",
    matches=("昨天凌晨零点过", "。前天起，潼南启动", "前天傍晚6点多"),
    not_matches=("昨天的会议", "直到昨天才"),
)
_PERIOD_BEFORE = pattern("date.words.period_before", r"(?:从|自|截至|截止到?)$", matches=("从", "截止到"))
# 1月30日前召开评议会 is a deadline (a meeting still to come); 5日后召开 may be the meeting itself
_PERIOD_AFTER = pattern(
    "date.words.period_after",
    r"(?:之前|以前|前)|(?:起|开始|以来|以后|后)(?![^，。]{0,3}(?:召开|举行))",
    matches=("起，", "以来，", "开始", "前召开评议会"),
    not_matches=("后召开",),
    how="match",
)
_REPORTED_ON = pattern(
    "date.words.reported_on",
    r"(\d{1,2})月(\d{1,2})日(?:报道|讯|电|消息)[，,]\s*(\d{1,2})日",
    matches=("据《黑龙江日报》2月27日报道，26日下午",),
    not_matches=("2月27日，",),
)
_LEARNED = pattern(
    "date.words.learned",
    r"[^。]{0,30}?(?:获悉|了解到|得知)",
    matches=("，记者从区委宣传部获悉", "，从县乡村振兴局了解到"),
    not_matches=("，县委召开会议。获悉",),
    how="match",
)
_HELD_AFTER = pattern(
    "date.words.held_after",
    r"[^。！？]{0,40}?(?:召开|举行|举办)",
    matches=("上午，反馈会在合肥召开", "，全县举行"),
    not_matches=("，督查组开展督查。召开",),
    how="match",
)
_HELD_MEETING = pattern(
    "date.words.held_meeting",
    r"召开|举行|举办|参加[^。]{0,60}?会",
    matches=("县委召开会议", "参加市农委组织的座谈会"),
    not_matches=("仲冬时节，村里一片繁忙",),
)
_DOTTED = pattern(
    "date.words.dotted", r"(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})", matches=("28.11.2017",), not_matches=("2017-11-28",)
)
_NUMERIC = pattern(
    "date.words.numeric",
    r"((?:19|20)\d{2})\s*[-/.年]?\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})",
    matches=("2022 02/13 16:09", "2021-09-28", "2021年9月28日"),
    not_matches=("28.11.17",),
)
_YEAR = pattern(
    "date.words.year",
    r"(?<!\d)((?:19|20)\d{2})(?:\s*[-—–~至到]\s*((?:19|20)\d{2}))?\s*年(.?)",
    matches=("2015年底", "2019-2021年的", "2021年，"),
    not_matches=("12020年", "2021 届"),
)
# A year followed by these is spoken of as finished: 2015年底, 2020年的, 2021年，全县…, 2021年度.
_FINISHED_AFTER = set("底末的度，,全")
_FINISHED_BEFORE = ("到", "至", "截至", "提升到", "截止")
# 《…五年行动方案（2021-2025年）》, 县域乡村振兴规划（2018-2022年）: the span a plan governs, which says
# nothing of when the report is (a plan is written at its start and cited until its end).
_PLAN_PERIOD = pattern(
    "date.words.plan_period",
    r"(?:[（(《]|(?:规划|方案|计划|纲要)[（(]?)(?:19|20)\d{2}\s*[-—–~至到]\s*(?:19|20)\d{2}\s*年",
    matches=("五年行动方案(2021-2025年", "乡村振兴规划（2018-2022年", "《2021—2025年"),
    not_matches=("，2016—2017年帮扶资金", "2019-2021年的"),
)
_SINCE = pattern("date.words.since", r"((?:19|20)\d{2})年以来", matches=("2017年以来",), not_matches=("2017年底",))
# 安排部署2021年…工作: a year being planned is the year of the meeting (or the next).
_PLANNED_BEFORE = ("部署", "安排", "谋划", "规划", "启动", "做好", "推进")
# 2018年，全镇要完成488户脱贫任务 / 《2018年度绩效考核办法》 / 2018年全县将…: the year's work still
# ahead (a plan, a target, a document that governs the year), so the year is not over.
_YEAR_AHEAD = pattern(
    "date.words.year_ahead",
    r"[^。；;！？]{0,24}?(?:要(?!求)|将|计划|力争|预计|确保|目标|办法|方案|要点|细则|实施意见)",
    matches=("，赵湾战区要完成5个村的脱贫任务", "度镇（场）振兴发展工作绩效考核办法》", "全县将实现脱贫"),
    not_matches=("底，全县贫困发生率降至0.5%", "的脱贫攻坚成效考核中获评好等次"),
    how="match",
)
# 按照区委、区政府2019年度扶贫协作工作机制要求，…: the year's framework the work is done under, so the
# year is under way, not over
_UNDER_FRAMEWORK = pattern(
    "date.words.under_framework",
    r"(?:^|[，。；\n])\s*(?:【[^】]*】)?\s*(?:按照|根据|依据|对照|落实)[^，。；\n]*$",
    matches=("。按照北京市房山区委、区政府", "【某某讯 记者某某】按照区委"),
    not_matches=("。2019年度全县", "，按照要求完成了，"),
)
# "今年是中国共产党成立100周年": anniversaries and well-known years name the year of the report.
_ANNIVERSARIES = {"中国共产党成立": 1921, "建党": 1921, "新中国成立": 1949}
_ANNIVERSARY = pattern(
    "date.words.anniversary",
    r"(中国共产党成立|建党|新中国成立)(\d{2,3})\s*周年",
    matches=("庆祝中国共产党成立100周年", "新中国成立70周年"),
    not_matches=("建党精神",),
)
_YEAR_PHRASES = {"建党百年": 2021, "脱贫攻坚收官之年": 2020}
# Five-year plans name their years: 十三五 is 2016–2020, 十四五 2021–2025, 十五五 2026–2030.
# "今年是“十四五”规划收官之年" -> 2025; "明年是“十五五”开局之年" -> the report's year is 2025.
_PLAN_YEAR = pattern(
    "date.words.plan_year",
    r"(今年|明年|去年)?是?[“\"]?十([一二三四五六七八九])五[”\"]?(?:规划)?(开局|收官|起步|决胜)之年",
    matches=("今年是“十四五”规划收官之年", "明年是“十五五”开局之年", "十四五开局之年"),
    not_matches=("十四五规划",),
)
_PLAN_NUMBERS = {"一": 11, "二": 12, "三": 13, "四": 14, "五": 15, "六": 16, "七": 17, "八": 18, "九": 19}
_PLAN_OFFSETS = {"开局": 0, "起步": 0, "收官": 4, "决胜": 4}
_SPOKEN_FROM = {"明年": -1, "去年": 1}
_QUOTED = pattern("date.words.quoted", r"“[^”]+”", matches=("文中“十四五”",), not_matches=("全文无年份",))

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

# A review of a year's work (2019年度…考核座谈会) is held at that year's end or in the year after:
# without a publication stamp, from October on it is the same year, earlier the next.
REVIEW_FROM_MONTH = 10

# A modification time before this is no collection time: a file unpacked from an archive that kept
# no times (zip's 1980, tar's 0 = 1970-01-01) was not collected then, and brief reads reports of
# the 2010s on. Such a time vetoes no date ("after the collection date") and bounds no year: the
# run's own day takes its place (the file exists now, so its report is not later), and the rule
# says the modification time is no collection date.
EARLIEST_COLLECTION = dt.date(2000, 1, 1)


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_before(month: int, year: int = 0) -> tuple[int, int]:
    """The month before (and its year): a day after the stamp's or dateline's day is in it."""
    return (12, year - 1) if month == 1 else (month - 1, year)


# --- the publication date -----------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """The page's publication date, the words that say it, and the id of the rule that read it."""

    date: dt.date
    label: str
    rule_id: str


def _read_stamp(raw: str) -> dt.date | None:
    if m := _NUMERIC.search(raw):
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _DOTTED.search(raw):  # 28.11.2017: day first, as aggregators print it
        return _valid(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


def read_published(meta: PageMeta, html_date: str | None) -> tuple[Published | None, tuple[str, ...]]:
    """The page's publication date from its publication line or HTML metadata, else an e-paper's
    issue date; with the ids of the vetoes that set a stamp aside on the way."""
    vetoes: list[str] = []
    for rule_id, raw in (("date.published.line", meta.published), ("date.published.html_meta", html_date)):
        date = _read_stamp(raw) if raw else None
        if raw is None or date is None:
            continue
        # 1 January is what a CMS shows when it has no date (2019-01-01 00:00): a placeholder
        # must not outweigh the body, so it is not a publication date.
        if (date.month, date.day) == (1, 1):
            vetoes.append("date.veto.new_year_placeholder")
            continue
        return Published(date, message(rule_id, raw=raw), rule_id), tuple(vetoes)
    # A site's clock is not the article's date; an e-paper's date header is its issue's.
    issue = _NUMERIC.search(meta.page_dates[0]) if meta.epaper and meta.page_dates else None
    if issue and (date := _valid(int(issue.group(1)), int(issue.group(2)), int(issue.group(3)))):
        return Published(date, message("date.published.epaper", raw=meta.page_dates[0]), "date.published.epaper"), ()
    return None, tuple(vetoes)


def parse_published(meta: PageMeta, html_date: str | None) -> tuple[dt.date, str] | None:
    """The page's publication date and the words that say it (see read_published)."""
    found, _vetoes = read_published(meta, html_date)
    return (found.date, found.label) if found else None


def collection_bound(collected: dt.datetime) -> tuple[dt.date, str, str, str]:
    """The latest day the report can be of, as the rule names it in full and in short, and the id
    of the rule that set it."""
    day = collected.date()
    if day >= EARLIEST_COLLECTION:
        return (
            day,
            message("date.bound.collection", day=day.isoformat()),
            short("date.bound.collection"),
            ("date.bound.collection"),
        )
    today = dt.date.today()
    words = message("date.bound.today", today=today.isoformat(), day=day.isoformat())
    return today, words, short("date.bound.today"), "date.bound.today"


# --- the year a text speaks of ------------------------------------------------------------------


@dataclass(frozen=True)
class YearHint:
    """A year the text suggests, the words that say why, and the id of the rule that read it."""

    year: int
    why: str
    rule_id: str


def _year_hints(text: str, not_after: int) -> list[YearHint]:
    """Every year the text speaks of, as the year the report can be in (none after `not_after`),
    in the order they are weighed: written years, anniversaries, five-year plans, phrases."""
    hints = [hint for m in _YEAR.finditer(text) if (hint := _year_hint(text, m, not_after)) is not None]
    for m in _ANNIVERSARY.finditer(text):
        year = _ANNIVERSARIES[m.group(1)] + int(m.group(2))
        words = message("date.infer.anniversary", words=m.group(0), year=year)
        hints.append(YearHint(year, words, "date.infer.anniversary"))
    for m in _PLAN_YEAR.finditer(text):
        if not m.group(1) and _PLAN_OFFSETS[m.group(3)]:
            continue  # "为十四五收官之年打基础" looks ahead; only 今年是…收官之年 names the year
        first = 2016 + 5 * (_PLAN_NUMBERS[m.group(2)] - 13)
        year = first + _PLAN_OFFSETS[m.group(3)] + _SPOKEN_FROM.get(m.group(1) or "", 0)
        hints.append(
            YearHint(year, message("date.infer.plan_year", words=m.group(0), year=year), "date.infer.plan_year")
        )
    for phrase, year in _YEAR_PHRASES.items():
        if phrase in text:
            hints.append(YearHint(year, message("date.infer.phrase", words=phrase, year=year), "date.infer.phrase"))
    return [hint for hint in hints if hint.year <= not_after]


def _year_hint(text: str, m: re.Match[str], not_after: int) -> YearHint | None:
    """One written year (2015年底, 2019—2021年, 今年是2019年) as the year the report can be in."""
    start_year, end_year, after = int(m.group(1)), m.group(2), m.group(3)
    year = int(end_year) if end_year else start_year
    if end_year and _PLAN_PERIOD.regex.search(text, max(0, m.start() - 3), m.end()):
        return None
    if year > not_after:
        return None
    before = text[max(0, m.start() - 3) : m.start()]
    said = text[m.start() : m.end(3) - len(after)]
    if before.endswith(("这是", "今年是")) and not end_year:
        # 这是2019年，… / 今年是2019年: the year spoken of as the present one.
        return YearHint(year, message("date.infer.present_year", said=said), "date.infer.present_year")
    if after.isdigit():
        # 截至2021年2月底: a point inside that year, which is not over.
        finished = False
    else:
        planned = (
            text[max(0, m.start() - 4) : m.start()].endswith(_PLANNED_BEFORE)
            or bool(_YEAR_AHEAD.regex.match(text, m.end(3) - len(after)))
            or bool(_UNDER_FRAMEWORK.regex.search(text[max(0, m.start() - 40) : m.start()]))
        )
        finished = not planned and (bool(end_year) or after in _FINISHED_AFTER or before.endswith(_FINISHED_BEFORE))
    if finished:
        # a year whose results are reported is over: the meeting is in the year after (or now)
        words = message("date.infer.finished_year", said=said)
        return YearHint(min(year + 1, not_after), words, "date.infer.finished_year")
    if text[m.end() - len(after) :].startswith("以来"):
        return None  # 2017年以来 only says "not before 2017"
    return YearHint(year, message("date.infer.latest_year", said=said), "date.infer.latest_year")


def infer_year_hint(text: str, not_after: int) -> YearHint | None:
    """The latest year the report can be in, judging by the years it mentions (of several that
    say the same year, the first weighed)."""
    best: YearHint | None = None
    for hint in _year_hints(text, not_after):
        if best is None or hint.year > best.year:
            best = hint
    return best


def infer_year_from_text(text: str, not_after: int) -> tuple[int, str] | None:
    """The latest year the report can be in and why, judging by the years it mentions."""
    hint = infer_year_hint(text, not_after)
    return (hint.year, hint.why) if hint else None


def contradicting_floor(text: str, year: int) -> tuple[int, str] | None:
    """The latest floor of YEAR_FLOORS the text passes that `year` falls before, with its words."""
    floors = [(floor, words) for words, floor in YEAR_FLOORS.items() if floor > year and words in text]
    return max(floors) if floors else None


# --- one walk down the decision list -------------------------------------------------------------


@dataclass(frozen=True)
class DayRead:
    """The meeting's month and day, the text that says it, and the rule that read it."""

    month_day: tuple[int, int]
    evidence: str
    rule_id: str


@dataclass(frozen=True)
class Veto:
    """A rule that fired and ends its part of the list: no day is read after a day source's veto;
    after the year floor's, the inferred year is not taken."""

    rule_id: str


# What a decision answers: a day read (day sources), a veto, a ReportDate (the answer, which may be
# "no date, for this reason"), or None (it does not apply).
Outcome = DayRead | Veto | ReportDate | None


@dataclass
class DateWalk:
    """What the decision list has learned so far about one report (one walk; never shared)."""

    doc: Doc
    collected: dt.datetime
    fired: list[str] = field(default_factory=list)  # ids that took part, in order
    statuses: dict[str, str] = field(default_factory=dict)  # id -> read / vetoed / decided / no
    day: DayRead | None = None
    day_closed: bool = False  # a veto ended the search for a day
    floor: tuple[int, str] | None = None  # the floor that vetoed the inferred year

    def __post_init__(self) -> None:
        self.bound, self.bound_words, self.bound_short, self.bound_rule = collection_bound(self.collected)

    def fire(self, rule_id: str) -> None:
        if rule_id not in self.fired:
            self.fired.append(rule_id)

    @property
    def opening(self) -> str:
        return self.doc.opening

    @cached_property
    def dateline(self) -> re.Match[str] | None:
        return _DATELINE_DAY.match(self.doc.meta.dateline) if self.doc.meta.dateline else None

    @cached_property
    def vague(self) -> re.Match[str] | None:
        return _UNDATED_EVENT.search(self.opening)

    @cached_property
    def full_dates(self) -> tuple[list[re.Match[str]], list[re.Match[str]]]:
        """The full dates of the opening: (stamps at a line's end, the others)."""
        found = list(_FULL.finditer(self.opening))
        stamps = [m for m in found if _STAMP_AFTER.match(self.opening, m.end())]
        return stamps, [m for m in found if not _STAMP_AFTER.match(self.opening, m.end())]

    @cached_property
    def opening_day(self) -> re.Match[str] | None:
        """The opening's month and day: the one whose sentence holds the meeting, when a period of
        other work comes first (7月19日至24日，督查组开展督查。7月24日上午，反馈会在合肥召开)."""
        # 从1月5日开始, 自3月1日起, 截至6月30日: the bound of a period, not the day of an event.
        if _OPENING_BARE_DAY.regex.match(self.doc.body) and not self.dateline:
            return None  # 29日下午，海口召开…: the body's own day, in the publication's month (read later)
        dates = [m for m in _MONTH_DAY.finditer(self.opening) if not _period_bound(self.opening, m)]
        # 为贯彻落实4月17日地区…召开的会议精神，于4月18日上午召开…: the earlier meeting studied
        dates = [m for m in dates if not _STUDIED_BEFORE.search(self.opening[max(0, m.start() - 12) : m.start()])]
        held = [m for m in dates if _HELD_AFTER.match(self.opening, m.end())]
        if held and not _HELD_AFTER.match(self.opening, dates[0].end()):
            return held[0]
        return dates[0] if dates else None

    @cached_property
    def _stamped(self) -> tuple[Published | None, tuple[str, ...]]:
        """The publication date before the future veto: the page's, else a stamp in the opening."""
        published, vetoes = read_published(self.doc.meta, self.doc.html_date)
        stamps = self.full_dates[0]
        if published is None and stamps and (stamped := _valid(*(int(g) for g in stamps[0].groups()))):
            words = message("date.published.body_stamp", raw=stamps[0].group(0))
            published = Published(stamped, words, "date.published.body_stamp")
        return published, vetoes

    def publication(self) -> Published | None:
        """The publication date, for a rule that wants one. A stamp in the future is a placeholder
        (one after the collection date alone only says the file's modification time is off, as it
        is after unpacking an archive). The vetoes consulted are recorded as taking part."""
        published, vetoes = self._stamped
        for veto in vetoes:
            self.fire(veto)
        if published and published.date > max(self.bound, dt.date.today()):
            self.fire("date.veto.future_stamp")
            return None
        return published

    @cached_property
    def named(self) -> tuple[int | None, bool]:
        """The year in the name of the meeting held on the day found, and whether it reviews that
        year (召开2020年度示范村验收会), which does not date it by itself."""
        assert self.day is not None
        at = self.doc.body.find(self.day.evidence)
        sentence = self.doc.sentence_rest(at) if at >= 0 else ""
        # 2020年海北州…推进会召开 over a body that names the meeting without its year: the headline's name
        m = (
            _NAMED_YEAR.search(sentence)
            or _NAMED_YEAR_FIRST.search(sentence)
            or _NAMED_YEAR_FIRST.search(self.doc.headline)
            or _NAMED_YEAR.search(self.doc.headline)
        )
        if m is None:
            return None, False
        # 2019年脱贫攻坚帮扶工作总结会暨2020年第一次联席会: a later year in the same name is the meeting's
        later = _NAMED_LATER_YEAR.search(m.group(3))
        if later and int(later.group(1)) > int(m.group(1)):
            return int(later.group(1)), False
        return int(m.group(1)), bool(m.group(2) and _REVIEW.search(m.group(3)))

    @cached_property
    def inferred(self) -> YearHint | None:
        return infer_year_hint(self.doc.body, self.bound.year)

    def make(
        self,
        rule_id: str,
        date: dt.date,
        words: str,
        confidence: str,
        evidence: str | None,
        basis: str,
        year_evidence: str | None = None,
    ) -> ReportDate:
        return ReportDate(
            iso=date.isoformat(),
            year=date.year,
            month=date.month,
            day=date.day,
            rule=words,
            confidence=confidence,
            evidence=evidence,
            year_basis=basis,
            year_evidence=year_evidence,
            rule_id=rule_id,
        )


def _period_bound(text: str, m: re.Match[str]) -> bool:
    if _PERIOD_BEFORE.search(text, max(0, m.start() - 3), m.start()):
        return True
    opens_sentence = m.start() == 0 or text[m.start() - 1] in "\n。"
    return bool(_PERIOD_AFTER.match(text, m.end())) and not (opens_sentence and _TOUR_START.match(text, m.end()))


def _bare_day_after_dateline(doc: Doc) -> re.Match[str] | None:
    """A day alone at the start of the paragraph the dateline opened. A subtitle may stand
    before that paragraph, so each of the opening paragraphs is tried, not only the first."""
    for start in doc.paragraph_starts(OPENING_CHARS):
        if bare := _BARE_DAY.search(doc.body, start, start + BARE_DAY_CHARS):
            return bare
    return None


def _day_words(walk: DateWalk) -> str:
    assert walk.day is not None
    return message(walk.day.rule_id)


# --- 1. day sources -------------------------------------------------------------------------------


def _day_after_dateline(walk: DateWalk) -> Outcome:
    line = walk.dateline
    if not line or not (bare := _bare_day_after_dateline(walk.doc)):
        return None
    month, filed, day = int(line.group(1)), int(line.group(2)), int(bare.group(1))
    if day > filed:  # filed on the 2nd about the 30th: the month before
        month = _month_before(month)[0]
    return DayRead((month, day), f"{walk.doc.meta.dateline}讯…{bare.group(1)}日", "date.day.after_dateline")


def _day_before_dateline(walk: DateWalk) -> Outcome:
    """重庆晨报1月5日消息 昨天凌晨…前天起，…启动: the days the opening counts back from the dateline;
    the earliest is when the event began."""
    line = walk.dateline
    counted = list(_DAY_BEFORE_DATELINE.finditer(walk.opening)) if line else []
    earliest = max(counted, key=lambda m: _RELATIVE_DAYS[m.group(1)], default=None)
    if line is None or earliest is None or not _RELATIVE_DAYS[earliest.group(1)]:
        return None  # 今天 alone is the dateline's own day, which the dateline rule reads
    month_day = _days_before(line, _RELATIVE_DAYS[earliest.group(1)])
    evidence = f"{walk.doc.meta.dateline}…{earliest.group(1)}"
    return DayRead(month_day, evidence, "date.day.before_dateline") if month_day else None


def _days_before(line: re.Match[str], back: int) -> tuple[int, int] | None:
    """The dateline's month and day less `back` days. Into February (its length) or into the year
    before (its year) the count needs a year not known yet: None then."""
    month, filed = int(line.group(1)), int(line.group(2))
    if not (day := _valid(2001, month, filed)) or (month in (1, 3) and filed <= back):
        return None
    day -= dt.timedelta(days=back)
    return day.month, day.day


def _day_in_headline(walk: DateWalk) -> Outcome:
    """A body that names no day, under a headline that does (座谈会3月3日召开)."""
    return _checked(_HEADLINE_DAY.regex.search(walk.doc.headline), "date.day.headline")


def _day_of_meeting_counted_from_dateline(walk: DateWalk) -> Outcome:
    """本报8月2日讯 8月1日，定西市考察团来青…。今天上午，…联席会议在…召开: the opening's day is the
    visit's arrival; the meeting is the day the opening counts from the dateline (今天, 昨天)."""
    line, first, opening = walk.dateline, walk.opening_day, walk.opening
    if not line or first is None or _HELD_AFTER.match(opening, first.end()):
        return None
    for m in _DAY_BEFORE_DATELINE.finditer(opening, first.end()):
        if not _MEETING_HELD_IN_SENTENCE.match(opening, m.end()):
            continue
        month_day = _days_before(line, _RELATIVE_DAYS[m.group(1)])
        evidence = f"{walk.doc.meta.dateline}…{m.group(1)}"
        return DayRead(month_day, evidence, "date.day.dateline_meeting") if month_day else None
    return None


_MEETING_HELD_IN_SENTENCE = pattern(
    "date.words.meeting_held_in_sentence",
    r"[^。！？]{0,60}?(?:会议|大会|会|座谈)[^。！？]{0,30}?(?:召开|举行|举办)",
    matches=("上午，青岛·定西东西部协作联席会议在市级机关会议中心召开",),
    not_matches=("上午，考察团一行参观了产业园。随后召开座谈会",),
    how="match",
)


def _day_reported_on(walk: DateWalk) -> Outcome:
    reported = _REPORTED_ON.search(walk.opening)
    if not reported:
        return None
    month, filed, day = int(reported.group(1)), int(reported.group(2)), int(reported.group(3))
    if day > filed:
        month = _month_before(month)[0]
    return DayRead((month, day), reported.group(0), "date.day.reported_on") if _valid(2000, month, day) else None


def _veto_undated_first(walk: DateWalk) -> Outcome:
    found, vague = walk.opening_day, walk.vague
    if found and vague and vague.start() < found.start() and not _HELD_AFTER.match(walk.opening, found.end()):
        return Veto("date.veto.undated_first")
    return None


def _veto_reporter_told(walk: DateWalk) -> Outcome:
    found, vague = walk.opening_day, walk.vague
    if found and vague and _LEARNED.match(walk.opening, found.end()) and found.end() < vague.start():
        return Veto("date.veto.reporter_told")
    return None


def _checked(found: re.Match[str] | None, rule_id: str) -> Outcome:
    """A month and day read by `rule_id`; an impossible one (2月30日) ends the search for a day."""
    if found is None:
        return None
    month_day = (1 if found.group(1) == "元" else int(found.group(1)), int(found.group(2)))
    if not _valid(2000, *month_day):  # 2000 is a leap year: 2月29日 is a real day
        return Veto("date.veto.impossible_day")
    return DayRead(month_day, found.group(0), rule_id)


def _day_in_opening(walk: DateWalk) -> Outcome:
    return _checked(walk.opening_day, "date.day.opening")


def _day_at_meeting_clause(walk: DateWalk) -> Outcome:
    body = walk.doc.body
    # 1月30日前召开评议会: a deadline for a meeting still to come, not the day of this one (_period_bound)
    held = (m for m in _MONTH_DAY.finditer(body) if _HELD_AFTER.match(body, m.end()))
    found = next((m for m in held if not _period_bound(body, m)), None)
    return _checked(found, "date.day.meeting_clause")


def _day_at_paragraph_start(walk: DateWalk) -> Outcome:
    body = walk.doc.body
    found = next((m for m in _MONTH_DAY.finditer(body) if _PARAGRAPH_DAY.match(body, m.start())), None)
    return _checked(found, "date.day.paragraph_start")


def _day_lost_month(walk: DateWalk) -> Outcome:
    """Read only when the digits split into a month and a day one way (Chinese writes no leading
    zero: 105日 is 10月5日, while 115日 could be 1月15日 or 11月5日 and is left alone)."""
    if (marked := _MARKED_MONTH_DAY.regex.search(walk.opening)) and _valid(2000, *(int(g) for g in marked.groups())):
        # 11□4-5日两天: the lost character between the digits was the 月
        return DayRead((int(marked.group(1)), int(marked.group(2))), marked.group(0), "date.day.lost_month")
    m = _LOST_MONTH_DAY.search(walk.opening)
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
    return DayRead(splits[0], m.group(0).strip("，。,； \n"), "date.day.lost_month")


def _day_of_dateline(walk: DateWalk) -> Outcome:
    line = walk.dateline
    if line and not walk.vague and _valid(2000, int(line.group(1)), int(line.group(2))):
        return DayRead((int(line.group(1)), int(line.group(2))), f"{walk.doc.meta.dateline}讯", "date.day.dateline")
    return None


# --- 2. the full date -----------------------------------------------------------------------------


def _full_date(walk: DateWalk) -> Outcome:
    if walk.day and walk.day.rule_id in _DATELINE_DAYS:
        return None  # a day after a dated dateline is this story's day; a full date further on is another event
    fulls = walk.full_dates[1]
    # 为…，学校党委于2023年12月8日召开会议…\n2024年1月31日，校党委副书记率队…: background first;
    # a date that opens a paragraph is the report's own.
    opening = walk.opening
    full = next((m for m in fulls if m.start() == 0 or opening[m.start() - 1] == "\n"), fulls[0] if fulls else None)
    if full is None:
        return None
    date = _valid(int(full.group(1)), int(full.group(2)), int(full.group(3)))
    if date and date <= walk.bound:
        return walk.make("date.full_date", date, message("date.full_date"), "high", full.group(0), "stated")
    return None


_DATELINE_DAYS = (
    "date.day.after_dateline",
    "date.day.before_dateline",
    "date.day.reported_on",
    "date.day.dateline_meeting",
)


# --- 3. the year of the day read ------------------------------------------------------------------


def _year_of_meeting_name(walk: DateWalk) -> Outcome:
    assert walk.day is not None
    named, review = walk.named
    if named and not review and (date := _valid(named, *walk.day.month_day)) and date <= walk.bound:
        words = message("date.year.meeting_name", day=_day_words(walk), year=named)
        return walk.make("date.year.meeting_name", date, words, "high", walk.day.evidence, "stated")
    return None


def _year_of_publication(walk: DateWalk) -> Outcome:
    assert walk.day is not None
    published = walk.publication()
    if not published:
        return None
    year = published.date.year
    # A meeting reported in January may have taken place in December of the year before.
    if walk.day.month_day > (published.date.month, published.date.day):
        year -= 1
    if date := _valid(year, *walk.day.month_day):
        walk.fire(published.rule_id)
        words = message("date.year.published", day=_day_words(walk), published=published.label)
        return walk.make("date.year.published", date, words, "high", walk.day.evidence, "stated")
    return None


def _year_under_review(walk: DateWalk) -> Outcome:
    assert walk.day is not None
    named, review = walk.named
    if not (named and review):
        return None
    year = named if walk.day.month_day[0] >= REVIEW_FROM_MONTH else named + 1
    if (date := _valid(year, *walk.day.month_day)) and date <= walk.bound:
        words = message("date.year.review", day=_day_words(walk), year=named)
        return walk.make("date.year.review", date, words, "medium", walk.day.evidence, "context", f"“{named}年度”")
    return None


def _veto_year_floor(walk: DateWalk) -> Outcome:
    inferred = walk.inferred
    if inferred and (floor := contradicting_floor(walk.doc.body, inferred.year)):
        walk.floor = floor  # precision first: a weaker hint against what the text says of its time
        return Veto("date.veto.year_floor")
    return None


def _year_from_text(walk: DateWalk) -> Outcome:
    assert walk.day is not None
    inferred = None if walk.floor else walk.inferred
    if not inferred:
        return None
    date = _valid(inferred.year, *walk.day.month_day)
    if date and date <= walk.bound:
        walk.fire(inferred.rule_id)
        words = message("date.year.inferred", day=_day_words(walk), why=inferred.why)
        return walk.make(
            "date.year.inferred", date, words, "medium", walk.day.evidence, "context", _quoted(inferred.why)
        )
    return None


def _year_of_collection(walk: DateWalk) -> Outcome:
    """Always answers: the latest year not after collection, saying why no other year was taken."""
    assert walk.day is not None
    date = _latest_not_after(walk.day.month_day, walk.bound)
    fields: dict[str, object] = {"day": _day_words(walk), "bound": walk.bound_words, "short": walk.bound_short}
    inferred = None if walk.floor else walk.inferred
    since = _SINCE.search(walk.doc.body)
    if inferred:
        rule_id, fields["year"] = "date.year.collection_after_late_year", inferred.year
        walk.fire(inferred.rule_id)
    elif since:
        rule_id, fields["since"], fields["year"] = "date.year.collection_since", since.group(0), since.group(1)
    elif walk.floor:
        rule_id, fields["floor"], fields["words"] = "date.year.collection_after_floor", *walk.floor
    else:
        rule_id = "date.year.collection"
    walk.fire(walk.bound_rule)
    return walk.make(rule_id, date, message(rule_id, **fields), "low", walk.day.evidence, "collection")


# --- 4. without a day ------------------------------------------------------------------------------


def _day_in_stamp_month(walk: DateWalk) -> Outcome:
    doc = walk.doc
    bare = (
        _bare_day_after_dateline(doc)
        or _ADVERBIAL_DAY.search(doc.body, 0, doc.first_full_stop)
        or _OPENING_BARE_DAY.regex.match(doc.body)
    )
    published = walk.publication()
    if not (published and bare and not walk.vague):
        return None
    month, year = published.date.month, published.date.year
    if int(bare.group(1)) > published.date.day:
        month, year = _month_before(month, year)
    if date := _valid(year, month, int(bare.group(1))):
        walk.fire(published.rule_id)
        words = message("date.day_in_stamp_month", published=published.label)
        return walk.make("date.day_in_stamp_month", date, words, "medium", bare.group(0).strip("，。,； \n"), "stated")
    return None


def _relative_day(walk: DateWalk) -> Outcome:
    published = walk.publication()
    if not published or not (relative := _RELATIVE_DAY.match(walk.opening)):
        return None
    walk.fire(published.rule_id)
    date = published.date - dt.timedelta(days=_RELATIVE_DAYS[relative.group(1)])
    words = message("date.relative_day", word=relative.group(1), published=published.label)
    return walk.make("date.relative_day", date, words, "medium", relative.group(0), "stated")


def _undated_vague_published(walk: DateWalk) -> Outcome:
    published = walk.publication()
    if not published or not walk.vague:
        return None
    walk.fire(published.rule_id)
    words = message("date.undated.vague_published", vague=walk.vague.group(0), published=published.label)
    return replace(ReportDate.unknown(words), rule_id="date.undated.vague_published")


def _undated_meeting_published(walk: DateWalk) -> Outcome:
    published = walk.publication()
    if not published or not (held := _HELD_MEETING.search(walk.opening)):
        return None
    walk.fire(published.rule_id)
    words = message("date.undated.meeting_published", held=held.group(0)[:12], published=published.label)
    return replace(ReportDate.unknown(words), rule_id="date.undated.meeting_published")


def _published_only(walk: DateWalk) -> Outcome:
    published = walk.publication()
    if not published:
        return None
    walk.fire(published.rule_id)
    evidence = walk.doc.meta.published or walk.doc.html_date
    return walk.make(
        "date.published_only",
        published.date,
        message("date.published_only", published=published.label),
        "high",
        evidence,
        "stated",
    )


def _undated_vague(walk: DateWalk) -> Outcome:
    if not walk.vague:
        return None
    return replace(
        ReportDate.unknown(message("date.undated.vague", vague=walk.vague.group(0))), rule_id="date.undated.vague"
    )


def _unknown(walk: DateWalk) -> Outcome:
    return replace(ReportDate.unknown(message("date.unknown")), rule_id="date.unknown")


# --- the decision list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """One entry of the decision list: the rule's id, the part of the list it belongs to, and the
    step that answers for it."""

    rule_id: str
    part: str  # "day" | "full" | "year" | "dayless"
    step: Callable[[DateWalk], Outcome]


# The order is the cascade; each id's reason, wording and examples are in catalog.py.
DATE_DECISIONS: tuple[Decision, ...] = (
    Decision("date.day.after_dateline", "day", _day_after_dateline),
    Decision("date.day.before_dateline", "day", _day_before_dateline),
    Decision("date.day.reported_on", "day", _day_reported_on),
    Decision("date.day.dateline_meeting", "day", _day_of_meeting_counted_from_dateline),
    Decision("date.veto.undated_first", "day", _veto_undated_first),
    Decision("date.veto.reporter_told", "day", _veto_reporter_told),
    Decision("date.day.opening", "day", _day_in_opening),
    Decision("date.day.meeting_clause", "day", _day_at_meeting_clause),
    Decision("date.day.paragraph_start", "day", _day_at_paragraph_start),
    Decision("date.day.lost_month", "day", _day_lost_month),
    Decision("date.day.headline", "day", _day_in_headline),
    Decision("date.day.dateline", "day", _day_of_dateline),
    Decision("date.full_date", "full", _full_date),
    Decision("date.year.meeting_name", "year", _year_of_meeting_name),
    Decision("date.year.published", "year", _year_of_publication),
    Decision("date.year.review", "year", _year_under_review),
    Decision("date.veto.year_floor", "year", _veto_year_floor),
    Decision("date.year.inferred", "year", _year_from_text),
    Decision("date.year.collection", "year", _year_of_collection),
    Decision("date.day_in_stamp_month", "dayless", _day_in_stamp_month),
    Decision("date.relative_day", "dayless", _relative_day),
    Decision("date.undated.vague_published", "dayless", _undated_vague_published),
    Decision("date.undated.meeting_published", "dayless", _undated_meeting_published),
    Decision("date.published_only", "dayless", _published_only),
    Decision("date.undated.vague", "dayless", _undated_vague),
    Decision("date.unknown", "dayless", _unknown),
)


def _applies(decision: Decision, walk: DateWalk) -> bool:
    if decision.part == "day":
        return walk.day is None and not walk.day_closed
    if decision.part == "year":
        return walk.day is not None
    if decision.part == "dayless":
        return walk.day is None
    return True


def walk_date(doc: Doc, collected: dt.datetime) -> tuple[ReportDate, DateWalk]:
    """Walk DATE_DECISIONS in order; the first entry that answers with a date (or with no date,
    for a reason) decides. The walk records what each entry said (`statuses`) and the ids that
    took part (`fired`), which the date carries as `rule_ids`."""
    walk = DateWalk(doc, collected)
    for decision in DATE_DECISIONS:
        if not _applies(decision, walk):
            continue
        if decision.part == "year" and walk.day is not None:
            walk.fire(walk.day.rule_id)  # the year sources date the day read: its rule takes part
        outcome = decision.step(walk)
        if outcome is None:
            walk.statuses[decision.rule_id] = "no"
        elif isinstance(outcome, Veto):
            walk.statuses[decision.rule_id] = (
                "vetoed" if outcome.rule_id == decision.rule_id else f"vetoed: {outcome.rule_id}"
            )
            walk.fire(outcome.rule_id)
            walk.day_closed = walk.day_closed or decision.part == "day"
        elif isinstance(outcome, DayRead):
            walk.statuses[decision.rule_id] = "read"
            walk.day = outcome
        elif isinstance(outcome, ReportDate):
            assert outcome.rule_id is not None
            walk.statuses[decision.rule_id] = "decided"
            walk.fire(outcome.rule_id)
            return replace(outcome, rule_ids=tuple(walk.fired)), walk
    raise AssertionError("date.unknown always decides")  # the list ends with a rule that answers


# The rules that read the meeting's day from the text itself (not the dateline, not a stamp): what
# event matching asks of a date (events.stated_days, EventFacts), and the archive stores.
DAY_FROM_TEXT = frozenset(
    {
        "date.day.after_dateline",
        "date.day.before_dateline",
        "date.day.reported_on",
        "date.day.dateline_meeting",
        "date.day.opening",
        "date.day.meeting_clause",
        "date.day.headline",
        "date.day.paragraph_start",
        "date.day.lost_month",
        "date.full_date",
        "date.day_in_stamp_month",
        "date.relative_day",
    }
)


def day_from_text(date: ReportDate) -> bool:
    """Whether the date's day was read from the report's own text."""
    return date.iso is not None and bool(DAY_FROM_TEXT.intersection(date.rule_ids))


def resolve_date(
    body: str, meta: PageMeta, collected: dt.datetime, html_date: str | None = None, headline: str = ""
) -> ReportDate:
    """The meeting's date (see the module's rules), and the page's own publication date beside it.
    `headline` is the page's own headline, when it has one (a day in it dates a body without one)."""
    date, _walk = walk_date(Doc.parse(headline, body, meta, html_date), collected)
    published = parse_published(meta, html_date)
    if published and published[0] <= max(collected.date(), dt.date.today()):
        date = replace(date, published=published[0].isoformat())
    return date


def _latest_not_after(month_day: tuple[int, int], limit: dt.date) -> dt.date:
    """The latest date with this month and day not after `limit` (2月29日: the last leap year)."""
    year = limit.year if month_day <= (limit.month, limit.day) else limit.year - 1
    while (date := _valid(year, *month_day)) is None:
        year -= 1
    return date


def _quoted(why: str) -> str | None:
    """The words an inference rests on (文中“十四五”…): what the card shows after 据."""
    m = _QUOTED.search(why)
    return f"文中{m.group(0)}" if m else None


_RELATIVE = pattern(
    "date.words.relative",
    r"今年|去年|前年|明年|本月|上月|下月|本周|上周|下周|今天|昨天|当天|当日",
    matches=("今年以来", "上周五"),
    not_matches=("年底",),
)


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
    if {"date.relative_day", "date.day.before_dateline"} & set(date.rule_ids):
        # the day itself was counted back from the publication or the dateline: its 今天 and 昨天
        # are that day's, not the meeting's
        del table["今天"], table["昨天"]
    seen: dict[str, TimeRef] = {}
    for m in _RELATIVE.finditer(body):
        if m.group(0) in table:
            seen.setdefault(m.group(0), TimeRef(m.group(0), table[m.group(0)]))
    return tuple(seen.values())
