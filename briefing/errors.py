"""Typed errors. Each carries a hint that tells the user what to do next."""

from __future__ import annotations


class BriefError(Exception):
    """Base class; the CLI turns it into a one-line message (exit 2 unless said otherwise)."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} ({self.hint})" if self.hint else base


class ConfigError(BriefError):
    """brief.toml, an environment variable or a flag has a value we cannot use."""


class UsageError(BriefError):
    """Arguments that do not make sense together, or a week that is not a week."""


class SkipFile(Exception):
    """Raised by a stage for one input file; the run records the reason and goes on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
