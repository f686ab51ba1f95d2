"""The CTranslate2 engine: a checkpoint converted once, then run in int8 (CPU) or bf16 (CUDA).

Conversion (`brief model convert NAME`, or automatically on first use) writes the converted
copy beside the checkpoint: `models/NAME.ct2/<revision>-<quantization>/`, where the revision is
the hub commit, or for a local folder a fingerprint of its files, so a changed checkpoint gets a
new conversion. It is written to a temporary folder and renamed into place, so concurrent runs
never see half a model. A checkpoint the converter rejects leaves `failed.json` there, with the
reason, and runs on torch until the checkpoint changes.

The engine keeps the checkpoint's own tokenizer (identical input ids to the torch engine) and
talks to CTranslate2 in the converted vocabulary's token strings, mapped by position (a model's
embedding may be larger than its tokenizer, as mT5's is); batches are length-sorted within the
token budget, exactly as the torch engine plans them.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from ..model_paths import QUANTIZATIONS, read_json_object
from .checkpoint import (
    Checkpoint,
    Conversion,
    ConversionError,
    conversion_path,
    conversion_root,
    locate_checkpoint,
)
from .runtime import RuntimePlan
from .seq2seq import (
    GenerationSettings,
    Seq2SeqOptions,
    TokenizedEngine,
    _generation_config,
    broken_checkpoint_error,
    plan_batches,
    read_checkpoint_defaults,
)

# Reports per CTranslate2 batch, within the token budget as well. Greedy decoding gains from many
# rows (each step reads the vocabulary projection once for all of them); beam search keeps 16
# reports × 4 beams, the batch measured in issue 11 (not tuned further on this machine).
GREEDY_ROWS = 64
BEAM_REPORTS = 16


def convert_checkpoint(
    name: str, quantization: str = "int8", revision: str | None = None, force: bool = False
) -> Conversion:
    """The converted copy of a checkpoint, converting it now if it is not there yet."""
    if quantization not in QUANTIZATIONS:
        raise ConversionError(f"unknown quantization '{quantization}'", hint=", ".join(QUANTIZATIONS))
    checkpoint = locate_checkpoint(name, revision)
    target = conversion_path(checkpoint, quantization)
    if (target / "model.bin").is_file() and not force:
        return Conversion(target, quantization, 0.0, fresh=False)
    try:
        import ctranslate2
    except ImportError:
        raise ConversionError("the ctranslate2 package is not installed", hint="run `make setup`") from None
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    root = conversion_root(checkpoint)
    start = time.perf_counter()
    try:
        root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=root))
    except OSError as exc:
        raise ConversionError(f"cannot write the converted model under {root}: {exc.strerror}") from None
    try:
        converter = _converter(ctranslate2)(str(checkpoint.folder), low_cpu_mem_usage=True, trust_remote_code=False)
        with warnings.catch_warnings():  # torch's pickle and transformers' load warnings say nothing to users
            warnings.simplefilter("ignore")
            converter.convert(str(work / "model"), quantization=quantization, force=True)
        _fill_special_tokens(work / "model", checkpoint.folder)
        if target.exists():  # --force, or a run beside us finished first: ours replaces it
            shutil.rmtree(target, ignore_errors=True)
        os.replace(work / "model", target)
    except Exception as exc:  # the converter raises plain ValueError/NotImplementedError/KeyError
        broken = broken_checkpoint_error(name, str(checkpoint.folder), exc)
        if broken is not None:  # a bad file is no conversion failure: not recorded, and torch would fail too
            raise broken from None
        reason = (str(exc).splitlines() or [type(exc).__name__])[0] or type(exc).__name__
        _record_failure(root, checkpoint, reason)
        raise ConversionError(f"CTranslate2 cannot convert {name}: {reason}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (root / "failed.json").unlink(missing_ok=True)
    return Conversion(target, quantization, time.perf_counter() - start, fresh=True)


# Config attributes CTranslate2's loaders read that transformers 5 dropped from the config
# classes, with the value the architecture always had (BART is post-norm).
_CONFIG_DEFAULTS = {"bart": {"normalize_before": False}}


def _converter(ctranslate2: Any) -> Any:
    class Converter(ctranslate2.converters.TransformersConverter):
        """CTranslate2's converter, loading as the torch engine loads: no code of the
        checkpoint's own (the converter passes trust_remote_code only when it is True, and None
        makes transformers ask on stdin), and only its token ids as the generation config."""

        def load_model(self, model_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
            token_ids = read_checkpoint_defaults(model_name_or_path).token_ids
            kwargs.update(trust_remote_code=False, generation_config=_generation_config(token_ids))
            model = super().load_model(model_class, model_name_or_path, **kwargs)
            for key, value in _CONFIG_DEFAULTS.get(model.config.model_type, {}).items():
                if not hasattr(model.config, key):
                    setattr(model.config, key, value)
            return model

        def load_tokenizer(self, tokenizer_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
            return super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs | {"trust_remote_code": False})

    return Converter


def _fill_special_tokens(converted: Path, checkpoint: Path) -> None:
    """CTranslate2 takes bos/eos from the tokenizer; a BertTokenizer (Chinese BART and T5
    checkpoints) has none, and the checkpoint's config names them by id ([CLS], [SEP])."""
    settings_file = converted / "config.json"
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    model_config = read_json_object(checkpoint / "config.json")
    target = _vocabularies(converted)[1]
    changed = False
    for key in ("bos_token", "eos_token"):
        token_id = model_config.get(f"{key}_id")
        if settings.get(key) is None and isinstance(token_id, int) and 0 <= token_id < len(target):
            settings[key] = target[token_id]
            changed = True
    if changed:
        settings_file.write_text(json.dumps(settings, indent=2, ensure_ascii=False), encoding="utf-8")


def _record_failure(root: Path, checkpoint: Checkpoint, reason: str) -> None:
    with contextlib.suppress(OSError):  # not recording it only costs a retry next time
        (root / "failed.json").write_text(
            json.dumps({"revision": checkpoint.revision, "reason": reason}, ensure_ascii=False), encoding="utf-8"
        )


class Ct2Engine(TokenizedEngine):
    """A converted checkpoint in a CTranslate2 Translator, with the checkpoint's tokenizer."""

    def __init__(self, options: Seq2SeqOptions, plan: RuntimePlan, converted: Path) -> None:
        import ctranslate2

        super().__init__(options)
        self.plan = plan
        self.converted = converted
        self.translator = ctranslate2.Translator(
            str(converted),
            device=plan.device.split(":")[0],
            device_index=int(plan.device.split(":")[1]) if ":" in plan.device else 0,
            compute_type=plan.precision,
            intra_threads=options.threads or os.cpu_count() or 1,
            inter_threads=1,
        )
        source, target = _vocabularies(converted)
        self.source_tokens = source
        self.target_ids = {token: index for index, token in reversed(list(enumerate(target)))}

    def generate_ids(self, texts: list[str], settings: GenerationSettings) -> list[list[int]]:
        """Generated token ids (without the end token) for each input, in input order."""
        if not texts:
            return []
        encoded = self.encode(texts)
        lengths = [len(e) for e in encoded]
        reports = GREEDY_ROWS if settings.num_beams == 1 else BEAM_REPORTS
        outputs: list[list[int]] = [[] for _ in texts]
        for batch in plan_batches(lengths, self.options.token_budget, min(self.options.max_batch, reports)):
            tokens = [[self.source_tokens[t] for t in encoded[i]] for i in batch]
            results = self.translator.translate_batch(tokens, **_ct2_kwargs(settings))
            for index, result in zip(batch, results, strict=True):
                row = [self.target_ids[t] for t in result.hypotheses[0]]
                while row and row[-1] == self.tokenizer.pad_token_id:  # as the torch engine strips them
                    row.pop()
                outputs[index] = row
        return outputs


def _vocabularies(converted: Path) -> tuple[list[str], list[str]]:
    """The converted model's source and target tokens; position = the model's token id."""
    shared = converted / "shared_vocabulary.json"
    if shared.is_file():
        tokens = json.loads(shared.read_text(encoding="utf-8"))
        return tokens, tokens
    source = json.loads((converted / "source_vocabulary.json").read_text(encoding="utf-8"))
    target = json.loads((converted / "target_vocabulary.json").read_text(encoding="utf-8"))
    return source, target


def _ct2_kwargs(settings: GenerationSettings) -> dict[str, Any]:
    """Our generation settings in CTranslate2's terms (the same search as transformers')."""
    return {
        "beam_size": settings.num_beams,
        "max_decoding_length": settings.max_new_tokens,
        "min_decoding_length": settings.min_new_tokens,
        "no_repeat_ngram_size": settings.no_repeat_ngram_size,
        "repetition_penalty": settings.repetition_penalty,
        "length_penalty": settings.length_penalty,
        "num_hypotheses": 1,
        "return_scores": False,
    }
