"""On-disk cache of generated summaries, so rebuilding a week does no model work.

Key: the cleaned text's hash + the model's identity (id and revision, or for a local folder a
fingerprint of its files) + every setting that changes the output (generation settings, prefix,
input limit, guard version). One small JSON file per entry, written to a temporary file and
renamed into place: two runs sharing the cache at worst both compute the same entry, and a
reader never sees half a file. A corrupt entry counts as a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class SummaryCache:
    folder: Path

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return entry if isinstance(entry, dict) and entry.get("key") == key else None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({**entry, "key": key}, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
