# Two commands on a fresh machine with Python 3.11 and make:
#   make run    set up .venv and run the default scenario
#   make test   set up .venv with the test extras; ruff, mypy and the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint typecheck pytest bench bench-peers backtest fuzz uncertainty clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q src/accord  # bytecode even where PYTHONDONTWRITEBYTECODE=1
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q src/accord
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/accord run

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# The browser tests (tests/test_browser.py) drive Debian's Chromium through Playwright's
# executable_path; never `playwright install`.
chromium:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

pytest: $(VENV)/.installed-test chromium
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run_all.py

# Reference implementations (decide, KTAB built -O3, jmckib's BDM replication) set up
# outside the repository (ACCORD_PEERS_DIR, default ~/.cache/accord-peers; KTAB's build
# apt-gets its libraries), then timed side by side; RECORD=1 rewrites
# benchmarks/data/peer_timings.json, which `make bench` prints when a peer is missing.
bench-peers: $(VENV)/.installed-test
	-$(BIN)/python benchmarks/peers.py setup
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/bench_peers.py $(if $(RECORD),--record)

# Regenerate the back-test tables in README.md and the files in docs/backtest/.
backtest: $(VENV)/.installed-test
	$(BIN)/accord backtest deu --by-proposal --out docs/backtest --readme README.md
	cp docs/backtest/deu-summary.csv src/accord/datasets/data/deu-backtest-summary.csv
	$(BIN)/accord backtest wars --out docs/backtest --readme README.md

# The long fuzz (issue 16): >= 1e5 generated hostile inputs, a time and memory limit per
# case, a JSON report of every distinct failure with its smallest reproducer.
FUZZ_CASES ?= 100000
fuzz: $(VENV)/.installed-test
	$(BIN)/python tests/fuzzing.py --cases $(FUZZ_CASES) --report fuzz-report.json

# Sobol sweeps of both flagships under default judgement uncertainty: README table, docs/uncertainty/.
uncertainty: $(VENV)/.installed-test
	$(BIN)/python scripts/flagship_uncertainty.py 256

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
