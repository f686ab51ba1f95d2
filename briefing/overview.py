"""本周概览: the week's picture before the cards.

- counts: events and reports, provinces and counties covered;
- themes of rural-revitalisation work from the taxonomy below, each with its count and events;
- the week's largest figures (money, people, households, area …) with their sources;
- events per province against the previous weeks' digests in the archive;
- a lead paragraph of 3–5 sentences chosen across the week's events (extractive), rewritten by
  the seq2seq model and checked by its faithfulness guard when one is configured.

Only the week's new events count; events already reported in an earlier week are listed in the
digest under 此前已报道 and only counted in `previously_reported`.

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

from .models import Event, Figure, PageMeta, Region, Report, ReportDate, SourceFile
from .sentences import split_sentences
from .text import UNPLACED

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

    def to_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "reports": self.reports,
            "new_events": self.new_events,
            "previously_reported": self.previously_reported,
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


def _lead_rank(event: Event) -> tuple[int, int, int, str]:
    lead = event.lead
    # Many sources mean the week found it important; figures and a named meeting make it concrete.
    return (-len(event.reports), -len(lead.figures), -(lead.meeting is not None), lead.source.path)


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
) -> Overview:
    history = history or {}
    every = [*events, *previously]
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
    )
