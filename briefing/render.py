"""Rendering a digest: the Jinja environment (the user's template folder searched first, then the
packaged templates), the escaping filters for untrusted report text, and writing every format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .digest import Digest
from .errors import ConfigError
from .files import write_atomic_bytes
from .text import UNPLACED, json_safe, printable_path

# Characters that would start Markdown markup mid-line; "<" and ">" become entities so no HTML
# from a report reaches the wiki.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>~])")


def escape_markdown(text: object) -> str:
    """Report text is untrusted: no markup of its own may reach the wiki page."""
    value = "" if text is None else str(text)
    value = value.replace("&", "&amp;")
    value = _MD_SPECIAL.sub(lambda m: _MD_ENTITIES.get(m.group(1), "\\" + m.group(1)), value)
    return value.replace("\n", " ")


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
    return env


def render(digest: Digest, fmt: str, user_dir: Path | None = None, template: str | None = None, **context: Any) -> str:
    """Render one format. Extra context: chart_file (Markdown image link), chart_src (HTML image
    source: a data: URI or cid:), show_generated (False for pages that must not change when the
    week has not)."""
    if fmt == "json":
        return json.dumps(json_safe(digest.to_json()), ensure_ascii=False, indent=2) + "\n"
    import jinja2

    env = template_environment(user_dir)
    name = template or f"digest.{fmt}.j2"
    values = {"chart_file": None, "chart_src": None, "show_generated": True, **context}
    try:
        return env.get_template(name).render(digest=digest, unplaced=UNPLACED, **values)
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else name
        raise ConfigError(f"template {where}: {exc.message or type(exc).__name__}") from None


def write_digest(
    digest: Digest,
    out_dir: Path,
    formats: tuple[str, ...],
    user_dir: Path | None = None,
    chart: bytes | None = None,
) -> list[Path]:
    """Write each format (and the chart next to the Markdown/HTML that show it). Every format is
    rendered before the first file is written, so a failing template never leaves a new .md
    beside last run's .json."""
    files: list[tuple[Path, bytes]] = []
    context: dict[str, Any] = {}
    if chart and {"md", "html"} & set(formats):
        chart_path = out_dir / f"{digest.week}.png"
        files.append((chart_path, chart))
        context = {"chart_file": chart_path.name, "chart_src": data_uri(chart)}
    for fmt in formats:
        files.append((out_dir / f"{digest.week}.{fmt}", render(digest, fmt, user_dir, **context).encode("utf-8")))
    for path, data in files:
        write_atomic_bytes(path, data)
    return [path for path, _data in files]


def data_uri(png: bytes) -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
