"""Summarize: cleaned reports -> short summaries, by a backend chosen by name."""

from .base import BACKENDS, Summarizer, get_summarizer

__all__ = ["BACKENDS", "Summarizer", "get_summarizer"]
