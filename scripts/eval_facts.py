"""Print precision/recall of region, date and officials on tests/data/facts (make eval)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `python scripts/eval_facts.py` puts scripts/ on sys.path, not the repository root where the
# (unshipped) evaluation package lives.
sys.path.insert(0, str(ROOT))

from evaluation.facts import extract_labeled, format_scores, load_labels, score  # noqa: E402

DATA = ROOT / "tests" / "data"
# facts: the development set the rules were tuned on; facts_holdout: written blind to the code.
SETS = ("facts", "facts_holdout")


def main() -> int:
    for name in SETS:
        folder = DATA / name
        if not (folder / "labels.json").exists():
            continue
        labels = load_labels(folder)
        reports = extract_labeled(folder, labels)
        scores = score(labels, reports)
        print(f"== {name}")
        print(format_scores(scores, len(reports)))
        if "-v" in sys.argv and scores.errors:
            print("\n".join(scores.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
