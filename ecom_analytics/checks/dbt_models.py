"""Partition-aware Pandera checks of the dbt models, read back from DuckDB after dbt builds them.

Each check validates the rows of the run's partition window (or the whole table for the small
models rebuilt from all history) against the model's rules joined with its dbt column types,
lazily, so that every failure is reported at once. They are blocking: a failed check stops
assets downstream.

What each model is (schema, materialization, window column, grain, columns with their types and
descriptions) is read from dbt's manifest (ecom_analytics/dbt_manifest.py); only the rules yml
cannot say are declared here, one `<Model>Rules` per model (checks/model_schemas/).

Why this module is long: a model check's record, the reads that feed it (types, then rows by
chunks of days) and the multi-asset check that runs them share ModelCheck and its manifest
entry; the rules themselves live in checks/model_schemas/.
"""

from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import dagster as dg
import pandera.polars as pa
import polars as pl

from ecom_analytics import settings
from ecom_analytics.checks.model_schemas import dimensions, intermediate, marts, refunds, staging
from ecom_analytics.checks.model_schemas.columns import (
    ModelRules,
    column_problems,
    model_schema,
    row_columns,
)
from ecom_analytics.checks.pandera_results import SchemaCheck
from ecom_analytics.checks.spec import by_key
from ecom_analytics.dbt_manifest import DbtModel, manifest_models
from ecom_analytics.engines import Reader, Warehouse, as_warehouse, current_warehouse
from ecom_analytics.orchestration.late_data import DEPENDENT_KEYS, later_days_end
from ecom_analytics.orchestration.partitions import daily_partitions

# The one thing dbt cannot say about a model: the rules its rows are checked against beyond
# their types. Everything else (schema, materialization, window column, grain, column types
# and descriptions) is dbt's.
MODEL_RULES: dict[str, type[ModelRules]] = {
    "stg_events": staging.StgEventsRules,
    "stg_products": staging.StgProductsRules,
    "stg_users": staging.StgUsersRules,
    "stg_quarantine": staging.StgQuarantineRules,
    "int_sessions": intermediate.IntSessionsRules,
    "int_user_daily_activity": intermediate.IntUserDailyActivityRules,
    "int_user_record_days": intermediate.IntUserRecordDaysRules,
    "int_orders": intermediate.IntOrdersRules,
    "int_user_journey": intermediate.IntUserJourneyRules,
    "int_product_interactions": intermediate.IntProductInteractionsRules,
    "fct_daily_engagement": marts.FctDailyEngagementRules,
    "fct_funnel": marts.FctFunnelRules,
    "fct_sessions": marts.FctSessionsRules,
    "fct_orders": marts.FctOrdersRules,
    "fct_revenue": marts.FctRevenueRules,
    "fct_refunds": refunds.FctRefundsRules,
    "fct_product_daily": marts.FctProductDailyRules,
    "fct_activity_hourly": marts.FctActivityHourlyRules,
    "fct_cohort_retention": marts.FctCohortRetentionRules,
    "fct_data_quality": marts.FctDataQualityRules,
    "dim_users": dimensions.DimUsersRules,
    "dim_products": dimensions.DimProductsRules,
    "dim_date": dimensions.DimDateRules,
}

# The materialization that replaces a partition window; "table" rebuilds the whole table.
INCREMENTAL = "incremental"
# Materializations read by window: an incremental table, or a view whose readers select
# their window (stg_events). Both name their window column.
WINDOWED = frozenset({INCREMENTAL, "view"})


@dataclass(frozen=True)
class ModelCheck(SchemaCheck):
    """One dbt model, its rules joined with dbt's columns into a Pandera schema, and the date
    column that holds its partition: the record its blocking, partitioned check's spec and
    evaluation both come from."""

    partitions_def = daily_partitions

    schema: str
    table: str
    rules: type[ModelRules]
    pandera_schema: pa.DataFrameSchema
    # None: the model is rebuilt from all history every run, so all of it is checked.
    window_column: str | None
    # dbt's materialization: WINDOWED models have a window column, the others none.
    materialized: str
    # The grain as the model's dbt description states it ("One row per …").
    grain: str = ""
    # The columns read row by row (columns.row_columns, and the window column), and the
    # schema of those; every column's type is judged once per evaluation without rows.
    row_columns: tuple[str, ...] = ()
    row_schema: pa.DataFrameSchema | None = None

    @classmethod
    def of(cls, model: DbtModel, rules: type[ModelRules]) -> "ModelCheck":
        """The check of a model as the dbt manifest describes it."""
        schema = model_schema(
            f"{model.schema}.{model.name}",
            rules,
            model.columns,
            model.column_descriptions,
            model.tested_keys,
            model.tested_columns,
        )
        read = row_columns(schema, rules)
        if model.window_column is not None and model.window_column not in read:
            read.append(model.window_column)
        # Rows are still counted when every rule is left to dbt's tests.
        read = read or list(schema.columns)[:1]
        return cls(
            schema=model.schema,
            table=model.name,
            rules=rules,
            pandera_schema=schema,
            window_column=model.window_column,
            materialized=model.materialized,
            grain=model.grain,
            row_columns=tuple(read),
            row_schema=schema.select_columns(read),
        )

    @property
    def asset_key(self) -> dg.AssetKey:
        return dg.AssetKey([self.schema, self.table])

    @property
    def check_name(self) -> str:
        return f"{self.table}_rows_match_schema"

    @property
    def description(self) -> str:
        return _check_description(self)


def contract_disagreements(check: ModelCheck, model: DbtModel) -> list[str]:
    """Where a model's check and its dbt definition disagree on how the model is stored: its
    schema, materialization and window column. A whole-table model has no window column; an
    incremental one or a view has one, which its check reads (it places each failure on its
    day)."""
    problems = []
    if (check.schema, check.table) != (model.schema, model.name):
        problems.append(
            f"checks {check.schema}.{check.table}, dbt builds {model.schema}.{model.name}"
        )
    if check.materialized != model.materialized:
        problems.append(f"check says {check.materialized}, dbt says {model.materialized}")
    if check.window_column != model.window_column:
        problems.append(
            f"check's window column is {check.window_column}, dbt's is {model.window_column}"
        )
    if model.replace_key is not None:
        if model.materialized != INCREMENTAL or model.window_column is not None:
            problems.append("a model replaced by key is incremental, without a window_column")
    elif model.materialized in WINDOWED and model.window_column is None:
        problems.append(f"a windowed {model.materialized} needs a window_column config")
    if model.materialized not in WINDOWED and model.window_column is not None:
        problems.append(f"a {model.materialized} is rebuilt whole: no window_column")
    if check.window_column is not None and check.window_column not in check.pandera_schema.columns:
        problems.append(f"{check.rules.__name__} lacks {check.window_column}")
    return problems


def model_checks(
    models: Mapping[str, DbtModel],
    rules: Mapping[str, type[ModelRules]] = MODEL_RULES,
) -> tuple[ModelCheck, ...]:
    """One check per dbt model, from the manifest and the model's rules; raises when a model
    has no rules (or rules no model), when the rules name a column dbt does not type, or when
    the two disagree on how the model is stored."""
    unmatched = sorted(set(models) ^ set(rules))
    if unmatched:
        raise ValueError(f"dbt models and their rules do not pair up: {unmatched}")
    untyped = [
        f"{name}: {problem}"
        for name, model_rules in rules.items()
        for problem in column_problems(model_rules, models[name].columns)
    ]
    if untyped:
        raise ValueError("dbt models and their checks disagree: " + "; ".join(untyped))
    checks = tuple(ModelCheck.of(models[name], model_rules) for name, model_rules in rules.items())
    problems = [
        f"{check.table}: {problem}"
        for check in checks
        for problem in contract_disagreements(check, models[check.table])
    ]
    if problems:
        raise ValueError("dbt models and their checks disagree: " + "; ".join(problems))
    return checks


MODEL_CHECKS = model_checks(manifest_models())


def read_model_rows(
    model: ModelCheck,
    start: date | datetime,
    end: date | datetime,
    database: Warehouse | Reader | str,
    columns: Sequence[str] | None = None,
) -> pl.DataFrame:
    """The model's rows inside [start, end) (all rows when it has no window column), from
    a warehouse (a resource, or the path of a DuckDB file) or through an open session.

    Only `columns` are read, by default the schema's. Table and column names come from
    MODEL_CHECKS, never from user input; the window bounds are bound as parameters.
    """
    names = list(model.pandera_schema.columns) if columns is None else columns
    selected = ", ".join(f'"{name}"' for name in names)
    query = f'select {selected} from "{model.schema}"."{model.table}"'
    params: list[Any] = []
    if model.window_column is not None:
        query += f' where "{model.window_column}" >= ? and "{model.window_column}" < ?'
        params = [_as_date(start), _as_date(end)]
    reader = as_warehouse(database) if isinstance(database, str) else database
    return reader.query(query, params)


def _column_types(model: ModelCheck, connection: Reader) -> pl.DataFrame:
    """The schema's columns of the model with their types, and no rows."""
    selected = ", ".join(f'"{name}"' for name in model.pandera_schema.columns)
    return connection.query(f'select {selected} from "{model.schema}"."{model.table}" limit 0')


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def evaluate_model(
    model: ModelCheck, start: date | datetime, end: date | datetime, database: Warehouse | str
) -> dg.AssetCheckResult:
    """The model's Pandera check over [start, end), read and validated in runs of whole days
    of at most CHUNK_ROWS rows, so memory stays bounded however long the window while a
    small daily mart is validated once, not once a day; whole-history models in one go."""
    check = model.tally()
    # One connection for all the chunks: opening the warehouse costs more than a chunk's read.
    with as_warehouse(database).session() as connection:
        # Every column's type, from the relation itself: no row is read.
        check.validate(_as_date(start), _column_types(model, connection))
        if model.window_column is None:
            rows = read_model_rows(model, start, end, connection, model.row_columns)
            check.validate(_as_date(start), rows, schema=model.row_schema)
            return check.result()
        for first, last in _day_chunks(model, start, end, connection):
            rows = read_model_rows(
                model, first, last + timedelta(days=1), connection, model.row_columns
            )
            check.validate(
                first, rows, day_of_row=rows[model.window_column], schema=model.row_schema
            )
    return check.result()


# Rows validated at once: days are grouped up to this many (a day larger than it is alone).
CHUNK_ROWS = 1_000_000
# Models judged side by side: their warehouse reads and polars work release the GIL, so two
# threads keep both cores of a small machine busy (the 22 checks of 10 M events: 3.0 s one
# by one, 2.1 s two at a time), each holding at most CHUNK_ROWS rows.
MODEL_CHECK_THREADS = 2


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
    # The grain as the model's dbt description states it, else as its rules' docstring.
    grain = model.grain or (model.rules.__doc__ or "").split(": ", 1)[-1]
    return (
        f"{model.schema}.{model.table} matches its dbt column types and {model.rules.__name__}. "
        f"Source: {model.schema}.{model.table} in the warehouse, as dbt left it. "
        f"Grain: {grain} Purpose: dtypes, nulls, accepted values, ranges and rules across "
        f"columns over {scope}; keys, nulls and accepted values that the model's blocking "
        f"dbt tests judge are left to them."
    )


_MODELS_BY_CHECK_KEY = by_key(MODEL_CHECKS)


@dg.multi_asset_check(
    specs=[model.spec for model in MODEL_CHECKS],
    can_subset=True,
    pool=settings.DUCKDB_WRITER_POOL,
)
def dbt_model_rows_match_schemas(
    context: dg.AssetCheckExecutionContext,
) -> Iterator[dg.AssetCheckResult]:
    """Pandera checks of every dbt model, one result per model.

    Source: the staging, intermediate and marts tables dbt wrote in this run's window.
    Grain: one check per model and partition window. Purpose: fail the partition when a
    model's rows break its schema (dtypes, nulls, accepted values, ranges; its keys are
    judged once, by its dbt tests). They run in one
    step, so a backfill pays one process start and one warehouse connection per table, two
    models at a time.
    """
    window = context.partition_time_window
    # The models the dbt step built on over later days are judged over those days too.
    later_end = later_days_end(context.instance, _as_date(window.end))
    database = current_warehouse()
    keys = sorted(context.selected_asset_check_keys, key=lambda key: key.to_user_string())

    def evaluate(key: dg.AssetCheckKey) -> dg.AssetCheckResult:
        model = _MODELS_BY_CHECK_KEY[key]
        end = later_end if later_end and model.asset_key in DEPENDENT_KEYS else window.end
        return evaluate_model(model, window.start, end, database)

    # Results come back in the keys' order, whichever model finishes first. The warehouse
    # stays open meanwhile: each model's own connection then shares it instead of opening
    # the file again (an embedded engine).
    with database.held_open(), ThreadPoolExecutor(max_workers=MODEL_CHECK_THREADS) as pool:
        yield from pool.map(evaluate, keys)


dbt_check_defs = [dbt_model_rows_match_schemas]
