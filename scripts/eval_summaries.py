"""Print character-level ROUGE of the extractive summarizer against lead-3 and jionlp."""

from __future__ import annotations

import sys
from pathlib import Path

from briefing.evaluate.rouge import compare, jionlp_summary, lead3, load_references
from briefing.ingest import IngestOptions, iter_input_files
from briefing.pipeline import process_file
from briefing.summarize.extractive import ExtractiveSummarizer

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    references = load_references(ROOT / "tests/data/reference_summaries.json")
    reports = [process_file(p, IngestOptions()) for p in iter_input_files(ROOT / "seeds")]
    ours = ExtractiveSummarizer()
    systems = {
        "extractive (brief)": lambda r: ours.summarize([r])[0].text,
        "lead-3": lead3,
        "jionlp.extract_summary": jionlp_summary,
    }
    scores = compare(reports, references, systems)
    for name, score in scores.items():
        print(f"{name:<24} {score}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
