"""Model management: pull a checkpoint into models/, list what is there, describe one.

Reading a checkpoint's facts needs no torch: config.json, the tokenizer files and the
safetensors header (tensor shapes) say everything `brief model info` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from pathlib import Path

from .errors import BriefError, ConfigError
from .model_paths import MODELS_DIR, check_checkpoint, read_json_object, read_safetensors_header, resolve_model_path
from .summarize.seq2seq import Seq2SeqOptions, read_checkpoint_defaults, resolve_generation

SEQ2SEQ_TYPES = {"t5", "mt5", "umt5", "bart", "mbart", "pegasus", "marian", "led", "longt5", "m2m_100", "nllb"}


@dataclass(frozen=True)
class ModelEntry:
    name: str
    architecture: str
    where: str
    problem: str | None = None  # why brief cannot use it (a bad file, custom code); None when it can


def pull_model(model_id: str, revision: str | None = None, target: Path | None = None) -> Path:
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError
    except ImportError:
        raise BriefError("`brief model pull` needs huggingface_hub", hint="run `make setup`") from None
    target = target or MODELS_DIR / model_id.split("/")[-1]
    try:
        snapshot_download(
            repo_id=model_id,
            revision=revision,
            local_dir=str(target),
            allow_patterns=["*.json", "*.model", "*.safetensors", "*.txt", "*.tiktoken", "spiece*", "*.bin"],
        )
    except LocalEntryNotFoundError:
        raise BriefError(
            f"cannot download {model_id}: the Hugging Face hub is not reachable from here",
            hint="pull on a machine with a network and copy the folder into models/",
        ) from None
    except (HfHubHTTPError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BriefError(
            f"cannot download {model_id}: {first}",
            hint="check the id and revision; offline machines cannot reach the hub",
        ) from None
    return target


def _architecture(config: dict) -> str:
    names = config.get("architectures")
    first = names[0] if isinstance(names, list) and names else config.get("model_type", "?")
    return f"{first} ({config.get('model_type', '?')})"


def _entry(name: str, folder: Path, where: str) -> ModelEntry:
    """One listed checkpoint; a folder brief cannot use is listed too, with the reason, so that
    one bad folder hides no other."""
    try:
        check_checkpoint(folder)
        config = read_json_object(folder / "config.json")
    except ConfigError as exc:
        return ModelEntry(name, "unusable", where, str(exc))
    return ModelEntry(name, _architecture(config), where)


def list_models(models_dir: Path = MODELS_DIR) -> list[ModelEntry]:
    found: list[ModelEntry] = []
    if models_dir.is_dir():
        for folder in sorted(p for p in models_dir.iterdir() if (p / "config.json").is_file()):
            found.append(_entry(folder.name, folder, str(folder)))
    try:
        from huggingface_hub import scan_cache_dir

        cache = scan_cache_dir()
    except Exception:  # no cache folder, or huggingface_hub missing: nothing to list there
        return found
    for repo in sorted(cache.repos, key=lambda r: r.repo_id):
        if repo.repo_type != "model":
            continue
        for rev in repo.revisions:
            config_file = rev.snapshot_path / "config.json"
            if not config_file.is_file():
                continue
            entry = _entry(repo.repo_id, rev.snapshot_path, f"HF cache @ {rev.commit_hash[:8]}")
            if entry.problem is None:
                config = read_json_object(config_file)
                if config.get("model_type") not in SEQ2SEQ_TYPES and not config.get("is_encoder_decoder"):
                    continue  # the cache holds every kind of model; only encoder-decoders are ours
            found.append(entry)
    return found


def _safetensors_parameters(path: Path) -> int:
    """Parameter count from a safetensors header (checked against the file by read_safetensors_header)."""
    header = read_safetensors_header(path)
    return sum(prod(t["shape"]) for name, t in header.items() if name != "__metadata__")


def _tokenizer_format(path: Path) -> str:
    """Which of the layouts `load_tokenizer` knows the folder has."""
    names = {p.name for p in path.iterdir()}
    spm = sorted(n for n in names if n.endswith(".model"))
    if spm:
        return f"SentencePiece ({spm[0]})"
    if "tokenizer.json" in names:
        return "BERT vocabulary (vocab.txt + tokenizer.json)" if "vocab.txt" in names else "tokenizer.json"
    if "vocab.txt" in names:
        declared = None
        for file in ("tokenizer_config.json", "config.json"):
            if (path / file).is_file():
                declared = declared or read_json_object(path / file).get("tokenizer_class")
        if declared and "Bert" not in declared:
            return f"{declared} over a BERT vocab.txt: code of the checkpoint's own, not loaded by brief"
        return "BERT vocabulary (vocab.txt, BertTokenizer)"
    return "none found"


def describe_model(name: str) -> str:
    path = Path(resolve_model_path(name))
    config_file = path / "config.json"
    if not config_file.is_file():
        raise ConfigError(f"{name}: no checkpoint folder with a config.json", hint="see `brief model list`")
    config = read_json_object(config_file)
    weights = sorted(path.glob("*.safetensors"))
    parameters = sum(_safetensors_parameters(w) for w in weights) if weights else None
    size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    tokenizer_config = path / "tokenizer_config.json"
    max_input: object = None
    if tokenizer_config.is_file():
        max_input = read_json_object(tokenizer_config).get("model_max_length")
    if not isinstance(max_input, int) or max_input > 100_000:
        positions = config.get("max_position_embeddings") or config.get("n_positions")
        max_input = positions or "no fixed limit (relative positions); brief uses 512 unless [model] max_input_tokens"
    layers = config.get("num_layers") or config.get("encoder_layers")
    decoder_layers = config.get("num_decoder_layers") or config.get("decoder_layers")
    lines = [
        f"model:        {path}",
        f"architecture: {_architecture(config)}",
        f"parameters:   {parameters:,}" if parameters is not None else "parameters:   unknown (no safetensors weights)",
        f"layers:       {layers} encoder, {decoder_layers} decoder; hidden size {config.get('d_model')}",
        f"vocabulary:   {config.get('vocab_size')}",
        f"max input:    {max_input}",
        f"on disk:      {size / 1e6:.1f} MB",
    ]
    lines.append(f"tokenizer:    {_tokenizer_format(path)}")
    defaults = read_checkpoint_defaults(str(path))
    bounded, notes = resolve_generation(Seq2SeqOptions(model=str(path)), defaults)
    used = {name: getattr(bounded.generation, name) for name in defaults.generation}
    generation = ", ".join(f"{k} {v}" for k, v in sorted(used.items())) or "none"
    lines.append(f"task prefix:  {defaults.prefix!r}" if defaults.prefix else "task prefix:  none")
    lines.append(f"generation:   {generation} (from the checkpoint; brief.toml or flags win)")
    lines.extend(f"adjusted:     {note}" for note in notes)
    if config.get("model_type") not in SEQ2SEQ_TYPES and not config.get("is_encoder_decoder"):
        lines.append("warning:      not an encoder-decoder model; the seq2seq backend cannot use it")
    return "\n".join(lines)
