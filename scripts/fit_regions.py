"""Refit the region scorer on the dev pages of ../shared/real and print what changed (make fit).

Writes briefing/data/region_weights.json with where the weights came from (the label file's
hash, the dev page count, the date, this command). `--dry-run` prints without writing.
Deterministic: the same labels give the same weights and threshold.

    .venv/bin/python scripts/fit_regions.py
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.extract.region_features import FEATURES, WEIGHTS_FILE, RegionScorer
from evaluation.real import REAL_DIR
from evaluation.region_fit import (
    by_rules,
    county_tally,
    dump_weights,
    fit_scorer,
    provenance,
    read_dev_pages,
    scored,
    weights_document,
)

COMMAND = ".venv/bin/python scripts/fit_regions.py  (make fit)"


def _cell(value: float | None) -> str:
    return f"{value:>9.3f}" if value is not None else f"{'—':>9}"


def main() -> int:
    if not (REAL_DIR / "labels.jsonl").exists():
        print(f"no labeled real pages at {REAL_DIR}", file=sys.stderr)
        return 2
    target = Path(str(resources.files("briefing").joinpath(WEIGHTS_FILE)))
    old_document = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {"weights": {}}
    try:
        old = RegionScorer.from_json(old_document)
    except (KeyError, ValueError):
        old = None  # the features changed since the last fit: its weights are listed, not scored
    pages = read_dev_pages()
    new, held_out = fit_scorer(pages)
    print(f"fitted on {len(pages)} dev pages, {sum(len(p.candidates) for p in pages)} candidate counties")
    print(f"{'feature':<28}{'old':>9}{'new':>9}")
    new_weights = dict(zip(FEATURES, new.weights, strict=True))
    for name in dict.fromkeys([*FEATURES, *old_document["weights"]]):
        before, after = old_document["weights"].get(name), new_weights.get(name)
        print(f"{name:<28}{_cell(before)}{_cell(after)}")
    print(f"{'bias':<28}{_cell(old_document.get('bias'))}{new.bias:>9.3f}")
    print(f"{'threshold':<28}{_cell(old_document.get('threshold'))}{new.threshold:>9.3f}")
    right = sum(ok for p, ok in held_out if p >= new.threshold)
    placed = sum(p >= new.threshold for p, _ in held_out)
    print(f"leave-one-page-out on dev: {right}/{placed} counties placed right at the new threshold")
    print("\ndev scores (in-sample for the fitted weights):")
    runs = [("hand rules", by_rules), ("new weights", scored(new))]
    if old is not None:
        runs.insert(1, ("old weights", scored(old)))
    for name, decide in runs:
        tallies = county_tally(pages, decide)
        print(f"  {name:<12} " + "  ".join(f"{level} {t.describe()}" for level, t in tallies.items()))
    if "--dry-run" in sys.argv:
        return 0
    document = weights_document(new, provenance(REAL_DIR, pages, COMMAND))
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(dump_weights(document), encoding="utf-8")
    tmp.replace(target)  # a crash mid-write never leaves half a weights file
    print(f"\nwrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
