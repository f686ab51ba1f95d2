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
from ..settings import EmailSettings, SmtpSettings
from ..text import printable_path
from . import email as mail


@dataclass(frozen=True)
class SendResult:
    """What `send_digest` did: exactly one of the three is set."""

    eml: Path | None = None  # a dry run: the message written here, nothing sent
    already_sent: dict[str, object] | None = None  # every recipient had this week already: its record
    outcome: mail.Outcome | None = None  # sent: what the server accepted


def check_send_ready(smtp: SmtpSettings, dry_run: bool) -> None:
    """Before the build: a missing password must not cost a week's model work."""
    if not dry_run:
        mail.check_login_security(smtp, mail.smtp_password(smtp))


def send_wait_seconds(smtp: SmtpSettings) -> float:
    """How long to wait for another send's lock: long enough for its every attempt and backoff."""
    wait = (smtp.retries + 1) * smtp.deadline + smtp.backoff * 2**smtp.retries
    return min(wait + 60, 86400)


def send_digest(
    digest: Digest,
    chart: bytes | None,
    email: EmailSettings,
    smtp: SmtpSettings,
    *,
    out: Path,
    templates: Path | None = None,
    dry_run: bool = False,
    force: bool = False,
    notify: Callable[[str], None] = lambda _m: None,
) -> SendResult:
    """Email the digest to the recipients that have not had this week yet (all with `force`);
    `out` holds the send record (and the .eml of a dry run), `templates` the user's templates.
    Raises SendError (exit 3) when nothing could be sent or some recipient was refused; the
    recipients reached are recorded either way."""
    if not digest.reports and not force:
        raise mail.SendError(
            f"{digest.week} has no reports ({len(digest.skipped)} skipped, "
            f"{len(digest.outside_week)} in other weeks): nothing sent",
            hint="check --input and --week; --force sends the empty digest",
        )
    message = mail.compose_message(digest, email, templates, chart)
    mail.check_size(message, email)
    if dry_run:
        path = out / f"{digest.week}.eml"
        write_atomic_bytes(path, bytes(message))
        return SendResult(eml=path)
    with mail.send_lock(out, send_wait_seconds(smtp), notify=notify):
        try:
            sent = mail.load_sent(out)
        except mail.SendStateError:
            if not force:
                raise
            kept = mail.set_aside(out)
            notify(f"the unreadable send record was moved to {printable_path(kept)}; starting a new one")
            sent = {}
        record = sent.get(digest.week)
        reached = set() if force else mail.reached_recipients(record)
        pending = tuple(a for a in mail.all_recipients(email) if mail.normalize_address(a) not in reached)
        if not pending:
            return SendResult(already_sent=record)
        if reached:
            notify(f"{digest.week} already reached {len(reached)} recipient(s); sending to the other {len(pending)}")
        outcome = mail.send_message(message, smtp, email.sender, pending, notify=notify)
        if outcome.recipients:
            mail.record_sent(out, digest.week, outcome, sent)
    if outcome.failed:
        raise mail.failure_message(outcome)
    return SendResult(outcome=outcome)
