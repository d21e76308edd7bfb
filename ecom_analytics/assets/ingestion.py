"""Landing files → raw tables → validated tables + quarantine, one UTC day per partition."""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import dagster as dg
import polars as pl

from ecom_analytics import settings, tables
from ecom_analytics.checks import ingestion as checks
from ecom_analytics.ingestion import landing
from ecom_analytics.ingestion.readers import read_day
from ecom_analytics.partitions import daily_partitions, partition_key_to_date
from ecom_analytics.resources import Warehouse
from ecom_analytics.validation.pipeline import ValidationResult, judge, prepare
from ecom_analytics.vocabulary import SOURCES

_PARTITIONED = {"partition_expr": tables.PARTITION_COLUMN}
_RAW_KEYS = {dg.AssetKey(table.key) for table in tables.RAW_TABLES.values()}

landing_files = [
    dg.AssetSpec(
        key=["landing", source],
        group_name="landing",
        partitions_def=daily_partitions,
        kinds={"file"},
        description=(
            f"Landing files for {source}: `$ECOM_DATA_DIR/raw/{source}/date=YYYY-MM-DD/` "
            "(*.jsonl, *.jsonl.gz, *.parquet). Written by trackers, exports, `ecom-analytics "
            "generate` or `ecom-analytics import`; one folder per UTC day."
        ),
    )
    for source in SOURCES
]


@dg.multi_asset(
    name="raw_tables",
    outs={
        f"raw_{source}": dg.AssetOut(
            key=table.key,
            group_name="raw",
            kinds={"duckdb"},
            metadata=_PARTITIONED,
            description=(
                f"raw.{source} — source: the day's landing files for {source}. Grain: one row "
                "per record read (per line, or per Parquet row), kept exactly as landed "
                "(JSON text) with its file and line; an unreadable file is one row with its "
                "error. Purpose: a faithful, queryable copy before any judgement."
            ),
        )
        for source, table in tables.RAW_TABLES.items()
    },
    internal_asset_deps={f"raw_{source}": {dg.AssetKey(["landing", source])} for source in SOURCES},
    deps=[spec.key for spec in landing_files],
    partitions_def=daily_partitions,
    pool=settings.DUCKDB_WRITER_POOL,
    check_specs=checks.raw_check_specs(),
)
def raw_tables(context: dg.AssetExecutionContext, warehouse: Warehouse) -> Iterator:
    """Read each source's landing files for the partition's day into raw.<source>."""
    day = partition_key_to_date(context.partition_key)
    for source in SOURCES:
        frame = read_day(source, day)
        yield dg.Output(
            frame,
            output_name=f"raw_{source}",
            metadata={
                "rows_read": frame.height,
                "files": len(landing.day_files(source, day)),
                "landing_folder": str(landing.day_dir(source, day)),
            },
        )
    yield from checks.raw_check_results(warehouse, day)


def _validated_out(source: str) -> dg.AssetOut:
    return dg.AssetOut(
        key=tables.VALIDATED_TABLES[source].key,
        group_name="validated",
        kinds={"duckdb", "pandera"},
        metadata=_PARTITIONED,
        description=(
            f"validated.{source} — source: raw.{source}. Grain: one row per valid record, "
            "typed, with its file and line. Purpose: the only input dbt reads; every record "
            "that fails a rule is in quality.quarantine instead."
        ),
    )


@dg.multi_asset(
    name="validated_tables",
    ins={f"raw_{source}": dg.AssetIn(key=table.key) for source, table in tables.RAW_TABLES.items()},
    outs={
        "validated_products": _validated_out("products"),
        "validated_users": _validated_out("users"),
        "validated_events": _validated_out("events"),
        "quarantine": dg.AssetOut(
            key=tables.QUARANTINE.key,
            group_name="quality",
            kinds={"duckdb", "pandera"},
            metadata=_PARTITIONED,
            description=(
                "quality.quarantine — source: raw.events, raw.products, raw.users. Grain: one "
                "row per record that failed validation, with its original text, file, line, "
                "partition and every reason code that applies (SPEC §3). Purpose: nothing is "
                "lost; records can be read, fixed and replayed."
            ),
        ),
    },
    # Every output lists all three raw tables as parents, as the op reads them all. Narrower
    # lineage (validated.users from raw.users alone) makes Dagster 1.13 refuse a backfill of
    # every asset launched from the UI: its launch check compares the outputs' target subsets
    # with `!=`, which on its tuple-based TimeWindowPartitionsSubset also compares a lazily
    # computed partition count that is set for single-parent assets and unset for the others.
    internal_asset_deps={
        "validated_products": _RAW_KEYS,
        "validated_users": _RAW_KEYS,
        # Events are checked against the catalogue as of their day.
        "validated_events": {*_RAW_KEYS, dg.AssetKey(tables.VALIDATED_PRODUCTS.key)},
        "quarantine": _RAW_KEYS,
    },
    partitions_def=daily_partitions,
    pool=settings.DUCKDB_WRITER_POOL,
    check_specs=checks.validation_check_specs(),
)
def validated_tables(
    context: dg.AssetExecutionContext,
    warehouse: Warehouse,
    raw_events: pl.DataFrame,
    raw_products: pl.DataFrame,
    raw_users: pl.DataFrame,
) -> Iterator:
    """Validate the partition's raw records with Pandera; split valid rows from quarantine."""
    day = partition_key_to_date(context.partition_key)
    # The only wall-clock read in the pipeline: a record may not come from the future.
    validated_at = datetime.now(UTC).replace(tzinfo=None)

    products = judge(prepare(raw_products, "products"), "products", day, validated_at)
    users = judge(prepare(raw_users, "users"), "users", day, validated_at)
    event_candidates = prepare(raw_events, "events")
    events = judge(
        event_candidates,
        "events",
        day,
        validated_at,
        known_product_ids=known_products(warehouse, day, products.valid["product_id"]),
        earlier_event_ids=earlier_event_ids(warehouse, day, event_candidates["event_id"]),
    )
    results = {"products": products, "users": users, "events": events}
    for source, result in results.items():
        yield dg.Output(result.valid, output_name=f"validated_{source}", metadata=_counts(result))
    quarantine = pl.concat([result.quarantine for result in results.values()], how="vertical")
    yield dg.Output(
        quarantine,
        output_name="quarantine",
        metadata={
            f"{source}_rows_quarantined": r.rows_quarantined for source, r in results.items()
        },
    )
    yield from checks.validation_check_results(warehouse, day)


def _counts(result: ValidationResult) -> dict[str, object]:
    return {
        "rows_read": result.rows_read,
        "rows_valid": result.rows_valid,
        "rows_quarantined": result.rows_quarantined,
        "quarantine_reasons": dg.MetadataValue.json(result.reason_counts),
    }


def known_products(warehouse: Warehouse, day: date, today: pl.Series) -> pl.Series:
    """Product ids in the catalogue as of `day`: earlier days' valid records and today's."""
    table = tables.VALIDATED_PRODUCTS
    earlier = pl.Series("product_id", [], dtype=pl.String)
    if warehouse.has_table(table.schema, table.name):
        earlier = warehouse.query(
            f"select distinct product_id from {table.qualified} where partition_date < ?", [day]
        )["product_id"]
    return pl.concat([earlier, today.alias("product_id")]).unique()


def earlier_event_ids(warehouse: Warehouse, day: date, ids: pl.Series) -> pl.Series:
    """Which of `ids` were already read on an earlier day (valid, or quarantined with an id)."""
    todays_ids = pl.DataFrame({"event_id": ids.drop_nulls().unique()})
    parts = []
    if warehouse.has_table(tables.VALIDATED_EVENTS.schema, tables.VALIDATED_EVENTS.name):
        parts.append(
            f"select event_id from {tables.VALIDATED_EVENTS.qualified} "
            "where partition_date < $day and event_id in (select event_id from todays_ids)"
        )
    if warehouse.has_table(tables.QUARANTINE.schema, tables.QUARANTINE.name):
        parts.append(
            f"select record_key as event_id from {tables.QUARANTINE.qualified} "
            "where source = 'events' and partition_date < $day "
            "and record_key in (select event_id from todays_ids)"
        )
    if not parts:
        return pl.Series("event_id", [], dtype=pl.String)
    return warehouse.query(" union ".join(parts), {"day": day}, todays_ids=todays_ids)["event_id"]
