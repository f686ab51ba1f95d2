"""Where a checkpoint is: a folder under models/ (where `brief model pull` puts it), any local
folder, or a Hugging Face hub id. Model management (checkpoints.py), the runtime planner and
both engines resolve names here; nothing heavy is imported.

A local folder is inspected as it is resolved, before anything reads it for real: its JSON
configuration files must be JSON objects, none may map a class to code of the checkpoint's own
(`auto_map`: brief runs no code from a model folder), and every safetensors header must describe
tensors inside its file. A folder that fails is a `ConfigError` naming the file and the reason.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

from .errors import ConfigError

MODELS_DIR = Path("models")  # relative to the current folder, as the other default folders are
# What `brief model convert` can store a CTranslate2 copy as (ct2.py converts; the CLI offers them).
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "float32", "float16", "bfloat16")
# config.json, tokenizer_config.json, generation_config.json … are a few KB; a bigger one is no configuration.
CONFIG_FILE_LIMIT = 64 * 1024 * 1024
# The safetensors library refuses headers above 100 MB too; a real one is well under 1 MB.
SAFETENSORS_HEADER_LIMIT = 100 * 1024 * 1024
NO_CUSTOM_CODE_HINT = "use a checkpoint whose architecture and tokenizer transformers itself provides"


def resolve_model_path(name: str, models_dir: Path = MODELS_DIR) -> str:
    """A folder under models/, any local folder, or (returned unchanged) a hub id. A local
    folder is inspected first (`check_checkpoint`)."""
    for candidate in (models_dir / name, Path(name).expanduser()):
        if (candidate / "config.json").is_file():
            check_checkpoint(candidate)
            return str(candidate)
    if Path(name).expanduser().exists():
        raise ConfigError(f"model folder {name} has no config.json", hint="is it a Hugging Face checkpoint?")
    return name


def check_checkpoint(folder: Path) -> None:
    """Raise ConfigError, naming the file, for a checkpoint folder brief must not or cannot read:
    a configuration file that is not a JSON object, custom code, a safetensors header that lies."""
    configs = sorted(p for p in folder.iterdir() if p.name.endswith("config.json") and p.is_file())
    for file in configs:
        auto_map = read_json_object(file).get("auto_map")
        if auto_map is not None:
            raise custom_code_error(folder, file.name, auto_map)
    for weights in sorted(folder.glob("*.safetensors")):
        read_safetensors_header(weights)


def custom_code_error(folder: Path, file_name: str, auto_map: object) -> ConfigError:
    """`auto_map` makes transformers import the checkpoint's own .py files (after asking on stdin)."""
    if isinstance(auto_map, dict):
        classes = ", ".join(str(k) for k in auto_map)
        targets = [t for v in auto_map.values() for t in (v if isinstance(v, list) else [v]) if isinstance(t, str)]
        mapped = f" maps {classes} to {', '.join(dict.fromkeys(targets))}" if targets else ""
    else:
        mapped = ""
    code = sorted(p.name for p in folder.glob("*.py"))
    shipped = f" ({', '.join(code)})" if code else ""
    return ConfigError(
        f"model folder {folder} ships custom code: auto_map in {file_name}{mapped}{shipped}; "
        "brief runs no code from a model folder",
        hint=NO_CUSTOM_CODE_HINT,
    )


def read_json_object(file: Path) -> dict[str, Any]:
    """A checkpoint's JSON configuration file as a dict, or ConfigError naming it."""
    try:
        size = file.stat().st_size
        if size > CONFIG_FILE_LIMIT:
            raise ConfigError(f"{file}: {size:,} bytes, too large for a configuration file")
        data = json.loads(file.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{file}: not valid JSON ({exc.msg}: line {exc.lineno} column {exc.colno})",
            hint="the file is damaged or truncated; copy or pull the checkpoint again",
        ) from None
    except RecursionError:
        raise ConfigError(f"{file}: not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: not a JSON object (it holds a {type(data).__name__})")
    return data


def read_safetensors_header(file: Path) -> dict[str, Any]:
    """A safetensors file's header (an 8-byte little-endian length, then a JSON object of
    name -> {dtype, shape, data_offsets}), checked against the file's size before anything
    trusts it; ConfigError naming the file otherwise."""
    try:
        size = file.stat().st_size
        with file.open("rb") as handle:
            prefix = handle.read(8)
            if len(prefix) < 8:
                raise ConfigError(f"{file}: {size} bytes, too short for a safetensors file")
            (length,) = struct.unpack("<Q", prefix)
            if length > size - 8 or length > SAFETENSORS_HEADER_LIMIT:
                raise ConfigError(
                    f"{file}: the safetensors header claims {length:,} bytes but the file has {size:,}",
                    hint="the file is damaged or not a safetensors file; copy or pull the checkpoint again",
                )
            raw = handle.read(length)
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read it: {exc.strerror or exc}") from None
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ConfigError(f"{file}: the safetensors header is not valid JSON") from None
    if not isinstance(header, dict):
        raise ConfigError(f"{file}: the safetensors header is not a JSON object")
    data_size = size - 8 - length
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if not _valid_tensor_entry(entry, data_size):
            raise ConfigError(
                f"{file}: the safetensors header's tensor {str(name)[:80]!r} has no valid shape "
                f"or lies outside the file's {data_size:,} bytes of data",
                hint="the file is damaged or truncated; copy or pull the checkpoint again",
            )
    return header


def _valid_tensor_entry(entry: object, data_size: int) -> bool:
    if not isinstance(entry, dict):
        return False
    shape, offsets = entry.get("shape"), entry.get("data_offsets")
    if not isinstance(shape, list) or not all(_natural(n) for n in shape):
        return False
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(_natural(n) for n in offsets)):
        return False
    begin, end = offsets
    return begin <= end <= data_size


def _natural(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
