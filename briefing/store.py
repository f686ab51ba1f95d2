"""The archive: an embedded SQLite database of every report and every digest, via sqlite-utils.

By default `OUT/brief.db` (`[store] path` moves it). It remembers each report's content hash,
facts, summary and guard, its event, and the weeks whose digests included it, so a build can say
that an event was already reported in an earlier week (`first_reported`), how many events each
province had in the previous weeks, and `brief history` / `brief search` can answer questions.

Tables (`datasette OUT/brief.db` browses them):
  schema_version  (version, applied_at)                 one row per migration applied
  reports         hash PK, title, body, summary, facts, region and date columns, event, signature
  events          id PK, title, place, date, first_week
  digests         week PK, built_at, reports, events, new_events, previously_reported
  digest_reports  (week, source) PK, hash, event, first_reported
  digest_events   (week, event) PK, province, county, first_reported

Every change is one transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on any error or Ctrl-C;
after a SIGKILL SQLite rolls the journal back on the next open): recording a week, and applying the
migrations. `history` and `search` open the file read-only and refuse one that is not an archive.

A corrupt or locked database never costs the digest: `open_archive` raises `StoreError` with a
one-line reason, the build writes the digest without history and leaves the file as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import BriefError, UsageError
from .events import (
    OPENING_CHARS,
    CandidateIndex,
    EventFacts,
    Fingerprint,
    content_hash,
    make_event,
    same_event,
    shingle_hashes,
)
from .extract.dates import day_from_text
from .models import Event, Report
from .text import UNPLACED, printable_path
from .week import IsoWeek

LOCK_TIMEOUT_S = 2.0  # a second build waits this long for another one's write, then goes on without
MAX_QUERY_CHARS = 200  # a search longer than a headline is a mistake (and SQLite's LIKE has a limit)
SQLITE_READONLY_ROLLBACK = 776  # a read-only connection met a hot journal it may not roll back


class StoreError(BriefError):
    """The archive cannot be used: corrupt, locked, newer than this brief, or unwritable."""


class RebuildRefused(BriefError):
    """A rebuild would replace a week the archive holds with an empty one (a wrong --input, most
    often); refused unless --force."""

    exit_code = 3


def _migration_1(db: Any) -> None:
    # if_not_exists: an older brief created these one transaction each, so an interrupted first
    # build can have left some of them (empty: nothing was recorded before schema_version's row).
    db["reports"].create(
        {
            "hash": str,
            "title": str,
            "body": str,
            "source": str,
            "outlets": str,
            "province": str,
            "city": str,
            "county": str,
            "town": str,
            "date_iso": str,
            "date_year": int,
            "date_month": int,
            "date_day": int,
            "days": str,
            "date_rule": str,
            "date_confidence": str,
            "meeting": str,
            "officials": str,
            "figures": str,
            "summary": str,
            "summarizer": str,
            "guard": str,
            "event": str,
            "signature": bytes,
            "shingles": int,
            "first_week": str,
        },
        pk="hash",
        if_not_exists=True,
    )
    db["reports"].create_index(["county"], if_not_exists=True)
    db["reports"].create_index(["event"], if_not_exists=True)
    db["events"].create(
        {"id": str, "title": str, "place": str, "province": str, "county": str, "date_iso": str, "first_week": str},
        pk="id",
        if_not_exists=True,
    )
    db["digests"].create(
        {
            "week": str,
            "built_at": str,
            "reports": int,
            "events": int,
            "new_events": int,
            "previously_reported": int,
        },
        pk="week",
        if_not_exists=True,
    )
    db["digest_reports"].create(
        {"week": str, "source": str, "hash": str, "event": str, "first_reported": str},
        pk=("week", "source"),
        if_not_exists=True,
    )
    db["digest_reports"].create_index(["hash"], if_not_exists=True)
    db["digest_reports"].create_index(["event"], if_not_exists=True)
    db["digest_events"].create(
        {"week": str, "event": str, "province": str, "county": str, "first_reported": str},
        pk=("week", "event"),
        if_not_exists=True,
    )


def _migration_2(db: Any) -> None:
    """Evidence by rule id: the ids of the rules that decided a report's date, region and title
    (`date_rule_ids`, `region_rule_ids`: JSON lists), and whether its day was read from its own
    text (`day_from_text`, what event matching asks). Rows recorded before ids existed are
    translated once, here, from the only thing they kept, the rule's wording: a day read from
    the text was worded 正文…; nothing else reads the wording."""
    reports = db["reports"]
    for column, kind in (("date_rule_id", str), ("date_rule_ids", str), ("region_rule_ids", str),
                         ("title_rule_id", str), ("day_from_text", int)):  # fmt: skip
        if column not in reports.columns_dict:
            reports.add_column(column, kind)
    db.execute(
        "update reports set day_from_text = (date_rule like '正文%' and date_month is not null "
        "and date_day is not null) where day_from_text is null"
    )


# Append only: a database at version N gets migrations N+1.. applied in order, all in one transaction.
MIGRATIONS: tuple[Callable[[Any], None], ...] = (_migration_1, _migration_2)
SCHEMA_VERSION = len(MIGRATIONS)
# What history and search read; a file without them is not (or no longer) a brief archive.
TABLES = frozenset({"schema_version", "reports", "events", "digests", "digest_reports", "digest_events"})


@dataclass(frozen=True)
class WeekRow:
    """One digest in the archive. None: the row has no value there (an old or hand-edited row)."""

    week: str | None
    built_at: str | None
    reports: int | None
    events: int | None
    new_events: int | None
    previously_reported: int | None


@dataclass(frozen=True)
class SearchHit:
    week: str  # the latest digest that included the report
    first_week: str
    title: str
    place: str
    date: str | None
    event: str | None
    source: str
    summary: str


def _describe(path: Path, exc: sqlite3.Error) -> StoreError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(
            f"archive {path} is locked by another brief or program ({text})",
            hint="history is left out of this digest; run again when the other one has finished",
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"archive {path} is not a usable SQLite database ({text})",
            hint="the file was left untouched; move it away to start a new archive",
        )
    return StoreError(f"archive {path}: {text}", hint="the file was left as it was")


def _check_regular_file(path: Path) -> None:
    """A store that exists must be a regular file: SQLite would open /dev/null or a FIFO and then
    create its journal beside it (in /dev), or block on the pipe forever."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"archive {path}: {exc.strerror or exc}") from None
    if stat.S_ISREG(mode):
        return
    kinds = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))
    kind = next((name for test, name in kinds if test(mode)), "a device")
    raise StoreError(
        f"archive {path} is not a regular file ({kind})",
        hint="point --store, BRIEF_STORE or [store] path at a file; a missing one is created",
    )


def _user_tables(db: Any) -> set[str]:
    return {name for name in db.table_names() if not name.startswith("sqlite_")}


class Archive:
    """An open archive. Every public method turns sqlite errors into StoreError."""

    def __init__(self, path: Path, db: Any) -> None:
        self.path = path
        self.db = db

    # --- opening and migrations ---------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Archive:
        """Open for a build: created if missing, migrated to this brief's schema."""
        import sqlite_utils

        _check_regular_file(path)
        conn = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: no transaction that Python opens or commits behind our back;
            # every write runs inside `_transaction` (sqlite-utils nests its own as savepoints).
            conn = sqlite3.connect(str(path), timeout=LOCK_TIMEOUT_S, isolation_level=None)
            archive = cls(path, sqlite_utils.Database(conn))
            archive._migrate()
        except BaseException as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, sqlite3.Error):
                raise _describe(path, exc) from None
            if isinstance(exc, OSError):
                raise StoreError(f"archive {path}: {exc.strerror or exc}") from None
            raise
        return archive

    @classmethod
    def open_read_only(cls, path: Path) -> Archive:
        """Open for history and search: never created, never migrated, never written (SQLite's
        mode=ro), and refused unless it is a brief archive of this schema."""
        import sqlite_utils

        if not path.exists():
            raise StoreError(f"no archive at {path}", hint="build a digest first, or pass --store / [store] path")
        _check_regular_file(path)
        conn = None
        try:
            conn = _connect_read_only(path)
            archive = cls(path, sqlite_utils.Database(conn))
            archive._check_readable()
        except BaseException as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, sqlite3.Error):
                raise _describe(path, exc) from None
            if isinstance(exc, OSError):
                raise StoreError(f"archive {path}: {exc.strerror or exc}") from None
            raise
        return archive

    def version(self) -> int:
        if "schema_version" not in self.db.table_names():
            return 0
        row = self.db.execute("select max(version) from schema_version").fetchone()
        return int(row[0] or 0)

    def _known_version(self) -> int:
        version = self.version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"archive {self.path} has schema version {version}; this brief knows up to {SCHEMA_VERSION}",
                hint="upgrade brief, or point [store] path at another file",
            )
        return version

    def _migrate(self) -> None:
        # Reading the schema is the first thing that fails on a file that is not a database.
        tables = _user_tables(self.db)
        if tables and "schema_version" not in tables:
            raise StoreError(
                f"{self.path} is not a brief archive: an SQLite database of another program "
                f"(tables {', '.join(sorted(tables)[:5])}); brief does not write into it",
                hint="the file was left as it was; point [store] path at another file",
            )
        if self._known_version() == SCHEMA_VERSION:
            return
        with self._transaction():
            # Again under the write lock: another brief may have migrated while this one waited.
            current = self._known_version()
            for version in range(current + 1, SCHEMA_VERSION + 1):
                if version == 1:
                    self.db["schema_version"].create(
                        {"version": int, "applied_at": str}, pk="version", if_not_exists=True
                    )
                MIGRATIONS[version - 1](self.db)
                self.db["schema_version"].insert(
                    {"version": version, "applied_at": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
                )

    def _check_readable(self) -> None:
        tables = _user_tables(self.db)
        if "schema_version" not in tables:
            what = "an empty file" if self.path.stat().st_size == 0 else "it has no schema_version table"
            raise StoreError(
                f"{self.path} is not a brief archive ({what})",
                hint="pass the brief.db a build wrote: --out OUT, --store or [store] path",
            )
        version = self._known_version()
        missing = TABLES - tables
        if version < SCHEMA_VERSION or missing:
            detail = f"tables {', '.join(sorted(missing))} missing" if missing else f"schema version {version}"
            raise StoreError(
                f"{self.path} is not a complete brief archive of this version ({detail})",
                hint="a build upgrades an archive of an older brief; history and search only read",
            )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT: every write inside lands, or none does. IMMEDIATE takes the
        write lock first (waiting up to LOCK_TIMEOUT_S for another brief), so what is read inside
        cannot change before the commit. Any exception, Ctrl-C included, rolls back; a killed
        process leaves the journal that the next open rolls back."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # the original error is the one to report
                    conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.conn.close()

    def _guarded(self, work: Callable[[], Any]) -> Any:
        try:
            return work()
        except sqlite3.Error as exc:
            raise _describe(self.path, exc) from None

    # --- linking this week's events to the archive ------------------------------------------------

    def link_events(self, events: Sequence[Event], week: IsoWeek, fingerprints: dict[str, Fingerprint]) -> list[Event]:
        """Give each event the id it already has in the archive, and `first_reported` when an
        earlier week's digest carried it."""
        return self._guarded(lambda: self._link_events(events, week, fingerprints))

    def _link_events(self, events: Sequence[Event], week: IsoWeek, fingerprints: dict[str, Fingerprint]) -> list[Event]:
        rows = self.db.execute(
            "select r.hash, r.event, r.province, r.city, r.county, r.town, r.days, "
            "r.date_year, r.day_from_text, r.date_confidence, r.signature, r.shingles, "
            "r.title, substr(r.body, 1, ?), r.meeting, r.officials "
            "from reports r where r.hash in (select hash from digest_reports)",
            [OPENING_CHARS],
        ).fetchall()
        if not rows:
            return list(events)
        archived_event = {row[0]: row[1] for row in rows}
        first_week = dict(self.db.execute("select event, min(week) from digest_reports group by event").fetchall())
        archived = [
            Fingerprint(
                key=row[0],
                facts=EventFacts.from_values(
                    *row[2:10], headline=row[12], opening=row[13], meeting=row[14], chairs=_chairs(row[15])
                ),
                signature=np.frombuffer(row[10], dtype=np.uint32).copy(),
                size=int(row[11] or 0),
            )
            for row in rows
        ]
        index = CandidateIndex(archived, hashes_of=self._archived_hashes)
        taken: set[str] = set()
        linked = []
        for event in sorted(events, key=lambda e: -len(e.reports)):
            best: tuple[float, str] | None = None
            for report in event.reports:
                key = content_hash(report)
                fp = fingerprints[key]
                if key in archived_event:
                    candidates = [(3.0, archived_event[key])]
                else:
                    candidates = []
                    for other in index.candidates(fp):
                        theirs = index.fingerprints[other]
                        assert fp.hashes is not None
                        score = same_event(fp.facts, theirs.facts, fp.hashes, index.hashes(other))
                        if score is not None:
                            candidates.append((score, archived_event[other]))
                for score, ident in candidates:
                    # Best match first; between equals, the event reported earliest.
                    if best is None or (score, first_week.get(best[1], "")) > (best[0], first_week.get(ident, "")):
                        best = (score, ident)
            if best is None or best[1] in taken:
                linked.append(event)
                continue
            ident = best[1]
            taken.add(ident)
            earlier = first_week.get(ident)
            first = earlier if earlier and earlier < str(week) else None
            linked.append(make_event(event.reports, event=ident, first_reported=first))
        return sorted(linked, key=lambda e: e.lead.source.path)

    def _archived_hashes(self, key: str) -> np.ndarray:
        row = self.db.execute("select title, body from reports where hash = ?", [key]).fetchone()
        return shingle_hashes(f"{row[0]}\n{row[1]}") if row else np.array([], dtype=np.uint32)

    # --- history of the previous weeks ------------------------------------------------------------

    def province_history(self, week: IsoWeek, weeks: int = 4) -> dict[str, dict[str, int]]:
        """{earlier week: {province: new events}} for the `weeks` weeks before `week` that have a
        digest in the archive (a week without a digest is unknown, not zero)."""
        return self._guarded(lambda: self._province_history(week, weeks))

    def _province_history(self, week: IsoWeek, weeks: int) -> dict[str, dict[str, int]]:
        earlier = []
        day = week.start
        for _ in range(weeks):
            if day <= dt.date.min + dt.timedelta(days=7):
                break  # week 1 of year 1 has no weeks before it
            day -= dt.timedelta(days=7)
            earlier.append(str(IsoWeek.containing(day)))
        built = {r[0] for r in self.db.execute("select week from digests").fetchall()}
        out: dict[str, dict[str, int]] = {}
        for name in reversed(earlier):
            if name not in built:
                continue
            counts = self.db.execute(
                "select coalesce(province, ''), count(*) from digest_events "
                "where week = ? and first_reported is null group by 1",
                [name],
            ).fetchall()
            out[name] = {p: int(n) for p, n in counts}
        return out

    # --- recording a digest ---------------------------------------------------------------------

    def stored_reports(self, week: IsoWeek) -> int:
        """How many reports the archived digest of `week` has (0 when it has none)."""
        return self._guarded(
            lambda: int(
                self.db.execute("select count(*) from digest_reports where week = ?", [str(week)]).fetchone()[0]
            )
        )

    def refuse_emptying(self, week: IsoWeek, inputs: Path, outside: int, skipped: int) -> None:
        """Raise RebuildRefused when `week` is archived with reports: a build that found none for
        it would replace that digest with an empty one (call it only then, and not with --force)."""
        stored = self.stored_reports(week)
        if stored:
            raise RebuildRefused(
                f"{week}: the archive {printable_path(self.path)} holds this week with {stored} report(s), "
                f"but the input folder {printable_path(inputs)} gives it none "
                f"({outside} in other weeks, {skipped} skipped); nothing was written",
                hint="check --input and --week; build --force (or send --force) rebuilds the week empty",
            )

    def record(
        self,
        week: IsoWeek,
        events: Sequence[Event],
        previously: Sequence[Event],
        fingerprints: dict[str, Fingerprint],
        built_at: dt.datetime,
    ) -> None:
        """Replace this week's rows with the digest just written, in one transaction: killed,
        interrupted or failing half-way, the archive keeps the week as it was."""
        self._guarded(lambda: self._record(str(week), events, previously, fingerprints, built_at))

    def _record(
        self,
        week: str,
        events: Sequence[Event],
        previously: Sequence[Event],
        fingerprints: dict[str, Fingerprint],
        built_at: dt.datetime,
    ) -> None:
        every = [*events, *previously]
        with self._transaction():
            self.db.execute("delete from digest_reports where week = ?", [week])
            self.db.execute("delete from digest_events where week = ?", [week])
            report_rows: dict[str, dict[str, Any]] = {}
            for event in every:
                for report in event.reports:
                    key = content_hash(report)
                    report_rows[key] = _report_row(key, report, fingerprints[key], week)
            existing = {
                row[0]: row[1]
                for row in self.db.execute(
                    f"select hash, first_week from reports where hash in ({','.join('?' * len(report_rows))})",
                    list(report_rows),
                ).fetchall()
            } if report_rows else {}  # fmt: skip
            for key, row in report_rows.items():
                if existing.get(key) and existing[key] < week:
                    row["first_week"] = existing[key]
            self.db["reports"].upsert_all(report_rows.values(), pk="hash")
            event_rows = []
            for event in every:
                lead = event.lead
                known = self.db.execute("select first_week from events where id = ?", [event.id]).fetchone()
                first = min(week, known[0]) if known and known[0] else week
                event_rows.append(
                    {
                        "id": event.id,
                        "title": lead.title,
                        "place": lead.region.label(),
                        "province": lead.region.province,
                        "county": lead.region.county,
                        "date_iso": lead.date.iso,
                        "first_week": first,
                    }
                )
            self.db["events"].upsert_all(event_rows, pk="id")
            self.db["digest_reports"].insert_all(
                (
                    {
                        "week": week,
                        "source": printable_path(report.source.path),
                        "hash": content_hash(report),
                        "event": event.id,
                        "first_reported": event.first_reported,
                    }
                    for event in every
                    for report in event.reports
                ),
                pk=("week", "source"),
                replace=True,
            )
            self.db["digest_events"].insert_all(
                (
                    {
                        "week": week,
                        "event": event.id,
                        "province": event.lead.region.province,
                        "county": event.lead.region.county,
                        "first_reported": event.first_reported,
                    }
                    for event in every
                ),
                pk=("week", "event"),
                replace=True,
            )
            self.db["digests"].upsert(
                {
                    "week": week,
                    "built_at": built_at.isoformat(timespec="seconds"),
                    "reports": sum(len(e.reports) for e in every),
                    "events": len(every),
                    "new_events": len(events),
                    "previously_reported": len(previously),
                },
                pk="week",
            )

    # --- questions ------------------------------------------------------------------------------

    def history(self) -> list[WeekRow]:
        def work() -> list[WeekRow]:
            rows = self.db.execute(
                "select week, built_at, reports, events, new_events, previously_reported from digests order by week"
            ).fetchall()
            return [WeekRow(*row) for row in rows]

        return self._guarded(work)

    def search(
        self, text: str, region: str | None = None, since: IsoWeek | None = None, limit: int = 50
    ) -> list[SearchHit]:
        """Reports whose headline, text or summary contain `text` (Simplified or Traditional),
        optionally in a place whose name contains `region`, in digests from `since` on."""
        from .clean import to_simplified

        needle = _like(to_simplified(text)[0])
        where = ["(r.title like ? escape '\\' or r.body like ? escape '\\' or r.summary like ? escape '\\')"]
        params: list[Any] = [needle, needle, needle]
        if region:
            where.append(
                "(coalesce(r.province,'') || coalesce(r.city,'') || coalesce(r.county,'') || coalesce(r.town,'')) "
                "like ? escape '\\'"
            )
            params.append(_like(to_simplified(region)[0]))
        if since:
            where.append("d.week >= ?")
            params.append(str(since))
        sql = (
            "select max(d.week), r.first_week, r.title, r.province, r.city, r.county, r.town, r.date_iso, r.event, "
            "min(d.source), r.summary from reports r join digest_reports d on d.hash = r.hash "
            f"where {' and '.join(where)} group by r.hash order by max(d.week) desc, r.date_iso desc limit ?"
        )
        params.append(limit)

        def work() -> list[SearchHit]:
            hits = []
            for row in self.db.execute(sql, params).fetchall():
                place = "".join(p for p in row[3:7] if p) or UNPLACED
                week, title, source = row[0] or "-", row[2] or "（无标题）", row[9] or "-"
                hits.append(SearchHit(week, row[1] or week, title, place, row[7], row[8] or "-", source, row[10] or ""))
            return hits

        return self._guarded(work)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _report_row(key: str, report: Report, fp: Fingerprint, week: str) -> dict[str, Any]:
    d, g, summary = report.date, report.region, report.summary
    guard = summary.guard if summary else None
    return {
        "hash": key,
        "title": report.title,
        "body": report.body,
        "source": printable_path(report.source.path),
        "outlets": json.dumps(list(report.meta.outlets), ensure_ascii=False),
        "province": g.province,
        "city": g.city,
        "county": g.county,
        "town": g.town,
        "date_iso": d.iso,
        "date_year": d.year,
        "date_month": d.month,
        "date_day": d.day,
        "days": ",".join(f"{m}-{day}" for m, day in sorted(fp.facts.days)),
        "date_rule": d.rule,
        "date_rule_id": d.rule_id,
        "date_rule_ids": json.dumps(list(d.rule_ids)),
        "region_rule_ids": json.dumps(list(g.rule_ids)),
        "title_rule_id": report.title_rule_id,
        "day_from_text": int(day_from_text(d)),
        "date_confidence": d.confidence,
        "meeting": report.meeting,
        "officials": json.dumps(
            [{"name": o.name, "title": o.title, "roles": list(o.roles)} for o in report.officials], ensure_ascii=False
        ),
        "figures": json.dumps(
            [{"text": f.text, "value": f.value, "unit": f.unit} for f in report.figures], ensure_ascii=False
        ),
        "summary": summary.text if summary else None,
        "summarizer": summary.backend if summary else None,
        "guard": json.dumps({"passed": guard.passed, "reason": guard.reason, "model": guard.model}) if guard else None,
        "event": report.event,
        "signature": np.asarray(fp.signature, dtype=np.uint32).tobytes(),
        "shingles": fp.size,
        "first_week": week,
    }


def open_archive(path: Path) -> Archive:
    return Archive.open(path)


def history_rows(path: Path) -> list[WeekRow]:
    archive = Archive.open_read_only(path)
    try:
        return archive.history()
    finally:
        archive.close()


def search_archive(path: Path, text: str, region: str | None, since: IsoWeek | None) -> list[SearchHit]:
    for name, value in (("search text", text), ("--region", region or "")):
        if len(value) > MAX_QUERY_CHARS:
            raise UsageError(
                f"the {name} is {len(value)} characters long; at most {MAX_QUERY_CHARS}",
                hint="search for a few words of a headline or a place",
            )
    archive = Archive.open_read_only(path)
    try:
        return archive.search(text, region, since)
    finally:
        archive.close()


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A mode=ro connection. A run killed while writing leaves a hot journal that only a writer
    may roll back: then one read-write open (never creating: mode=rw) lets SQLite restore the
    last committed state, as any SQLite client would, and the read-only one is opened again."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=LOCK_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        if getattr(exc, "sqlite_errorcode", None) != SQLITE_READONLY_ROLLBACK:
            raise
    recover = sqlite3.connect(f"{uri}?mode=rw", uri=True, timeout=LOCK_TIMEOUT_S, isolation_level=None)
    try:
        recover.execute("select count(*) from sqlite_master").fetchone()
    finally:
        recover.close()
    return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=LOCK_TIMEOUT_S, isolation_level=None)


def _chairs(officials: str | None) -> list[str]:
    """The names of the officials who presided, from the archive's officials column (JSON)."""
    try:
        people = json.loads(officials or "[]")
    except ValueError:
        return []
    return [p.get("name", "") for p in people if isinstance(p, dict) and "主持" in (p.get("roles") or [])]
