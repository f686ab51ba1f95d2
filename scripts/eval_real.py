"""Print region, date and chair scores on the labeled real pages in ../shared/real (make eval-real).

`-v` lists every wrong answer of the development part; `--heldout-errors` those of the held-out
part too (look, don't tune: rules are changed only on evidence from `dev`).
"""

from __future__ import annotations

import sys
from pathlib import Path

# `python scripts/eval_real.py` puts scripts/ on sys.path, not the repository root where the
# (unshipped) evaluation package lives.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evaluation.real import REAL_DIR, SPLITS, evaluate_split, format_real


def main() -> int:
    if not (REAL_DIR / "labels.jsonl").exists():
        print(f"no labeled real pages at {REAL_DIR}", file=sys.stderr)
        return 2
    for split in SPLITS:
        scores = evaluate_split(split)
        print(format_real(split, scores))
        show = "-v" in sys.argv and (split == "dev" or "--heldout-errors" in sys.argv)
        if show and scores.errors:
            print("\n".join(scores.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
