"""The rules of extract/, by id: reason, the wording a reader sees, and examples that run as tests.

Date rules are listed in the order of dates.DATE_DECISIONS, then the rules they consult (where the
publication date comes from, the collection bound, the year hints, the vetoes on a stamp). The
examples are invented texts of the real shape; tests/test_rules.py runs each one and checks the
answer and that the rule fired. Wording is Chinese and unchanged from the messages the cards and
the archive have always shown (templates filled by rules.message).
"""

from __future__ import annotations

import functools

from ..text import NO_DATE_FOUND
from .rules import Example, Rule

# The examples' collection day unless one says otherwise (Example.page["collected"]).
EXAMPLE_COLLECTED = "2024-12-31"

# Background that fills the opening (200 characters) without a date, so that a day further down is read.
_BACKGROUND = "为深入学习贯彻党的二十大精神，巩固拓展脱贫攻坚成果，全面推进乡村振兴，" * 6 + "\n"

_PUBLISHED_YEAR = "{day}，年份取自{published}"
_COLLECTION_TAIL = "推定为不晚于{short}的最近一年"

DATE_RULES: tuple[Rule, ...] = (
    # --- 1. day sources ---------------------------------------------------------------------------
    Rule(
        "date.day.after_dateline",
        "A day alone after a dated dateline is in the dateline's month (本网拉萨5月19日讯 18日，…).",
        (
            Example(
                "18日，区党委召开常委会议，研究部署防汛工作。",
                {"date": "2024-05-18", "rule": "正文日与电头月份，年份取自发布时间行“2024-05-19 10:00”"},
                {"dateline": "5月19日", "published": "2024-05-19 10:00"},
            ),
            Example(
                "30日，县委召开常委会议。", {"date": "2024-05-30"}, {"dateline": "6月2日", "published": "2024-06-02"}
            ),
        ),
        wording="正文日与电头月份",
    ),
    Rule(
        "date.day.reported_on",
        "A day alone after the day a paper reported it (据《黑龙江日报》2月27日报道，26日下午，…召开).",
        (
            Example(
                "据《黑龙江日报》2月27日报道，26日下午，全省乡村振兴工作会议在哈尔滨召开。",
                {"date": "2024-02-26"},
                {"published": "2024-02-28 08:00"},
            ),
        ),
        wording="正文日与电头月份",
    ),
    Rule(
        "date.veto.undated_first",
        "近日 before the opening's day: the report's own event has no day (近日，…增挂牌子。5月29日，…).",
        (
            Example(
                "近日，区农业农村委增挂区乡村振兴局牌子。5月29日，市乡村振兴局挂牌。",
                {"date": None},
                {"published": "2024-06-01 09:00"},
            ),
        ),
    ),
    Rule(
        "date.veto.reporter_told",
        "The opening's day is when a reporter was told (7月21日，记者从区委宣传部获悉，日前，…召开).",
        (Example("7月21日，记者从区委宣传部获悉，日前，该区召开乡村振兴工作推进会。", {"date": None}),),
    ),
    Rule(
        "date.veto.impossible_day",
        "A month and day no year has (2月30日，…) is no meeting day, and no other day is looked for.",
        (Example("2月30日，县委召开常委会议。", {"date": None, "rule": NO_DATE_FOUND}),),
    ),
    Rule(
        "date.day.opening",
        "The month and day in the opening; the one whose sentence holds the meeting when other work "
        "comes first (7月19日至24日，督查组开展督查。7月24日上午，反馈会在合肥召开).",
        (
            Example("8月26日，县委召开乡村振兴工作推进会。", {"date": "2024-08-26"}, {"published": "2024-08-27 10:00"}),
            Example(
                "7月19日至24日，督查组开展督查。7月24日上午，反馈会在合肥召开。",
                {"date": "2024-07-24", "rule": "正文月日，年份取自网页发布时间元数据“2024-07-25”"},
                {"html_date": "2024-07-25"},
            ),
        ),
        wording="正文月日",
    ),
    Rule(
        "date.day.meeting_clause",
        "Without a day in the opening, the day of the meeting's clause further down (…推进会于10月28日召开).",
        (
            Example(
                _BACKGROUND + "全县乡村振兴推进会于10月28日在县委召开。",
                {"date": "2024-10-28"},
                {"published": "2024-10-30"},
            ),
        ),
        wording="正文月日",
    ),
    Rule(
        "date.day.paragraph_start",
        "Without one, the day that opens a later paragraph (背景…\\n8月3日，校党委副书记带队…).",
        (
            Example(
                _BACKGROUND + "8月3日，校党委副书记带队赴帮扶村调研。",
                {"date": "2024-08-03"},
                {"published": "2024-08-05"},
            ),
        ),
        wording="正文月日",
    ),
    Rule(
        "date.day.lost_month",
        "A day whose 月 was lost, read when the digits split one way only (1025日，… is 10月25日).",
        (
            Example(
                "1025日，县委召开常委会议。",
                {"date": "2024-10-25", "rule": "正文月日（“月”字丢失），年份取自发布时间行“2024-10-26”"},
                {"published": "2024-10-26"},
            ),
        ),
        wording="正文月日（“月”字丢失）",
    ),
    Rule(
        "date.day.dateline",
        "A text that never says its day: a local outlet files the meeting that day (东北网虎林4月17日讯 …召开).",
        (
            Example(
                "宝东镇乡村振兴产业对接会在镇政府召开。",
                {"date": "2024-04-17", "rule": "电头日期（正文未写会议日），年份取自发布时间行“2024-04-17”"},
                {"dateline": "4月17日", "published": "2024-04-17"},
            ),
        ),
        wording="电头日期（正文未写会议日）",
    ),
    # --- 2. the full date -------------------------------------------------------------------------
    Rule(
        "date.full_date",
        "A full date in the opening, not a stamp at a line's end, is the event's (2021年8月26日，县委召开…).",
        (
            Example("2021年8月26日，县委召开常委会议。", {"date": "2021-08-26", "rule": "正文写明完整日期"}),
            Example(
                "为推进帮扶，学校党委于2023年12月8日召开会议。\n2024年1月31日，校党委副书记率队赴帮扶村。",
                {"date": "2024-01-31"},
            ),
        ),
        wording="正文写明完整日期",
    ),
    # --- 3. the year of the day read --------------------------------------------------------------
    Rule(
        "date.year.meeting_name",
        "A meeting named with its own year is held in that year (12月8日，…召开2022年防返贫监测培训会).",
        (
            Example(
                "12月8日，县里召开2022年防返贫监测帮扶培训会。",
                {"date": "2022-12-08", "rule": "正文月日，年份取自会议名称中的“2022年”"},
            ),
        ),
        wording="{day}，年份取自会议名称中的“{year}年”",
    ),
    Rule(
        "date.year.published",
        "The year of the publication stamp, the year before for a later month and day (12月30日 under 2025-01-03).",
        (
            Example(
                "12月30日，县委召开常委会议。",
                {"date": "2024-12-30", "rule": "正文月日，年份取自发布时间行“2025-01-03 08:00”"},
                {"published": "2025-01-03 08:00", "collected": "2025-01-05"},
            ),
        ),
        wording=_PUBLISHED_YEAR,
    ),
    Rule(
        "date.year.review",
        "A meeting reviewing a year's work is held at its end or in the next year (1月10日，召开2023年度…验收会).",
        (
            Example(
                "1月10日，县里召开2023年度示范村验收会。",
                {"date": "2024-01-10", "rule": "正文月日，会议评的是2023年度：年终或次年召开"},
            ),
        ),
        wording="{day}，会议评的是{year}年度：年终或次年召开",
    ),
    Rule(
        "date.veto.year_floor",
        "An inferred year before words the text cannot predate is no year (2015年的… beside 乡村振兴局).",
        (
            Example(
                "3月5日，县乡村振兴局召开会议，通报2015年的工作。",
                {
                    "date": "2024-03-05",
                    "rule": "正文月日，推断的年份与文中“乡村振兴局”（不早于2021年）矛盾，"
                    "按采集日期2024-12-31推定为不晚于采集日的最近一年",
                },
            ),
        ),
    ),
    Rule(
        "date.year.inferred",
        "The latest year the text speaks of (6月8日，…总结2023年脱贫攻坚工作: 2023).",
        (
            Example(
                "6月8日，县委召开会议，总结2023年脱贫攻坚工作。",
                {"date": "2023-06-08", "rule": "正文月日，年份推断：文中“2023年”是提到的最近年份"},
            ),
        ),
        wording="{day}，年份推断：{why}",
    ),
    Rule(
        "date.year.collection",
        "No year in the text: the latest year whose month and day is not after collection (8月26日, collected 2024).",
        (
            Example(
                "8月26日，县委召开常委会议。",
                {
                    "date": "2024-08-26",
                    "rule": "正文月日，全文无年份：按采集日期2024-12-31推定为不晚于采集日的最近一年",
                },
            ),
        ),
        wording="{day}，全文无年份：按{bound}" + _COLLECTION_TAIL,
    ),
    Rule(
        "date.year.collection_since",
        "2017年以来 only says not before 2017: the year comes from the collection day (…回顾2017年以来的工作).",
        (
            Example(
                "8月26日，县委召开会议，回顾2017年以来的工作。",
                {
                    "date": "2024-08-26",
                    "rule": "正文月日，文中“2017年以来”只说明不早于2017年：按采集日期2024-12-31"
                    "推定为不晚于采集日的最近一年",
                },
            ),
        ),
        wording="{day}，文中“{since}”只说明不早于{year}年：按{bound}" + _COLLECTION_TAIL,
    ),
    Rule(
        "date.year.collection_after_floor",
        "The inferred year was vetoed by a floor: the year comes from the collection day (…2015年的… 乡村振兴局).",
        (Example("3月5日，县乡村振兴局召开会议，通报2015年的工作。", {"date": "2024-03-05"}),),
        wording="{day}，推断的年份与文中“{words}”（不早于{floor}年）矛盾，按{bound}" + _COLLECTION_TAIL,
    ),
    Rule(
        "date.year.collection_after_late_year",
        "An inferred year putting the day after collection (8月26日 … 2024年, collected 06-30): the year before.",
        (
            Example(
                "8月26日，县委召开会议，部署2024年重点工作。",
                {
                    "date": "2023-08-26",
                    "rule": "正文月日，文中年份推断为2024年，但会晚于采集日期2024-06-30，推定为不晚于采集日的最近一年",
                },
                {"collected": "2024-06-30"},
            ),
        ),
        wording="{day}，文中年份推断为{year}年，但会晚于{bound}，" + _COLLECTION_TAIL,
    ),
    # --- 4. without a day -------------------------------------------------------------------------
    Rule(
        "date.day_in_stamp_month",
        "A day alone at the start is in the stamp's month (发布时间:2022-08-14 … 12日，…会议在长春召开).",
        (
            Example(
                "12日，省乡村振兴局长会议在长春召开。",
                {"date": "2022-08-12", "rule": "正文日，月份和年份取自发布时间行“2022-08-14 10:00”"},
                {"published": "2022-08-14 10:00"},
            ),
            Example(
                "西藏自治区12日在拉萨市召开乡村振兴工作会议。", {"date": "2024-02-12"}, {"published": "2024-03-02"}
            ),
        ),
        wording="正文日，月份和年份取自{published}",
    ),
    Rule(
        "date.relative_day",
        "昨天/今天 at the start, counted from the stamp (昨天，西来镇举办… under 2024-03-15: 3月14日).",
        (
            Example(
                "昨天，西来镇举办乡村振兴培训班。",
                {"date": "2024-03-14", "rule": "正文“昨天”，按发布时间行“2024-03-15 07:30”推算"},
                {"published": "2024-03-15 07:30"},
            ),
        ),
        wording="正文“{word}”，按{published}推算",
    ),
    Rule(
        "date.undated.vague_published",
        "近日 and a stamp: the stamp is when it was posted, the meeting's day is unknown (近日，县委召开…).",
        (
            Example(
                "近日，县委召开乡村振兴工作会议。",
                {"date": None, "rule": "正文只说“近日”，会议日期不详（发布时间行“2024-06-01 09:00”）"},
                {"published": "2024-06-01 09:00"},
            ),
        ),
        wording="正文只说“{vague}”，会议日期不详（{published}）",
    ),
    Rule(
        "date.undated.meeting_published",
        "A meeting reported without its day is undated: the stamp is when it was posted (县委召开…, no day).",
        (
            Example(
                "县委召开乡村振兴工作会议，研究部署下一步工作。",
                {"date": None, "rule": "正文写了“召开”却没写会议日期（发布时间行“2024-06-01”只是发布日期）"},
                {"published": "2024-06-01"},
            ),
        ),
        wording="正文写了“{held}”却没写会议日期（{published}只是发布日期）",
    ),
    Rule(
        "date.published_only",
        "An article that reports no meeting is dated by its publication (仲冬时节，村里的大棚…).",
        (
            Example(
                "仲冬时节，村里的大棚蔬菜喜获丰收。",
                {"date": "2024-12-20", "rule": "发布时间行“2024-12-20 09:00”"},
                {"published": "2024-12-20 09:00"},
            ),
        ),
        wording="{published}",
    ),
    Rule(
        "date.undated.vague",
        "近日 without a stamp: no date (近日，县委召开乡村振兴工作会议).",
        (Example("近日，县委召开乡村振兴工作会议。", {"date": None, "rule": "正文只说“近日”，会议日期不详"}),),
        wording="正文只说“{vague}”，会议日期不详",
    ),
    Rule(
        "date.unknown",
        "Nothing dates the report (县委召开乡村振兴工作会议。 on a page without a stamp).",
        (Example("县委召开乡村振兴工作会议。", {"date": None, "rule": NO_DATE_FOUND}),),
        wording=NO_DATE_FOUND,
    ),
    # --- where the publication date comes from, in the order trusted -----------------------------
    Rule(
        "date.published.line",
        "The page's publication line (发布时间：2022 02/13 16:09).",
        (Example("8月26日，县委召开常委会议。", {"date": "2022-08-26"}, {"published": "2022 09/13 16:09"}),),
        wording="发布时间行“{raw}”",
    ),
    Rule(
        "date.published.html_meta",
        "The publication date in the page's HTML metadata (发布时间 in article:published_time, 2024-05-06).",
        (Example("5月5日，县委召开常委会议。", {"date": "2024-05-05"}, {"html_date": "2024-05-06"}),),
        wording="网页发布时间元数据“{raw}”",
    ),
    Rule(
        "date.published.epaper",
        "An e-paper page is dated by its issue (第02版 under 2024年03月29日 星期五).",
        (
            Example(
                "昨天，县委召开常委会议。",
                {"date": "2024-03-28", "rule": "正文“昨天”，按电子报出版日期“2024年03月29日 星期五”推算"},
                {"epaper": True, "page_dates": ["2024年03月29日 星期五"]},
            ),
        ),
        wording="电子报出版日期“{raw}”",
    ),
    Rule(
        "date.published.body_stamp",
        "A full date at a line's end in the opening is the page's stamp (…\\n2021年08月27日 16:32).",
        (
            Example(
                "8月26日，县委召开常委会议。\n发布：2021年08月27日 16:32",
                {"date": "2021-08-26", "rule": "正文月日，年份取自正文中的日期戳“2021年08月27日”"},
            ),
        ),
        wording="正文中的日期戳“{raw}”",
    ),
    Rule(
        "date.veto.new_year_placeholder",
        "1 January is what a CMS shows without a date (发布时间：2019-01-01 00:00): no publication date.",
        (
            Example(
                "8月26日，县委召开常委会议。",
                {"date": "2024-08-26", "basis": "collection"},
                {"published": "2019-01-01 00:00"},
            ),
        ),
    ),
    Rule(
        "date.veto.future_stamp",
        "A stamp after today is a placeholder, not a publication date (发布时间 2099-05-01).",
        (
            Example(
                "8月26日，县委召开常委会议。",
                {"date": "2024-08-26", "basis": "collection"},
                {"published": "2099-05-01"},
            ),
        ),
    ),
    # --- the collection bound ---------------------------------------------------------------------
    Rule(
        "date.bound.collection",
        "The report is not later than the day it was collected (采集日期2024-12-31).",
        (Example("8月26日，县委召开常委会议。", {"date": "2024-08-26", "basis": "collection"}),),
        wording="采集日期{day}",
        short="采集日",
    ),
    Rule(
        "date.bound.today",
        "A modification time before 2000 (文件修改时间1980-01-01: an unpacked archive) is no collection day.",
        (Example("8月26日，县委召开常委会议。", {"basis": "collection"}, {"collected": "1980-01-01"}),),
        wording="今天{today}（文件修改时间{day}不是采集日期）",
        short="今天",
    ),
    # --- the year a text speaks of ----------------------------------------------------------------
    Rule(
        "date.infer.latest_year",
        "A year the text mentions is the latest the report can be in (总结2023年脱贫攻坚工作).",
        (Example("6月8日，县委召开会议，总结2023年脱贫攻坚工作。", {"date": "2023-06-08"}),),
        wording="文中“{said}”是提到的最近年份",
    ),
    Rule(
        "date.infer.finished_year",
        "A year whose results are reported is over: the meeting is after it (通报2023年底全县…).",
        (
            Example(
                "6月8日，县委召开会议，通报2023年底全县脱贫人口情况。",
                {"date": "2024-06-08", "rule": "正文月日，年份推断：文中“2023年”是已结束的年份，会议在其后一年"},
            ),
        ),
        wording="文中“{said}”是已结束的年份，会议在其后一年",
    ),
    Rule(
        "date.infer.present_year",
        "今年是2023年: the year spoken of as the present one.",
        (
            Example(
                "6月8日，县委召开会议。今年是2023年，全县脱贫攻坚进入关键期。",
                {"date": "2023-06-08", "rule": "正文月日，年份推断：文中“是2023年”即当年"},
            ),
        ),
        wording="文中“是{said}”即当年",
    ),
    Rule(
        "date.infer.anniversary",
        "An anniversary names its year (庆祝中国共产党成立100周年: 2021).",
        (Example("7月1日，县委召开大会，庆祝中国共产党成立100周年。", {"date": "2021-07-01"}),),
        wording="文中“{words}”即{year}年",
    ),
    Rule(
        "date.infer.plan_year",
        "A five-year plan's first or last year names the year (明年是“十四五”收官之年: 2024).",
        (
            Example(
                "1月5日，县委召开会议。明年是“十四五”收官之年。",
                {"date": "2024-01-05", "rule": "正文月日，年份推断：文中“明年是“十四五”收官之年”即2024年"},
            ),
        ),
        wording="文中“{words}”即{year}年",
    ),
    Rule(
        "date.infer.phrase",
        "A well-known year's phrase names it (脱贫攻坚收官之年: 2020).",
        (Example("3月2日，县委召开会议，部署脱贫攻坚收官之年各项工作。", {"date": "2020-03-02"}),),
        wording="文中“{words}”即{year}年",
    ),
)

# --- titles -----------------------------------------------------------------------------------------
# Examples: `text` is the cleaned page (headline lines, then the body); `expect` holds `title`;
# `page` may hold `html_title` and `region` ("省/市/县/镇", what the card's place words read).

_LEAD = "2月28日，五龙镇召开脱贫攻坚工作推进会，镇党委书记张明主持会议。"
_WUILONG = "甘肃省/天水市/麦积区/五龙镇"

TITLE_RULES: tuple[Rule, ...] = (
    Rule(
        "title.read.html_title",
        "An HTML page's <title> is the headline the facts read (<title>麦积区召开…推进会</title>).",
        (
            Example(
                "8月26日，麦积区召开乡村振兴工作推进会。",
                {"title": "麦积区召开乡村振兴工作推进会"},
                {"html_title": "麦积区召开乡村振兴工作推进会"},
            ),
        ),
        wording="the page's <title>",
    ),
    Rule(
        "title.read.headline_line",
        "One short line that is no sentence above the body is the headline (县委召开乡村振兴工作推进会).",
        (
            Example(
                "县委召开乡村振兴工作推进会\n8月26日，县委召开乡村振兴工作推进会。",
                {"title": "县委召开乡村振兴工作推进会"},
            ),
        ),
        wording="headline line",
    ),
    Rule(
        "title.read.headline_lines",
        "Of several headline lines (a kicker 踏上新征程 first), the one that says what was done (…召开…推进会).",
        (
            Example(
                "踏上新征程 续写新篇章\n五龙镇召开脱贫攻坚工作推进会\n" + _LEAD,
                {"title": "五龙镇召开脱贫攻坚工作推进会"},
            ),
        ),
        wording="headline line (of {n} headline lines)",
    ),
    Rule(
        "title.read.derived_first_sentence",
        "A page without a headline: the first sentence's meeting clause (2月28日，五龙镇召开…推进会，…).",
        (Example(_LEAD, {"title": "五龙镇召开脱贫攻坚工作推进会"}),),
        wording="derived from the first sentence (the page has no headline)",
    ),
    Rule(
        "title.card.page_headline",
        "The card shows the page's headline: the best of <title>, <h1> and og:title (麦积区召开…推进会).",
        (
            Example(
                "8月26日，麦积区召开乡村振兴工作推进会。",
                {"title": "麦积区召开乡村振兴工作推进会"},
                {"html_title": "麦积区召开乡村振兴工作推进会"},
            ),
        ),
        wording="the page's headline (the best of <title> without the site's name, <h1>, og:title)",
    ),
    Rule(
        "title.card.headline_line",
        "The card shows the headline line without the page's furniture (县委召开乡村振兴工作推进会).",
        (
            Example(
                "县委召开乡村振兴工作推进会\n8月26日，县委召开乡村振兴工作推进会。",
                {"title": "县委召开乡村振兴工作推进会"},
            ),
        ),
        wording="headline line",
    ),
    Rule(
        "title.card.headline_lines",
        "Of several headline lines, the card shows the one that names the event (not the kicker 踏上新征程).",
        (
            Example(
                "踏上新征程 续写新篇章\n五龙镇召开脱贫攻坚工作推进会\n" + _LEAD,
                {"title": "五龙镇召开脱贫攻坚工作推进会"},
            ),
        ),
        wording="headline line (of {n} headline lines)",
    ),
    Rule(
        "title.card.derived_lead",
        "A page without a headline: one made from the lead's meeting or visit clause (五龙镇召开…推进会).",
        (Example(_LEAD, {"title": "五龙镇召开脱贫攻坚工作推进会"}, {"region": _WUILONG}),),
        wording="derived from the lead's meeting or visit clause (the page has no headline)",
    ),
    Rule(
        "title.card.derived_first_sentence",
        "No headline and no meeting clause: the first sentence, shortened (仲冬时节，村里的大棚蔬菜喜获丰收).",
        (Example("仲冬时节，村里的大棚蔬菜喜获丰收，村民们忙着采摘。", {"title": "村里的大棚蔬菜喜获丰收"}),),
        wording="derived from the first sentence (the page has no headline)",
    ),
    Rule(
        "title.card.bare_meeting_organiser",
        "A bare meeting name (脱贫攻坚工作推进会) gets its organiser from the lead (五龙镇召开…).",
        (Example("脱贫攻坚工作推进会\n" + _LEAD, {"title": "五龙镇召开脱贫攻坚工作推进会"}, {"region": _WUILONG}),),
        wording="{headline}: a bare meeting name, given its organiser from the lead",
    ),
    Rule(
        "title.card.bare_meeting_place",
        "A bare meeting name the lead does not hold gets the report's place (五龙镇召开脱贫攻坚工作推进会).",
        (
            Example(
                "脱贫攻坚工作推进会\n会议要求，全镇上下要抓好落实。",
                {"title": "五龙镇召开脱贫攻坚工作推进会"},
                {"region": _WUILONG},
            ),
        ),
        wording="{headline}: a bare meeting name, given its place",
    ),
)

# --- officials --------------------------------------------------------------------------------------
# Examples: `text` is the report's body; `expect` holds the `official`'s name and what the extractor
# must give it (`title`, `roles`); `page` may hold the `headline`.

OFFICIAL_RULES: tuple[Rule, ...] = (
    Rule(
        "official.name.after_title",
        "A surname and one or two characters right after a title, up to a boundary (副县长张迁参加会议: 张迁).",
        (
            Example("副县长张迁参加会议。", {"official": "张迁", "title": "副县长", "roles": ("出席",)}),
            Example("县长祁美文主持会议。", {"official": "祁美文", "title": "县长", "roles": ("主持",)}),
        ),
    ),
    Rule(
        "official.name.listed",
        "Names that continue a 、-list after a title share it (镇领导梁盘、卜英忠、何远林出席会议).",
        (
            Example(
                "镇领导梁盘、卜英忠、何远林出席会议。", {"official": "何远林", "title": "镇领导", "roles": ("出席",)}
            ),
        ),
    ),
    Rule(
        "official.title.principal",
        "Of a chain of posts the principal one (县委副书记、县人民政府县长祁美文: 县长).",
        (
            Example(
                "县委副书记、县人民政府县长祁美文讲话。", {"official": "祁美文", "title": "县长", "roles": ("讲话",)}
            ),
        ),
    ),
    Rule(
        "official.title.closest",
        "No principal post in the chain: the closest title, from its organ on (郑家山村第一书记王刚汇报).",
        (
            Example(
                "会上，认真听取郑家山村第一书记王刚汇报。",
                {"official": "王刚", "title": "郑家山村第一书记", "roles": ("汇报",)},
            ),
        ),
    ),
    Rule(
        "official.title.specific_over_generic",
        "A generic title (镇领导梁盘) gives way to a specific one met later (镇党委书记梁盘).",
        (
            Example(
                "镇领导梁盘出席。镇党委书记梁盘讲话。",
                {"official": "梁盘", "title": "镇党委书记", "roles": ("出席", "讲话")},
            ),
        ),
    ),
    Rule(
        "official.role.clause_words",
        "The words of the clause after a name give its roles (张智明强调: 讲话; 王明主持会议: 主持).",
        (
            Example(
                "县委书记王明主持会议并讲话。", {"official": "王明", "title": "县委书记", "roles": ("主持", "讲话")}
            ),
        ),
    ),
    Rule(
        "official.role.attendance_sentence",
        "Everyone a sentence ending on attendance names attended (副县长周岳红，…闫金川出席会议).",
        (
            Example(
                "副县长周岳红，县政协副主席闫金川出席会议。",
                {"official": "周岳红", "title": "副县长", "roles": ("出席",)},
            ),
        ),
    ),
    Rule(
        "official.role.joined_chair",
        "A later clause joined by 并主持 has the same subject (市长曾明深入于都县调研，并主持召开座谈会).",
        (
            Example(
                "市长曾明深入于都县调研，并主持召开座谈会。", {"official": "曾明", "title": "市长", "roles": ("主持",)}
            ),
        ),
    ),
    Rule(
        "official.role.headline",
        "The headline adds roles to an official of the body, never a second chair (王明主持召开推进会).",
        (
            Example(
                "会上，县委书记王明作动员。",
                {"official": "王明", "title": "县委书记", "roles": ("主持",)},
                {"headline": "王明主持召开乡村振兴推进会"},
            ),
        ),
    ),
)

# --- figures ---------------------------------------------------------------------------------------
# Examples: `text` is the report's body; `expect` holds the `figure`'s exact span and its `kind`.

FIGURE_RULES: tuple[Rule, ...] = (
    Rule(
        "figure.number.unit",
        "A number with its unit, not part of a longer token (152名; not 第3名, 2019-2021年, 2025高考).",
        (Example("全镇监测户56户。", {"figure": "全镇监测户56户", "kind": "户数"}),),
    ),
    Rule(
        "figure.span.clause",
        "The phrase starts where the clause does, at punctuation before the number (，全镇监测户56户).",
        (Example("经过排查，全镇监测户56户。", {"figure": "全镇监测户56户", "kind": "户数"}),),
    ),
    Rule(
        "figure.span.long_cut",
        "A clause too long to keep is cut after its last word that ends a noun phrase (…发放小额信贷资金共计3000万元).",
        (
            Example(
                "2024年全县累计向脱贫户发放小额信贷资金共计3000万元，覆盖全县。",
                {"figure": "小额信贷资金共计3000万元", "kind": "资金"},
            ),
        ),
    ),
    Rule(
        "figure.span.cut_word",
        "What stands before 向/到/有/为 … is not what is counted (全县有脱贫户1200户: 脱贫户1200户).",
        (Example("全县有脱贫户1200户。", {"figure": "脱贫户1200户", "kind": "户数"}),),
    ),
    Rule(
        "figure.span.after_verb",
        "What is counted starts after the clause's verb (为薄弱村选派驻村第一书记152名: 驻村第一书记152名).",
        (Example("该县为薄弱村选派驻村第一书记152名。", {"figure": "驻村第一书记152名", "kind": "人数"}),),
    ),
    Rule(
        "figure.span.lead_in",
        "Words that open a clause without being counted are left out (其中脱贫人口2478人: 脱贫人口2478人).",
        (Example("全县完成排查，其中脱贫人口2478人。", {"figure": "脱贫人口2478人", "kind": "人数"}),),
    ),
    Rule(
        "figure.span.listed",
        "A figure listed after another shares its noun phrase (农村贫困人口958户、2478人全部脱贫).",
        (
            Example(
                "农村贫困人口958户、2478人全部脱贫。", {"figure": "农村贫困人口958户、2478人全部脱贫", "kind": "人数"}
            ),
        ),
    ),
    Rule(
        "figure.span.counted_noun",
        "After 个 the counted noun follows, up to where it ends (全县3个省定贫困村全部出列).",
        (Example("全县3个省定贫困村全部出列。", {"figure": "全县3个省定贫困村全部出列", "kind": "数量"}),),
    ),
    Rule(
        "figure.span.predicate",
        "A short predicate after the number belongs to the figure (贫困户958户全部脱贫).",
        (Example("全村建档立卡贫困户958户全部脱贫。", {"figure": "全村建档立卡贫困户958户全部脱贫", "kind": "户数"}),),
    ),
    Rule(
        "figure.kind.money_words",
        "An amount of money is 资金, 产值, 收入 or GDP by its own words (投入衔接资金1.2亿元: 资金).",
        (
            Example("今年全县投入衔接资金1.2亿元，用于产业发展。", {"figure": "衔接资金1.2亿元", "kind": "资金"}),
            Example("全村工农业总产值210亿元。", {"figure": "全村工农业总产值210亿元", "kind": "产值"}),
        ),
    ),
    Rule(
        "figure.kind.amount",
        "An amount of money whose words name no kind is 金额 (单笔最高金额5万元).",
        (Example("单笔最高金额5万元。", {"figure": "单笔最高金额5万元", "kind": "金额"}),),
    ),
    Rule(
        "figure.kind.share",
        "A percentage or percentage points is 比例 (全县贫困发生率降至0.5%).",
        (Example("全县贫困发生率降至0.5%。", {"figure": "全县贫困发生率降至0.5%", "kind": "比例"}),),
    ),
    Rule(
        "figure.kind.count_unit",
        "户, 人, 名, 人次, 亩 give 户数, 人数, 人次, 面积 (新增耕地面积300亩: 面积).",
        (Example("全镇新增高标准农田面积300亩。", {"figure": "高标准农田面积300亩", "kind": "面积"}),),
    ),
    Rule(
        "figure.kind.other_count",
        "Any other unit counts things: 数量 (全县建成扶贫车间12家).",
        (Example("全县建成扶贫车间12家。", {"figure": "扶贫车间12家", "kind": "数量"}),),
    ),
    Rule(
        "figure.rank.subject_words",
        "A figure whose phrase names the subject (脱贫, 收入, 第一书记 …) ranks higher (脱贫人口2478人).",
        (Example("全县脱贫人口2478人。", {"figure": "全县脱贫人口2478人", "kind": "人数"}),),
    ),
)

RULES: tuple[Rule, ...] = DATE_RULES + TITLE_RULES + OFFICIAL_RULES + FIGURE_RULES


# --- lookup ----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def catalog() -> dict[str, Rule]:
    """Every rule by id (loaded on first use: catalog.py imports this module's types)."""
    table: dict[str, Rule] = {}
    for one in RULES:
        if one.id in table:
            raise ValueError(f"rule id {one.id} is defined twice in briefing/extract/catalog.py")
        table[one.id] = one
    return table


def rule(rule_id: str) -> Rule:
    try:
        return catalog()[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule id {rule_id!r}: add it to briefing/extract/catalog.py") from None


def message(rule_id: str, **fields: object) -> str:
    """The words a reader sees when this rule decides a fact, from its template."""
    wording = rule(rule_id).wording
    if wording is None:
        raise ValueError(f"rule {rule_id} has no wording: it only vetoes")
    return wording.format(**fields)


def short(rule_id: str) -> str:
    """The short form of a rule's wording, as other messages quote it (采集日, 今天)."""
    words = rule(rule_id).short
    if words is None:
        raise ValueError(f"rule {rule_id} has no short wording")
    return words
