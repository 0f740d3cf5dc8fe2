# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_NO_CONFIG := 1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench soak city install migrate seed lint check clean messages system-deps system-deps-runtime

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

# var/dev.env: the settings `make run` serves with, read by manage.py when the environment
# gives none, so the README's `.venv/bin/python manage.py …` commands work beside it.
var/dev.env:
	mkdir -p var
	printf '# Written by make: development settings for manage.py (never for a deployment).\nDEBUG=1\n' > $@

migrate: install var/dev.env
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

seed: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo

# Debian packages beyond Python (WeasyPrint's Pango, poppler, Chromium for browser tests):
# installed when running as root, otherwise the exact command is printed.
system-deps:
	bash scripts/system-deps.sh test

system-deps-runtime:
	bash scripts/system-deps.sh runtime

# SMS links and the certificate's QR code carry SITE_URL: to open them on a phone, serve on
# every interface with this machine's address, e.g.
# `make run HOST=0.0.0.0 SITE_URL=http://192.168.1.20:8000`.
SITE_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
run: system-deps-runtime seed
	@echo "Serving on http://$(HOST):$(PORT)/ (citizen / demo-pass-1405)"
	@case "$(SITE_URL)" in *//127.*|*//localhost*) echo "QR codes and SMS links point at $(SITE_URL): only this machine opens them (another device: make run HOST=0.0.0.0 SITE_URL=http://<this machine's address>:$(PORT))";; esac
	@# Beat's schedule in a second process (no broker here): outbox sweep, reminders, timers,
	@# payment reconciliation, draft purge. Stopped with the server.
	mkdir -p var; DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py run_periodic --every 30 > var/periodic.log 2>&1 & \
	  trap "kill $$! 2>/dev/null" EXIT INT TERM; \
	  DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install node_modules/.installed system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The performance suite (bench/): writes bench/results.md. `make test` runs it in a smoke size.
bench: install system-deps
	$(BIN)/python -m bench $(BENCH_ARGS)

# Ten minutes of 50 simulated citizens against gunicorn + a Celery worker (needs PostgreSQL
# and Redis): section 6 of bench/results.md. Never part of bench or test.
soak: install
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

# The staff pages at 10 M cases (section 3b): checks free disk first; hours, not minutes.
city: install
	$(BIN)/python -m bench.city $(CITY_ARGS)

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: install
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var db.sqlite3
