"""Fitting the region scorer on the development part of the labeled real pages (make fit, make ablate).

Only the `dev` split is read: the held-out part measures the result and is never fitted or tuned
on. Each page runs through the real pipeline; the inputs the pipeline gives the region resolver
are recorded on the way, so the features are those of exactly what `brief build` reads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import briefing.extract as extract_stage
from briefing.extract.gazetteer import Gazetteer, load_gazetteer
from briefing.extract.region_features import (
    FEATURES,
    L2,
    WRONG_COST,
    Candidate,
    Reading,
    RegionScorer,
    choose_threshold,
    describe_candidates,
    fit_logistic,
)
from briefing.extract.regions import decide_region, read_region, resolve_region
from briefing.models import Region

from .facts import Tally
from .real import REAL_DIR, extract_pages, load_real_labels

FIT_SPLIT = "dev"


@dataclass(frozen=True)
class Page:
    key: str
    gold: dict  # gold_region
    rules: Region
    reading: Reading | None
    candidates: tuple[Candidate, ...]


def read_dev_pages(folder: Path = REAL_DIR) -> list[Page]:
    """The dev pages with the rules' answer and the candidates, in label-file order."""
    pages = []
    for label in load_real_labels(folder):
        if label["split"] != FIT_SPLIT:
            continue
        seen: list[tuple[str, str, tuple[str, ...]]] = []

        def recording(title: str, body: str, outlets: tuple[str, ...] = (), _seen: list = seen) -> Region:
            _seen.append((title, body, outlets))
            return read_region(title, body, outlets)[0]  # the rules alone: fitting needs no weights file

        # The stage looks resolve_region up in its own module: swapped for this page only.
        extract_stage.resolve_region = recording
        try:
            extract_pages([label], folder)
        finally:
            extract_stage.resolve_region = resolve_region
        if not seen:  # a page the pipeline skips has no region to learn from
            continue
        rules, reading = read_region(*seen[-1])
        candidates = tuple(describe_candidates(reading)) if reading else ()
        pages.append(Page(label["id"], label["gold_region"], rules, reading, candidates))
    return pages


def is_right(candidate: Candidate, gold: dict, gaz: Gazetteer) -> bool:
    """The labeled county; a county labeled by its former name (济阳县, today's 济阳区) is it too."""
    want = gold.get("county")
    if not want:
        return False
    return candidate.place.name == want or gaz.former.get(want) == candidate.place.code


def design(pages: list[Page], mask: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Rows of candidate features (masked features zeroed), labels, and each row's page index."""
    gaz = load_gazetteer()
    rows, labels, owner = [], [], []
    keep = np.array([name not in mask for name in FEATURES], dtype=float)
    for i, page in enumerate(pages):
        for candidate in page.candidates:
            rows.append(np.array(candidate.values) * keep)
            labels.append(1.0 if is_right(candidate, page.gold, gaz) else 0.0)
            owner.append(i)
    return np.array(rows).reshape(-1, len(FEATURES)), np.array(labels), owner


def _masked(scorer: RegionScorer, mask: tuple[str, ...]) -> RegionScorer:
    weights = tuple(0.0 if name in mask else w for name, w in zip(FEATURES, scorer.weights, strict=True))
    return RegionScorer(weights, scorer.bias, scorer.threshold)


def fit_scorer(pages: list[Page], mask: tuple[str, ...] = ()) -> tuple[RegionScorer, list[tuple[float, bool]]]:
    """Weights from all dev pages; the threshold from leave-one-page-out probabilities, so that it
    is chosen on answers for pages the weights did not see."""
    x, y, owner = design(pages, mask)
    weights, bias = fit_logistic(x, y)
    owners = np.array(owner)
    gaz = load_gazetteer()
    held_out: list[tuple[float, bool]] = []
    for i, page in enumerate(pages):
        if not page.candidates:
            continue
        others = owners != i
        w, b = fit_logistic(x[others], y[others])
        scorer = _masked(RegionScorer(tuple(w), b, 0.0), mask)
        best, probability = scorer.best(list(page.candidates))
        held_out.append((probability, is_right(best, page.gold, gaz)))
    threshold = choose_threshold(held_out)
    return RegionScorer(tuple(float(v) for v in weights), bias, threshold), held_out


def county_tally(pages: list[Page], decide: Callable[[Page], Region]) -> dict[str, Tally]:
    """County and town precision/recall of a decision procedure on the pages."""
    tallies = {"county": Tally(), "town": Tally()}
    for page in pages:
        region = decide(page)
        for level, tally in tallies.items():
            tally.count(page.gold.get(level), getattr(region, level))
    return tallies


def scored(scorer: RegionScorer) -> Callable[[Page], Region]:
    def decide(page: Page) -> Region:
        return decide_region(page.reading, list(page.candidates), scorer) if page.reading else page.rules

    return decide


def by_rules(page: Page) -> Region:
    return page.rules


def provenance(folder: Path, pages: list[Page], command: str) -> dict:
    labels = (folder / "labels.jsonl").read_bytes()
    return {
        "labels_sha256": hashlib.sha256(labels).hexdigest(),
        "split": FIT_SPLIT,
        "pages": len(pages),
        "candidates": sum(len(p.candidates) for p in pages),
        "fitted_on": dt.date.today().isoformat(),
        "command": command,
        "l2": L2,
        "wrong_cost": WRONG_COST,
        "threshold_from": "leave-one-page-out probabilities on the dev pages",
    }


def weights_document(scorer: RegionScorer, source: dict) -> dict:
    return {
        "about": "Region scorer: logistic regression over briefing/extract/region_features.py FEATURES, "
        "fitted by scripts/fit_regions.py (make fit) on the dev split of ../shared/real only.",
        "source": source,
        "bias": round(scorer.bias, 6),
        "threshold": scorer.threshold,
        "weights": {name: round(w, 6) for name, w in zip(FEATURES, scorer.weights, strict=True)},
    }


def dump_weights(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
