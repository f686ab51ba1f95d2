"""Deliver the digest by email: one multipart/alternative message, sent once per week.

Structure: text/plain (readable on its own) + multipart/related(text/html, image/png chart
referenced by cid:). The HTML is the email template with its CSS inlined by css-inline, so mail
clients that drop <style> still show it; no script, no external assets. Headers are UTF-8 where
needed (a Chinese subject), with Date and Message-ID.

Sending: SMTP with STARTTLS, implicit TLS or neither; login when a user is set, with the
password from the environment (never a file or a flag, never logged), and never in clear unless
[smtp] allow_plaintext_login says so. Transient failures (connection errors, 4xx replies, an
attempt past [smtp] deadline) are retried with exponential backoff; a 5xx reply is final. A
recipient the server refuses is reported by address: a 4xx refusal is retried for that
recipient alone, and the run fails (exit 3) when any recipient was finally not reached.
OUT/.sent.json records, per week, the recipients that accepted the message (written atomically,
under OUT/.sent.json.lock so two sends cannot both deliver); a later run sends only to those not
yet reached, unless forced. A record that cannot be read stops the send instead of being
taken for empty.
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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path

from ..digest import Digest
from ..errors import BriefError, ConfigError
from ..files import write_atomic
from ..render import render
from ..settings import FORMAT_ERRORS, EmailSettings, SmtpSettings

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


def compose_message(
    digest: Digest, email: EmailSettings, templates: Path | None, chart_png: bytes | None
) -> EmailMessage:
    """The week's message; `templates`: the user's template folder ([build] templates)."""
    if not email.sender:
        raise ConfigError("no sender", hint="set [email] from in brief.toml or pass --from")
    if not (email.to or email.cc or email.bcc):
        raise ConfigError("no recipients", hint="set [email] to in brief.toml or pass --to")
    message = EmailMessage(policy=SMTP)
    try:
        message["Subject"] = email.subject.format(week=digest.week, count=digest.stats["reports"])
    except FORMAT_ERRORS as exc:
        raise ConfigError(f"[email] subject template: {exc}", hint="placeholders: {week}, {count}") from None
    message["From"] = email.sender
    if email.to:
        message["To"] = ", ".join(email.to)
    if email.cc:
        message["Cc"] = ", ".join(email.cc)
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(idstring=f"brief.{digest.week}", domain=_domain(email.sender))
    message.set_content(render(digest, "txt", templates, template="digest.txt.j2"))
    cid = make_msgid(idstring="chart", domain=_domain(email.sender))
    html = render(
        digest,
        "html",
        templates,
        template="email.html.j2",
        chart_src=f"cid:{cid[1:-1]}" if chart_png else None,
    )
    message.add_alternative(inline_css(html), subtype="html")
    if chart_png:
        html_part = message.get_payload()[1]
        html_part.add_related(chart_png, "image", "png", cid=cid, filename=f"{digest.week}.png", disposition="inline")
    return message


def inline_css(html: str) -> str:
    import css_inline

    # keep_style_tags=False: every rule becomes a style attribute; no <link>, nothing remote.
    return css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False).inline(html)


def all_recipients(email: EmailSettings) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*email.to, *email.cc, *email.bcc)))


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    return isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError, DeadlineExceeded))


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


def send_message(
    message: EmailMessage,
    smtp: SmtpSettings,
    sender: str | None,
    recipients: tuple[str, ...],
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    notify: Callable[[str], None] = lambda _m: None,
) -> Outcome:
    """Deliver to `recipients`, `sender` ([email] from) the envelope's sender. Never raises for a
    refused recipient: the Outcome says who accepted the message and who did not (and why), so
    that the accepted ones are recorded even when others failed."""
    pending = list(recipients)
    port = smtp.port or {"tls": 465, "starttls": 587, "none": 25}[smtp.security]
    password = smtp_password(smtp, environ)
    check_login_security(smtp, password, notify)
    accepted: list[str] = []
    failed: dict[str, str] = {}
    attempts = smtp.retries + 1
    attempt = 0
    for attempt in range(1, attempts + 1):
        try:
            refused = _deliver(message, smtp, port, password, sender, tuple(pending))
        except smtplib.SMTPAuthenticationError as exc:
            reason = f"SMTP login as {smtp.user} refused ({exc.smtp_code})"
            failed.update(dict.fromkeys(pending, reason))
            break
        except smtplib.SMTPRecipientsRefused as exc:
            refused = exc.recipients  # every recipient of this attempt refused
        except Exception as exc:
            if not _is_transient(exc) or attempt == attempts:
                reason = _describe(exc, smtp)
                failed.update(dict.fromkeys(pending, reason))
                break
            delay = smtp.backoff * 2 ** (attempt - 1)
            notify(f"SMTP attempt {attempt} failed ({_describe(exc, smtp)}); retrying in {delay:.1f} s")
            sleep(delay)
            continue
        accepted += [address for address in pending if address not in refused]
        temporary = []
        for address, (code, text) in refused.items():
            reason = f"{code} {_text(text)}"
            if 400 <= code < 500 and attempt < attempts:
                temporary.append(address)
            else:
                failed[address] = reason
        if not temporary:
            break
        pending = temporary
        delay = smtp.backoff * 2 ** (attempt - 1)
        reasons = "; ".join(f"{a} ({refused[a][0]} {_text(refused[a][1])})" for a in temporary)
        notify(f"SMTP attempt {attempt}: temporarily refused {reasons}; retrying them in {delay:.1f} s")
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


def _describe(exc: Exception, smtp: SmtpSettings) -> str:
    if isinstance(exc, DeadlineExceeded):
        return f"no answer within the deadline of {smtp.deadline:g} s ([smtp] deadline)"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _deliver(
    message: EmailMessage,
    smtp: SmtpSettings,
    port: int,
    password: str | None,
    sender: str | None,
    recipients: tuple[str, ...],
) -> dict[str, tuple[int, bytes]]:
    """One attempt; returns the refused recipients (smtplib's dict). A watchdog shuts the
    socket when the attempt outlives [smtp] deadline: the timeout alone bounds each read, and
    a server that trickles a byte now and then would otherwise hold the run forever."""
    context = ssl.create_default_context()
    per_read = min(smtp.timeout, smtp.deadline)
    if smtp.security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(timeout=per_read, context=context)
    else:
        client = smtplib.SMTP(timeout=per_read)
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
    try:
        client.connect(smtp.host, port)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=context)
            if smtp.user and password:
                client.login(smtp.user, password)
            # Bcc stays out of the headers; every recipient is in the envelope.
            return client.send_message(message, from_addr=sender, to_addrs=list(recipients))
    except (OSError, smtplib.SMTPException) as exc:
        if expired.is_set() and not isinstance(exc, smtplib.SMTPResponseException):
            raise DeadlineExceeded() from None
        raise
    finally:
        watchdog.cancel()
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


def record_sent(out_dir: Path, week: str, outcome: Outcome, sent: dict[str, dict[str, object]]) -> None:
    """Add the accepted recipients of `outcome` to the week's record (`sent` as read under the lock)."""
    previous = sent.get(week, {})
    earlier = [str(a) for a in previous.get("recipients", [])] if isinstance(previous, dict) else []
    entry: dict[str, object] = {
        "message_id": outcome.message_id,
        "recipients": list(dict.fromkeys([*earlier, *outcome.recipients])),
        "sent_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    if outcome.failed:
        entry["refused"] = dict(outcome.failed)
    write_atomic(out_dir / SENT_STATE, json.dumps({**sent, week: entry}, ensure_ascii=False, indent=2) + "\n")
