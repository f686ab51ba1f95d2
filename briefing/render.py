"""Rendering a digest: the Jinja environment (the user's template folder searched first, then the
packaged templates), the escaping filters for untrusted report text, and writing every format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .digest import Digest
from .errors import ConfigError
from .files import DiskFullError, check_not_foreign, is_disk_full, mark_output, write_set_atomic
from .text import UNPLACED, json_safe, printable_path

if TYPE_CHECKING:
    from .weekmap import MapOutcome

# Characters that would start Markdown markup mid-line; "<" and ">" become entities so no HTML
# from a report reaches the wiki.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>~])")
# Every line ending CommonMark knows (a lone CR starts a new line too): a value stays on its line.
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f]")
# What makes a line a heading, list item or rule when a value opens the line ({{ o.lead }} does).
_BLOCK_START = re.compile(r"^(\s*)([#+=-]|\d{1,9}[.)](?=\s|$))")


def escape_markdown(text: object) -> str:
    """Report text (and whatever the archive holds) is untrusted: no markup of its own may reach
    the wiki page, wherever the template puts it."""
    value = "" if text is None else str(text)
    value = value.replace("&", "&amp;")
    value = _MD_SPECIAL.sub(lambda m: _MD_ENTITIES.get(m.group(1), "\\" + m.group(1)), value)
    value = _LINE_BREAKS.sub(" ", value)
    return _BLOCK_START.sub(_escape_block_start, value)


def _escape_block_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    return indent + (marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker)


_MD_ENTITIES = {"<": "&lt;", ">": "&gt;"}


def escape_path_markdown(path: object) -> str:
    return printable_path(path).replace("`", "'").replace("|", "/")


def packaged_templates() -> Path:
    """templates/ of the source tree (editable installs), else the copy inside the package."""
    source_tree = Path(__file__).resolve().parent.parent / "templates"
    if source_tree.is_dir():
        return source_tree
    from importlib import resources

    return Path(str(resources.files("briefing.templates")))


def template_environment(user_dir: Path | None = None) -> Any:
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders.append(jinja2.FileSystemLoader(str(packaged_templates())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=lambda name: bool(name) and ".html" in name,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["mdpath"] = escape_path_markdown
    env.filters["path"] = printable_path
    env.filters["mdurl"] = markdown_link_target
    env.filters["mdurl_bare"] = lambda url: markdown_link_target(url)[1:-1]
    return env


def render(digest: Digest, fmt: str, user_dir: Path | None = None, template: str | None = None, **context: Any) -> str:
    """Render one format. Extra context: chart_file (Markdown image link), chart_src (HTML image
    source: a data: URI or cid:), map_file / map_src / map_alt (the same for the week's map, and
    its alt text), show_generated (False for pages that must not change when the week has not).
    JSON: map_json (the map's file and places, or None) and map_reason (why there is none)."""
    if fmt == "json":
        data = digest.to_json()
        if "map_json" in context:
            data["map"], data["map_reason"] = context["map_json"], context.get("map_reason")
        return json.dumps(json_safe(data), ensure_ascii=False, indent=2) + "\n"
    import jinja2

    env = template_environment(user_dir)
    name = template or f"digest.{fmt}.j2"
    values = {
        "chart_file": None,
        "chart_src": None,
        "map_file": None,
        "map_src": None,
        "map_alt": None,
        "show_generated": True,
        **context,
    }
    try:
        return env.get_template(name).render(digest=digest, unplaced=UNPLACED, **values)
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else name
        raise ConfigError(f"template {where}: {exc.message or type(exc).__name__}") from None


def digest_paths(week: str, out_dir: Path, formats: tuple[str, ...], chart: bool, week_map: bool = False) -> list[Path]:
    """The files a build of `week` writes into `out_dir`: the chart and the map (each when there
    is one; only when the Markdown or HTML shows them), then each format."""
    shown = bool({"md", "html"} & set(formats))
    paths = [out_dir / f"{week}.png"] if chart and shown else []
    paths += [out_dir / map_name(week)] if week_map and shown else []
    return paths + [out_dir / f"{week}.{fmt}" for fmt in formats]


def map_name(week: str) -> str:
    """The week's map beside its digest: 2026-W50.map.png."""
    return f"{week}.map.png"


def check_digest_targets(week: str, out_dir: Path, formats: tuple[str, ...]) -> None:
    """Refuse (exit 2, before anything is written) to replace a file brief did not write: with
    --out equal to the input folder a user's report may carry a digest's name."""
    for path in digest_paths(week, out_dir, formats, chart=True, week_map=True):
        check_not_foreign(path)


def write_digest(
    digest: Digest,
    out_dir: Path,
    formats: tuple[str, ...],
    user_dir: Path | None = None,
    chart: bytes | None = None,
    week_map: MapOutcome | None = None,
) -> list[Path]:
    """Write each format (and the chart and map next to the Markdown/HTML that show them), each
    marked as brief's. Every format is rendered, then every file written to its temporary, before
    the first is renamed into place: a failing template or a full disk never leaves a new .md
    beside last run's .json."""
    drawn = week_map.drawn if week_map is not None else None
    shown = bool({"md", "html"} & set(formats))
    for path in digest_paths(digest.week, out_dir, formats, chart=bool(chart), week_map=drawn is not None):
        check_not_foreign(path)
    context: dict[str, Any] = {}
    files: list[tuple[Path, bytes]] = []
    if chart and shown:
        context |= {"chart_file": f"{digest.week}.png", "chart_src": data_uri(chart)}
        files.append((out_dir / f"{digest.week}.png", chart))
    if week_map is not None:
        reason = week_map.reason
        if drawn is not None and shown:
            name = map_name(digest.week)
            context |= {"map_file": name, "map_src": data_uri(drawn.png), "map_alt": drawn.alt_text}
            files.append((out_dir / name, drawn.png))
        elif drawn is not None:
            reason = "not written: neither Markdown nor HTML was asked for (--format)"
        context |= {"map_json": drawn.to_json(map_name(digest.week)) if "map_file" in context else None}
        context |= {"map_reason": reason}
    for fmt in formats:
        files.append((out_dir / f"{digest.week}.{fmt}", render(digest, fmt, user_dir, **context).encode("utf-8")))
    try:
        write_set_atomic([(path, mark_output(path.suffix, data)) for path, data in files])
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        raise DiskFullError(
            f"disk full: cannot write {printable_path(exc.filename or out_dir)} ({exc.strerror}); "
            f"the previous {digest.week} files were left as they were",
            hint="free some space and build again",
        ) from None
    return [path for path, _data in files]


def data_uri(png: bytes) -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def markdown_link_target(url: str) -> str:
    """A page address as a Markdown link target, `<…>` so that parentheses inside it do not end
    it. The address is an http(s) one without spaces or angle brackets (source_link.clean_url)."""
    if not url or any(ch in url for ch in "<> \n\\"):
        return "<#>"
    return f"<{url}>"
