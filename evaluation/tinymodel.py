"""Build a random-weight MT5 checkpoint with a SentencePiece vocabulary trained on the fly.

Used by the tests (a tiny model, seconds to build) and by `make bench-model` (the exact
google/mt5-small architecture): the real seq2seq code runs offline, without any download.
Random weights write nonsense, which is what the faithfulness guard must catch.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

# google/mt5-small's configuration (config.json of the published checkpoint).
MT5_SMALL = {
    "d_model": 512,
    "d_kv": 64,
    "d_ff": 1024,
    "num_layers": 8,
    "num_decoder_layers": 8,
    "num_heads": 6,
    "relative_attention_num_buckets": 32,
    "feed_forward_proj": "gated-gelu",
    "tie_word_embeddings": False,
    "vocab_size": 250112,
}
TINY = {"d_model": 32, "d_kv": 8, "d_ff": 64, "num_layers": 2, "num_decoder_layers": 2, "num_heads": 4}


@dataclass(frozen=True)
class TinyModelSpec:
    architecture: dict
    vocab_size: int = 2000  # SentencePiece pieces; the model's embedding may be larger (mt5-small)
    seed: int = 0


def train_sentencepiece(texts: list[str], folder: Path, vocab_size: int) -> Path:
    import sentencepiece as spm

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as corpus:
        for text in texts:
            corpus.write(text.replace("\r", "") + "\n")
    try:
        spm.SentencePieceTrainer.train(
            input=corpus.name,
            model_prefix=str(folder / "spiece"),
            vocab_size=vocab_size,
            hard_vocab_limit=False,  # a small corpus may not support the size asked for
            character_coverage=1.0,
            model_type="unigram",
            pad_id=0,
            eos_id=1,
            unk_id=2,
            bos_id=-1,
            minloglevel=2,
        )
    finally:
        os.unlink(corpus.name)
    return folder / "spiece.model"


def build_mt5(folder: Path, texts: list[str], spec: TinyModelSpec) -> Path:
    """Write tokenizer + random MT5 weights to `folder`; return it."""
    import torch
    from transformers import MT5Config, MT5ForConditionalGeneration, T5Tokenizer

    train_sentencepiece(texts, folder, spec.vocab_size)
    # transformers 5 converts the SentencePiece model when loading a folder that holds it.
    tokenizer = T5Tokenizer.from_pretrained(str(folder), extra_ids=0)
    arch = dict(spec.architecture)
    arch["vocab_size"] = max(arch.get("vocab_size", 0), len(tokenizer))
    config = MT5Config(
        **arch,
        decoder_start_token_id=tokenizer.pad_token_id,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    # transformers 5 resets tie_word_embeddings to True in the constructor; mt5-small has an
    # untied lm_head (and a tied one makes a random model echo its input token forever).
    config.tie_word_embeddings = arch.get("tie_word_embeddings", config.tie_word_embeddings)
    torch.manual_seed(spec.seed)
    model = MT5ForConditionalGeneration(config)
    model.save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    return folder
