# nghiquyet — the whole set-up is `make demo` (run the product) and `make test` (run every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export NGHIQUYET_DATA_DIR ?= $(CURDIR)/data

# The extraction pipeline's modules that mypyc compiles, and what they import from the rest of nghiquyet.
PIPELINE := nghiquyet/ingestion/pipeline
PIPELINE_COMPILED := $(filter-out $(PIPELINE)/__init__.py $(PIPELINE)/cli.py $(PIPELINE)/evaluate.py,$(wildcard $(PIPELINE)/*.py)) nghiquyet/core/text.py

.PHONY: setup setup-test demo serve test test-fast check lint format bench clean compile

## setup: virtualenv, Python packages, front-end packages, compiled pipeline (idempotent, quick when nothing changed)
setup: $(VENV)/.stamp-app $(VENV)/.stamp-compiled node_modules/.stamp

$(VENV)/.stamp-app: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[compile]'
	@touch $@

## the pipeline compiled with mypyc into $(VENV)/nghiquyet-compiled/, rebuilt when a stage module changes;
## without a C compiler it warns and the pipeline runs as pure Python (same output)
$(VENV)/.stamp-compiled: $(VENV)/.stamp-app scripts/compile_pipeline.py $(PIPELINE_COMPILED)
	$(BIN)/python scripts/compile_pipeline.py --stamp $@

## compile: the same build, failing when it cannot be made (CI)
compile: $(VENV)/.stamp-app
	$(BIN)/python scripts/compile_pipeline.py --strict --stamp $(VENV)/.stamp-compiled

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
# NGHIQUYET_EXPECT_COMPILED: the set-up just built the pipeline, so a test checks it is the one that runs.
test: setup-test
	NGHIQUYET_EXPECT_COMPILED=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: setup-test
	NGHIQUYET_EXPECT_COMPILED=1 $(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

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
	$(BIN)/python bench/uploads.py
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/extract_instructions.py
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/backup.py

$(VENV)/.stamp-bench: pyproject.toml
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test,bench]'
	@touch $@

clean:
	rm -rf $(VENV) node_modules
