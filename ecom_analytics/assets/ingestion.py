"""Landing files → raw tables → validated tables + quarantine, partitioned by UTC day.

One step ingests a whole partition window (a day, or a backfill's range in a single run):
each day is read, validated and staged in turn, so memory stays at one day.
"""

import shutil
from collections.abc import Iterator

import dagster as dg

from ecom_analytics import settings, tables
from ecom_analytics.checks import ingestion as checks
from ecom_analytics.ingestion import landing
from ecom_analytics.ingestion.window import ingest_window
from ecom_analytics.orchestration import metadata
from ecom_analytics.orchestration.partitions import daily_partitions, window_dates
from ecom_analytics.orchestration.resources import Warehouse
from ecom_analytics.vocabulary import SOURCES

_PARTITIONED = {"partition_expr": tables.PARTITION_COLUMN}
STAGING_FOLDER = ".staging"

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


def _raw_out(source: str) -> dg.AssetOut:
    return dg.AssetOut(
        key=tables.RAW_TABLES[source].key,
        group_name="raw",
        kinds={"duckdb"},
        metadata=_PARTITIONED,
        description=(
            f"raw.{source} — source: the day's landing files for {source}. Grain: one row per "
            "record read (per line, or per Parquet row), kept exactly as landed (JSON text) "
            "with its file and line; an unreadable file is one row with its error. Purpose: a "
            "faithful, queryable copy before any judgement."
        ),
    )


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


_QUARANTINE_OUT = dg.AssetOut(
    key=tables.QUARANTINE.key,
    group_name="quality",
    kinds={"duckdb", "pandera"},
    metadata=_PARTITIONED,
    description=(
        "quality.quarantine — source: raw.events, raw.products, raw.users. Grain: one row per "
        "record that failed validation, with its original text, file, line, partition and "
        "every reason code that applies (SPEC §3). Purpose: nothing is lost; records can be "
        "read, fixed and replayed."
    ),
)

_RAW_KEYS = {source: dg.AssetKey(table.key) for source, table in tables.RAW_TABLES.items()}


@dg.multi_asset(
    name="ingest_landing_files",
    outs={
        **{f"raw_{source}": _raw_out(source) for source in SOURCES},
        **{f"validated_{source}": _validated_out(source) for source in SOURCES},
        "quarantine": _QUARANTINE_OUT,
    },
    deps=[spec.key for spec in landing_files],
    internal_asset_deps={
        **{f"raw_{source}": {dg.AssetKey(["landing", source])} for source in SOURCES},
        "validated_products": {_RAW_KEYS["products"]},
        "validated_users": {_RAW_KEYS["users"]},
        # Events are checked against the catalogue as of their day.
        "validated_events": {
            _RAW_KEYS["events"],
            dg.AssetKey(tables.VALIDATED_PRODUCTS.key),
        },
        "quarantine": set(_RAW_KEYS.values()),
    },
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=settings.DUCKDB_WRITER_POOL,
    check_specs=checks.check_specs(),
    # Declared subsettable only so that the UI can launch a backfill of every asset: Dagster
    # 1.13 refuses one over a non-subsettable multi-asset whose outputs are reached from
    # several roots (its launch check compares TimeWindowPartitionsSubsets with tuple `!=`,
    # which also compares a lazily computed partition count). The outputs are still written
    # together: the step refuses a selection that leaves any of them out.
    can_subset=True,
)
def ingest_landing_files(context: dg.AssetExecutionContext, warehouse: Warehouse) -> Iterator:
    """Read, validate (Pandera) and store each day of the partition window: raw copies,
    valid rows and quarantined rows with their reasons; then check what was stored."""
    require_whole_selection(context)
    window = context.partition_time_window
    days = list(window_dates(window.start, window.end))
    staging = settings.data_dir() / STAGING_FOLDER / context.run.run_id
    frame_checks = checks.FrameChecks()
    unread = unread_by_source(days)
    for source, paths in unread.items():
        if paths:
            context.log.warning(
                f"{len(paths)} path(s) under raw/{source}/ are not read (other suffixes, or not "
                f"in a date=YYYY-MM-DD folder): {', '.join(paths[:20])}"
            )

    def inspect_day(day, raw, results) -> None:
        frame_checks.inspect_day(day, raw, results)
        # Each day's own figures on its own partition: output metadata would put the
        # window's totals on every partition of a range run.
        for key, values in metadata.ingestion_day_metadata(day, raw, results).items():
            context.add_asset_metadata(values, asset_key=list(key), partition_key=day.isoformat())

    try:
        staged = ingest_window(
            warehouse,
            days,
            staging,
            inspect=inspect_day,
            progress=context.log.info,
        )
        # The IO manager stores each output while this generator waits at its `yield`: one
        # open warehouse serves all seven writes and the checks of what they stored.
        with warehouse.held_open():
            for output_name, table in _OUTPUT_TABLES.items():
                batch = staged[table.qualified]
                # Per-day figures go on each partition (inspect_day); a range's totals would not.
                extra = {}
                if output_name.startswith("raw_"):
                    extra["unread_paths"] = unread[output_name.removeprefix("raw_")]
                yield dg.Output(batch, output_name=output_name, metadata=extra)
            yield from frame_checks.results()
            yield from checks.stored_results(warehouse, days[0], window.end.date())
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def unread_by_source(days: list) -> dict[str, list[str]]:
    """Per source, the landing paths of these days (and stray folders) that are not read."""
    base = settings.landing_dir()
    return {
        source: [
            path.relative_to(base).as_posix()
            for path in landing.unread_paths(source, days=days, root=base)
        ]
        for source in SOURCES
    }


def require_whole_selection(context: dg.AssetExecutionContext) -> None:
    """Fail unless every table and check of the ingestion step is selected: raw, validated
    and quarantine rows of a day only reconcile when they are written together."""
    # Against the step's full outputs: inside a subset run, `context.assets_def` is the subset.
    every_key = {dg.AssetKey(table.key) for table in _OUTPUT_TABLES.values()}
    every_check = {check.key for check in checks.CHECKS}
    left_out = sorted(key.to_user_string() for key in every_key - context.selected_asset_keys)
    left_out += sorted(
        f"{key.asset_key.to_user_string()}:{key.name}"
        for key in every_check - context.selected_asset_check_keys
    )
    if left_out:
        raise dg.Failure(
            description=(
                "raw.*, validated.*, quality.quarantine and their checks are ingested together; "
                f"select them all (left out: {', '.join(left_out)})"
            )
        )


# In dependency order: Dagster requires a multi-asset to yield upstream outputs first.
_OUTPUT_TABLES = {
    **{f"raw_{source}": tables.RAW_TABLES[source] for source in SOURCES},
    "validated_products": tables.VALIDATED_PRODUCTS,
    "validated_users": tables.VALIDATED_USERS,
    "validated_events": tables.VALIDATED_EVENTS,
    "quarantine": tables.QUARANTINE,
}
