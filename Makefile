# Two entry points on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export ECOM_DATA_DIR ?= $(CURDIR)/data
export ECOM_DUCKDB_PATH ?= $(ECOM_DATA_DIR)/warehouse.duckdb
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: install browser postgres lint format dbt-parse test test-long demo screenshots bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

dbt-parse: install
	$(BIN)/ecom-analytics dbt-parse

lint: install dbt-parse
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# The dbt templater opens a DuckDB connection: give it a scratch file, not the warehouse.
	cd dbt_project && ECOM_DUCKDB_PATH=$(CURDIR)/dbt_project/target/sqlfluff.duckdb \
		../$(BIN)/sqlfluff lint models tests macros

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The browser tests drive Debian's chromium through chromedriver. As root, install them;
# otherwise stop at once with the one command that does.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing chromium and chromium-driver (browser tests)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else \
			echo "make test needs chromium and chromedriver: run 'sudo apt-get install -y chromium chromium-driver', then make test again" >&2; \
			exit 1; \
		fi; \
	fi

# The PostgreSQL tests start a throwaway server from the machine's initdb and pg_ctl. As
# root, install them when missing; otherwise those tests skip, saying why.
postgres:
	@if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing postgresql (PostgreSQL engine tests)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq postgresql >/dev/null; \
		else \
			echo "PostgreSQL binaries not found: the postgres tests will skip ('sudo apt-get install -y postgresql' runs them)" >&2; \
		fi; \
	fi

test: browser postgres lint
	$(BIN)/pytest -n 2 --dist loadfile -m "not long"

# The fault-injection and any-order replays: minutes each, so apart from `make test`. The
# Spark end to end runs last and alone: its JVMs beside the replays would share two cores.
test-long: install browser postgres dbt-parse
	$(BIN)/pytest -n 2 --dist loadfile -m "long and not spark"
	$(BIN)/pytest -m "long and spark"

demo: install
	$(BIN)/ecom-analytics demo

screenshots: install
	$(BIN)/ecom-analytics screenshots --out docs/img

bench: install
	$(BIN)/ecom-analytics bench

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs
