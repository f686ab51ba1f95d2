"""Clean: decoded page text -> canonical Simplified Chinese body + a log of what was removed.

Each rule is a named function or pattern; every removal is recorded with its rule and line, so
`brief clean FILE --explain` can show why any piece of text is gone. Order matters and is fixed:
1. tone-marked pinyin after Han characters (before OpenCC, which would not touch it but whose
   output we want to match chrome patterns against);
2. Traditional -> Simplified (OpenCC t2s; traditional.py keeps names as the page wrote them), so
   chrome patterns only need Simplified spellings;
3. line rules (page chrome) and inline rules (bylines, editor credits, lost characters,
   punctuation), line by line, keeping the original line numbers. Footers come first and go as
   spans (a copyright credit's parenthesis, a line's end from its footer word), and a rule that
   matches chrome at a line's start or end takes only that chrome when a report shares the line:
   a page flattened onto one line keeps its report.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .models import CleanText, PageMeta, Removal
from .source_link import is_link_line
from .text import HAN, HAN_CHAR, LOST_MARK
from .traditional import to_simplified

MAX_LOST_WARNINGS = 20  # places with lost characters described per report; the rest are counted

# --- 1. pinyin ---------------------------------------------------------------------------------
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# Neutral-tone syllables carry no tone mark but are still annotation, not English.
_NEUTRAL = {"de", "le", "men", "zi", "me", "ge", "ne", "ma", "ba", "zhe", "guo", "tou", "shang", "li"}
_PINYIN = re.compile(rf"(?<=[{HAN}])[(（]\s*([a-z{_TONED}]{{1,7}})\s*[)）]")


def _is_pinyin(syllable: str) -> bool:
    return any(ch in _TONED for ch in syllable) or syllable in _NEUTRAL


# --- 2. Traditional -> Simplified ---------------------------------------------------------------
# traditional.py: OpenCC t2s, keeping the division list's names and officials' names as written.


# --- 3. line rules: chrome that occupies a whole line -------------------------------------------
_DATE_FRAGMENT = re.compile(
    r"^(?:[•·]\s*)?(?:(?:19|20)\d{2}"  # a bare year; "• 2016-09-21" in a list of page facts
    r"|\d{1,2}/\d{1,2}"  # 02/13
    r"|\d{1,2}:\d{2}(?::\d{2})?"  # 16:09
    r"|(?:19|20)\d{2}(?:\s*[-/.年]\s*|\s+)\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"  # also "2022 05/ 13 10:36"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"  # 28.11.2017 22:56 (aggregators)
    r"|(?:19|20)\d{2}\d{2}-\d{2}\d{2}:\d{2}"  # 202110-0922:35: "2021 10-09 22:35" with its spaces lost
    r")(?:\s*(?:星期|周)[一二三四五六日天])?\s*[|｜]?$"
)
_WEEKDAY = re.compile(r"(?:星期|周)[一二三四五六日天]")
# "2022-02-13 10:20  来源：光山县融媒体中心": a publication line that starts with its date.
_PUBLICATION_STAMP = (
    r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?:\s*日)?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?)"
)
# A stamp line may start with the site's domain or a column name: "www.example.com 2018-11-06
# 09:41:37 来源:…", "政务   2024-12-24 17:35   江西".
_STAMP_PREFIX = rf"(?:[•·]\s*)?(?:(?:https?://)?[\w-]+(?:\.[\w-]+)+/?\s+|[{HAN}]{{1,6}}\s+)?"
# (…【字号 大 中 小】: the page's font switch after the stamp)
_DATED_META = re.compile(
    rf"^{_STAMP_PREFIX}{_PUBLICATION_STAMP}[\s|｜?]*(?:来源|来自|稿源|作者|编辑|浏览|阅读|点击|【?字号)"
)
# "东南网 2019-06-28 16:28", "- www.example.com.cn 宁海新闻网 2021年11月08日 08:23:22": the outlet's
# name, then its stamp, alone on a line.
_OUTLET_THEN_STAMP = re.compile(
    rf"^(?:[-•·]\s*)?(?:(?:https?://)?[\w-]+(?:\.[\w-]+)+/?\s+)?([{HAN}]{{2,12}})\s+{_PUBLICATION_STAMP}$"
)
# "本帖最后由 吕村镇 于 2022-8-9 15:13 编辑": a forum post's own edit stamp
_FORUM_EDITED = re.compile(rf"^本帖最后由\s*\S{{1,20}}\s*于\s*{_PUBLICATION_STAMP}\s*编辑$")
# "23-07-11 08:07 来源:新天水": a stamp with a two-digit year, followed by its labeled fields
_SHORT_YEAR_STAMP = re.compile(r"^(\d{2})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}:\d{2})\s+(?:来源|作者|编辑)\s*[:：]")
# "农村 何力 农业 中药 亚鲁紫云 2017-05-12": an aggregator's tags, then the item's stamp, alone on a line
_TAGS_THEN_STAMP = re.compile(rf"^(?:[{HAN}]{{1,8}}\s+){{2,8}}{_PUBLICATION_STAMP}$")
# "2022-06-21 11:37   宜都融媒": a stamp followed by the outlet's name, and perhaps by labeled
# fields ("2020-06-11 16:34:00射洪市香山镇 作者:何杰").
_DATED_OUTLET = re.compile(
    # "2020-07-22新闻4": a blog's column and its count
    rf"^{_STAMP_PREFIX}{_PUBLICATION_STAMP}\s*([{HAN}A-Za-z]{{2,12}})\d{{0,4}}"
    rf"(?:\s+(?:作者|编辑|责任编辑|浏览|点击|阅读)\s*[:：].*"
    # "2024-10-11 16:37 中国发展网 记者 倪文忠": the outlet's reporter, without a colon
    rf"|\s+(?:记者|通讯员|作者)\s*[{HAN}]{{2,4}}(?:[\s、]+[{HAN}]{{2,4}})*)?$"
)
# Labeled page facts: publication time, source, and the register fields of government
# information-disclosure pages (索引号 11522400/2022-00318 looks like a date and is not one).
_LABELED_META = re.compile(
    r"^(?:[•·]\s*)?(?:"  # "• 发布时间:2017-11-22 来源:…" in a list of page facts
    r"(?:发布|发表|更新|录入)?(?:时间|日期)\s*[:：]|(?:发布|发表)于\s*[:：]"
    r"|(?:(?:文章|信息|新闻)?来源|来自|稿源|转自|转载自|(?:文章)?作者|浏览次数|点击数|阅读数|索引号|文号|发文字号|发布机构|所属机构"
    r"|主题分类|成文日期)\s*[:：])"
)
_PUBLISHED_IN_META = re.compile(rf"(?:(?:发布|发表|更新)?(?:时间|日期)|(?:发布|发表)于)\s*[:：]\s*{_PUBLICATION_STAMP}")
# "四团镇…协商会如期举行 发布时间:2020年11月27日": a stamp at the end of the headline's line.
_TRAILING_STAMP = re.compile(
    rf"\s+(?:(?:(?:发布|发表|更新)?(?:时间|日期)|(?:发布|发表)于)\s*[:：]\s*{_PUBLICATION_STAMP}$"
    # "…推进会召开 2025-07-21 来源:某某微信公众号"
    rf"|{_PUBLICATION_STAMP}\s+(?:来源|作者)\s*[:：].{{0,30}}$"
    # "…等在分会场参加会议 2020年07月01日": a full date alone at the end of a headline's line
    r"|((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)$"
    # "陈某某副区长调研顾村镇… ( 2023-10-18 14:09 )": the stamp in brackets after a headline
    rf"|[（(]\s*{_PUBLICATION_STAMP}\s*[)）]$)"
)
# "2025-03-19 14:113月18日至20日": a stamp's time glued to the body's first date
_TIME_GLUED_TO_DATE = re.compile(r"(?<=\d:\d{2})(?=\d{1,2}月\d{1,2}日)")
# "北京时间2022年11月9日（农历…），星期三，": a site's clock glued to the first paragraph.
_CLOCK_PREFIX = re.compile(
    r"^北京时间\s*(?:19|20)\d{2}年\d{1,2}月\d{1,2}日(?:\s*[（(]农历[^）)]*[）)])?\s*[,，]?\s*(?:星期|周)[一二三四五六日天]\s*[,，]?"
)
_TIMED_STAMP = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?\s*\d{1,2}:\d{2}(?::\d{2})?")
_OUTLET_IN_BYLINE = re.compile(
    rf"([{HAN}]{{2,10}}?(?:日报|晚报|融媒体中心|新闻网|广播电视台|电视台))(?:全媒体)?(?:记者|通讯员|特约)"
)
_OUTLET_ITEM = re.compile(rf"[{HAN}]{{2,10}}(?:新闻网|融媒体中心|融媒|发布|日报|报|网)")
_SITE_OWNER = re.compile(rf"主办(?:单位)?\s*[:：]\s*([{HAN}（）()]{{2,40}})")
# The value, not the next field's label: "来源: 作者: 编辑:" has no source.
_SOURCE_IN_META = re.compile(r"(?:来源|稿源|转自|转载自)\s*[:：]\s*([^\s:：|]{2,30})(?![^\s]*[:：])")
_SOURCE_LINE = re.compile(r"^(?:本站|本网|(?:来源|稿源)\s*[:：]\s*\S.{0,30})$")
_VIEW_COUNTER = re.compile(
    r"^(?:\d+\s*(?:次|人)?\s*(?:阅读|浏览|点击|views?)|(?:阅读|浏览|点击)(?:量|数|次数)?\s*[:：]?\s*\d+\s*次?)$",
    re.IGNORECASE,
)
_CONTACT_LABEL = r"(?:电话|联系电话|咨询电话|服务热线|热线|手机|传真|tel|q\s*q|微信号?|邮箱|e-?mail)\s*[:：]"
_CONTACT = re.compile(rf"^{_CONTACT_LABEL}", re.IGNORECASE)
_PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9})(?![\d元万亿户人名个])")
_IMAGE_NAME = re.compile(r"[A-Za-z0-9_\-.]+\.(?:jpe?g|png|gif|bmp|webp|tiff?)", re.IGNORECASE)
_EDITOR_LINE = re.compile(
    r"^(?:(?:责任|实习|网络)?编辑|责编|校对|审核|审校|初审|复审|终审|监制|签发|摄影|美编|值班编辑)\s*[:：]"
)
# "周口日报·新周口客户端记者 张猛 通讯员 胡永涛": a byline on its own line, without brackets.
_BYLINE_LINE = re.compile(
    rf"^(?:[{HAN}A-Za-z·•]{{2,20}}?)?(?:全媒体)?(?:记者|通讯员|实习生)\s*[{HAN}]{{2,4}}"
    rf"(?:\s+(?:(?:记者|通讯员|实习生)\s*)?[{HAN}]{{2,4}})*$"
)
# Footers. Unmistakable footer words start a footer wherever they stand (not 版权所有人, a
# copyright holder); the others only a footer made of fields (各村逐户登记备案号，… stays). A footer
# is removed as the span from its first word to the end of its line, never as the line it shares
# with the report: a scraper that flattens a page puts the report and the footer on one line.
_FOOTER_STRONG_WORDS = r"版权所(?!有[人者])|copyright|©|icp备|icp证|公网安备|all\s+rights?\s+reserved"
_FOOTER_STRONG = re.compile(_FOOTER_STRONG_WORDS, re.IGNORECASE)
_FOOTER_WEAK_WORDS = r"备案号|网站标识码|许可证编号|技术支持\s*[:：]|主办单位\s*[:：]|承办单位\s*[:：]|网站地图"
_FOOTER_WORD = re.compile(rf"(?P<strong>{_FOOTER_STRONG_WORDS})|(?P<weak>{_FOOTER_WEAK_WORDS})", re.IGNORECASE)
_SENTENCE_END = ("。", "！", "？", "；")
# "（图片版权所有：某某网）", "(图/某某网 版权所有)": a credit inside a sentence; only the parenthesis goes.
_COPYRIGHT_CREDIT = re.compile(
    rf"[（(][^（）()]{{0,40}}?(?:{_FOOTER_STRONG_WORDS})[^（）()]{{0,40}}[)）]", re.IGNORECASE
)
# A footer is fields (the site's name, licence numbers, an address), not the report's sentences.
# After report text on its line, a footer with punctuation is at most MAX_FOOTER_CHARS long and its
# sentences (版权所有，未经授权不得转载。) at most MAX_FOOTER_SENTENCE: a longer tail is report text
# that happens to follow a footer word, and stays.
MAX_FOOTER_CHARS = 300  # the longest footer of the real pages and seeds is 129 characters
MAX_FOOTER_SENTENCE = 60
_CLAUSE_PUNCT = re.compile(r"[，,；;。！？!?]")
_SENTENCE_STOP = re.compile(r"[。！？!?]")
_FOOTER_BOUNDARY = re.compile(r"[。！？；]")  # the footer starts after the report's last sentence
_NAME_SEPARATOR = re.compile(r"[\s|｜，,、]")  # ...or, after a clause, at the site's name
# Site navigation: a breadcrumb (当前位置：首页 > 时政要闻) or a menu of short links (安徽 北京 重庆 …),
# which would otherwise be read as the headline and its place names as the report's places.
_BREADCRUMB = re.compile(r"^(?:您?(?:当前|现在)?的?位置|当前位置)\s*[:：]|^首页\s*[>»/]")
# "第02版:要 闻", "第01版", "第A03版:旺苍 上一版3 4下一版", "3 上一篇 下一篇 4 -- 旺苍 -- 版次:[ A03 ]": an
# e-paper's page label or page navigation, whose date header is the date.
_EPAPER_PAGE = re.compile(
    r"^第\s*[A-Za-z]?\d{1,3}\s*版(?:\s*[:：].{0,12}?(?:\s*上一版\s*\d*\s*\d*\s*下一版)?)?$"
    r"|^.{0,40}版次\s*[:：]\s*[\[【［]?\s*[A-Za-z]?\d{1,3}\s*[\]】］]?$"
)
_FIELD_LABEL = re.compile(rf"[{HAN}]{{2,5}}\s*[:：]")
# Cut off with ASCII dots by a listing page (an ellipsis "……" or "…" may be the writer's own).
_TEASER = re.compile(r"[，,][^，,]*\.{2,}$")
_MENU_LABEL = re.compile(rf"^[{HAN}]{{2,6}}\s*[:：]\s*")
_MENU_ITEM = re.compile(rf"[{HAN}A-Za-z]{{1,6}}")
# A news app's invitation above its article (扫一扫 / 下载某某新闻APP / 体验更多精彩): short lines that
# would otherwise be taken as the headline, pushing the real headline into the body.
_APP_PROMO = re.compile(
    r"^(?:扫一扫|扫码(?:下载|关注|阅读)?|长按(?:识别)?二维码|体验更多精彩|打开\S{0,12}(?:APP|客户端)"
    r"|下载\S{0,12}(?:APP|客户端)|点击(?:查看|阅读)原文|分享到)[^\s。！？，,]{0,12}$",
    re.IGNORECASE,
)


def _is_trail(line: str) -> bool:
    """浙江在线 > 遂昌新闻网 > 专题专栏: a breadcrumb without its 当前位置 label."""
    items = [item.strip() for item in re.split(r"[>»]", line)]
    return len(items) >= 3 and all(0 < len(item) <= 12 and " " not in item for item in items[:-1])


def _is_menu(line: str) -> bool:
    """安徽 北京 重庆 福建 广东…, or a labeled one: 旗下栏目: 涡阳县 蒙城县 亳州市/谯城区 利辛县."""
    label = _MENU_LABEL.match(line)
    items = line[label.end() if label else 0 :].split()
    enough = 4 if label else 5
    return len(items) >= enough and all(_MENU_ITEM.fullmatch(part) for item in items for part in item.split("/"))


# A line rule that matches at a line's start (a breadcrumb, a contact field) takes the whole line
# only when no report follows on it: a page flattened onto one line loses its breadcrumb, not its
# report. The chrome is then delimited by its own shape (crumbs joined by >, label：value fields);
# when it cannot be, the line stays whole: chrome kept is better than a report lost.
MIN_REPORT_HAN = 20  # a report's text: a full stop and at least this many characters
_LEADING_CHROME = {
    "navigation": re.compile(
        r"^(?:(?:您?(?:当前|现在)?的?位置|当前位置)\s*[:：]\s*)?[^\s>»/]{1,12}(?:\s*[>»/]+\s*[^\s>»/]{1,12})+(?=\s)"
    ),
    "contact-line": re.compile(rf"^(?:{_CONTACT_LABEL}\s*[^\s:：]+\s+)+", re.IGNORECASE),
}


def _holds_report(text: str) -> bool:
    return bool(_SENTENCE_STOP.search(text)) and len(HAN_CHAR.findall(text)) >= MIN_REPORT_HAN


def _split_leading_chrome(rule: str, line: str) -> tuple[str, str] | None:
    """(chrome, report) of a line whose chrome rule matched at its start and that holds a report
    after it; ("", line) when that report follows chrome that cannot be delimited; None otherwise."""
    if rule not in _LEADING_CHROME or not _holds_report(line):
        return None
    if (m := _LEADING_CHROME[rule].match(line)) and _holds_report(line[m.end() :]):
        return m.group(0).strip(), line[m.end() :].strip()
    return "", line


_CAPTION = re.compile(r"^[（(]([^（）()]{2,80})[)）]$")
# 会议现场 / 活动现场 / 调研现场 / 座谈会现场 / 图片 standing before the first words of a paragraph.
_LEADING_CAPTION = re.compile(rf"^(?:[{HAN}]{{0,4}}(?:会议|活动|调研|座谈会|培训|观摩)现场|现场图片|图片)[ \u3000]+")
# "…图为南伊村村民在采摘草莓。 新华社记者孙非 摄": a photo's caption, credited to its photographer.
_CREDITED_PHOTO = re.compile(rf"图为.{{0,120}}(?:记者|通讯员|摄影)\s*[{HAN}]{{2,4}}(?:\s*[{HAN}]{{2,4}})*\s*摄\s*$")
# The last labeled field of a byline, its value (a name, at most four characters), then a
# paragraph that starts with its date or runs to a full stop.
_GLUED_PARAGRAPH = re.compile(
    rf"(?:作者|编辑|责任编辑|来源|稿源)\s*[:：]\s*[{HAN}]{{2,4}}?((?:\d{{1,2}}月\d{{1,2}}日|近日|日前)[^。]*。.*)$"
)
_COLUMN = re.compile(r"^【([^【】]{2,40})】\s*(?=\S)")

# --- inline rules -----------------------------------------------------------------------------
_EDITOR_CREDIT = re.compile(r"[（(]\s*([^（）()：:]{0,20}?)\s*(?:责任)?编辑\s*[:：]\s*([^（）()]{1,20})[)）]")
_BYLINE = re.compile(rf"[（(]([^（）()]{{0,40}}(?:记者|通讯员|实习生)\s*[{HAN}]{{2,4}}[^（）()]{{0,40}})[)）]")
# "奉节网讯(记者…)10月10日" is a dateline: outlet + 讯, then a byline, a space or the date.
# An outlet's name may join a paper and its app with a middle dot: 湖南日报·新湖南客户端.
_OUTLET_NAME = rf"[{HAN}A-Za-z][{HAN}A-Za-z·•]"
_OUTLET_LEAD = re.compile(
    rf"^({_OUTLET_NAME}{{0,20}}?(?:网|报|台|社|在线|新闻|融媒|中心|频道|客户端))讯(?=[\s（(\d]|$)"
)
# "红网时刻永州5月15日讯", "本网日喀则4月22日电": outlet (and place) plus the day it was filed. That day
# is when the story was sent, not when the meeting was; the body says the meeting's day.
# "读特客户端·深圳新闻网2022年11月17日讯" writes the year too; the dateline keeps only month and day.
# "重庆晨报1月5日消息 昨天凌晨…" files it as 消息.
_DATED_LEAD = re.compile(
    # "中国台湾网5月3日乐昌市讯": the place may follow the date
    rf"^({_OUTLET_NAME}{{0,24}}?)(?:(?:19|20)\d{{2}}年)?(\d{{1,2}}月\d{{1,2}}日)(?:[{HAN}]{{2,6}}?)?(?:讯|电|消息)(?=[\s（(\d]|$)"
)
_NOT_OUTLETS = {"本报", "本网", "本台", "本刊", "本站", "通"}
# A lost run may drag the ASCII residue of a damaged pinyin annotation with it ("??h人大").
# ...or the tail of an annotation whose "(" was lost with its character: "變?yōu)閴".
_LOST = re.compile(rf"(?:\?+|\ufffd+)(?:[a-z{_TONED}]{{1,6}}[)）]|[a-z]{{1,2}}(?=[{HAN}]))?")
_QUESTION_PARTICLES = "吗呢么吧啊嘛"
_HAN_OR_LATIN_CHAR = re.compile(f"[{HAN}A-Za-z]")


@dataclass
class _Log:
    removals: list[Removal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    page_dates: list[str] = field(default_factory=list)
    epaper: bool = False
    published: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    dateline: str | None = None
    lost_warnings: int = 0
    lost_unreported: int = 0  # places with lost characters beyond MAX_LOST_WARNINGS

    def remove(self, rule: str, text: str, line: int) -> None:
        self.removals.append(Removal(rule=rule, text=text, line=line))

    def add_outlet(self, outlet: str) -> None:
        outlet = outlet.strip()
        if outlet and outlet not in _NOT_OUTLETS and outlet not in self.outlets:
            self.outlets.append(outlet)


def remove_pinyin(text: str, log: _Log) -> str:
    """Drop `(zhèn)`-style annotations after Han characters; keep real parentheticals."""
    starts = _line_starts(text)

    def repl(m: re.Match[str]) -> str:
        if not _is_pinyin(m.group(1)):
            return m.group(0)
        log.remove("pinyin-annotation", m.group(0), bisect.bisect_right(starts, m.start()))
        return ""

    return _PINYIN.sub(repl, text)


# Terminal escape sequences (CSI "ESC [ … m", OSC "ESC ] … BEL" that retitles a window, 8-bit CSI)
# and other control characters are no text of a report: they reach a reader's terminal or mail
# client as commands. Tab and line breaks are the only control characters text needs.
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-_]?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)


def remove_control_characters(text: str, log: _Log) -> str:
    if not _CONTROL.search(text):
        return text
    starts = _line_starts(text)

    def repl(m: re.Match[str]) -> str:
        log.remove("control-characters", m.group(0), bisect.bisect_right(starts, m.start()))
        return ""

    return _CONTROL.sub(repl, text)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
    return starts


def classify_chrome_line(line: str) -> str | None:
    """Name of the chrome rule that a whole line matches, or None for body text."""
    if is_link_line(line):  # 原文链接：http://…, read by ingest as the card's link
        return "source-link"
    if _DATE_FRAGMENT.match(line):
        return "page-date" if _WEEKDAY.search(line) else "publication-line"
    if _VIEW_COUNTER.match(line):
        return "view-counter"
    if _CONTACT.match(line) or (len(line) <= 40 and _PHONE.search(line) and "。" not in line):
        return "contact-line"
    if _IMAGE_NAME.fullmatch(line):
        return "image-filename"
    if _EDITOR_LINE.match(line) and len(line) <= 80:
        return "editor-line"
    if _BYLINE_LINE.match(line) and len(line) <= 60:
        return "byline"
    if footer_start(line) == 0:
        return "copyright-footer"
    if (
        _LABELED_META.match(line)
        or _DATED_META.match(line)
        or _DATED_OUTLET.match(line)
        or _OUTLET_THEN_STAMP.match(line)
        or _TAGS_THEN_STAMP.match(line)
        or _FORUM_EDITED.match(line)
        or _SHORT_YEAR_STAMP.match(line)
        # "某某政协网: www.example.gov.cn 发布时间:2024-05-25 发布者:…": the label mid-line, among
        # other labeled fields (a headline with a stamp at its end is not a meta line)
        or (
            _PUBLISHED_IN_META.search(line)
            and len(_FIELD_LABEL.findall(line)) >= 2
            and not any(end in line for end in _SENTENCE_END)
        )
    ) and len(line) <= 120:
        return "meta-line"
    if _SOURCE_LINE.match(line):
        return "source-line"
    if _BREADCRUMB.match(line) or _is_menu(line) or _is_trail(line) or _APP_PROMO.match(line):
        return "navigation"
    if _EPAPER_PAGE.match(line):
        return "epaper-page"
    if _TEASER.search(line) and len(line) <= 80:
        return "teaser"  # "10月25日，某部长主持召开部常务会议，进..": another article's cut-off lead
    return None


def footer_start(line: str) -> int | None:
    """Where the footer that ends `line` starts (0: the line is a footer of its own), or None.

    Each footer word is tried in order; the footer starts at the clause that holds it, so a site's
    name before the word (今日某某网版权所有) goes with it, and runs to the end of the line."""
    for word in _FOOTER_WORD.finditer(line):
        start = _clause_start(line, word.start())
        if _is_footer(line[start:], weak=word.group("weak") is not None, whole=start == 0):
            return start
    return None


def _clause_start(line: str, at: int) -> int:
    """The start of the clause that holds position `at`: after the last sentence end before it;
    when the clause is a sentence (it has commas), the name just before `at`."""
    boundary = max((m.end() for m in _FOOTER_BOUNDARY.finditer(line, 0, at)), default=0)
    prefix = line[boundary:at]
    if _CLAUSE_PUNCT.search(prefix):
        boundary += max((m.end() for m in _NAME_SEPARATOR.finditer(prefix)), default=len(prefix))
    return boundary + len(line[boundary:at]) - len(line[boundary:at].lstrip())


def _is_footer(span: str, weak: bool, whole: bool) -> bool:
    if weak and (span.endswith(_SENTENCE_END) or (not whole and _CLAUSE_PUNCT.search(span))):
        return False  # a weak word in a sentence (主办单位：县委宣传部，承办单位：…) is report text
    if not _CLAUSE_PUNCT.search(span):
        return True  # fields only, however many
    if len(span) > MAX_FOOTER_CHARS:
        return False
    return all(len(sentence) <= MAX_FOOTER_SENTENCE for sentence in _SENTENCE_STOP.split(span)[:-1])


def remove_footer(line: str, lineno: int, log: _Log) -> str:
    """Copyright credits in parentheses, then the footer that ends the line (all of a footer line);
    what is left of the line is cleaned like any other."""

    def credit(m: re.Match[str]) -> str:
        log.remove("copyright-credit", m.group(0), lineno)
        return ""

    if _FOOTER_STRONG.search(line):
        line = _COPYRIGHT_CREDIT.sub(credit, line)
    start = footer_start(line)
    if start is None:
        return line
    _lift_metadata("copyright-footer", line[start:], log)
    log.remove("copyright-footer", line[start:], lineno)
    return line[:start].rstrip()


def _lift_metadata(rule: str, line: str, log: _Log) -> None:
    """Keep the facts hidden in chrome lines that we are about to remove."""
    if rule == "page-date":
        log.page_dates.append(line)
    elif rule == "publication-line":
        log.published.append(line)
    elif rule == "meta-line":
        if m := _OUTLET_THEN_STAMP.match(line):
            log.published.append(m.group(2))
            log.add_outlet(m.group(1))
        elif m := _TAGS_THEN_STAMP.match(line) or _FORUM_EDITED.match(line):
            log.published.append(m.group(1))  # the words before it are tags or the poster, not an outlet
        elif m := _SHORT_YEAR_STAMP.match(line):
            log.published.append(f"20{m.group(1)}-{m.group(2)}-{m.group(3)} {m.group(4)}")
        elif m := _PUBLISHED_IN_META.search(line) or _DATED_META.match(line) or _DATED_OUTLET.match(line):
            log.published.append(m.group(1))
        elif m := _TIMED_STAMP.search(line):  # 来源: 某某 2021-08-18 10:27:49: a stamp with its time
            log.published.append(m.group(0))
        if m := _SOURCE_IN_META.search(line) or _DATED_OUTLET.match(line):
            log.add_outlet(m.group(m.lastindex or 1))
    elif rule == "byline":
        log.bylines.append(line)
        if outlet := _OUTLET_IN_BYLINE.search(line):
            log.add_outlet(outlet.group(1))
    elif rule == "epaper-page":
        log.epaper = True
    elif rule == "navigation":
        for item in re.split(r"[>»]", line):  # a news site's own name in its breadcrumb
            if _OUTLET_ITEM.fullmatch(item.strip()):
                log.add_outlet(item.strip())
    elif rule == "copyright-footer" and (m := _SITE_OWNER.search(line)):
        log.add_outlet(m.group(1))  # the site's owner (主办单位：某某区政协) is the publisher
    elif rule == "source-line" and (m := _SOURCE_IN_META.search(line)):
        log.add_outlet(m.group(1))


def remove_inline_chrome(line: str, lineno: int, log: _Log) -> str:
    """Outlet datelines, editor credits, bylines, image names inside a paragraph."""
    if (m := _TRAILING_STAMP.search(line)) and not line[: m.start()].endswith(_SENTENCE_END):
        log.remove("meta-line", m.group(0).strip(), lineno)
        log.published.append(m.group(1) or m.group(2) or m.group(3) or m.group(4))
        line = line[: m.start()]
    if m := _CLOCK_PREFIX.match(line):
        log.remove("page-date", m.group(0), lineno)
        log.page_dates.append(m.group(0))
        line = line[m.end() :].lstrip()
    if m := _OUTLET_LEAD.match(line):
        log.remove("outlet-dateline", m.group(0), lineno)
        log.add_outlet(m.group(1))
        line = line[m.end() :].lstrip(" :：")
    elif not log.dateline and (m := _DATED_LEAD.match(line)):
        log.remove("outlet-dateline", m.group(0), lineno)
        log.add_outlet(m.group(1))
        log.dateline = m.group(2)
        line = line[m.end() :].lstrip(" :：")

    def credit(m: re.Match[str]) -> str:
        log.remove("editor-credit", m.group(0), lineno)
        log.add_outlet(m.group(1))
        return ""

    line = _EDITOR_CREDIT.sub(credit, line)

    def byline(m: re.Match[str]) -> str:
        log.remove("byline", m.group(0), lineno)
        log.bylines.append(" ".join(m.group(1).split()))
        if outlet := _OUTLET_IN_BYLINE.search(m.group(1)):  # （四川日报全媒体记者 某某）
            log.add_outlet(outlet.group(1))
        return ""

    line = _BYLINE.sub(byline, line)

    def image(m: re.Match[str]) -> str:
        log.remove("image-filename", m.group(0), lineno)
        return ""

    return _IMAGE_NAME.sub(image, line).strip()


def mark_lost_characters(line: str, lineno: int, log: _Log, input_line: str = "") -> str:
    """`?` runs that stand for characters lost in a bad conversion: mark them, invent nothing.

    The warning's column is counted in the input line (before any cleaning), where a reader who
    opens the file will look for it.
    """
    cursor = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal cursor
        found, start = m.group(0), m.start()
        run = found[: len(found) - len(found.lstrip("?\ufffd"))]
        before = line[start - 1] if start else ""
        after = line[m.end()] if m.end() < len(line) else ""
        if found == "?":
            # 导 ?语: a scraper's space beside the lost character; the characters around it decide
            if before == " " and start >= 2 and HAN_CHAR.match(line[start - 2]):
                before = line[start - 2]
            if after == " " and m.end() + 1 < len(line) and HAN_CHAR.match(line[m.end() + 1]):
                after = line[m.end() + 1]
        han_before = bool(HAN_CHAR.match(before or " "))
        han_near = han_before or bool(_HAN_OR_LATIN_CHAR.match(after or " "))
        if found == "?":
            # One "?" after a question particle or at the end of a clause is a real question mark.
            if before in _QUESTION_PARTICLES or not after or after in '”"’）)':
                return found
            if not (han_before and HAN_CHAR.match(after)):
                return found
        elif not han_near and "\ufffd" not in run:  # a byte that could not be decoded is always lost
            return found
        if log.lost_warnings >= MAX_LOST_WARNINGS:
            # A 2 MB line of "奉?" is a million places: count them, do not describe each one.
            log.lost_unreported += 1
        else:
            at = input_line.find(found, cursor)
            cursor = max(cursor, at + len(found)) if at >= 0 else cursor
            column = (at if at >= 0 else start) + 1
            residue = "，其后注音残余已删除" if found != run else ""
            context = line[max(0, start - 6) : start] + LOST_MARK * len(run) + line[m.end() : m.end() + 6]
            if "\ufffd" in run:
                what = f"有{len(run)}个无法解码的字节，已标为{LOST_MARK}{residue}"
            else:
                what = f"有{len(run)}个字符丢失（原文“{run}”，已标为{LOST_MARK}{residue}）"
            log.warnings.append(f"第{lineno}行第{column}列{what}：…{context}…")
            log.lost_warnings += 1
        if found != run:
            log.remove("lost-character-residue", found[len(run) :], lineno)
        return LOST_MARK * len(run)

    return _LOST.sub(repl, line)


_HALF_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！"}
_HALF_PUNCT_RE = re.compile(rf"(?<=[{HAN}”’）》」{LOST_MARK}])[,;:!]|[,;:!](?=[{HAN}“‘（《「])")
_PAREN_HAN = re.compile(rf"\(([^()]*[{HAN}][^()]*)\)")


def normalize_punctuation(line: str) -> str:
    """Half-width punctuation inside Chinese text -> full-width (not in 1,000 or 16:09)."""
    line = _HALF_PUNCT_RE.sub(lambda m: _HALF_PUNCT[m.group(0)], line)
    return _PAREN_HAN.sub(r"（\1）", line)


_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u3000]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def clean_text(raw: str) -> CleanText:
    """The whole cleaning pipeline for one report."""
    log = _Log()
    text = _INVISIBLE.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    input_lines = text.split("\n")
    text = remove_control_characters(text, log)
    text = remove_pinyin(text, log)
    text, converted = to_simplified(text)
    body: list[str] = []
    for lineno, raw_line in enumerate(text.split("\n"), start=1):
        line = _TIME_GLUED_TO_DATE.sub("\n", _SPACES.sub(" ", raw_line).strip(), count=1)
        if "\n" in line:  # the stamp and the body's first words were one line: two lines again
            head, line = line.split("\n", 1)
            if head_rule := classify_chrome_line(head):
                _lift_metadata(head_rule, head, log)
                log.remove(head_rule, head, lineno)
            else:
                line = f"{head} {line}"
        if not line:
            continue
        line = remove_footer(line, lineno, log)
        if not line:
            continue
        rule = classify_chrome_line(line)
        if rule == "meta-line" and (glued := _GLUED_PARAGRAPH.search(line)):
            # "日期:… 来源:某报 作者:王达12月19日,市委…会议召开。": the page lost the line break
            # between its byline and the first paragraph; the paragraph is text.
            line, rest = line[: glued.start(1)], line[glued.start(1) :]
            _lift_metadata(rule, line, log)
            log.remove(rule, line, lineno)
            line = rest
            rule = None
        if rule and (split := _split_leading_chrome(rule, line)):
            # "当前位置：首页 > 乡镇动态 6月12日，…召开…。": the report after the breadcrumb stays.
            chrome, line = split
            if chrome:
                _lift_metadata(rule, chrome, log)
                log.remove(rule, chrome, lineno)
            rule = classify_chrome_line(line) if chrome else None
        if rule:
            _lift_metadata(rule, line, log)
            log.remove(rule, line, lineno)
            continue
        line = remove_inline_chrome(line, lineno, log)
        if not line:
            continue
        caption = _CREDITED_PHOTO.search(line)
        if caption and _holds_report(line[: caption.start()]):
            # "…会议召开。图为会议现场。 记者张三 摄": the caption ends the paragraph, which stays.
            log.remove("photo-caption", caption.group(0), lineno)
            line = line[: caption.start()].rstrip()
        elif caption or _CAPTION.match(line):
            log.remove("photo-caption", line, lineno)
            continue
        if (lead := _LEADING_CAPTION.match(line)) and _holds_report(line[lead.end() :]):
            # "会议现场 近日，某镇召开…": a photo's caption a scraper glued before the lead.
            log.remove("photo-caption", lead.group(0).strip(), lineno)
            line = line[lead.end() :]
        if m := _COLUMN.match(line):
            log.columns.append(m.group(1))
            log.remove("column-tag", m.group(0).strip(), lineno)
            line = line[m.end() :]
        line = mark_lost_characters(line, lineno, log, input_lines[lineno - 1])
        body.append(normalize_punctuation(line))
    if log.lost_unreported:
        log.warnings.append(
            f"…及另外{log.lost_unreported}处字符丢失，已标为{LOST_MARK}（只列出前{MAX_LOST_WARNINGS}处）"
        )
    meta = PageMeta(
        bylines=tuple(log.bylines),
        outlets=tuple(log.outlets),
        published=" ".join(log.published) if log.published else None,
        page_dates=tuple(log.page_dates),
        epaper=log.epaper,
        columns=tuple(log.columns),
        dateline=log.dateline,
    )
    return CleanText(
        text="\n".join(body),
        removals=tuple(log.removals),
        warnings=tuple(log.warnings),
        meta=meta,
        converted=converted,
    )
