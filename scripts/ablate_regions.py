"""Each region feature's contribution on the dev pages of ../shared/real (make ablate).

For every feature: the scorer refitted without it (weight held at 0, threshold chosen again),
and what that does to county precision and recall on dev, in-sample and leave-one-page-out.
A feature whose removal changes nothing contributes nothing on these pages. Dev only: the
held-out part is never used to judge a feature.

    .venv/bin/python scripts/ablate_regions.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.extract.region_features import FEATURES
from evaluation.real import REAL_DIR
from evaluation.region_fit import by_rules, county_tally, fit_scorer, read_dev_pages, scored


def main() -> int:
    if not (REAL_DIR / "labels.jsonl").exists():
        print(f"no labeled real pages at {REAL_DIR}", file=sys.stderr)
        return 2
    pages = read_dev_pages()
    fires = {name: sum(1 for p in pages for c in p.candidates if name in c.fired) for name in FEATURES}

    def row(name: str, mask: tuple[str, ...]) -> str:
        scorer, held_out = fit_scorer(pages, mask)
        county = county_tally(pages, scored(scorer))["county"]
        placed = [ok for p, ok in held_out if p >= scorer.threshold]
        loo = f"{sum(placed)}/{len(placed)}"
        return (
            f"{name:<28}{fires.get(name, ''):>6}  P {county.precision:.3f} R {county.recall:.3f} "
            f"({county.correct}/{county.predicted})  leave-one-out right/placed {loo:>7}"
        )

    rules = county_tally(pages, by_rules)["county"]
    print(f"{len(pages)} dev pages; hand rules alone: county P {rules.precision:.3f} R {rules.recall:.3f}")
    print(f"{'without':<28}{'fires':>6}")
    print(row("(all features)", ()))
    for name in FEATURES:
        print(row(name, (name,)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
