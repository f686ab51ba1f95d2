"""Evaluation of brief's stages against labeled data (summaries: ROUGE; facts: precision/recall)."""
