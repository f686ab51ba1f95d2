"""`brief send` over TLS against a real aiosmtpd server on 127.0.0.1: STARTTLS and implicit TLS
with a certificate made here (a CA and a leaf for localhost and 127.0.0.1), trusted through
`[smtp] ca_file`, BRIEF_SMTP_CA_FILE or OpenSSL's SSL_CERT_FILE, with the certificate and the
host name checked. A certificate that cannot be verified stops the send before the login: the
server never sees the password."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import trustme  # a dev dependency (pyproject [dev]): test certificates
from click.testing import CliRunner
from conftest import ROOT, SMTP_PASSWORD, SMTP_USER, copy_seeds, environment_without_brief, free_port

from briefing.cli import main

LOGIN = {"BRIEF_SMTP_USER": SMTP_USER, "BRIEF_SMTP_PASSWORD": SMTP_PASSWORD}


class Mailbox:
    """An SMTP handler that keeps what it receives and every login it is offered."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.logins: list[tuple[str, str]] = []  # (user, password) of every AUTH, accepted or not

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 queued"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if isinstance(auth_data, LoginPassword):
            login, password = (v.decode() if isinstance(v, bytes) else v for v in (auth_data.login, auth_data.password))
            self.logins.append((login, password))
            return AuthResult(success=(login, password) == (SMTP_USER, SMTP_PASSWORD), handled=False)
        return AuthResult(success=False, handled=False)


@pytest.fixture(scope="session")
def authority() -> Any:
    """The CA the tests trust, and the certificates it signs."""
    return trustme.CA()


@pytest.fixture
def ca_pem(authority: Any, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def tls_server() -> Any:
    """tls_server(security, leaf) -> (Mailbox, port): aiosmtpd on 127.0.0.1 presenting `leaf`,
    either STARTTLS (required before MAIL and AUTH) or implicit TLS; stopped after the test."""
    from aiosmtpd.controller import Controller

    controllers = []

    def start(security: str, leaf: Any) -> tuple[Mailbox, int]:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        leaf.configure_cert(context)
        mailbox = Mailbox()
        port = free_port()
        if security == "tls":
            # aiosmtpd counts only STARTTLS as TLS; on an implicit-TLS port everything is encrypted.
            kwargs: dict[str, Any] = {"ssl_context": context, "auth_require_tls": False}
        else:
            kwargs = {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
        controller = Controller(mailbox, hostname="127.0.0.1", port=port, authenticator=mailbox.authenticate, **kwargs)
        controller.start()
        controllers.append(controller)
        return mailbox, port

    yield start
    for controller in controllers:
        controller.stop()


def configure(tmp_path: Path, port: int, security: str, host: str, extra: str = "") -> Path:
    if not (tmp_path / "in").exists():
        copy_seeds(tmp_path / "in")
    config = tmp_path / "brief.toml"
    config.write_text(
        f'[smtp]\nhost = "{host}"\nport = {port}\nsecurity = "{security}"\nbackoff = 0.01\ntimeout = 5\n{extra}'
        '[email]\nfrom = "周报 <brief@example.org>"\nto = ["a@example.org"]\n',
        encoding="utf-8",
    )
    return config


def send_args(tmp_path: Path) -> list[str]:
    return ["--config", str(tmp_path / "brief.toml"), "send", "--week", "-q",
            "--input", str(tmp_path / "in"), "--out", str(tmp_path / "out")]  # fmt: skip


def send(tmp_path: Path, env: dict[str, str]) -> Any:
    return CliRunner().invoke(main, send_args(tmp_path), env=env)


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("Error")]


@pytest.mark.parametrize(
    ("security", "host", "trust"),
    [
        ("starttls", "localhost", "ca_file"),
        ("tls", "127.0.0.1", "BRIEF_SMTP_CA_FILE"),
        ("starttls", "127.0.0.1", "SSL_CERT_FILE"),
        ("tls", "localhost", "SSL_CERT_FILE"),
    ],
)
def test_tls_delivers_with_the_certificate_and_host_name_checked(
    tmp_path, authority, ca_pem, tls_server, security, host, trust
):
    mailbox, port = tls_server(security, authority.issue_cert("localhost", "127.0.0.1"))
    extra = f'ca_file = "{ca_pem}"\n' if trust == "ca_file" else ""
    configure(tmp_path, port, security, host, extra)
    env = {**LOGIN, trust: str(ca_pem)} if trust != "ca_file" else dict(LOGIN)
    result = send(tmp_path, env)
    assert result.exit_code == 0, result.output
    assert SMTP_PASSWORD not in result.output
    assert mailbox.logins == [(SMTP_USER, SMTP_PASSWORD)]  # logged in once, over TLS (the server requires it)
    assert [rcpts for rcpts, _ in mailbox.messages] == [["a@example.org"]]
    (record,) = json.loads((tmp_path / "out" / ".sent.json").read_text(encoding="utf-8")).values()
    assert record["recipients"] == ["a@example.org"]


def test_a_real_brief_process_trusts_ssl_cert_file(tmp_path, authority, ca_pem, tls_server):
    """The variable OpenSSL reads, in a real process as cron would start it."""
    mailbox, port = tls_server("tls", authority.issue_cert("localhost", "127.0.0.1"))
    configure(tmp_path, port, "tls", "localhost")
    env = {**environment_without_brief(), **LOGIN, "SSL_CERT_FILE": str(ca_pem), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "briefing", *send_args(tmp_path)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert [rcpts for rcpts, _ in mailbox.messages] == [["a@example.org"]]


@pytest.mark.parametrize(
    ("security", "problem"),
    [("starttls", "untrusted"), ("tls", "untrusted"), ("starttls", "wrong host"), ("tls", "wrong host")],
)
def test_a_certificate_that_fails_the_checks_stops_before_the_password(
    tmp_path, authority, ca_pem, tls_server, security, problem
):
    if problem == "untrusted":
        leaf = trustme.CA().issue_cert("localhost", "127.0.0.1")  # signed by a CA nobody trusts
    else:
        leaf = authority.issue_cert("mail.example.org")  # trusted, but for another host
    mailbox, port = tls_server(security, leaf)
    configure(tmp_path, port, security, "localhost", f'ca_file = "{ca_pem}"\n')
    result = send(tmp_path, LOGIN)
    assert result.exit_code == 3, result.output
    (line,) = error_lines(result.output)
    assert "certificate" in line and f"localhost:{port}" in line and "ca_file" in line, line
    assert "after 1 attempt(s)" in line  # a certificate does not get better by retrying
    if problem == "wrong host":
        assert "not valid for 'localhost'" in line, line
    assert mailbox.logins == [] and mailbox.messages == []  # the password never left
    assert SMTP_PASSWORD not in result.output
    assert not (tmp_path / "out" / ".sent.json").exists()


def test_a_server_without_starttls_gets_no_password(tmp_path, start_smtp):
    class Plain:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            raise AssertionError("nothing may be sent without TLS")

    port = start_smtp(Plain(), auth=True)
    configure(tmp_path, port, "starttls", "127.0.0.1")
    result = send(tmp_path, LOGIN)
    assert result.exit_code == 3, result.output
    (line,) = error_lines(result.output)
    assert "STARTTLS" in line and "after 1 attempt(s)" in line, line


@pytest.mark.parametrize(
    ("where", "value", "reason"),
    [
        ("file", "missing.pem", "does not exist"),
        ("environment", "missing.pem", "does not exist"),
        ("file", ".", "not a file"),
        ("file", "garbage.pem", "no certificate"),
    ],
)
def test_ca_file_is_checked_when_read(tmp_path, where, value, reason):
    (tmp_path / "garbage.pem").write_text("not a certificate\n", encoding="utf-8")
    path = tmp_path / value
    config = tmp_path / "brief.toml"
    config.write_text(f'[smtp]\nca_file = "{path}"\n' if where == "file" else "", encoding="utf-8")
    env = {"BRIEF_SMTP_CA_FILE": str(path)} if where == "environment" else {}
    result = CliRunner().invoke(main, ["--config", str(config), "config"], env=env)
    assert result.exit_code == 2, result.output
    (line,) = error_lines(result.output)
    named = "BRIEF_SMTP_CA_FILE" if where == "environment" else "[smtp] ca_file"
    assert named in line and reason in line and str(path) in line, line
