# nghiquyet — the whole set-up is `make demo` (run the product) and `make test` (run every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export NGHIQUYET_DATA_DIR ?= $(CURDIR)/data

.PHONY: setup setup-test demo serve test test-fast check lint format bench clean

## setup: virtualenv, Python packages, front-end packages (idempotent, quick when nothing changed)
setup: $(VENV)/.stamp-app node_modules/.stamp

$(VENV)/.stamp-app: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e .
	@touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## setup-test: what the tests need besides the app: test packages, Debian's Chromium, LibreOffice
setup-test: setup $(VENV)/.stamp-test
	@bash scripts/install-system-deps.sh

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-app
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $@

## demo: set up, migrate the SQLite database in data/, load units and demo data, serve on 127.0.0.1:8000
demo: setup
	$(BIN)/nghiquyet migrate --noinput
	$(BIN)/nghiquyet load-units
	$(BIN)/nghiquyet demo
	$(BIN)/nghiquyet serve --host $(HOST) --port $(PORT)

serve: setup
	$(BIN)/nghiquyet serve --host $(HOST) --port $(PORT)

## test: set up with test needs, then the whole suite (browser tests included)
test: setup-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: setup-test
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

## check: lint, format, types of the pure-Python parts, migrations (CI runs it)
check: lint
	$(BIN)/mypy
	$(BIN)/nghiquyet makemigrations --check --dry-run

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: every benchmark, each printing its figures beside a baseline measured in the same run
bench: setup-test $(VENV)/.stamp-bench
	$(BIN)/python bench/rollup.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/extract.py

$(VENV)/.stamp-bench: pyproject.toml
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test,bench]'
	@touch $@

clean:
	rm -rf $(VENV) node_modules
