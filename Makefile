# Two commands on a fresh machine: `make run` and `make test`.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PYTHON  ?= python3
LANDING ?= data/landing

export OMNI_LANDING_DIR ?= $(CURDIR)/$(LANDING)
export OMNI_WAREHOUSE   ?= $(CURDIR)/warehouse/omnichannel.duckdb
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: setup run test dev lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## create .venv and install the pinned dependencies

run: setup ## generate the sample landing zone if there is none, then run the whole pipeline
	@test -d "$(OMNI_LANDING_DIR)" || $(BIN)/omni generate --out "$(OMNI_LANDING_DIR)"
	$(BIN)/omni run

test: setup ## lint, then the pytest suite (unit and integration)
	$(BIN)/ruff check omni orchestration tests bench
	$(BIN)/pytest

dev: setup ## the Dagster UI on the project (http://127.0.0.1:3000)
	mkdir -p .dagster && cp dagster.yaml .dagster/dagster.yaml
	DAGSTER_HOME=$(CURDIR)/.dagster $(BIN)/dagster dev

lint: setup ## ruff and a dbt parse against the in-memory lint target
	$(BIN)/ruff check omni orchestration tests bench
	$(BIN)/ruff format --check omni orchestration tests bench
	$(BIN)/dbt parse --target lint --quiet

bench: setup ## ingestion benchmark at 100,000 customers
	$(BIN)/python -m bench.ingestion

clean:
	rm -rf warehouse target logs .dagster
