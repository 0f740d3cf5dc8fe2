# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_NO_CONFIG := 1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench install migrate seed lint check clean messages system-deps system-deps-runtime

# Install only when the lock files change: the stamp is newer than both.
$(VENV)/.installed: requirements/bootstrap.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/bootstrap.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements/dev.txt
	touch $@

# Test-time JavaScript tools (axe-core, the Compose schema); the lock records no addresses.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

seed: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo

# Debian packages beyond Python (WeasyPrint's Pango, poppler, Chromium for browser tests):
# installed when running as root, otherwise the exact command is printed.
system-deps:
	bash scripts/system-deps.sh test

system-deps-runtime:
	bash scripts/system-deps.sh runtime

run: system-deps-runtime seed
	@echo "Serving on http://$(HOST):$(PORT)/ (citizen / demo-pass-1405)"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install node_modules/.installed system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The performance suite (bench/): writes bench/results.md. `make test` runs it in a smoke size.
bench: install system-deps
	$(BIN)/python -m bench $(BENCH_ARGS)

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: install
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var db.sqlite3
