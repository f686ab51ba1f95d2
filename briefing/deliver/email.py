"""Deliver the digest by email: one multipart/alternative message, sent once per week.

Structure: text/plain (readable on its own) + multipart/related(text/html, image/png chart
referenced by cid:). The HTML is the email template with its CSS inlined by css-inline, so mail
clients that drop <style> still show it; no script, no external assets. Headers are UTF-8 where
needed (a Chinese subject), with Date and Message-ID.

Sending: SMTP with STARTTLS, implicit TLS or neither; login when a user is set, with the
password from the environment (never a file or a flag, never logged). Transient failures
(connection errors, 4xx replies) are retried with exponential backoff; a 5xx reply is final.
The week is recorded in OUT/.sent.json after a successful send (written atomically), so the
same week is not sent twice unless forced.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path

from ..digest import Digest, render, write_atomic
from ..errors import BriefError, ConfigError
from ..settings import Settings

SENT_STATE = ".sent.json"


class SendError(BriefError):
    """The message could not be delivered; the digest files are still there."""

    exit_code = 3


@dataclass(frozen=True)
class Outcome:
    message_id: str
    recipients: tuple[str, ...]
    attempts: int


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip("> ") if "@" in address else "localhost"


def compose_message(digest: Digest, settings: Settings, chart_png: bytes | None) -> EmailMessage:
    if not settings.email_from:
        raise ConfigError("no sender", hint="set [email] from in brief.toml or pass --from")
    if not (settings.email_to or settings.email_cc or settings.email_bcc):
        raise ConfigError("no recipients", hint="set [email] to in brief.toml or pass --to")
    message = EmailMessage(policy=SMTP)
    try:
        message["Subject"] = settings.subject.format(week=digest.week, count=digest.stats["reports"])
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"[email] subject template: {exc}", hint="placeholders: {week}, {count}") from None
    message["From"] = settings.email_from
    if settings.email_to:
        message["To"] = ", ".join(settings.email_to)
    if settings.email_cc:
        message["Cc"] = ", ".join(settings.email_cc)
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(idstring=f"brief.{digest.week}", domain=_domain(settings.email_from))
    message.set_content(render(digest, "txt", settings.templates, template="digest.txt.j2"))
    cid = make_msgid(idstring="chart", domain=_domain(settings.email_from))
    html = render(
        digest,
        "html",
        settings.templates,
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


def all_recipients(settings: Settings) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*settings.email_to, *settings.email_cc, *settings.email_bcc)))


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    return isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError))


def send_message(
    message: EmailMessage,
    settings: Settings,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    notify: Callable[[str], None] = lambda _m: None,
) -> Outcome:
    environ = os.environ if environ is None else environ
    recipients = all_recipients(settings)
    port = settings.smtp_port or {"tls": 465, "starttls": 587, "none": 25}[settings.smtp_security]
    password = environ.get(settings.smtp_password_env) if settings.smtp_user else None
    if settings.smtp_user and not password:
        raise ConfigError(
            f"SMTP user {settings.smtp_user} has no password",
            hint=f"export {settings.smtp_password_env}=… (passwords are read from the environment only)",
        )
    attempts = settings.smtp_retries + 1
    for attempt in range(1, attempts + 1):
        try:
            _deliver(message, settings, port, password, recipients)
            return Outcome(str(message["Message-ID"]), recipients, attempt)
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(f"SMTP login as {settings.smtp_user} refused ({exc.smtp_code})") from None
        except Exception as exc:
            if not _is_transient(exc) or attempt == attempts:
                raise SendError(
                    f"sending to {settings.smtp_host}:{port} failed after {attempt} attempt(s): {_describe(exc)}",
                    hint="the digest files are written; run `brief send` again to retry",
                ) from None
            delay = settings.smtp_backoff * 2 ** (attempt - 1)
            notify(f"SMTP attempt {attempt} failed ({_describe(exc)}); retrying in {delay:.1f} s")
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}"


def _deliver(
    message: EmailMessage, settings: Settings, port: int, password: str | None, recipients: tuple[str, ...]
) -> None:
    context = ssl.create_default_context()
    if settings.smtp_security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, port, timeout=settings.smtp_timeout, context=context
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, port, timeout=settings.smtp_timeout)
    with client:
        if settings.smtp_security == "starttls":
            client.starttls(context=context)
        if settings.smtp_user and password:
            client.login(settings.smtp_user, password)
        # Bcc stays out of the headers; every recipient is in the envelope.
        client.send_message(message, from_addr=settings.email_from, to_addrs=list(recipients))


def load_sent(out_dir: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads((out_dir / SENT_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record_sent(out_dir: Path, week: str, outcome: Outcome) -> None:
    sent = load_sent(out_dir)
    sent[week] = {
        "message_id": outcome.message_id,
        "recipients": list(outcome.recipients),
        "sent_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    write_atomic(out_dir / SENT_STATE, json.dumps(sent, ensure_ascii=False, indent=2) + "\n")
