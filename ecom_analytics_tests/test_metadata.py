"""Owners, column schemas, freshness and code references on the code location's assets."""

import dagster as dg
import polars as pl

from ecom_analytics import tables
from ecom_analytics.definitions import defs
from ecom_analytics.orchestration import metadata


def _column_types(node) -> dict[str, str]:
    schema = node.metadata["dagster/column_schema"]
    schema = getattr(schema, "schema", schema)
    return {column.name: column.type for column in schema.columns}


def test_every_table_has_a_column_schema_an_owner_and_code_references():
    graph = defs.resolve_asset_graph()
    for key in graph.materializable_asset_keys:
        node = graph.get(key)
        assert node.owners == metadata.OWNERS, key
        assert "dagster/code_references" in node.metadata, key
        if key != dg.AssetKey(["app", "dashboard"]):
            assert _column_types(node), key


def test_python_tables_take_their_columns_from_tables_py():
    node = defs.resolve_asset_graph().get(dg.AssetKey(tables.VALIDATED_EVENTS.key))
    assert _column_types(node) == tables.VALIDATED_EVENTS.columns


def test_dbt_models_have_warehouse_types_and_their_yml_descriptions():
    node = defs.resolve_asset_graph().get(dg.AssetKey(["marts", "fct_orders"]))
    types = _column_types(node)
    assert types["order_id"] == "VARCHAR"
    assert types["revenue"] == "DECIMAL(18,2)"
    assert types["order_date"] == "DATE"
    schema = node.metadata["dagster/column_schema"]
    schema = getattr(schema, "schema", schema)
    assert all(column.description for column in schema.columns)


def test_marts_and_the_dashboard_have_a_freshness_policy_and_staging_has_none():
    graph = defs.resolve_asset_graph()
    for key in graph.materializable_asset_keys:
        node = graph.get(key)
        expected = metadata.DAILY_FRESHNESS if node.group_name in ("marts", "dashboard") else None
        assert node.freshness_policy == expected, key


def test_warehouse_types_of_polars_dtypes():
    assert metadata.warehouse_type(pl.Datetime("us")) == "TIMESTAMP"
    assert metadata.warehouse_type(pl.Decimal(18, 2)) == "DECIMAL(18,2)"
    assert metadata.warehouse_type(pl.List(pl.String)) == "VARCHAR[]"
