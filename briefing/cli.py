"""The `brief` command line. It parses arguments and calls the stages; nothing else.

Exit codes: 0 all inputs used, 1 some inputs skipped or the archive unusable (the digest is still
written), 2 usage or configuration errors, 3 delivery failed (send, publish; it wins over 1),
4 brief itself failed (the traceback is in a log file, or on stderr with --debug; a full disk: one
line naming the file), 130 interrupted (Ctrl-C), 141 the reader of its output went away
(`brief build | head -1`: quietly, as a POSIX tool stopped by SIGPIPE). Typed errors (`BriefError`
and its kinds) carry their own code and are turned into a one-line message in one place,
`BriefGroup.invoke`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .errors import BriefError
from .model_paths import QUANTIZATIONS
from .text import printable_path, printable_text

FORMATS_HELP = "comma-separated: md,html,json (default all three)"
STORE_HELP = "the archive database (default OUT/brief.db, [store] path)"


class BriefCommandError(click.ClickException):
    def __init__(self, error: BriefError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


def _settings(ctx: click.Context, **flags: Any) -> Any:
    from .settings import load_settings

    return load_settings(flags=flags, config_file=ctx.obj.get("config"))


def _warn(message: str) -> None:
    click.echo(f"brief: {message}", err=True)


class BriefCrash(click.ClickException):
    """An unexpected exception: one line naming the log file that holds the traceback."""

    def __init__(self, exc: Exception) -> None:
        from .crash import CRASH_EXIT_CODE, write_crash_log

        log = write_crash_log(exc)
        what = printable_path(f"{type(exc).__name__}: {exc}")
        what = what if len(what) <= 200 else what[:199] + "…"
        where = f"the traceback is in {printable_path(log)}" if log else "no log file could be written"
        super().__init__(f"brief failed: {what}; {where} (run with --debug to see it here)")
        self.exit_code = CRASH_EXIT_CODE


class BriefGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BriefError as exc:
            # The one place a typed error becomes its message and exit code (see the list above).
            raise BriefCommandError(exc) from None
        except KeyboardInterrupt:
            # Not 1 ("some inputs skipped"): the usual code of a command stopped by Ctrl-C.
            _warn("interrupted; files already written are complete, nothing is half-written")
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError as exc:
            from .crash import CLOSED_OUTPUT_EXIT_CODE, output_closed, silence_closed_output

            if not output_closed():  # a socket's, not our output's: brief failed
                self._crash(ctx, exc)
            # The reader of our output went away (`brief build | head -1`): end quietly, with the
            # status of a POSIX tool stopped by SIGPIPE. Files written so far are complete.
            silence_closed_output()
            raise click.exceptions.Exit(CLOSED_OUTPUT_EXIT_CODE) from None
        except Exception as exc:
            self._crash(ctx, exc)

    @staticmethod
    def _crash(ctx: click.Context, exc: Exception) -> NoReturn:
        if ctx.params.get("debug"):
            raise exc
        raise BriefCrash(exc) from None


@click.group(cls=BriefGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="brief")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="brief.toml to use (default: $BRIEF_CONFIG, else ./brief.toml if present)",
)
@click.option("--debug", is_flag=True, help="on an internal error, show the traceback (else it goes to a log file)")
@click.pass_context
def main(ctx: click.Context, config: Path | None, debug: bool) -> None:
    """Turn a week of scraped Chinese meeting reports into a clean regional briefing.

    Exit codes: 0 every input used; 1 some inputs skipped (the digest is still written);
    2 usage or configuration error; 3 send/publish could not deliver (wins over 1);
    4 brief itself failed (traceback in ~/.cache/brief/logs/, or here with --debug).

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
            metavar="[YYYY-Www|last]",
            help="ISO week, e.g. 2021-W34, or last (the week before this one); bare --week means the current week",
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
        click.option("--store", "store", type=click.Path(dir_okay=False, path_type=Path), help=STORE_HELP),
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
        "store_path": opts.pop("store"),
    }


def _run_build(settings: Any, week_text: str, quiet: bool, force: bool = False) -> Any:
    """Build the week's digest and report what happened; returns the BuildResult. `force`: also
    when it empties a week the archive holds with reports."""
    from .pipeline import build as run_build
    from .week import IsoWeek

    week = IsoWeek.parse(week_text) if week_text else IsoWeek.current()
    notify = (lambda _m: None) if quiet else _warn
    result = run_build(settings, week, notify=notify, progress=_progress_bar(quiet), force=force)
    digest = result.digest
    click.echo(
        f"{digest.week}: {digest.stats['reports']} report(s) in {digest.stats['provinces']} province(s), "
        f"{digest.stats['skipped']} skipped, {digest.stats['outside_week']} from other weeks"
    )
    if digest.stats.get("events") is not None:
        click.echo(
            f"events: {digest.stats['events']} ({digest.stats['new_events']} new, "
            f"{digest.stats['previously_reported']} reported in an earlier week)"
        )
    if digest.stats.get("generated") or digest.stats.get("cached"):
        click.echo(
            f"summaries: {digest.stats['cached']} from the cache, {digest.stats['generated']} generated, "
            f"{digest.stats['guard_fallbacks']} fell back to extractive after the faithfulness guard"
        )
    for path in result.written:
        click.echo(f"wrote {printable_path(path)}")
    if result.archive_error:
        _warn(f"{result.archive_error}; the digest was written without history")
    return result


def _exit_for_skipped(ctx: click.Context, built: Any) -> None:
    """build, send and publish agree: 1 when inputs were skipped or the archive could not be
    used. A delivery failure (3) has already ended the command by then, so it takes precedence."""
    if built.digest.skipped or built.archive_error:
        ctx.exit(1)


@main.command()
@build_options
@click.option("--force", is_flag=True, help="rebuild even if the input empties a week the archive holds")
@click.pass_context
def build(ctx: click.Context, week_text: str, quiet: bool, force: bool, **opts: Any) -> None:
    """Build the weekly digest (Markdown, HTML, JSON, chart) of a folder of reports.

    Every input file ends up in the digest, either as a report or under 未收录 with the reason.
    A week the archive holds with reports is not rebuilt empty (exit 3) unless --force.

    \b
    Examples:
        brief build --week --input seeds
        brief build --week 2021-W34 --input seeds --by date --format md,json
        brief build --week --input seeds --model mt5-small-xlsum --device cpu
    """
    settings = _settings(ctx, **_build_flags(opts))
    result = _run_build(settings, week_text, quiet, force)
    _exit_for_skipped(ctx, result)


@main.command()
@build_options
@click.option("--to", "to", multiple=True, help="recipient (repeatable; default [email] to)")
@click.option("--cc", multiple=True, help="copy recipient (repeatable)")
@click.option("--bcc", multiple=True, help="blind copy recipient (repeatable)")
@click.option("--from", "sender", help="sender address (default [email] from)")
@click.option("--reply-to", help="Reply-To address")
@click.option("--subject", help="subject template; {label}, {meetings}, {week} and {count} are filled in")
@click.option(
    "--dry-run", is_flag=True, help="write OUT/<week>.eml (and OUT/<week>.<subscription>.eml) instead of sending"
)
@click.option("--force", is_flag=True, help="send even if this week was sent already or has no reports")
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
    """Build the week's digest and email it (text + HTML + map), once per week.

    [email] to/cc/bcc get the whole week; each [[subscription]] of brief.toml gets its own digest
    of its regions and themes. SMTP settings come from brief.toml [smtp]; the password only from
    the environment variable named by [smtp] password_env (default BRIEF_SMTP_PASSWORD).

    \b
    Examples:
        brief send --week --input seeds --out out --to team@example.org --from brief@example.org --dry-run
        BRIEF_SMTP_PASSWORD=… brief send --week --input seeds
    """
    from .deliver.send import check_send_ready, send_digest

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
    check_send_ready(settings.smtp, dry_run)
    # --force sends an empty week, so it also lets the build empty the archived one.
    built = _run_build(settings, week_text, quiet, force)
    week = built.digest.week
    results = send_digest(
        built.digest,
        settings.email,
        settings.smtp,
        out=settings.build.out,
        templates=settings.build.templates,
        subscriptions=settings.subscriptions,
        wiki=settings.wiki,
        input_dir=settings.build.input,
        dry_run=dry_run,
        force=force,
        notify=_warn,
    )
    for result in results:
        who = f"subscription {result.subscription} ({result.meetings} meeting(s)): " if result.subscription else ""
        if result.eml is not None:
            click.echo(f"{who}wrote {printable_path(result.eml)} (dry run: nothing sent)")
        elif result.already_sent is not None:
            record = result.already_sent
            click.echo(
                f"{who}{week} was already sent on {record.get('sent_at')} ({record.get('message_id')}) "
                "to every recipient; --force to resend"
            )
        elif result.outcome is not None:
            click.echo(
                f"{who}sent {week} to {len(result.outcome.recipients)} recipient(s) via {settings.smtp.host} "
                f"({result.outcome.message_id})"
            )
    _exit_for_skipped(ctx, built)


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
        brief publish --week 2021-W34 --input seeds --by date --wiki ../team.wiki --push
    """
    from .deliver.wiki import check_wiki, publish_wiki

    settings = _settings(ctx, **_build_flags(opts), wiki_dir=wiki_dir, wiki_push=push)
    check_wiki(settings.wiki, settings.wiki.push)  # before the build: a wiki mid-merge must not cost model work
    built = _run_build(settings, week_text, quiet)
    published = publish_wiki(
        built.digest,
        settings.wiki,
        settings.build.templates,
        built.chart,
        push=settings.wiki.push,
        week_map=built.week_map,
    )
    state = "committed" if published.committed else "unchanged, nothing to commit"
    click.echo(f"wiki page {printable_path(published.page)} {state}{', pushed' if published.pushed else ''}")
    _exit_for_skipped(ctx, built)


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


def _store_path(ctx: click.Context, out_dir: Path | None, store: Path | None) -> Path:
    return _settings(ctx, out=out_dir, store_path=store).store_file


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="output folder (default out/)")
@click.option("--store", "store", type=click.Path(dir_okay=False, path_type=Path), help=STORE_HELP)
@click.pass_context
def history(ctx: click.Context, out_dir: Path | None, store: Path | None) -> None:
    """List the weeks in the archive: reports, events, new and previously reported.

    \b
    Examples:
        brief history --out out
        brief history --store out/brief.db
    """
    from .store import history_rows

    rows = history_rows(_store_path(ctx, out_dir, store))
    if not rows:
        click.echo("the archive holds no digest yet")
        return
    click.echo(f"{'week':<10} {'reports':>7} {'events':>6} {'new':>5} {'before':>6}  built")

    def cell(value: object) -> str:
        return "-" if value is None else str(value)  # an old or hand-edited row may lack a value

    for row in rows:
        counts = (row.reports, row.events, row.new_events, row.previously_reported)
        click.echo(
            f"{cell(row.week):<10} {cell(counts[0]):>7} {cell(counts[1]):>6} {cell(counts[2]):>5} "
            f"{cell(counts[3]):>6}  {cell(row.built_at)}"
        )


@main.command()
@click.argument("text")
@click.option("--region", help="only places whose name contains this (e.g. 奉节, 重庆市)")
@click.option("--since", "since", metavar="YYYY-Www", help="only digests from this ISO week on")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="output folder (default out/)")
@click.option("--store", "store", type=click.Path(dir_okay=False, path_type=Path), help=STORE_HELP)
@click.pass_context
def search(
    ctx: click.Context, text: str, region: str | None, since: str | None, out_dir: Path | None, store: Path | None
) -> None:
    """Search the archived reports (headline, text, summary; Traditional is matched too).

    \b
    Examples:
        brief search 防返贫 --out out
        brief search 驻村第一书记 --region 奉节 --since 2021-W30
    """
    from .store import search_archive
    from .week import IsoWeek

    since_week = IsoWeek.parse(since) if since else None
    hits = search_archive(_store_path(ctx, out_dir, store), text, region, since_week)
    if not hits:
        click.echo(f"no archived report matches {text!r}")
        return
    for hit in hits:
        where = f"[{hit.event}] {printable_path(hit.source)}"
        click.echo(f"{hit.week}  {hit.date or '日期不详'}  {hit.place}  {hit.title}  {where}")
    click.echo(f"{len(hits)} report(s)")


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
        brief clean seeds/001_4fcf7c4535a53727.txt --explain
    """
    from .clean import clean_text
    from .errors import SkipFile
    from .ingest import IngestOptions, read_source

    try:
        ingested = read_source(file, str(file), IngestOptions())
    except SkipFile as exc:
        raise click.ClickException(f"{printable_path(file)}: {exc.reason}") from None
    cleaned = clean_text(ingested.text)
    # Report text comes from the web: an ESC sequence in it must not drive the user's terminal.
    click.echo(printable_text(cleaned.text))
    if not explain:
        return
    from .explain import describe_cleaning

    click.echo()
    click.echo(printable_text(describe_cleaning(ingested.source, cleaned)))


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rules",
    is_flag=True,
    help="also print the date decision list with what fired, and every fact's rules by id and reason",
)
def explain(file: Path, rules: bool) -> None:
    """Show the facts found in one report and the evidence for each.

    \b
    Example:
        brief explain seeds/003_f79c5a7088eff534.txt
        brief explain --rules seeds/003_f79c5a7088eff534.txt
    """
    from .errors import SkipFile
    from .explain import describe_date_rules, describe_fact_rules, describe_report
    from .extract import extract_report, page_headline
    from .ingest import IngestOptions
    from .pipeline import clean_file

    try:
        source, cleaned = clean_file(file, IngestOptions())
    except SkipFile as exc:
        raise click.ClickException(f"{printable_path(file)}: {exc.reason}") from None
    report = extract_report(source, cleaned)
    click.echo(printable_text(describe_report(report)))
    if rules:
        click.echo()
        # the date rules walked again over what extraction read: the body and the page's headline
        click.echo(printable_text(describe_date_rules(report, page_headline(cleaned, source))))
        click.echo()
        click.echo(printable_text(describe_fact_rules(report)))


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

    path = pull_model(model_id, revision, target)
    click.echo(f"saved {model_id} to {path}; use it with: brief build --week --model {path.name}")


@model.command("list")
def model_list() -> None:
    """List the seq2seq checkpoints in models/ and in the Hugging Face cache. A folder brief
    cannot use (a damaged file, custom code) is listed as unusable with the reason, and the
    exit code is 1.

    \b
    Example:
        brief model list
    """
    from .checkpoints import list_models

    found = list_models()
    if not found:
        click.echo("no checkpoints: put one under models/ or run `brief model pull ID`")
    for entry in found:
        if entry.problem is None:
            click.echo(f"{entry.name:<50} {entry.architecture:<36} {entry.where}")
        else:
            click.echo(printable_text(f"{entry.name:<50} {'unusable':<36} {entry.problem}"))
    if any(entry.problem for entry in found):
        raise click.exceptions.Exit(1)


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

    m = _settings(ctx, device=device, model_engine=engine, model_precision=precision).model
    click.echo(describe_model(path))
    click.echo(describe_runtime(path, m.revision, m.engine, m.precision, m.device))


@model.command("eval")
@click.option("--model", "model_name", required=True, help="a checkpoint (as for build --model), or 'extractive'")
@click.option(
    "--labels",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON object of file name -> reference summary, for ROUGE",
)
@click.option("--input", "input_dir", type=click.Path(path_type=Path), help="folder of reports (default [build] input)")
@click.option("--device", help="auto, cpu, cuda, cuda:N or mps")
@click.pass_context
def model_eval(
    ctx: click.Context, model_name: str, labels: Path | None, input_dir: Path | None, device: str | None
) -> None:
    """Measure a summarizer on your own reports: guard pass rate with reasons, ROUGE against
    references, mean length, reports per second.

    \b
    Example:
        brief model eval --model extractive --input seeds --labels refs.json
        brief model eval --model models/mt5-small-xlsum --input seeds --labels refs.json
    """
    from .model_eval import check_labels, evaluate_model, load_labels, read_folder

    settings = _settings(ctx, input=input_dir, device=device)
    references = load_labels(labels) if labels else None
    reports = read_folder(settings.build.input, settings.ingest)
    if labels and references is not None:
        check_labels(labels, references, reports)  # before any model work
    result = evaluate_model(model_name, reports, settings.summarize, settings.model, references, _warn)
    for line in result.lines():
        click.echo(line)


@model.command("convert")
@click.argument("name")
@click.option(
    "--quantization",
    type=click.Choice(QUANTIZATIONS),
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

    done = convert_checkpoint(name, quantization, revision, force=force)
    if done.fresh:
        click.echo(f"converted {name} ({quantization}) in {done.seconds:.1f} s: {done.path}")
    else:
        click.echo(f"already converted ({quantization}): {done.path}")


if __name__ == "__main__":  # pragma: no cover
    main()
