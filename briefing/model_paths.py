"""Where a checkpoint is: a folder under models/ (where `brief model pull` puts it), any local
folder, or a Hugging Face hub id. Model management (checkpoints.py), the runtime planner and
both engines resolve names here; nothing heavy is imported."""

from __future__ import annotations

from pathlib import Path

from .errors import ConfigError

MODELS_DIR = Path("models")  # relative to the current folder, as the other default folders are
# What `brief model convert` can store a CTranslate2 copy as (ct2.py converts; the CLI offers them).
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "float32", "float16", "bfloat16")


def resolve_model_path(name: str, models_dir: Path = MODELS_DIR) -> str:
    """A folder under models/, any local folder, or (returned unchanged) a hub id."""
    for candidate in (models_dir / name, Path(name).expanduser()):
        if (candidate / "config.json").is_file():
            return str(candidate)
    if Path(name).expanduser().exists():
        raise ConfigError(f"model folder {name} has no config.json", hint="is it a Hugging Face checkpoint?")
    return name
