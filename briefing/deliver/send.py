"""`brief send` as one function: the whole delivery of a built digest by email, once per week.

Refuses an empty week (from cron it usually means a wrong folder or week), composes the message
and checks its size, then either writes the .eml (dry run) or, under the send lock, reads the
record of what was sent, sends to the recipients not yet reached and records who was. The CLI only
reports the `SendResult`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..digest import Digest
from ..files import write_atomic_bytes
from ..settings import Settings
from ..text import printable_path
from . import email as mail


@dataclass(frozen=True)
class SendResult:
    """What `send_digest` did: exactly one of the three is set."""

    eml: Path | None = None  # a dry run: the message written here, nothing sent
    already_sent: dict[str, object] | None = None  # every recipient had this week already: its record
    outcome: mail.Outcome | None = None  # sent: what the server accepted


def check_send_ready(settings: Settings, dry_run: bool) -> None:
    """Before the build: a missing password must not cost a week's model work."""
    if not dry_run:
        mail.check_login_security(settings, mail.smtp_password(settings))


def send_wait_seconds(settings: Settings) -> float:
    """How long to wait for another send's lock: long enough for its every attempt and backoff."""
    wait = (settings.smtp_retries + 1) * settings.smtp_deadline + settings.smtp_backoff * 2**settings.smtp_retries
    return min(wait + 60, 86400)


def send_digest(
    digest: Digest,
    chart: bytes | None,
    settings: Settings,
    *,
    dry_run: bool = False,
    force: bool = False,
    notify: Callable[[str], None] = lambda _m: None,
) -> SendResult:
    """Email the digest to the recipients that have not had this week yet (all with `force`).
    Raises SendError (exit 3) when nothing could be sent or some recipient was refused; the
    recipients reached are recorded either way."""
    if not digest.reports and not force:
        raise mail.SendError(
            f"{digest.week} has no reports ({len(digest.skipped)} skipped, "
            f"{len(digest.outside_week)} in other weeks): nothing sent",
            hint="check --input and --week; --force sends the empty digest",
        )
    message = mail.compose_message(digest, settings, chart)
    mail.check_size(message, settings)
    if dry_run:
        path = settings.out / f"{digest.week}.eml"
        write_atomic_bytes(path, bytes(message))
        return SendResult(eml=path)
    with mail.send_lock(settings.out, send_wait_seconds(settings), notify=notify):
        try:
            sent = mail.load_sent(settings.out)
        except mail.SendStateError:
            if not force:
                raise
            kept = mail.set_aside(settings.out)
            notify(f"the unreadable send record was moved to {printable_path(kept)}; starting a new one")
            sent = {}
        record = sent.get(digest.week)
        reached = set() if force or not record else {str(a) for a in record.get("recipients", [])}
        pending = tuple(a for a in mail.all_recipients(settings) if a not in reached)
        if not pending:
            return SendResult(already_sent=record)
        if reached:
            notify(f"{digest.week} already reached {len(reached)} recipient(s); sending to the other {len(pending)}")
        outcome = mail.send_message(message, settings, notify=notify, recipients=pending)
        if outcome.recipients:
            mail.record_sent(settings.out, digest.week, outcome, sent)
    if outcome.failed:
        raise mail.failure_message(outcome)
    return SendResult(outcome=outcome)
