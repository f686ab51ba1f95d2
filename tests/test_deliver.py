"""Delivery with the real components: an aiosmtpd server on 127.0.0.1, a real git repository
for the wiki, and headless Chromium to look at the email as a mail client would."""

from __future__ import annotations

import email
import email.message
import json
import os
import re
import subprocess
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_seeds, git

from briefing.cli import main

HOSTILE = (
    "<script>alert('x')</script>平安乡召开会议\n"
    "10月10日，平安乡召开脱贫攻坚工作推进会，县长祁美文出席会议。<img src=x onerror=alert(1)>全乡958户全部脱贫。\n"
)


class Inbox:
    """An SMTP handler that stores what it receives; it can refuse the first N attempts."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.attempts = 0
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        self.attempts += 1
        if self.attempts <= self.fail_first:
            return "451 4.3.0 try again later"
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp_server(start_smtp):
    def start(fail_first: int = 0, auth: bool = False) -> tuple[Inbox, int]:
        inbox = Inbox(fail_first)
        return inbox, start_smtp(inbox, auth)

    return start


def reports(tmp_path: Path, hostile: bool = False) -> Path:
    inp = copy_seeds(tmp_path / "in")
    if hostile:
        (inp / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    return inp


def send(tmp_path: Path, port: int, *extra: str, env: dict[str, str] | None = None):
    config = tmp_path / "brief.toml"
    config.write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nbackoff = 0.01\ntimeout = 5\n'
        "allow_plaintext_login = true\n"  # the test server has no TLS
        '[email]\nfrom = "周报 <brief@example.org>"\n',
        encoding="utf-8",
    )
    args = ["--config", str(config), "send", "--week", "--input", str(tmp_path / "in"), "--out", str(tmp_path / "out")]
    return CliRunner().invoke(main, [*args, "-q", *extra], env=env or {})


def dry_run(tmp_path: Path) -> email.message.EmailMessage:
    """`brief send --dry-run` on the seeds plus a hostile report; the .eml read back."""
    reports(tmp_path, hostile=True)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["send", "--week", "--input", str(tmp_path / "in"), "--out", str(out), "--to", "team@example.org",
         "--from", "brief@example.org", "--dry-run", "-q"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (eml,) = out.glob("*.eml")
    return email.message_from_bytes(eml.read_bytes(), policy=policy.default)


def test_dry_run_writes_an_eml_with_text_html_and_inline_map(tmp_path):
    out = tmp_path / "out"
    message = dry_run(tmp_path)
    assert re.fullmatch(r"乡村振兴周报｜\d{4}年第\d+周（.+）：6场会议", message["Subject"]), message["Subject"]
    assert message["Message-ID"] and message["Date"]
    (week_map,) = out.glob("*.map.png")  # drawn by the build; the email carries it inline
    types = [part.get_content_type() for part in message.walk()]
    assert types == ["multipart/alternative", "text/plain", "multipart/related", "text/html", "image/png"]
    html = message.get_body(("html",)).get_content()
    plain = message.get_body(("plain",)).get_content()
    assert "平安乡召开会议" in plain  # plain text is shown as text: nothing to escape there
    assert "<script" not in html.lower() and "<img src=x" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt;平安乡召开会议" in html
    assert "<style" not in html and 'style="' in html  # CSS inlined for mail clients
    assert not re.search(r"""src=["']https?:""", html)  # no external assets (links are fine)
    image = next(p for p in message.walk() if p.get_content_type() == "image/png")
    assert f"cid:{image['Content-ID'][1:-1]}" in html and 'alt="本周会议分布图' in html
    assert image.get_content() == week_map.read_bytes()
    assert not (out / ".sent.json").exists()  # a dry run records nothing


def test_fifty_thousand_skipped_files_are_summarized_in_the_email(tmp_path):
    """A folder of photos beside the reports must not make the email too big to send: the email
    lists a few skipped files (the rarest reasons first) and counts the rest; the pages list all."""
    inp = reports(tmp_path)
    photos = inp / "photos"
    photos.mkdir()
    for number in range(50_000):
        (photos / f"IMG_{number:05d}.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (inp / "zz-empty.txt").write_bytes(b"")  # after every photo in path order, but the only one of its kind
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["send", "--week", "--input", str(inp), "--out", str(out), "--to", "team@example.org",
         "--from", "brief@example.org", "--dry-run", "-q"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # sent (here: written), with inputs skipped
    (eml,) = out.glob("*.eml")
    assert eml.stat().st_size < 200_000
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (plain, html):
        assert part.count("IMG_") == 19 and part.count("zz-empty.txt") == 1
        assert "另有 49,981 个文件未收录" in part
        assert "unsupported file type &#39;.jpg&#39; 49,981" in part or "unsupported file type '.jpg' 49,981" in part
    page = (out / f"{eml.stem}.md").read_text(encoding="utf-8")
    assert page.count("IMG_") == 50_000  # the page keeps the full list


def test_message_arrives_exactly_once_with_auth_and_bcc(tmp_path, smtp_server):
    inbox, port = smtp_server(auth=True)
    reports(tmp_path)
    env = {"BRIEF_SMTP_USER": "brief", "BRIEF_SMTP_PASSWORD": "s3cret"}
    args = ("--to", "a@example.org", "--cc", "b@example.org", "--bcc", "secret@example.org")
    first = send(tmp_path, port, *args, env=env)
    assert first.exit_code == 0, first.output
    assert "s3cret" not in first.output  # the password is never printed
    second = send(tmp_path, port, *args, env=env)
    assert second.exit_code == 0 and "already sent" in second.output
    assert len(inbox.messages) == 1
    sender, recipients, raw = inbox.messages[0]
    assert sender == "brief@example.org"
    assert sorted(recipients) == ["a@example.org", "b@example.org", "secret@example.org"]
    message = email.message_from_bytes(raw, policy=policy.default)
    assert "secret@example.org" not in raw.decode("utf-8", "replace")  # Bcc not in the headers
    assert message["To"] == "a@example.org" and message["Cc"] == "b@example.org"
    assert "重庆市奉节县平安乡" in message.get_body(("plain",)).get_content()
    state = json.loads((tmp_path / "out" / ".sent.json").read_text(encoding="utf-8"))
    (week,) = [p.stem for p in (tmp_path / "out").glob("*.json") if not p.name.startswith(".")]
    assert list(state) == [week] and state[week]["message_id"] == message["Message-ID"].strip()
    forced = send(tmp_path, port, *args, "--force", env=env)
    assert forced.exit_code == 0 and len(inbox.messages) == 2


def test_wrong_password_or_missing_password_fails_clearly(tmp_path, smtp_server):
    inbox, port = smtp_server(auth=True)
    reports(tmp_path)
    wrong = send(tmp_path, port, "--to", "a@example.org", env={"BRIEF_SMTP_USER": "brief", "BRIEF_SMTP_PASSWORD": "no"})
    assert wrong.exit_code == 3 and "login as brief refused" in wrong.output
    missing = send(tmp_path, port, "--to", "a@example.org", env={"BRIEF_SMTP_USER": "brief"})
    assert missing.exit_code == 2 and "BRIEF_SMTP_PASSWORD" in missing.output
    assert inbox.messages == []


def test_transient_failures_are_retried_then_delivered_once(tmp_path, smtp_server):
    inbox, port = smtp_server(fail_first=2)
    reports(tmp_path)
    result = send(tmp_path, port, "--to", "a@example.org")
    assert result.exit_code == 0, result.output
    assert inbox.attempts == 3 and len(inbox.messages) == 1


def test_final_failure_keeps_the_digest_and_exits_non_zero(tmp_path, smtp_server):
    inbox, port = smtp_server(fail_first=100)
    reports(tmp_path)
    result = send(tmp_path, port, "--to", "a@example.org")
    assert result.exit_code == 3
    assert "failed after 4 attempt(s): 451" in result.output
    assert list((tmp_path / "out").glob("*.md")) and not (tmp_path / "out" / ".sent.json").exists()
    assert inbox.messages == []


# --- wiki -----------------------------------------------------------------------------------------


def publish(tmp_path: Path, wiki: Path, *extra: str):
    args = ["publish", "--week", *extra, "--input", str(tmp_path / "in"), "--out", str(tmp_path / "out")]
    return CliRunner().invoke(main, [*args, "--wiki", str(wiki), "-q"])


def test_publish_twice_leaves_one_page_one_entry_one_commit(tmp_path):
    reports(tmp_path)
    wiki = tmp_path / "wiki"
    subprocess.run(["git", "init", "-q", str(wiki)], check=True)
    (wiki / "Home.md").write_text("# 团队维基\n\n欢迎。\n", encoding="utf-8")
    git(wiki, "add", "Home.md")
    git(wiki, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "init")
    first = publish(tmp_path, wiki)
    second = publish(tmp_path, wiki)
    assert first.exit_code == 0 and "committed" in first.output, first.output
    assert second.exit_code == 0 and "nothing to commit" in second.output, second.output
    assert len(git(wiki, "log", "--oneline").splitlines()) == 2
    pages = [p.name for p in wiki.glob("乡村振兴周报-*.md")]
    assert len(pages) == 1
    home = (wiki / "Home.md").read_text(encoding="utf-8")
    assert home.startswith("# 团队维基\n\n欢迎。")  # the rest of Home.md is kept
    assert home.count("](%E4%B9%A1") == 1  # one index entry, percent-encoded page link
    page = (wiki / pages[0]).read_text(encoding="utf-8")
    assert "](images/brief-" in page and len(list((wiki / "images").glob("brief-*.png"))) == 1
    assert git(wiki, "status", "--porcelain") == ""


def test_index_lists_weeks_newest_first(tmp_path):
    reports(tmp_path)
    wiki = tmp_path / "wiki"
    subprocess.run(["git", "init", "-q", str(wiki)], check=True)
    for path in (tmp_path / "in").iterdir():
        os.utime(path, (1629800000, 1629800000))  # 2021-08-24: week 2021-W34
    assert publish(tmp_path, wiki, "2021-W34").exit_code == 0
    for path in (tmp_path / "in").iterdir():
        os.utime(path, (1630400000, 1630400000))  # 2021-08-31: week 2021-W35
    assert publish(tmp_path, wiki, "2021-W35").exit_code == 0
    for path in (tmp_path / "in").iterdir():
        os.utime(path, (1629800000, 1629800000))
    assert publish(tmp_path, wiki, "2021-W34").exit_code == 0  # re-publishing an older week, unchanged
    home = (wiki / "Home.md").read_text(encoding="utf-8")
    entries = [line for line in home.splitlines() if line.startswith("- [")]
    assert [e.split("]")[0] for e in entries] == ["- [乡村振兴周报-2021-W35", "- [乡村振兴周报-2021-W34"]
    assert len(git(wiki, "log", "--oneline").splitlines()) == 2


def test_push_goes_to_the_remote(tmp_path):
    reports(tmp_path)
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    wiki = tmp_path / "wiki"
    subprocess.run(["git", "clone", "-q", str(remote), str(wiki)], check=True, capture_output=True)
    result = publish(tmp_path, wiki, "--push")
    assert result.exit_code == 0 and "pushed" in result.output, result.output
    assert "brief: publish" in git(remote, "log", "--oneline", "--all")


def test_publish_needs_a_git_clone(tmp_path):
    reports(tmp_path)
    (tmp_path / "plain").mkdir()
    result = publish(tmp_path, tmp_path / "plain")
    assert result.exit_code == 2 and "is not a git clone" in result.output


# --- config ---------------------------------------------------------------------------------------


def test_config_shows_effective_values_with_secrets_masked(tmp_path):
    config = tmp_path / "brief.toml"
    config.write_text(
        '[smtp]\nhost = "mail.example.org"\nuser = "brief"\n[wiki]\nindex = ["Home", "_Sidebar"]\n', "utf-8"
    )
    result = CliRunner().invoke(
        main, ["--config", str(config), "config"], env={"BRIEF_SMTP_PASSWORD": "s3cret", "BRIEF_SMTP_PORT": "2525"}
    )
    assert result.exit_code == 0, result.output
    assert "mail.example.org" in result.output and "2525" in result.output
    assert "Home, _Sidebar" in result.output
    assert "set (hidden)" in result.output and "s3cret" not in result.output
