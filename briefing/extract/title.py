"""The report's headline, and the body without it.

Scraped text files start with zero to three headline lines (a kicker such as 踏上新征程 续写新篇章,
then the headline). A headline line is short and is not a sentence. When a page has no headline at
all, the title is derived from the first sentence's meeting clause (城关镇召开…推进会) and the rule
says so. HTML pages give their <title>, which wins.

That is the headline the facts read (split_title). The card shows card_title: the same page's
headline with its furniture taken off (menus, stamps, bylines, 原标题：, list numbers), the best of
an HTML page's <title>, <h1> and og:title, or — for a page without a headline — one made from the
lead: {organiser}召开{meeting}, {meeting}在{venue}召开, {official}到{place}调研{topic}.
"""

from __future__ import annotations

import re

from ..models import Official, Region
from ..text import HAN, HAN_CHAR, han_count
from .catalog import message

MAX_TITLE_CHARS = 64
MAX_DERIVED_CHARS = 30  # a clause shown as a title; the region reads all of it
_SENTENCE_END = tuple("。！？；!?;")
_EVENT_WORDS = re.compile(r"召开|会议|推进会|座谈会|部署|调研|督导|举行|开展|动员")
_EVENT_VERBS = re.compile(r"召开|举行|举办|部署|调研|督导|开展|动员")
# 召开了…会议 / 召开的…会议 (a meeting others convened): the particle is no part of the name.
_MEETING = re.compile(r"召开[了的]?([^，。；、]{2,40}?(?:会议|会))")
_PLACE_SUBJECT = re.compile(rf"(?:^|[，。；])([{HAN}]{{2,10}}(?:镇|乡|县|区|市|村|街道|州|旗|盟))$")


def is_headline(line: str) -> bool:
    return (
        len(line) <= MAX_TITLE_CHARS
        and not line.endswith(_SENTENCE_END)
        and "，" not in line
        and not re.match(r"^\d{1,2}月\d{1,2}日", line)
    )


def split_title(text: str, html_title: str | None = None) -> tuple[str, str, str]:
    """Return (title, rule, body): the body is the text without its headline lines."""
    title, rule_id, count, body = read_title(text, html_title)
    return title, message(rule_id, n=count), body


def read_title(text: str, html_title: str | None = None) -> tuple[str, str, int, str]:
    """Return (title, rule id, headline lines, body): the headline the facts read, the id of the
    rule that chose it (catalog.py: title.read.*), how many headline lines stood above the body,
    and the body without them."""
    lines = text.split("\n")
    heads: list[str] = []
    while lines and len(heads) < 3 and is_headline(lines[0]) and len(lines) > 1:
        heads.append(lines.pop(0))
    body = "\n".join(lines)
    if html_title:
        return html_title, "title.read.html_title", len(heads), body
    if heads:
        if len(heads) == 1:
            return heads[0], "title.read.headline_line", 1, body
        # A kicker precedes the headline; the headline names the event.
        eventful = [h for h in heads if _EVENT_WORDS.search(h)]
        # A line that says what was done (——某乡召开推进会) names the event better than a photo
        # caption that only mentions a meeting (参加会议领导).
        acting = [h for h in eventful if _EVENT_VERBS.search(h)]
        chosen = (acting or eventful or heads)[-1].lstrip("—－- ")
        return chosen, "title.read.headline_lines", len(heads), body
    return derive_title(body), "title.read.derived_first_sentence", 0, body


def derive_title(body: str) -> str:
    """A one-line title for a page without a headline: the longest line of its lead, cut to
    MAX_DERIVED_CHARS."""
    line = max(derive_lead(body).split("\n"), key=len).strip()
    return line if len(line) <= MAX_DERIVED_CHARS else line[:MAX_DERIVED_CHARS] + "…"


_SUBJECTLESS_MOVE = re.compile(r"^(?:来|到|赴|前往|深入)")


def derive_lead(body: str) -> str:
    """The meeting clause of the first sentence (城关镇召开…推进会), else its longest clause. The
    first sentence may run over the lines of a page's chrome; what it names still places the
    report, so the region reads the lead, while the title shown is one line of it."""
    first = re.split(r"[。！？]", body, maxsplit=1)[0]
    if m := _MEETING.search(first):
        before = first[: m.start()]
        meeting = m.group(1)
        if subject := _PLACE_SUBJECT.search(before):
            return f"{subject.group(1)}召开{meeting}"
        return meeting
    clause = re.split(r"[，；]", first)
    # 王某带领党政考察团，来我市考察学习…: a move without its subject takes the clause before it
    clause = [f"{clause[i - 1]}{c}" if i and _SUBJECTLESS_MOVE.match(c) else c for i, c in enumerate(clause)]
    return max(clause, key=len) if clause else first


def find_meeting(body: str) -> str | None:
    """The meeting's name from the opening sentences (召开…推进会), when it is a meeting report."""
    opening = "".join(re.split(r"(?<=[。！？])", body)[:2])
    m = _MEETING.search(opening)
    return m.group(1) if m else None


# ==================================================================================================
# The card's title. The facts above (region, officials) read the headline as split_title finds it,
# and go on reading exactly that: what the reader sees is the page's headline with its furniture
# taken off, or, for a page without one, a headline made from the lead's meeting or visit clause.
# ==================================================================================================

MIN_HEADLINE_HAN = 6  # 要闻, 微信, 今日澧州, 督导现场: a column, a menu item or a caption, not a headline
MAX_SCAN_LINES = 10  # the lines above the first paragraph where menus, stamps and headlines stand
MAX_LEAD_SENTENCES = 4  # where a page without a headline says what happened
SHORT_DERIVED_CHARS = 40  # a derived title longer than this names each person by one post only

# Furniture, each kind by name: a line (or a whitespace- or |-separated part of one) that matches
# is page chrome, never a headline. The first match names the kind.
_FURNITURE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("web address", re.compile(r"https?://|www\.|\.(?:com|cn|net|org|gov|html?)\b", re.IGNORECASE)),
    ("timestamp", re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?\s*\d{1,2}:\d{2}|\d{1,2}:\d{2}:\d{2}")),
    ("register or article number", re.compile(r"\d{6,}|\d{4,}/\d{4}-\d+")),
    (
        "site or app furniture",
        re.compile(
            r"^(?:登录|登陆|注册|首页|微信|微博|信箱|English)$|字号|字体|查看隐藏|需先登录|刊号|热线|分享到|扫一扫|二维码|"
            r"当前位置|所在的?位置|网站支持|无障碍|浏览次数|点击[率数量]|打印本页|关闭窗口|加入收藏|IPv6|读完约|本篇文章|"
            r"发布时间|信息来源|来源[:：]|出版$|出版[:：]|主办[:：]|主办单位|版权|ICP|备案号|APP|客户端"
        ),
    ),
    ("byline", re.compile(r"记者|通讯员|实习生|编辑[:：]|责任编辑|责编|供稿|作者[:：]|摄影?[:：]|[（(]摄[）)]")),
    ("photo caption", re.compile(r"(?:现场|合影|留影|剪影)$|^图[:：为片]")),
)
# A name standing alone: the site's, the publisher's or an outlet's (某某县人民政府, 英国某某公司_官方网站).
_SITE_NAME = re.compile(
    r"(?:网|网站|网页|门户|在线|频道|政府|人民政府|日报|晚报|报社|电视台|融媒|融媒体中心|新闻中心|公司|集团)$"
)
# Prefixes that stand before a headline and are not part of it, stripped in this order (repeatedly).
_HEAD_PREFIXES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bullet", re.compile(r"^[•·●○■◆◇▪▸▶►➤*>]+\s*")),
    ("dash", re.compile(r"^[—－-]+\s*")),
    (
        "list number",
        re.compile(
            r"^(?:\d{1,2}\s*[.、．](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)\s*"
        ),
    ),
    ("date stamp", re.compile(r"^(?:\d{4}[-/.年])?\d{1,2}[-/.月]\d{1,2}日?\s+")),
    ("original-title label", re.compile(r"^(?:原标题|标题|题目)\s*[:：]\s*")),
    ("column tag", re.compile(r"^[【\[][^】\]]{1,12}[】\]]\s*")),
    ("site prefix", re.compile(r"^[^\s:：，]{2,24}?(?:官方网站|网站|网页|网|在线|客户端)\s*[:：]\s*")),
    ("column name", re.compile(r"^《[^》]{2,8}》(?=.*(?:召开|举行|举办|调研|考察|开展|部署))")),
)
# Clauses that begin in the middle of a sentence, or say who attended: never a headline.
_MID_SENTENCE = re.compile(
    r"^(?:[的了着并及而等就向，、：；”’]|对(?!口)|正在|带领|来到|要(?!闻)|为(?:了|进一步|深入|全面|切实|推动|确保|贯彻)|"
    r"按照|根据|据|通过|会上|会议(?:指出|强调|要求))"
)
_ATTENDANCE = re.compile(r"(?:参加|出席|列席|参会|到会)了?(?:会议|活动|本次会议)?$")
_HEAD_EVENT = re.compile(
    r"召开|会议|会$|座谈|推进|部署|调研|督导|考察|视察|慰问|检查|举行|举办|开展|动员|开幕|论坛|调度|对接|交流|观摩|启动"
)
_HEAD_ACTION = re.compile(r"召开|举行|举办|部署|调研|督导|考察|视察|慰问|检查|开展|动员|调度|开幕|启动")

# A meeting named without a place or an organiser (座谈会, 区委常委会, 东西部扶贫协作推进会).
_MEETING_END = re.compile(r"(?:会议?|大会|论坛)(?:召开|举行)?$")
_SCOPE_OR_LEVEL = re.compile(
    r"全[省市县区镇乡村旗州]|^[省市县区镇乡旗州盟](?:委|政府|人大|政协)|\d{4}年(?:度)?|第.{1,3}次"
)
_PLACE_OR_ORGAN = re.compile(
    r"[省市县区镇乡村旗州盟]|委|政府|局|办|厅|人大|政协|工作队|代表团|考察团|调研组|中心|集团|公司|学校|大学|学院|"
    r"法院|检察院|医院|协会|商会|联盟"
)


def _furniture_kind(text: str) -> str | None:
    for kind, pattern in _FURNITURE:
        if pattern.search(text):
            return kind
    return None


def _is_debris_part(part: str) -> bool:
    """A whitespace- or |-separated piece of a headline line that is chrome: furniture, a site's
    name standing alone, or punctuation only (the / of 有思想 / 有温度)."""
    if not HAN_CHAR.search(part) and not re.search(r"[A-Za-z0-9]{2}", part):
        return True
    if _furniture_kind(part):
        return True
    return bool(_SITE_NAME.search(part)) and not _HEAD_ACTION.search(part)


def strip_head_prefixes(line: str) -> str:
    """The line without the bullets, list numbers, date stamps, 原标题： labels, column tags and
    site prefixes standing before its headline."""
    previous = None
    while previous != line:
        previous = line
        for _name, pattern in _HEAD_PREFIXES:
            line = pattern.sub("", line, count=1).strip()
    return line


def clean_headline(line: str) -> str:
    """A headline line with the page's furniture taken off: its prefixes, and the parts around it
    (separated by spaces or |) that are chrome. Leading chrome is skipped; after the headline's
    first part, the first chrome part ends it (第…开幕 市州动态-政务在线 作者 3219913)."""
    parts = [p for p in re.split(r"\s*[|｜]+\s*|\s+", strip_head_prefixes(line.strip())) if p]
    if any(_furniture_kind(part) == "web address" for part in parts):
        return ""  # a line with a web address is an advertisement or a stamp, never the headline's
    kept: list[str] = []
    for part in parts:
        if _is_debris_part(part):
            if kept:
                break
            continue
        kept.append(strip_head_prefixes(part) if not kept else part)
    return " ".join(p for p in kept if p)


def headline_fault(title: str) -> str | None:
    """Why a (cleaned) line cannot be a card's headline, or None when it can."""
    if not title:
        return "empty"
    if kind := _furniture_kind(title):
        return kind
    if han_count(title) < MIN_HEADLINE_HAN:
        return "too short: a column, a menu item or a caption"
    if _SITE_NAME.search(title) and not _HEAD_ACTION.search(title):
        return "a site's or publisher's name"
    if _MID_SENTENCE.match(title):
        return "a clause starting mid-sentence"
    if _ATTENDANCE.search(title):
        return "an attendance sentence"
    if not is_headline(title):
        return "a sentence"
    return None


def leading_headlines(text: str) -> list[str]:
    """The headline lines at the top of a page, cleaned, in order (at most three: a kicker, the
    headline, a subtitle). Chrome lines are skipped; the first paragraph ends the search."""
    heads: list[str] = []
    for line in text.split("\n")[:MAX_SCAN_LINES]:
        if not line.strip():
            continue
        cleaned = clean_headline(line)
        if not cleaned:
            continue
        if not is_headline(cleaned):
            if _furniture_kind(line):
                continue
            break  # the first paragraph: headlines stand above it
        if headline_fault(cleaned) is None and cleaned not in heads:
            heads.append(cleaned)
            if len(heads) == 3:
                break
    return heads


def needs_organiser(title: str) -> bool:
    """A meeting named without its place or organiser (座谈会, 区委常委会, 乡村振兴座谈会)."""
    if not _MEETING_END.search(title) or re.search(r"召开|举行|举办|主持", _MEETING_END.sub("", title)):
        return False  # 某某主持召开…会议: the organiser is named
    return not _PLACE_OR_ORGAN.search(_SCOPE_OR_LEVEL.sub("", title))


def _place_name(region: Region) -> str | None:
    """The report's place as a title names it: its lowest level."""
    for name in (region.town, region.county, region.city, region.province):
        if name:
            return name
    return None


def card_title(
    text: str, html_title: str | None, region: Region, officials: tuple[Official, ...] = ()
) -> tuple[str, str]:
    """The card's title and the rule that chose it, in words (see choose_card_title)."""
    title, rule_id, fields = choose_card_title(text, html_title, region, officials)
    return title, message(rule_id, **fields)


def _page_headline(text: str, html_title: str | None) -> tuple[str | None, str, dict[str, object]]:
    """The page's own headline for the card, the id of the rule that chose it and its fields
    (None when the page has none)."""
    if html_title and headline_fault(cleaned := clean_headline(html_title)) is None:
        return cleaned, "title.card.page_headline", {}
    heads = leading_headlines(text)
    if not heads:
        return None, "", {}
    # A kicker precedes the headline; the headline names the event, and one that says what
    # was done names it better than a line that only mentions a meeting.
    eventful = [h for h in heads if _HEAD_EVENT.search(h)]
    acting = [h for h in eventful if _HEAD_ACTION.search(h)]
    title = (acting or eventful or heads)[-1]
    # A line holding the others (三项工作有序推进 花园“窗口”展示东阳, then each half) is the whole.
    whole = [h for h in heads if all(other in h for other in heads)]
    title = whole[0] if whole and len(heads) > 1 else title
    return title, "title.card.headline_line" if len(heads) == 1 else "title.card.headline_lines", {"n": len(heads)}


def choose_card_title(
    text: str, html_title: str | None, region: Region, officials: tuple[Official, ...] = ()
) -> tuple[str, str, dict[str, object]]:
    """The card's title, the id of the rule that chose it (catalog.py: title.card.*) and the
    fields of its wording: the page's headline (its HTML title, or its headline lines without the
    page's furniture), else a headline made from the lead's meeting or visit clause. A bare
    meeting (座谈会) gets its organiser from the lead, or its place."""
    title, rule_id, fields = _page_headline(text, html_title)
    derived = derive_headline(text, region, officials)
    if title is None:
        if derived:
            return derived, "title.card.derived_lead", {}
        return derive_title(text), "title.card.derived_first_sentence", {}
    title = _own_places(title, region)
    if needs_organiser(title):
        meeting = _MEETING_END.sub("", title)
        headline = message(rule_id, **fields)
        if derived and meeting and meeting in derived:
            return derived, "title.card.bare_meeting_organiser", {"headline": headline}
        if place := _place_name(region):
            return f"{place}召开{title.removesuffix('召开')}", "title.card.bare_meeting_place", {"headline": headline}
    return title, rule_id, fields


# --- a headline made from the lead ---------------------------------------------------------------

# Chrome at the start of the lead: datelines (本报讯, 红网时刻永州5月15日讯), bylines in brackets,
# 导读：/[摘要], 据…消息：, 记者…报道.
_LEAD_CHROME: tuple[re.Pattern[str], ...] = (
    re.compile(r"^[^，。\s]{0,24}?(?<![通资])讯\s*"),
    re.compile(r"^[（(][^）)]{0,40}[）)]\s*"),
    re.compile(r"^(?:导读|摘要|\[摘要\]|【摘要】|编者按)\s*[:：]?\s*"),
    re.compile(r"^[^，。]{0,20}?消息\s*[:：]\s*"),
    re.compile(r"^(?:(?:记者|通讯员)\s*[^，。\s]{2,4}\s*)+报道\s*"),
    re.compile(r"^[”\"’\s]+"),
)
# A date or a time of day at the start of a clause (2016年7月26日下午至27日, 2月27, 近日, 17日上午).
_WHEN = re.compile(
    r"^(?:于)?(?:(?:\d{4}年)?\d{1,2}月(?:\d{1,2}(?:日|号)?)?|\d{1,2}(?:日|号)|近日|日前|近期|昨天|昨日|今天|今日|当天|当日|"
    r"上午|下午|晚上|晚间|中午|早上|凌晨|[至到\-—~～]\s*\d{1,2}(?:日|号)?)\s*"
)
_DATE_INSIDE = re.compile(r"于?(?:\d{4}年)?\d{1,2}月\d{1,2}(?:日|号)(?:上午|下午|晚上)?")
# Clauses that frame the news rather than tell it: purpose, authority, occasion. The clauses after
# one belong to it until a date, a meeting or a subject doing something ends it.
_FRAME = re.compile(
    r"^(?:为|为了|按照|根据|依据|围绕|结合|继|在[^，]{0,24}(?:之际|期间|背景下|之后)|记者[^，]*获悉|据[^，]*(?:消息|报道|了解)|"
    r"近年来|今年以来)"
)
# Clauses that go on from the one before: they have no subject of their own.
_NO_SUBJECT = re.compile(
    r"^(?:召开|举行|举办|主持|组织召开|共同|一起|就|对(?!口)|在|带领|率|并|随后|同时|还|先后|深入|来到|来(?!自)|到|赴|前往|开展|进行|"
    r"实地|现场|专题|分别)"
)
_FOLLOW_ON = re.compile(r"^(?:并|随后|同时|还|现场|会后|期间)")
# A verb before 的 is a relative clause (参加了省委召开的会议), not what the clause's subject did.
_MEETING_VERB = re.compile(r"(?:召开|举行|举办|开幕)(?!的)")
_ACTION_VERB = re.compile(
    r"(?:召开|举行|举办|开幕|调研(?!组)|考察(?!团|组)|视察|督导|督查|检查|慰问|看望|走访|进驻|欢迎|庆祝|开展|调度|观摩|部署|"
    r"启动|督战)(?!的)"
)
_SUBJECT_MARK = re.compile(r"[省市县区镇乡村旗州盟]|委|局|办|厅|党组|政府|人大|政协|工作队|团|组|书记|[长任席]")
_ADVERBS = re.compile(
    r"(?:隆重|胜利|顺利|迅即|立即|专门|再次|正式)(?=(?:组织|主持)?(?:召开|举行|举办|开幕|开展|启动|进驻))"
)
_PARTICLE = re.compile(r"(?<=召开|举行|举办|开展|部署|启动)了")
_VENUE = re.compile(
    r"在[^，在]{1,24}?(?:会议室|礼堂|会场|大厅|会堂|报告厅|党校|政府|村委会|办公楼|大楼|[二三四五六七八九十\d]楼)(?=主持|组织|$)"
)
_THEME = re.compile(r"以[^召]{1,40}?为(?:主题|契机|抓手)|以[^召，]{1,12}形式")
_ORGANISE_PEOPLE = re.compile(r"组织(?!部(?!分)|召开)[^召]*$")
_RELATIVE = re.compile(r"^正在[^，]+?的")
_MEETING_NAME = re.compile(r"^(.*(?:会议|大会|会|论坛|仪式)(?:[（(][^）)]*[）)])?)")
_SELF_REFERENCE = re.compile(r"我([县市区镇乡旗])")


def _split_clauses(sentence: str) -> list[str]:
    """Clauses of a sentence, split at ，；： outside quotes and brackets."""
    clauses, depth, start = [], 0, 0
    for i, ch in enumerate(sentence):
        if ch in "“‘《（(「":
            depth += 1
        elif ch in "”’》）)」":
            depth = max(0, depth - 1)
        elif ch in "，,；;：:" and depth == 0:
            clauses.append(sentence[start:i])
            start = i + 1
    clauses.append(sentence[start:])
    return [c.strip() for c in clauses]


def _unquoted(text: str) -> str:
    return re.sub(r"“[^”]*”|（[^）]*）|\([^)]*\)", "", text)


def _lead_sentences(text: str) -> list[str]:
    """The first sentences of the text, each line's chrome taken off; lines of furniture skipped."""
    sentences: list[str] = []
    for line in text.split("\n")[: MAX_SCAN_LINES * 2]:
        line = strip_head_prefixes(line.strip())
        if not line or (_furniture_kind(line) in ("web address", "timestamp") and "。" not in line):
            continue
        previous = None
        while previous != line:
            previous = line
            for pattern in _LEAD_CHROME:
                line = pattern.sub("", line, count=1)
        sentences += [s for s in re.split(r"[。！？!?]", line) if s.strip()]
        if len(sentences) >= MAX_LEAD_SENTENCES:
            break
    return sentences[:MAX_LEAD_SENTENCES]


def _strip_when(clause: str) -> str:
    previous = None
    while previous != clause:
        previous = clause
        clause = _WHEN.sub("", clause, count=1).strip()
    return clause


def _acts(clause: str) -> bool:
    """Whether a clause says that somebody did something (its subject before the verb)."""
    verb = _ACTION_VERB.search(clause)
    return verb is not None and bool(_SUBJECT_MARK.search(clause[: verb.start()]))


def _told_clauses(sentence: str) -> list[str]:
    """The clauses that tell the news: frames (为…, 按照…) dropped with the clauses that belong to
    them, dates and relative clauses (正在…的) taken off."""
    told: list[str] = []
    framing = False
    for raw in _split_clauses(sentence):
        clause = _RELATIVE.sub("", _strip_when(raw))
        dated = clause != raw.strip()
        if _FRAME.match(clause):
            framing = True
            continue
        if framing and not (dated or _MEETING_VERB.search(clause) or _acts(clause)):
            continue
        framing = False
        if clause:
            told.append(clause)
    return told


def _own_places(text: str, region: Region) -> str:
    """我县/我镇/我市 named: the report's own place at that level, where it is known."""

    def name(m: re.Match[str]) -> str:
        for place in (region.town, region.county, region.city):
            if place and place.endswith(m.group(1)):
                return place
        return m.group(0)

    return _SELF_REFERENCE.sub(name, text)


def _shorten(title: str, officials: tuple[Official, ...]) -> str:
    """A long derived title made shorter without losing what happened: its person by the first
    (highest) post only (自治区党委副书记、自治区主席张三 -> 自治区党委副书记张三), a list of people by its
    first (张三、李四一行 -> 张三一行), a list of organisers by its first (甲、乙、丙召开 -> 甲等召开),
    and no second action (…调研并开展慰问活动 -> …调研)."""
    verb = _ACTION_VERB.search(title)
    subject_end = verb.start() if verb else len(title)
    named = sorted((title.find(o.name), o) for o in officials if 0 < title.find(o.name) < subject_end)
    if named:
        at, _first = named[0]
        posts = re.split("[、，]", title[:at])
        if len(posts) > 1 and han_count(posts[0]) >= 2:
            title = posts[0] + title[at:]
        for _at, other in named[1:]:
            title = re.sub(
                rf"、[^、，]{{0,24}}?{re.escape(other.name)}(?=一行|率|带领|等|来到|到|赴|深入|，|、)", "", title
            )
    if len(title) > SHORT_DERIVED_CHARS:
        title = re.sub(r"并(?:开展|进行|召开|看望|慰问|督导|指导)[^并]*$", "", title)
    if len(title) > MAX_TITLE_CHARS and (verb := _MEETING_VERB.search(title)) and "、" in title[: verb.start()]:
        title = title[: verb.start()].split("、")[0] + "等" + title[verb.start() :]
    return title


def _meeting_headline(clause: str, subject: str | None, region: Region) -> str | None:
    """{organiser}召开{meeting}, or {meeting}在{venue}召开, from a clause holding the verb."""
    clause = _THEME.sub("", clause)
    verb = _MEETING_VERB.search(clause)
    if verb is None:
        return None
    before, after = clause[: verb.start()], clause[verb.end() :]
    named = _MEETING_NAME.match(after)
    if named is None:  # 某某会议在某地召开(, 县委书记出席): the clause up to the verb is the headline
        return before + verb.group(0) if han_count(before) >= MIN_HEADLINE_HAN else None
    meeting = named.group(1)
    organiser = _VENUE.sub("", _DATE_INSIDE.sub("", _ORGANISE_PEOPLE.sub("", before))).strip()
    organiser = re.sub(r"^由", "", re.sub(r"(?:组织|牵头)$", "", organiser))
    if not organiser or _NO_SUBJECT.match(organiser):
        organiser = _THEME.sub("", (subject or "") + organiser)
    if not organiser:
        organiser = _place_name(region) or ""
        if not organiser and needs_organiser(meeting):
            return None
    return f"{organiser}{verb.group(0)}{meeting}"


def derive_headline(text: str, region: Region, officials: tuple[Official, ...] = ()) -> str | None:
    """A headline for a page without one, from the first clause of its lead that tells what
    happened: {organiser}召开{meeting} (the organiser from the clauses before when the clause has
    none), {meeting}在{venue}召开, or {official}到{place}调研{topic} (a visit with a meeting on the
    spot is the visit). None when the lead tells nothing of the kind."""
    for sentence in _lead_sentences(text):
        clauses = [_ADVERBS.sub("", _PARTICLE.sub("", c)) for c in _told_clauses(sentence)]
        for i, clause in enumerate(clauses):
            if not _ACTION_VERB.search(clause) or (_FOLLOW_ON.match(clause) and i > 0):
                continue
            # The subject of a clause without one: the clauses right before it that do nothing
            # themselves (校党委书记甲，党委副书记乙，来到…).
            before: list[str] = []
            for previous in reversed(clauses[max(0, i - 3) : i]):
                if _ACTION_VERB.search(previous):
                    break
                before.insert(0, previous)
            subject = _ORGANISE_PEOPLE.sub("", "、".join(before)) or None
            verb = _ACTION_VERB.search(clause)
            if verb and _MEETING_VERB.fullmatch(verb.group(0)):
                title = _meeting_headline(clause, subject, region)
            elif _NO_SUBJECT.match(clause):
                title = f"{subject}{clause}" if subject else None
            else:
                title = clause
            if title is None:
                continue
            title = _own_places(title, region)
            if len(title) > SHORT_DERIVED_CHARS:
                title = _shorten(title, officials)
            if len(title) <= MAX_TITLE_CHARS and headline_fault(_unquoted(title)) is None:
                return title
    return None


# --- HTML: the best of <title>, <h1> and og:title ------------------------------------------------

# "标题_邻水县人民政府", "标题-某某新闻网", "标题 | 奉节网": the tail after a separator that names a
# site. After | the tail is always the site's (or a section's); after _ or a dash only when it
# names a site, so a year range (2016-2020年…) or a ——subtitle stays.
_SITE_TAIL = re.compile(
    r"\s*(?:[|｜].*|(?:_|\s[-—–]\s|[-—–])\s*[^_|｜]{0,30}?(?:网|网站|政府|人民政府|门户|在线|新闻|频道|日报|之窗|融媒|"
    r"电视台|信息港|局|委员会|办公室)\s*)$"
)


def strip_site_name(title: str) -> str:
    """A page's <title> without the site's name after it (and the whole when nothing is left)."""
    stripped = title.strip()
    previous = None
    while previous != stripped:
        previous = stripped
        stripped = _SITE_TAIL.sub("", stripped).strip()
    return stripped or title.strip()


def choose_html_headline(
    h1s: list[str], og_title: str | None, title_tag: str | None, fallback: str | None
) -> str | None:
    """The page's headline: of its <h1>s, og:title and <title> (without the site's name), the one
    that is a headline (not the site's name, a section or a paragraph), names an event, and is
    confirmed by another of them; on a tie the <h1>, then og:title, then <title>. When none is a
    headline, `fallback` (trafilatura's pick): the pipeline puts a paragraph standing as a title
    back into the text, where its dateline and places belong."""
    raw = [*h1s, og_title or "", strip_site_name(title_tag) if title_tag else ""]
    candidates = [cleaned for c in raw if c.strip() and (cleaned := clean_headline(c))]
    good = [(i, c) for i, c in enumerate(candidates) if headline_fault(c) is None]
    if not good:
        return strip_site_name(fallback) if fallback else None

    def strength(item: tuple[int, str]) -> tuple[bool, int, int]:
        order, c = item
        confirmed = sum(1 for j, other in enumerate(candidates) if j != order and (c in other or other in c))
        return bool(_HEAD_EVENT.search(c)), confirmed, -order

    return max(good, key=strength)[1]
