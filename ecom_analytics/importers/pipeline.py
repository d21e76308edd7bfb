"""One import run: source files -> mapped rows -> event, product and user landing files.

Every data row of every source becomes exactly one landed event. Rows that cannot be
mapped keep their original text in `properties.source_row`; those without a readable
timestamp land in the day folder of their file's first dated row (or, if the file has
none, the earliest day of the import), where validation quarantines them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from ecom_analytics.importers import records
from ecom_analytics.importers.base import EVENT_COLUMNS, ImportSummary, SourceFormat
from ecom_analytics.importers.csv_source import SourceError, iter_chunks, read_header
from ecom_analytics.importers.writer import LandingWriter
from ecom_analytics.ingestion import jsonl

# Fields separating the parts hashed into an event id (ASCII unit separator).
ID_SEPARATOR = "\x1f"
_PROPERTY_PREFIX = "properties."
_TOKENS = {"quantity": jsonl.integer_text, "unit_price": jsonl.number_text}
_COMPACT_ROWS = 2_000_000


def run_import(fmt: SourceFormat, sources: list[Path], data_dir: Path) -> ImportSummary:
    names = landing_names(fmt, sources)
    headers = {source: check_header(fmt, source) for source in sources}
    summary = ImportSummary(format=fmt.name, sources=list(sources))
    products = _States(records.reduce_products)
    users = _States(records.reduce_users)
    undated: list[tuple[str, date | None, pl.Series]] = []
    with LandingWriter(data_dir) as writer:
        for source in sources:
            name = names[source]
            first_day: date | None = None
            lines: list[pl.Series] = []
            for chunk in iter_chunks(source, headers[source]):
                events = map_chunk(fmt, chunk.rows, chunk.broken, name)
                summary.rows_read += events.height
                summary.blank_lines += chunk.blank_lines
                dated = events.filter(pl.col("day").is_not_null())
                if first_day is None and not dated.is_empty():
                    first_day = dated["day"][0]
                _land_events(writer, summary, name, dated)
                lines.append(events.filter(pl.col("day").is_null())["line"])
                products.add(records.product_candidates(events, fmt.product_attributes))
                users.add(records.user_candidates(events, fmt.user_attributes))
            writer.close_all()
            undated.append((name, first_day, pl.concat(lines) if lines else pl.Series([])))
        _land_undated(writer, summary, undated)
        product_lines = records.product_records(products.result(), fmt.product_attributes)
        _land_records(writer, summary, "products", product_lines)
        _land_records(
            writer, summary, "users", records.user_records(users.result(), fmt.user_attributes)
        )
        summary.files = writer.commit(sorted(names.values()))
    return summary


def landing_names(fmt: SourceFormat, sources: list[Path]) -> dict[Path, str]:
    """`<format>-<file stem>` for each source; two sources may not share one."""
    names: dict[Path, str] = {}
    for source in sources:
        stem = re.sub(r"(\.csv)?(\.gz)?$", "", source.name, flags=re.IGNORECASE)
        names[source] = f"{fmt.name}-{re.sub(r'[^A-Za-z0-9._-]', '_', stem)}"
    taken: dict[str, Path] = {}
    for source, name in names.items():
        if name in taken:
            raise SourceError(f"{taken[name]} and {source} would land under the same name {name}")
        taken[name] = source
    return names


def check_header(fmt: SourceFormat, source: Path) -> tuple[str, ...]:
    header = read_header(source)
    if not any(sorted(header) == sorted(layout) for layout in fmt.layouts):
        expected = " or ".join(",".join(layout) for layout in fmt.layouts)
        raise SourceError(f"{source}: header {','.join(header)} is not {fmt.name} ({expected})")
    return header


def map_chunk(
    fmt: SourceFormat, rows: pl.DataFrame, broken: pl.DataFrame, name: str
) -> pl.DataFrame:
    """Mapped rows and unsplittable rows of one chunk, in file order, rendered to JSON."""
    mapped = pl.concat([rows.select("line_no", "line"), fmt.map_rows(rows)], how="horizontal")
    events = pl.concat([mapped, broken], how="diagonal_relaxed").sort("line_no")
    if "import_error" not in events.columns:
        events = events.with_columns(import_error=pl.lit(None, pl.String))
    events = events.with_columns(
        event_id=event_ids(fmt.name, events),
        day=pl.col("ts").dt.date(),
        source=pl.lit(name),
        unmapped=pl.col("ts").is_null() | pl.col("import_error").is_not_null(),
    )
    return events.with_columns(line=_event_json(events.columns))


def event_ids(prefix: str, events: pl.DataFrame) -> pl.Series:
    """`<prefix>-md5(<prefix> US <source line text> US <line number>)`, stable everywhere."""
    keys = events.select(
        key=pl.concat_str(
            [pl.lit(prefix), pl.col("line"), pl.col("line_no").cast(pl.String)],
            separator=ID_SEPARATOR,
        )
    )
    with duckdb.connect() as con:
        con.register("keys", keys.to_arrow())
        digests = con.sql("select md5(key) as digest from keys").pl()["digest"]
    return f"{prefix}-" + digests


def _event_json(columns: list[str]) -> pl.Expr:
    when_unmapped = pl.when(pl.col("unmapped"))
    timestamp = pl.coalesce(pl.col("ts").dt.strftime(records.ISO_UTC), pl.col("event_timestamp"))
    fields = {
        "event_id": jsonl.string(pl.col("event_id")),
        "event_timestamp": jsonl.string(timestamp),
        **{c: _TOKENS.get(c, jsonl.string)(pl.col(c)) for c in EVENT_COLUMNS if c in columns},
        "properties": jsonl.object_of(
            {
                "source_line": jsonl.plain(pl.col("line_no")),
                **{
                    c.removeprefix(_PROPERTY_PREFIX): jsonl.string(pl.col(c))
                    for c in columns
                    if c.startswith(_PROPERTY_PREFIX)
                },
                "source_row": jsonl.string(when_unmapped.then(pl.col("line"))),
                "import_error": jsonl.string(pl.col("import_error")),
            }
        ),
    }
    return jsonl.object_of(fields)


def _land_events(
    writer: LandingWriter, summary: ImportSummary, name: str, events: pl.DataFrame
) -> None:
    for (day,), part in events.partition_by("day", as_dict=True, maintain_order=True).items():
        writer.append("events", day, name, part["line"])
        stats = summary.day(day)
        stats.events += part.height
        stats.unmapped += int(part["unmapped"].sum())


def _land_undated(
    writer: LandingWriter,
    summary: ImportSummary,
    undated: list[tuple[str, date | None, pl.Series]],
) -> None:
    fallback = min(summary.days, default=None)
    for name, first_day, lines in undated:
        if lines.is_empty():
            continue
        day = first_day or fallback
        if day is None:
            raise SourceError("no row of any source has a readable timestamp to place it by")
        writer.append("events", day, name, lines)
        stats = summary.day(day)
        stats.events += lines.len()
        stats.unmapped += lines.len()
    writer.close_all()


def _land_records(
    writer: LandingWriter, summary: ImportSummary, kind: str, lines: pl.DataFrame
) -> None:
    for (day, name), part in lines.partition_by(
        ["day", "source"], as_dict=True, maintain_order=True
    ).items():
        writer.append(kind, day, name, part["line"])
        stats = summary.day(day)
        if kind == "products":
            stats.products += part.height
        else:
            stats.users += part.height
    writer.close_all()


class _States:
    """Per-day state rows, compacted as they grow so memory follows keys, not rows."""

    def __init__(self, reduce: Callable[[pl.DataFrame], pl.DataFrame]) -> None:
        self._reduce = reduce
        self._parts: list[pl.DataFrame] = []
        self._rows = 0
        self._limit = _COMPACT_ROWS

    def add(self, frame: pl.DataFrame) -> None:
        self._parts.append(frame)
        self._rows += frame.height
        if self._rows > self._limit:
            merged = self.result()
            self._parts, self._rows = [merged], merged.height
            self._limit = max(_COMPACT_ROWS, 2 * merged.height)

    def result(self) -> pl.DataFrame:
        return self._reduce(pl.concat(self._parts, how="vertical_relaxed"))
