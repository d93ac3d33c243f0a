# The front door: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export NIDAAN_DATA_DIR ?= $(CURDIR)/var
# Debian packages the suite needs: a browser for the UI tests, gettext for the Hindi
# catalogue check, PostgreSQL for `make test-pg`, poppler-utils and zbar-tools to read
# printed PDFs and their QR codes back.
SYSTEM_PACKAGES := chromium gettext postgresql poppler-utils zbar-tools
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The suite runs on pytest-xdist workers, one per core, at least 2 (much of it waits on
# the hub, node and browser processes it starts) and at most 4 (each worker with sync
# tests runs its own hub and nodes). A test file stays whole on one worker, the browser
# tests together (tests/conftest.py). PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n < 2 ? 2 : n > 4 ? 4 : n )))
# Tests make their own data directories (nidaan/settings/test.py), never the checkout's var/.
PYTEST := env -u NIDAAN_DATA_DIR $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: run install system-deps test test-pg test-e2e test-security-long lint migrations-check bench messages clean

$(BIN)/nidaan: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Nidaan needs Python 3.11 or newer"; exit 1; }
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV) || \
		{ echo "python3 -m venv failed: install python3-venv (apt-get install python3-venv)"; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	@# sqlcipher3-binary (used until 2026-11) and sqlcipher3-wheels both install the
	@# `sqlcipher3` package, so an old set-up drops both and gets -wheels afresh.
	@if $(BIN)/pip show --quiet sqlcipher3-binary 2>/dev/null; then \
		$(BIN)/pip uninstall --quiet --yes sqlcipher3-binary sqlcipher3-wheels; fi
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(BIN)/nidaan

install: $(BIN)/nidaan

run: install
	@# A var/ made before the database was encrypted by default is converted first.
	$(BIN)/nidaan keys encrypt-database --if-needed
	$(BIN)/nidaan migrate --verbosity 0
	$(BIN)/nidaan demo
	@echo "Open http://$(HOST):$(PORT)/ in a browser (Ctrl+C stops Nidaan)."
	$(BIN)/nidaan serve --host $(HOST) --port $(PORT)

system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v zbarimg >/dev/null || missing="$$missing zbar-tools"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

test: install system-deps
	$(PYTEST)

test-pg: install system-deps
	@[ -n "$$DATABASE_URL" ] || { echo "set DATABASE_URL=postgres://USER:PASSWORD@HOST/DB"; exit 1; }
	@# Browser tests drive their own `nidaan serve` on SQLite; `make test` runs them.
	$(PYTEST) -m "not e2e"

# The attack suite's long modes (docs/security.md): ~30-60 minutes on 2 cores.
test-security-long: install system-deps
	NIDAAN_FUZZ_EXAMPLES=$${NIDAAN_FUZZ_EXAMPLES:-500} NIDAAN_KILL_RUNS=$${NIDAAN_KILL_RUNS:-200} \
		$(BIN)/pytest -q tests/security

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy src tests bench tools

migrations-check: install
	$(BIN)/nidaan makemigrations --check --dry-run

bench: install
	$(BIN)/python -m bench

# Refresh the Hindi catalogue from the sources and fill it from tools/translations/*.py
# (add your strings' Hindi there first); it prints any string still untranslated.
messages: install
	$(BIN)/python tools/fill_translations.py --regenerate tools/translations/*.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
