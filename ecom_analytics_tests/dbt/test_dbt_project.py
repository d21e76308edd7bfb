"""The dbt project's shape: sources, vars, yml, grain statements, and how Dagster sees it."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from dagster import TimeWindow
from dagster_dbt import DbtProject

from ecom_analytics import settings, tables, vocabulary
from ecom_analytics.assets.dbt import DBT_LAYERS, dbt_models
from ecom_analytics.assets.dbt_env import WINDOW_END_ENV, WINDOW_START_ENV, dbt_window_env
from ecom_analytics.checks.dbt_models import MODEL_CHECKS
from ecom_analytics.orchestration.partitions import daily_partitions
from ecom_analytics.project import dbt_vars as passed_vars
from ecom_analytics.project import ensure_manifest, manifest_is_stale

from .dataset import DAY_1, DAY_2
from .warehouse import query, run_dbt

MODELS_DIR = settings.DBT_PROJECT_DIR / "models"


def load_yml(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def yml_models() -> dict[str, dict]:
    """Every model in the `_<folder>__models.yml` files, by name."""
    return {
        model["name"]: model
        for layer in DBT_LAYERS
        for model in load_yml(MODELS_DIR / layer / f"_{layer}__models.yml")["models"]
    }


def model_sql_files() -> dict[str, Path]:
    return {path.stem: path for path in MODELS_DIR.rglob("*.sql")}


def test_source_columns_match_the_table_contract() -> None:
    sources = load_yml(MODELS_DIR / "staging" / "_staging__sources.yml")["sources"]
    declared = {
        (source["schema"], table["name"]): {
            column["name"]: column["data_type"].upper() for column in table["columns"]
        }
        for source in sources
        for table in source["tables"]
    }
    contract = {
        (table.schema, table.name): {name: type_.upper() for name, type_ in table.columns.items()}
        for table in [*tables.VALIDATED_TABLES.values(), tables.QUARANTINE]
    }
    assert declared == contract
    # Same order too, so that the docs read like the table.
    for key, columns in declared.items():
        assert list(columns) == list(contract[key]), key


def test_dbt_vocabulary_vars_equal_the_python_vocabulary() -> None:
    dbt_vars = load_yml(settings.DBT_PROJECT_DIR / "dbt_project.yml")["vars"]
    assert dbt_vars["session_gap_minutes"] == vocabulary.SESSION_GAP_MINUTES
    assert dbt_vars["event_types"] == list(vocabulary.EVENT_TYPES)
    assert dbt_vars["devices"] == list(vocabulary.DEVICES)
    assert dbt_vars["channels"] == list(vocabulary.CHANNELS)
    assert dbt_vars["loyalty_tiers"] == list(vocabulary.LOYALTY_TIERS)
    assert dbt_vars["sources"] == list(vocabulary.SOURCES)
    # And Dagster passes the same values at run time.
    assert passed_vars() == dbt_vars


def test_dbt_window_covers_the_whole_backfill_range() -> None:
    # A single-run backfill of 2024-01-05..2024-01-30 hands the asset one window over all of it.
    first = daily_partitions.time_window_for_partition_key("2024-01-05")
    last = daily_partitions.time_window_for_partition_key("2024-01-30")
    window = TimeWindow(first.start, last.end)
    keys = daily_partitions.get_partition_keys_in_time_window(window)

    env = dbt_window_env(window.start, window.end)

    # Half-open [min_date, max_date): each of the 26 days, and not the days either side.
    min_date, max_date = (
        date.fromisoformat(env[name]) for name in (WINDOW_START_ENV, WINDOW_END_ENV)
    )
    assert (min_date, max_date) == (date(2024, 1, 5), date(2024, 1, 31))
    days = [date.fromisoformat(key) for key in keys]
    assert len(days) == 26
    assert all(min_date <= day < max_date for day in days)
    assert not min_date <= min_date - timedelta(days=1) < max_date
    assert not min_date <= max_date < max_date


def test_dbt_window_refuses_an_empty_window() -> None:
    with pytest.raises(ValueError, match="empty"):
        dbt_window_env(date(2024, 1, 2), date(2024, 1, 2))


def test_every_models_folder_has_one_yml_stating_each_models_grain() -> None:
    for layer in DBT_LAYERS:
        assert sorted(path.name for path in (MODELS_DIR / layer).glob("*.yml")) == sorted(
            [f"_{layer}__models.yml"] + (["_staging__sources.yml"] if layer == "staging" else [])
        )
    models = yml_models()
    assert set(models) == set(model_sql_files())
    for name, model in models.items():
        assert "one row per" in " ".join(model["description"].lower().split()), name
        assert model["columns"], name


def test_no_model_reads_the_wall_clock() -> None:
    wall_clock = re.compile(r"current_date|current_timestamp|\bnow\s*\(|getdate|localtime", re.I)
    for folder in ("models", "macros", "tests"):
        for path in (settings.DBT_PROJECT_DIR / folder).rglob("*.sql"):
            assert not wall_clock.search(path.read_text()), path


def test_every_dbt_model_has_a_pandera_check() -> None:
    assert {check.table for check in MODEL_CHECKS} == set(model_sql_files())
    for check in MODEL_CHECKS:
        assert check.rules.__name__.endswith("Rules")
        for name, column in check.pandera_schema.columns.items():
            assert column.description, (check.table, name)


def test_dbt_assets_use_schema_and_table_keys_grouped_by_layer() -> None:
    keys = {key.path[0]: set() for key in dbt_models.keys}
    for key in dbt_models.keys:
        keys[key.path[0]].add(key.path[1])
        assert dbt_models.group_names_by_key[key] == key.path[0]
    assert set(keys) == set(DBT_LAYERS)
    assert keys["staging"] == {"stg_events", "stg_products", "stg_users", "stg_quarantine"}
    upstream = {tuple(key.path) for key in dbt_models.dependency_keys} - {
        tuple(key.path) for key in dbt_models.keys
    }
    assert upstream == {
        ("validated", "events"),
        ("validated", "products"),
        ("validated", "users"),
        ("quality", "quarantine"),
    }
    assert dbt_models.partitions_def == daily_partitions
    # Every dbt test blocks, but the cross-day uniqueness of event ids, which only warns
    # between a late earlier day and the re-ingestion of the later day (docs/runbook.md).
    assert {spec.name for spec in dbt_models.check_specs if not spec.blocking} == {
        "stg_events_event_id_unique_across_all_days"
    }


def test_every_model_column_is_documented_in_yml(built_warehouse: Path) -> None:
    built: dict[str, list[str]] = {}
    for table, column in query(
        built_warehouse,
        "select table_name, column_name from information_schema.columns "
        "where table_schema in ('staging', 'intermediate', 'marts') "
        "order by table_name, ordinal_position",
    ):
        built.setdefault(table, []).append(column)
    documented = {
        name: {column["name"] for column in model["columns"]}
        for name, model in yml_models().items()
    }
    assert documented == {name: set(columns) for name, columns in built.items()}


def test_ensure_manifest_parses_only_when_the_project_changed(tmp_path: Path) -> None:
    project_dir = tmp_path / "dbt_project"
    shutil.copytree(
        settings.DBT_PROJECT_DIR, project_dir, ignore=shutil.ignore_patterns("target", "logs")
    )
    project = DbtProject(project_dir=project_dir, profiles_dir=project_dir)
    assert manifest_is_stale(project)

    manifest = ensure_manifest(project)
    assert manifest.exists() and not manifest_is_stale(project)
    parsed_at = manifest.stat().st_mtime
    assert ensure_manifest(project).stat().st_mtime == parsed_at

    # Forced (a deployment on another warehouse path): parsed again although nothing
    # changed, with the parse state the first build starts from beside the manifest.
    state = manifest.with_name("partial_parse.msgpack")
    state.unlink()
    assert ensure_manifest(project, force=True).stat().st_mtime != parsed_at
    assert state.exists()

    model = project_dir / "models" / "marts" / "dim_date.sql"
    later = time.time() + 5
    os.utime(model, (later, later))
    assert manifest_is_stale(project)


def test_dbt_docs_generate_writes_a_catalog_of_every_model(
    built_warehouse: Path, tmp_path: Path
) -> None:
    run_dbt(built_warehouse, tmp_path, DAY_1, DAY_2, command="docs generate")
    catalog = json.loads((tmp_path / "catalog.json").read_text())
    # The business-rule tests store their failing rows as tables too: models only here.
    models = {
        node["metadata"]["name"]
        for unique_id, node in catalog["nodes"].items()
        if unique_id.startswith("model.")
    }
    assert models == set(yml_models())


def test_the_dbt_resource_skips_what_the_project_never_uses(monkeypatch) -> None:
    # dagster-dbt runs `dbt --version` and opens a dbt adapter before every command; this
    # project's resource states the installed dbt-core instead and opens no adapter.
    import importlib.metadata

    import dagster_dbt.core.resource
    from packaging import version

    from ecom_analytics.project import dbt_cli_resource

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"unexpected subprocess: {args}")

    monkeypatch.setattr(dagster_dbt.core.resource, "check_output", no_subprocess)
    resource = dbt_cli_resource()
    assert resource._cli_version == version.parse(importlib.metadata.version("dbt-core"))
    assert resource._cli_version.major < 2  # dbt Core: dagster-dbt reads its structured logs
    assert resource._initialize_dbt_core_adapter(["build"]) is None


def test_dbt_gets_the_pipelines_duckdb_memory_bound(monkeypatch) -> None:
    # The profile's default is the Python default, and the exported value wins.
    import yaml

    from ecom_analytics import settings
    from ecom_analytics.engines.duckdb_engine import DuckDBEngine

    profile = yaml.safe_load((settings.DBT_PROJECT_DIR / "profiles.yml").read_text())
    limit = profile["ecom_analytics"]["outputs"]["duckdb"]["settings"]["memory_limit"]
    assert limit == (
        f"{{{{ env_var('{settings.DUCKDB_MEMORY_LIMIT_ENV}', "
        f"'{settings.DEFAULT_DUCKDB_MEMORY_LIMIT}') }}}}"
    )
    monkeypatch.setenv(settings.DUCKDB_MEMORY_LIMIT_ENV, "3GB")
    assert DuckDBEngine().dbt_env()[settings.DUCKDB_MEMORY_LIMIT_ENV] == "3GB"
