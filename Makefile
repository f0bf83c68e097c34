# One entry point per job. `make demo` and `make test` are the README's two commands.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
DATA ?= data
WAREHOUSE ?= $(DATA)/warehouse.duckdb
INBOX ?= samples/inbox
# the suite on both cores: one worker per core, a test file (or the files sharing a session
# build, tests/conftest.py SHARED_BUILD_UNITS) at a time on one worker; PYTEST_PARALLEL=
# runs it in one process
PYTEST_PARALLEL ?= -n 2 --dist loadscope --no-loadscope-reorder

.PHONY: setup demo test test-fast lint lint-sql dbt-build gx up samples clean browser docs-assets

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

## setup: install uv if missing, create .venv (pinned by uv.lock), migrate Airflow's metadata DB
setup: $(VENV)/.synced
	$(VENV)/bin/xxgk airflow-init --data-dir $(DATA)

## demo: set up, then load the bundled sample reports end to end (Airflow → dbt → GX)
demo: setup
	$(VENV)/bin/xxgk load --inbox $(INBOX) --warehouse $(WAREHOUSE)

## browser: Debian's chromium, a CJK font and LibreOffice (legacy .doc/.wps) for the tests
## that need them (they skip with a reason when these are absent)
browser:
	@{ command -v chromium >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1 \
	  && fc-list :lang=zh 2>/dev/null | grep -q .; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium fonts-wqy-microhei libreoffice-writer-nogui) >/dev/null 2>&1 \
	      || echo "could not install chromium/LibreOffice: their tests will skip"; \
	  else echo "chromium/LibreOffice absent (needs root + apt): their tests will skip"; fi; }

## test: lint, format check, types and the whole test suite (unit, extraction, DAG, dbt, GX, end to end)
test: $(VENV)/.synced browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/sqlfluff lint dbt_project/models dbt_project/tests
	$(VENV)/bin/python -m pytest $(PYTEST_PARALLEL)

test-fast: $(VENV)/.synced
	$(VENV)/bin/python -m pytest $(PYTEST_PARALLEL) -m "not integration"

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/sqlfluff lint dbt_project/models dbt_project/tests

## lint-sql: the dbt SQL against .sqlfluff (jinja templater with dbt builtins; no warehouse)
lint-sql: $(VENV)/.synced
	$(VENV)/bin/sqlfluff lint dbt_project/models dbt_project/tests

# the data directory's layout is the package's (xxgk.core.paths.DataDir): ask it, never spell it
DATA_PATH = $(VENV)/bin/python -m xxgk.core.paths

## dbt-build: dbt build on $(WAREHOUSE), with the target and logs the pipeline's dbt step uses
dbt-build: $(VENV)/.synced
	XXGK_WAREHOUSE=$(abspath $(WAREHOUSE)) $(VENV)/bin/dbt build \
		--project-dir dbt_project --profiles-dir dbt_project \
		--target-path "$$($(DATA_PATH) dbt-target $(WAREHOUSE))" \
		--log-path "$$($(DATA_PATH) dbt-logs $(WAREHOUSE))"

gx: $(VENV)/.synced
	$(VENV)/bin/python -c "from pathlib import Path; from xxgk.orchestration.pipeline import validate_step; print(validate_step(Path('$(WAREHOUSE)'), {}))"

samples: $(VENV)/.synced
	$(VENV)/bin/python -m xxgk.synthetic.samples samples

## docs-assets: re-vendor the Data Docs' browser files from the npm registry (needs npm; NOTICE)
docs-assets:
	plugins/xxgk/quality/docs_assets/fetch.sh

## up: the multi-worker deployment (needs Docker and an .env made from .env.example)
up:
	docker compose up -d --build

clean:
	rm -rf $(DATA)/warehouse.duckdb $(DATA)/raw $(DATA)/extracted $(DATA)/landing $(DATA)/dbt $(DATA)/quality
