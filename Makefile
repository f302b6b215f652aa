# publish: build the samples, install the validators, lint and test.
# On a fresh Debian 12 machine, `make build` and then `make test` are all it takes.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# stamp: the venv holds the project as pyproject.toml asks
INSTALLED := $(VENV)/.installed
BUILD := build
PROOF := $(BUILD)/proof
PYTEST_ARGS ?=

VAL_HOME ?= $(HOME)/.cache/validators
export VAL_HOME

# Samples: each manuscript/*.md file (but the folder's README.md) and each manuscript/*/
# folder that has a book.toml
SAMPLES := $(sort $(filter-out manuscript/README.md,$(wildcard manuscript/*.md)) \
                  $(patsubst %/book.toml,%,$(wildcard manuscript/*/book.toml)))

.PHONY: help build validators system lint typecheck unit golden test proof bench bench-check bench-validators clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

$(BIN)/python:
	bash scripts/install-validators.sh --system
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

build: $(INSTALLED)  ## build every sample under manuscript/ into build/
	@test -n "$(SAMPLES)" || { echo "no samples under manuscript/"; exit 1; }
	@for sample in $(SAMPLES); do \
	  echo "== publish build $$sample -o $(BUILD)"; \
	  $(BIN)/publish build "$$sample" -o $(BUILD); \
	done

system:  ## install only the Debian packages a build needs
	bash scripts/install-validators.sh --system

validators:  ## install EPUBCheck, Ace, page-validation and outloud under VAL_HOME
	bash scripts/install-validators.sh

lint: $(INSTALLED)  ## ruff
	$(BIN)/ruff check publish tests

typecheck: $(INSTALLED)  ## mypy over publish/ (its settings are in pyproject.toml)
	$(BIN)/mypy

# The fast tier leaves out what needs the validators or the corpus (tests/conftest.py marks
# them) and the slow tests: deselected and counted in the summary, never skipped. Both tiers
# run on every core. The whole suite keeps a module's tests on one worker (`--dist
# loadscope`): a module-wide fixture (a server, a folder of builds checked by every validator)
# is then made once, where `load` splits a module and each worker makes it again (30-40 s a
# module); the fast tier has no such fixture and balances better test by test.
UNIT_MARKERS := not slow and not validators and not corpus and not browser
PARALLEL := -n auto
WHOLE_PARALLEL := -n auto --dist loadscope

unit: $(INSTALLED) lint  ## ruff, then the fast tests: no validators, no corpus, no slow tests (< 2 min)
	@echo "== pytest -q -m \"$(UNIT_MARKERS)\" $(PYTEST_ARGS)"
	@status=0; \
	$(BIN)/python -m pytest -q -rfEs $(PARALLEL) -m "$(UNIT_MARKERS)" $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

golden: $(INSTALLED)  ## rewrite tests/golden/expected from the renderers' output now, listing what changed
	$(BIN)/python -m pytest -q tests/golden --update-golden $(PYTEST_ARGS)

# pytest exits 5 when it collects no test: that is a broken suite, not a pass.
test: $(INSTALLED) validators lint typecheck  ## ruff and mypy, then the whole test suite (slow tests included)
	@echo "== pytest -q $(PYTEST_ARGS) (validators from $(VAL_HOME)/bin)"
	@export PATH="$(VAL_HOME)/bin:$$PATH"; status=0; \
	$(BIN)/python -m pytest -q -rfEs $(WHOLE_PARALLEL) $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

# One short manuscript per script the toolkit sets (tests/typefaces builds them too).
WORLD := $(sort $(wildcard tests/typefaces/manuscripts/*.md))

proof: build validators  ## render the first 12 pages of each PDF in build/ (its title page, a chapter opening, a footnote page, a table page, the first figure's page and the one before, and the page craft: a page of body text, a part-title page, a blank verso, a closing ornament), the sample's large print at 24 pt (where its figure floats), the first pages of each world-script manuscript, and a braille page of each PEF as dots, to build/proof/*.png; the web page's states to build/proof/web-*.png; every page of the sample's web edition to build/proof/lighthouse-web-*.png
	PYTHON=$(BIN)/python bash scripts/proof.sh $(BUILD) $(PROOF) 12
	$(BIN)/publish build manuscript/lighthouse -o $(BUILD)/large-24 -q --edition large-print --size 24
	PYTHON=$(BIN)/python bash scripts/proof.sh $(BUILD)/large-24 $(PROOF)/large-24 0
	@for manuscript in $(WORLD); do $(BIN)/publish build "$$manuscript" -o $(BUILD)/world -q; done
	PYTHON=$(BIN)/python bash scripts/proof.sh $(BUILD)/world $(PROOF)/world 6
	$(BIN)/python scripts/braille_proof.py $(BUILD) $(PROOF)
	@echo "== the web page in Chromium: $(PROOF)/web-<state>-<1280|320>.png"
	PATH="$(VAL_HOME)/bin:$$PATH" PUBLISH_WEB_PROOF="$(abspath $(PROOF))" \
	  $(BIN)/python -m pytest -q -p no:cacheprovider tests/service/test_browser.py
	@echo "== the web edition in Chromium: $(PROOF)/lighthouse-web-<page>-<light|dark>-<1280|320>.png"
	PATH="$(VAL_HOME)/bin:$$PATH" PUBLISH_WEB_PROOF="$(abspath $(PROOF))" \
	  $(BIN)/python -m pytest -q -p no:cacheprovider tests/site/test_web_browser.py -k sample_book

BENCH_ARGS ?=
bench: $(INSTALLED)  ## speed and memory ratios against the anchors' pipeline, then the quick start, a 2 MB token and the build service (BENCH_ARGS=--quick, or --startup, --hostile or --service alone), then reading a novel as Word
	@command -v pandoc >/dev/null || apt-get install -y -qq --no-install-recommends pandoc >/dev/null
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)
	$(BIN)/python scripts/bench_word.py

bench-check: $(INSTALLED)  ## what the text checks of `publish check` cost on the corpus novels, against its semantic parity
	$(BIN)/python scripts/bench_check.py

BOOKS ?= 12
bench-validators: $(INSTALLED) validators  ## `publish check` on BOOKS Word files of the corpus: each alone, then all in one batch (CPU ratio)
	$(BIN)/python scripts/bench_validators.py --books $(BOOKS)

clean:  ## remove build outputs and tool caches (keeps .venv)
	rm -rf $(BUILD) .pytest_cache .ruff_cache .mypy_cache .hypothesis *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean  ## also remove .venv (the validators under VAL_HOME stay)
	rm -rf $(VENV)
