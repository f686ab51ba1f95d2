"""ISO weeks: `2021-W34`, the current week, which week a date falls in, and which reports belong
to a week (by report date or by collection time), each other one with its reason."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .errors import UsageError
from .extract.dates import EARLIEST_COLLECTION
from .models import Report

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str, today: dt.date | None = None) -> IsoWeek:
        """An ISO week (2021-W34), or `last`: the week before the current one, which a scheduled
        Monday run (or a missed one, caught up later) reports."""
        if text.strip().lower() in ("last", "previous"):
            return cls.containing((today or dt.date.today()) - dt.timedelta(days=7))
        m = _WEEK.match(text.strip())
        if not m:
            raise UsageError(f"'{text}' is not an ISO week", hint="write it like 2021-W34, or last")
        year, week = int(m.group(1)), int(m.group(2))
        try:
            dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise UsageError(f"'{text}' is not an ISO week: {year} has no week {week}") from None
        try:
            dt.date.fromisocalendar(year, week, 7)
        except (ValueError, OverflowError):
            # 9999-W52 exists on paper but ends in the year 10000, which no date can hold.
            raise UsageError(f"'{text}' is out of range: its last day is after 9999-12-31") from None
        return cls(year, week)

    @classmethod
    def containing(cls, day: dt.date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def current(cls, today: dt.date | None = None) -> IsoWeek:
        return cls.containing(today or dt.date.today())

    @property
    def start(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"


@dataclass(frozen=True)
class OutsideWeek:
    source: str
    week: str
    reason: str


def report_week(report: Report, select_by: str) -> IsoWeek | None:
    if select_by == "date":
        return IsoWeek.containing(dt.date.fromisoformat(report.date.iso)) if report.date.iso else None
    return IsoWeek.containing(report.source.collected.date())


def select_week(reports: list[Report], week: IsoWeek, select_by: str) -> tuple[list[Report], list[OutsideWeek]]:
    """Split reports into this week's and the others, each other one with its reason."""
    inside: list[Report] = []
    outside: list[OutsideWeek] = []
    for report in reports:
        own = report_week(report, select_by)
        if own == week:
            inside.append(report)
        elif own is None:
            outside.append(OutsideWeek(report.source.path, "", "no date, so no week (selection by report date)"))
        else:
            what = (
                f"collected {report.source.collected.date().isoformat()}"
                if select_by == "collected"
                else f"dated {report.date.iso}"
            )
            reason = f"{what}, in {own}, not {week}"
            if select_by == "collected" and report.source.collected.date() < EARLIEST_COLLECTION:
                # 1970-01-01: an archive unpacked without its times, not when the report was collected.
                reason = (
                    f"modification time {report.source.collected.date().isoformat()} is no collection date "
                    "(unpacked without its times?): touch the file, or select by the report's date (--by date)"
                )
            outside.append(OutsideWeek(report.source.path, str(own), reason))
    return inside, outside
