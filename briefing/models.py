"""Frozen dataclasses passed between the pipeline stages.

ingest -> SourceFile + text; clean -> CleanText; extract -> Report facts; summarize -> Summary;
digest -> Digest. A stage never mutates what it receives: `Report` grows by `dataclasses.replace`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .text import NO_DATE_FOUND, UNPLACED


@dataclass(frozen=True)
class SourceFile:
    """One input file as found on disk, before any interpretation of its text."""

    path: str  # as given on the command line, joined with the path below the input folder
    size: int
    encoding: str  # e.g. "utf-8", "gb18030", "big5", "utf-16"
    collected: dt.datetime  # when the file was collected: its modification time, local zone
    kind: str  # "text" or "html"
    html_title: str | None = None  # <title>/og:title of an HTML page, site suffix removed
    html_date: str | None = None  # publication date found in HTML metadata, ISO format
    url: str | None = None  # where the page can be read online (source_link.py), http(s) only
    url_origin: str | None = None  # where that address was found: "sidecar p001.url", "canonical" …


@dataclass(frozen=True)
class Ingested:
    source: SourceFile
    text: str


@dataclass(frozen=True)
class Skipped:
    """An input file that is not in the digest, and why. Nothing is dropped without one."""

    source: str
    reason: str


@dataclass(frozen=True)
class Removal:
    """One piece of text the cleaner took out of the body (or turned into metadata)."""

    rule: str
    text: str
    line: int  # 1-based line in the decoded input


@dataclass(frozen=True)
class PageMeta:
    """Facts the cleaner lifted out of page chrome instead of throwing them away."""

    bylines: tuple[str, ...] = ()  # "记者 段超 通讯员 王培权"
    outlets: tuple[str, ...] = ()  # "奉节网", "天水在线", "消费质量网"
    published: str | None = None  # raw publication line, e.g. "2022 02/13 16:09"
    page_dates: tuple[str, ...] = ()  # the page's own date headers ("2024年03月29日 星期五")
    columns: tuple[str, ...] = ()  # column tags such as 【巩固拓展脱贫攻坚成果同乡村振兴有效衔接】
    dateline: str | None = None  # the day of a dated dateline ("5月15日" of 红网时刻永州5月15日讯)
    epaper: bool = False  # an e-paper page (第02版): its date header is the date


@dataclass(frozen=True)
class CleanText:
    text: str  # Simplified Chinese body, one paragraph per line
    removals: tuple[Removal, ...]
    warnings: tuple[str, ...]
    meta: PageMeta = field(default_factory=PageMeta)
    converted: int = 0  # characters changed by the Traditional -> Simplified conversion


@dataclass(frozen=True)
class ReportDate:
    iso: str | None
    year: int | None
    month: int | None
    day: int | None
    rule: str  # how the date was determined, in words a reader understands
    confidence: str = "none"  # "high" | "medium" | "low" | "none"
    evidence: str | None = None  # the text the date was read from
    # Where the year comes from: "stated" (the page gives it: the date itself, the meeting's name,
    # the publication stamp), "context" (inferred from the text: year_evidence says what),
    # "collection" (only the collection date suggests it), None without a date.
    year_basis: str | None = None
    year_evidence: str | None = None
    published: str | None = None  # the page's own publication date (ISO), when it has one
    # The id of the rule that decided (extract/catalog.py: date.year.published …) and the ids of
    # every rule that took part, in order. Evidence, not identity: two dates are equal without them.
    rule_id: str | None = field(default=None, compare=False)
    rule_ids: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def unknown(cls, rule: str = NO_DATE_FOUND) -> ReportDate:
        return cls(None, None, None, None, rule, "none", None)

    def display(self) -> str:
        """The date as a reader should see it: a year the page does not give is not printed as if it did."""
        if self.iso is None or self.month is None or self.day is None:
            return "日期不详"
        month_day = f"{self.month}月{self.day}日"
        if self.year_basis == "collection" or self.year is None:
            return f"{month_day}（未注明年份）"
        if self.year_basis == "context":
            return f"{self.year}年{month_day}（据{self.year_evidence or '上下文'}推断）"
        return f"{self.year}年{month_day}"

    def published_display(self) -> str:
        """发布于… when the page's publication date is not the meeting's own date, else nothing."""
        if not self.published or self.published == self.iso:
            return ""
        year, month, day = (int(part) for part in self.published.split("-"))
        return f"发布于{year}年{month}月{day}日"


@dataclass(frozen=True)
class TimeRef:
    """A relative time expression of the text, resolved against the report's date."""

    text: str  # 今年, 去年底, 上周, 本月
    resolved: str  # 2022, 2021-12, 2022-02-07/2022-02-13, 2022-02


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    town: str | None = None
    evidence: tuple[str, ...] = ()
    # The IDs of the rules and features that decided it (region_features.RULES explains each);
    # not part of equality, so archived regions compare equal to freshly resolved ones.
    rule_ids: tuple[str, ...] = field(default=(), compare=False)

    def path(self) -> tuple[str, ...]:
        return tuple(p for p in (self.province, self.city, self.county, self.town) if p)

    def label(self) -> str:
        return "".join(self.path()) or UNPLACED


@dataclass(frozen=True)
class Official:
    name: str
    title: str
    roles: tuple[str, ...] = ()  # 主持 / 出席 / 讲话 / 汇报 / 部署 ...
    # The ids of the rules that found the name, its title and its roles (extract/catalog.py:
    # official.*), in order. Evidence, not identity: two officials are equal without them.
    rule_ids: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Figure:
    text: str  # exact span of the cleaned text, e.g. "958户"
    value: str
    unit: str
    context: str  # the clause the figure stands in
    kind: str = "数量"  # from its own words: 资金, 产值, 收入, GDP, 金额, 户数, 人数, 人次, 面积, 比例, 数量
    # The ids of the rules that read the figure: its span, its kind, its rank (extract/catalog.py:
    # figure.*), in order. Evidence, not identity: two figures are equal without them.
    rule_ids: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class GuardResult:
    """The faithfulness check of a generated summary against its report."""

    passed: bool
    reason: str | None  # why it failed (None when it passed)
    model: str  # the model whose output was checked


@dataclass(frozen=True)
class Summary:
    text: str
    backend: str  # the backend whose text this is: "extractive" after a fallback
    guard: GuardResult | None = None  # set when a generative model was asked
    chunks: int = 1  # pieces the report was split into to fit the model's input
    cached: bool = False  # taken from the summary cache, no model work


@dataclass(frozen=True)
class Report:
    source: SourceFile
    body: str
    title: str
    title_rule: str
    date: ReportDate
    region: Region
    meta: PageMeta
    officials: tuple[Official, ...] = ()
    figures: tuple[Figure, ...] = ()
    warnings: tuple[str, ...] = ()
    removals: tuple[Removal, ...] = ()
    summary: Summary | None = None
    meeting: str | None = None  # 脱贫攻坚工作推进会, when the report is about a meeting
    time_refs: tuple[TimeRef, ...] = ()  # 今年 -> 2022, resolved against the report date
    event: str | None = None  # id shared by the reports of one event (events.py)
    first_reported: str | None = None  # ISO week of an earlier digest that carried this event
    title_rule_id: str | None = field(default=None, compare=False)  # catalog.py: title.card.* (title_rule's id)

    def officials_with(self, role: str) -> tuple[Official, ...]:
        return tuple(o for o in self.officials if role in o.roles)

    def speakers(self) -> tuple[Official, ...]:
        """Officials who spoke, reported or deployed work but did not preside."""
        return tuple(o for o in self.officials if "主持" not in o.roles and {"讲话", "汇报", "部署"} & set(o.roles))


@dataclass(frozen=True)
class Event:
    """One event of the week and every report of it (reposts, mirrors, rewrites).

    `reports[0]` is the lead report, the one whose card is shown: the fullest text.
    """

    id: str
    reports: tuple[Report, ...]
    first_reported: str | None = None  # ISO week of the earlier digest that already carried it

    @property
    def lead(self) -> Report:
        return self.reports[0]

    @property
    def reposts(self) -> tuple[Report, ...]:
        return self.reports[1:]
