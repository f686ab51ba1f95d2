"""本周概览: the week's picture before the cards.

- 要点: 3–5 numbered points, one line each (date · place · who · what was decided), chosen by
  importance (below), each with why it was chosen (`overview.key_points[]`: event, text, why);
- one counts line: reports collected, events they merge into, when those were held (this week,
  before it, date unknown), provinces and counties covered;
- themes of rural-revitalisation work from the taxonomy below, each with its count and events;
- the week's largest figures (money, people, households, area …) with their sources;
- events per province against the previous weeks' digests in the archive;
- a lead paragraph of 3–5 sentences, one per event in order of importance (extractive), rewritten
  by the seq2seq model and checked by its faithfulness guard when one is configured.

Only the week's new events count; events already reported in an earlier week are listed in the
digest under 此前已报道 and only counted in `previously_reported`.

When a meeting was held (`held_when`). A meeting is held this week when its date, with a year the
page states or the text implies (`ReportDate.year_basis` stated or context), is on or after the
week's Monday; recently when it is within `[digest] recent_days` (default 14) before that; earlier
when it is before that. A year taken from the collection date is no known year: such a meeting is
undated, unless its month and day fall before the recent window even in the latest year they can
be of (dates.py takes the latest year not after the collection): then it is earlier in any year,
and shown without a year. Earlier meetings leave the cards for the compact 往期会议（本周采集）.

Importance of a meeting (`importance`), for 要点 and the lead paragraph, scored in one place:
- its level (national > province > city > county > township): the higher of the level of its
  place (a report placed at a county is a county meeting) and of the leading official's post (the
  chair, else the highest post: 省委书记 visiting a county makes a provincial event), each step
  above the township worth LEVEL_WEIGHT;
- the core business (CORE_THEMES: 防返贫监测, 考核督导与问题整改, 衔接资金与项目): CORE_WEIGHT;
- a decision stated (会议要求/强调/指出/明确/部署/决定 …): DECISION_WEIGHT.
Points come from the meetings held this week, the most important first (then the more recent, the
more sources); a meeting without a place comes after those with one. When no meeting was held this
week they come from the recent ones, else the undated, else the earlier ones, and the overview
says so (`key_points_from`). Each point is made of the report's own words: its date as shown on
the card, its place, the leading official, and the clause that states the decision (from the
summary, else the body), cut at a clause boundary to about KEY_POINT_CHARS characters; without a
decision, the headline.

Theme taxonomy. An event belongs to a theme when the theme's words occur in its headline
(`TITLE_THEME_WEIGHT`) or body (`BODY_THEME_WEIGHT`, each distinct word once) with a total of at
least `THEME_MIN_SCORE`; an
event can belong to several themes, or to none. The words are matched on the cleaned Simplified
text. Themes and their words:
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .models import Event, Figure, Official, PageMeta, Region, Report, ReportDate, SourceFile
from .sentences import split_sentences
from .text import UNPLACED, clause_start

THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("防返贫监测", ("防返贫", "防止返贫", "返贫监测", "监测对象", "动态监测", "致贫风险", "监测帮扶")),
    ("产业帮扶", ("产业帮扶", "产业扶贫", "扶贫产业", "特色产业", "产业园", "产业发展", "合作社", "种植", "养殖")),
    ("就业帮扶", ("就业帮扶", "稳岗", "务工", "劳务", "技能培训", "公益性岗位", "扶贫车间", "帮扶车间", "就业")),
    ("驻村帮扶/第一书记", ("驻村", "第一书记", "工作队")),
    ("人居环境整治", ("人居环境", "厕所革命", "改厕", "垃圾", "污水", "村容村貌", "环境整治")),
    ("基础设施", ("基础设施", "道路", "公路", "饮水", "供水", "水利", "通村", "电网")),
    (
        "教育医疗住房保障",
        ("三保障", "教育", "控辍保学", "医疗", "医保", "住房安全", "危房", "健康扶贫", "兜底", "低保"),
    ),
    ("消费帮扶", ("消费帮扶", "消费扶贫", "电商", "直播带货", "产销对接", "农产品销售")),
    ("衔接资金与项目", ("衔接资金", "扶贫资金", "财政资金", "项目库", "项目资金", "资金项目", "扶贫项目", "资产管理")),
    ("党建引领", ("党建", "党支部", "基层党组织", "党员", "党组织")),
    ("考核督导与问题整改", ("考核", "督导", "督查", "整改", "巡视", "审计", "回头看", "暗访", "评估")),
    ("东西部协作与定点帮扶", ("东西部协作", "东西部扶贫协作", "定点帮扶", "对口帮扶", "对口支援", "结对帮扶")),
)
# A theme word in the headline says what the meeting was about; one in the body may be an aside.
# With these, one headline word or three distinct body words place an event in a theme. Set by
# hand with the taxonomy; tests/test_overview.py checks the themes found on the seeds.
TITLE_THEME_WEIGHT = 3
BODY_THEME_WEIGHT = 1
THEME_MIN_SCORE = 3
MAX_FIGURES = 6
LEAD_MIN, LEAD_MAX = 3, 5
LEAD_SENTENCE_MAX_CHARS = 150

# 要点: how many, how long, and the weights of importance (see the module's docstring). A level
# step is worth as much as the core business or a decision: a provincial meeting with neither
# (3 steps: 6) ties with a county meeting on 防返贫 that states a decision (1 + 2 + 2 … 6).
KEY_POINTS_MIN, KEY_POINTS_MAX = 3, 5
KEY_POINT_CHARS = 80
LEVEL_WEIGHT = 2
CORE_WEIGHT = 2
DECISION_WEIGHT = 2
CORE_THEMES = ("防返贫监测", "考核督导与问题整改", "衔接资金与项目")

# When a meeting was held, against the week (held_when).
THIS_WEEK, RECENT, EARLIER, UNDATED = "this_week", "recent", "earlier", "undated"
RECENT_DAYS = 14
# Where 要点 come from, in this order of preference: this week's meetings unless there are none.
KEY_POINT_SOURCES = (THIS_WEEK, RECENT, UNDATED, EARLIER)

__doc__ += "\n".join(f"  {name}: {'、'.join(words)}" for name, words in THEMES) + "\n"

# Figures are compared within a kind: 1.2亿元 is larger than 958户 only in digits.
_SCALE = {"万亿": 1e12, "亿": 1e8, "万": 1e4}
# The kinds the overview compares, in the order it shows them; a figure's kind comes from its own
# words (extract/figures.py), so a village's 产值 never stands as the week's largest 资金.
_KINDS = ("资金", "户数", "人数", "收入", "产值", "GDP", "面积")


@dataclass(frozen=True)
class Theme:
    name: str
    count: int
    events: tuple[str, ...]  # event ids


@dataclass(frozen=True)
class TopFigure:
    kind: str  # one of _KINDS: 资金 / 户数 / 人数 / 收入 / 产值 / GDP / 面积
    text: str  # the span of the report, e.g. 全县脱贫人口人均可支配收入11886元
    amount: float  # in the base unit (元, 人, 户, 亩 …)
    unit: str
    event: str
    title: str
    place: str
    source: str  # the file it was read from


@dataclass(frozen=True)
class ProvinceChange:
    province: str
    events: int
    previous: tuple[tuple[str, int], ...]  # (week, events) for each earlier week with a digest
    average: float | None  # mean of `previous`; None without history
    change: float | None  # events - average


@dataclass(frozen=True)
class KeyPoint:
    """One 要点: a meeting in one line, and why it was chosen."""

    event: str  # event id
    text: str  # 2026年12月9日 · 四川省广安市邻水县 · 县委书记张某 · 会议要求，…
    why: str  # 省级会议；核心业务：防返贫监测；有部署要求；本周举行


@dataclass(frozen=True)
class Held:
    """How many of the week's events (new and previously reported) were held when."""

    this_week: int = 0  # on or after the week's Monday, with a known year
    recent: int = 0  # within recent_days before it, with a known year
    earlier: int = 0  # before that: the 往期会议 list
    undated: int = 0  # no date, or a month and day without a year that may be this week's

    @property
    def before(self) -> int:
        return self.recent + self.earlier


@dataclass(frozen=True)
class Overview:
    events: int  # distinct events in the digest (new + previously reported)
    reports: int
    new_events: int
    previously_reported: int
    provinces: int
    counties: int
    themes: tuple[Theme, ...]
    figures: tuple[TopFigure, ...]
    by_province: tuple[ProvinceChange, ...]
    history_weeks: tuple[str, ...]  # the earlier weeks compared against
    lead: str
    lead_backend: str = "extractive"
    key_points: tuple[KeyPoint, ...] = ()
    key_points_from: str | None = None  # THIS_WEEK, RECENT, UNDATED or EARLIER; None without events
    held: Held = Held()
    recent_days: int = RECENT_DAYS

    @property
    def counts_line(self) -> str:
        """本周采集 N 篇，合并为 M 场会议和活动；本周举行 X 场，此前举行 Y 场，日期不详 Z 场；
        涉及 P 个省级地区、C 个县 (one line)."""
        line = f"本周采集 {self.reports} 篇，合并为 {self.events} 场会议和活动"
        if self.previously_reported:
            line += f"（其中 {self.previously_reported} 场此前已报道）"
        held = self.held
        line += f"；本周举行 {held.this_week} 场，此前举行 {held.before} 场，日期不详 {held.undated} 场"
        return line + f"；涉及 {self.provinces} 个省级地区、{self.counties} 个县"

    @property
    def key_points_note(self) -> str:
        """Where the 要点 come from, in a sentence for the reader."""
        return {
            THIS_WEEK: "要点取自本周举行的会议。",
            RECENT: f"本周没有确知在本周举行的会议；要点取自本周前 {self.recent_days} 天内举行的会议。",
            UNDATED: "本周没有确知在本周或近期举行的会议；要点取自日期不详的会议。",
            EARLIER: "本周采集的都是往期会议；要点取自往期会议。",
        }.get(self.key_points_from or "", "")

    def to_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "reports": self.reports,
            "new_events": self.new_events,
            "previously_reported": self.previously_reported,
            "key_points": [{"event": k.event, "text": k.text, "why": k.why} for k in self.key_points],
            "key_points_from": self.key_points_from,
            "held": {
                "this_week": self.held.this_week,
                "before": self.held.before,
                "recent": self.held.recent,
                "earlier": self.held.earlier,
                "undated": self.held.undated,
                "recent_days": self.recent_days,
            },
            "counts_line": self.counts_line,
            "provinces": self.provinces,
            "counties": self.counties,
            "themes": [{"name": t.name, "count": t.count, "events": list(t.events)} for t in self.themes],
            "figures": [
                {
                    "kind": f.kind,
                    "text": f.text,
                    "amount": f.amount,
                    "unit": f.unit,
                    "event": f.event,
                    "title": f.title,
                    "place": f.place,
                    "source": f.source,
                }
                for f in self.figures
            ],
            "by_province": [
                {
                    "province": p.province,
                    "events": p.events,
                    "previous": dict(p.previous),
                    "average": p.average,
                    "change": p.change,
                }
                for p in self.by_province
            ],
            "history_weeks": list(self.history_weeks),
            "lead": self.lead,
            "lead_backend": self.lead_backend,
        }


def event_themes(report: Report) -> list[str]:
    found = []
    for name, words in THEMES:
        score = sum(TITLE_THEME_WEIGHT for w in words if w in report.title)
        score += sum(BODY_THEME_WEIGHT for w in words if w in report.body)
        if score >= THEME_MIN_SCORE:
            found.append(name)
    return found


def find_themes(events: Sequence[Event]) -> tuple[Theme, ...]:
    members: dict[str, list[str]] = {name: [] for name, _ in THEMES}
    for event in events:
        for name in event_themes(event.lead):
            members[name].append(event.id)
    themes = [Theme(name, len(ids), tuple(ids)) for name, ids in members.items() if ids]
    order = {name: i for i, (name, _) in enumerate(THEMES)}
    return tuple(sorted(themes, key=lambda t: (-t.count, order[t.name])))


def _amount(figure: Figure) -> tuple[str, float, str] | None:
    """(kind, amount in the base unit, base unit), for the kinds the overview compares."""
    if figure.kind not in _KINDS:
        return None
    scale, base = 1.0, figure.unit
    for prefix, factor in _SCALE.items():
        if base.startswith(prefix) and base != prefix:
            scale, base = factor, base[len(prefix) :]
            break
    try:
        return figure.kind, float(figure.value) * scale, base
    except ValueError:
        return None


def largest_figures(events: Sequence[Event]) -> tuple[TopFigure, ...]:
    """The largest figure of each kind, then the runners-up, up to MAX_FIGURES."""
    by_kind: dict[str, list[TopFigure]] = {}
    for event in events:
        lead = event.lead
        for figure in lead.figures:
            parsed = _amount(figure)
            if parsed is None:
                continue
            kind, amount, base = parsed
            by_kind.setdefault(kind, []).append(
                TopFigure(kind, figure.text, amount, base, event.id, lead.title, lead.region.label(), lead.source.path)
            )
    ranked = {kind: sorted(items, key=lambda f: (-f.amount, f.source)) for kind, items in by_kind.items()}
    chosen: list[TopFigure] = []
    depth = 0
    while len(chosen) < MAX_FIGURES and any(len(items) > depth for items in ranked.values()):
        for kind in _KINDS:
            items = ranked.get(kind, [])
            if len(items) > depth and len(chosen) < MAX_FIGURES:
                chosen.append(items[depth])
        depth += 1
    return tuple(chosen)


def province_changes(events: Sequence[Event], history: dict[str, dict[str, int]]) -> tuple[ProvinceChange, ...]:
    counts = Counter(e.lead.region.province or UNPLACED for e in events)
    for week in history.values():
        for province in week:
            counts.setdefault(province or UNPLACED, 0)
    out = []
    for province, n in counts.items():
        previous = tuple((week, history[week].get(province, 0)) for week in sorted(history))
        average = round(sum(c for _, c in previous) / len(previous), 2) if previous else None
        change = round(n - average, 2) if average is not None else None
        out.append(ProvinceChange(province, n, previous, average, change))
    return tuple(sorted(out, key=lambda p: (p.province == UNPLACED, -p.events, p.province)))


# --- when a meeting was held ----------------------------------------------------------------------


def held_when(date: ReportDate, start: dt.date, recent_days: int = RECENT_DAYS) -> str:
    """THIS_WEEK, RECENT, EARLIER or UNDATED for a meeting of this date, in the week that starts
    on `start` (see the module's docstring). A date after the week counts as this week's: it is
    a page's slip or an announcement, and no older news."""
    if date.iso is None:
        return UNDATED
    day = dt.date.fromisoformat(date.iso)
    cutoff = start - dt.timedelta(days=recent_days)
    if date.year_basis in ("stated", "context"):
        if day >= start:
            return THIS_WEEK
        return RECENT if day >= cutoff else EARLIER
    # The year is the latest one not after the collection: in any other year it is older still.
    return EARLIER if day < cutoff else UNDATED


def count_held(events: Sequence[Event], start: dt.date, recent_days: int = RECENT_DAYS) -> Held:
    counts = Counter(held_when(e.lead.date, start, recent_days) for e in events)
    return Held(counts[THIS_WEEK], counts[RECENT], counts[EARLIER], counts[UNDATED])


# --- importance -------------------------------------------------------------------------------------

# Levels, highest first; a meeting's level is the higher of its place's and its leader's post's.
NATIONAL, PROVINCIAL, MUNICIPAL, COUNTY_LEVEL, TOWNSHIP, VILLAGE = range(6)
LEVEL_NAMES = ("国家级", "省级", "市级", "县级", "乡镇级", "村级")
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")  # their 市委 is a provincial organ
# The organ a post belongs to, by level. A title names its organs from the top down (山西省晋中市
# 昔阳县大寨村党总支书记), so the last organ named is the post's own. 乡村/农村 are no township or
# village; 自治区 is a province, not a district.
_POST_ORGANS = re.compile(
    r"(?P<n0>中央|国务院|全国(?:人大|政协)|国家[^，。、]{0,8}?[部局委])"
    r"|(?P<n1>省委|省政府|省人大|省政协|省纪委|省长|副省长|自治区(?:党委|政府|人大|政协|主席|纪委)|省[^，。、]{0,8}?[厅局办]|厅长)"
    r"|(?P<n2>[市州盟](?:委|长|政府|人大|政协|纪委|领导)|行署|市[^，。、县区]{0,8}?[局办委])"
    r"|(?P<n3>[县区旗](?:委|长|政府|人大|政协|纪委|领导)|[县区旗][^，。、乡镇]{0,8}?[局办委])"
    r"|(?P<n4>(?:镇|(?<!城)乡(?!村)|街道|苏木)(?:党委|党工委|政府|人大|长|委)?)"
    r"|(?P<n5>(?<![乡农])村)"
)


def post_level(title: str, region: Region) -> int | None:
    """The level of the organ a post belongs to (None when its title names none)."""
    found = list(_POST_ORGANS.finditer(title))
    if not found or found[-1].lastgroup is None:
        return None
    level = int(found[-1].lastgroup[1])
    if level == MUNICIPAL and region.province in MUNICIPALITIES:
        return PROVINCIAL
    county = region.county or ""
    if level == MUNICIPAL and county.endswith("市") and title.startswith(("市", county, county[:-1])):
        return COUNTY_LEVEL  # the 市长 of a county-level city
    return level


def place_level(region: Region) -> int | None:
    if region.town:
        return TOWNSHIP
    if region.county:
        return COUNTY_LEVEL
    if region.city:
        return MUNICIPAL
    return PROVINCIAL if region.province else None


def leading_official(report: Report) -> Official | None:
    """The chair, else the official of the highest post (a 书记 before a 长, a deputy after both)."""
    if chairs := report.officials_with("主持"):
        return chairs[0]

    def rank(item: tuple[int, Official]) -> tuple[bool, int, bool, bool, int]:
        index, official = item
        level = post_level(official.title, report.region)
        head = official.title.endswith("书记")
        # Someone with a part in the meeting (出席, 讲话 …) before one only named: 贯彻落实省委书记
        # 某某的讲话精神 quotes a leader who was not there.
        return (not official.roles, VILLAGE + 1 if level is None else level, "副" in official.title, not head, index)

    ranked = sorted(enumerate(report.officials), key=rank)
    return ranked[0][1] if ranked else None


def meeting_level(report: Report) -> int | None:
    levels = [place_level(report.region)]
    if (leader := leading_official(report)) is not None:
        levels.append(post_level(leader.title, report.region))
    known = [level for level in levels if level is not None]
    return min(known) if known else None


# A decision stated: 会议要求/强调…, or someone 要求/强调/明确/部署/决定… followed by what (a comma,
# a colon, 要 or 了); 指出/提出 state views as often as decisions, so they count only when no
# sentence says more. What was asked before (按照/根据…要求) or met (达到…要求) is no decision,
# nor a comparison (思路更明确).
_DECISION_WORDS = ("要求|强调|明确|部署|决定|号召", "指出|提出")
_DECISIONS = tuple(re.compile(rf"会议(?:{words})|(?:{words})(?=[，,：:]|要|了)") for words in _DECISION_WORDS)
_NOT_A_DECISION = re.compile(r"按照|根据|对照|依照|遵照|达到|符合|满足|贯彻|落实|[的更很较]$")
_SENTENCE_STOPS = "。！？；\n"
_PRONOUN_SUBJECT = re.compile(r"(?:他|她|其)(?=[^，。]{0,30}?(?:要求|强调|指出|提出|明确|部署|表示))")
_CLAUSE_STOPS = "，,；;、：:"


def decision_clause(report: Report) -> str | None:
    """The clause that states what the meeting decided, required or deployed, to its sentence's
    end: from the summary, else the body; None when neither states one."""
    texts = (report.summary.text if report.summary else "", report.body)
    for pattern in _DECISIONS:
        for text in texts:
            for m in pattern.finditer(text):
                start = clause_start(text, m.start(), "，,。！？；;：:\n")
                if not m.group(0).startswith("会议") and _NOT_A_DECISION.search(text[start : m.start()]):
                    continue
                stops = (text.find(ch, m.end()) for ch in _SENTENCE_STOPS)
                end = min((i for i in stops if i >= 0), default=len(text))
                clause = text[start:end].strip()
                if len(clause) > len(m.group(0)) + 4:
                    return clause
    return None


def known_place(region: Region) -> str:
    """The place as far as it is known, saying what is not: 城关镇（所属县未定）."""
    label = region.label()
    if region.town and not region.county:
        return f"{label}（所属县未定）"
    if (region.city or region.county) and not region.province:
        return f"{label}（所属省未定）"
    return label


def core_themes(report: Report) -> list[str]:
    return [name for name in event_themes(report) if name in CORE_THEMES]


@dataclass(frozen=True)
class Importance:
    score: int
    level: int | None
    core: tuple[str, ...]
    decision: str | None


def importance(event: Event) -> Importance:
    """The event's importance: its level, core business and decision, each weighted (see above)."""
    lead = event.lead
    level = meeting_level(lead)
    core = tuple(core_themes(lead))
    decision = decision_clause(lead)
    score = LEVEL_WEIGHT * max(0, TOWNSHIP - level) if level is not None else 0
    score += CORE_WEIGHT if core else 0
    score += DECISION_WEIGHT if decision else 0
    return Importance(score, level, core, decision)


def _shorten(text: str, budget: int) -> str:
    """`text` within `budget` characters, cut at the last clause boundary that fits (… marks the cut)."""
    text = text.rstrip("。")
    if len(text) <= budget:
        return text
    cut = max(text.rfind(ch, 0, budget) for ch in _CLAUSE_STOPS)
    if cut < budget // 2:
        cut = budget - 1
    return text[:cut].rstrip(_CLAUSE_STOPS) + "…"


def key_point_text(event: Event, decision: str | None) -> str:
    """date · place · who · what, each the report's own words, about KEY_POINT_CHARS long."""
    lead = event.lead
    leader = leading_official(lead)
    who = f"{leader.title}{leader.name}" if leader else ""
    parts = [lead.date.display(), known_place(lead.region)]
    what = decision or lead.title
    # 他指出，… names no one: the point says who (the leading official, with post) in its place.
    if leader is not None and (pronoun := _PRONOUN_SUBJECT.match(what)):
        what = f"{who}{what[pronoun.end() :]}"
    if who and leader is not None and leader.name not in what:
        parts.append(who)
    prefix = " · ".join(parts) + " · "
    return prefix + _shorten(what, max(KEY_POINT_CHARS - len(prefix), 24))


def key_point_why(rated: Importance, held: str) -> str:
    reasons = []
    if rated.level is not None:
        reasons.append(f"{LEVEL_NAMES[rated.level]}会议")
    if rated.core:
        reasons.append(f"核心业务：{'、'.join(rated.core)}")
    if rated.decision:
        reasons.append("有部署要求")
    reasons.append({THIS_WEEK: "本周举行", RECENT: "近期举行", UNDATED: "日期不详", EARLIER: "往期会议"}[held])
    return "；".join(reasons)


@dataclass(frozen=True)
class RankedEvent:
    """An event in importance order (`rank_events`), with when it was held and how it was rated."""

    event: Event
    held: str  # THIS_WEEK, RECENT, UNDATED or EARLIER
    importance: Importance


def rank_events(events: Sequence[Event], start: dt.date, recent_days: int = RECENT_DAYS) -> tuple[RankedEvent, ...]:
    """Every event in the 要点's order of importance: this week's meetings first, then the recent,
    the undated and the earlier ones (KEY_POINT_SOURCES); inside each, the most important first,
    then the later meeting, then the one with more sources. The 要点 are the first of these; the
    email gives the next ones in full."""
    rated = [RankedEvent(e, held_when(e.lead.date, start, recent_days), importance(e)) for e in events]

    def rank(item: RankedEvent) -> tuple[int, bool, int, str, int, str]:
        lead = item.event.lead
        # Later dates first: the ISO date with its digits complemented sorts descending.
        newest = "".join(str(9 - int(c)) if c.isdigit() else c for c in (lead.date.iso or "0000-00-00"))
        source = KEY_POINT_SOURCES.index(item.held)
        return (source, lead.region.province is None, -item.importance.score, newest, -len(item.event.reports),
                lead.source.path)  # fmt: skip

    return tuple(sorted(rated, key=rank))


def choose_key_points(
    events: Sequence[Event], start: dt.date, recent_days: int = RECENT_DAYS
) -> tuple[tuple[KeyPoint, ...], str | None]:
    """3–5 points (fewer when fewer meetings qualify) from the first non-empty of this week's,
    the recent, the undated and the earlier meetings; and which of these they come from."""
    ranked = rank_events(events, start, recent_days)
    if not ranked:
        return (), None
    source = ranked[0].held
    chosen = [item for item in ranked if item.held == source][:KEY_POINTS_MAX]
    points = tuple(
        KeyPoint(r.event.id, key_point_text(r.event, r.importance.decision), key_point_why(r.importance, source))
        for r in chosen
    )
    return points, source


def _lead_rank(event: Event) -> tuple[int, int, int, str]:
    # The most important first; among equals, many sources mean the week found it important.
    return (-importance(event).score, -len(event.reports), -len(event.lead.figures), event.lead.source.path)


_EVENT_SENTENCE = re.compile(r"\d{1,2}月\d{1,2}日|召开|举行|调研|督导|检查|部署")


def _first_sentence(report: Report) -> str | None:
    """The sentence that states the event (date, 召开 …) from the summary, else the body."""
    for text in (report.summary.text if report.summary else "", report.body):
        sentences = [s for s in split_sentences(text) if 12 <= len(s) <= LEAD_SENTENCE_MAX_CHARS]
        for sentence in sorted(sentences, key=lambda s: not _EVENT_SENTENCE.search(s)):
            return sentence if sentence[-1] in "。！？" else sentence + "。"
    return None


def extractive_lead(events: Sequence[Event]) -> str:
    """3–5 whole sentences of the week's events, one per event, spread over provinces first."""
    ranked = sorted(events, key=_lead_rank)
    chosen: list[str] = []
    seen_provinces: set[str | None] = set()
    for spread in (True, False):
        for event in ranked:
            if len(chosen) == LEAD_MAX:
                break
            province = event.lead.region.province
            if spread and province in seen_provinces:
                continue
            sentence = _first_sentence(event.lead)
            if sentence and sentence not in chosen:
                chosen.append(sentence)
                seen_provinces.add(province)
        if len(chosen) >= LEAD_MIN:
            break
    return "".join(chosen)


# The summarizer's guard lets a unit repeated three times through (去去去, 保障保障保障); in a
# paragraph that opens the briefing even that is a broken rewrite.
_TRIPLED = re.compile(r"(.{1,8}?)\1\1", re.DOTALL)


def degenerate_lead(text: str) -> str | None:
    """Why a generated lead paragraph may not be shown, beyond the summary guard; None if fine."""
    if m := _TRIPLED.search(text):
        return f"repetition ('{m.group(1)}' three times)"
    return None


def lead_report(text: str) -> Report:
    """The lead paragraph as a report, so a summarizer backend (and its guard) can rewrite it."""
    source = SourceFile("本周概览", len(text.encode("utf-8")), "utf-8", dt.datetime.now().astimezone(), "text")
    return Report(source, text, "本周概览", "overview", ReportDate.unknown(), Region(), PageMeta())


def make_overview(
    events: Sequence[Event],
    previously: Sequence[Event],
    history: dict[str, dict[str, int]] | None = None,
    lead: str | None = None,
    lead_backend: str = "extractive",
    *,
    start: dt.date | None = None,
    recent_days: int = RECENT_DAYS,
) -> Overview:
    """`start`: the week's Monday, against which a meeting is this week's or older (None: the
    earliest meeting's day, so that every dated meeting counts as this week's)."""
    history = history or {}
    every = [*events, *previously]
    if start is None:
        days = [dt.date.fromisoformat(e.lead.date.iso) for e in every if e.lead.date.iso]
        start = min(days, default=dt.date.today())
    key_points, key_points_from = choose_key_points(events, start, recent_days)
    provinces = {e.lead.region.province for e in events if e.lead.region.province}
    counties = {(e.lead.region.province, e.lead.region.county) for e in events if e.lead.region.county}
    return Overview(
        events=len({e.id for e in every}),
        reports=sum(len(e.reports) for e in every),
        new_events=len(events),
        previously_reported=len(previously),
        provinces=len(provinces),
        counties=len(counties),
        themes=find_themes(events),
        figures=largest_figures(events),
        by_province=province_changes(events, history),
        history_weeks=tuple(sorted(history)),
        lead=extractive_lead(events) if lead is None else lead,
        lead_backend=lead_backend,
        key_points=key_points,
        key_points_from=key_points_from,
        held=count_held(every, start, recent_days),
        recent_days=recent_days,
    )
