"""One Settings object: packaged defaults < brief.toml < environment < command-line flags.

`Settings` holds one frozen section per brief.toml table ([build], [digest], [ingest], [summarize],
[model], [email], [smtp], [wiki], [store]); each stage is handed only the sections it uses. Every field
declares beside its default how it is read (`setting(...)`): its key in the section, its
environment variable if it has one, its name in messages and in `load_settings`' flags, the
command-line option that sets it, and the kind of value it takes, which checks and converts it
wherever it comes from. The loader and `describe_settings` walk these declarations; no other
table lists the keys.

Unknown keys in brief.toml are errors (a typo must not be silently ignored). Secrets never live
here in clear: they are read from the environment by the stage that needs them.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from email.utils import parseaddr
from pathlib import Path
from typing import Any, ClassVar

from .errors import ConfigError
from .text import DIGEST_TITLE

FORMATS = ("md", "html", "json")
SELECT_BY = ("collected", "date")
ENGINES = ("auto", "ctranslate2", "torch")  # summarize/runtime.py decides "auto"
PRECISIONS = ("auto", "float32", "int8", "int8_float32", "int8_float16", "float16", "bfloat16")
# What str.format raises for a template with a bad placeholder ({weeks}, {week.x}, {0}).
FORMAT_ERRORS = (KeyError, IndexError, ValueError, AttributeError, TypeError)
_SPEC = "brief.setting"  # the key of a field's Spec in its dataclass metadata


# --- checks shared by several kinds of value ------------------------------------------------------


def _has_control(text: str) -> bool:
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def _check_address(text: str) -> str:
    if _has_control(text):
        raise ValueError("an address may not contain line breaks or control characters")
    if "@" not in parseaddr(text)[1]:
        raise ValueError("not an email address (name@domain or Name <name@domain>)")
    return text


def check_wiki_path(name: str) -> str:
    """A page name inside the wiki: relative, no `..`, nothing hidden (.git), one line."""
    if not name.strip() or _has_control(name):
        raise ValueError("a wiki page name must be one non-empty line")
    if name.startswith(("/", "\\", "~")):
        raise ValueError("must be a page name inside the wiki, not an absolute path")
    parts = name.replace("\\", "/").split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        raise ValueError("must stay inside the wiki: no '..', empty or hidden path parts")
    return name


def _host_name(text: str) -> None:
    if any(ch.isspace() for ch in text):
        raise ValueError("a host name has no spaces")


def _web_address(text: str) -> None:
    if not text.startswith(("https://", "http://")) or any(ch.isspace() for ch in text):
        raise ValueError("must be an http(s):// address without spaces")


def _not_an_option(text: str) -> None:
    if text.startswith("-"):
        raise ValueError("a remote name cannot start with '-'")  # it would be read as a git option


_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _environment_name(text: str) -> None:
    # "$BRIEF_PW" or "MY-PASS" can never be set in a shell: say so now, not as a missing password.
    if not _ENV_NAME.fullmatch(text):
        raise ValueError("must be an environment variable name (letters, digits and _, not starting with a digit)")


@dataclass(frozen=True)
class Placeholders:
    """A `str.format` template, filled with sample values when it is read, so that a bad
    placeholder is a config error now rather than a failed send on Monday."""

    sample: Mapping[str, object]
    then: Callable[[str], object] | None = None  # a check of the filled-in text

    def __call__(self, text: str) -> None:
        try:
            filled = text.format(**self.sample)
        except FORMAT_ERRORS as exc:
            names = ", ".join("{" + name + "}" for name in self.sample)
            raise ValueError(f"bad placeholder ({type(exc).__name__}: {exc}); available: {names}") from None
        if self.then is not None:
            self.then(filled)


# --- kinds of value: each checks a brief.toml value's type, and checks and converts a value from
# --- any layer (a TOML value, an environment string, a flag's value). Errors are ValueError.


class Kind(ABC):
    toml_type: ClassVar[str] = "a string"  # what brief.toml must hold, for the error when it does not

    def toml_type_ok(self, raw: object) -> bool:
        """TOML has types: a quoted number or a list where one address is meant is a mistake."""
        return isinstance(raw, str)

    @abstractmethod
    def convert(self, raw: Any) -> Any:
        """The value to keep; ValueError (or TypeError) says why `raw` will not do."""


@dataclass(frozen=True)
class Text(Kind):
    """A string; `one_line` for what ends up in a header, a command line or a path."""

    one_line: bool = False
    non_empty: bool = False
    rules: tuple[Callable[[str], object], ...] = ()  # further checks, in order

    def convert(self, raw: Any) -> str:
        text = str(raw)
        if self.one_line and _has_control(text):
            raise ValueError("must be one line without control characters")
        if self.non_empty and not text.strip():
            raise ValueError("must not be empty")
        for rule in self.rules:
            rule(text)
        return text


@dataclass(frozen=True)
class Choice(Kind):
    options: tuple[str, ...]

    def convert(self, raw: Any) -> str:
        if raw not in self.options:
            raise ValueError(f"must be one of {', '.join(self.options)}")
        return str(raw)


class FilePath(Kind):
    def convert(self, raw: Any) -> Path:
        return Path(str(raw)).expanduser()


class CertificateFile(FilePath):
    """A PEM file of CA certificates, read now: a wrong path is a config error, not a TLS failure
    on Monday that looks like the server's fault."""

    def convert(self, raw: Any) -> Path:
        path = super().convert(raw)
        if not path.exists():
            raise ValueError(f"{path} does not exist")
        if not path.is_file():
            raise ValueError(f"{path} is not a file")
        import ssl

        try:
            ssl.create_default_context().load_verify_locations(cafile=str(path))
        except PermissionError:
            raise ValueError(f"{path} cannot be read (permission denied)") from None
        except (ssl.SSLError, ValueError):
            raise ValueError(f"{path} holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)") from None
        except OSError as exc:
            raise ValueError(f"{path} cannot be read ({exc.strerror or exc})") from None
        return path


class Address(Kind):
    """One email address; "" means none, as if the key were not there."""

    def convert(self, raw: Any) -> str | None:
        return _check_address(str(raw)) if str(raw).strip() else None


class Switch(Kind):
    toml_type = "true or false"

    def toml_type_ok(self, raw: object) -> bool:
        return isinstance(raw, bool)

    def convert(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ValueError("must be true or false")


@dataclass(frozen=True)
class Whole(Kind):
    """A whole number of at least `minimum` (1 or 0) and, where a larger one is a typo rather
    than a wish, at most `maximum` (a port of 70000 once went to 4464)."""

    toml_type: ClassVar[str] = "a whole number (no quotes)"
    minimum: int = 1
    maximum: int | None = None

    def toml_type_ok(self, raw: object) -> bool:
        return isinstance(raw, int) and not isinstance(raw, bool)

    def convert(self, raw: Any) -> int:
        if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
            raise ValueError("must be a whole number")
        number = int(raw)
        if number < self.minimum:
            raise ValueError("must be a positive integer" if self.minimum > 0 else "must not be negative")
        if self.maximum is not None and number > self.maximum:
            raise ValueError(f"must be at most {self.maximum:g}")
        return number


@dataclass(frozen=True)
class Number(Kind):
    """A finite number: not negative unless `signed`, above zero where zero breaks something."""

    toml_type: ClassVar[str] = "a number (no quotes)"
    above_zero: bool = False
    signed: bool = False
    maximum: float | None = None

    def toml_type_ok(self, raw: object) -> bool:
        return isinstance(raw, int | float) and not isinstance(raw, bool)

    def convert(self, raw: Any) -> float:
        if isinstance(raw, bool):
            raise ValueError("must be a number")
        number = float(raw)
        if not math.isfinite(number):
            raise ValueError("must be a finite number")
        if self.above_zero and number <= 0:
            raise ValueError("must be above zero")
        if not self.signed and number < 0:
            raise ValueError("must not be negative")
        if self.maximum is not None and number > self.maximum:
            raise ValueError(f"must be at most {self.maximum:g}")
        return number


class _ListKind(Kind):
    """A TOML list of strings, or one comma-separated string (the environment, a flag)."""

    toml_type = "a list of strings"

    def toml_type_ok(self, raw: object) -> bool:
        return isinstance(raw, str) or (isinstance(raw, list) and all(isinstance(i, str) for i in raw))

    @staticmethod
    def items(raw: Any) -> list[Any]:
        return raw if isinstance(raw, list) else str(raw).split(",")


@dataclass(frozen=True)
class Texts(_ListKind):
    item: Callable[[str], str] | None = None  # checks one item

    def convert(self, raw: Any) -> tuple[str, ...]:
        # strip(" ") only: a line break inside an item must reach the item's check
        listed = tuple(str(i).strip(" \t") for i in self.items(raw) if str(i).strip())
        return listed if self.item is None else tuple(self.item(i) for i in listed)


class Formats(_ListKind):
    """Output formats: case and order as given, repeats dropped, at least one."""

    def convert(self, raw: Any) -> tuple[str, ...]:
        formats = tuple(dict.fromkeys(str(i).strip().lower() for i in self.items(raw) if str(i).strip()))
        bad = [f for f in formats if f not in FORMATS]
        if bad or not formats:
            raise ValueError(f"unknown format(s) {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}")
        return formats


# --- a field's declaration ---------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """How one setting is read. `name` is the setting's name in messages and its key in
    `load_settings`' flags; `key` its key in its brief.toml section; `flag` the command-line option
    that sets it, as messages name it. Each defaults to what the field's name gives."""

    kind: Kind
    name: str | None = None
    key: str | None = None
    env: str | None = None  # the environment variable, for the settings that have one
    flag: str | None = None


def setting(
    default: Any,
    kind: Kind,
    *,
    name: str | None = None,
    key: str | None = None,
    env: str | None = None,
    flag: str | None = None,
) -> Any:
    """A section's field: its default beside how it is read (see Spec)."""
    return field(default=default, metadata={_SPEC: Spec(kind, name=name, key=key, env=env, flag=flag)})


# --- the sections --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildSettings:
    """[build]: what `brief build` reads and writes."""

    input: Path = setting(Path("reports"), FilePath(), env="BRIEF_INPUT")
    out: Path = setting(Path("out"), FilePath(), env="BRIEF_OUT")
    formats: tuple[str, ...] = setting(FORMATS, Formats(), env="BRIEF_FORMATS", flag="--format")
    # what places a report in a week: when it was collected, or its date
    select_by: str = setting("collected", Choice(SELECT_BY), env="BRIEF_SELECT_BY", flag="--by")
    # a folder searched before the packaged templates
    templates: Path | None = setting(None, FilePath(), env="BRIEF_TEMPLATES")


def check_region_name(name: str) -> str:
    """A province, city or county of the division list, as people write it (四川省, 四川, 广安市)."""
    from .extract.gazetteer import COUNTY, load_gazetteer

    if not any(place.level <= COUNTY for place in load_gazetteer().find(name.strip())):
        raise ValueError(f"'{name}' is no province, city or county of the division list")
    return name.strip()


@dataclass(frozen=True)
class DigestSettings:
    """[digest]: how the week's digest is laid out."""

    # meetings held more than this many days before the week go to 往期会议（本周采集）
    recent_days: int = setting(14, Whole(minimum=0, maximum=36500), name="digest_recent_days", env="BRIEF_RECENT_DAYS")
    # regions listed first (their province first, then these places inside it)
    home: tuple[str, ...] = setting((), Texts(check_region_name), name="digest_home", env="BRIEF_HOME")


@dataclass(frozen=True)
class IngestSettings:
    """[ingest]: reading the input files."""

    # a meeting report is a few KB; 5 MiB is already absurd
    max_bytes: int = setting(5 * 1024 * 1024, Whole())


@dataclass(frozen=True)
class SummarizeSettings:
    """[summarize]: which backend, and the extractive summaries' length."""

    # None: seq2seq when a model is configured, else extractive (Settings.backend)
    backend: str | None = setting(None, Text(), name="summarizer", env="BRIEF_SUMMARIZER")
    max_chars: int = setting(135, Whole(), name="summary_max_chars")
    max_sentences: int = setting(3, Whole(), name="summary_max_sentences")


@dataclass(frozen=True)
class ModelSettings:
    """[model]: the seq2seq backend (summarize/seq2seq.py builds its options from this)."""

    # folder under models/, a local path, or a hub id
    name: str | None = setting(None, Text(), name="model", env="BRIEF_MODEL")
    revision: str | None = setting(None, Text(), name="model_revision")
    # the task prefix, e.g. "summarize: " for T5; empty: the checkpoint's own (task_specific_params)
    prefix: str = setting("", Text(), name="model_prefix")
    device: str = setting("auto", Text(), env="BRIEF_DEVICE")  # auto | cpu | cuda | cuda:N | mps
    token_budget: int = setting(8192, Whole())  # padded input tokens per encoder batch
    max_batch: int = setting(64, Whole())  # reports per batch
    decode_rows: int = setting(128, Whole())  # sequences decoded together (reports × beams)
    max_input_tokens: int | None = setting(None, Whole())  # default: the tokenizer's limit, else 512
    threads: int | None = setting(None, Whole())  # CPU threads; default: all cores
    engine: str = setting("auto", Choice(ENGINES), name="model_engine", env="BRIEF_ENGINE", flag="--engine")
    precision: str = setting(
        "auto", Choice(PRECISIONS), name="model_precision", env="BRIEF_PRECISION", flag="--precision"
    )
    cache_dir: Path | None = setting(None, FilePath(), env="BRIEF_CACHE_DIR")
    cache: bool = setting(True, Switch(), name="use_cache", flag="--no-cache")
    online: bool = setting(False, Switch())  # allow downloads from the hub
    num_beams: int = setting(4, Whole())
    max_new_tokens: int = setting(96, Whole())
    min_new_tokens: int = setting(16, Whole(minimum=0))
    no_repeat_ngram_size: int = setting(3, Whole(minimum=0))
    length_penalty: float = setting(1.0, Number(signed=True))


def _check_unsubscribe(text: str) -> None:
    # RFC 2369 takes mailto: and http(s) addresses; one-click (RFC 8058) needs https.
    if text.startswith("mailto:"):
        _check_address(text.removeprefix("mailto:").split("?", 1)[0])
    elif not text.startswith("https://") or any(ch.isspace() for ch in text) or len(text) <= len("https://"):
        raise ValueError('must be "mailto:address" or an "https://" address without spaces')


# What the subject template is filled with when it is read, to check its placeholders.
SUBJECT_SAMPLE = {"week": "2021-W34", "count": 1, "label": "2021年第34周（8月23日—29日）", "meetings": 1}


@dataclass(frozen=True)
class EmailSettings:
    """[email]: the message `brief send` composes."""

    sender: str | None = setting(None, Address(), name="email_from", key="from", env="BRIEF_EMAIL_FROM", flag="--from")
    to: tuple[str, ...] = setting((), Texts(_check_address), name="email_to", env="BRIEF_EMAIL_TO", flag="--to")
    cc: tuple[str, ...] = setting((), Texts(_check_address), name="email_cc", flag="--cc")
    bcc: tuple[str, ...] = setting((), Texts(_check_address), name="email_bcc", flag="--bcc")
    reply_to: str | None = setting(None, Address())
    # {label}: 2026年第50周（12月7日—13日）; {meetings}: the week's meetings; {week}: 2026-W50; {count}: reports
    subject: str = setting(
        f"{DIGEST_TITLE}｜{{label}}：{{meetings}}场会议", Text(one_line=True, rules=(Placeholders(SUBJECT_SAMPLE),))
    )
    # a bigger message is refused before sending
    max_bytes: int = setting(10 * 1024 * 1024, Whole(), name="email_max_bytes")
    # digest.compact_email for your own email templates: above this many events
    volume_threshold: int = setting(30, Whole(minimum=0))
    # the most important meetings the email gives in full; the others one line each
    full_cards: int = setting(10, Whole(minimum=0, maximum=1000))
    # List-Unsubscribe and the footer's line: "mailto:address" or "https://…"
    unsubscribe: str | None = setting(None, Text(one_line=True, rules=(_check_unsubscribe,)))


_SUBSCRIPTION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")


def check_theme_name(name: str) -> str:
    """A theme of the overview's taxonomy (briefing/overview.py THEMES)."""
    from .overview import THEMES

    names = [theme for theme, _ in THEMES]
    if name.strip() not in names:
        raise ValueError(f"'{name}' is no theme; themes: {'、'.join(names)}")
    return name.strip()


# The levels a subscription may ask for, highest first (overview.meeting_level reads a meeting's).
SUBSCRIPTION_LEVELS = ("省级", "市级", "县级", "乡镇级")


def check_level_name(name: str) -> None:
    """A level a subscription may ask for (a Text rule: ValueError otherwise)."""
    if name not in SUBSCRIPTION_LEVELS:
        raise ValueError(f"'{name}' is no level; levels: {'、'.join(SUBSCRIPTION_LEVELS)}")


@dataclass(frozen=True)
class SubscriptionSettings:
    """One [[subscription]] of brief.toml: its own digest of the week, filtered to its regions
    and themes (an event must match both when both are given), to its own recipients."""

    name: str  # letters, digits, - and _: it names the .eml of a dry run and the send record
    to: tuple[str, ...]
    regions: tuple[str, ...] = ()  # provinces, cities or counties of the division list
    themes: tuple[str, ...] = ()  # themes of briefing/overview.py
    min_level: str | None = None  # 省级, 市级, 县级 or 乡镇级: meetings at this level or above

    @property
    def description(self) -> str:
        """What the subscription covers, for the reader: 地区：广安市；主题：防返贫监测."""
        parts = (
            f"地区：{'、'.join(self.regions)}" if self.regions else "",
            f"主题：{'、'.join(self.themes)}" if self.themes else "",
            f"{self.min_level}及以上会议" if self.min_level else "",
        )
        return "；".join(part for part in parts if part) or "全部会议"


_SUBSCRIPTION_KEYS: dict[str, Kind] = {
    "name": Text(one_line=True, non_empty=True),
    "to": Texts(_check_address),
    "regions": Texts(check_region_name),
    "themes": Texts(check_theme_name),
    "min_level": Text(one_line=True, non_empty=True, rules=(check_level_name,)),
}


def read_subscriptions(path: Path, tables: object) -> tuple[SubscriptionSettings, ...]:
    """The [[subscription]] tables of brief.toml, each key checked like any setting."""
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{path}: 'subscription' must be tables ([[subscription]] with keys below each)")
    subscriptions: list[SubscriptionSettings] = []
    for number, table in enumerate(tables, 1):
        where = f"{path} [[subscription]] {number}"
        values: dict[str, Any] = {}
        for key, raw in table.items():
            kind = _SUBSCRIPTION_KEYS.get(key)
            if kind is None:
                raise ConfigError(f"{where}: unknown key '{key}'", hint=f"known: {', '.join(_SUBSCRIPTION_KEYS)}")
            if not kind.toml_type_ok(raw):
                raise ConfigError(f"{where} {key}: invalid value {raw!r}: must be {kind.toml_type}")
            try:
                values[key] = kind.convert(raw)
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"{where} {key}: invalid value {raw!r}: {exc}") from None
        for key in ("name", "to"):
            if not values.get(key):
                raise ConfigError(f"{where}: '{key}' is missing", hint='e.g. name = "guangan", to = ["a@example.org"]')
        if not _SUBSCRIPTION_NAME.fullmatch(values["name"]):
            raise ConfigError(
                f"{where} name: invalid value {values['name']!r}: letters, digits, - and _ only, at most 40",
                hint='the name goes into file names and Message-IDs, e.g. name = "guangan-fpj"',
            )
        if any(s.name == values["name"] for s in subscriptions):
            raise ConfigError(f"{where} name: '{values['name']}' names two subscriptions")
        subscriptions.append(SubscriptionSettings(**values))
    return tuple(subscriptions)


@dataclass(frozen=True)
class SmtpSettings:
    """[smtp]: the server `brief send` delivers to. The password is read from the environment
    variable named by password_env, never from a file or a flag."""

    host: str = setting(
        "localhost", Text(one_line=True, non_empty=True, rules=(_host_name,)), name="smtp_host", env="BRIEF_SMTP_HOST"
    )
    # None: by security, 587 starttls, 465 tls, 25 none
    port: int | None = setting(None, Whole(maximum=65535), name="smtp_port", env="BRIEF_SMTP_PORT")
    security: str = setting("starttls", Choice(("starttls", "tls", "none")), name="smtp_security")
    user: str | None = setting(None, Text(one_line=True), name="smtp_user", env="BRIEF_SMTP_USER")
    password_env: str = setting(
        "BRIEF_SMTP_PASSWORD", Text(one_line=True, non_empty=True, rules=(_environment_name,)), name="smtp_password_env"
    )
    # seconds per read; above zero, since a zero timeout makes every socket non-blocking
    timeout: float = setting(30.0, Number(above_zero=True, maximum=3600.0), name="smtp_timeout")
    retries: int = setting(3, Whole(minimum=0, maximum=100), name="smtp_retries")
    backoff: float = setting(2.0, Number(maximum=3600.0), name="smtp_backoff")
    # seconds for a whole delivery attempt (timeout is per read)
    deadline: float = setting(120.0, Number(above_zero=True, maximum=86400.0), name="smtp_deadline")
    # security = "none" with a login sends the password in clear
    allow_plaintext_login: bool = setting(False, Switch(), name="smtp_allow_plaintext_login")
    # CA certificates (PEM) trusted besides the system's, e.g. a company CA that signed the relay's certificate
    ca_file: Path | None = setting(None, CertificateFile(), name="smtp_ca_file", env="BRIEF_SMTP_CA_FILE")


@dataclass(frozen=True)
class WikiSettings:
    """[wiki]: where `brief publish` writes the week's page."""

    dir: Path | None = setting(None, FilePath(), name="wiki_dir", env="BRIEF_WIKI_DIR", flag="--wiki")
    page: str = setting(
        f"{DIGEST_TITLE}-{{week}}",
        Text(one_line=True, non_empty=True, rules=(Placeholders({"week": "2021-W34"}, then=check_wiki_path),)),
        name="wiki_page",
    )
    index: tuple[str, ...] = setting(("Home",), Texts(check_wiki_path), name="wiki_index")
    push: bool = setting(False, Switch(), name="wiki_push", flag="--push")
    remote: str = setting("origin", Text(one_line=True, non_empty=True, rules=(_not_an_option,)), name="wiki_remote")
    # where readers open the wiki's pages (https://github.com/team/project/wiki): the email links there
    url: str | None = setting(None, Text(one_line=True, rules=(_web_address,)), name="wiki_url", env="BRIEF_WIKI_URL")


@dataclass(frozen=True)
class StoreSettings:
    """[store]: the archive of reports and digests."""

    # None: brief.db in the output folder (Settings.store_file)
    path: Path | None = setting(None, FilePath(), name="store_path", env="BRIEF_STORE", flag="--store")


@dataclass(frozen=True)
class Settings:
    """Every section, each under its brief.toml table name."""

    build: BuildSettings = field(default_factory=BuildSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    summarize: SummarizeSettings = field(default_factory=SummarizeSettings)
    model: ModelSettings = field(default_factory=ModelSettings)
    email: EmailSettings = field(default_factory=EmailSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    wiki: WikiSettings = field(default_factory=WikiSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    subscriptions: tuple[SubscriptionSettings, ...] = ()  # [[subscription]] tables
    config_file: Path | None = field(default=None, compare=False)

    @property
    def store_file(self) -> Path:
        """The archive file: [store] path, else brief.db in the output folder."""
        return self.store.path if self.store.path is not None else self.build.out / "brief.db"

    @property
    def backend(self) -> str:
        """The summarizer: [summarize] backend, else seq2seq once [model] name is set, else extractive."""
        return self.summarize.backend or ("seq2seq" if self.model.name else "extractive")


# --- the loader ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Setting:
    """A field's Spec with its defaults filled in, and where the field lives."""

    section: str
    attribute: str  # the field's name in its section's dataclass
    key: str
    name: str
    env: str | None
    flag: str
    kind: Kind

    def read(self, value: Any, origin: str) -> Any:
        try:
            return self.kind.convert(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{origin}: invalid value {value!r} for {self.name}: {exc}") from None

    def in_file(self, path: Path) -> str:
        return f"{path} [{self.section}] {self.key}"

    def in_environment(self) -> str:
        return f"environment {self.env}"

    def in_flags(self) -> str:
        return f"option {self.flag}"


def _walk() -> dict[str, tuple[type, tuple[_Setting, ...]]]:
    """section name -> (its dataclass, its settings in declaration order)."""
    sections: dict[str, tuple[type, tuple[_Setting, ...]]] = {}
    for section in fields(Settings):
        if section.name in ("config_file", "subscriptions"):
            continue
        cls = section.default_factory  # each section's dataclass is its field's default factory
        assert isinstance(cls, type), section.name
        declared = []
        for f in fields(cls):
            spec: Spec = f.metadata[_SPEC]
            name = spec.name or f.name
            flag = spec.flag or f"--{name.replace('_', '-')}"
            declared.append(_Setting(section.name, f.name, spec.key or f.name, name, spec.env, flag, spec.kind))
        sections[section.name] = (cls, tuple(declared))
    return sections


_SECTIONS = _walk()
_BY_NAME = {s.name: s for _, declared in _SECTIONS.values() for s in declared}


def _read_file(path: Path) -> tuple[list[tuple[_Setting, Any]], tuple[SubscriptionSettings, ...]]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason})", hint="save the file as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    values: list[tuple[_Setting, Any]] = []
    subscriptions = read_subscriptions(path, data.pop("subscription")) if "subscription" in data else ()
    for section, table in data.items():
        if section not in _SECTIONS:
            raise ConfigError(
                f"{path}: unknown section [{section}]", hint=f"known: {', '.join(_SECTIONS)}, [[subscription]]"
            )
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: '{section}' must be a section ([{section}] with keys below it), not a value")
        by_key = {s.key: s for s in _SECTIONS[section][1]}
        for key, value in table.items():
            if key not in by_key:
                raise ConfigError(f"{path}: unknown key '{key}' in [{section}]", hint=f"known: {', '.join(by_key)}")
            declared = by_key[key]
            origin = declared.in_file(path)
            if not declared.kind.toml_type_ok(value):
                wanted = f"must be {declared.kind.toml_type}, not {type(value).__name__}"
                raise ConfigError(f"{origin}: invalid value {value!r}: {wanted}")
            values.append((declared, declared.read(value, origin)))
    return values, subscriptions


def load_settings(
    flags: Mapping[str, Any] | None = None,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Merge the four layers. `flags` holds only the options the user actually gave, keyed by
    each setting's name (`email_from`, `wiki_dir`, ...); None means not given."""
    environ = os.environ if environ is None else environ
    if config_file is None and environ.get("BRIEF_CONFIG"):
        config_file = Path(environ["BRIEF_CONFIG"])
    if config_file is None and Path("brief.toml").is_file():
        config_file = Path("brief.toml")
    values: dict[str, dict[str, Any]] = {section: {} for section in _SECTIONS}  # section -> field -> value
    subscriptions: tuple[SubscriptionSettings, ...] = ()
    if config_file is not None:
        read, subscriptions = _read_file(config_file)
        for declared, value in read:
            values[declared.section][declared.attribute] = value
    for _, declared_settings in _SECTIONS.values():
        for declared in declared_settings:
            if declared.env and environ.get(declared.env):
                value = declared.read(environ[declared.env], declared.in_environment())
                values[declared.section][declared.attribute] = value
    for name, value in (flags or {}).items():
        if value is not None:
            declared = _BY_NAME[name]  # a KeyError here is a flag the CLI maps to no setting: a bug
            values[declared.section][declared.attribute] = declared.read(value, declared.in_flags())
    sections = {section: cls(**values[section]) for section, (cls, _) in _SECTIONS.items()}
    return Settings(**sections, subscriptions=subscriptions, config_file=config_file)


def describe_settings(settings: Settings, environ: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(key, value) rows of the effective configuration, as `brief config` prints them.

    Secrets never appear: the SMTP password is shown as set or not set, never its value.
    """
    environ = os.environ if environ is None else environ
    rows: list[tuple[str, str]] = [("config file", str(settings.config_file) if settings.config_file else "(none)")]
    for section, (_, declared_settings) in _SECTIONS.items():
        for declared in declared_settings:
            value = getattr(getattr(settings, section), declared.attribute)
            if isinstance(value, tuple):
                value = ", ".join(value) if value else ""
            rows.append((f"{section}.{declared.key}", "" if value is None else str(value)))
    for subscription in settings.subscriptions:
        rows.append((f"subscription.{subscription.name}", f"{', '.join(subscription.to)} ({subscription.description})"))
    password_env = settings.smtp.password_env
    password = "set (hidden)" if environ.get(password_env) else "not set"
    rows.append((f"smtp password (${password_env})", password))
    return rows
