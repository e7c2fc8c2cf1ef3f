# The same targets for people and for CI. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
# Every install takes its versions from constraints.txt (build tools included), so a fresh
# machine gets the same packages as the last green CI run. `make constraints` refreshes it.
PIP_INSTALL = $(BIN)/python -m pip install --quiet -c constraints.txt --build-constraint constraints.txt

.PHONY: run chat test browser crash fuzz bench lint format typecheck constraints clean

run: $(VENV)/.installed
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(BIN)/outreach-coach run; else $(BIN)/outreach-coach chat; fi

chat: $(VENV)/.installed
	$(BIN)/outreach-coach chat

test: $(VENV)/.installed-dev browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q

# The Mini App's browser tests drive Debian's chromium with Playwright (whose own browser
# download is not used); emoji fonts make the screenshots look as on a phone. Without them the
# browser tests skip and say why.
BROWSER_PACKAGES = chromium fonts-noto-color-emoji
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1 \
	    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1; } \
	    || echo "make: could not install chromium; the browser tests will skip"; \
	  else \
	    echo "make: no /usr/bin/chromium (apt-get install $(BROWSER_PACKAGES)); the browser tests will skip"; \
	  fi; \
	fi

crash: $(VENV)/.installed-dev
	CRASH_ROUNDS=100 $(BIN)/pytest -q -s tests/test_crash.py

fuzz: $(VENV)/.installed-dev
	FUZZ_EXAMPLES=500 $(BIN)/pytest -q tests/test_fuzz.py

# The full benchmarks of issue 13 (figures and how to read them: docs/BENCHMARKS.md). Each bot
# runs in its own process against a Bot API server in another, beside a bare PTB echo bot.
# Replies: about 2 minutes. Fan-out: 1,000 / 10,000 / 100,000 users, then a minute paced at
# 30 a second and 10 s at 300 paid: on a quiet 2-core machine about 35 minutes with the
# fan-out of b81a615 (about 15 ms of CPU a message), about 15 with the batched fan-out (about
# 5 ms); most of it the 100,000-user tick. Shared with other work, up to twice as long.
# It rewrites docs/fanout.png. A small version of both runs in `make test`.
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.replies
	$(BIN)/python -m bench.fanout --chart docs/fanout.png
	$(BIN)/python -m bench.replicas

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

$(VENV)/.installed: pyproject.toml constraints.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -c constraints.txt pip setuptools
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -c constraints.txt pip setuptools
	$(PIP_INSTALL) -e ".[dev]"
	touch $@ $(VENV)/.installed

# Resolve the newest versions pyproject.toml allows in a scratch venv and pin them all.
constraints:
	rm -rf .constraints-venv
	$(PYTHON) -m venv .constraints-venv
	.constraints-venv/bin/python -m pip install --quiet --upgrade pip setuptools
	.constraints-venv/bin/python -m pip install --quiet ".[dev]"
	{ echo "# Pinned versions for every install (make, CI, the Dockerfile). Regenerate: make constraints"; \
	  .constraints-venv/bin/python -m pip freeze --all --exclude outreach-coach; } > constraints.txt
	rm -rf .constraints-venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis test-output
