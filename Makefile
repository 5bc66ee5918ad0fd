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

.PHONY: setup setup-app setup-test demo serve test test-fast check lint format bench clean compile bundle

# A line "==> …" before each step that takes more than a few seconds: a first start shows where it is.

## setup: virtualenv, Python packages, front-end packages, compiled pipeline (idempotent, quick when nothing changed)
setup: setup-app $(VENV)/.stamp-compiled

## setup-app: what the product needs to run (the pipeline then runs as pure Python until compiled)
setup-app: $(VENV)/.stamp-app node_modules/.stamp

# --no-compile: Python compiles each module the first time it is imported, instead
# of pip compiling all of Django, pydantic… at install (a third of the install's time).
$(VENV)/.stamp-app: pyproject.toml
	@printf '\n==> %s\n' "Cài các gói Python vào $(VENV)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-compile -e .
	@touch $@

## the pipeline compiled with mypyc into $(VENV)/nghiquyet-compiled/, rebuilt when a stage module changes;
## without a C compiler it warns and the pipeline runs as pure Python (same output)
$(VENV)/.stamp-compiled: $(VENV)/.stamp-app scripts/compile_pipeline.py $(PIPELINE_COMPILED)
	@printf '\n==> %s\n' "Biên dịch bộ đọc văn bản bằng mypyc (chừng 1 phút; chỉ làm lại khi mã nguồn của nó đổi)"
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[compile]'
	$(BIN)/python scripts/compile_pipeline.py --stamp $@

## compile: the same build, failing when it cannot be made (CI)
compile: $(VENV)/.stamp-app
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[compile]'
	$(BIN)/python scripts/compile_pipeline.py --strict --stamp $(VENV)/.stamp-compiled

node_modules/.stamp: package.json package-lock.json
	@printf '\n==> %s\n' "Cài các thư viện giao diện (npm ci)"
	npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	@touch $@

## setup-test: what the tests need besides the app: test packages, Debian's Chromium, LibreOffice
setup-test: setup $(VENV)/.stamp-test
	@bash scripts/install-system-deps.sh

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-app
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $@

COMPILE_LOG := $(VENV)/compile-background.log

## demo: set up, migrate the SQLite database in data/, load units and demo data, serve on 127.0.0.1:8000;
## the extractor is compiled in the background once the server answers (it never delays the first start)
demo: setup-app
	@printf '\n==> %s\n' "Tạo cơ sở dữ liệu trong $(NGHIQUYET_DATA_DIR)"
	$(BIN)/nghiquyet migrate --noinput
	@printf '\n==> %s\n' "Nạp 34 tỉnh, 3.321 xã và các đơn vị trước 01/7/2025"
	$(BIN)/nghiquyet load-units
	@printf '\n==> %s\n' "Tạo dữ liệu mẫu"
	$(BIN)/nghiquyet demo
	@# The compiled extractor, when missing or stale: built once the server answers, at low priority;
	@# the server already running keeps the pure-Python pipeline (same output), the next start uses the build.
	@if ! $(BIN)/python -c 'import nghiquyet.ingestion.pipeline as p; raise SystemExit(not p.COMPILED)' 2>/dev/null; then \
	  echo "Bộ đọc văn bản sẽ được biên dịch (mypyc) khi máy chủ đã chạy, ở mức ưu tiên thấp; nhật ký: $(COMPILE_LOG)"; \
	  ( $(BIN)/python scripts/when-up.py http://$(HOST):$(PORT)/healthz && \
	    nice -n 19 $(BIN)/python -m pip install -q --disable-pip-version-check -e '.[compile]' && \
	    nice -n 19 $(BIN)/python scripts/compile_pipeline.py --stamp $(VENV)/.stamp-compiled ) > $(COMPILE_LOG) 2>&1 & \
	fi
	@printf '\n==> %s\n' "Khởi động máy chủ web"
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

## bundle: dist/nghiquyet-….tar.gz, everything to install on a machine with no network (README)
bundle: setup-app
	$(BIN)/python scripts/bundle.py --out dist

clean:
	rm -rf $(VENV) node_modules
