"""The build pipeline's own bookkeeping: what counts as a report, and what is not an input."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner
from conftest import SEEDS

from briefing.cli import main


def test_a_menu_page_is_skipped_as_too_little_text(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(next(SEEDS.glob("000_*.txt")), inp)
    (inp / "menu.html").write_text(
        "<html><body><div><a href='/'>首页</a> <a>政务公开</a></div></body></html>", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["build", "--week", "--input", str(inp), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1, result.output
    data = json.loads(next((tmp_path / "o").glob("*.json")).read_text(encoding="utf-8"))
    assert len(data["reports"]) == 1
    (skipped,) = data["skipped"]
    assert skipped["source"].endswith("menu.html")
    assert "too little text" in skipped["reason"] or "without an article body" in skipped["reason"]


def test_digests_written_inside_the_input_folder_are_not_read_back(tmp_path):
    inp = tmp_path / "reports"
    shutil.copytree(SEEDS, inp)
    args = ["build", "--week", "--input", str(inp), "--out", str(inp / "out")]
    first = CliRunner().invoke(main, args)
    second = CliRunner().invoke(main, args)
    assert first.exit_code == second.exit_code == 0, second.output
    data = json.loads(next((inp / "out").glob("*.json")).read_text(encoding="utf-8"))
    assert len(data["reports"]) == 5 and data["skipped"] == []
