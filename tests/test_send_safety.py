"""`brief send` against hostile mail servers and damaged state, with a real aiosmtpd server on
127.0.0.1: refused recipients (550 for good, 450 for now), a truncated send record, two sends at
once in two real processes, a server that stalls, an oversized message, a password that would
travel in clear."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import json
import subprocess
import sys
import time
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, copy_seeds, environment_without_brief

from briefing.cli import main


class Server:
    """An SMTP handler with knobs: recipients refused for good (550) or for the next N tries (450),
    a DATA reply that waits for a second client (to catch two senders at once) or stalls."""

    def __init__(self) -> None:
        self.refuse: dict[str, str] = {}  # address -> reply
        self.busy: dict[str, int] = {}  # address -> how many more RCPTs answer 450
        self.closing: dict[str, int] = {}  # address -> how many more RCPTs answer 421 and hang up
        self.quit_reply: str | None = None  # instead of 221; "drop": hang up once DATA is answered
        self.messages: list[tuple[list[str], bytes]] = []
        self.mail_commands = 0
        self.wait_for_second_client = 0.0
        self.stall = 0.0

    async def handle_MAIL(self, server, session, envelope, address, options):
        self.mail_commands += 1
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refuse:
            return self.refuse[address]
        if self.busy.get(address, 0) > 0:
            self.busy[address] -= 1
            return "450 4.2.1 mailbox busy, try later"
        if self.closing.get(address, 0) > 0:
            self.closing[address] -= 1
            hang_up(server)  # as a server does that shuts down mid-transaction
            return "421 4.7.0 closing"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        waited = 0.0
        while self.mail_commands < 2 and waited < self.wait_for_second_client:
            await asyncio.sleep(0.1)
            waited += 0.1
        if self.stall:
            await asyncio.sleep(self.stall)
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        if self.quit_reply == "drop":
            hang_up(server)
        return "250 2.0.0 queued"

    async def handle_QUIT(self, server, session, envelope):
        return self.quit_reply if self.quit_reply not in (None, "drop") else "221 Bye"


def hang_up(server) -> None:
    """Close the connection once the reply being returned is written (a transport flushes what
    was written before it closes; the reply is written before the loop runs this)."""
    asyncio.get_running_loop().call_soon(server.transport.close)


@pytest.fixture
def server(start_smtp):
    def start(auth: bool = False) -> tuple[Server, int]:
        handler = Server()
        return handler, start_smtp(handler, auth)

    return start


def setup(
    tmp_path: Path, port: int, extra_toml: str = "", email_toml: str = 'to = ["a@example.org", "b@example.org"]\n'
) -> Path:
    inp = tmp_path / "in"
    if not inp.exists():
        copy_seeds(inp)
    config = tmp_path / "brief.toml"
    config.write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nbackoff = 0.01\ntimeout = 5\n{extra_toml}'
        f'[email]\nfrom = "周报 <brief@example.org>"\n{email_toml}',
        encoding="utf-8",
    )
    return config


def send(tmp_path: Path, *extra: str, env: dict[str, str] | None = None):
    args = ["--config", str(tmp_path / "brief.toml"), "send", "--week", "-q"]
    args += ["--input", str(tmp_path / "in"), "--out", str(tmp_path / "out"), *extra]
    return CliRunner().invoke(main, args, env=env or {})


def sent_record(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "out" / ".sent.json").read_text(encoding="utf-8"))


# --- refused recipients ---------------------------------------------------------------------------


def test_a_recipient_refused_for_good_is_reported_and_not_recorded(tmp_path, server):
    handler, port = server()
    handler.refuse["b@example.org"] = "550 5.1.1 no such user"
    setup(tmp_path, port)
    result = send(tmp_path)
    assert result.exit_code == 3, result.output
    assert "b@example.org" in result.output and "550" in result.output
    assert [rcpts for rcpts, _ in handler.messages] == [["a@example.org"]]
    ((week, record),) = sent_record(tmp_path).items()
    assert record["recipients"] == ["a@example.org"]  # only who really got it

    # The next run sends only to whom it has not reached; a@ does not get a second copy.
    del handler.refuse["b@example.org"]
    again = send(tmp_path)
    assert again.exit_code == 0, again.output
    assert [rcpts for rcpts, _ in handler.messages] == [["a@example.org"], ["b@example.org"]]
    second = email.message_from_bytes(handler.messages[1][1], policy=policy.default)
    assert second["To"] == "a@example.org, b@example.org"  # the headers still show everyone
    assert sorted(sent_record(tmp_path)[week]["recipients"]) == ["a@example.org", "b@example.org"]
    third = send(tmp_path)
    assert third.exit_code == 0 and "already sent" in third.output
    assert len(handler.messages) == 2


def test_a_busy_recipient_is_retried_alone_with_backoff(tmp_path, server):
    handler, port = server()
    handler.busy["b@example.org"] = 2  # 450 twice, then accepted
    setup(tmp_path, port)
    result = send(tmp_path)
    assert result.exit_code == 0, result.output
    assert "450" in result.output and "retrying" in result.output
    assert [rcpts for rcpts, _ in handler.messages] == [["a@example.org"], ["b@example.org"]]
    ids = {email.message_from_bytes(raw, policy=policy.default)["Message-ID"] for _, raw in handler.messages}
    assert len(ids) == 1  # the same message, completed
    assert sorted(next(iter(sent_record(tmp_path).values()))["recipients"]) == ["a@example.org", "b@example.org"]


def test_a_recipient_busy_on_every_try_fails_the_run(tmp_path, server):
    handler, port = server()
    handler.busy["b@example.org"] = 100
    setup(tmp_path, port, "retries = 2\n")
    result = send(tmp_path)
    assert result.exit_code == 3, result.output
    assert "b@example.org" in result.output and "450" in result.output
    assert [rcpts for rcpts, _ in handler.messages] == [["a@example.org"]]
    assert next(iter(sent_record(tmp_path).values()))["recipients"] == ["a@example.org"]


def test_every_recipient_refused_records_nothing(tmp_path, server):
    handler, port = server()
    handler.refuse = {"a@example.org": "550 no", "b@example.org": "553 no"}
    setup(tmp_path, port)
    result = send(tmp_path)
    assert result.exit_code == 3, result.output
    assert "a@example.org" in result.output and "b@example.org" in result.output
    assert handler.messages == [] and not (tmp_path / "out" / ".sent.json").exists()


# --- what counts as delivered: the DATA reply, nothing before it and nothing after ----------------


def test_a_421_mid_transaction_retries_every_recipient_not_yet_confirmed(tmp_path, server):
    handler, port = server()
    handler.closing["b@example.org"] = 1  # a@ is accepted, then the server hangs up at b@
    setup(tmp_path, port, email_toml='to = ["a@example.org", "b@example.org", "c@example.org"]\n')
    result = send(tmp_path)
    assert result.exit_code == 0, result.output
    assert "421" in result.output and "retrying" in result.output
    # a@'s RCPT was accepted, but no DATA followed: a@ had nothing yet, so all three are retried.
    assert [rcpts for rcpts, _ in handler.messages] == [["a@example.org", "b@example.org", "c@example.org"]]
    ((_, record),) = sent_record(tmp_path).items()
    assert sorted(record["recipients"]) == ["a@example.org", "b@example.org", "c@example.org"]


def test_a_server_that_hangs_up_on_every_try_leaves_nobody_recorded(tmp_path, server):
    handler, port = server()
    handler.closing["b@example.org"] = 100
    setup(tmp_path, port, "retries = 1\n", email_toml='to = ["a@example.org", "b@example.org", "c@example.org"]\n')
    result = send(tmp_path)
    assert result.exit_code == 3, result.output
    assert "failed after 2 attempt(s): 421 4.7.0 closing" in result.output
    assert handler.messages == [] and not (tmp_path / "out" / ".sent.json").exists()


@pytest.mark.parametrize("quit_reply", ["421 4.3.2 shutting down", "250 OK", "drop"])
def test_a_message_accepted_at_data_is_recorded_whatever_quit_gets(tmp_path, server, quit_reply):
    handler, port = server()
    handler.quit_reply = quit_reply  # "drop": the server hangs up right after its 250 for DATA
    setup(tmp_path, port)
    result = send(tmp_path)
    assert result.exit_code == 0, result.output
    assert [rcpts for rcpts, _ in handler.messages] == [["a@example.org", "b@example.org"]]
    ((_, record),) = sent_record(tmp_path).items()
    assert sorted(record["recipients"]) == ["a@example.org", "b@example.org"] and "refused" not in record
    again = send(tmp_path)
    assert again.exit_code == 0 and "already sent" in again.output, again.output
    assert len(handler.messages) == 1


# --- one mailbox, however it is written ------------------------------------------------------------


def test_one_mailbox_written_three_ways_gets_one_copy(tmp_path, server):
    handler, port = server()
    spellings = 'to = ["Alice <alice@example.org>", "b@example.org"]\ncc = ["ALICE@Example.ORG"]\n'
    setup(tmp_path, port, email_toml=spellings + 'bcc = ["alice@example.org"]\n')
    result = send(tmp_path)
    assert result.exit_code == 0, result.output
    assert [rcpts for rcpts, _ in handler.messages] == [["alice@example.org", "b@example.org"]]  # one RCPT each
    ((_, record),) = sent_record(tmp_path).items()
    assert record["recipients"] == ["alice@example.org", "b@example.org"]
    again = send(tmp_path)
    assert again.exit_code == 0 and "already sent" in again.output, again.output


def test_a_record_written_with_another_spelling_still_counts(tmp_path, server):
    handler, port = server()
    setup(tmp_path, port, email_toml='to = ["alice@example.org", "Bob <bob@example.org>"]\n')
    year, number, _ = dt.date.today().isocalendar()  # the week `--week` picks; the seeds are collected now
    week = f"{year}-W{number:02d}"
    earlier = {week: {"message_id": "<x@y>", "recipients": ["Alice <ALICE@Example.org>"], "sent_at": "2021-07-26"}}
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".sent.json").write_text(json.dumps(earlier), encoding="utf-8")
    result = send(tmp_path)
    assert result.exit_code == 0, result.output
    assert [rcpts for rcpts, _ in handler.messages] == [["bob@example.org"]]
    assert sent_record(tmp_path)[week]["recipients"] == ["Alice <ALICE@Example.org>", "bob@example.org"]


# --- settings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["MY-PASSWORD", "$BRIEF_SMTP_PASSWORD", "1PASSWORD", "BRIEF SMTP PASSWORD"])
def test_password_env_must_name_an_environment_variable(tmp_path, name):
    config = tmp_path / "brief.toml"
    config.write_text(f'[smtp]\npassword_env = "{name}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "config"])
    assert result.exit_code == 2, result.output
    assert "[smtp] password_env" in result.output and "environment variable name" in result.output


# --- the send record -------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncated", "not an object", "binary"])
def test_an_unreadable_send_record_is_refused_and_kept(tmp_path, server, damage):
    handler, port = server()
    setup(tmp_path, port)
    state = tmp_path / "out" / ".sent.json"
    state.parent.mkdir()
    earlier = {"2021-W30": {"message_id": "<x@y>", "recipients": ["a@example.org"], "sent_at": "2021-07-26"}}
    good = json.dumps(earlier, indent=2)
    damaged = {
        "truncated": good[: len(good) // 2].encode(),
        "not an object": b'["2021-W30"]',
        "binary": b"\xff\xfe\x00garbage",
    }[damage]
    state.write_bytes(damaged)
    result = send(tmp_path)
    assert result.exit_code == 3, result.output
    assert ".sent.json" in result.output and "--force" in result.output
    assert state.read_bytes() == damaged  # never rewritten
    assert handler.messages == []

    forced = send(tmp_path, "--force")
    assert forced.exit_code == 0, forced.output
    assert len(handler.messages) == 1
    (kept,) = state.parent.glob(".sent.json.unreadable-*")  # the damaged record is kept aside
    assert kept.read_bytes() == damaged
    assert len(sent_record(tmp_path)) == 1


def test_two_sends_at_once_deliver_once(tmp_path, server):
    handler, port = server()
    handler.wait_for_second_client = 12.0  # without a lock, the second sender would arrive meanwhile
    setup(tmp_path, port)
    env = environment_without_brief()
    env["PYTHONPATH"] = str(ROOT)
    cmd = [sys.executable, "-m", "briefing", "--config", str(tmp_path / "brief.toml"), "send", "--week", "-q"]
    cmd += ["--input", str(tmp_path / "in"), "--out", str(tmp_path / "out")]
    # Build once first, so both processes reach the sending step at about the same time.
    assert CliRunner().invoke(main, ["build", "--week", "-q", "--input", str(tmp_path / "in"),
                                     "--out", str(tmp_path / "out")]).exit_code == 0  # fmt: skip
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)]
    procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env))
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert len(handler.messages) == 1, outputs
    assert sum("already sent" in out for out in outputs) == 1, outputs
    assert any("waiting" in out for out in outputs), outputs


# --- limits ----------------------------------------------------------------------------------------


def test_an_oversized_message_is_refused_before_sending(tmp_path, server):
    handler, port = server()
    setup(tmp_path, port)
    config = tmp_path / "brief.toml"
    config.write_text(config.read_text(encoding="utf-8") + "max_bytes = 20000\n", encoding="utf-8")
    result = send(tmp_path)
    assert result.exit_code == 3, result.output
    assert "max_bytes" in result.output and "20000" in result.output
    assert handler.mail_commands == 0 and not (tmp_path / "out" / ".sent.json").exists()


def test_a_stalling_server_hits_the_overall_deadline(tmp_path, server):
    handler, port = server()
    handler.stall = 30.0  # each read is within timeout = 60 s, the attempt is not
    setup(tmp_path, port, "deadline = 1\nretries = 0\n")
    config = tmp_path / "brief.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("timeout = 5", "timeout = 60"), encoding="utf-8")
    started = time.monotonic()
    result = send(tmp_path)
    assert result.exit_code == 3, result.output
    assert "deadline of 1 s" in result.output
    assert time.monotonic() - started < 25  # gave up long before the server answered


def test_a_password_is_not_sent_in_clear_without_an_opt_in(tmp_path, server):
    handler, port = server(auth=True)
    setup(tmp_path, port)
    env = {"BRIEF_SMTP_USER": "brief", "BRIEF_SMTP_PASSWORD": "s3cret"}
    refused = send(tmp_path, env=env)
    assert refused.exit_code == 2, refused.output
    assert "allow_plaintext_login" in refused.output and handler.mail_commands == 0
    assert not (tmp_path / "out").exists()  # refused before the build
    setup(tmp_path, port, "allow_plaintext_login = true\n")
    allowed = send(tmp_path, env=env)
    assert allowed.exit_code == 0, allowed.output
    assert "in clear" in allowed.stderr and "s3cret" not in allowed.output
    assert len(handler.messages) == 1


# --- an empty week --------------------------------------------------------------------------------


def test_an_empty_week_is_not_sent_without_force(tmp_path, server):
    handler, port = server()
    setup(tmp_path, port)
    config, inp, out = str(tmp_path / "brief.toml"), str(tmp_path / "in"), str(tmp_path / "out")
    week = ["--week", "2001-W01", "--input", inp, "--out", out]  # the seeds were collected this week
    result = CliRunner().invoke(main, ["--config", config, "send", "-q", *week])
    assert result.exit_code == 3, result.output
    assert "2001-W01 has no reports" in result.output and "--force" in result.output
    assert handler.messages == []
    assert not (tmp_path / "out" / ".sent.json").exists()
    forced = CliRunner().invoke(main, ["--config", config, "send", "-q", "--force", *week])
    assert forced.exit_code == 0, forced.output
    assert len(handler.messages) == 1
