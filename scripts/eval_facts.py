"""Print precision/recall of region, date and officials on tests/data/facts (make eval)."""

from __future__ import annotations

import sys
from pathlib import Path

from briefing.evaluate.facts import extract_labeled, format_scores, load_labels, score

FACTS = Path(__file__).resolve().parent.parent / "tests" / "data" / "facts"


def main() -> int:
    labels = load_labels(FACTS)
    reports = extract_labeled(FACTS, labels)
    scores = score(labels, reports)
    print(format_scores(scores, len(reports)))
    if "-v" in sys.argv:
        print("\n".join(scores.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
