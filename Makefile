# The same targets for people and for CI. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: run chat test crash fuzz bench lint format typecheck clean

run: $(VENV)/.installed
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(BIN)/outreach-coach run; else $(BIN)/outreach-coach chat; fi

chat: $(VENV)/.installed
	$(BIN)/outreach-coach chat

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q

crash: $(VENV)/.installed-dev
	CRASH_ROUNDS=100 $(BIN)/pytest -q -s tests/test_crash.py

fuzz: $(VENV)/.installed-dev
	FUZZ_EXAMPLES=500 $(BIN)/pytest -q tests/test_fuzz.py

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.fanout

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
