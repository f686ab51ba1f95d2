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


def build_options(command: Any) -> Any:
    """The options of `brief build`, shared by `send` and `publish` (they build, then deliver)."""
    options = [
        click.option(
            "--week",
            "week_text",
            is_flag=False,
            flag_value="",
            default="",
            metavar="[YYYY-Www]",
            help="ISO week, e.g. 2021-W34; bare --week (or none) means the current week",
        ),
        click.option("--input", "input_dir", type=click.Path(path_type=Path), help="folder of reports (recursive)"),
        click.option("--out", "out_dir", type=click.Path(path_type=Path), help="output folder (default out/)"),
        click.option("--format", "formats", metavar="LIST", help=FORMATS_HELP),
        click.option(
            "--by",
            "select_by",
            type=click.Choice(["collected", "date"]),
            help="what places a report in a week: when it was collected (default) or its own date",
        ),
        click.option("--summarizer", help="extractive or seq2seq (default: seq2seq when a model is set)"),
        click.option("--model", help="seq2seq checkpoint: a folder under models/, a local path or a hub id"),
        click.option("--device", help="auto (default), cpu, cuda, cuda:N or mps"),
        click.option("--engine", help="auto (default: CTranslate2 where it converts the model), ctranslate2 or torch"),
        click.option("--precision", help="auto (default: int8 on CPU), float32, int8, int8_float32, bfloat16 …"),
        click.option("--no-cache", "no_cache", is_flag=True, default=None, help="bypass the summary cache"),
        click.option("--templates", type=click.Path(file_okay=False, path_type=Path), help="your own templates"),
        click.option("-q", "--quiet", is_flag=True, help="no progress bar, no per-file messages"),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _build_flags(opts: dict[str, Any]) -> dict[str, Any]:
    return {
        "input": opts.pop("input_dir"),
        "out": opts.pop("out_dir"),
        "formats": opts.pop("formats"),
        "select_by": opts.pop("select_by"),
        "summarizer": opts.pop("summarizer"),
        "model": opts.pop("model"),
        "device": opts.pop("device"),
        "model_engine": opts.pop("engine"),
        "model_precision": opts.pop("precision"),
        "use_cache": False if opts.pop("no_cache") else None,
        "templates": opts.pop("templates"),
    }


def _run_build(settings: Any, week_text: str, quiet: bool) -> Any:
    """Build the week's digest and report what happened; returns the BuildResult."""
    from .pipeline import build as run_build
    from .week import IsoWeek

    try:
        week = IsoWeek.parse(week_text) if week_text else IsoWeek.current()
        result = run_build(settings, week, notify=(lambda _m: None) if quiet else _warn, progress=_progress_bar(quiet))
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
    return result


@main.command()
@build_options
@click.pass_context
def build(ctx: click.Context, week_text: str, quiet: bool, **opts: Any) -> None:
    """Build the weekly digest (Markdown, HTML, JSON, chart) of a folder of reports.

    Every input file ends up in the digest, either as a report or under 未收录 with the reason.

    \b
    Examples:
        brief build --week --input seeds
        brief build --week 2021-W34 --input reports --by date --format md,json
        brief build --week --input reports --model mt5-small-xlsum --device cpu
    """
    settings = _settings(ctx, **_build_flags(opts))
    result = _run_build(settings, week_text, quiet)
    if result.digest.skipped:
        ctx.exit(1)


@main.command()
@build_options
@click.option("--to", "to", multiple=True, help="recipient (repeatable; default [email] to)")
@click.option("--cc", multiple=True, help="copy recipient (repeatable)")
@click.option("--bcc", multiple=True, help="blind copy recipient (repeatable)")
@click.option("--from", "sender", help="sender address (default [email] from)")
@click.option("--reply-to", help="Reply-To address")
@click.option("--subject", help="subject template; {week} and {count} are filled in")
@click.option("--dry-run", is_flag=True, help="write OUT/<week>.eml instead of sending")
@click.option("--force", is_flag=True, help="send even if this week was sent already")
@click.pass_context
def send(
    ctx: click.Context,
    week_text: str,
    quiet: bool,
    to: tuple[str, ...],
    cc: tuple[str, ...],
    bcc: tuple[str, ...],
    sender: str | None,
    reply_to: str | None,
    subject: str | None,
    dry_run: bool,
    force: bool,
    **opts: Any,
) -> None:
    """Build the week's digest and email it (text + HTML + chart), once per week.

    SMTP settings come from brief.toml [smtp]; the password only from the environment variable
    named by [smtp] password_env (default BRIEF_SMTP_PASSWORD).

    \b
    Examples:
        brief send --week --input seeds --out out --to team@example.org --dry-run
        BRIEF_SMTP_PASSWORD=… brief send --week 2021-W34 --input reports
    """
    from .deliver.email import compose_message, load_sent, record_sent, send_message

    flags = _build_flags(opts)
    flags.update(
        email_to=list(to) or None,
        email_cc=list(cc) or None,
        email_bcc=list(bcc) or None,
        email_from=sender,
        reply_to=reply_to,
        subject=subject,
    )
    settings = _settings(ctx, **flags)
    built = _run_build(settings, week_text, quiet)
    digest = built.digest
    try:
        sent = load_sent(settings.out).get(digest.week)
        if sent and not force and not dry_run:
            click.echo(
                f"{digest.week} was already sent on {sent.get('sent_at')} ({sent.get('message_id')}); --force to resend"
            )
            return
        message = compose_message(digest, settings, built.chart)
        if dry_run:
            from .digest import write_atomic_bytes

            path = settings.out / f"{digest.week}.eml"
            write_atomic_bytes(path, bytes(message))
            click.echo(f"wrote {path} (dry run: nothing sent)")
            return
        outcome = send_message(message, settings, notify=_warn)
        record_sent(settings.out, digest.week, outcome)
    except BriefError as exc:
        raise BriefCommandError(exc) from None
    click.echo(
        f"sent {digest.week} to {len(outcome.recipients)} recipient(s) via {settings.smtp_host} ({outcome.message_id})"
    )


@main.command()
@build_options
@click.option("--wiki", "wiki_dir", type=click.Path(file_okay=False, path_type=Path), help="git clone of the wiki")
@click.option("--push/--no-push", default=None, help="git push after committing (default [wiki] push)")
@click.pass_context
def publish(
    ctx: click.Context, week_text: str, quiet: bool, wiki_dir: Path | None, push: bool | None, **opts: Any
) -> None:
    """Build the week's digest and publish it as a wiki page with an index of weeks.

    \b
    Examples:
        brief publish --week --input seeds --out out --wiki ../team.wiki
        brief publish --week 2021-W34 --input reports --wiki ../team.wiki --push
    """
    from .deliver.wiki import publish_wiki

    settings = _settings(ctx, **_build_flags(opts), wiki_dir=wiki_dir, wiki_push=push)
    built = _run_build(settings, week_text, quiet)
    try:
        published = publish_wiki(built.digest, settings, built.chart, push=settings.wiki_push)
    except BriefError as exc:
        raise BriefCommandError(exc) from None
    state = "committed" if published.committed else "unchanged, nothing to commit"
    click.echo(f"wiki page {published.page} {state}{', pushed' if published.pushed else ''}")


@main.command("config")
@click.pass_context
def show_config(ctx: click.Context) -> None:
    """Show the effective settings (flags > environment > brief.toml > defaults), secrets masked.

    \b
    Example:
        brief --config brief.toml config
    """
    from .settings import describe_settings

    for key, value in describe_settings(_settings(ctx)):
        click.echo(f"{key:<32} {value}")


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
@click.option("--device", help="the device to plan for (default [model] device)")
@click.option("--engine", help="auto, ctranslate2 or torch (default [model] engine)")
@click.option("--precision", help="auto, float32, int8, … (default [model] precision)")
@click.pass_context
def model_info(ctx: click.Context, path: str, device: str | None, engine: str | None, precision: str | None) -> None:
    """Architecture, parameters, vocabulary, input limit, and the engine and precision
    `brief build --model` will use for the checkpoint, with the reason.

    \b
    Example:
        brief model info models/mt5-small-xlsum
    """
    from .checkpoints import describe_model
    from .summarize.runtime import describe_runtime

    settings = _settings(ctx, device=device, model_engine=engine, model_precision=precision)
    try:
        click.echo(describe_model(path))
        s = settings
        click.echo(describe_runtime(path, s.model_revision, s.model_engine, s.model_precision, s.device))
    except BriefError as exc:
        raise BriefCommandError(exc) from None


@model.command("convert")
@click.argument("name")
@click.option(
    "--quantization",
    type=click.Choice(["int8", "int8_float32", "int8_float16", "float32", "float16", "bfloat16"]),
    default="int8",
    show_default=True,
    help="weights on disk and compute type: int8 on CPU; bfloat16, float16 or int8_float16 on CUDA",
)
@click.option("--revision", help="branch, tag or commit of a hub checkpoint")
@click.option("--force", is_flag=True, help="convert again even if the converted copy exists")
def model_convert(name: str, quantization: str, revision: str | None, force: bool) -> None:
    """Convert a checkpoint for CTranslate2, once; `brief build` also does it on first use.

    The copy goes beside the checkpoint (models/NAME.ct2/<revision>-<quantization>/).

    \b
    Examples:
        brief model convert mT5_multilingual_XLSum
        brief model convert mT5_multilingual_XLSum --quantization bfloat16
    """
    from .summarize.ct2 import convert_checkpoint

    try:
        done = convert_checkpoint(name, quantization, revision, force=force)
    except BriefError as exc:
        raise BriefCommandError(exc) from None
    if done.fresh:
        click.echo(f"converted {name} ({quantization}) in {done.seconds:.1f} s: {done.path}")
    else:
        click.echo(f"already converted ({quantization}): {done.path}")


if __name__ == "__main__":  # pragma: no cover
    main()
