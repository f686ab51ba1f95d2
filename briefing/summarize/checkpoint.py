"""A seq2seq checkpoint's one home: where it is (a local folder, or a hub id in the Hugging Face
cache), its identity for caches and conversions, where its CTranslate2 copy goes and whether an
earlier conversion failed. The engines (seq2seq.py, ct2.py), the runtime planner and the backend
read checkpoints through here, so none of them needs another (no import cycle)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefError
from ..model_paths import MODELS_DIR, check_checkpoint, resolve_model_path


def model_fingerprint(path: str, revision: str | None) -> str:
    """Identity of the weights for the cache key: hub id + revision, or a local folder's
    config and file sizes (a changed checkpoint gets new cache entries)."""
    folder = Path(path)
    if not folder.is_dir():
        return f"{path}@{revision or 'main'}"
    digest = hashlib.sha256()
    for file in sorted(folder.iterdir()):
        if file.is_file():
            digest.update(f"{file.name}:{file.stat().st_size};".encode())
            if file.name == "config.json":
                digest.update(file.read_bytes())
    return f"{folder.resolve()}#{digest.hexdigest()[:16]}"


class ConversionError(BriefError):
    """CTranslate2 cannot convert this checkpoint; the reason says why."""


class CheckpointNotFound(ConversionError):
    """Neither a local folder nor a hub id in the Hugging Face cache: nothing to convert."""


@dataclass(frozen=True)
class Checkpoint:
    folder: Path  # a local folder with config.json (hub ids resolved to their cached snapshot)
    revision: str  # hub commit, or "local-<fingerprint>" for a folder
    name: str


@dataclass(frozen=True)
class Conversion:
    path: Path
    quantization: str
    seconds: float  # 0 when it was already there
    fresh: bool


def locate_checkpoint(name: str, revision: str | None = None) -> Checkpoint:
    path = resolve_model_path(name)
    folder = Path(path)
    if (folder / "config.json").is_file():
        digest = model_fingerprint(path, revision).rsplit("#", 1)[-1]
        return Checkpoint(folder, f"local-{digest}", folder.name)
    try:
        from huggingface_hub import snapshot_download

        snapshot = Path(snapshot_download(repo_id=name, revision=revision, local_files_only=True))
    except Exception:  # not in the HF cache (or no huggingface_hub): nothing to convert
        raise CheckpointNotFound(f"{name} is neither a local checkpoint nor in the Hugging Face cache") from None
    check_checkpoint(snapshot)  # as resolve_model_path checks a local folder
    return Checkpoint(snapshot, snapshot.name, name.split("/")[-1])


def conversion_root(checkpoint: Checkpoint) -> Path:
    """`<name>.ct2` beside a local folder (models/NAME → models/NAME.ct2); under models/ for the
    Hugging Face cache, which is not ours to write into."""
    if checkpoint.revision.startswith("local-"):
        return checkpoint.folder.parent / f"{checkpoint.folder.name}.ct2"
    return MODELS_DIR / f"{checkpoint.name}.ct2"


def conversion_path(checkpoint: Checkpoint, quantization: str) -> Path:
    return conversion_root(checkpoint) / f"{checkpoint.revision}-{quantization}"


def recorded_failure(name: str, revision: str | None = None) -> str | None:
    """The reason an earlier conversion of this very checkpoint failed, if it did."""
    try:
        checkpoint = locate_checkpoint(name, revision)
    except ConversionError:
        return None  # a hub id not in the cache: the torch engine reports that better
    marker = conversion_root(checkpoint) / "failed.json"
    try:
        record = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("revision") != checkpoint.revision:
        return None  # the checkpoint changed since: try again
    return f"conversion failed earlier: {record.get('reason')} (delete {marker} to retry)"
