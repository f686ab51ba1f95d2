"""The archive: two weeks built from real files with real mtimes, first_reported, history and
search through the real CLI, a corrupt and a locked database, schema migrations."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import REAL, SEEDS, invoke, put_collected

from briefing.store import SCHEMA_VERSION, Archive, StoreError

LAST, THIS = "2025-W19", "2025-W20"
LAST_TIME = dt.datetime(2025, 5, 7, 9, 0).timestamp()
THIS_TIME = dt.datetime(2025, 5, 14, 9, 0).timestamp()

needs_real = pytest.mark.skipif(not (REAL / "labels.jsonl").is_file(), reason="../shared/real/ is not here")


put = put_collected  # put(path, bytes, when): a page collected at `when`


def plain_pages(count: int) -> list[Path]:
    """Real pages that the labels tie to no other page."""
    rows = [json.loads(line) for line in (REAL / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line]
    tied = {r["id"] for r in rows if r.get("event_group")} | {
        r["related_not_same"] for r in rows if r.get("related_not_same")
    }
    tied |= {r["id"] for r in rows if r.get("related_not_same")}
    files = [REAL / "pages" / r["file"] for r in rows if r["id"] not in tied and r["file"].endswith(".txt")]
    return files[:count]


def traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


@pytest.fixture(scope="module")
def two_weeks(tmp_path_factory):
    """Last week: 10 real pages. This week: 8 new real pages, plus 3 of last week's pages scraped
    again under new names (an exact copy, a Traditional mirror, a copy with other page chrome);
    last week's files are still in the folder with last week's mtimes."""
    tmp = tmp_path_factory.mktemp("archive")
    inp, out = tmp / "reports", tmp / "out"
    pages = plain_pages(18)
    for page in pages[:10]:
        put(inp / "w19" / page.name, page.read_bytes(), LAST_TIME)
    first = invoke(["build", "--week", LAST, "--input", inp, "--out", out, "-q"], tmp)
    assert first.exit_code == 0, first.output
    for page in pages[10:]:
        put(inp / "w20" / page.name, page.read_bytes(), THIS_TIME)
    again = {
        f"w20/again-{pages[0].stem}.txt": pages[0].read_bytes(),
        f"w20/mirror-{pages[1].stem}.txt": traditional(pages[1].read_text(encoding="utf-8")).encode("utf-8"),
        f"w20/portal-{pages[2].stem}.txt": (
            "首页 | 新闻 | 政务公开\n" + pages[2].read_text(encoding="utf-8") + "\n【打印本页】【关闭窗口】"
        ).encode("utf-8"),
    }
    for name, data in again.items():
        put(inp / name, data, THIS_TIME)
    second = invoke(["build", "--week", THIS, "--input", inp, "--out", out, "-q"], tmp)
    assert second.exit_code == 0, second.output
    return tmp, inp, out, pages, set(again)


def load(out: Path, week: str) -> dict:
    return json.loads((out / f"{week}.json").read_text(encoding="utf-8"))


@needs_real
def test_pages_scraped_again_are_marked_first_reported_last_week(two_weeks):
    _, inp, out, _, again = two_weeks
    data = load(out, THIS)
    marked = {str(Path(r["source"]).relative_to(inp)) for r in data["reports"] if r["first_reported"]}
    assert marked == again
    assert {r["first_reported"] for r in data["reports"] if r["first_reported"]} == {LAST}
    # They keep last week's event ids, and go to 此前已报道, not to new cards.
    last = {Path(r["source"]).name: r["event"] for r in load(out, LAST)["reports"]}
    for r in data["reports"]:
        if r["first_reported"]:
            original = Path(r["source"]).name.split("-", 1)[1]
            assert r["event"] == last[original]
    assert len(data["previously_reported"]) == 3 and len(data["events"]) == 8
    assert data["overview"]["events"] == len({r["event"] for r in data["reports"]}) == 11
    assert data["overview"]["new_events"] == 8 and data["overview"]["previously_reported"] == 3
    md = (out / f"{THIS}.md").read_text(encoding="utf-8")
    section = md.split("## 此前已报道", 1)[1].split("\n## ", 1)[0]
    assert section.count("首次报道于 2025年第19周（5月5日—11日）") == 3
    # one card or one 往期会议 line per new event, none for the old ones
    cards = md.count("\n#### ")
    earlier = (
        md.split("## 往期会议（本周采集）", 1)[1].split("\n## ", 1)[0].count("\n- <a id=") if "## 往期会议" in md else 0
    )
    assert cards + earlier == 8


@needs_real
def test_province_history_compares_with_last_week(two_weeks):
    _, _, out, _, _ = two_weeks
    overview = load(out, THIS)["overview"]
    assert overview["history_weeks"] == [LAST]
    last_counts: dict[str, int] = {}
    for event in load(out, LAST)["events"]:
        province = next(r["region"]["province"] for r in load(out, LAST)["reports"] if r["event"] == event["id"])
        last_counts[province or "地区未定"] = last_counts.get(province or "地区未定", 0) + 1
    for row in overview["by_province"]:
        assert row["previous"] == {LAST: last_counts.get(row["province"], 0)}
        assert row["change"] == pytest.approx(row["events"] - row["average"])
    assert sum(row["events"] for row in overview["by_province"]) == overview["new_events"]


@needs_real
def test_rebuilding_a_week_keeps_ids_and_marks(two_weeks, tmp_path):
    tmp, inp, out, _, _ = two_weeks
    before = load(out, THIS)
    result = invoke(["build", "--week", THIS, "--input", inp, "--out", out, "-q"], tmp)
    assert result.exit_code == 0, result.output
    after = load(out, THIS)
    assert {r["source"]: (r["event"], r["first_reported"]) for r in after["reports"]} == {
        r["source"]: (r["event"], r["first_reported"]) for r in before["reports"]
    }


@needs_real
def test_history_and_search_commands(two_weeks):
    tmp, _, out, _, _ = two_weeks
    result = invoke(["history", "--out", out], tmp)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split()[:5] == [LAST, "10", "10", "10", "0"]
    assert lines[2].split()[:5] == [THIS, "11", "11", "8", "3"]
    data = load(out, THIS)
    report = next(r for r in data["reports"] if not r["first_reported"] and r["region"]["county"])
    word = report["title"][:4]
    found = invoke(["search", word, "--out", out], tmp)
    assert found.exit_code == 0 and report["event"] in found.output, found.output
    county = report["region"]["county"]
    assert report["event"] in invoke(["search", word, "--out", out, "--region", county], tmp).output
    assert "no archived report" in invoke(["search", word, "--out", out, "--region", "不存在的地方"], tmp).output
    assert "no archived report" in invoke(["search", word, "--out", out, "--since", "2025-W21"], tmp).output
    # Traditional script finds the Simplified archive.
    assert report["event"] in invoke(["search", traditional(word), "--out", out], tmp).output
    # LIKE wildcards in the query are text, not patterns.
    assert "no archived report" in invoke(["search", "%", "--out", out], tmp).output


def test_history_without_an_archive_is_a_clear_error(tmp_path):
    result = invoke(["history", "--out", tmp_path / "none"], tmp_path)
    assert result.exit_code == 2 and "no archive at" in result.output


def seeds_in(folder: Path, when: float) -> Path:
    for seed in sorted(SEEDS.glob("*.txt")):
        put(folder / seed.name, seed.read_bytes(), when)
    return folder


def test_a_corrupt_archive_is_left_alone_and_the_digest_is_written(tmp_path):
    inp = seeds_in(tmp_path / "in", THIS_TIME)
    out = tmp_path / "out"
    out.mkdir()
    garbage = b"this is not a database\n" * 200
    (out / "brief.db").write_bytes(garbage)
    result = invoke(["build", "--week", THIS, "--input", inp, "--out", out, "-q"], tmp_path)
    assert result.exit_code == 1
    assert "not a usable SQLite database" in result.output
    assert (out / "brief.db").read_bytes() == garbage  # nothing lost
    data = load(out, THIS)
    assert len(data["reports"]) == 5 and data["archive"]["error"]
    assert "历史记录不可用" in (out / f"{THIS}.md").read_text(encoding="utf-8")


def test_a_locked_archive_costs_only_history(tmp_path):
    inp = seeds_in(tmp_path / "in", THIS_TIME)
    out = tmp_path / "out"
    assert invoke(["build", "--week", THIS, "--input", inp, "--out", out, "-q"], tmp_path).exit_code == 0
    holder = sqlite3.connect(out / "brief.db")
    holder.execute("begin exclusive")
    try:
        result = invoke(["build", "--week", THIS, "--input", inp, "--out", out, "-q"], tmp_path)
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    assert "is locked" in result.output
    assert len(load(out, THIS)["reports"]) == 5
    # Once the lock is gone the archive works again and still holds the week.
    result = invoke(["history", "--out", out], tmp_path)
    assert result.exit_code == 0 and THIS in result.output


def test_store_path_moves_the_archive(tmp_path):
    inp = seeds_in(tmp_path / "in", THIS_TIME)
    (tmp_path / "brief.toml").write_text('[store]\npath = "archive/weeks.db"\n', encoding="utf-8")
    result = invoke(["build", "--week", THIS, "--input", inp, "--out", tmp_path / "out", "-q"], tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "archive" / "weeks.db").is_file() and not (tmp_path / "out" / "brief.db").exists()
    assert THIS in invoke(["history"], tmp_path).output


def test_schema_version_and_a_newer_archive(tmp_path):
    path = tmp_path / "brief.db"
    archive = Archive.open(path)
    assert archive.version() == SCHEMA_VERSION
    tables = set(archive.db.table_names())
    assert {"schema_version", "reports", "events", "digests", "digest_reports", "digest_events"} <= tables
    archive.close()
    # Opening again applies nothing twice.
    archive = Archive.open(path)
    assert archive.db.execute("select count(*) from schema_version").fetchone()[0] == SCHEMA_VERSION
    archive.db.execute("insert into schema_version values (99, 'later')")
    archive.db.conn.commit()
    archive.close()
    with pytest.raises(StoreError, match="schema version 99"):
        Archive.open(path)


def test_a_half_made_schema_of_an_older_brief_is_completed(tmp_path):
    # An older brief created the tables one transaction each; a first build interrupted there left
    # schema_version without its row and some empty tables. Opening again completes the schema.
    path = tmp_path / "brief.db"
    conn = sqlite3.connect(path)
    conn.execute("create table schema_version (version integer primary key, applied_at text)")
    conn.execute(
        "create table events (id text primary key, title text, place text, province text, county text, "
        "date_iso text, first_week text)"
    )
    conn.commit()
    conn.close()
    archive = Archive.open(path)
    try:
        assert archive.version() == SCHEMA_VERSION
        assert {"reports", "events", "digests", "digest_reports", "digest_events"} <= set(archive.db.table_names())
        assert archive.db.execute("select count(*) from schema_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        archive.close()


def test_an_archive_of_schema_1_gets_rule_ids_and_its_wording_read_once(tmp_path):
    # A week recorded before rule ids existed (schema 1: only the date rule's wording) is migrated:
    # day_from_text is filled from the wording once, the new columns exist, and a repost in the
    # next week still finds its event through the migrated row.
    text = (SEEDS / "001_4fcf7c4535a53727.txt").read_bytes()
    inp, out = tmp_path / "in", tmp_path / "out"
    put(inp / "2025-W19" / "a.txt", text, LAST_TIME)
    first = invoke(["build", "--week", LAST, "--input", inp / "2025-W19", "--out", out, "-q"], tmp_path)
    assert first.exit_code == 0, first.output
    db_path = out / "brief.db"
    with sqlite3.connect(db_path) as db:
        (expected,) = db.execute("select day_from_text from reports").fetchone()
        assert expected == 1  # 10月10日 read from the text
        for column in ("date_rule_id", "date_rule_ids", "region_rule_ids", "title_rule_id", "day_from_text"):
            db.execute(f"alter table reports drop column {column}")
        db.execute("delete from schema_version where version > 1")
    db.close()
    put(inp / "2025-W20" / "b.txt", text + "\n会后，与会人员实地查看了平安乡产业基地建设情况。\n".encode(), THIS_TIME)
    second = invoke(["build", "--week", THIS, "--input", inp / "2025-W20", "--out", out, "-q"], tmp_path)
    assert second.exit_code == 0, second.output
    with sqlite3.connect(db_path) as db:
        versions = [v for (v,) in db.execute("select version from schema_version order by version")]
        assert versions == list(range(1, SCHEMA_VERSION + 1))
        rows = db.execute("select day_from_text, date_rule_ids from reports order by rowid").fetchall()
    db.close()
    assert rows[0] == (1, None)  # migrated: the day came from the text, the ids were never recorded
    assert rows[1][0] == 1 and "date.day.opening" in json.loads(rows[1][1])
    data = load(out, THIS)
    assert [r["first_reported"] for r in data["reports"]] == [LAST]
