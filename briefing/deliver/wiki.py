"""Publish the digest to a git-backed wiki (GitHub or GitLab wiki clone).

The week's page is written under a configurable name (乡村振兴周报-2021-W34.md; spaces become
hyphens, as both wikis name page files), with its chart as images/brief-<week>.png and its map as
images/brief-<week>.map.png (the page's image links rewritten to those paths). An index of
weeks, newest first, lives between two markers in Home.md and/or _Sidebar.md, so anything else
on those pages is left alone, and it is rebuilt from the week pages present, so an entry can
never be duplicated. Links are relative page names, percent-encoded, which both wikis resolve
(Chinese page names included). The page carries no build timestamp: re-publishing an unchanged
week changes no file and makes no commit.

The wiki is someone's working copy: everything is checked before anything is written (no merge,
rebase, cherry-pick or bisect under way, a branch checked out, no uncommitted edits in brief's
own files, index pages in UTF-8 with sound markers, no path leading out of the wiki, no commits
of the user's that a push would carry), and the commit holds brief's own paths only.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ..digest import Digest
from ..errors import BriefError, ConfigError
from ..files import write_set_atomic
from ..render import render
from ..settings import FORMAT_ERRORS, WikiSettings, check_wiki_path
from ..text import DIGEST_TITLE
from ..weekmap import WeekMap

INDEX_START = "<!-- brief:index:start -->"
INDEX_END = "<!-- brief:index:end -->"
_WEEK = re.compile(r"\d{4}-W\d{2}")
# Page names are file names, never patterns: a `*` or `[1]` in one must not match the user's files.
_GIT = ("git", "--literal-pathspecs")


class PublishError(BriefError):
    exit_code = 3


@dataclass(frozen=True)
class Published:
    page: Path
    committed: bool
    pushed: bool


def page_name(settings: WikiSettings, week: str) -> str:
    try:
        name = settings.page.format(week=week)
    except FORMAT_ERRORS as exc:
        raise ConfigError(f"[wiki] page template: {exc}", hint="placeholder: {week}") from None
    name = re.sub(r"\s+", "-", name.strip())
    try:
        return check_wiki_path(name)
    except ValueError as exc:
        raise ConfigError(f"[wiki] page {settings.page!r} gives {name!r}: {exc}") from None


def _git(wiki: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*_GIT, "-C", str(wiki), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise PublishError(f"git {args[0]} in {wiki} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result


def _git_ok(wiki: Path, *args: str) -> str | None:
    """stdout of a git query, or None when it fails (no upstream, no such ref, no commit yet)."""
    result = subprocess.run([*_GIT, "-C", str(wiki), *args], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


# Operations that leave the work tree mid-way; a commit now would conclude or corrupt them.
_IN_PROGRESS = {
    "MERGE_HEAD": "a merge",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase or git am",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "BISECT_LOG": "a bisect",
}


def check_repository(wiki: Path, push: bool, remote: str) -> None:
    """Refuse a wiki that is in the middle of something, or whose push would carry the user's
    own unpublished commits."""
    for marker, what in _IN_PROGRESS.items():
        path = _git_ok(wiki, "rev-parse", "--git-path", marker)
        if path and (wiki / path).exists():
            raise PublishError(
                f"{wiki} is in the middle of {what}; nothing was published",
                hint="finish or abort it (git status says how), then publish again",
            )
    if _git_ok(wiki, "ls-files", "--unmerged"):
        raise PublishError(f"{wiki} has unmerged files; nothing was published", hint="resolve them first")
    branch = _git_ok(wiki, "symbolic-ref", "-q", "--short", "HEAD")
    if not branch:
        raise PublishError(
            f"{wiki} is on a detached HEAD; nothing was published", hint="check out the wiki's branch first"
        )
    if push and _git_ok(wiki, "rev-parse", "--verify", "-q", f"refs/remotes/{remote}/{branch}"):
        subjects = (_git_ok(wiki, "log", "--format=%s", f"refs/remotes/{remote}/{branch}..HEAD") or "").splitlines()
        theirs = [s for s in subjects if not s.startswith("brief: publish ")]
        if theirs:
            raise PublishError(
                f"{wiki} has {len(theirs)} commit(s) not on {remote}/{branch} that brief did not make "
                f"(e.g. {theirs[0]!r}); a push would publish them too, so nothing was published",
                hint="push or drop them first, or publish without --push",
            )


def check_own_paths(wiki: Path, paths: list[str]) -> None:
    """brief's files must be inside the wiki and carry no uncommitted edits of the user's."""
    root = wiki.resolve()
    for rel in paths:
        if not (wiki / rel).resolve().is_relative_to(root):
            raise PublishError(f"{wiki / rel} leads outside the wiki (a symbolic link?); nothing was published")
        for folder in reversed(PurePosixPath(rel).parents[:-1]):  # images/ of images/brief-<week>.png
            if (wiki / folder).exists() and not (wiki / folder).is_dir():
                raise PublishError(
                    f"{wiki / folder} is a file, not a folder, and brief keeps {rel} in it; nothing was published",
                    hint=f"rename or move {folder}, then publish again",
                )
        if (wiki / rel).is_dir():
            raise PublishError(f"{wiki / rel} is a folder, where brief keeps a file; nothing was published")
    status = _git(wiki, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths).stdout
    dirty = [entry[3:] for entry in status.split("\0") if len(entry) > 3 and entry[2] == " "]
    if dirty:
        raise PublishError(
            f"{', '.join(dirty)} in {wiki} has uncommitted changes; brief would overwrite or commit them, "
            "so nothing was published",
            hint="commit or discard them (git status), then publish again",
        )


def _index_block(wiki: Path, settings: WikiSettings, also: str) -> str:
    """The list of week pages committed in the wiki (and `also`, about to be committed), newest
    first. Committed only: a page file the user has lying around uncommitted is not published."""
    template = page_name(settings, "{week}")
    prefix, _, suffix = template.partition("{week}")
    folder = PurePosixPath(template).parent
    stems = {also}
    committed = _git_ok(wiki, "ls-tree", "-r", "--name-only", "-z", "HEAD", "--", folder.as_posix()) or ""
    for name in committed.split("\0"):
        path = PurePosixPath(name)
        if path.suffix == ".md" and path.parent == folder:
            stems.add(path.with_suffix("").as_posix())
    weeks = []
    for stem in stems:
        if stem.startswith(prefix) and stem.endswith(suffix):
            week = stem[len(prefix) : len(stem) - len(suffix) if suffix else None]
            if _WEEK.fullmatch(week):
                weeks.append((week, stem))
    lines = [INDEX_START, ""]
    for _week, stem in sorted(weeks, reverse=True):
        lines.append(f"- [{stem}]({quote(stem)})")
    lines += ["", INDEX_END]
    return "\n".join(lines)


def read_index_page(path: Path) -> str | None:
    """The text of an index page, or None when there is none yet. Refused (before anything is
    written): a page that is not UTF-8, or whose markers are not one start followed by one end."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise PublishError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PublishError(
            f"{path.name} is not UTF-8 text (byte {exc.start}); brief edits only UTF-8 pages, nothing was published",
            hint="convert it to UTF-8",
        ) from None
    starts, ends = text.count(INDEX_START), text.count(INDEX_END)
    if (starts, ends) != (0, 0) and not (starts == ends == 1 and text.index(INDEX_START) < text.index(INDEX_END)):
        raise PublishError(
            f"{path.name}: the index markers are damaged ({starts} start, {ends} end"
            f"{', end before start' if starts == ends == 1 else ''}); nothing was published",
            hint=f"leave exactly one {INDEX_START} followed by one {INDEX_END}, or remove both",
        )
    return text


def updated_index(text: str | None, block: str, title: str) -> str:
    text = f"# {title}\n\n" if text is None else text
    if INDEX_START in text:
        head, rest = text.split(INDEX_START, 1)
        _, tail = rest.split(INDEX_END, 1)
        return head + block + tail
    return text.rstrip("\n") + "\n\n" + block + "\n"


def check_wiki(settings: WikiSettings, push: bool) -> Path:
    """The wiki folder, once it is known to be a clone in a state to publish into; cheap, so
    `brief publish` runs it before the build too."""
    wiki = settings.dir
    if wiki is None:
        raise ConfigError("no wiki folder", hint="pass --wiki DIR or set [wiki] dir")
    if not (wiki / ".git").exists():
        raise ConfigError(f"{wiki} is not a git clone", hint="clone the wiki first: git clone <repo>.wiki.git")
    check_repository(wiki, push, settings.remote)
    return wiki


def publish_wiki(
    digest: Digest,
    settings: WikiSettings,
    templates: Path | None,
    chart_png: bytes | None,
    push: bool = False,
    week_map: WeekMap | None = None,
) -> Published:
    """Check everything, then write the page, chart, map and index pages, then commit only those.

    Nothing is written when the wiki is mid-merge/rebase, detached, has edits of the user's in
    brief's files, a damaged index page or a path leading outside it; the user's other staged
    and unstaged work is neither committed nor touched. `templates`: the user's ([build] templates)."""
    wiki = check_wiki(settings, push)
    name = page_name(settings, digest.week)
    chart_rel = f"images/brief-{digest.week}.png"
    map_rel = f"images/brief-{digest.week}.map.png"
    page_rel = f"{name}.md"
    index_rels = [f"{index}.md" for index in settings.index]
    images = [(chart_rel, chart_png)] if chart_png else []
    images += [(map_rel, week_map.png)] if week_map is not None else []
    paths = list(dict.fromkeys([page_rel, *index_rels, *(rel for rel, _png in images)]))
    check_own_paths(wiki, paths)
    block = _index_block(wiki, settings, also=name)
    indexes = {rel: read_index_page(wiki / rel) for rel in index_rels}
    text = render(
        digest,
        "md",
        templates,
        chart_file=chart_rel if chart_png else None,
        map_file=map_rel if week_map is not None else None,
        map_alt=week_map.alt_text if week_map is not None else None,
        show_generated=False,
    )
    # Everything checked: now write what changed, all to temporaries first, then rename them all.
    page = wiki / page_rel
    changes = [(wiki / rel, png) for rel, png in images]
    changes.append((page, text.encode("utf-8")))
    for rel, old in indexes.items():
        new = updated_index(old, block, DIGEST_TITLE)
        if new != old:
            changes.append((wiki / rel, new.encode("utf-8")))
    try:
        write_set_atomic([(path, data) for path, data in changes if not path.exists() or path.read_bytes() != data])
    except OSError as exc:  # a full disk, a read-only wiki: nothing of brief's changed there
        raise PublishError(
            f"cannot write {exc.filename} in the wiki: {exc.strerror or exc}; nothing was published"
        ) from None
    _git(wiki, "add", "--", *paths)
    staged = subprocess.run([*_GIT, "-C", str(wiki), "diff", "--cached", "--quiet", "--", *paths], capture_output=True)
    committed = False
    if staged.returncode == 1:
        identity = []
        if not subprocess.run([*_GIT, "-C", str(wiki), "config", "user.email"], capture_output=True).stdout.strip():
            identity = ["-c", "user.name=brief", "-c", "user.email=brief@localhost"]
        message = f"brief: publish {name} ({digest.stats['reports']} reports)"
        # --only with pathspecs: the commit holds brief's files alone; whatever else the user
        # has staged stays staged, their unstaged edits stay unstaged.
        _git(wiki, *identity, "commit", "-q", "--only", "-m", message, "--", *paths)
        committed = True
    pushed = False
    if push:
        _git(wiki, "push", "-q", settings.remote, "HEAD")
        pushed = True
    return Published(page=page, committed=committed, pushed=pushed)
