"""`brief send` as one function: the whole delivery of a built digest by email, once per week.

Refuses an empty week (from cron it usually means a wrong folder or week), then composes the
mailings: the whole week for [email] to/cc/bcc, and for each [[subscription]] the week's digest of
its regions and themes, with its own 要点 and counts. Each message's size is checked; then either
each is written as an .eml (dry run: OUT/<week>.eml, OUT/<week>.<subscription>.eml) or, under the
send lock, the record of what was sent is read and each mailing goes to its recipients not yet
reached, recorded under its own key (a recipient of two subscriptions gets both). A subscription
that matches no meeting this week gets a short message saying so: silence would look like a
broken subscription. The CLI only reports the `SendResult`s.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

from ..digest import Digest, in_regions
from ..errors import ConfigError
from ..files import write_atomic_bytes
from ..models import Event
from ..overview import LEVEL_NAMES, event_themes, meeting_level
from ..settings import EmailSettings, SmtpSettings, SubscriptionSettings, WikiSettings
from ..text import printable_path
from . import email as mail


@dataclass(frozen=True)
class SendResult:
    """What `send_digest` did for one mailing: exactly one of eml, already_sent, outcome is set."""

    eml: Path | None = None  # a dry run: the message written here, nothing sent
    already_sent: dict[str, object] | None = None  # every recipient had this week already: its record
    outcome: mail.Outcome | None = None  # sent: what the server accepted
    subscription: str | None = None  # the subscription's name; None for [email] to/cc/bcc
    meetings: int = 0  # the meetings its digest holds


@dataclass(frozen=True)
class Mailing:
    """One message to compose and deliver: its digest (the week's, or a subscription's subset),
    its recipients (in `email`) and the key of its send record."""

    digest: Digest
    email: EmailSettings
    subscription: SubscriptionSettings | None = None

    @property
    def key(self) -> str:
        return mail.sent_key(self.digest.week, self.subscription.name if self.subscription else None)


def check_send_ready(smtp: SmtpSettings, dry_run: bool) -> None:
    """Before the build: a missing password must not cost a week's model work."""
    if not dry_run:
        mail.check_login_security(smtp, mail.smtp_password(smtp))


def send_wait_seconds(smtp: SmtpSettings) -> float:
    """How long to wait for another send's lock: long enough for its every attempt and backoff."""
    wait = (smtp.retries + 1) * smtp.deadline + smtp.backoff * 2**smtp.retries
    return min(wait + 60, 86400)


def subscription_filter(subscription: SubscriptionSettings) -> Callable[[Event], bool]:
    """Whether a meeting is for this subscription: in one of its regions, of one of its themes and
    at its `min_level` or above (each only when given). A meeting whose level cannot be told (no
    place, no post) is not shown to a subscription that asks for a level."""
    regions = in_regions(subscription.regions) if subscription.regions else None
    themes = set(subscription.themes)
    # 省级 is PROVINCIAL (1) … 乡镇级 is TOWNSHIP (4): a meeting's level at most this number.
    highest = LEVEL_NAMES.index(subscription.min_level) if subscription.min_level else None

    def keep(event: Event) -> bool:
        if regions is not None and not regions(event):
            return False
        if highest is not None:
            level = meeting_level(event.lead)
            if level is None or level > highest:
                return False
        return not themes or bool(themes.intersection(event_themes(event.lead)))

    return keep


def wiki_page_url(wiki: WikiSettings, week: str) -> str | None:
    """The week's page as readers open it: [wiki] url, then the page name percent-encoded (GitHub
    and GitLab wikis both serve a page there); None without [wiki] url."""
    if not wiki.url:
        return None
    from .wiki import page_name

    return f"{wiki.url.rstrip('/')}/{quote(page_name(wiki, week))}"


def week_map(out: Path, week: str) -> bytes | None:
    """OUT/<week>.map.png when the build drew one."""
    try:
        data = (out / f"{week}.map.png").read_bytes()
    except OSError:
        return None
    return data if data.startswith(b"\x89PNG") else None


def plan_mailings(
    digest: Digest, email: EmailSettings, subscriptions: tuple[SubscriptionSettings, ...]
) -> tuple[Mailing, ...]:
    """[email] to/cc/bcc (when any) get the whole week; each subscription its subset, to its own
    recipients only."""
    if not (email.to or email.cc or email.bcc) and not subscriptions:
        raise ConfigError("no recipients", hint="set [email] to or a [[subscription]] in brief.toml, or pass --to")
    mailings = [Mailing(digest, email)] if email.to or email.cc or email.bcc else []
    for subscription in subscriptions:
        own = dataclasses.replace(email, to=subscription.to, cc=(), bcc=())
        mailings.append(Mailing(digest.subset(subscription_filter(subscription)), own, subscription))
    return tuple(mailings)


def send_digest(
    digest: Digest,
    email: EmailSettings,
    smtp: SmtpSettings,
    *,
    out: Path,
    templates: Path | None = None,
    subscriptions: tuple[SubscriptionSettings, ...] = (),
    wiki: WikiSettings | None = None,
    input_dir: Path | None = None,
    dry_run: bool = False,
    force: bool = False,
    notify: Callable[[str], None] = lambda _m: None,
) -> tuple[SendResult, ...]:
    """Email the digest to the recipients that have not had this week yet (all with `force`), and
    each subscription's digest to its recipients likewise; `out` holds the send record (and the
    .eml of a dry run) and the week's map, `templates` the user's templates, `wiki` where the
    published page is read, `input_dir` what skipped files are named relative to. Raises SendError
    (exit 3) when some mailing could not be sent or some recipient was refused, after trying the
    others; the recipients reached are recorded either way."""
    if not digest.reports and not force:
        raise mail.SendError(
            f"{digest.week} has no reports ({len(digest.skipped)} skipped, "
            f"{len(digest.outside_week)} in other weeks): nothing sent",
            hint="check --input and --week; --force sends the empty digest",
        )
    page_url = wiki_page_url(wiki, digest.week) if wiki is not None else None
    image = week_map(out, digest.week)
    messages = []
    for mailing in plan_mailings(digest, email, subscriptions):
        message = mail.compose_message(
            mailing.digest,
            mailing.email,
            templates,
            # The map shows the whole week: a subscription's subset would be misdrawn by it.
            image_png=image if mailing.subscription is None else None,
            page_url=page_url,
            input_dir=input_dir,
            subscription=mailing.subscription,
        )
        mail.check_size(message, mailing.email)
        messages.append((mailing, message))
    if dry_run:
        results = []
        for mailing, message in messages:
            name = mailing.subscription.name if mailing.subscription else None
            path = out / (f"{digest.week}.{name}.eml" if name else f"{digest.week}.eml")
            write_atomic_bytes(path, bytes(message))
            results.append(SendResult(eml=path, subscription=name, meetings=len(mailing.digest.events)))
        return tuple(results)
    with mail.send_lock(out, send_wait_seconds(smtp), notify=notify):
        try:
            sent = mail.load_sent(out)
        except mail.SendStateError:
            if not force:
                raise
            kept = mail.set_aside(out)
            notify(f"the unreadable send record was moved to {printable_path(kept)}; starting a new one")
            sent = {}
        results, failures = [], []
        for mailing, message in messages:
            result, sent = _deliver_mailing(mailing, message, smtp, out, sent, force, notify)
            results.append(result)
            if result.outcome is not None and result.outcome.failed:
                failures.append((mailing, result.outcome))
    if failures:
        raise _failure(failures)
    return tuple(results)


def _deliver_mailing(
    mailing: Mailing,
    message: EmailMessage,
    smtp: SmtpSettings,
    out: Path,
    sent: dict[str, dict[str, object]],
    force: bool,
    notify: Callable[[str], None],
) -> tuple[SendResult, dict[str, dict[str, object]]]:
    """One mailing to its recipients not yet reached (under the lock); the record as it now stands."""
    name = mailing.subscription.name if mailing.subscription else None
    said = f"{mailing.digest.week}" + (f" (subscription {name})" if name else "")
    meetings = len(mailing.digest.events)
    record = sent.get(mailing.key)
    reached = set() if force else mail.reached_recipients(record)
    everyone = mail.all_recipients(mailing.email)
    pending = tuple(a for a in everyone if mail.normalize_address(a) not in reached)
    if not pending:
        return SendResult(already_sent=record, subscription=name, meetings=meetings), sent
    if reached:
        notify(f"{said} already reached {len(reached)} recipient(s); sending to the other {len(pending)}")
    outcome = mail.send_message(message, smtp, mailing.email.sender, pending, notify=notify)
    if outcome.recipients:
        sent = mail.record_sent(out, mailing.key, outcome, sent)
    return SendResult(outcome=outcome, subscription=name, meetings=meetings), sent


def _failure(failures: list[tuple[Mailing, mail.Outcome]]) -> mail.SendError:
    """One error for every mailing that did not reach all its recipients, each named."""
    if len(failures) == 1 and failures[0][0].subscription is None:
        return mail.failure_message(failures[0][1])
    parts = []
    for mailing, outcome in failures:
        name = f"subscription {mailing.subscription.name}" if mailing.subscription else "[email] to"
        parts.append(f"{name}: {mail.failure_message(outcome)}")
    return mail.SendError(
        "; ".join(parts),
        hint="the digest files are written; `brief send` again sends only to the recipients not reached yet",
    )
