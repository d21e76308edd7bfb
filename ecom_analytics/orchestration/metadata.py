"""What the Dagster UI shows about each asset beyond its lineage: per-day figures, column
schemas, owners, freshness policies and code references.

Column schemas come from one source per table: `tables.py` for the Python-built tables and the
Pandera schemas the dbt models are checked against (checks/dbt_models.py), with the column
descriptions of the dbt yml.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import date, timedelta

import dagster as dg
import polars as pl

from ecom_analytics import tables
from ecom_analytics.validation.pipeline import ValidationResult
from ecom_analytics.vocabulary import SOURCES

OWNERS = ["team:data-engineering"]

# The daily schedule builds yesterday's partition each morning: a mart or the dashboard not
# refreshed for a day and a bit is late (warn), for two days is stale (fail).
DAILY_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(hours=48), warn_window=timedelta(hours=26)
)
FRESHNESS_GROUPS = ("marts", "dashboard")

ROW_COUNT = "dagster/partition_row_count"


def table_schema(table: tables.Table) -> dg.TableSchema:
    """A Python-built table's columns and DuckDB types, as declared in tables.py."""
    return dg.TableSchema(
        columns=[dg.TableColumn(name=name, type=kind) for name, kind in table.columns.items()]
    )


def ingestion_day_metadata(
    day: date, raw: dict[str, pl.DataFrame], results: dict[str, ValidationResult]
) -> dict[tuple[str, ...], dict[str, float | int]]:
    """The metadata of each ingestion table for one day, by asset key path.

    raw.<source>: rows landed. validated.<source>: rows valid, and the day's reconciliation
    (rows_read = rows_valid + rows_quarantined, SPEC §3) with its quarantine rate.
    quality.quarantine: rows quarantined that day, in total and per source.
    """
    per_table: dict[tuple[str, ...], dict[str, float | int]] = {}
    for source in SOURCES:
        result = results[source]
        read = result.rows_read
        per_table[tuple(tables.RAW_TABLES[source].key)] = {ROW_COUNT: raw[source].height}
        per_table[tuple(tables.VALIDATED_TABLES[source].key)] = {
            ROW_COUNT: result.rows_valid,
            "rows_read": read,
            "rows_valid": result.rows_valid,
            "rows_quarantined": result.rows_quarantined,
            "quarantine_rate": result.rows_quarantined / read if read else 0.0,
        }
    per_table[tuple(tables.QUARANTINE.key)] = {
        ROW_COUNT: sum(results[s].rows_quarantined for s in SOURCES),
        **{f"rows_quarantined_{s}": results[s].rows_quarantined for s in SOURCES},
    }
    return per_table


# Polars dtypes of the Pandera schemas, named as the warehouse names them.
_WAREHOUSE_TYPES = {
    pl.String: "VARCHAR",
    pl.Date: "DATE",
    pl.Datetime: "TIMESTAMP",
    pl.Boolean: "BOOLEAN",
    pl.Int8: "TINYINT",
    pl.Int16: "SMALLINT",
    pl.Int32: "INTEGER",
    pl.Int64: "BIGINT",
    pl.UInt32: "UINTEGER",
    pl.Float32: "FLOAT",
    pl.Float64: "DOUBLE",
}


def warehouse_type(dtype: pl.DataType) -> str:
    """`DECIMAL(18,2)`, `TIMESTAMP`, `VARCHAR`… for a polars dtype."""
    if isinstance(dtype, pl.Decimal):
        return f"DECIMAL({dtype.precision},{dtype.scale})"
    if isinstance(dtype, pl.List):
        return f"{warehouse_type(dtype.inner)}[]"
    return _WAREHOUSE_TYPES.get(dtype.base_type(), str(dtype))


def _dbt_model_schemas() -> dict[dg.AssetKey, dict[str, str]]:
    from ecom_analytics.checks.dbt_models import MODEL_CHECKS

    return {
        model.asset_key: {
            name: warehouse_type(column.dtype.type)
            for name, column in model.pandera_schema.columns.items()
        }
        for model in MODEL_CHECKS
    }


def _column_schema(spec: dg.AssetSpec, dbt_types: dict[str, str]) -> dg.TableSchema | None:
    python_tables = {
        tuple(table.key): table
        for table in (
            *tables.RAW_TABLES.values(),
            *tables.VALIDATED_TABLES.values(),
            tables.QUARANTINE,
        )
    }
    table = python_tables.get(tuple(spec.key.path))
    if table is not None:
        return table_schema(table)
    if not dbt_types:
        return None
    # dbt's own schema (from the yml) carries the descriptions; the types are the checked ones.
    described = spec.metadata.get("dagster/column_schema")
    columns = getattr(described, "schema", described)
    descriptions = {c.name: c.description for c in columns.columns} if described else {}
    return dg.TableSchema(
        columns=[
            dg.TableColumn(name=name, type=kind, description=descriptions.get(name))
            for name, kind in dbt_types.items()
        ]
    )


def describe(
    assets: Sequence[dg.AssetsDefinition | dg.AssetSpec],
) -> Sequence[dg.AssetsDefinition | dg.AssetSpec]:
    """The assets with owners, column schemas, freshness policies (marts, dashboard) and
    references to the code that defines them."""
    dbt_schemas = _dbt_model_schemas()

    def add(spec: dg.AssetSpec) -> dg.AssetSpec:
        extra: dict = {}
        schema = _column_schema(spec, dbt_schemas.get(spec.key, {}))
        if schema is not None:
            extra["metadata"] = {**spec.metadata, "dagster/column_schema": schema}
        if spec.group_name in FRESHNESS_GROUPS:
            extra["freshness_policy"] = DAILY_FRESHNESS
        return spec.replace_attributes(owners=[*spec.owners, *OWNERS], **extra)

    with warnings.catch_warnings():
        # Code references are a beta API of Dagster 1.13: the notice is not for our users.
        warnings.simplefilter("ignore", dg.BetaWarning)
        return dg.with_source_code_references(dg.map_asset_specs(add, assets))
