"""Each dbt model's contract lives in dbt: its check, the dashboard's marts and the marts' column
types all agree with the manifest, and a disagreement is refused."""

from __future__ import annotations

import dataclasses
import json
import re

import polars as pl
import pytest
from pandera.engines.polars_engine import Engine as PanderaEngine

from ecom_analytics import settings
from ecom_analytics.assets.dashboard import DASHBOARD_MARTS
from ecom_analytics.checks.dbt_models import (
    MODEL_CHECKS,
    MODEL_RULES,
    ModelCheck,
    contract_disagreements,
    model_checks,
)
from ecom_analytics.checks.model_schemas import columns as col
from ecom_analytics.checks.model_schemas.columns import ModelRules, model_schema, polars_type
from ecom_analytics.checks.model_schemas.dimensions import DimDateRules
from ecom_analytics.dbt_manifest import judged_keys, manifest_models
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


def test_a_whole_table_model_is_checked_whole_and_a_windowed_one_by_window() -> None:
    models = manifest_models()
    for check in MODEL_CHECKS:
        replaced_by_key = models[check.table].replace_key is not None
        if check.materialized in ("incremental", "view") and not replaced_by_key:
            assert check.window_column in check.pandera_schema.columns, check.table
        else:
            assert check.window_column is None, check.table
    [dim_date] = [check for check in MODEL_CHECKS if check.table == "dim_date"]
    assert (dim_date.materialized, dim_date.window_column) == ("table", None)


def test_dim_users_is_replaced_by_user_and_checked_whole() -> None:
    dim_users = manifest_models()["dim_users"]
    assert (dim_users.materialized, dim_users.replace_key) == ("incremental", "user_id")
    [check] = [check for check in MODEL_CHECKS if check.table == "dim_users"]
    assert check.window_column is None
    models = dict(manifest_models())
    models["dim_users"] = dataclasses.replace(dim_users, window_column="user_id")
    with pytest.raises(ValueError, match="dim_users: a model replaced by key is incremental"):
        model_checks(models)


def test_a_check_that_disagrees_with_dbt_is_refused() -> None:
    dim_date = manifest_models()["dim_date"]
    windowed = dataclasses.replace(ModelCheck.of(dim_date, DimDateRules), window_column="date_day")
    assert contract_disagreements(windowed, dim_date) == [
        "check's window column is date_day, dbt's is None"
    ]
    as_incremental = dataclasses.replace(
        ModelCheck.of(dim_date, DimDateRules), materialized="incremental"
    )
    assert contract_disagreements(as_incremental, dim_date) == [
        "check says incremental, dbt says table"
    ]


def test_a_table_model_configured_with_a_window_column_is_refused() -> None:
    models = dict(manifest_models())
    models["dim_date"] = dataclasses.replace(models["dim_date"], window_column="date_day")
    with pytest.raises(ValueError, match="dim_date: a table is rebuilt whole"):
        model_checks(models)


def test_stg_events_is_a_view_read_by_window_and_needs_its_window_column() -> None:
    models = dict(manifest_models())
    stg_events = models["stg_events"]
    assert (stg_events.materialized, stg_events.window_column) == ("view", "partition_date")
    models["stg_events"] = dataclasses.replace(stg_events, window_column=None)
    with pytest.raises(ValueError, match="stg_events: a windowed view needs a window_column"):
        model_checks(models)


def test_a_check_reads_its_columns_with_dbts_types_and_descriptions() -> None:
    [orders] = [check for check in MODEL_CHECKS if check.table == "fct_orders"]
    columns = orders.pandera_schema.columns
    # fct_orders' yml: order_id string, items bigint, revenue decimal(18,2), ordered_at
    # timestamp, order_date date, days_since_first_seen integer, is_first_order boolean.
    expected = {
        "order_id": pl.String,
        "items": pl.Int64,
        "revenue": pl.Decimal(18, 2),
        "ordered_at": pl.Datetime("us"),
        "order_date": pl.Date,
        "days_since_first_seen": pl.Int32,
        "is_first_order": pl.Boolean,
    }
    for name, dtype in expected.items():
        assert columns[name].dtype == PanderaEngine.dtype(dtype), name
        assert (
            columns[name].description == manifest_models()["fct_orders"].column_descriptions[name]
        )
    # What yml cannot say comes from FctOrdersRules: items at least 1, a country that may be
    # null. order_id is a key never null, judged once, by dbt's blocking `unique` and
    # `not_null` tests on it, not here again; so it is read by its type alone.
    assert [check.name for check in columns["items"].checks] == ["greater_than_or_equal_to"]
    assert columns["country"].nullable
    fct_orders = manifest_models()["fct_orders"]
    assert frozenset({"order_id"}) in fct_orders.tested_keys
    assert ("not_null", "order_id") in fct_orders.tested_columns
    assert not columns["order_id"].unique and columns["order_id"].nullable
    assert "order_id" not in orders.row_columns and "items" in orders.row_columns


def _test_node(name, model, severity="ERROR", column=None, **kwargs):
    return {
        "resource_type": "test",
        "attached_node": f"model.p.{model}",
        "column_name": column,
        "config": {"severity": severity},
        "test_metadata": {"name": name, "kwargs": kwargs},
    }


def test_keys_judged_by_blocking_dbt_tests_are_left_to_them() -> None:
    manifest = {
        "nodes": {
            "t1": _test_node("unique", "a", column="id"),
            "t2": _test_node("unique_combination", "a", combination_of_columns=["d", "k"]),
            # A warning does not stop the build: it judges nothing.
            "t3": _test_node("unique_across_days", "b", severity="warn", column="id"),
            "t4": _test_node("unique", "b", severity="warn", column="other"),
            "t5": _test_node("not_null", "b", column="id"),
        }
    }
    keys = judged_keys(manifest)
    assert keys == {"model.p.a": frozenset({frozenset({"id"}), frozenset({"d", "k"})})}

    class Rules(ModelRules):
        id = col.key()
        d = col.required()
        k = col.required()
        unique = ("d", "k")

    types = {"id": "string", "d": "date", "k": "string"}
    judged_here = model_schema("m", Rules, types, {})
    assert judged_here.columns["id"].unique and judged_here.unique == ["d", "k"]
    left_to_dbt = model_schema("m", Rules, types, {}, keys["model.p.a"])
    assert not left_to_dbt.columns["id"].unique and left_to_dbt.unique is None
    # Still judged: a null id.
    assert not left_to_dbt.columns["id"].nullable


def test_dbt_types_are_read_as_polars_types() -> None:
    assert polars_type("string") == pl.String
    assert polars_type("double precision") == polars_type("double") == pl.Float64
    assert polars_type("decimal(18,2)") == pl.Decimal(18, 2)
    assert polars_type("NUMERIC(10, 3)") == pl.Decimal(10, 3)
    assert polars_type("varchar[]") == polars_type("array<string>") == pl.List(pl.String)
    with pytest.raises(ValueError, match="no polars type for dbt data_type 'geometry'"):
        polars_type("geometry")


def test_rules_naming_a_column_dbt_does_not_type_are_refused() -> None:
    models = dict(manifest_models())
    dim_date = models["dim_date"]
    models["dim_date"] = dataclasses.replace(
        dim_date,
        columns={
            name: (None if name == "iso_week" else data_type)
            for name, data_type in dim_date.columns.items()
            if name != "quarter"
        },
    )
    with pytest.raises(ValueError) as refused:
        model_checks(models)
    assert "dim_date: DimDateRules names quarter, which dbt's yml does not declare" in str(
        refused.value
    )
    assert "dim_date: iso_week has no data_type in dbt's yml" in str(refused.value)


def test_a_model_without_rules_is_refused() -> None:
    rules = {name: model_rules for name, model_rules in MODEL_RULES.items() if name != "dim_date"}
    with pytest.raises(ValueError, match="do not pair up: \\['dim_date'\\]"):
        model_checks(manifest_models(), rules)


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
