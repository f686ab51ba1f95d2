"""Deliver the digest by email: one multipart/alternative message per mailing, sent once per week.

Structure: text/plain (readable on its own) + multipart/related(text/html, image/png map of the
week referenced by cid:, when OUT/<week>.map.png exists). The HTML is the email template with its
CSS inlined by css-inline, so mail clients that drop <style> still show it; no script, no external
assets; fluid width up to 640 px, so a 390 px phone needs no sideways scrolling. It opens with the
要点 and the counts line, then the most important meetings in full ([email] full_cards, in the
要点's order of importance: overview.rank_events), then one line per other meeting by province,
each linked to its card on the published wiki page ([wiki] url) or else to its source; the
one-line list is cut to keep the HTML part under HTML_MAX_BYTES (mail clients clip bigger ones),
saying how many it left out. No local path, diagnostic, event id or backend name is shown.
Headers are UTF-8 where needed (a Chinese subject), with Date, Message-ID and, with [email]
unsubscribe, List-Unsubscribe (and List-Unsubscribe-Post for an https address, RFC 8058). Skipped
input files are summarized (a few by name relative to the input folder, the rest counted by
reason); the pages list them all.

Sending: SMTP with STARTTLS, implicit TLS or neither; TLS checks the certificate and the host name
against the system's CAs, SSL_CERT_FILE and [smtp] ca_file, before any password is sent. A login
when a user is set, with the password from the environment (never a file or a flag, never
logged), and never in clear unless [smtp] allow_plaintext_login says so.

What counts as delivered: a recipient accepted at RCPT in a transaction whose DATA was answered
250. Nothing before that (an accepted RCPT followed by a 421) and nothing after it (QUIT answered
421, or no answer) changes that. Transient failures (connection errors, 4xx replies, an attempt
past [smtp] deadline) are retried with exponential backoff for the recipients not yet confirmed;
a 5xx reply and a certificate that fails the checks are final. A recipient the server refuses is
reported by address, and the run fails (exit 3) when any recipient was finally not reached.
Recipients are compared by normalized address (`Alice <ALICE@example.org>` is alice@example.org):
one mailbox gets one copy, however often and however it is written.

OUT/.sent.json records, per week (and per week and subscription: `sent_key`), the recipients
that have the message (written atomically, under OUT/.sent.json.lock so two sends cannot both
deliver); a later run sends only to those not yet reached, unless forced. A record that cannot
be read stops the send instead of being taken for empty.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import smtplib
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from ..digest import Digest
from ..errors import BriefError, ConfigError
from ..files import write_atomic
from ..models import Event, Skipped
from ..overview import known_place, rank_events
from ..render import render
from ..settings import FORMAT_ERRORS, EmailSettings, SmtpSettings, SubscriptionSettings
from ..text import printable_path

SENT_STATE = ".sent.json"


class SendError(BriefError):
    """The message could not be delivered; the digest files are still there."""

    exit_code = 3


@dataclass(frozen=True)
class Outcome:
    message_id: str
    recipients: tuple[str, ...]  # those that accepted the message
    attempts: int
    failed: tuple[tuple[str, str], ...] = ()  # (recipient, reason) of those never reached
    server: str = ""


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip("> ") if "@" in address else "localhost"


SKIPPED_LISTED = 20  # skipped files the email names one by one; the rest are counted by reason
SKIPPED_REASONS = 8  # reasons counted one by one; the rarer ones together as 其他


@dataclass(frozen=True)
class SkippedSummary:
    """What the email says about skipped files (the pages list every one): a few by name, the rest
    counted by reason, so that 50,000 photos beside five reports cannot make the message too big
    to send. The email templates get it as `skipped_summary`."""

    listed: tuple[Skipped, ...]  # in the digest's order
    more: int  # how many are not listed
    more_reasons: tuple[tuple[str, int], ...]  # (reason, count) of those, most frequent first


def skipped_reason_kind(reason: str) -> str:
    """A reason without its particulars, for counting: `binary file (contains NUL bytes)` -> `binary file`."""
    return reason.split(" (", 1)[0].strip() or reason


def summarize_skipped(
    skipped: tuple[Skipped, ...], listed: int = SKIPPED_LISTED, reasons: int = SKIPPED_REASONS
) -> SkippedSummary:
    """Name up to `listed` files, those with the rarest reasons first: one broken report is not
    hidden behind 50,000 photos that share a reason."""
    kinds = [skipped_reason_kind(s.reason) for s in skipped]
    frequency = Counter(kinds)
    chosen = sorted(sorted(range(len(skipped)), key=lambda i: frequency[kinds[i]])[:listed])
    rest = Counter(kinds)
    rest.subtract(kinds[i] for i in chosen)
    counted = [(kind, count) for kind, count in rest.most_common() if count > 0]
    if len(counted) > reasons:
        counted = [*counted[: reasons - 1], ("其他", sum(count for _, count in counted[reasons - 1 :]))]
    return SkippedSummary(tuple(skipped[i] for i in chosen), len(skipped) - len(chosen), tuple(counted))


# Gmail clips an HTML part past about 102 KB and hides the rest behind a link; the one-line
# listing is cut to stay under this many bytes (UTF-8) and says how many meetings it left out.
HTML_MAX_BYTES = 100_000


@dataclass(frozen=True)
class EmailLine:
    """One meeting in one line, linked where its card (or else its source) can be opened."""

    event: Event
    href: str | None


@dataclass(frozen=True)
class EmailGroup:
    """A province's one-line meetings: this week's (card_groups) or 往期 (earlier_groups)."""

    province: str
    earlier: bool
    lines: tuple[EmailLine, ...]


@dataclass(frozen=True)
class EmailView:
    """What the email templates get as `email` besides `digest` (a public template context):
    the most important meetings in full (`cards`, in the 要点's order of importance), the others
    one line each by province (`groups`), how many of those were left out to keep the HTML part
    under HTML_MAX_BYTES (`more`), and where things link."""

    subject: str
    meetings: int  # the week's meetings (this week's and 往期), as the subject counts them
    cards: tuple[Event, ...]
    groups: tuple[EmailGroup, ...]
    more: int
    page_url: str | None  # the week's published wiki page; None without [wiki] url
    image_src: str | None  # cid: of the inline map
    unsubscribe: str | None
    subscription: SubscriptionSettings | None
    links: Mapping[str, str]  # event id -> its card on the page, else its first source

    def link(self, event: Event | str) -> str | None:
        return self.links.get(event if isinstance(event, str) else event.id)

    @staticmethod
    def short_place(event: Event) -> str:
        """The place under its province's heading: 广安市邻水县 (the province itself when that is all)."""
        place = known_place(event.lead.region)
        province = event.lead.region.province or ""
        return place[len(province) :] if province and place.startswith(province) and place != province else place

    @property
    def listed(self) -> int:
        return sum(len(g.lines) for g in self.groups)


def event_links(digest: Digest, page_url: str | None) -> dict[str, str]:
    """Where each meeting links: its card on the published page when there is one, else its first
    source page; a meeting with neither has no link."""
    links: dict[str, str] = {}
    for event in (*digest.events, *digest.previously):
        if page_url:
            links[event.id] = f"{page_url}#{digest.anchor(event)}"
        elif url := next((r.source.url for r in event.reports if r.source.url), None):
            links[event.id] = url
    return links


def line_groups(digest: Digest, shown: set[str], links: Mapping[str, str], limit: int) -> tuple[EmailGroup, ...]:
    """The meetings not given in full, one line each by province (this week's, then 往期), at most `limit`."""
    groups: list[EmailGroup] = []
    room = limit
    for earlier, province_groups in ((False, digest.card_groups), (True, digest.earlier_groups)):
        for group in province_groups:
            events = [e for e in group.events if e.id not in shown][: max(room, 0)]
            room -= len(events)
            if events:
                groups.append(EmailGroup(group.province, earlier, tuple(EmailLine(e, links.get(e.id)) for e in events)))
    return tuple(groups)


def input_name(path: str, input_dir: Path | None) -> str:
    """A skipped file as the email names it: relative to the input folder, else its name alone;
    never the path on the machine that built the digest."""
    shown = printable_path(path)
    if input_dir is not None:
        root = printable_path(str(input_dir)).rstrip("/") + "/"
        if shown.startswith(root):
            return shown[len(root) :]
    return shown.rsplit("/", 1)[-1]


def compose_message(
    digest: Digest,
    email: EmailSettings,
    templates: Path | None,
    *,
    image_png: bytes | None = None,
    page_url: str | None = None,
    input_dir: Path | None = None,
    subscription: SubscriptionSettings | None = None,
) -> EmailMessage:
    """The week's message (a subscription's, when given: `digest` is then its subset).
    `templates`: the user's template folder ([build] templates); `image_png`: the week's map,
    inline under the 要点; `page_url`: the week's wiki page, which the meetings link to."""
    if not email.sender:
        raise ConfigError("no sender", hint="set [email] from in brief.toml or pass --from")
    if not (email.to or email.cc or email.bcc):
        raise ConfigError("no recipients", hint="set [email] to in brief.toml or pass --to")
    message = EmailMessage(policy=SMTP)
    # First: a dry run's .eml is known as brief's by its Message-ID in the first 4 KiB (files.py).
    idstring = f"brief.{digest.week}" + (f".{subscription.name}" if subscription else "")
    message["Message-ID"] = make_msgid(idstring=idstring, domain=_domain(email.sender))
    meetings = len(digest.events)
    try:
        subject = email.subject.format(
            week=digest.week, count=digest.stats["reports"], label=digest.week_label, meetings=meetings
        )
    except FORMAT_ERRORS as exc:
        raise ConfigError(
            f"[email] subject template: {exc}", hint="placeholders: {label}, {meetings}, {week}, {count}"
        ) from None
    message["Subject"] = subject
    message["From"] = email.sender
    if email.to:
        message["To"] = ", ".join(email.to)
    if email.cc:
        message["Cc"] = ", ".join(email.cc)
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message["Date"] = formatdate(localtime=True)
    if email.unsubscribe:
        message["List-Unsubscribe"] = f"<{email.unsubscribe}>"
        if email.unsubscribe.startswith("https://"):
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058 one-click
    cid = make_msgid(idstring="map", domain=_domain(email.sender))
    ranked = rank_events(digest.events, digest.start, digest.recent_days)
    cards = tuple(r.event for r in ranked[: email.full_cards])
    shown = {e.id for e in cards}
    links = event_links(digest, page_url)
    total = len(digest.events) - len(cards)

    def view(limit: int) -> EmailView:
        groups = line_groups(digest, shown, links, limit)
        listed = sum(len(g.lines) for g in groups)
        image_src = f"cid:{cid[1:-1]}" if image_png else None
        return EmailView(
            subject,
            meetings,
            cards,
            groups,
            total - listed,
            page_url,
            image_src,
            email.unsubscribe,
            subscription,
            links,
        )

    context = {
        "skipped_summary": summarize_skipped(digest.skipped),
        "input_name": lambda path: input_name(path, input_dir),
    }

    def html_for(limit: int) -> str:
        shown_view = view(limit)
        html = render(
            digest,
            "html",
            templates,
            template="email.html.j2",
            email=shown_view,
            chart_src=shown_view.image_src,
            **context,
        )
        return inline_css(html)

    limit, html = fit_lines(html_for, total)
    message.set_content(render(digest, "txt", templates, template="digest.txt.j2", email=view(limit), **context))
    message.add_alternative(html, subtype="html")
    if image_png:
        html_part = message.get_payload()[1]
        html_part.add_related(
            image_png, "image", "png", cid=cid, filename=f"{digest.week}.map.png", disposition="inline"
        )
    return message


def html_size(html: str) -> int:
    """The HTML part's size as a mail client receives it: UTF-8, every line ending CRLF."""
    return len(html.encode("utf-8")) + html.count("\n")


def fit_lines(html_for: Callable[[int], str], total: int) -> tuple[int, str]:
    """The most one-line meetings (of `total`) whose HTML stays within HTML_MAX_BYTES, and that
    HTML; none when even the cards alone are over (the message is still sent, clipped)."""
    html = html_for(total)
    if html_size(html) <= HTML_MAX_BYTES:
        return total, html
    fits, fits_html = 0, html_for(0)
    low, high = 1, total - 1
    while low <= high:
        middle = (low + high) // 2
        candidate = html_for(middle)
        if html_size(candidate) <= HTML_MAX_BYTES:
            fits, fits_html, low = middle, candidate, middle + 1
        else:
            high = middle - 1
    return fits, fits_html


def inline_css(html: str) -> str:
    import css_inline

    # keep_style_tags=False: every rule becomes a style attribute; no <link>, nothing remote.
    return css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False).inline(html)


def normalize_address(address: str) -> str:
    """The mailbox an address names, for comparing two spellings of it: the bare address (no
    display name), lower-cased whole. The domain is case-insensitive by the standard; the local
    part may be case-sensitive by RFC 5321, but no common mail system treats it so, and two copies
    to Alice are the likelier mistake than two Alices told apart by case."""
    return envelope_address(address).lower()


def envelope_address(address: str) -> str:
    """The address alone, as it goes into MAIL FROM / RCPT TO (`Alice <alice@x>` -> `alice@x`)."""
    return parseaddr(address)[1] or address.strip()


def all_recipients(email: EmailSettings) -> tuple[str, ...]:
    """Every mailbox of To, Cc and Bcc once (the first spelling wins), as envelope addresses."""
    unique: dict[str, str] = {}
    for address in (*email.to, *email.cc, *email.bcc):
        unique.setdefault(normalize_address(address), envelope_address(address))
    return tuple(unique.values())


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, (ssl.SSLCertVerificationError, smtplib.SMTPNotSupportedError)):
        return False  # a certificate or a server's extensions do not change by asking again
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (OSError, DeadlineExceeded))  # connection errors; SMTPException is an OSError


class DeadlineExceeded(Exception):
    """A delivery attempt took longer than [smtp] deadline (the timeout only bounds each read)."""


def check_size(message: EmailMessage, email: EmailSettings) -> int:
    """The message's size in bytes; a message over [email] max_bytes is refused, not sent."""
    size = len(message.as_bytes())
    if size > email.max_bytes:
        raise SendError(
            f"the message is {size:,} bytes, over [email] max_bytes = {email.max_bytes}",
            hint="the digest files are written; raise [email] max_bytes if your mail server takes it",
        )
    return size


def smtp_password(smtp: SmtpSettings, environ: Mapping[str, str] | None = None) -> str | None:
    """The password when a user is set (from the environment only); a missing one is an error."""
    environ = os.environ if environ is None else environ
    if not smtp.user:
        return None
    password = environ.get(smtp.password_env)
    if not password:
        raise ConfigError(
            f"SMTP user {smtp.user} has no password",
            hint=f"export {smtp.password_env}=… (passwords are read from the environment only)",
        )
    return password


def check_login_security(smtp: SmtpSettings, password: str | None, notify: Callable[[str], None] | None = None) -> None:
    """A login over a connection without TLS sends the password in clear: only when asked for,
    and then said each time (`notify`)."""
    if smtp.security != "none" or not (smtp.user and password):
        return
    if not smtp.allow_plaintext_login:
        raise ConfigError(
            f'[smtp] security = "none" would send the password of {smtp.user} in clear',
            hint='use security = "starttls" or "tls", or set [smtp] allow_plaintext_login = true '
            "for a trusted relay on this machine",
        )
    if notify is None:
        return
    notify(
        f"warning: the SMTP password of {smtp.user} goes to {smtp.host} in clear "
        '(security = "none", allow_plaintext_login = true)'
    )


def tls_context(smtp: SmtpSettings) -> ssl.SSLContext:
    """Certificate and host name checked, against the system's CAs (OpenSSL also reads
    SSL_CERT_FILE and SSL_CERT_DIR) and those in [smtp] ca_file."""
    context = ssl.create_default_context()
    if smtp.ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(smtp.ca_file))
        except (OSError, ValueError) as exc:  # checked when read; gone or changed since
            raise ConfigError(f"[smtp] ca_file {smtp.ca_file} cannot be used: {exc}") from None
    return context


@dataclass(frozen=True)
class Attempt:
    """What one connection settled. `delivered`: accepted at RCPT, then the DATA reply was 250: they
    have the message, whatever happens after. `refused`: recipient -> (code, text) of a RCPT reply
    other than 250/251. `error`: what ended the attempt before the other recipients were settled;
    None when every recipient was."""

    delivered: tuple[str, ...] = ()
    refused: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    error: Exception | None = None


def send_message(
    message: EmailMessage,
    smtp: SmtpSettings,
    sender: str | None,
    recipients: tuple[str, ...],
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    notify: Callable[[str], None] = lambda _m: None,
) -> Outcome:
    """Deliver to `recipients` (envelope addresses), `sender` ([email] from) the envelope's sender.
    Never raises for an undelivered recipient: the Outcome says who has the message (their DATA
    was accepted) and who does not (and why), so that the first are recorded even when others
    failed. A recipient refused with 4xx, or left unconfirmed by a transient failure (a 421 mid-
    transaction, a dropped connection, a 4xx to MAIL or DATA), is retried, same message; one
    refused with 5xx, or by a final failure, is not."""
    pending = list(dict.fromkeys(recipients))
    port = smtp.port or {"tls": 465, "starttls": 587, "none": 25}[smtp.security]
    password = smtp_password(smtp, environ)
    check_login_security(smtp, password, notify)
    context = tls_context(smtp)
    envelope_sender = envelope_address(sender or str(message["From"] or ""))
    accepted: list[str] = []
    failed: dict[str, str] = {}
    attempts = smtp.retries + 1
    attempt = 0
    for attempt in range(1, attempts + 1):
        result = _deliver(message, smtp, port, context, password, envelope_sender, tuple(pending))
        accepted += result.delivered
        again: set[str] = set()
        said: list[str] = []
        for address, (code, text) in result.refused.items():
            if 400 <= code < 500 and attempt < attempts:
                again.add(address)
                said.append(f"{address} temporarily refused ({code} {text})")
            else:
                failed[address] = f"{code} {text}"
        unsettled = [a for a in pending if a not in result.delivered and a not in result.refused]
        if result.error is not None and unsettled:
            reason = _describe(result.error, smtp, port)
            if _is_transient(result.error) and attempt < attempts:
                again.update(unsettled)
                said.insert(0, f"failed ({reason})")
            else:
                failed.update(dict.fromkeys(unsettled, reason))
        if not again:
            break
        pending = [a for a in pending if a in again]
        delay = smtp.backoff * 2 ** (attempt - 1)
        if result.delivered:
            said.append(f"delivered to {len(result.delivered)}")
        notify(f"SMTP attempt {attempt}: {'; '.join(said)}; retrying {len(pending)} recipient(s) in {delay:.1f} s")
        sleep(delay)
    server = f"{smtp.host}:{port}"
    return Outcome(str(message["Message-ID"]), tuple(accepted), attempt, tuple(failed.items()), server)


def failure_message(outcome: Outcome) -> SendError:
    """The error for an outcome with refused recipients, naming each and saying who got it."""
    reasons = {reason for _, reason in outcome.failed}
    if not outcome.recipients and len(reasons) == 1:
        (reason,) = reasons
        text = f"sending to {outcome.server} failed after {outcome.attempts} attempt(s): {reason}"
    else:
        refused = "; ".join(f"{address} ({reason})" for address, reason in outcome.failed)
        text = f"{len(outcome.failed)} recipient(s) not reached after {outcome.attempts} attempt(s): {refused}"
        if outcome.recipients:
            text += f"; delivered to {', '.join(outcome.recipients)} (recorded)"
    return SendError(
        text, hint="the digest files are written; `brief send` again sends only to the recipients not reached yet"
    )


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _describe(exc: Exception, smtp: SmtpSettings, port: int) -> str:
    if isinstance(exc, DeadlineExceeded):
        return f"no answer within the deadline of {smtp.deadline:g} s ([smtp] deadline)"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (
            f"the server's TLS certificate was not accepted ({exc.verify_message}), so nothing was sent and no "
            "password: trust the CA that signed it with [smtp] ca_file (or SSL_CERT_FILE), or set [smtp] host "
            "to the name the certificate is for"
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError) and "STARTTLS" in str(exc):
        return (
            f"{smtp.host}:{port} does not offer STARTTLS, so nothing was sent and no password "
            '(security = "starttls"); for a server that speaks TLS from the start use security = "tls"'
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"SMTP login as {smtp.user} refused ({exc.smtp_code})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _client(smtp: SmtpSettings, timeout: float, context: ssl.SSLContext) -> smtplib.SMTP:
    """An unconnected client. smtplib checks the certificate against the host name its
    constructor was given (kept as `_host`), but keeps that name only when the constructor also
    connects; brief connects afterwards, once the deadline watchdog holds the client, so the name
    is set here. Without it every TLS connection failed ("check_hostname requires
    server_hostname")."""
    if smtp.security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(timeout=timeout)
    client._host = smtp.host
    return client


def _deliver(
    message: EmailMessage,
    smtp: SmtpSettings,
    port: int,
    context: ssl.SSLContext,
    password: str | None,
    sender: str,
    recipients: tuple[str, ...],
) -> Attempt:
    """One connection: TLS as configured, the login only over it (or where plain text was allowed),
    then one transaction. A watchdog shuts the socket when the attempt outlives [smtp] deadline:
    the timeout alone bounds each read, and a server that trickles a byte now and then would
    otherwise hold the run forever."""
    client = _client(smtp, min(smtp.timeout, smtp.deadline), context)
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        sock = client.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(smtp.deadline, expire)
    watchdog.daemon = True
    watchdog.start()
    refused: dict[str, tuple[int, str]] = {}
    try:
        client.connect(smtp.host, port)
        if smtp.security == "starttls":
            client.starttls(context=context)  # the certificate is checked here, before any password
        if smtp.user and password:
            client.login(smtp.user, password)
        delivered = _transaction(client, message, sender, recipients, refused)
    except OSError as exc:  # SMTPException and ssl.SSLError are OSErrors
        # No QUIT: after a failed TLS handshake or a dropped line the server may never answer it.
        client.close()
        if expired.is_set() and not isinstance(exc, smtplib.SMTPResponseException):
            return Attempt((), refused, DeadlineExceeded())
        return Attempt((), refused, exc)
    finally:
        if client.sock is not None:
            _say_goodbye(client)
        watchdog.cancel()
    return Attempt(delivered, refused)


def _transaction(
    client: smtplib.SMTP,
    message: EmailMessage,
    sender: str,
    recipients: tuple[str, ...],
    refused: dict[str, tuple[int, str]],
) -> tuple[str, ...]:
    """MAIL, one RCPT per recipient, DATA; returns the recipients that have the message (accepted
    at RCPT, and DATA answered 250) and fills `refused`. smtplib's sendmail is not used: after a
    421 it hangs up and reports only the refusals seen so far, as if the recipients before it had
    been served. A 421 (the server is closing) raises: nobody has the message yet."""
    client.ehlo_or_helo_if_needed()
    international = not all(address.isascii() for address in (sender, *recipients))
    options = ["BODY=8BITMIME"] if client.has_extn("8bitmime") else []
    if international:
        if not client.has_extn("smtputf8"):
            raise smtplib.SMTPNotSupportedError("the server does not take non-ASCII addresses (no SMTPUTF8)")
        options.append("SMTPUTF8")
    code, reply = client.mail(sender, options)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    ready: list[str] = []
    for address in recipients:
        code, reply = client.rcpt(address)
        if code in (250, 251):
            ready.append(address)
        elif code == 421:
            client.close()  # the server is going away; nothing more can be said on this connection
            raise smtplib.SMTPResponseException(code, reply)
        else:
            refused[address] = (code, _text(reply))
    if not ready:
        with contextlib.suppress(OSError):
            client.rset()
        return ()
    # Bcc is never a header (compose_message); every recipient is in the envelope only.
    data = message.as_bytes(policy=message.policy.clone(utf8=True)) if international else message.as_bytes()
    code, reply = client.data(data)  # raises SMTPDataError unless DATA itself is answered 354
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)
    return tuple(ready)


def _say_goodbye(client: smtplib.SMTP) -> None:
    """QUIT after a transaction. Its reply does not matter: a message whose DATA was accepted is
    delivered, whether QUIT gets 221, 421, 250 or a closed connection."""
    with contextlib.suppress(OSError):
        client.quit()
    client.close()


class SendStateError(SendError):
    """OUT/.sent.json exists but cannot be read: sending could repeat a week or erase records."""


def load_sent(out_dir: Path) -> dict[str, dict[str, object]]:
    """The send record: week -> {message_id, recipients (accepted), sent_at, refused?}.

    A missing file is an empty record; a file that cannot be read is an error, never an empty
    record (that would send the week again and, once rewritten, erase the other weeks)."""
    path = out_dir / SENT_STATE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise _unreadable(path, exc.strerror or str(exc)) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _unreadable(path, "not UTF-8 text") from None
    except ValueError as exc:
        raise _unreadable(path, f"not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("recipients", []), list) for v in data.values()
    ):
        raise _unreadable(path, "not a record of weeks")
    return data


def _unreadable(path: Path, reason: str) -> SendStateError:
    return SendStateError(
        f"{path} cannot be read: {reason}; it records which weeks were sent, so nothing was sent",
        hint="repair or remove it, or pass --force to send anyway; the damaged file is then kept aside",
    )


def set_aside(out_dir: Path) -> Path:
    """Move a damaged send record out of the way (kept for the user, never overwritten)."""
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    target = out_dir / f"{SENT_STATE}.unreadable-{stamp}"
    os.replace(out_dir / SENT_STATE, target)
    return target


@contextlib.contextmanager
def send_lock(out_dir: Path, wait: float, notify: Callable[[str], None] = lambda _m: None) -> Iterator[None]:
    """Hold OUT/.sent.json.lock while reading the record, sending and recording: a second
    `brief send` on the same folder waits, then finds the week already sent."""
    path = out_dir / f"{SENT_STATE}.lock"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")  # "a": opening never truncates another process's lock file
    except OSError as exc:
        raise SendError(f"cannot open the send lock {path}: {exc.strerror}; nothing was sent") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            notify(f"another brief send is delivering from {out_dir}; waiting for it (up to {wait:.0f} s)")
            give_up = time.monotonic() + wait
            while True:
                time.sleep(0.2)
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > give_up:
                        raise SendError(
                            f"another brief send still holds {path} after {wait:.0f} s; nothing was sent",
                            hint="is a send stuck? the lock is released when that process ends",
                        ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sent_key(week: str, subscription: str | None = None) -> str:
    """The send record's key: the week for [email] to/cc/bcc, `2026-W50#guangan` for a subscription's
    digest, so that each subscription's retry reaches only those it has not reached."""
    return f"{week}#{subscription}" if subscription else week


def reached_recipients(record: Mapping[str, object] | None) -> set[str]:
    """The mailboxes a week's record says have the message, normalized: a record written with
    another spelling (`Alice <ALICE@example.org>`) still counts for `alice@example.org`."""
    listed = record.get("recipients", []) if isinstance(record, Mapping) else []
    return {normalize_address(str(a)) for a in listed} if isinstance(listed, list) else set()


def record_sent(
    out_dir: Path, week: str, outcome: Outcome, sent: dict[str, dict[str, object]]
) -> dict[str, dict[str, object]]:
    """Add the accepted recipients of `outcome` to the record under `week` (the week, or the week
    and a subscription's name: `sent_key`), `sent` as read under the lock; a mailbox already there,
    however spelled, is kept as it was written. Returns the record as written."""
    previous = sent.get(week, {})
    earlier = [str(a) for a in previous.get("recipients", [])] if isinstance(previous, dict) else []
    merged: dict[str, str] = {}
    for address in (*earlier, *outcome.recipients):
        merged.setdefault(normalize_address(address), address)
    entry: dict[str, object] = {
        "message_id": outcome.message_id,
        "recipients": list(merged.values()),
        "sent_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    if outcome.failed:
        entry["refused"] = dict(outcome.failed)
    updated = {**sent, week: entry}
    write_atomic(out_dir / SENT_STATE, json.dumps(updated, ensure_ascii=False, indent=2) + "\n")
    return updated
