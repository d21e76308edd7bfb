"""Each dbt model's contract lives in dbt: its check, the dashboard's marts and the marts' column
types all agree with the manifest, and a disagreement is refused."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from ecom_analytics import settings
from ecom_analytics.assets.dashboard import DASHBOARD_MARTS
from ecom_analytics.checks.dbt_models import (
    MODEL_CHECKS,
    PANDERA_SCHEMAS,
    ModelCheck,
    contract_disagreements,
    model_checks,
)
from ecom_analytics.checks.model_schemas.dimensions import DimDateSchema
from ecom_analytics.dbt_manifest import manifest_models
from ecom_analytics.project import ensure_manifest

APP_DIR = settings.PROJECT_ROOT / "app"


def manifest_configs() -> dict[str, dict]:
    """Each model's config exactly as dbt wrote it to manifest.json."""
    manifest = json.loads(ensure_manifest().read_text())
    return {
        node["name"]: node["config"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }


def test_every_models_check_has_dbts_window_column_and_materialization() -> None:
    configs = manifest_configs()
    assert {check.table for check in MODEL_CHECKS} == set(configs)
    for check in MODEL_CHECKS:
        config = configs[check.table]
        assert check.materialized == config["materialized"], check.table
        assert check.window_column == config.get("window_column"), check.table
        assert not contract_disagreements(check, manifest_models()[check.table]), check.table


def test_a_whole_table_model_is_checked_whole_and_an_incremental_one_by_window() -> None:
    for check in MODEL_CHECKS:
        if check.materialized == "incremental":
            assert check.window_column in check.pandera_schema.to_schema().columns, check.table
        else:
            assert check.window_column is None, check.table
    [dim_date] = [check for check in MODEL_CHECKS if check.table == "dim_date"]
    assert (dim_date.materialized, dim_date.window_column) == ("table", None)


def test_a_check_that_disagrees_with_dbt_is_refused() -> None:
    dim_date = manifest_models()["dim_date"]
    windowed = ModelCheck("marts", "dim_date", DimDateSchema, "date_day", "table")
    assert contract_disagreements(windowed, dim_date) == [
        "check's window column is date_day, dbt's is None"
    ]
    as_incremental = dataclasses.replace(
        ModelCheck.of(dim_date, DimDateSchema), materialized="incremental"
    )
    assert contract_disagreements(as_incremental, dim_date) == [
        "check says incremental, dbt says table"
    ]


def test_a_table_model_configured_with_a_window_column_is_refused() -> None:
    models = dict(manifest_models())
    models["dim_date"] = dataclasses.replace(models["dim_date"], window_column="date_day")
    with pytest.raises(ValueError, match="dim_date: a table is rebuilt whole"):
        model_checks(models)


def test_a_model_without_a_pandera_schema_is_refused() -> None:
    schemas = {name: schema for name, schema in PANDERA_SCHEMAS.items() if name != "dim_date"}
    with pytest.raises(ValueError, match="do not pair up: \\['dim_date'\\]"):
        model_checks(manifest_models(), schemas)


def test_the_dashboard_depends_on_exactly_the_marts_the_app_reads() -> None:
    read = set()
    for path in APP_DIR.rglob("*.py"):
        read |= set(re.findall(r"\bmarts\.(\w+)", path.read_text()))
    assert set(DASHBOARD_MARTS) == read
    assert {manifest_models()[name].schema for name in DASHBOARD_MARTS} == {"marts"}


def test_every_mart_enforces_a_contract_typing_each_of_its_columns() -> None:
    # The manifest is parsed for the engine in use; PostgreSQL leaves contracts unenforced
    # (dbt_project.yml says why).
    adapter = json.loads(ensure_manifest().read_text())["metadata"]["adapter_type"]
    marts = [model for model in manifest_models().values() if model.schema == "marts"]
    assert marts
    for model in marts:
        assert model.contract_enforced == (adapter != "postgres"), model.name
        untyped = [name for name, data_type in model.columns.items() if not data_type]
        assert not untyped, (model.name, untyped)
