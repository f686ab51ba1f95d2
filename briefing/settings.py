"""One Settings object: packaged defaults < brief.toml < environment < command-line flags.

Unknown keys in brief.toml are errors (a typo must not be silently ignored). Secrets never live
here in clear: they are read from the environment by the stage that needs them.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from .errors import ConfigError

FORMATS = ("md", "html", "json")
SELECT_BY = ("collected", "date")


@dataclass(frozen=True)
class Settings:
    input: Path = Path("reports")
    out: Path = Path("out")
    formats: tuple[str, ...] = FORMATS
    select_by: str = "collected"  # what places a report in a week: when it was collected, or its date
    templates: Path | None = None  # a folder searched before the packaged templates
    max_bytes: int = 5 * 1024 * 1024
    summarizer: str | None = None  # None: seq2seq when a model is configured, else extractive
    summary_max_chars: int = 120
    summary_max_sentences: int = 3
    # [model]: the seq2seq backend
    model: str | None = None  # folder under models/, a local path, or a hub id
    model_revision: str | None = None
    model_prefix: str = ""
    device: str = "auto"
    token_budget: int = 8192
    max_batch: int = 64
    decode_rows: int = 128
    max_input_tokens: int | None = None
    threads: int | None = None
    model_engine: str = "auto"  # auto | ctranslate2 | torch: summarize/runtime.py decides "auto"
    model_precision: str = "auto"  # auto | float32 | int8 | int8_float32 | int8_float16 | float16 | bfloat16
    cache_dir: Path | None = None
    use_cache: bool = True
    online: bool = False
    num_beams: int = 4
    max_new_tokens: int = 96
    min_new_tokens: int = 16
    no_repeat_ngram_size: int = 3
    length_penalty: float = 1.0
    # [email] and [smtp]: `brief send`. The password is read from the environment variable
    # named by smtp_password_env, never from a file or a flag.
    email_from: str | None = None
    email_to: tuple[str, ...] = ()
    email_cc: tuple[str, ...] = ()
    email_bcc: tuple[str, ...] = ()
    reply_to: str | None = None
    subject: str = "乡村振兴周报 {week}（{count} 篇）"
    email_max_bytes: int = 10 * 1024 * 1024  # a bigger message is refused before sending
    smtp_host: str = "localhost"
    smtp_port: int | None = None  # default by security: 587 starttls, 465 tls, 25 none
    smtp_security: str = "starttls"
    smtp_user: str | None = None
    smtp_password_env: str = "BRIEF_SMTP_PASSWORD"
    smtp_timeout: float = 30.0
    smtp_retries: int = 3
    smtp_backoff: float = 2.0
    smtp_deadline: float = 120.0  # seconds for a whole delivery attempt (timeout is per read)
    smtp_allow_plaintext_login: bool = False  # security = "none" with a login sends the password in clear
    # [wiki]: `brief publish`
    wiki_dir: Path | None = None
    wiki_page: str = "乡村振兴周报-{week}"
    wiki_index: tuple[str, ...] = ("Home",)
    wiki_push: bool = False
    wiki_remote: str = "origin"
    # [store]: the archive of reports and digests (default OUT/brief.db)
    store_path: Path | None = None
    # [email] volume_threshold: above this many events the email lists one line per event
    volume_threshold: int = 30
    config_file: Path | None = field(default=None, compare=False)

    @property
    def store(self) -> Path:
        """The archive file: [store] path, else brief.db in the output folder."""
        return self.store_path if self.store_path is not None else self.out / "brief.db"

    @property
    def backend(self) -> str:
        return self.summarizer or ("seq2seq" if self.model else "extractive")

    def summarizer_options(self) -> dict[str, object]:
        return {"max_chars": self.summary_max_chars, "max_sentences": self.summary_max_sentences}


# brief.toml layout: section -> key -> Settings field
_FILE_KEYS: dict[str, dict[str, str]] = {
    "build": {
        "input": "input",
        "out": "out",
        "formats": "formats",
        "select_by": "select_by",
        "templates": "templates",
    },
    "ingest": {"max_bytes": "max_bytes"},
    "summarize": {"backend": "summarizer", "max_chars": "summary_max_chars", "max_sentences": "summary_max_sentences"},
    "model": {
        "name": "model",
        "revision": "model_revision",
        "prefix": "model_prefix",
        "device": "device",
        "token_budget": "token_budget",
        "max_batch": "max_batch",
        "decode_rows": "decode_rows",
        "max_input_tokens": "max_input_tokens",
        "threads": "threads",
        "engine": "model_engine",
        "precision": "model_precision",
        "cache_dir": "cache_dir",
        "cache": "use_cache",
        "online": "online",
        "num_beams": "num_beams",
        "max_new_tokens": "max_new_tokens",
        "min_new_tokens": "min_new_tokens",
        "no_repeat_ngram_size": "no_repeat_ngram_size",
        "length_penalty": "length_penalty",
    },
    "email": {
        "from": "email_from",
        "to": "email_to",
        "cc": "email_cc",
        "bcc": "email_bcc",
        "reply_to": "reply_to",
        "subject": "subject",
        "max_bytes": "email_max_bytes",
        "volume_threshold": "volume_threshold",
    },
    "smtp": {
        "host": "smtp_host",
        "port": "smtp_port",
        "security": "smtp_security",
        "user": "smtp_user",
        "password_env": "smtp_password_env",
        "timeout": "smtp_timeout",
        "retries": "smtp_retries",
        "backoff": "smtp_backoff",
        "deadline": "smtp_deadline",
        "allow_plaintext_login": "smtp_allow_plaintext_login",
    },
    "wiki": {
        "dir": "wiki_dir",
        "page": "wiki_page",
        "index": "wiki_index",
        "push": "wiki_push",
        "remote": "wiki_remote",
    },
    "store": {"path": "store_path"},
}
# Settings fields whose command-line option is spelled differently.
_FLAG_NAMES = {
    "formats": "--format",
    "select_by": "--by",
    "use_cache": "--no-cache",
    "email_from": "--from",
    "email_to": "--to",
    "email_cc": "--cc",
    "email_bcc": "--bcc",
    "wiki_dir": "--wiki",
    "wiki_push": "--push",
    "store_path": "--store",
    "model_engine": "--engine",
    "model_precision": "--precision",
}
_ENV_KEYS = {
    "BRIEF_INPUT": "input",
    "BRIEF_OUT": "out",
    "BRIEF_FORMATS": "formats",
    "BRIEF_SELECT_BY": "select_by",
    "BRIEF_TEMPLATES": "templates",
    "BRIEF_SUMMARIZER": "summarizer",
    "BRIEF_MODEL": "model",
    "BRIEF_DEVICE": "device",
    "BRIEF_ENGINE": "model_engine",
    "BRIEF_PRECISION": "model_precision",
    "BRIEF_CACHE_DIR": "cache_dir",
    "BRIEF_EMAIL_FROM": "email_from",
    "BRIEF_EMAIL_TO": "email_to",
    "BRIEF_SMTP_HOST": "smtp_host",
    "BRIEF_SMTP_PORT": "smtp_port",
    "BRIEF_SMTP_USER": "smtp_user",
    "BRIEF_WIKI_DIR": "wiki_dir",
    "BRIEF_STORE": "store_path",
}
_PATHS = {"input", "out", "templates", "cache_dir", "wiki_dir", "store_path"}
_LISTS = {"email_to", "email_cc", "email_bcc", "wiki_index"}
_FLOATS = {"length_penalty", "smtp_timeout", "smtp_backoff", "smtp_deadline"}
_CHOICES = {
    "smtp_security": ("starttls", "tls", "none"),
    "model_engine": ("auto", "ctranslate2", "torch"),
    "model_precision": ("auto", "float32", "int8", "int8_float32", "int8_float16", "float16", "bfloat16"),
}
_POSITIVE_INTS = {
    "max_bytes", "summary_max_chars", "summary_max_sentences", "token_budget", "max_batch", "decode_rows",
    "max_input_tokens", "threads", "num_beams", "max_new_tokens", "smtp_port", "email_max_bytes",
}  # fmt: skip
_NATURALS = {"min_new_tokens", "no_repeat_ngram_size", "smtp_retries", "volume_threshold"}
_BOOLS = {"use_cache", "online", "wiki_push", "smtp_allow_plaintext_login"}
# Upper bounds where a larger value is a typo, not a wish (a port of 70000 once went to 4464).
_MAXIMUM = {"smtp_port": 65535, "smtp_retries": 100, "smtp_backoff": 3600.0, "smtp_timeout": 3600.0,
            "smtp_deadline": 86400.0}  # fmt: skip
# Floats that must be above zero (a zero timeout makes every socket non-blocking).
_ABOVE_ZERO = {"smtp_timeout", "smtp_deadline"}
_ADDRESSES = {"email_from", "reply_to"}
_ADDRESS_LISTS = {"email_to", "email_cc", "email_bcc"}
# Values that end up in a header, a command line or a path: one line of printable text.
_ONE_LINE = {"smtp_host", "smtp_user", "smtp_password_env", "wiki_remote", "subject", "wiki_page"}
_NON_EMPTY = {"smtp_host", "smtp_password_env", "wiki_remote", "wiki_page"}
_TEMPLATE_FIELDS = {"subject": {"week": "2021-W34", "count": 1}, "wiki_page": {"week": "2021-W34"}}


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


def _check_file_type(name: str, value: Any) -> None:
    """TOML has types: a quoted number or a list where one address is meant is a mistake."""
    if name in _BOOLS:
        ok = isinstance(value, bool)
        wanted = "true or false"
    elif name in _POSITIVE_INTS or name in _NATURALS:
        ok = isinstance(value, int) and not isinstance(value, bool)
        wanted = "a whole number (no quotes)"
    elif name in _FLOATS:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        wanted = "a number (no quotes)"
    elif name in _LISTS or name == "formats":
        ok = isinstance(value, str) or (isinstance(value, list) and all(isinstance(i, str) for i in value))
        wanted = "a list of strings"
    else:
        ok = isinstance(value, str)
        wanted = "a string"
    if not ok:
        raise ValueError(f"must be {wanted}, not {type(value).__name__}")


def _coerce(name: str, value: Any, origin: str) -> Any:
    try:
        if name in _PATHS:
            return Path(str(value)).expanduser()
        if name == "formats":
            items = value if isinstance(value, list) else str(value).split(",")
            formats = tuple(dict.fromkeys(str(i).strip().lower() for i in items if str(i).strip()))
            bad = [f for f in formats if f not in FORMATS]
            if bad or not formats:
                raise ValueError(f"unknown format(s) {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}")
            return formats
        if name == "select_by":
            if value not in SELECT_BY:
                raise ValueError(f"must be one of {', '.join(SELECT_BY)}")
            return str(value)
        if name in _POSITIVE_INTS or name in _NATURALS:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError("must be a whole number")
            number = int(value)
            if number < (1 if name in _POSITIVE_INTS else 0):
                raise ValueError("must be a positive integer" if name in _POSITIVE_INTS else "must not be negative")
            if name in _MAXIMUM and number > _MAXIMUM[name]:
                raise ValueError(f"must be at most {_MAXIMUM[name]:g}")
            return number
        if name in _FLOATS:
            if isinstance(value, bool):
                raise ValueError("must be a number")
            number = float(value)
            if not math.isfinite(number):
                raise ValueError("must be a finite number")
            if name in _ABOVE_ZERO and number <= 0:
                raise ValueError("must be above zero")
            if name != "length_penalty" and number < 0:
                raise ValueError("must not be negative")
            if name in _MAXIMUM and number > _MAXIMUM[name]:
                raise ValueError(f"must be at most {_MAXIMUM[name]:g}")
            return number
        if name in _LISTS:
            items = value if isinstance(value, list) else str(value).split(",")
            # strip(" ") only: a line break inside an item must reach the checks below
            listed = tuple(str(i).strip(" \t") for i in items if str(i).strip())
            if name in _ADDRESS_LISTS:
                return tuple(_check_address(i) for i in listed)
            if name == "wiki_index":
                return tuple(check_wiki_path(i) for i in listed)
            return listed
        if name in _ADDRESSES:
            # reply_to = "" (or from = "") means none, as if the key were not there
            return _check_address(str(value)) if str(value).strip() else None
        if name in _CHOICES:
            if value not in _CHOICES[name]:
                raise ValueError(f"must be one of {', '.join(_CHOICES[name])}")
            return str(value)
        if name in _BOOLS:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError("must be true or false")
        text = str(value)
        if name in _ONE_LINE and _has_control(text):
            raise ValueError("must be one line without control characters")
        if name in _NON_EMPTY and not text.strip():
            raise ValueError("must not be empty")
        if name == "smtp_host" and any(ch.isspace() for ch in text):
            raise ValueError("a host name has no spaces")
        if name == "wiki_remote" and text.startswith("-"):
            raise ValueError("a remote name cannot start with '-'")  # it would be read as a git option
        if name in _TEMPLATE_FIELDS:
            try:
                sample = text.format(**_TEMPLATE_FIELDS[name])
            except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
                fields = ", ".join("{" + f + "}" for f in _TEMPLATE_FIELDS[name])
                raise ValueError(f"bad placeholder ({type(exc).__name__}: {exc}); available: {fields}") from None
            if name == "wiki_page":
                check_wiki_path(sample)
        return text
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{origin}: invalid value {value!r} for {name}: {exc}") from None


def _read_file(path: Path) -> dict[str, Any]:
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
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section not in _FILE_KEYS:
            raise ConfigError(f"{path}: unknown section [{section}]", hint=f"known: {', '.join(_FILE_KEYS)}")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: '{section}' must be a section ([{section}] with keys below it), not a value")
        for key, value in table.items():
            if key not in _FILE_KEYS[section]:
                raise ConfigError(
                    f"{path}: unknown key '{key}' in [{section}]",
                    hint=f"known: {', '.join(_FILE_KEYS[section])}",
                )
            field_name = _FILE_KEYS[section][key]
            origin = f"{path} [{section}] {key}"
            try:
                _check_file_type(field_name, value)
            except ValueError as exc:
                raise ConfigError(f"{origin}: invalid value {value!r}: {exc}") from None
            values[field_name] = _coerce(field_name, value, origin)
    return values


def load_settings(
    flags: Mapping[str, Any] | None = None,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Merge the four layers. `flags` holds only the options the user actually gave."""
    environ = os.environ if environ is None else environ
    if config_file is None and environ.get("BRIEF_CONFIG"):
        config_file = Path(environ["BRIEF_CONFIG"])
    if config_file is None and Path("brief.toml").is_file():
        config_file = Path("brief.toml")
    values: dict[str, Any] = {}
    if config_file is not None:
        values.update(_read_file(config_file))
    for env_name, field_name in _ENV_KEYS.items():
        if environ.get(env_name):
            values[field_name] = _coerce(field_name, environ[env_name], f"environment {env_name}")
    for name, value in (flags or {}).items():
        if value is not None:
            flag = _FLAG_NAMES.get(name, f"--{name.replace('_', '-')}")
            values[name] = _coerce(name, value, f"option {flag}")
    known = {f.name for f in dataclasses.fields(Settings)}
    assert set(values) <= known, set(values) - known
    return Settings(**values, config_file=config_file)


def describe_settings(settings: Settings, environ: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(key, value) rows of the effective configuration, as `brief config` prints them.

    Secrets never appear: the SMTP password is shown as set or not set, never its value.
    """
    environ = os.environ if environ is None else environ
    rows: list[tuple[str, str]] = [("config file", str(settings.config_file) if settings.config_file else "(none)")]
    for section, keys in _FILE_KEYS.items():
        for key, field_name in keys.items():
            value = getattr(settings, field_name)
            if isinstance(value, tuple):
                value = ", ".join(value) if value else ""
            rows.append((f"{section}.{key}", "" if value is None else str(value)))
    password = "set (hidden)" if environ.get(settings.smtp_password_env) else "not set"
    rows.append((f"smtp password (${settings.smtp_password_env})", password))
    return rows
