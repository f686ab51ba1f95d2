"""On-disk cache of generated summaries, so rebuilding a week does no model work.

Key: the cleaned text's hash + the model's identity (id and revision, or for a local folder a
fingerprint of its files) + every setting that changes the output (generation settings, prefix,
input limit, guard version). One small JSON file per entry, written to a temporary file and
renamed into place: two runs sharing the cache at worst both compute the same entry, and a
reader never sees half a file. A corrupt entry counts as a miss, with a warning; a cache folder
that cannot be used (a file in its place, no permission) is said once and the run goes on
without it: a cache must never cost the model work already done.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..files import write_atomic

CACHE_FORMAT = 1  # bump when the stored fields or the guard's rules change meaning


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "brief" / "summaries"


def cache_key(text: str, model_identity: str, settings: dict[str, Any]) -> str:
    payload = json.dumps(
        {
            "format": CACHE_FORMAT,
            "text": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "model": model_identity,
            "settings": settings,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class SummaryCache:
    def __init__(self, folder: Path, notify: Callable[[str], None] = lambda _m: None) -> None:
        self.folder = folder
        self.notify = notify
        self.usable = True  # False once the folder failed: said once, then left alone

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def _give_up(self, doing: str, exc: OSError) -> None:
        self.usable = False
        self.notify(
            f"summary cache {self.folder} cannot be {doing} ({exc.strerror or exc}); "
            "going on without it (check [model] cache_dir / BRIEF_CACHE_DIR)"
        )

    def get(self, key: str) -> dict[str, Any] | None:
        if not self.usable:
            return None
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._give_up("read", exc)
            return None
        try:
            entry = json.loads(raw.decode("utf-8"))
        except ValueError:  # UnicodeDecodeError is a ValueError too
            self.notify(f"summary cache entry {path} is damaged; generating it anew")
            return None
        return entry if isinstance(entry, dict) and entry.get("key") == key else None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        if not self.usable:
            return
        try:
            # Private to the user (0600), as the README promises: summaries of reports not yet published.
            write_atomic(self._path(key), json.dumps({**entry, "key": key}, ensure_ascii=False), mode=0o600)
        except OSError as exc:
            self._give_up("written", exc)
