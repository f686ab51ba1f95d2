"""The `brief` command line. It parses arguments and calls the stages; nothing else.

Exit codes: 0 all inputs used, 1 some inputs skipped (the digest is still written),
2 usage or configuration errors.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import BriefError

FORMATS_HELP = "comma-separated: md,html,json (default all three)"


class BriefCommandError(click.ClickException):
    def __init__(self, error: BriefError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


def _settings(ctx: click.Context, **flags: Any) -> Any:
    from .settings import load_settings

    try:
        return load_settings(flags=flags, config_file=ctx.obj.get("config"))
    except BriefError as exc:
        raise BriefCommandError(exc) from None


def _warn(message: str) -> None:
    click.echo(f"brief: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="brief")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="brief.toml to use (default: $BRIEF_CONFIG, else ./brief.toml if present)",
)
@click.pass_context
def main(ctx: click.Context, config: Path | None) -> None:
    """Turn a week of scraped Chinese meeting reports into a clean regional briefing.

    \b
    Example:
        brief build --week --input seeds --out out
    """
    ctx.ensure_object(dict)
    ctx.obj["config"] = config


@main.command()
@click.option(
    "--week",
    "week_text",
    is_flag=False,
    flag_value="",
    default="",
    metavar="[YYYY-Www]",
    help="ISO week to build, e.g. 2021-W34; bare --week (or none) means the current week",
)
@click.option("--input", "input_dir", type=click.Path(path_type=Path), help="folder of reports (read recursively)")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="output folder (default out/)")
@click.option("--format", "formats", metavar="LIST", help=FORMATS_HELP)
@click.option(
    "--by",
    "select_by",
    type=click.Choice(["collected", "date"]),
    help="what places a report in a week: when it was collected (default) or the report's own date",
)
@click.option("--summarizer", help="summarizer backend (default: extractive)")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), help="folder of your own templates")
@click.option("-q", "--quiet", is_flag=True, help="no progress bar, no per-file messages")
@click.pass_context
def build(
    ctx: click.Context,
    week_text: str,
    input_dir: Path | None,
    out_dir: Path | None,
    formats: str | None,
    select_by: str | None,
    summarizer: str | None,
    templates: Path | None,
    quiet: bool,
) -> None:
    """Build the weekly digest (Markdown, HTML, JSON) of a folder of reports.

    Every input file ends up in the digest, either as a report or under 未收录 with the reason.

    \b
    Examples:
        brief build --week --input seeds
        brief build --week 2021-W34 --input reports --by date --format md,json
    """
    from .pipeline import build as run_build
    from .week import IsoWeek

    settings = _settings(
        ctx,
        input=input_dir,
        out=out_dir,
        formats=formats,
        select_by=select_by,
        summarizer=summarizer,
        templates=templates,
    )
    try:
        week = IsoWeek.parse(week_text) if week_text else IsoWeek.current()
        result = run_build(
            settings,
            week,
            notify=(lambda _m: None) if quiet else _warn,
            progress=_progress_bar(quiet),
        )
    except BriefError as exc:
        raise BriefCommandError(exc) from None
    digest = result.digest
    click.echo(
        f"{digest.week}: {digest.stats['reports']} report(s) in {digest.stats['provinces']} province(s), "
        f"{digest.stats['skipped']} skipped, {digest.stats['outside_week']} from other weeks"
    )
    for path in result.written:
        click.echo(f"wrote {path}")
    if digest.skipped:
        ctx.exit(1)


def _progress_bar(quiet: bool) -> Any:
    def wrap(items: Iterable[Path]) -> Iterable[Path]:
        if quiet:
            return items
        from tqdm import tqdm

        # tqdm hides itself when stderr is not a terminal (disable=None), so logs stay clean.
        return tqdm(items, desc="reading", unit="file", file=sys.stderr, disable=None, leave=False)

    return wrap


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--explain", is_flag=True, help="also list every removal with its rule and line")
def clean(file: Path, explain: bool) -> None:
    """Print the cleaned Simplified text of one report.

    \b
    Examples:
        brief clean seeds/000_497ccbb6f08a9728.txt
        brief clean page.html --explain
    """
    from .clean import clean_text
    from .errors import SkipFile
    from .ingest import IngestOptions, read_source

    try:
        ingested = read_source(file, str(file), IngestOptions())
    except SkipFile as exc:
        raise click.ClickException(f"{file}: {exc.reason}") from None
    cleaned = clean_text(ingested.text)
    click.echo(cleaned.text)
    if not explain:
        return
    from .explain import describe_cleaning

    click.echo()
    click.echo(describe_cleaning(ingested.source, cleaned))


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def explain(file: Path) -> None:
    """Show the facts found in one report and the evidence for each.

    \b
    Example:
        brief explain seeds/003_f79c5a7088eff534.txt
    """
    from .errors import SkipFile
    from .explain import describe_report
    from .ingest import IngestOptions
    from .pipeline import process_file

    try:
        report = process_file(file, IngestOptions())
    except SkipFile as exc:
        raise click.ClickException(f"{file}: {exc.reason}") from None
    click.echo(describe_report(report))


if __name__ == "__main__":  # pragma: no cover
    main()
