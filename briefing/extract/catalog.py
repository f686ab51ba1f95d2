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
        "带日期的电头之后单写的日，属电头的月份（本网拉萨5月19日讯 18日，…）",
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
        "date.day.before_dateline",
        "电头之后的“昨天”“前天”按电头日期倒推，取最早的一天（重庆晨报1月5日消息 前天起，…：1月3日）",
        (
            Example(
                "昨天凌晨，县委书记仍在村民家中交谈。前天起，某县启动干部大走访活动。",
                {"date": "2024-01-03", "rule": "正文“昨天”“前天”按电头日期倒推，年份取自发布时间行“2024-01-05 08:00”"},
                {"dateline": "1月5日", "published": "2024-01-05 08:00"},
            ),
        ),
        wording="正文“昨天”“前天”按电头日期倒推",
    ),
    Rule(
        "date.day.dateline_meeting",
        "开头的月日只是来访的日子，会议写在按电头推算的“今天”“昨天”"
        "（本报8月2日讯 8月1日，考察团来青…今天上午，联席会议召开：8月2日）",
        (
            Example(
                "8月1日，某市考察团来青，深入对接东西部协作工作。今天上午，两市东西部协作联席会议在市级机关会议中心召开。",
                {
                    "date": "2024-08-02",
                    "rule": "正文“今天”“昨天”按电头日期推算的会议日，年份取自发布时间行“2024-08-02 07:00”",
                },
                {"dateline": "8月2日", "published": "2024-08-02 07:00"},
            ),
        ),
        wording="正文“今天”“昨天”按电头日期推算的会议日",
    ),
    Rule(
        "date.day.reported_on",
        "报纸报道日期之后单写的日，属报道日期的月份（据《黑龙江日报》2月27日报道，26日下午，…召开）",
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
        "开头的日期前先有“近日”：报告本身的事件没有日期（近日，…增挂牌子。5月29日，…）",
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
        "开头的日期是记者获悉的日子（7月21日，记者从区委宣传部获悉，日前，…召开）",
        (Example("7月21日，记者从区委宣传部获悉，日前，该区召开乡村振兴工作推进会。", {"date": None}),),
    ),
    Rule(
        "date.veto.impossible_day",
        "任何年份都没有的月日（2月30日，…）不是会议日期，也不再另找日期",
        (Example("2月30日，县委召开常委会议。", {"date": None, "rule": NO_DATE_FOUND}),),
    ),
    Rule(
        "date.day.opening",
        "开头的月日；其他工作写在前面时，取写会议那句的月日"
        "（7月19日至24日，督查组开展督查。7月24日上午，反馈会在合肥召开）",
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
        "开头没有日期时，取下文会议分句中的日期（…推进会于10月28日召开）",
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
        "开头和会议分句都没有日期时，取后文段首的日期（背景…\\n8月3日，校党委副书记带队…）",
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
        "丢了“月”字的日期，数字只有一种拆法时才读（1025日，…即10月25日）",
        (
            Example(
                "1025日，县委召开常委会议。",
                {"date": "2024-10-25", "rule": "正文月日（“月”字丢失），年份取自发布时间行“2024-10-26”"},
                {"published": "2024-10-26"},
            ),
            # the lost character marked where the 月 stood
            Example("11\u25a14-5日两天，省委工作组到某区调研。", {"date": "2024-11-04"}, {"published": "2024-11-06"}),
        ),
        wording="正文月日（“月”字丢失）",
    ),
    Rule(
        "date.day.headline",
        "正文没写日期时，标题写的会议月日（东西部扶贫协作座谈会3月3日召开）",
        (
            Example(
                "市扶贫支援办副主任出席座谈会，听取协作工作情况汇报。",
                {"date": "2021-03-03", "rule": "正文未写日期，取标题中的月日，年份取自发布时间行“2021-03-09 15:51”"},
                {"headline": "东西部扶贫协作考核迎检工作座谈会3月3日召开", "published": "2021-03-09 15:51"},
            ),
        ),
        wording="正文未写日期，取标题中的月日",
    ),
    Rule(
        "date.day.dateline",
        "正文始终未写日期：本地媒体当天报道会议，取电头日期（东北网虎林4月17日讯 …召开）",
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
        "开头中的完整日期（不是行末的日期戳）即事件日期（2021年8月26日，县委召开…）",
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
        "会议名称带年份的，会议在该年召开（12月8日，…召开2022年防返贫监测培训会）",
        (
            Example(
                "12月8日，县里召开2022年防返贫监测帮扶培训会。",
                {"date": "2022-12-08", "rule": "正文月日，年份取自会议名称中的“2022年”"},
            ),
            # the headline names the meeting with its year, the body without
            Example(
                "9月24日，全州实施乡村振兴战略工作推进会在某某县召开。",
                {"date": "2020-09-24"},
                {"headline": "2020年某某州实施乡村振兴战略工作推进会召开"},
            ),
        ),
        wording="{day}，年份取自会议名称中的“{year}年”",
    ),
    Rule(
        "date.year.published",
        "取发布时间的年份，月日晚于发布时间时取前一年（发布于2025-01-03的12月30日）",
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
        "评某年度工作的会议在该年年终或次年召开（1月10日，召开2023年度…验收会）",
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
        "推断的年份早于文中词语所限的最早年份，不予采用（2015年的…与乡村振兴局同在文中）",
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
        "文中提到的最近年份（6月8日，…总结2023年脱贫攻坚工作：2023年）",
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
        "全文无年份：取月日不晚于采集日的最近一年（8月26日，2024年采集）",
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
        "“2017年以来”只说明不早于2017年：年份按采集日期推定（…回顾2017年以来的工作）",
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
        "推断的年份因早于下限被否决：年份按采集日期推定（…2015年的…乡村振兴局）",
        (Example("3月5日，县乡村振兴局召开会议，通报2015年的工作。", {"date": "2024-03-05"}),),
        wording="{day}，推断的年份与文中“{words}”（不早于{floor}年）矛盾，按{bound}" + _COLLECTION_TAIL,
    ),
    Rule(
        "date.year.collection_after_late_year",
        "推断的年份使日期晚于采集日（8月26日…2024年，06-30采集）：取前一年",
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
        "开头单写的日属发布时间的月份（发布时间:2022-08-14 … 12日，…会议在长春召开）",
        (
            Example(
                "12日，省乡村振兴局长会议在长春召开。",
                {"date": "2022-08-12", "rule": "正文日，月份和年份取自发布时间行“2022-08-14 10:00”"},
                {"published": "2022-08-14 10:00"},
            ),
            Example(
                "西藏自治区12日在拉萨市召开乡村振兴工作会议。", {"date": "2024-02-12"}, {"published": "2024-03-02"}
            ),
            # a period of other work written after it does not date the meeting
            Example(
                "29日下午，海口召开农村工作推进会。今年7月10日至8月10日，海口组成督查组开展督查。",
                {"date": "2017-08-29"},
                {"published": "2017-08-30 10:12:43"},
            ),
        ),
        wording="正文日，月份和年份取自{published}",
    ),
    Rule(
        "date.relative_day",
        "开头的“昨天”“今天”按发布时间推算（2024-03-15发布的昨天，西来镇举办…：3月14日）",
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
        "“近日”加发布时间：发布时间只是发稿日，会议日期不详（近日，县委召开…）",
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
        "报道了会议却没写会议日期，日期不详：发布时间只是发稿日（县委召开…，无日期）",
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
        "未报道会议的文章以发布日期为日期（仲冬时节，村里的大棚…）",
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
        "只有“近日”且无发布时间：无日期（近日，县委召开乡村振兴工作会议）",
        (Example("近日，县委召开乡村振兴工作会议。", {"date": None, "rule": "正文只说“近日”，会议日期不详"}),),
        wording="正文只说“{vague}”，会议日期不详",
    ),
    Rule(
        "date.unknown",
        "没有任何依据可定报告日期（县委召开乡村振兴工作会议。页面无发布时间）",
        (Example("县委召开乡村振兴工作会议。", {"date": None, "rule": NO_DATE_FOUND}),),
        wording=NO_DATE_FOUND,
    ),
    # --- where the publication date comes from, in the order trusted -----------------------------
    Rule(
        "date.published.line",
        "页面的发布时间行（发布时间：2022 02/13 16:09）",
        (Example("8月26日，县委召开常委会议。", {"date": "2022-08-26"}, {"published": "2022 09/13 16:09"}),),
        wording="发布时间行“{raw}”",
    ),
    Rule(
        "date.published.html_meta",
        "网页HTML元数据中的发布日期（article:published_time中的发布时间，2024-05-06）",
        (Example("5月5日，县委召开常委会议。", {"date": "2024-05-05"}, {"html_date": "2024-05-06"}),),
        wording="网页发布时间元数据“{raw}”",
    ),
    Rule(
        "date.published.epaper",
        "电子报版面以当期出版日期为日期（2024年03月29日 星期五的第02版）",
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
        "开头中行末的完整日期是页面的日期戳（…\\n2021年08月27日 16:32）",
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
        "1月1日是内容管理系统无日期时显示的值（发布时间：2019-01-01 00:00）：不作发布日期",
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
        "晚于今天的日期戳是占位值，不是发布日期（发布时间 2099-05-01）",
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
        "报告不晚于其采集日（采集日期2024-12-31）",
        (Example("8月26日，县委召开常委会议。", {"date": "2024-08-26", "basis": "collection"}),),
        wording="采集日期{day}",
        short="采集日",
    ),
    Rule(
        "date.bound.today",
        "早于2000年的文件修改时间（文件修改时间1980-01-01：解压出的归档文件）不是采集日",
        (Example("8月26日，县委召开常委会议。", {"basis": "collection"}, {"collected": "1980-01-01"}),),
        wording="今天{today}（文件修改时间{day}不是采集日期）",
        short="今天",
    ),
    # --- the year a text speaks of ----------------------------------------------------------------
    Rule(
        "date.infer.latest_year",
        "文中提到的年份是报告可能所在的最晚年份（总结2023年脱贫攻坚工作）",
        (Example("6月8日，县委召开会议，总结2023年脱贫攻坚工作。", {"date": "2023-06-08"}),),
        wording="文中“{said}”是提到的最近年份",
    ),
    Rule(
        "date.infer.finished_year",
        "通报其成果的年份已经结束：会议在其后（通报2023年底全县…）",
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
        "文中说成当下的年份（今年是2023年）",
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
        "周年纪念点明其年份（庆祝中国共产党成立100周年：2021年）",
        (Example("7月1日，县委召开大会，庆祝中国共产党成立100周年。", {"date": "2021-07-01"}),),
        wording="文中“{words}”即{year}年",
    ),
    Rule(
        "date.infer.plan_year",
        "五年规划的开局或收官之年点明年份（明年是“十四五”收官之年：2024年）",
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
        "特指某年的固定说法点明该年（脱贫攻坚收官之年：2020年）",
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
        "HTML页面的<title>即抽取事实所读的标题（<title>麦积区召开…推进会</title>）",
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
        "正文上方一行不成句的短行即标题（县委召开乡村振兴工作推进会）",
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
        "多行标题（先有引题踏上新征程）中，取说明做了什么的那行（…召开…推进会）",
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
        "页面无标题：取第一句中的会议分句（2月28日，五龙镇召开…推进会，…）",
        (Example(_LEAD, {"title": "五龙镇召开脱贫攻坚工作推进会"}),),
        wording="derived from the first sentence (the page has no headline)",
    ),
    Rule(
        "title.card.page_headline",
        "卡片显示页面标题：<title>、<h1>与og:title中最好的一个（麦积区召开…推进会）",
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
        "卡片显示去掉页面附属文字的标题行（县委召开乡村振兴工作推进会）",
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
        "多行标题中，卡片显示点明事件的那行（不取引题踏上新征程）",
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
        "页面无标题：由导语中的会议或考察分句拟出标题（五龙镇召开…推进会）",
        (Example(_LEAD, {"title": "五龙镇召开脱贫攻坚工作推进会"}, {"region": _WUILONG}),),
        wording="derived from the lead's meeting or visit clause (the page has no headline)",
    ),
    Rule(
        "title.card.derived_first_sentence",
        "无标题也无会议分句：取第一句并缩短（仲冬时节，村里的大棚蔬菜喜获丰收）",
        (Example("仲冬时节，村里的大棚蔬菜喜获丰收，村民们忙着采摘。", {"title": "村里的大棚蔬菜喜获丰收"}),),
        wording="derived from the first sentence (the page has no headline)",
    ),
    Rule(
        "title.card.bare_meeting_organiser",
        "只有会议名称的标题（脱贫攻坚工作推进会）从导语补上主办方（五龙镇召开…）",
        (Example("脱贫攻坚工作推进会\n" + _LEAD, {"title": "五龙镇召开脱贫攻坚工作推进会"}, {"region": _WUILONG}),),
        wording="{headline}: a bare meeting name, given its organiser from the lead",
    ),
    Rule(
        "title.card.bare_meeting_place",
        "只有会议名称的标题、导语中又没有该会议时，补上报告的地名（五龙镇召开脱贫攻坚工作推进会）",
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
        "紧跟职务之后的姓氏加一到两个字，止于边界（副县长张迁参加会议：张迁）",
        (
            Example("副县长张迁参加会议。", {"official": "张迁", "title": "副县长", "roles": ("出席",)}),
            Example("县长祁美文主持会议。", {"official": "祁美文", "title": "县长", "roles": ("主持",)}),
        ),
    ),
    Rule(
        "official.name.listed",
        "职务之后用顿号接续的姓名共用该职务（镇领导梁盘、卜英忠、何远林出席会议）",
        (
            Example(
                "镇领导梁盘、卜英忠、何远林出席会议。", {"official": "何远林", "title": "镇领导", "roles": ("出席",)}
            ),
        ),
    ),
    Rule(
        "official.title.principal",
        "一串职务中取主要职务（县委副书记、县人民政府县长祁美文：县长）",
        (
            Example(
                "县委副书记、县人民政府县长祁美文讲话。", {"official": "祁美文", "title": "县长", "roles": ("讲话",)}
            ),
        ),
    ),
    Rule(
        "official.title.closest",
        "职务串中没有主要职务：取最近的职务，从其所属机构写起（郑家山村第一书记王刚汇报）",
        (
            Example(
                "会上，认真听取郑家山村第一书记王刚汇报。",
                {"official": "王刚", "title": "郑家山村第一书记", "roles": ("汇报",)},
            ),
        ),
    ),
    Rule(
        "official.title.specific_over_generic",
        "泛称职务（镇领导梁盘）让位于后文出现的具体职务（镇党委书记梁盘）",
        (
            Example(
                "镇领导梁盘出席。镇党委书记梁盘讲话。",
                {"official": "梁盘", "title": "镇党委书记", "roles": ("出席", "讲话")},
            ),
        ),
    ),
    Rule(
        "official.role.clause_words",
        "姓名后分句中的词决定其角色（张智明强调：讲话；王明主持会议：主持）",
        (
            Example(
                "县委书记王明主持会议并讲话。", {"official": "王明", "title": "县委书记", "roles": ("主持", "讲话")}
            ),
        ),
    ),
    Rule(
        "official.role.attendance_sentence",
        "以出席结尾的句子点名的每个人都出席（副县长周岳红，…闫金川出席会议）",
        (
            Example(
                "副县长周岳红，县政协副主席闫金川出席会议。",
                {"official": "周岳红", "title": "副县长", "roles": ("出席",)},
            ),
        ),
    ),
    Rule(
        "official.role.joined_chair",
        "以“并主持”接续的后一分句主语相同（市长曾明深入于都县调研，并主持召开座谈会）",
        (
            Example(
                "市长曾明深入于都县调研，并主持召开座谈会。", {"official": "曾明", "title": "市长", "roles": ("主持",)}
            ),
        ),
    ),
    Rule(
        "official.role.headline",
        "标题为正文中的官员补充角色，但不产生第二个主持人（王明主持召开推进会）",
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
        "带单位的数字，且不属于更长的词（152名；不取第3名、2019-2021年、2025高考）",
        (Example("全镇监测户56户。", {"figure": "全镇监测户56户", "kind": "户数"}),),
    ),
    Rule(
        "figure.span.clause",
        "短语从分句开头、即数字前的标点处开始（，全镇监测户56户）",
        (Example("经过排查，全镇监测户56户。", {"figure": "全镇监测户56户", "kind": "户数"}),),
    ),
    Rule(
        "figure.span.long_cut",
        "过长的分句只保留其最后一个可结束名词短语的词之后的部分（…发放小额信贷资金共计3000万元）",
        (
            Example(
                "2024年全县累计向脱贫户发放小额信贷资金共计3000万元，覆盖全县。",
                {"figure": "小额信贷资金共计3000万元", "kind": "资金"},
            ),
        ),
    ),
    Rule(
        "figure.span.cut_word",
        "向、到、有、为…之前的部分不是计数的对象（全县有脱贫户1200户：脱贫户1200户）",
        (Example("全县有脱贫户1200户。", {"figure": "脱贫户1200户", "kind": "户数"}),),
    ),
    Rule(
        "figure.span.after_verb",
        "计数的对象从分句的动词之后开始（为薄弱村选派驻村第一书记152名：驻村第一书记152名）",
        (Example("该县为薄弱村选派驻村第一书记152名。", {"figure": "驻村第一书记152名", "kind": "人数"}),),
    ),
    Rule(
        "figure.span.lead_in",
        "分句开头不属计数对象的引导词略去（其中脱贫人口2478人：脱贫人口2478人）",
        (Example("全县完成排查，其中脱贫人口2478人。", {"figure": "脱贫人口2478人", "kind": "人数"}),),
    ),
    Rule(
        "figure.span.listed",
        "并列在另一数字之后的数字共用其名词短语（农村贫困人口958户、2478人全部脱贫）",
        (
            Example(
                "农村贫困人口958户、2478人全部脱贫。", {"figure": "农村贫困人口958户、2478人全部脱贫", "kind": "人数"}
            ),
        ),
    ),
    Rule(
        "figure.span.counted_noun",
        "“个”之后接计数的名词，取到该名词结束处（全县3个省定贫困村全部出列）",
        (Example("全县3个省定贫困村全部出列。", {"figure": "全县3个省定贫困村全部出列", "kind": "数量"}),),
    ),
    Rule(
        "figure.span.predicate",
        "数字后的短谓语归入该数字（贫困户958户全部脱贫）",
        (Example("全村建档立卡贫困户958户全部脱贫。", {"figure": "全村建档立卡贫困户958户全部脱贫", "kind": "户数"}),),
    ),
    Rule(
        "figure.kind.money_words",
        "金额按其自身用词归为资金、产值、收入或GDP（投入衔接资金1.2亿元：资金）",
        (
            Example("今年全县投入衔接资金1.2亿元，用于产业发展。", {"figure": "衔接资金1.2亿元", "kind": "资金"}),
            Example("全村工农业总产值210亿元。", {"figure": "全村工农业总产值210亿元", "kind": "产值"}),
        ),
    ),
    Rule(
        "figure.kind.amount",
        "用词未指明类别的金额归为“金额”（单笔最高金额5万元）",
        (Example("单笔最高金额5万元。", {"figure": "单笔最高金额5万元", "kind": "金额"}),),
    ),
    Rule(
        "figure.kind.share",
        "百分比或百分点归为“比例”（全县贫困发生率降至0.5%）",
        (Example("全县贫困发生率降至0.5%。", {"figure": "全县贫困发生率降至0.5%", "kind": "比例"}),),
    ),
    Rule(
        "figure.kind.count_unit",
        "户、人或名、人次、亩分别归为户数、人数、人次、面积（新增耕地面积300亩：面积）",
        (Example("全镇新增高标准农田面积300亩。", {"figure": "高标准农田面积300亩", "kind": "面积"}),),
    ),
    Rule(
        "figure.kind.other_count",
        "其他单位计的是物件：归为“数量”（全县建成扶贫车间12家）",
        (Example("全县建成扶贫车间12家。", {"figure": "扶贫车间12家", "kind": "数量"}),),
    ),
    Rule(
        "figure.rank.subject_words",
        "短语含主题词（脱贫、收入、第一书记…）的数字排位更高（脱贫人口2478人）",
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
