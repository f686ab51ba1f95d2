"""The seq2seq backend: any Hugging Face encoder-decoder checkpoint (mT5, T5, BART …).

Throughput on CPU comes from batching: reports are tokenized once, sorted by length and packed
into batches whose padded size stays within a token budget, so short reports are not padded to
the longest and the model's large vocabulary projection is read once per step for the whole
batch. Results go back in input order.

Long reports: a report longer than the model's input is split at sentence boundaries into pieces
that fit; every piece is summarized (in the same batches as everything else), and when there
are several, the concatenation of the piece summaries is summarized once more. The final text
is guarded against the whole report, like any other.

Every generated summary passes the faithfulness guard or is not shown: on failure one retry with
safer settings (beam search, no repeated trigrams, a repetition penalty), then the extractive
summary, with the reason kept in `Summary.guard`. Outcomes are cached on disk.

Two engines generate: CTranslate2 (ct2.py, a converted copy; the default where it can convert
the checkpoint) and torch (below). runtime.py decides which, and at what precision.

torch and transformers are imported only when a model is loaded.
"""

from __future__ import annotations

import dataclasses
import math
import os
import pickle
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BriefError, ConfigError
from ..model_paths import NO_CUSTOM_CODE_HINT, read_json_object, resolve_model_path
from ..sentences import split_sentences
from ..settings import ModelSettings
from ..text import HAN

if TYPE_CHECKING:
    from .runtime import RuntimePlan  # a type only: runtime.py imports no engine

DEFAULT_MAX_INPUT = 512  # mT5's pre-training length; used when the tokenizer states no limit
BEAM_ROWS = 32
_MODEL = ModelSettings()  # brief's defaults, declared once with [model] in settings.py


@dataclass(frozen=True)
class GenerationSettings:
    """Defaults for Chinese news: beam search, no repeated trigrams, 16–96 new tokens."""

    num_beams: int = _MODEL.num_beams
    max_new_tokens: int = _MODEL.max_new_tokens
    min_new_tokens: int = _MODEL.min_new_tokens
    no_repeat_ngram_size: int = _MODEL.no_repeat_ngram_size
    length_penalty: float = _MODEL.length_penalty
    repetition_penalty: float = 1.0  # raised only by safer(), for the retry

    def as_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "num_beams": self.num_beams,
            "max_new_tokens": self.max_new_tokens,
            "min_new_tokens": self.min_new_tokens,
            "no_repeat_ngram_size": self.no_repeat_ngram_size,
            "repetition_penalty": self.repetition_penalty,
            "do_sample": False,
        }
        if self.num_beams > 1:
            kwargs.update(length_penalty=self.length_penalty, early_stopping=True)
        return kwargs

    def safer(self) -> GenerationSettings:
        """The retry after a guard failure: beams, no repeated trigrams, penalised repetition."""
        return dataclasses.replace(
            self,
            num_beams=max(self.num_beams, 4),
            no_repeat_ngram_size=3,
            repetition_penalty=max(self.repetition_penalty, 1.3),
        )


@dataclass(frozen=True)
class Seq2SeqOptions:
    """[model] (settings.ModelSettings, whose comments say what each field means) as the backend
    uses it: the checkpoint is required, and the generation settings are one object."""

    model: str
    revision: str | None = _MODEL.revision
    prefix: str = _MODEL.prefix  # e.g. "summarize: " for T5 checkpoints trained with a task prefix
    device: str = _MODEL.device  # auto | cpu | cuda | cuda:N | mps
    token_budget: int = _MODEL.token_budget
    max_batch: int = _MODEL.max_batch
    decode_rows: int = _MODEL.decode_rows
    max_input_tokens: int | None = _MODEL.max_input_tokens
    threads: int | None = _MODEL.threads
    cache_dir: Path | None = _MODEL.cache_dir
    use_cache: bool = _MODEL.cache
    online: bool = _MODEL.online  # off: the project runs offline
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    engine: str = _MODEL.engine  # runtime.py decides "auto"
    precision: str = _MODEL.precision

    @classmethod
    def from_settings(cls, settings: ModelSettings) -> Seq2SeqOptions:
        """The options of [model]: its fields under the same names, except the checkpoint
        (`name`), the cache switch (`cache`) and the generation settings, gathered into one."""
        if not settings.name:
            raise ConfigError("the seq2seq backend needs a model", hint="pass --model DIR or set [model] name")
        values = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}
        generation = {f.name: values.pop(f.name) for f in dataclasses.fields(GenerationSettings) if f.name in values}
        return cls(
            model=values.pop("name"),
            use_cache=values.pop("cache"),
            generation=GenerationSettings(**generation),
            **values,
        )


# --- pure helpers (no torch) --------------------------------------------------------------------


def plan_batches(lengths: Sequence[int], token_budget: int, max_batch: int) -> list[list[int]]:
    """Indices grouped into batches: longest first, each batch's padded size (rows × longest)
    within the budget. A single over-budget input still gets a batch of its own."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        longest = lengths[current[0]] if current else lengths[index]
        if current and ((len(current) + 1) * longest > token_budget or len(current) >= max_batch):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def split_into_chunks(text: str, count_tokens: Callable[[list[str]], list[int]], max_tokens: int) -> list[str]:
    """Whole sentences packed into pieces of at most `max_tokens` tokens; a sentence longer
    than that is cut at commas, and a clause longer still at a character count."""
    units: list[str] = []
    for sentence in split_sentences(text):
        units.extend(_fit(sentence, count_tokens, max_tokens))
    sizes = count_tokens(units) if units else []
    chunks: list[str] = []
    current, used = "", 0
    for unit, size in zip(units, sizes, strict=True):
        if current and used + size > max_tokens:
            chunks.append(current)
            current, used = "", 0
        current += unit
        used += size
    if current:
        chunks.append(current)
    return chunks or [text]


def _fit(sentence: str, count_tokens: Callable[[list[str]], list[int]], max_tokens: int) -> list[str]:
    if count_tokens([sentence])[0] <= max_tokens:
        return [sentence]
    clauses = [c for c in re.split(r"(?<=[，；、])", sentence) if c]
    if len(clauses) > 1:
        return [piece for clause in clauses for piece in _fit(clause, count_tokens, max_tokens)]
    size = count_tokens([sentence])[0]
    step = max(1, len(sentence) * max_tokens // size - 1)
    return [sentence[i : i + step] for i in range(0, len(sentence), step)]


_CJK = f"\u3000-\u303f{HAN}\uff00-\uffef"  # Han, CJK and full-width punctuation
# BertTokenizer decodes with a space between every token (脱 贫 攻 坚, 2021 年), SentencePiece
# between some pieces; Chinese text has none. Spaces between two Latin words stay.
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
# mT5's SentencePiece normalizes full-width punctuation to ASCII (NFKC): ，→ , next to Chinese.
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_ASCII_PUNCT = re.compile(rf"(?<=[{HAN}])[,;:?!()]|[,;:?!()](?=[{HAN}])")


def tidy_output(text: str) -> str:
    """Generated text as Chinese is written: no spaces around Chinese characters, full-width
    punctuation between them."""
    text = _CJK_SPACE.sub("", text.strip())
    return _ASCII_PUNCT.sub(lambda m: _FULL_WIDTH[m.group(0)], text)


# What a checkpoint may say about generation, as transformers names it -> our field.
_GENERATION_KEYS = {
    "num_beams": "num_beams",
    "max_length": "max_new_tokens",  # encoder-decoder: the decoder's length, i.e. new tokens
    "max_new_tokens": "max_new_tokens",
    "min_length": "min_new_tokens",
    "min_new_tokens": "min_new_tokens",
    "no_repeat_ngram_size": "no_repeat_ngram_size",
    "length_penalty": "length_penalty",
    "repetition_penalty": "repetition_penalty",
}
# brief's own bounds on what a checkpoint may ask for (low, high). A checkpoint's generation
# settings are defaults somebody else wrote: 1e9 new tokens, a million beams or a zero
# repetition penalty would crash a model with learned positions, run a T5 without end, or stop
# transformers. Values outside are clamped to the bound, and said once.
GENERATION_LIMITS: dict[str, tuple[float, float]] = {
    "num_beams": (1, 16),
    "max_new_tokens": (1, 512),  # a summary; the longest default seen in a published checkpoint is 142
    "min_new_tokens": (0, 512),
    "no_repeat_ngram_size": (0, 512),
    "length_penalty": (-10.0, 10.0),
    "repetition_penalty": (1.0, 10.0),  # below 1 rewards repeating, which the guard rejects anyway
}
# Token ids the models need to generate at all; the only keys brief takes from transformers' own
# reading of a checkpoint's generation config (everything else comes from GenerationSettings).
TOKEN_ID_KEYS = (
    "decoder_start_token_id",
    "bos_token_id",
    "eos_token_id",
    "pad_token_id",
    "forced_bos_token_id",
    "forced_eos_token_id",
)


@dataclass(frozen=True)
class CheckpointDefaults:
    """What a checkpoint folder says about its own use: the task prefix of
    `task_specific_params["summarization"]`, and generation settings from config.json's top level,
    that task entry, then generation_config.json (later ones win), as written (finite numbers
    only; `resolve_generation` bounds them)."""

    prefix: str = ""
    generation: dict[str, Any] = field(default_factory=dict)  # GenerationSettings field -> value
    origins: dict[str, str] = field(default_factory=dict)  # field -> "generation_config.json max_length"
    positions: int | None = None  # decoder positions of a model with learned/fixed ones (BART: 1024)
    token_ids: dict[str, Any] = field(default_factory=dict)  # TOKEN_ID_KEYS found in the two files
    ignored: tuple[str, ...] = ()  # values that are no setting at all (not a finite number), said once


def read_checkpoint_defaults(path: str) -> CheckpointDefaults:
    folder = Path(path)
    config_file = folder / "config.json"
    if not config_file.is_file():  # a hub id: nothing local to read
        return CheckpointDefaults()
    config = read_json_object(config_file)
    task = config.get("task_specific_params")
    task = task.get("summarization") if isinstance(task, dict) else None
    task = task if isinstance(task, dict) else {}
    # Older checkpoints keep generation settings at the top of config.json (XLSum: num_beams 4,
    # max_length 84, length_penalty 0.6, no_repeat_ngram_size 2), newer ones in the task entry or
    # generation_config.json.
    sources = [("config.json", config), ("config.json task_specific_params.summarization", task)]
    generation_file = folder / "generation_config.json"
    if generation_file.is_file():
        sources.append(("generation_config.json", read_json_object(generation_file)))
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    ignored: list[str] = []
    token_ids: dict[str, Any] = {}
    for where, source in sources:  # later files win: generation_config.json is what transformers uses
        for key, name in _GENERATION_KEYS.items():
            value = source.get(key)
            if value is None:  # transformers writes null for "not set"
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                ignored.append(f"{where} {key} {_shown(value)} is not a finite number; ignored")
                continue
            values[name] = value
            origins[name] = f"{where} {key}"
        if where != "config.json task_specific_params.summarization":
            token_ids.update({k: source[k] for k in TOKEN_ID_KEYS if _token_id(source.get(k))})
    return CheckpointDefaults(
        prefix=str(task.get("prefix") or ""),
        generation=values,
        origins=origins,
        positions=decoder_positions(config),
        token_ids=token_ids,
        ignored=tuple(ignored),
    )


def decoder_positions(config: dict[str, Any]) -> int | None:
    """How many positions the decoder has, for architectures with a table of them (BART,
    Pegasus, Marian: max_position_embeddings); None for relative positions (T5, mT5)."""
    for key in ("max_decoder_position_embeddings", "max_position_embeddings"):
        value = config.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 1:
            return value
    return None


def _token_id(value: object) -> bool:
    ids = value if isinstance(value, list) else [value]
    return bool(ids) and all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in ids)


def _shown(value: object) -> str:
    """A checkpoint's value as the user would recognise it: 1e9 read from JSON as 1000000000."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def resolve_generation(options: Seq2SeqOptions, defaults: CheckpointDefaults) -> tuple[Seq2SeqOptions, tuple[str, ...]]:
    """The options with the checkpoint's prefix when none is set, and its generation settings
    where ours are still brief's defaults (a value set in brief.toml or a flag that differs from
    them wins), then bounded: the checkpoint's values by GENERATION_LIMITS, every value by the
    model's decoder positions, the minimum by the maximum. Also a note for each value that was
    changed or ignored, naming where it came from."""
    builtin = GenerationSettings()
    notes = list(defaults.ignored)
    chosen: dict[str, Any] = {}
    for setting in dataclasses.fields(GenerationSettings):
        name = setting.name
        mine = getattr(options.generation, name)
        if mine == getattr(builtin, name) and name in defaults.generation:
            raw = defaults.generation[name]
            low, high = GENERATION_LIMITS[name]
            value, reason = raw, ""
            if raw > high:
                value, reason = high, f"is more than {_shown(high)} (brief's limit)"
            elif raw < low:
                value, reason = low, f"is less than {_shown(low)} (brief's limit)"
            chosen[name] = (type(mine)(value), defaults.origins[name], raw, reason)
        else:
            where = f"[model] {name}" if mine != getattr(builtin, name) else f"brief's default {name}"
            chosen[name] = (mine, where, mine, "")
    positions = defaults.positions
    if positions is not None:
        room = positions - 1  # the decoder's start token takes the first position
        for name in ("max_new_tokens", "min_new_tokens"):
            value, where, raw, _ = chosen[name]
            if value > room:
                chosen[name] = (room, where, raw, f"is more than {room} (the model's {positions} positions)")
    longest = chosen["max_new_tokens"][0]
    value, where, raw, _ = chosen["min_new_tokens"]
    if value > longest:
        chosen["min_new_tokens"] = (longest, where, raw, f"is more than max_new_tokens {longest}")
    for value, where, raw, reason in chosen.values():
        if reason:
            notes.append(f"{where} {_shown(raw)} {reason}; using {_shown(value)}")
    generation = GenerationSettings(**{name: value for name, (value, *_) in chosen.items()})
    resolved = dataclasses.replace(options, prefix=options.prefix or defaults.prefix, generation=generation)
    return resolved, tuple(notes)


def apply_checkpoint_defaults(options: Seq2SeqOptions, defaults: CheckpointDefaults) -> Seq2SeqOptions:
    """`resolve_generation` without its notes."""
    return resolve_generation(options, defaults)[0]


def load_tokenizer(path: str, revision: str | None, local_only: bool) -> Any:
    """The checkpoint's tokenizer. Chinese checkpoints often ship a BERT vocabulary (vocab.txt)
    without declaring a tokenizer class (uer's T5 declares none, so transformers would look for
    T5's SentencePiece model): a vocab.txt without a SentencePiece model is read by
    BertTokenizer. A checkpoint that declares another class for a vocab.txt has its tokenizer
    in code of its own (Randeng-Pegasus: PegasusTokenizer in tokenizers_pegasus.py, jieba words
    + BERT): it is refused, since brief runs no code from a model folder and BertTokenizer alone
    would feed the model other tokens than it was trained on."""
    from transformers import AutoTokenizer, BertTokenizer

    folder = Path(path)
    files = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    sentencepiece = any(name.endswith(".model") for name in files) or "tokenizer.json" in files
    if "vocab.txt" in files and not sentencepiece:
        declared = _declared_tokenizer(folder)
        if declared and "Bert" not in declared:
            code = sorted(name for name in files if name.endswith(".py"))
            where = f" ({', '.join(code)})" if code else ""
            raise ConfigError(
                f"model {path}: declares {declared} for a BERT vocab.txt; that tokenizer is code "
                f"shipped with the checkpoint{where}, which brief does not run",
                hint="use a checkpoint whose tokenizer transformers reads: SentencePiece, tokenizer.json or vocab.txt",
            )
        return BertTokenizer.from_pretrained(
            path, revision=revision, local_files_only=local_only, trust_remote_code=False
        )
    # trust_remote_code=False, always: left unset, transformers asks on stdin whether to run a
    # checkpoint's own tokenizer code (hub ids are not inspected by resolve_model_path).
    return AutoTokenizer.from_pretrained(path, revision=revision, local_files_only=local_only, trust_remote_code=False)


def _declared_tokenizer(folder: Path) -> str | None:
    for name in ("tokenizer_config.json", "config.json"):
        file = folder / name
        if file.is_file():
            declared = read_json_object(file).get("tokenizer_class")
            if declared:
                return str(declared)
    return None


# --- the engine (torch) -----------------------------------------------------------------------------


def pick_device(requested: str) -> tuple[str, Any]:
    """(device, dtype): a GPU when asked or found; bf16 where the GPU supports it (mT5 overflows
    in fp16, so never fp16); fp32 on CPU and MPS."""
    import torch

    requested = requested or "auto"
    if requested == "auto":
        if torch.cuda.is_available():
            requested = "cuda"
        elif getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            requested = "mps"
        else:
            requested = "cpu"
    if requested.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ConfigError(f"device {requested} asked for, but torch sees no CUDA GPU", hint="use --device cpu")
        dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float32
        return requested, dtype
    if requested == "mps":
        if not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
            raise ConfigError("device mps asked for, but it is not available", hint="use --device cpu")
        return "mps", torch.float32
    if requested != "cpu":
        raise ConfigError(f"unknown device '{requested}'", hint="auto, cpu, cuda, cuda:N or mps")
    return "cpu", torch.float32


class TokenizedEngine:
    """What every engine shares: the checkpoint's tokenizer, its input limit, and decoding.
    Subclasses turn input texts into generated token ids (`generate_ids`)."""

    def __init__(self, options: Seq2SeqOptions) -> None:
        self.options = options
        self.path = resolve_model_path(options.model)
        self.plan: RuntimePlan | None = None  # set by load_engine: engine, precision and why
        try:
            import transformers  # noqa: F401  (checked here, for a clear message)
        except ImportError as exc:  # the extractive backend needs none of this
            raise BriefError(
                f"the seq2seq backend needs transformers ({exc.name} is missing)",
                hint="run `make setup`, or pip install torch transformers sentencepiece protobuf",
            ) from None
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # our own messages only; no weight-loading progress bars
        hf_logging.disable_progress_bar()
        try:
            self.tokenizer = load_tokenizer(self.path, options.revision, local_only=not options.online)
        except (OSError, ValueError, TypeError) as exc:  # missing files; a tokenizer class that cannot read them
            raise checkpoint_load_error(options.model, self.path, exc) from None
        limit = getattr(self.tokenizer, "model_max_length", None) or DEFAULT_MAX_INPUT
        self.max_input = options.max_input_tokens or (limit if limit < 100_000 else DEFAULT_MAX_INPUT)

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Model input length of each text: prefix + text + special tokens."""
        encoded = self.tokenizer([self.options.prefix + t for t in texts], add_special_tokens=True)
        return [len(ids) for ids in encoded["input_ids"]]

    def count_text_tokens(self, texts: list[str]) -> list[int]:
        """Tokens of the text alone, to pack sentences into pieces."""
        encoded = self.tokenizer(texts, add_special_tokens=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def encode(self, texts: list[str]) -> list[list[int]]:
        """Input ids of each text: prefix + text, cut at the model's input limit."""
        inputs = [self.options.prefix + t for t in texts]
        return self.tokenizer(inputs, truncation=True, max_length=self.max_input)["input_ids"]

    def generate(self, texts: list[str], settings: GenerationSettings) -> list[str]:
        """Generated text for each input, in input order."""
        ids = self.generate_ids(texts, settings)
        decoded = self.tokenizer.batch_decode(ids, skip_special_tokens=True) if ids else []
        return [tidy_output(text) for text in decoded]

    def generate_ids(self, texts: list[str], settings: GenerationSettings) -> list[list[int]]:
        raise NotImplementedError


def cannot_load(model: str, exc: Exception) -> ConfigError:
    return ConfigError(
        f"cannot load model '{model}': {(str(exc).splitlines() or [type(exc).__name__])[0]}",
        hint="put a checkpoint under models/, or `brief model pull ID` where a network is available",
    )


def checkpoint_load_error(model: str, path: str, exc: Exception) -> ConfigError:
    """The one-line error for a checkpoint that transformers could not load."""
    return broken_checkpoint_error(model, path, exc) or cannot_load(model, exc)


def broken_checkpoint_error(model: str, path: str, exc: Exception) -> ConfigError | None:
    """The error naming the file, when a load failed on a file brief must not or cannot read (a
    pickle weights-only loading refuses, a damaged safetensors file, custom code of a hub id);
    None for other failures (CTranslate2 then records that it cannot convert the checkpoint)."""
    text = str(exc)
    first = (text.splitlines() or [type(exc).__name__])[0]
    folder = Path(path)
    if isinstance(exc, pickle.UnpicklingError):
        # torch.load(weights_only=True) refused it: the pickle asks for more than tensors (code).
        files = ", ".join(str(p) for p in sorted(folder.glob("*.bin"))) or f"model {model}"
        reason = _unpickler_reason(text) or first
        return ConfigError(
            f"{files}: weights-only loading refuses this pickle ({reason}); brief runs no code from a model folder",
            hint="use safetensors weights of the checkpoint, or convert its pickle with a tool you trust",
        )
    if "trust_remote_code" in text:  # a hub id whose configuration maps classes to its own code
        return ConfigError(
            f"model {model} ships custom code (auto_map in its configuration); brief runs no code from a model folder",
            hint=NO_CUSTOM_CODE_HINT,
        )
    if type(exc).__name__ == "SafetensorError":
        files = ", ".join(str(p) for p in sorted(folder.glob("*.safetensors"))) or f"model {model}"
        return ConfigError(f"{files}: {first}", hint="the file is damaged; copy or pull the checkpoint again")
    return None


def _unpickler_reason(text: str) -> str:
    """What torch's weights-only unpickler objected to ("Unsupported global: GLOBAL posix.system
    …"), the first line after its marker in the long message it wraps the reason in."""
    _, marker, rest = text.partition("WeightsUnpickler error:")
    lines = [line.strip() for line in rest.splitlines() if line.strip()] if marker else []
    if not lines:
        return ""
    return lines[0] if len(lines[0]) <= 160 else lines[0][:159] + "…"


def checkpoint_load_errors() -> tuple[type[Exception], ...]:
    """What loading a checkpoint raises for a bad checkpoint (rather than a fault of brief's):
    missing or unreadable files, a configuration transformers rejects, a pickle weights-only
    loading refuses, a damaged safetensors or torch zip file (RuntimeError)."""
    from safetensors import SafetensorError

    return (OSError, ValueError, TypeError, RuntimeError, pickle.UnpicklingError, SafetensorError)


def _generation_config(token_ids: dict[str, Any]) -> Any:
    """transformers' generation config for a checkpoint: its token ids and nothing else. The
    checkpoint's own generation_config.json is not read by transformers at all: settings such
    as num_return_sequences or return_dict_in_generate would change what generate() returns,
    and min_length/max_length bypass brief's bounds (resolve_generation)."""
    from transformers import GenerationConfig

    return GenerationConfig(**token_ids)


class Seq2SeqEngine(TokenizedEngine):
    """The torch engine: a transformers model at the precision asked for (`options.precision`:
    auto = float32 on CPU/MPS, bfloat16 on CUDA where supported; int8 = dynamic int8 Linear
    layers on CPU, the lm_head included)."""

    def __init__(self, options: Seq2SeqOptions) -> None:
        super().__init__(options)
        try:
            import torch
            from transformers import AutoModelForSeq2SeqLM
        except ImportError as exc:
            raise BriefError(
                f"the torch engine needs torch ({exc.name} is missing)",
                hint="run `make setup`, or pip install torch transformers sentencepiece protobuf",
            ) from None
        self.torch = torch
        self.device, self.dtype = pick_device(options.device)
        precision = options.precision
        if precision in ("float32", "int8"):
            self.dtype = torch.float32
        elif precision in ("bfloat16", "float16"):
            self.dtype = getattr(torch, precision)
        elif precision != "auto":
            raise ConfigError(f"the torch engine has no precision {precision}", hint="auto, float32, int8, bfloat16")
        if precision == "int8" and self.device != "cpu":
            raise ConfigError("torch int8 runs on CPU only", hint="use --device cpu or another precision")
        if self.device == "cpu":
            torch.set_num_threads(options.threads or os.cpu_count() or 1)
        defaults = read_checkpoint_defaults(self.path)
        try:
            with warnings.catch_warnings():  # torch's pickle and transformers' load warnings say nothing to users
                warnings.simplefilter("ignore")
                self.model = AutoModelForSeq2SeqLM.from_pretrained(
                    self.path,
                    revision=options.revision,
                    local_files_only=not options.online,
                    dtype=self.dtype,
                    trust_remote_code=False,  # never None: transformers would ask on stdin
                    generation_config=_generation_config(defaults.token_ids),
                )
        except checkpoint_load_errors() as exc:
            raise checkpoint_load_error(options.model, self.path, exc) from None
        if not defaults.token_ids:  # a hub id: the token ids of the config transformers read
            config = self.model.config
            self.model.generation_config = _generation_config(
                {key: getattr(config, key) for key in TOKEN_ID_KEYS if _token_id(getattr(config, key, None))}
            )
        self.model.to(self.device).eval()
        # A BERT vocabulary ends a sequence with [SEP], which the model's config may not name
        # as its eos (uer's T5 says 1): stop at either.
        stops = [self.model.generation_config.eos_token_id, getattr(self.tokenizer, "sep_token_id", None)]
        flat = [i for s in stops for i in (s if isinstance(s, list) else [s]) if isinstance(i, int)]
        self.stop_ids = list(dict.fromkeys(flat))
        # What may end a generated row: </s> (or [SEP]) and the padding after an early end.
        self.end_ids = {t for t in [*self.stop_ids, self.tokenizer.pad_token_id] if t is not None}
        if precision == "int8":
            self._quantize_int8()

    def _quantize_int8(self) -> None:
        """Dynamic int8 Linear layers (weights int8 per tensor, activations quantized per call),
        in place: a copy would hold the fp32 model twice. torch marks its eager quantization as
        deprecated in favour of torchao, but ships and runs it; its warnings say nothing to users."""
        from torch.ao.quantization import quantize_dynamic

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantize_dynamic(self.model, {self.torch.nn.Linear}, dtype=self.torch.qint8, inplace=True)

    def generate_ids(self, texts: list[str], settings: GenerationSettings) -> list[list[int]]:
        """Generated token ids for each input (without the end token and padding), in input order.

        Encoding and decoding are batched differently, because they cost differently: the
        encoder's work grows with the padded input, so it runs on length buckets within the token
        budget; decoding reads the whole vocabulary projection (250k × 512 for mT5) once per step
        for the batch, so it runs on large groups of already-encoded reports.
        """
        if not texts:
            return []
        torch = self.torch
        encoded = self.encode(texts)
        lengths = [len(e) for e in encoded]
        pad = self.tokenizer.pad_token_id
        states: dict[int, Any] = {}
        encoder = self.model.get_encoder()
        with torch.inference_mode():
            for bucket in plan_batches(lengths, self.options.token_budget, self.options.max_batch):
                longest = max(lengths[i] for i in bucket)
                ids = [encoded[i] + [pad] * (longest - lengths[i]) for i in bucket]
                mask = [[1] * lengths[i] + [0] * (longest - lengths[i]) for i in bucket]
                hidden = encoder(
                    input_ids=torch.tensor(ids, device=self.device),
                    attention_mask=torch.tensor(mask, device=self.device),
                ).last_hidden_state
                for row, index in enumerate(bucket):
                    states[index] = hidden[row, : lengths[index]]
        outputs: list[list[int]] = [[] for _ in texts]
        # Beam search's per-step bookkeeping runs over the whole vocabulary for every beam, and
        # grows faster than the shared projection saves: on 2 cores 32 rows was fastest (8
        # reports × 4 beams), while greedy decoding gains up to 128 rows.
        rows = self.options.decode_rows if settings.num_beams == 1 else min(self.options.decode_rows, BEAM_ROWS)
        group = max(1, min(self.options.max_batch, rows // max(1, settings.num_beams)))
        order = sorted(range(len(texts)), key=lambda i: (-lengths[i], i))
        for start in range(0, len(order), group):
            members = order[start : start + group]
            longest = max(lengths[i] for i in members)
            hidden = torch.zeros((len(members), longest, states[members[0]].shape[-1]), dtype=states[members[0]].dtype)
            mask = torch.zeros((len(members), longest), dtype=torch.long)
            for row, index in enumerate(members):
                hidden[row, : lengths[index]] = states[index]
                mask[row, : lengths[index]] = 1
            with torch.inference_mode():
                result = self.model.generate(
                    encoder_outputs=_encoder_output(hidden.to(self.device)),
                    attention_mask=mask.to(self.device),
                    eos_token_id=self.stop_ids or None,
                    **settings.as_kwargs(),
                    **self._beam_cache(settings),
                )
            for index, row_ids in zip(members, result.tolist(), strict=True):
                outputs[index] = self.strip_row(row_ids)
        return outputs

    def strip_row(self, row_ids: list[int]) -> list[int]:
        """A generated row without the decoder start token, the end token and padding, as
        CTranslate2 returns it (the decoded text is the same either way)."""
        row_ids = row_ids[1:]
        while row_ids and row_ids[-1] in self.end_ids:
            row_ids.pop()
        return row_ids

    def _beam_cache(self, settings: GenerationSettings) -> dict[str, Any]:
        """For beam search, a cache that reorders only the decoder's self-attention.

        After each step transformers reorders the whole cache to follow the surviving beams.
        The cross-attention keys and values are computed from the encoder output, which is the
        same for every beam of a report, and beams are only ever reordered within their report:
        reordering them copies rows × layers × input length × width per step and changes
        nothing. Models with their own `_reorder_cache` (legacy tuple caches) keep theirs.
        """
        if settings.num_beams == 1 or hasattr(self.model, "_reorder_cache"):
            return {}
        return {"cache": _self_attention_reordering_cache(self.model.config)}


def _self_attention_reordering_cache(config: Any) -> Any:
    from transformers.cache_utils import DynamicCache, EncoderDecoderCache

    class BeamCache(EncoderDecoderCache):
        def reorder_cache(self, beam_idx: Any) -> None:
            self.self_attention_cache.reorder_cache(beam_idx)

    return BeamCache(DynamicCache(config=config), DynamicCache(config=config))


def _encoder_output(hidden: Any) -> Any:
    from transformers.modeling_outputs import BaseModelOutput

    return BaseModelOutput(last_hidden_state=hidden)
