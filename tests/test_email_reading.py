"""The email as its readers get it, at volume: a week of 300 invented meetings (real county names,
invented texts of the real shape, each with its 原文链接) sent by the real CLI, as .eml files or to a
real aiosmtpd server on 127.0.0.1. The HTML part must stay under 100 KB with no fixed width a phone
cannot show, every listed meeting must link somewhere, nothing local may leak into it, and each
[[subscription]] gets its own subset, with List-Unsubscribe, recorded and retried on its own."""

from __future__ import annotations

import datetime as dt
import email
import email.message
import json
import os
import random
import re
import shutil
import subprocess
from email import policy
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import invoke

from briefing.deliver.email import HTML_MAX_BYTES
from briefing.extract.gazetteer import COUNTY, load_gazetteer

WEEK = "2026-W50"
LABEL = "2026年第50周（12月7日—13日）"
IN_WEEK = dt.datetime(2026, 12, 11, 9, 0).timestamp()
WIKI = "https://wiki.example.org/team/brief/wiki"
PAGE = WIKI + "/%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4%E5%91%A8%E6%8A%A5-2026-W50"  # 乡村振兴周报-2026-W50
# One county the subscription asks for; every invented week holds a few of its meetings.
SUB_COUNTY = ("四川省", "广安市", "邻水县")

TOPICS = ("防返贫监测帮扶", "衔接资金项目管理", "产业帮扶", "就业帮扶", "人居环境整治", "驻村帮扶", "考核评估整改")
POSTS = ("县委书记", "县长", "县委副书记", "副县长")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国志明海涛立新春华文军丽萍永刚红梅振宇晓东"
PHRASES = (
    "逐户排查致贫风险",
    "落实监测对象帮扶措施",
    "推进项目库建设",
    "加快资金拨付进度",
    "发展特色种植养殖",
    "组织劳务输出",
    "开展技能培训",
    "整治村容村貌",
    "完善农村供水设施",
    "压实帮扶责任",
    "开展问题整改回头看",
    "健全长效机制",
    "强化督导检查",
    "巩固拓展脱贫攻坚成果",
)


def counties(count: int) -> list[tuple[str, str, str]]:
    """`count` real (province, city, county) names of the division list, spread over provinces,
    the subscription's county among them."""
    gazetteer = load_gazetteer()
    chains = []
    for place in gazetteer.places.values():
        if place.level != COUNTY or not place.name.endswith(("县", "区")):
            continue
        city = gazetteer.places.get(place.parent)
        province = gazetteer.places.get(city.parent) if city else None
        if city and province and city.name.endswith("市") and province.name.endswith("省"):
            chains.append((province.name, city.name, place.name))
    picked = random.Random(50).sample(chains, count)
    return [SUB_COUNTY, *[c for c in picked if c != SUB_COUNTY]][:count]


def meeting_text(number: int, place: tuple[str, str, str], rng: random.Random) -> str:
    province, city, county = place
    topic = TOPICS[number % len(TOPICS)]
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    post = rng.choice(POSTS)
    day = 7 + number % 7
    said = "，".join(rng.sample(PHRASES, 6))
    more = "，".join(rng.sample(PHRASES, 5))
    return (
        f"{county}召开{topic}工作推进会（第{number}期）\n"
        f"2026年12月{day}日，{province}{city}{county}召开{topic}工作推进会，{post}{name}主持会议并讲话。"
        f"会议要求，{said}。会议指出，全县第{number}批{rng.randint(10, 900)}户监测户已落实帮扶，"
        f"下一步要{more}，确保不发生规模性返贫。\n"
        f"原文链接：https://news.example.cn/{number:04d}.html\n"
    )


def write_week(inp: Path, count: int) -> list[tuple[str, str, str]]:
    """`count` meetings of the week in `inp`, one file each; the places, in file order."""
    inp.mkdir(parents=True, exist_ok=True)
    rng = random.Random(count)
    places = counties(count)
    for number, place in enumerate(places):
        path = inp / f"m{number:04d}.txt"
        path.write_text(meeting_text(number, place, rng), encoding="utf-8")
        os.utime(path, (IN_WEEK, IN_WEEK))
    return places


@pytest.fixture(scope="module")
def week300(tmp_path_factory) -> Path:
    """A folder of 300 meetings of 2026-W50, built once for the module (each test copies nothing:
    every send writes into its own output folder)."""
    inp = tmp_path_factory.mktemp("week300") / "in"
    write_week(inp, 300)
    return inp


def config(tmp_path: Path, body: str, port: int | None = None) -> Path:
    smtp = (
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nbackoff = 0.01\ntimeout = 5\nretries = 0\n'
        if port
        else ""
    )
    path = tmp_path / "brief.toml"
    path.write_text(smtp + '[email]\nfrom = "周报 <brief@example.org>"\n' + body, encoding="utf-8")
    return path


def send(tmp_path: Path, inp: Path, toml: Path, *extra: str):
    args = ["--config", toml, "send", "--week", WEEK, "--input", inp, "--out", tmp_path / "out", "-q", *extra]
    return invoke(args, tmp_path)


def read_eml(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def parts(message: email.message.EmailMessage) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


class Widths(HTMLParser):
    """Every width an element fixes: width="…" attributes and width: in style attributes (not
    max-width), in px; and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.widths: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "width":
                self.widths.append(value or "")
            elif name == "style":
                self.widths += re.findall(r"(?<![-\w])width\s*:\s*([^;]+)", value or "")
            elif name == "href" and tag == "a":
                self.links.append(value or "")


def fixed_pixels(widths: list[str]) -> list[int]:
    return [int(m.group(1)) for w in widths if (m := re.fullmatch(r"\s*(\d+)(?:px)?\s*", w))]


def test_a_week_of_300_meetings_fits_a_phone_and_links_every_meeting_to_the_wiki(tmp_path, week300):
    toml = config(tmp_path, 'to = ["team@example.org"]\n[wiki]\nurl = "' + WIKI + '"\n')
    result = send(tmp_path, week300, toml, "--dry-run")
    assert result.exit_code == 0, result.output
    message = read_eml(tmp_path / "out" / f"{WEEK}.eml")
    data = json.loads((tmp_path / "out" / f"{WEEK}.json").read_text(encoding="utf-8"))
    meetings = len(data["events"])
    assert meetings > 250  # the invented meetings are told apart, not merged
    assert message["Subject"] == f"乡村振兴周报｜{LABEL}：{meetings}场会议"
    plain, html = parts(message)
    size = len(html.encode("utf-8"))
    print(f"HTML part for {meetings} meetings with wiki links: {size:,} bytes")
    assert size <= HTML_MAX_BYTES
    found = Widths()
    found.feed(html)
    assert 'width="6' not in html and all(px <= 390 for px in fixed_pixels(found.widths)), found.widths
    assert "max-width: 640px" in html  # fluid up to a desktop reading width
    # 要点 first, then the counts line, then ten full cards in the 要点's order.
    points = data["overview"]["key_points"]
    assert 3 <= len(points) <= 5
    assert html.index(points[0]["text"]) < html.index(data["overview"]["counts_line"]) < html.index("重点会议")
    assert html.count('class="card"') == 10 and plain.count("  来源：") == 10
    card_titles = re.findall(r'<p class="title"[^>]*><a href="[^"]+">([^<]+)</a>', html)
    chosen = {p["event"] for p in points}
    by_id = {e["id"]: e for e in data["events"]}
    assert {by_id[e]["title"] for e in chosen} <= set(card_titles)
    # Every meeting is a link to its card on the published page (or counted in the last line).
    anchors = {link.split("#", 1)[1] for link in found.links if link.startswith(PAGE + "#")}
    more = re.search(r"另有 ([\d,]+) 场会议，见", html)
    left_out = int(more.group(1).replace(",", "")) if more else 0
    assert len(anchors & {e["anchor"] for e in data["events"]}) == meetings - left_out
    assert PAGE in found.links  # and to the full page
    for event in data["events"][:3]:
        assert f"{PAGE}#{event['anchor']}" in plain or event["title"] not in plain
    # Nothing local, nothing of the machinery.
    for part in (plain, html):
        assert str(week300) not in part and str(tmp_path) not in part and "/tmp" not in part
        assert "⚠" not in part and "extractive" not in part and "摘要：抽取式" in part
        assert "规则" not in part and "rule" not in part
    # Event ids appear only as the page's anchors inside links, never as text.
    assert not re.search(r"ev-[0-9a-f]{6}", re.sub(re.escape(PAGE) + r"#[\w-]+", "", plain))


def test_without_a_wiki_each_line_links_its_source(tmp_path, week300):
    toml = config(tmp_path, 'to = ["team@example.org"]\nfull_cards = 3\n')
    result = send(tmp_path, week300, toml, "--dry-run")
    assert result.exit_code == 0, result.output
    plain, html = parts(read_eml(tmp_path / "out" / f"{WEEK}.eml"))
    assert html.count('class="card"') == 3
    found = Widths()
    found.feed(html)
    sources = [link for link in found.links if link.startswith("https://news.example.cn/")]
    assert len(sources) > 250 and not any("#" in link or "wiki" in link for link in found.links)
    assert "ev-" not in html and "ev-" not in plain  # no event ids where nothing links to the page
    assert len(html.encode("utf-8")) <= HTML_MAX_BYTES


def test_a_thousand_meetings_are_cut_to_100_kb_with_a_last_line(tmp_path):
    inp = tmp_path / "in"
    write_week(inp, 1000)
    toml = config(tmp_path, 'to = ["team@example.org"]\n[wiki]\nurl = "' + WIKI + '"\n')
    result = send(tmp_path, inp, toml, "--dry-run")
    assert result.exit_code == 0, result.output
    plain, html = parts(read_eml(tmp_path / "out" / f"{WEEK}.eml"))
    size = len(html.encode("utf-8"))
    print(f"HTML part for 1,000 meetings: {size:,} bytes")
    assert size <= HTML_MAX_BYTES
    more = re.search(r"另有 ([\d,]+) 场会议，见<a href=\"([^\"]+)\">完整页面</a>", html)
    assert more and more.group(2) == PAGE and int(more.group(1).replace(",", "")) > 0
    assert f"另有 {more.group(1)} 场会议，见完整页面：{PAGE}" in plain


class Inbox:
    """Stores what it receives; refuses RCPT of the addresses in `refuse_once` with 451 the first time."""

    def __init__(self, refuse_once: set[str] | None = None) -> None:
        self.refuse_once = set(refuse_once or ())
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # aiosmtpd's hook name
        if address in self.refuse_once:
            self.refuse_once.discard(address)
            return "451 4.2.0 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


SUBSCRIPTIONS = """
[[subscription]]
name = "linshui"
to = ["county@example.org", "both@example.org"]
regions = ["邻水县"]

[[subscription]]
name = "fpj"
to = ["desk@example.org", "both@example.org"]
themes = ["防返贫监测"]
regions = ["西藏自治区"]
"""


def test_subscriptions_get_their_own_subset_with_list_unsubscribe_and_retry_alone(tmp_path, start_smtp, week300):
    inbox = Inbox(refuse_once={"county@example.org"})
    port = start_smtp(inbox)
    body = 'to = ["team@example.org"]\nunsubscribe = "https://lists.example.org/unsubscribe"\n' + SUBSCRIPTIONS
    toml = config(tmp_path, body, port)
    first = send(tmp_path, week300, toml)
    assert first.exit_code == 3, first.output  # county@ was refused for now: not everyone reached
    assert "subscription linshui" in first.output and "county@example.org" in first.output
    by_recipients = {tuple(sorted(r)): raw for r, raw in inbox.messages}
    assert set(by_recipients) == {
        ("team@example.org",),
        ("both@example.org",),
        ("both@example.org", "desk@example.org"),
    }
    county = email.message_from_bytes(by_recipients[("both@example.org",)], policy=policy.default)
    plain, html = parts(county)
    data = json.loads((tmp_path / "out" / f"{WEEK}.json").read_text(encoding="utf-8"))
    linshui = [e for e in data["events"] if e["place"].endswith("邻水县")]
    assert linshui and county["Subject"] == f"乡村振兴周报｜{LABEL}：{len(linshui)}场会议"
    for event in data["events"]:
        assert (event["title"] in plain) == (event in linshui), event["title"]
    assert f"合并为 {len(linshui)} 场会议和活动" in plain  # its own counts line
    assert county["List-Unsubscribe"] == "<https://lists.example.org/unsubscribe>"
    assert county["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "退订或更改订阅：https://lists.example.org/unsubscribe" in plain and "订阅「linshui」" in html
    # A subscription no meeting matches gets a short note, not silence.
    empty = email.message_from_bytes(by_recipients[("both@example.org", "desk@example.org")], policy=policy.default)
    assert "本周没有符合订阅条件的会议" in parts(empty)[0] and empty["Subject"].endswith("：0场会议")
    whole = email.message_from_bytes(by_recipients[("team@example.org",)], policy=policy.default)
    assert whole["Subject"] == f"乡村振兴周报｜{LABEL}：{len(data['events'])}场会议"
    state = json.loads((tmp_path / "out" / ".sent.json").read_text(encoding="utf-8"))
    assert state[f"{WEEK}#linshui"]["recipients"] == ["both@example.org"]
    assert sorted(state[f"{WEEK}#fpj"]["recipients"]) == ["both@example.org", "desk@example.org"]

    # The retry reaches only the recipient that subscription has not reached; the rest are recorded.
    inbox.messages.clear()
    again = send(tmp_path, week300, toml)
    assert again.exit_code == 0, again.output
    assert [sorted(r) for r, _ in inbox.messages] == [["county@example.org"]]
    retried = email.message_from_bytes(inbox.messages[0][1], policy=policy.default)
    assert retried["Subject"] == county["Subject"]
    assert again.output.count("already sent") == 2
    inbox.messages.clear()
    third = send(tmp_path, week300, toml)
    assert third.exit_code == 0 and inbox.messages == [] and third.output.count("already sent") == 3


def test_dry_run_writes_one_recognisable_eml_per_subscription(tmp_path, week300):
    toml = config(tmp_path, 'to = ["team@example.org"]\nunsubscribe = "mailto:leave@example.org"\n' + SUBSCRIPTIONS)
    result = send(tmp_path, week300, toml, "--dry-run")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert sorted(p.name for p in out.glob("*.eml")) == [f"{WEEK}.eml", f"{WEEK}.fpj.eml", f"{WEEK}.linshui.eml"]
    from briefing.files import is_brief_output

    for path in out.glob("*.eml"):
        assert is_brief_output(path), path
        message = read_eml(path)
        assert message["List-Unsubscribe"] == "<mailto:leave@example.org>" and not message["List-Unsubscribe-Post"]
    assert "subscription linshui" in result.output


@pytest.mark.parametrize(
    ("table", "error"),
    [
        ('name = "x"\nto = ["a@example.org"]\nregions = ["火星省"]', "no province, city or county"),
        ('name = "x"\nto = ["a@example.org"]\nthemes = ["防返贫"]', "is no theme"),
        ('name = "广安"\nto = ["a@example.org"]', "letters, digits"),
        ('name = "x"', "'to' is missing"),
        ('name = "x"\nto = ["a@example.org"]\nmin_level = "村级"', "is no level"),
        ('name = "x"\nto = ["a@example.org"]\nfrequency = "daily"', "unknown key 'frequency'"),
    ],
)
def test_a_bad_subscription_is_a_config_error(tmp_path, table, error):
    toml = config(tmp_path, f"[[subscription]]\n{table}\n")
    result = invoke(["--config", toml, "config"], tmp_path)
    assert result.exit_code == 2 and error in result.output, result.output


LEVELLED = {
    "province.txt": "四川省召开防止返贫动态监测帮扶工作推进会\n2026年12月8日，四川省召开防止返贫动态监测帮扶工作"
    "推进会，省委副书记王明远主持会议并讲话。会议要求，各地要压实责任，确保不发生规模性返贫。\n",
    "county.txt": "邻水县召开衔接资金项目推进会\n2026年12月9日，邻水县召开衔接资金项目推进会，县委书记李春华主持会议。"
    "会议强调，要加快衔接资金支出进度，12月底前完成全部项目验收。\n",
    "town.txt": "五龙镇召开人居环境整治推进会\n2026年12月10日，甘肃省天水市麦积区五龙镇召开人居环境整治推进会，"
    "镇党委书记刘洋主持会议。会议要求，各村要抓好垃圾清运和改厕工作。\n",
}


@pytest.mark.parametrize(
    ("level", "expected"),
    [("省级", {"province.txt"}), ("县级", {"province.txt", "county.txt"}), ("乡镇级", set(LEVELLED))],
)
def test_min_level_keeps_the_meetings_at_that_level_or_above(tmp_path, level, expected):
    inp = tmp_path / "in"
    inp.mkdir()
    for name, text in LEVELLED.items():
        (inp / name).write_text(text, encoding="utf-8")
        os.utime(inp / name, (IN_WEEK, IN_WEEK))
    toml = config(tmp_path, f'[[subscription]]\nname = "lvl"\nto = ["a@example.org"]\nmin_level = "{level}"\n')
    result = send(tmp_path, inp, toml, "--dry-run")
    assert result.exit_code == 0, result.output
    plain, _html = parts(read_eml(tmp_path / "out" / f"{WEEK}.lvl.eml"))
    titles = {name: text.split("\n", 1)[0] for name, text in LEVELLED.items()}
    assert {name for name, title in titles.items() if title in plain} == expected, plain
    assert f"{level}及以上会议" in plain


def test_a_subject_template_with_every_placeholder(tmp_path, week300):
    subject = "周报 {week} {label} {meetings} 场 {count} 篇"
    toml = config(tmp_path, f'to = ["team@example.org"]\nsubject = "{subject}"\n')
    result = send(tmp_path, week300, toml, "--dry-run")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / f"{WEEK}.json").read_text(encoding="utf-8"))
    expected = f"周报 {WEEK} {LABEL} {len(data['events'])} 场 {data['stats']['reports']} 篇"
    assert read_eml(tmp_path / "out" / f"{WEEK}.eml")["Subject"] == expected


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(
    not chromium() and not os.environ.get("BRIEF_REQUIRE_CHROMIUM"),
    reason="headless Chromium is not installed (.ci/run installs it and sets BRIEF_REQUIRE_CHROMIUM)",
)
def test_the_300_meeting_email_has_no_sideways_scrolling_on_a_390_px_phone(tmp_path, week300):
    toml = config(tmp_path, 'to = ["team@example.org"]\n[wiki]\nurl = "' + WIKI + '"\n')
    assert send(tmp_path, week300, toml, "--dry-run").exit_code == 0
    (tmp_path / "mail.html").write_text(parts(read_eml(tmp_path / "out" / f"{WEEK}.eml"))[1], encoding="utf-8")
    # Headless Chromium's window is at least 500 px wide: the email is laid out in a 390 px frame.
    (tmp_path / "probe.html").write_text(
        '<!DOCTYPE html><html><head><title>probe</title></head><body style="margin:0">'
        '<iframe id="f" src="mail.html" style="width:390px;height:1400px;border:0"></iframe><script>'
        "document.getElementById('f').onload = function () { var d = this.contentDocument.documentElement;"
        " document.title = 'W' + d.scrollWidth + ' C' + d.clientWidth; };</script></body></html>",
        encoding="utf-8",
    )
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    dom = subprocess.run(
        [chromium(), *flags, "--allow-file-access-from-files", f"--user-data-dir={tmp_path / 'profile'}",
         "--window-size=800,1400", "--virtual-time-budget=10000", "--dump-dom", (tmp_path / "probe.html").as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    measured = re.search(r"<title>W(\d+) C(\d+)</title>", dom.stdout)
    assert measured, dom.stdout[:300] + dom.stderr[-500:]
    scroll_width, client_width = map(int, measured.groups())
    assert client_width <= 390 and scroll_width <= client_width, measured.group(0)
