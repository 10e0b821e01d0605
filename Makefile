# Kết nghĩa — the two commands of the README, and a few helpers.
#   make run    set up (virtualenv, requirements, database, demo data) and serve on http://127.0.0.1:8000
#   make test   set up and run the whole test suite (DATABASE_URL=postgres://… for PostgreSQL)
#   make bench  the national benchmark on PostgreSQL (benchmarks/national.py; BENCH_ARGS="--scale 0.05" for a quick run)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: run test bench setup check lint format messages clean-db

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

setup: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --accounts

# The background worker (exports, large imports) runs beside the web server and stops with it.
run: setup
	@echo "Serving Kết nghĩa at http://$(HOST)/ with a background worker (Ctrl+C to stop both)"
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --interval 1 --no-reload -v0 & \
	$(BIN)/python manage.py runserver $(HOST)

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# A nation's synthetic movement on PostgreSQL (DATABASE_URL, default the twinning_bench
# database on 127.0.0.1, created if missing), pages, import, workbook and gunicorn measured
# side by side with the admin, bulk_create, COPY and a trivial view. Prints a table.
bench: $(VENV)/.runtime-installed
	$(BIN)/python benchmarks/national.py $(BENCH_ARGS)

check: $(VENV)/.dev-installed
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

lint: check

format: $(VENV)/.dev-installed
	$(BIN)/python -m ruff check --fix .
	$(BIN)/python -m ruff format .

# Re-extract the messages (needs GNU gettext), keep the English catalogue complete,
# compile both and list any Vietnamese message still to translate.
messages: $(VENV)/.dev-installed
	$(BIN)/python manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=locale_thirdparty
	$(BIN)/python scripts/i18n_apply.py

clean-db:
	rm -f db.sqlite3
