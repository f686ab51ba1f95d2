"""`brief publish` into wikis that are not clean, with real git repositories: the user's staged
and unstaged work, edits to brief's own pages, a conflicted merge, a rebase half done, a detached
HEAD, unpushed commits, damaged index pages, a folder link that leaves the wiki. brief commits
only its own files, and refuses (exit 3, nothing written) whatever it could not do cleanly."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS, git

from briefing.cli import main


def make_wiki(tmp_path: Path) -> Path:
    inp = tmp_path / "in"
    if not inp.exists():
        shutil.copytree(SEEDS, inp)
    wiki = tmp_path / "wiki"
    subprocess.run(["git", "init", "-q", "-b", "main", str(wiki)], check=True)
    (wiki / "Home.md").write_text("# 团队维基\n\n欢迎。\n", encoding="utf-8")
    (wiki / "Notes.md").write_text("会议记录\n", encoding="utf-8")
    git(wiki, "add", "Home.md", "Notes.md")
    git(wiki, "commit", "-qm", "init")
    return wiki


def publish(tmp_path: Path, wiki: Path, *extra: str, config: str = ""):
    args = []
    if config:
        (tmp_path / "brief.toml").write_text(config, encoding="utf-8")
        args = ["--config", str(tmp_path / "brief.toml")]
    args += ["publish", "--week", "-q", "--input", str(tmp_path / "in"), "--out", str(tmp_path / "out")]
    return CliRunner().invoke(main, [*args, "--wiki", str(wiki), *extra])


def snapshot(wiki: Path) -> dict[str, bytes]:
    return {str(p.relative_to(wiki)): p.read_bytes() for p in wiki.rglob("*") if p.is_file() and ".git" not in p.parts}


def assert_refused(result, wiki: Path, before: dict[str, bytes], head: str, *words: str) -> None:
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output
    assert snapshot(wiki) == before  # nothing written
    assert git(wiki, "rev-parse", "HEAD").strip() == head  # nothing committed


def test_the_users_staged_and_unstaged_work_stays_out_of_brief_commit(tmp_path):
    wiki = make_wiki(tmp_path)
    (wiki / "Draft.md").write_text("未完成的草稿\n", encoding="utf-8")
    git(wiki, "add", "Draft.md")
    (wiki / "Notes.md").write_text("会议记录\n还没写完\n", encoding="utf-8")
    result = publish(tmp_path, wiki)
    assert result.exit_code == 0 and "committed" in result.output, result.output
    committed = sorted(git(wiki, "show", "--name-only", "--format=", "HEAD").splitlines())
    assert "Draft.md" not in committed and "Notes.md" not in committed
    assert "Home.md" in committed and any(name.startswith("images/brief-") for name in committed)
    # The user's work is exactly as they left it: Draft.md staged, Notes.md edited, not staged.
    assert git(wiki, "diff", "--cached", "--name-only").split() == ["Draft.md"]
    assert git(wiki, "diff", "--name-only").split() == ["Notes.md"]
    assert (wiki / "Notes.md").read_text(encoding="utf-8") == "会议记录\n还没写完\n"


@pytest.mark.parametrize("how", ["unstaged", "staged", "untracked page"])
def test_local_edits_to_brief_pages_are_refused(tmp_path, how):
    wiki = make_wiki(tmp_path)
    if how == "untracked page":
        assert publish(tmp_path, wiki).exit_code == 0
        (page,) = wiki.glob("乡村振兴周报-*.md")
        git(wiki, "rm", "-q", "--cached", page.name)
        git(wiki, "commit", "-qm", "untrack the page")
        page.write_text("我自己改的\n", encoding="utf-8")
        edited = page.name
    else:
        (wiki / "Home.md").write_text("# 团队维基\n\n我正在改首页。\n", encoding="utf-8")
        if how == "staged":
            git(wiki, "add", "Home.md")
        edited = "Home.md"
    before, head = snapshot(wiki), git(wiki, "rev-parse", "HEAD").strip()
    assert_refused(publish(tmp_path, wiki), wiki, before, head, edited, "uncommitted")


def test_a_conflicted_merge_is_refused_and_not_concluded(tmp_path):
    wiki = make_wiki(tmp_path)
    git(wiki, "checkout", "-qb", "other")
    (wiki / "Notes.md").write_text("他们的版本\n", encoding="utf-8")
    git(wiki, "commit", "-qam", "theirs")
    git(wiki, "checkout", "-q", "main")
    (wiki / "Notes.md").write_text("我们的版本\n", encoding="utf-8")
    git(wiki, "commit", "-qam", "ours")
    git(wiki, "merge", "other", check=False)  # conflicts
    assert (wiki / ".git" / "MERGE_HEAD").exists()
    before, head = snapshot(wiki), git(wiki, "rev-parse", "HEAD").strip()
    assert_refused(publish(tmp_path, wiki), wiki, before, head, "merge")
    assert (wiki / ".git" / "MERGE_HEAD").exists()  # still the user's merge to finish
    assert not (tmp_path / "out").exists()  # refused before the build
    assert "<<<<<<<" in (wiki / "Notes.md").read_text(encoding="utf-8")


def test_a_rebase_in_progress_is_refused(tmp_path):
    wiki = make_wiki(tmp_path)
    git(wiki, "checkout", "-qb", "topic")
    (wiki / "Notes.md").write_text("主题分支\n", encoding="utf-8")
    git(wiki, "commit", "-qam", "topic")
    git(wiki, "checkout", "-q", "main")
    (wiki / "Notes.md").write_text("主分支\n", encoding="utf-8")
    git(wiki, "commit", "-qam", "main")
    git(wiki, "checkout", "-q", "topic")
    git(wiki, "rebase", "main", check=False)  # stops on the conflict
    before, head = snapshot(wiki), git(wiki, "rev-parse", "HEAD").strip()
    assert_refused(publish(tmp_path, wiki), wiki, before, head, "rebase")


def test_a_detached_head_is_refused(tmp_path):
    wiki = make_wiki(tmp_path)
    git(wiki, "checkout", "-q", "--detach")
    before, head = snapshot(wiki), git(wiki, "rev-parse", "HEAD").strip()
    assert_refused(publish(tmp_path, wiki), wiki, before, head, "detached")
    assert not (tmp_path / "out").exists()


def test_unpushed_commits_of_the_user_are_not_pushed(tmp_path):
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    wiki = make_wiki(tmp_path)
    git(wiki, "remote", "add", "origin", str(remote))
    git(wiki, "push", "-q", "-u", "origin", "main")
    (wiki / "Notes.md").write_text("还不想公开\n", encoding="utf-8")
    git(wiki, "commit", "-qam", "private note")
    before, head = snapshot(wiki), git(wiki, "rev-parse", "HEAD").strip()
    assert_refused(publish(tmp_path, wiki, "--push"), wiki, before, head, "not on origin/main")
    assert "private note" not in git(remote, "log", "--format=%s", "main")
    # brief's own unpushed commit (a push that failed last time) is pushed on the next run
    git(wiki, "reset", "-q", "--hard", "HEAD~1")
    assert publish(tmp_path, wiki).exit_code == 0  # committed, not pushed
    again = publish(tmp_path, wiki, "--push")
    assert again.exit_code == 0 and "pushed" in again.output, again.output
    assert "brief: publish" in git(remote, "log", "--format=%s", "main")


@pytest.mark.parametrize(
    ("page", "content", "words"),
    [
        ("Home.md", "# 首页\n<!-- brief:index:end -->\n<!-- brief:index:start -->\n", ("Home.md", "markers")),
        (
            "Home.md",
            "<!-- brief:index:start -->\n<!-- brief:index:start -->\n<!-- brief:index:end -->\n",
            ("Home.md", "markers"),
        ),
        ("Home.md", "<!-- brief:index:start -->\n没有结束标记\n", ("Home.md", "markers")),
        ("_Sidebar.md", "# 侧栏\n".encode("gb18030").decode("latin-1"), ("_Sidebar.md", "UTF-8")),
    ],
)
def test_a_damaged_index_page_stops_publishing_before_any_write(tmp_path, page, content, words):
    wiki = make_wiki(tmp_path)
    (wiki / page).write_bytes(content.encode("latin-1") if page == "_Sidebar.md" else content.encode("utf-8"))
    git(wiki, "add", page)
    git(wiki, "commit", "-qm", "damaged index page")
    before, head = snapshot(wiki), git(wiki, "rev-parse", "HEAD").strip()
    result = publish(tmp_path, wiki, config='[wiki]\nindex = ["Home", "_Sidebar"]\n')
    assert_refused(result, wiki, before, head, *words)
    assert git(wiki, "status", "--porcelain") == ""


def test_a_folder_link_that_leaves_the_wiki_is_refused(tmp_path):
    wiki = make_wiki(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (wiki / "images").symlink_to(outside, target_is_directory=True)
    git(wiki, "add", "images")
    git(wiki, "commit", "-qm", "images elsewhere")
    before, head = snapshot(wiki), git(wiki, "rev-parse", "HEAD").strip()
    assert_refused(publish(tmp_path, wiki), wiki, before, head, "outside the wiki")
    assert list(outside.iterdir()) == []


def test_a_page_template_leaving_the_wiki_is_a_config_error(tmp_path):
    wiki = make_wiki(tmp_path)
    result = publish(tmp_path, wiki, config='[wiki]\npage = "../../escaped-{week}"\n')
    assert result.exit_code == 2 and "page" in result.output
    assert not list(tmp_path.glob("escaped-*")) and not list(tmp_path.parent.glob("escaped-*"))


def test_a_page_name_with_pattern_characters_matches_only_itself(tmp_path):
    from briefing.week import IsoWeek

    wiki = make_wiki(tmp_path)
    week = str(IsoWeek.current())
    draft = wiki / f"周报-草稿{week}.md"  # what the pattern 周报*<week>.md would match
    draft.write_text("草稿\n", encoding="utf-8")
    git(wiki, "add", draft.name)
    result = publish(tmp_path, wiki, config='[wiki]\npage = "周报*{week}"\n')
    assert result.exit_code == 0, result.output
    assert (wiki / f"周报*{week}.md").exists()
    assert draft.name not in git(wiki, "show", "--name-only", "--format=", "HEAD")
    assert git(wiki, "diff", "--cached", "--name-only", "-z").split("\0")[0] == draft.name


def test_the_index_lists_committed_week_pages_only(tmp_path):
    wiki = make_wiki(tmp_path)
    (wiki / "乡村振兴周报-2020-W01.md").write_text("我的私人草稿\n", encoding="utf-8")  # never committed
    (wiki / "乡村振兴周报-2020-W02.md").write_text("已发布\n", encoding="utf-8")
    git(wiki, "add", "乡村振兴周报-2020-W02.md")
    git(wiki, "commit", "-qm", "an older week")
    result = publish(tmp_path, wiki)
    assert result.exit_code == 0, result.output
    home = (wiki / "Home.md").read_text(encoding="utf-8")
    assert "2020-W02" in home and "2020-W01" not in home
    assert git(wiki, "status", "--porcelain", "--", "乡村振兴周报-2020-W01.md").startswith("??")


def test_an_images_file_where_the_chart_folder_goes_is_refused(tmp_path):
    wiki = make_wiki(tmp_path)
    (wiki / "images").write_text("我的图片清单\n", encoding="utf-8")  # a file, not a folder
    git(wiki, "add", "images")
    git(wiki, "commit", "-qm", "a file named images")
    before, head = snapshot(wiki), git(wiki, "rev-parse", "HEAD").strip()
    assert_refused(publish(tmp_path, wiki), wiki, before, head, "images", "not a folder")
