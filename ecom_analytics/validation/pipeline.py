"""Validate one source's raw rows for one day: valid rows and quarantine rows, nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from ecom_analytics import tables
from ecom_analytics.validation.extract import ROW_INDEX, extract_indexed
from ecom_analytics.validation.fields import SOURCE_FIELDS
from ecom_analytics.validation.quarantine import REASONS, reasons_by_row
from ecom_analytics.validation.record_rules import IS_DUPLICATE, IS_KNOWN_PRODUCT, SCHEMA_BUILDERS
from ecom_analytics.validation.typed import extract_typed

_EMPTY_IDS = pl.Series("id", [], dtype=pl.String)


@dataclass(frozen=True)
class ValidationResult:
    source: str
    valid: pl.DataFrame
    quarantine: pl.DataFrame
    reason_counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows_valid(self) -> int:
        return self.valid.height

    @property
    def rows_quarantined(self) -> int:
        return self.quarantine.height

    @property
    def rows_read(self) -> int:
        return self.rows_valid + self.rows_quarantined


def validate(raw: pl.DataFrame, source: str, day: date, **lookups: pl.Series) -> ValidationResult:
    """Split `raw` (rows of the raw table for `source` and `day`) into valid and quarantined;
    `lookups` are `judge`'s (`known_product_ids`, `earlier_event_ids`)."""
    return judge(prepare(raw, source), source, day, **lookups)


def prepare(
    raw: pl.DataFrame, source: str, parquet: Mapping[str, pl.DataFrame] | None = None
) -> pl.DataFrame:
    """Candidate records: raw rows in file-then-line order, parsed into typed fields.

    `parquet`: the typed rows of the day's Parquet files by `source_file` (readers.DayRead);
    those files' candidates come from their columns instead of their JSON text, with the same
    result (validation/typed.py).
    """
    spec = SOURCE_FIELDS[source]
    indexed = raw.sort("source_file", "source_line").with_row_index(ROW_INDEX)
    parts = []
    typed_files = []
    for source_file, typed in (parquet or {}).items():
        candidates = extract_typed(
            indexed.filter(pl.col("source_file") == source_file), typed, spec
        )
        if candidates is not None:
            parts.append(candidates)
            typed_files.append(source_file)
    rest = indexed.filter(~pl.col("source_file").is_in(typed_files)) if typed_files else indexed
    if not parts or not rest.is_empty():
        parts.append(extract_indexed(rest, spec))
    return pl.concat(parts, how="vertical").sort(ROW_INDEX) if len(parts) > 1 else parts[0]


def judge(
    candidates: pl.DataFrame,
    source: str,
    day: date,
    *,
    known_product_ids: pl.Series = _EMPTY_IDS,
    earlier_event_ids: pl.Series = _EMPTY_IDS,
) -> ValidationResult:
    """Apply the source's rules to prepared candidates.

    `known_product_ids`: the catalogue as of `day` (events only). `earlier_event_ids`: ids of
    this day's events already seen on earlier days (events only); those copies are duplicates.
    """
    spec = SOURCE_FIELDS[source]
    if source == "events":
        candidates = _flag_event_lookups(candidates, known_product_ids, earlier_event_ids)

    failures = reasons_by_row(candidates, SCHEMA_BUILDERS[source](day))
    judged = candidates.join(failures, on=ROW_INDEX, how="left")
    is_valid = pl.col(REASONS).is_null()

    contract = tables.VALIDATED_TABLES[source].columns
    valid = judged.filter(is_valid).select(list(contract))
    quarantine = judged.filter(~is_valid).select(
        pl.lit(source).alias("source"),
        "partition_date",
        "source_file",
        "source_line",
        "raw_record",
        REASONS,
        pl.col(spec.key).alias("record_key"),
        pl.col("read_error").alias("detail"),
    )
    counts = quarantine.select(pl.col(REASONS).explode()).to_series().value_counts()
    return ValidationResult(
        source=source,
        valid=valid,
        quarantine=quarantine,
        reason_counts=dict(zip(counts[REASONS], counts["count"], strict=True)),
    )


def _flag_event_lookups(
    candidates: pl.DataFrame, known_product_ids: pl.Series, earlier_event_ids: pl.Series
) -> pl.DataFrame:
    event_id = pl.col("event_id")
    # Candidates are in file-name then line order, so the first of a repeated id wins.
    repeated_today = event_id.is_not_null() & ~event_id.is_first_distinct()
    return candidates.with_columns(
        (repeated_today | event_id.is_in(earlier_event_ids.implode())).alias(IS_DUPLICATE),
        pl.col("product_id").is_in(known_product_ids.implode()).alias(IS_KNOWN_PRODUCT),
    )
