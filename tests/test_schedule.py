"""The weekly schedule (issue 18, item 7): systemd service + timer and a cron line, as shipped in deploy/."""

from __future__ import annotations

import configparser
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from briefing.week import IsoWeek

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
BRIEF = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "brief"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def test_the_timer_runs_weekly_and_catches_up() -> None:
    timer = unit("brief-weekly.timer")
    assert timer["Timer"]["OnCalendar"].startswith("Mon ")
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["Unit"] == "brief-weekly.service"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_the_service_sends_last_week_once() -> None:
    service = unit("brief-weekly.service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["ExecStart"].split()[1:4] == ["send", "--week", "last"]
    assert "1" in service["SuccessExitStatus"].split()  # inputs skipped is still a delivery
    assert "PASSWORD" not in (DEPLOY / "brief-weekly.service").read_text(encoding="utf-8").split("#")[0]


def test_the_cron_line_runs_the_same_command() -> None:
    lines = [
        line for line in (DEPLOY / "brief.cron").read_text(encoding="utf-8").splitlines() if line and line[0] != "#"
    ]
    assert len(lines) == 1
    minute, hour, day, month, weekday, command = lines[0].split(None, 5)
    assert (minute, hour, day, month, weekday) == ("0", "7", "*", "*", "1")
    assert "brief send --week last" in command


def test_last_week_is_the_week_before_today() -> None:
    assert IsoWeek.parse("last", today=dt.date(2026, 12, 7)) == IsoWeek.parse("2026-W49")  # a Monday
    assert IsoWeek.parse("last", today=dt.date(2027, 1, 3)) == IsoWeek.parse("2026-W52")  # across the year


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    # The units name /srv/brief; verify them as installed over this checkout.
    root = str(BRIEF.parent.parent.parent)
    for name in ("brief-weekly.service", "brief-weekly.timer"):
        text = (DEPLOY / name).read_text(encoding="utf-8").replace("/srv/brief", root)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "brief-weekly.timer"), str(tmp_path / "brief-weekly.service")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [line for line in result.stderr.splitlines() if "brief-weekly" in line]
    assert result.returncode == 0 and problems == [], result.stderr
