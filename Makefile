# One command sets up and runs the demo (make demo); one runs the tests (make test).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup demo test lint bench eval eval-summary clean

setup: $(STAMP)

# Re-installs only when pyproject.toml changed. No torch here: the embedded summarizer needs none,
# so a CPU-only machine never downloads a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: setup
	$(VENV)/bin/brief build --week --input seeds --out out

test: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check briefing tests scripts
	$(VENV)/bin/ruff format --check briefing tests scripts

bench: setup
	$(PY) scripts/bench.py

eval: setup
	$(PY) scripts/eval_facts.py

# Compares with jionlp's summarizer, which pulls a 150 MB segmenter: installed only here.
eval-summary: setup
	$(PY) -m pip install --quiet --disable-pip-version-check 'jionlp>=1.5'
	$(PY) scripts/eval_summaries.py

clean:
	rm -rf out .pytest_cache .ruff_cache
