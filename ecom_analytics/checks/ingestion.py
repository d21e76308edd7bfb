"""Checks on the ingestion tables, evaluated inside the ingestion step for its window.

Pandera schemas run on each day's rows exactly as they are written; reconciliation, the
quarantine rate and unreadable files are counted from what the warehouse holds afterwards.
They run in the asset's own step. The Pandera row checks are blocking: a failure stops
everything downstream in the same run (dbt, the dashboard snapshot). Reconciliation, the
quarantine rate and unreadable files are judged per day: the dbt step holds back exactly the
failing days (checks/day_verdicts.py) and fails naming them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

import dagster as dg
import pandera.polars as pa
import polars as pl

from ecom_analytics import tables
from ecom_analytics.checks import stored_counts as counts
from ecom_analytics.checks import table_schemas
from ecom_analytics.checks.pandera_results import SchemaCheck
from ecom_analytics.checks.spec import CheckRecord, Outcome
from ecom_analytics.orchestration.resources import Warehouse
from ecom_analytics.validation.pipeline import ValidationResult
from ecom_analytics.vocabulary import SOURCES

QUARANTINE_KEY = dg.AssetKey(tables.QUARANTINE.key)
_VALIDATED_SCHEMAS = {
    "events": table_schemas.ValidatedEventSchema,
    "products": table_schemas.ValidatedProductSchema,
    "users": table_schemas.ValidatedUserSchema,
}

# The rows of one day a frame check judges, from that day's raw frames and validation
# results, both by source.
DayRows = Callable[[dict[str, pl.DataFrame], dict[str, ValidationResult]], pl.DataFrame]


@dataclass(frozen=True)
class FrameCheck(SchemaCheck):
    """A Pandera schema run on each day's rows of one table as they are staged (blocking)."""

    asset_key: dg.AssetKey
    check_name: str
    pandera_schema: type[pa.DataFrameModel]
    # Whose rows they are and what the schema guarantees, for the description.
    rows_of: str
    guarantees: str
    rows: DayRows

    @property
    def description(self) -> str:
        schema = self.pandera_schema.__name__
        return f"{schema} (Pandera) on each day's {self.rows_of}: {self.guarantees}"


@dataclass(frozen=True)
class StoredCheck(CheckRecord):
    """A rule judged per day on what the warehouse holds once the window is stored."""

    asset_key: dg.AssetKey
    check_name: str
    rule: str
    judge: Callable[[counts.StoredWindow], Outcome]
    # Not blocking the whole run: the dbt step holds back exactly the days that break the
    # rule (checks/day_verdicts.py), so one bad day never keeps the good ones out of the marts.
    blocking = False

    @property
    def description(self) -> str:
        return (
            f"{self.rule} Judged per day: a failing day is held back from staging by the dbt step."
        )


def _source_checks(source: str) -> tuple[FrameCheck | StoredCheck, ...]:
    """The checks of one source's raw and validated tables and of its quarantine rate."""
    raw = dg.AssetKey(tables.RAW_TABLES[source].key)
    validated = dg.AssetKey(tables.VALIDATED_TABLES[source].key)
    return (
        FrameCheck(
            raw,
            f"raw_{source}_rows_match_schema",
            table_schemas.RawRecordSchema,
            rows_of=f"rows of raw.{source}",
            guarantees="lineage present, one row per file line, every row has its record or "
            "its read error.",
            rows=lambda raw_rows, _: raw_rows[source],
        ),
        FrameCheck(
            validated,
            f"validated_{source}_rows_match_schema",
            _VALIDATED_SCHEMAS[source],
            rows_of=f"rows of validated.{source}",
            guarantees="types, keys, accepted values and ranges.",
            rows=lambda _, results: results[source].valid,
        ),
        StoredCheck(
            validated,
            f"validated_{source}_reconcile_with_raw",
            rule=f"rows_read = rows_valid + rows_quarantined for {source}, per partition, "
            "counted in the warehouse: every record read is valid or quarantined.",
            judge=partial(counts.reconciles, source),
        ),
        StoredCheck(
            QUARANTINE_KEY,
            f"quarantine_rate_of_{source}_is_acceptable",
            rule=f"Share of {source} records quarantined, per partition: warns above the warn "
            "rate, fails above the fail rate (ECOM_QUARANTINE_WARN_RATE / _FAIL_RATE).",
            judge=partial(counts.quarantine_rate_is_acceptable, source),
        ),
    )


# Every check of the ingestion step, each declared once, in the order Dagster lists them.
CHECKS: tuple[FrameCheck | StoredCheck, ...] = (
    *(check for source in SOURCES for check in _source_checks(source)),
    FrameCheck(
        QUARANTINE_KEY,
        "quarantine_rows_match_schema",
        table_schemas.QuarantineSchema,
        rows_of="quarantine rows",
        guarantees="every row names its source, file, line and at least one known reason code.",
        rows=lambda _, results: pl.concat(
            [results[source].quarantine for source in SOURCES], how="vertical"
        ),
    ),
    StoredCheck(
        QUARANTINE_KEY,
        "quarantine_has_no_unreadable_files",
        rule="No landing file of the partition was unreadable. Its other files still load; the "
        "day fails, so nothing downstream builds on a partial day.",
        judge=counts.has_no_unreadable_files,
    ),
)


def check_specs() -> list[dg.AssetCheckSpec]:
    """The specs of every ingestion check, for the ingestion step's multi-asset."""
    return [check.spec for check in CHECKS]


class FrameChecks:
    """The Pandera checks of CHECKS, fed each day's frames as they are staged."""

    def __init__(self) -> None:
        self.tallies = [(check, check.tally()) for check in CHECKS if isinstance(check, FrameCheck)]

    def inspect_day(
        self, day: date, raw: dict[str, pl.DataFrame], results: dict[str, ValidationResult]
    ) -> None:
        for check, tally in self.tallies:
            tally.validate(day, check.rows(raw, results))

    def results(self) -> list[dg.AssetCheckResult]:
        return [tally.result() for _, tally in self.tallies]


def stored_results(warehouse: Warehouse, start: date, end: date) -> list[dg.AssetCheckResult]:
    """Reconciliation, quarantine rate and unreadable files, per partition in [start, end)."""
    window = counts.StoredWindow.read(warehouse, start, end)
    return [check.result(check.judge(window)) for check in CHECKS if isinstance(check, StoredCheck)]
