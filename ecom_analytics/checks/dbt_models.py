"""Partition-aware Pandera checks of the dbt models, read back from DuckDB after dbt builds them.

Each check validates the rows of the run's partition window (or the whole table for the small
models rebuilt from all history) against the model's `<Model>Schema`, lazily, so that every
failure is reported at once. They are blocking: a failed check stops assets downstream.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import dagster as dg
import pandera.polars as pa
import polars as pl

from ecom_analytics import settings
from ecom_analytics.checks.model_schemas import dimensions, intermediate, marts, refunds, staging
from ecom_analytics.checks.pandera_results import PanderaCheck
from ecom_analytics.engines import Reader, Warehouse, as_warehouse, current_warehouse
from ecom_analytics.orchestration.partitions import daily_partitions


@dataclass(frozen=True)
class ModelCheck:
    """One dbt model, its Pandera schema and the date column that holds its partition."""

    schema: str
    table: str
    pandera_schema: type[pa.DataFrameModel]
    # None: the model is rebuilt from all history every run, so all of it is checked.
    window_column: str | None

    @property
    def asset_key(self) -> dg.AssetKey:
        return dg.AssetKey([self.schema, self.table])

    @property
    def check_name(self) -> str:
        return f"{self.table}_rows_match_schema"


MODEL_CHECKS = (
    ModelCheck("staging", "stg_events", staging.StgEventsSchema, "partition_date"),
    ModelCheck("staging", "stg_products", staging.StgProductsSchema, None),
    ModelCheck("staging", "stg_users", staging.StgUsersSchema, None),
    ModelCheck("staging", "stg_quarantine", staging.StgQuarantineSchema, "partition_date"),
    ModelCheck("intermediate", "int_sessions", intermediate.IntSessionsSchema, "session_date"),
    ModelCheck(
        "intermediate",
        "int_user_daily_activity",
        intermediate.IntUserDailyActivitySchema,
        "activity_date",
    ),
    ModelCheck("intermediate", "int_orders", intermediate.IntOrdersSchema, "order_date"),
    ModelCheck("intermediate", "int_user_journey", intermediate.IntUserJourneySchema, None),
    ModelCheck(
        "intermediate",
        "int_product_interactions",
        intermediate.IntProductInteractionsSchema,
        "activity_date",
    ),
    ModelCheck("marts", "fct_daily_engagement", marts.FctDailyEngagementSchema, "activity_date"),
    ModelCheck("marts", "fct_funnel", marts.FctFunnelSchema, "activity_date"),
    ModelCheck("marts", "fct_sessions", marts.FctSessionsSchema, "session_date"),
    ModelCheck("marts", "fct_orders", marts.FctOrdersSchema, "order_date"),
    ModelCheck("marts", "fct_revenue", marts.FctRevenueSchema, "order_date"),
    ModelCheck("marts", "fct_refunds", refunds.FctRefundsSchema, "refund_date"),
    ModelCheck("marts", "fct_product_daily", marts.FctProductDailySchema, "activity_date"),
    ModelCheck("marts", "fct_activity_hourly", marts.FctActivityHourlySchema, "activity_date"),
    ModelCheck("marts", "fct_cohort_retention", marts.FctCohortRetentionSchema, None),
    ModelCheck("marts", "fct_data_quality", marts.FctDataQualitySchema, "partition_date"),
    ModelCheck("marts", "dim_users", dimensions.DimUsersSchema, None),
    ModelCheck("marts", "dim_products", dimensions.DimProductsSchema, None),
    ModelCheck("marts", "dim_date", dimensions.DimDateSchema, "date_day"),
)


def read_model_rows(
    model: ModelCheck,
    start: date | datetime,
    end: date | datetime,
    database: Warehouse | Reader | str,
) -> pl.DataFrame:
    """The model's rows inside [start, end) (all rows when it has no window column), from
    a warehouse (a resource, or the path of a DuckDB file) or through an open session.

    Only the schema's columns are read. Table and column names come from MODEL_CHECKS,
    never from user input; the window bounds are bound as parameters.
    """
    columns = ", ".join(f'"{name}"' for name in model.pandera_schema.to_schema().columns)
    query = f'select {columns} from "{model.schema}"."{model.table}"'
    params: list[Any] = []
    if model.window_column is not None:
        query += f' where "{model.window_column}" >= ? and "{model.window_column}" < ?'
        params = [_as_date(start), _as_date(end)]
    reader = as_warehouse(database) if isinstance(database, str) else database
    return reader.query(query, params)


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def evaluate_model(
    model: ModelCheck, start: date | datetime, end: date | datetime, database: Warehouse | str
) -> dg.AssetCheckResult:
    """The model's Pandera check over [start, end), read and validated in runs of whole days
    of at most CHUNK_ROWS rows, so memory stays bounded however long the window while a
    small daily mart is validated once, not once a day; whole-history models in one go."""
    check = PanderaCheck(model.asset_key, model.check_name, model.pandera_schema)
    # One connection for all the chunks: opening the warehouse costs more than a chunk's read.
    with as_warehouse(database).session() as connection:
        if model.window_column is None:
            check.validate(_as_date(start), read_model_rows(model, start, end, connection))
            return check.result()
        for first, last in _day_chunks(model, start, end, connection):
            rows = read_model_rows(model, first, last + timedelta(days=1), connection)
            check.validate(first, rows, day_of_row=rows[model.window_column])
    return check.result()


# Rows validated at once: days are grouped up to this many (a day larger than it is alone).
CHUNK_ROWS = 1_000_000


def _day_chunks(
    model: ModelCheck,
    start: date | datetime,
    end: date | datetime,
    connection: Reader,
) -> list[tuple[date, date]]:
    """Consecutive days of the window with rows, grouped into (first, last) runs of at most
    CHUNK_ROWS rows; a window without rows is one run, so its check still runs (on none)."""
    column = f'"{model.window_column}"'
    counts = connection.query(
        f'select {column}, count(*) from "{model.schema}"."{model.table}" '
        f"where {column} >= ? and {column} < ? group by 1 order by 1",
        [_as_date(start), _as_date(end)],
    ).rows()
    if not counts:
        return [(_as_date(start), _as_date(start))]
    chunks: list[tuple[date, date, int]] = []
    for day, count in counts:
        if chunks and chunks[-1][2] + count <= CHUNK_ROWS:
            chunks[-1] = (chunks[-1][0], day, chunks[-1][2] + count)
        else:
            chunks.append((day, day, count))
    return [(first, last) for first, last, _ in chunks]


def _check_description(model: ModelCheck) -> str:
    scope = (
        f"the rows of the run's partition window (by {model.window_column})"
        if model.window_column
        else "the whole table (rebuilt from all history each run)"
    )
    grain = (model.pandera_schema.__doc__ or "").split(": ", 1)[-1]
    return (
        f"{model.schema}.{model.table} matches {model.pandera_schema.__name__}. "
        f"Source: {model.schema}.{model.table} in the warehouse, as dbt left it. "
        f"Grain: {grain} Purpose: dtypes, keys, accepted values and ranges over {scope}."
    )


def model_check_spec(model: ModelCheck) -> dg.AssetCheckSpec:
    """A blocking, partitioned check of one dbt model."""
    return dg.AssetCheckSpec(
        name=model.check_name,
        asset=model.asset_key,
        description=_check_description(model),
        blocking=True,
        partitions_def=daily_partitions,
    )


_MODELS_BY_CHECK_KEY = {model_check_spec(model).key: model for model in MODEL_CHECKS}


@dg.multi_asset_check(
    specs=[model_check_spec(model) for model in MODEL_CHECKS],
    can_subset=True,
    pool=settings.DUCKDB_WRITER_POOL,
)
def dbt_model_rows_match_schemas(
    context: dg.AssetCheckExecutionContext,
) -> Iterator[dg.AssetCheckResult]:
    """Pandera checks of every dbt model, one result per model.

    Source: the staging, intermediate and marts tables dbt wrote in this run's window.
    Grain: one check per model and partition window. Purpose: fail the partition when a
    model's rows break its schema (dtypes, keys, accepted values, ranges). They run in one
    step, so a backfill pays one process start and one warehouse connection per table.
    """
    window = context.partition_time_window
    database = current_warehouse()
    for key in sorted(context.selected_asset_check_keys, key=lambda key: key.to_user_string()):
        yield evaluate_model(_MODELS_BY_CHECK_KEY[key], window.start, window.end, database)


dbt_check_defs = [dbt_model_rows_match_schemas]
