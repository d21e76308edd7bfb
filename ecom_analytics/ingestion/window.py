"""Ingest a window of days: read, validate and stage each day in turn.

Each day's raw, valid and quarantined rows are written to Parquet files in a staging folder
and then dropped from memory, so a 30-day backfill needs the memory of a few days (small
days: up to two prepared, one judged, one being written; large days: one judged alone, then
one written while the next is prepared; a day of 2 M records or more, such as a history's
first day with every user's record: judged and written alone), not of 30. The warehouse
receives the staged files afterwards, one transaction per table (`warehouse.StagedParquet`).
Lookups that span days (the catalogue as of a day, event ids already seen) read the
warehouse for days before the window and the staged files within it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from ecom_analytics import settings, tables
from ecom_analytics.ingestion.readers import read_day_typed
from ecom_analytics.validation.pipeline import ValidationResult, judge, prepare
from ecom_analytics.vocabulary import SOURCES
from ecom_analytics.warehouse import Lookups, StagedParquet

# Days read and prepared ahead, side by side, while the current one is judged: two while
# days are small. A day of READ_AHEAD_MAX_ROWS events or more keeps both cores busy on its
# own, so it is judged alone and the next day is prepared only while it is written: staging
# five days of 1 M events peaked at 3.2 GiB that way, against 4.0 GiB with one day prepared
# during the judgement and 4.8 GiB with two, at about the same speed.
READ_AHEAD = 2
READ_AHEAD_MAX_ROWS = 500_000
# A day of this many records of all sources or more (the first day of a history, which holds
# every user's record: 2.4 M of them and 1 M events at 30 M events) is also written alone:
# the next day is read only once it is staged. Reading the next day during its write set the
# peak of staging 30 days of 1 M events, 3.6 GiB.
WRITE_ALONE_MIN_ROWS = 2_000_000

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
    warehouse: Lookups,
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
    seen = _SeenIds()
    before_window = _ids_before_window_sql(warehouse)
    # Reading and parsing a day needs nothing from other days, so the next days (up to
    # READ_AHEAD) are prepared in background threads while this one is judged, and the
    # previous one is written to the staging files in another (DuckDB and polars release
    # the GIL): at most READ_AHEAD + 2 days in memory.
    with (
        ThreadPoolExecutor(max_workers=READ_AHEAD) as pool,
        ThreadPoolExecutor(max_workers=1) as writer,
    ):
        pending = deque([pool.submit(_read_and_prepare, days[0])])
        submitted = 1

        def read_ahead(count: int) -> None:
            nonlocal submitted
            while len(pending) < count and submitted < len(days):
                pending.append(pool.submit(_read_and_prepare, days[submitted]))
                submitted += 1

        written: Future | None = None
        for day in days:
            raw, prepared = pending.popleft().result()
            alone = sum(frame.height for frame in raw.values()) >= WRITE_ALONE_MIN_ROWS
            large = alone or raw["events"].height >= READ_AHEAD_MAX_ROWS
            if not large:
                read_ahead(READ_AHEAD)
            todays_ids = prepared["events"]["event_id"].drop_nulls().unique()
            repeats = seen.candidates(todays_ids)
            if written is not None and not repeats.is_empty():
                written.result()  # the staged files are read below: they must be complete
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
                    earlier_event_ids=pl.concat(
                        [
                            _event_ids_seen_before(warehouse, days[0], todays_ids, before_window),
                            _event_ids_staged(
                                repeats,
                                stages[tables.VALIDATED_EVENTS.qualified].files,
                                stages[tables.QUARANTINE.qualified].files,
                            ),
                        ]
                    ).unique(),
                ),
            }
            # The typed candidates are judged: free them before waiting on the writer and the
            # next day (at 1 M events a day they hold about as much as the raw text).
            del prepared
            if large and not alone:
                # A large day is judged alone; the next is read while this one is written.
                read_ahead(1)
            seen.add(results["events"].valid["event_id"])
            seen.add(results["events"].quarantine["record_key"])
            if inspect is not None:
                inspect(day, raw, results)
            if written is not None:
                written.result()  # one write in flight, and its failure stops the window
            written = writer.submit(_stage_day, stages, day, raw, results)
            if progress is not None:
                progress(_summary(day, results))
            if alone:
                written.result()
                del raw, results
                read_ahead(1)
        if written is not None:
            written.result()
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


def _catalogue_before(warehouse: Lookups, start: date) -> pl.Series:
    table = tables.VALIDATED_PRODUCTS
    if not warehouse.has_table(table.schema, table.name):
        return pl.Series("product_id", [], dtype=pl.String)
    return warehouse.query(
        f"select distinct product_id from {table.qualified} where partition_date < ?", [start]
    )["product_id"]


class _SeenIds:
    """Hashes of the event ids staged so far in the window (valid or quarantined), sorted.

    Asking the staged files about every id of every day would read all earlier days again
    each day (quadratic in the window); the hashes answer "certainly not seen" in memory
    (8 bytes an id), and only ids whose hash was seen, the real repeats and the rare hash
    collision, are looked up in the staged files.
    """

    def __init__(self) -> None:
        self.hashes = np.empty(0, dtype=np.uint64)

    def add(self, ids: pl.Series) -> None:
        new = ids.drop_nulls().hash().to_numpy()
        # Two sorted runs: the stable sort merges them in linear time.
        self.hashes = np.sort(np.concatenate([self.hashes, np.sort(new)]), kind="stable")

    def candidates(self, ids: pl.Series) -> pl.Series:
        """The ids of `ids` whose hash was seen: a superset of the ids seen."""
        if not self.hashes.size or ids.is_empty():
            return ids.clear()
        hashes = ids.hash().to_numpy()
        # Searched in sorted order, the binary searches walk the seen hashes in one direction
        # and stay in cache: 7x faster than in the ids' order once millions are seen.
        order = np.argsort(hashes)
        needles = hashes[order]
        found = np.minimum(np.searchsorted(self.hashes, needles), self.hashes.size - 1)
        seen = np.empty(hashes.size, dtype=bool)
        seen[order] = self.hashes[found] == needles
        return ids.filter(pl.Series(seen))


def _ids_before_window_sql(warehouse: Lookups) -> list[str]:
    """Queries for the event ids stored before the window (valid, or quarantined with an
    id), over the tables that exist. Looked up once: the window writes nothing until its
    days are staged."""
    before_window = [
        (tables.VALIDATED_EVENTS, "select event_id from {table} where partition_date < $start"),
        (
            tables.QUARANTINE,
            "select record_key from {table} where source = 'events' and partition_date < $start",
        ),
    ]
    return [
        sql.format(table=table.qualified)
        for table, sql in before_window
        if warehouse.has_table(table.schema, table.name)
    ]


def _event_ids_seen_before(
    warehouse: Lookups, window_start: date, ids: pl.Series, before_window: list[str]
) -> pl.Series:
    """Which of `ids` were read before the window (in the warehouse, valid or quarantined)."""
    return _seen(warehouse, ids, before_window, {"start": window_start})


def _event_ids_staged(
    ids: pl.Series, staged_events: list[Path], staged_quarantine: list[Path]
) -> pl.Series:
    """Which of `ids` were read earlier in the window (in the staged files). The files are
    local, so a private in-memory DuckDB reads them whatever the warehouse engine."""
    parts, params = [], {}
    if staged_events:
        parts.append("select event_id from read_parquet($events)")
        params["events"] = [str(path) for path in staged_events]
    if staged_quarantine:
        parts.append("select record_key from read_parquet($quarantine) where source = 'events'")
        params["quarantine"] = [str(path) for path in staged_quarantine]
    return _seen(_StagedFiles(), ids, parts, params)


class _StagedFiles:
    """A private in-memory DuckDB, queried like a warehouse (frames visible by name)."""

    def query(self, sql: str, params: dict, **frames: pl.DataFrame) -> pl.DataFrame:
        with duckdb.connect(config=settings.duckdb_config()) as connection:
            for name, frame in frames.items():
                connection.register(name, frame.to_arrow())
            return connection.sql(sql, params=params).pl()


def _seen(
    warehouse: Lookups | _StagedFiles, ids: pl.Series, parts: list[str], params: dict
) -> pl.Series:
    todays_ids = pl.DataFrame({"event_id": ids})
    if not parts or todays_ids.is_empty():
        return pl.Series("event_id", [], dtype=pl.String)
    seen = " union all ".join(parts)
    return warehouse.query(
        f"select distinct event_id from todays_ids where event_id in ({seen})",
        params,
        todays_ids=todays_ids,
    )["event_id"]
