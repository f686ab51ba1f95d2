"""Print region, date and chair scores on the labeled real pages in ../shared/real (make eval-real).

`-v` lists every wrong answer of the development part; `--heldout-errors` those of the held-out
part too (look, don't tune: rules are changed only on evidence from `dev`). `--dir FOLDER` scores
another folder laid out the same way (pages/ and labels.jsonl), every split it holds, errors listed
with `-v`: for an extra development set collected outside the repository.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `python scripts/eval_real.py` puts scripts/ on sys.path, not the repository root where the
# (unshipped) evaluation package lives.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evaluation.real import REAL_DIR, SPLITS, evaluate_split, format_real, load_real_labels


def main() -> int:
    folder, splits = REAL_DIR, SPLITS
    if "--dir" in sys.argv:
        folder = Path(sys.argv[sys.argv.index("--dir") + 1])
    if not (folder / "labels.jsonl").exists():
        print(f"no labeled real pages at {folder}", file=sys.stderr)
        return 2
    if folder != REAL_DIR:
        splits = tuple(dict.fromkeys(label["split"] for label in load_real_labels(folder)))
    for split in splits:
        scores = evaluate_split(split, folder)
        print(format_real(split, scores))
        show = "-v" in sys.argv and (split != "heldout" or "--heldout-errors" in sys.argv)
        if show and scores.errors:
            print("\n".join(scores.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
