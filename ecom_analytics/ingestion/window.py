"""Ingest a window of days: read, validate and stage each day in turn.

Each day's raw, valid and quarantined rows are written to Parquet files in a staging folder
and then dropped from memory, so a 30-day backfill needs no more memory than one day. The
warehouse receives the staged files afterwards, one transaction per table
(io_manager.StagedParquet). Lookups that span days (the catalogue as of a day, event ids
already seen) read the warehouse for days before the window and the staged files within it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from ecom_analytics import tables
from ecom_analytics.ingestion.readers import read_day_typed
from ecom_analytics.io_manager import StagedParquet
from ecom_analytics.resources import Warehouse
from ecom_analytics.validation.pipeline import ValidationResult, judge, prepare
from ecom_analytics.vocabulary import SOURCES

DayInspector = Callable[[date, dict[str, pl.DataFrame], dict[str, ValidationResult]], None]


@dataclass
class _Stage:
    """Parquet files of one table, in day order."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    rows: int = 0

    def add(self, day: date, frame: pl.DataFrame) -> None:
        if frame.is_empty():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{day.isoformat()}.parquet"
        frame.write_parquet(path, statistics=False, compression="lz4")
        self.files.append(path)
        self.rows += frame.height

    def staged(self) -> StagedParquet:
        return StagedParquet(files=tuple(self.files), rows=self.rows)


def ingest_window(
    warehouse: Warehouse,
    days: list[date],
    staging_dir: Path,
    inspect: DayInspector | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, StagedParquet]:
    """Stage every day of `days` (consecutive, oldest first); returns staged rows by table."""
    stages = {
        table.qualified: _Stage(staging_dir / table.qualified)
        for table in (
            *tables.RAW_TABLES.values(),
            *tables.VALIDATED_TABLES.values(),
            tables.QUARANTINE,
        )
    }
    catalogue = _catalogue_before(warehouse, days[0])
    # Reading and parsing a day needs nothing from other days, so the next day is prepared
    # in a background thread while this one is judged and staged (DuckDB and polars release
    # the GIL): at most two days in memory, and both cores busy.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(_read_and_prepare, days[0])
        for number, day in enumerate(days):
            raw, prepared = pending.result()
            if number + 1 < len(days):
                pending = pool.submit(_read_and_prepare, days[number + 1])
            products = judge(prepared["products"], "products", day)
            catalogue = pl.concat([catalogue, products.valid["product_id"]]).unique()
            results = {
                "products": products,
                "users": judge(prepared["users"], "users", day),
                "events": judge(
                    prepared["events"],
                    "events",
                    day,
                    known_product_ids=catalogue,
                    earlier_event_ids=_event_ids_seen_before(
                        warehouse,
                        days[0],
                        prepared["events"]["event_id"],
                        stages[tables.VALIDATED_EVENTS.qualified].files,
                        stages[tables.QUARANTINE.qualified].files,
                    ),
                ),
            }
            if inspect is not None:
                inspect(day, raw, results)
            _stage_day(stages, day, raw, results)
            if progress is not None:
                progress(_summary(day, results))
    return {name: stage.staged() for name, stage in stages.items()}


def _read_and_prepare(day: date) -> tuple[dict[str, pl.DataFrame], dict[str, pl.DataFrame]]:
    read = {source: read_day_typed(source, day) for source in SOURCES}
    raw = {source: read[source].raw for source in SOURCES}
    return raw, {source: prepare(raw[source], source, read[source].parquet) for source in SOURCES}


def _stage_day(
    stages: dict[str, _Stage],
    day: date,
    raw: dict[str, pl.DataFrame],
    results: dict[str, ValidationResult],
) -> None:
    for source in SOURCES:
        stages[tables.RAW_TABLES[source].qualified].add(day, raw[source])
        stages[tables.VALIDATED_TABLES[source].qualified].add(day, results[source].valid)
    stages[tables.QUARANTINE.qualified].add(
        day, pl.concat([results[s].quarantine for s in SOURCES], how="vertical")
    )


def _summary(day: date, results: dict[str, ValidationResult]) -> str:
    parts = [
        f"{s}: {r.rows_valid} valid, {r.rows_quarantined} quarantined" for s, r in results.items()
    ]
    return f"{day}: " + "; ".join(parts)


def _catalogue_before(warehouse: Warehouse, start: date) -> pl.Series:
    table = tables.VALIDATED_PRODUCTS
    if not warehouse.has_table(table.schema, table.name):
        return pl.Series("product_id", [], dtype=pl.String)
    return warehouse.query(
        f"select distinct product_id from {table.qualified} where partition_date < ?", [start]
    )["product_id"]


def _event_ids_seen_before(
    warehouse: Warehouse,
    window_start: date,
    ids: pl.Series,
    staged_events: list[Path],
    staged_quarantine: list[Path],
) -> pl.Series:
    """Which of `ids` were read on an earlier day: before the window (in the warehouse, valid
    or quarantined with an id) or earlier in the window (in the staged files)."""
    todays_ids = pl.DataFrame({"event_id": ids.drop_nulls().unique()})
    parts, params = [], {}
    before_window = [
        (tables.VALIDATED_EVENTS, "select event_id from {table} where partition_date < $start"),
        (
            tables.QUARANTINE,
            "select record_key from {table} where source = 'events' and partition_date < $start",
        ),
    ]
    for table, sql in before_window:
        if warehouse.has_table(table.schema, table.name):
            parts.append(sql.format(table=table.qualified))
            params["start"] = window_start
    if staged_events:
        parts.append("select event_id from read_parquet($events)")
        params["events"] = [str(path) for path in staged_events]
    if staged_quarantine:
        parts.append("select record_key from read_parquet($quarantine) where source = 'events'")
        params["quarantine"] = [str(path) for path in staged_quarantine]
    if not parts or todays_ids.is_empty():
        return pl.Series("event_id", [], dtype=pl.String)
    seen = " union all ".join(parts)
    return warehouse.query(
        f"select distinct event_id from todays_ids where event_id in ({seen})",
        params,
        todays_ids=todays_ids,
    )["event_id"]
