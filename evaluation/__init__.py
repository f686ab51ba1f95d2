"""Scoring brief's extracted facts against labeled data: tests/data/facts* (`facts`) and the real
pages in ../shared/real (`real`). Used by scripts/ and tests/, not shipped with the package
(pyproject lists only briefing.*)."""
