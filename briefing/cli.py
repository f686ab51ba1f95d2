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
@click.option("--summarizer", help="summarizer backend: extractive or seq2seq (default: seq2seq when a model is set)")
@click.option("--model", help="seq2seq checkpoint: a folder under models/, a local path or a hub id")
@click.option("--device", help="auto (default), cpu, cuda, cuda:N or mps")
@click.option("--no-cache", "no_cache", is_flag=True, default=None, help="do not read or write the summary cache")
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
    model: str | None,
    device: str | None,
    no_cache: bool | None,
    templates: Path | None,
    quiet: bool,
) -> None:
    """Build the weekly digest (Markdown, HTML, JSON) of a folder of reports.

    Every input file ends up in the digest, either as a report or under 未收录 with the reason.

    \b
    Examples:
        brief build --week --input seeds
        brief build --week 2021-W34 --input reports --by date --format md,json
        brief build --week --input reports --model mt5-small-xlsum --device cpu
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
        model=model,
        device=device,
        use_cache=False if no_cache else None,
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
    if digest.stats.get("generated") or digest.stats.get("cached"):
        click.echo(
            f"summaries: {digest.stats['cached']} from the cache, {digest.stats['generated']} generated, "
            f"{digest.stats['guard_fallbacks']} fell back to extractive after the faithfulness guard"
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


@main.group()
def model() -> None:
    """Manage seq2seq checkpoints in models/ (and the Hugging Face cache).

    \b
    Examples:
        brief model list
        brief model info models/mt5-small-xlsum
        brief model pull csebuetnlp/mT5_multilingual_XLSum
    """


@model.command("pull")
@click.argument("model_id")
@click.option("--revision", help="branch, tag or commit of the checkpoint")
@click.option("--to", "target", type=click.Path(file_okay=False, path_type=Path), help="folder (default models/NAME)")
def model_pull(model_id: str, revision: str | None, target: Path | None) -> None:
    """Download a checkpoint from the Hugging Face hub into models/ (needs a network).

    \b
    Example:
        brief model pull csebuetnlp/mT5_multilingual_XLSum --revision main
    """
    from .checkpoints import pull_model

    try:
        path = pull_model(model_id, revision, target)
    except BriefError as exc:
        raise BriefCommandError(exc) from None
    click.echo(f"saved {model_id} to {path}; use it with: brief build --week --model {path.name}")


@model.command("list")
def model_list() -> None:
    """List the seq2seq checkpoints in models/ and in the Hugging Face cache.

    \b
    Example:
        brief model list
    """
    from .checkpoints import list_models

    found = list_models()
    if not found:
        click.echo("no checkpoints: put one under models/ or run `brief model pull ID`")
    for entry in found:
        click.echo(f"{entry.name:<50} {entry.architecture:<36} {entry.where}")


@model.command("info")
@click.argument("path")
def model_info(path: str) -> None:
    """Architecture, parameters, vocabulary and input limit of a checkpoint.

    \b
    Example:
        brief model info models/mt5-small-xlsum
    """
    from .checkpoints import describe_model

    try:
        click.echo(describe_model(path))
    except BriefError as exc:
        raise BriefCommandError(exc) from None


if __name__ == "__main__":  # pragma: no cover
    main()
