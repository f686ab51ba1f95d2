"""Publish the digest to a git-backed wiki (GitHub or GitLab wiki clone).

The week's page is written under a configurable name (乡村振兴周报-2021-W34.md; spaces become
hyphens, as both wikis name page files), with its chart as images/brief-<week>.png. An index of
weeks, newest first, lives between two markers in Home.md and/or _Sidebar.md, so anything else
on those pages is left alone, and it is rebuilt from the week pages present, so an entry can
never be duplicated. Links are relative page names, percent-encoded, which both wikis resolve
(Chinese page names included). The page carries no build timestamp: re-publishing an unchanged
week changes no file and makes no commit.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..digest import Digest, render, write_atomic, write_atomic_bytes
from ..errors import BriefError, ConfigError
from ..settings import Settings

INDEX_START = "<!-- brief:index:start -->"
INDEX_END = "<!-- brief:index:end -->"
_WEEK = re.compile(r"\d{4}-W\d{2}")


class PublishError(BriefError):
    exit_code = 3


@dataclass(frozen=True)
class Published:
    page: Path
    committed: bool
    pushed: bool


def page_name(settings: Settings, week: str) -> str:
    try:
        name = settings.wiki_page.format(week=week)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"[wiki] page template: {exc}", hint="placeholder: {week}") from None
    return re.sub(r"\s+", "-", name.strip())


def _git(wiki: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["git", "-C", str(wiki), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise PublishError(f"git {args[0]} in {wiki} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result


def _index_block(wiki: Path, settings: Settings) -> str:
    """The list of week pages present in the wiki, newest first."""
    template = page_name(settings, "{week}")
    prefix, _, suffix = template.partition("{week}")
    weeks = []
    for path in wiki.glob("*.md"):
        stem = path.stem
        if stem.startswith(prefix) and stem.endswith(suffix):
            week = stem[len(prefix) : len(stem) - len(suffix) if suffix else None]
            if _WEEK.fullmatch(week):
                weeks.append((week, stem))
    lines = [INDEX_START, ""]
    for _week, stem in sorted(weeks, reverse=True):
        lines.append(f"- [{stem}]({quote(stem)})")
    lines += ["", INDEX_END]
    return "\n".join(lines)


def update_index(path: Path, block: str, title: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else f"# {title}\n\n"
    if INDEX_START in text and INDEX_END in text:
        head, rest = text.split(INDEX_START, 1)
        _, tail = rest.split(INDEX_END, 1)
        new = head + block + tail
    else:
        new = text.rstrip("\n") + "\n\n" + block + "\n"
    if new != text:
        write_atomic(path, new)


def publish_wiki(digest: Digest, settings: Settings, chart_png: bytes | None, push: bool = False) -> Published:
    wiki = settings.wiki_dir
    if wiki is None:
        raise ConfigError("no wiki folder", hint="pass --wiki DIR or set [wiki] dir")
    if not (wiki / ".git").exists():
        raise ConfigError(f"{wiki} is not a git clone", hint="clone the wiki first: git clone <repo>.wiki.git")
    name = page_name(settings, digest.week)
    chart_rel = f"images/brief-{digest.week}.png"
    if chart_png:
        target = wiki / chart_rel
        if not target.exists() or target.read_bytes() != chart_png:
            write_atomic_bytes(target, chart_png)
    page = wiki / f"{name}.md"
    text = render(digest, "md", settings.templates, chart_file=chart_rel if chart_png else None, show_generated=False)
    if not page.exists() or page.read_text(encoding="utf-8") != text:
        write_atomic(page, text)
    block = _index_block(wiki, settings)
    for index in settings.wiki_index:
        update_index(wiki / f"{index}.md", block, "乡村振兴周报")
    paths = [page.name, *(f"{i}.md" for i in settings.wiki_index)] + ([chart_rel] if chart_png else [])
    _git(wiki, "add", "--", *paths)
    staged = subprocess.run(["git", "-C", str(wiki), "diff", "--cached", "--quiet"], capture_output=True)
    committed = False
    if staged.returncode == 1:
        identity = []
        if not subprocess.run(["git", "-C", str(wiki), "config", "user.email"], capture_output=True).stdout.strip():
            identity = ["-c", "user.name=brief", "-c", "user.email=brief@localhost"]
        _git(wiki, *identity, "commit", "-q", "-m", f"brief: publish {name} ({digest.stats['reports']} reports)")
        committed = True
    pushed = False
    if push:
        _git(wiki, "push", "-q", settings.wiki_remote, "HEAD")
        pushed = True
    return Published(page=page, committed=committed, pushed=pushed)
