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
import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BriefError, ConfigError
from ..models import GuardResult, Report, Summary
from ..sentences import split_sentences
from .cache import SummaryCache, cache_key, default_cache_dir
from .extractive import ExtractiveSummarizer
from .guard import check_summary

if TYPE_CHECKING:
    from .runtime import RuntimePlan

MODELS_DIR = Path("models")
DEFAULT_MAX_INPUT = 512  # mT5's pre-training length; used when the tokenizer states no limit
BEAM_ROWS = 32


@dataclass(frozen=True)
class GenerationSettings:
    """Defaults for Chinese news: beam search, no repeated trigrams, 16–96 new tokens."""

    num_beams: int = 4
    max_new_tokens: int = 96
    min_new_tokens: int = 16
    no_repeat_ngram_size: int = 3
    length_penalty: float = 1.0
    repetition_penalty: float = 1.0

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
    model: str
    revision: str | None = None
    prefix: str = ""  # e.g. "summarize: " for T5 checkpoints trained with a task prefix
    device: str = "auto"  # auto | cpu | cuda | cuda:N | mps
    token_budget: int = 8192  # padded input tokens per encoder batch
    max_batch: int = 64  # reports per batch
    decode_rows: int = 128  # sequences decoded together (reports × beams)
    max_input_tokens: int | None = None  # default: the tokenizer's limit, else 512
    threads: int | None = None  # CPU threads for torch; default: all cores
    cache_dir: Path | None = None
    use_cache: bool = True
    online: bool = False  # allow downloads from the hub (off: the project runs offline)
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    engine: str = "auto"  # auto | ctranslate2 | torch (runtime.py)
    precision: str = "auto"  # auto | float32 | int8 | int8_float32 | int8_float16 | float16 | bfloat16


# --- pure helpers (no torch) --------------------------------------------------------------------


def resolve_model_path(name: str, models_dir: Path = MODELS_DIR) -> str:
    """A folder under models/, any local folder, or (returned unchanged) a hub id."""
    for candidate in (models_dir / name, Path(name).expanduser()):
        if (candidate / "config.json").is_file():
            return str(candidate)
    if Path(name).expanduser().exists():
        raise ConfigError(f"model folder {name} has no config.json", hint="is it a Hugging Face checkpoint?")
    return name


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


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def tidy_output(text: str) -> str:
    """SentencePiece puts spaces between some Chinese pieces; Chinese text has none."""
    return _CJK_SPACE.sub("", text).strip()


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
            from transformers import AutoTokenizer
        except ImportError as exc:  # the extractive backend needs none of this
            raise BriefError(
                f"the seq2seq backend needs transformers ({exc.name} is missing)",
                hint="run `make setup`, or pip install torch transformers sentencepiece protobuf",
            ) from None
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # our own messages only; no weight-loading progress bars
        hf_logging.disable_progress_bar()
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(
                self.path, revision=options.revision, local_files_only=not options.online
            )
        except OSError as exc:
            raise _cannot_load(options.model, exc) from None
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


def _cannot_load(model: str, exc: OSError) -> ConfigError:
    return ConfigError(
        f"cannot load model '{model}': {str(exc).splitlines()[0]}",
        hint="put a checkpoint under models/, or `brief model pull ID` where a network is available",
    )


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
        try:
            self.model = AutoModelForSeq2SeqLM.from_pretrained(
                self.path, revision=options.revision, local_files_only=not options.online, dtype=self.dtype
            )
        except OSError as exc:
            raise _cannot_load(options.model, exc) from None
        self.model.to(self.device).eval()
        eos = self.model.generation_config.eos_token_id
        eos_ids = eos if isinstance(eos, list) else [eos]
        # What may end a generated row: </s> (or [SEP]) and the padding after an early end.
        self.end_ids = {t for t in [*eos_ids, self.tokenizer.pad_token_id] if t is not None}
        if precision == "int8":
            self._quantize_int8()

    def _quantize_int8(self) -> None:
        """Dynamic int8 Linear layers (weights int8 per tensor, activations quantized per call),
        in place: a copy would hold the fp32 model twice. torch marks its eager quantization as
        deprecated in favour of torchao, but ships and runs it; its warnings say nothing to users."""
        import warnings

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


def load_engine(options: Seq2SeqOptions, notify: Callable[[str], None] = lambda _m: None) -> TokenizedEngine:
    """The engine the runtime plan names; CTranslate2 converts on first use and, when it
    cannot convert the checkpoint, gives way to torch with the reason."""
    from .runtime import plan_runtime, torch_plan

    plan = plan_runtime(resolve_model_path(options.model), options.engine, options.precision, options.device)
    if plan.engine == "ctranslate2":
        from .ct2 import CheckpointNotFound, ConversionError, Ct2Engine, convert_checkpoint

        try:
            conversion = convert_checkpoint(options.model, plan.precision, options.revision)
        except CheckpointNotFound as exc:
            if not options.online:  # torch may download it; offline it would fail the same way
                raise _cannot_load(options.model, OSError(str(exc))) from None
            plan = torch_plan(options.precision, options.device, str(exc))
        except ConversionError as exc:
            if options.engine == "ctranslate2":
                raise
            plan = torch_plan(options.precision, options.device, str(exc))
            notify(f"model {options.model}: {exc}; using {plan.label} instead")
        else:
            if conversion.fresh:
                notify(f"model {options.model}: converted for CTranslate2 in {conversion.seconds:.0f} s")
            try:
                return Ct2Engine(options, plan, conversion.path)
            except RuntimeError as exc:  # CTranslate2 refuses the converted model (its own message)
                if options.engine == "ctranslate2":
                    raise ConfigError(f"CTranslate2 cannot load {conversion.path}: {exc}") from None
                plan = torch_plan(options.precision, options.device, f"CTranslate2 cannot load it: {exc}")
                notify(f"model {options.model}: CTranslate2 cannot load {conversion.path}: {exc}; using {plan.label}")
    engine = Seq2SeqEngine(dataclasses.replace(options, precision=plan.precision))
    engine.plan = plan
    return engine


def _encoder_output(hidden: Any) -> Any:
    from transformers.modeling_outputs import BaseModelOutput

    return BaseModelOutput(last_hidden_state=hidden)


# --- the backend ------------------------------------------------------------------------------------


@dataclass
class _Job:
    index: int
    report: Report
    key: str
    pieces: list[str]


class Seq2SeqSummarizer:
    name = "seq2seq"

    def __init__(
        self,
        options: Seq2SeqOptions,
        engine: TokenizedEngine | None = None,
        notify: Callable[[str], None] = lambda _m: None,
    ) -> None:
        self.options = options
        self._engine = engine
        self.notify = notify
        self._planned: str | None = None
        self.fallback = ExtractiveSummarizer()
        self.cache = SummaryCache(options.cache_dir or default_cache_dir()) if options.use_cache else None

    @property
    def engine(self) -> TokenizedEngine:
        if self._engine is None:  # loaded on first need: a week served from the cache loads no model
            self._engine = load_engine(self.options, self.notify)
            plan = self._engine.plan
            if plan is not None:
                self.notify(f"model {self.options.model}: {plan.label} ({plan.reason})")
        return self._engine

    def _runtime_key(self) -> str:
        """Engine and precision (int8 writes slightly different text than float32)."""
        if self._engine is not None:
            plan = self._engine.plan
            return plan.key if plan else f"torch:{self._engine.options.precision}"
        if self._planned is None:
            from .runtime import plan_runtime

            options = self.options
            path = resolve_model_path(options.model)
            self._planned = plan_runtime(path, options.engine, options.precision, options.device).key
        return self._planned

    def _settings_key(self) -> dict[str, Any]:
        return {
            "generation": dataclasses.asdict(self.options.generation),
            "prefix": self.options.prefix,
            "max_input_tokens": self.options.max_input_tokens,
            "runtime": self._runtime_key(),
        }

    def _identity(self) -> str:
        path = resolve_model_path(self.options.model)
        return model_fingerprint(path, self.options.revision)

    def summarize(self, reports: Sequence[Report]) -> list[Summary]:
        results: list[Summary | None] = [None] * len(reports)
        identity = self._identity()
        jobs: list[_Job] = []
        for index, report in enumerate(reports):
            key = cache_key(report.body, identity, self._settings_key())
            entry = self.cache.get(key) if self.cache else None
            if entry is not None:
                results[index] = _summary_from_entry(entry)
            else:
                jobs.append(_Job(index, report, key, []))
        if jobs:
            self._run(jobs, results)
        return [r for r in results if r is not None]

    def _run(self, jobs: list[_Job], results: list[Summary | None]) -> None:
        planned = self._settings_key()
        engine = self.engine
        actual = self._settings_key()
        if actual != planned:  # e.g. CTranslate2 could not convert and torch runs: store under torch
            identity = self._identity()
            for job in jobs:
                job.key = cache_key(job.report.body, identity, actual)
        room = engine.max_input - engine.count_tokens([""])[0]  # what the prefix and </s> leave
        for job in jobs:
            job.pieces = split_into_chunks(job.report.body, engine.count_text_tokens, max(16, room))
        settings = self.options.generation
        texts = self._summarize_pieces(jobs, settings)
        model_name = self.options.model
        failed: list[tuple[_Job, str]] = []
        for job, text in zip(jobs, texts, strict=True):
            reason = check_summary(text, job.report.body)
            if reason is None:
                guard = GuardResult(True, None, model_name)
                self._finish(job, results, Summary(text, self.name, guard, len(job.pieces)))
            else:
                failed.append((job, reason))
        if failed:
            retry_jobs = [job for job, _ in failed]
            retried = self._summarize_pieces(retry_jobs, settings.safer())
            for (job, first_reason), text in zip(failed, retried, strict=True):
                reason = check_summary(text, job.report.body)
                if reason is None:
                    guard = GuardResult(True, None, model_name)
                    summary = Summary(text, self.name, guard, len(job.pieces))
                else:
                    why = first_reason if first_reason == reason else f"{first_reason}; retry: {reason}"
                    extractive = self.fallback.summarize([job.report])[0]
                    guard = GuardResult(False, why, model_name)
                    summary = Summary(extractive.text, extractive.backend, guard, len(job.pieces))
                self._finish(job, results, summary)

    def _summarize_pieces(self, jobs: list[_Job], settings: GenerationSettings) -> list[str]:
        """One pass over every piece of every job (batched together), then a second pass over
        the joined piece summaries of the jobs that had several pieces."""
        flat = [piece for job in jobs for piece in job.pieces]
        generated = self.engine.generate(flat, settings)
        per_job: list[list[str]] = []
        position = 0
        for job in jobs:
            per_job.append(generated[position : position + len(job.pieces)])
            position += len(job.pieces)
        combine = [i for i, job in enumerate(jobs) if len(job.pieces) > 1]
        joined = ["".join(per_job[i]) for i in combine]
        second = self.engine.generate(joined, settings)
        texts = [parts[0] if parts else "" for parts in per_job]
        for i, text in zip(combine, second, strict=True):
            texts[i] = text
        return texts

    def _finish(self, job: _Job, results: list[Summary | None], summary: Summary) -> None:
        results[job.index] = summary
        if self.cache:
            self.cache.put(job.key, _entry_from_summary(summary))


def _entry_from_summary(summary: Summary) -> dict[str, Any]:
    guard = summary.guard
    return {
        "text": summary.text,
        "backend": summary.backend,
        "chunks": summary.chunks,
        "guard": {"passed": guard.passed, "reason": guard.reason, "model": guard.model} if guard else None,
    }


def _summary_from_entry(entry: dict[str, Any]) -> Summary:
    guard = entry.get("guard")
    return Summary(
        text=str(entry["text"]),
        backend=str(entry["backend"]),
        guard=GuardResult(bool(guard["passed"]), guard["reason"], str(guard["model"])) if guard else None,
        chunks=int(entry.get("chunks", 1)),
        cached=True,
    )
