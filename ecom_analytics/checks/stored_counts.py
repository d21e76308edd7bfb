"""The ingestion window as the warehouse holds it, counted per source and day, and the rules
judged on those counts: reconciliation, the quarantine rate and unreadable files.

Source: raw.*, validated.* and quality.quarantine after the ingestion step stored the window.
Grain: one row of counts per source and partition day. Purpose: the figures behind the
non-blocking ingestion checks (checks/ingestion.py) and the days the dbt step holds back
(checks/day_verdicts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import dagster as dg
import polars as pl

from ecom_analytics import settings, tables
from ecom_analytics.checks.spec import Outcome
from ecom_analytics.orchestration.resources import Warehouse
from ecom_analytics.vocabulary import SOURCES, Reason


@dataclass(frozen=True)
class StoredWindow:
    """What the stored checks judge: the window's counts per source and day (counts_by_day),
    the warehouse they were counted in and the quarantine-rate thresholds."""

    warehouse: Warehouse
    start: date
    end: date
    counts: pl.DataFrame
    warn_rate: float
    fail_rate: float

    @classmethod
    def read(cls, warehouse: Warehouse, start: date, end: date) -> StoredWindow:
        """Count [start, end) in `warehouse`, under the configured quarantine-rate thresholds."""
        warn_rate, fail_rate = settings.quarantine_rate_thresholds()
        return cls(
            warehouse, start, end, counts_by_day(warehouse, start, end), warn_rate, fail_rate
        )

    def of(self, source: str) -> pl.DataFrame:
        return self.counts.filter(pl.col("source") == source)


def counts_by_day(warehouse: Warehouse, start: date, end: date) -> pl.DataFrame:
    """rows_read / rows_valid / rows_quarantined / unreadable per source and day, stored."""
    selects = []
    for source in SOURCES:
        raw, valid = tables.RAW_TABLES[source].qualified, tables.VALIDATED_TABLES[source].qualified
        selects += [
            f"select '{source}' as source, partition_date, 'read' as kind, count(*) as n "
            f"from {raw} where partition_date >= $start and partition_date < $end group by 2",
            f"select '{source}', partition_date, 'valid', count(*) "
            f"from {valid} where partition_date >= $start and partition_date < $end group by 2",
        ]
    selects += [
        f"select source, partition_date, 'quarantined', count(*) from {tables.QUARANTINE.qualified}"
        " where partition_date >= $start and partition_date < $end group by 1, 2",
        f"select source, partition_date, 'unreadable', count(*) from {tables.QUARANTINE.qualified}"
        " where partition_date >= $start and partition_date < $end"
        f" and {tables.has_reason(Reason.UNREADABLE_FILE)} group by 1, 2",
    ]
    long = warehouse.query(" union all ".join(selects), {"start": start, "end": end})
    wide = long.pivot(on="kind", index=["source", "partition_date"], values="n")
    for kind in ("read", "valid", "quarantined", "unreadable"):
        if kind not in wide.columns:
            wide = wide.with_columns(pl.lit(0, dtype=pl.Int64).alias(kind))
    return wide.fill_null(0).sort("source", "partition_date")


def quarantine_rate_outcome(
    rows_read: int, rows_quarantined: int, warn_rate: float, fail_rate: float
) -> tuple[float, bool, dg.AssetCheckSeverity]:
    """(rate, passed, severity): above `fail_rate` is an error, above `warn_rate` a warning."""
    rate = rows_quarantined / rows_read if rows_read else 0.0
    if rate > fail_rate:
        return rate, False, dg.AssetCheckSeverity.ERROR
    if rate > warn_rate:
        return rate, False, dg.AssetCheckSeverity.WARN
    return rate, True, dg.AssetCheckSeverity.ERROR


def reconciles(source: str, window: StoredWindow) -> Outcome:
    """Every record of `source` read on a day of the window is valid or quarantined."""
    mine = window.of(source)
    unbalanced = mine.filter(pl.col("read") != pl.col("valid") + pl.col("quarantined"))
    return Outcome(
        passed=unbalanced.is_empty(),
        metadata={
            "rows_read": int(mine["read"].sum()),
            "rows_valid": int(mine["valid"].sum()),
            "rows_quarantined": int(mine["quarantined"].sum()),
            "unbalanced_days": [d.isoformat() for d in unbalanced["partition_date"]],
        },
    )


def quarantine_rate_is_acceptable(source: str, window: StoredWindow) -> Outcome:
    """No day of the window quarantines more of `source` than the warn and fail rates allow."""
    warn_rate, fail_rate = window.warn_rate, window.fail_rate
    outcomes = [
        (day, *quarantine_rate_outcome(read, quarantined, warn_rate, fail_rate))
        for day, read, quarantined in window.of(source)
        .select("partition_date", "read", "quarantined")
        .rows()
    ]
    failed = [o for o in outcomes if not o[2]]
    errors = [o for o in failed if o[3] == dg.AssetCheckSeverity.ERROR]
    worst = max((o[1] for o in outcomes), default=0.0)
    return Outcome(
        passed=not failed,
        severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
        metadata={
            "worst_daily_rate": worst,
            "warn_above": warn_rate,
            "fail_above": fail_rate,
            "days_above_warn": [o[0].isoformat() for o in failed if o not in errors],
            "days_above_fail": [o[0].isoformat() for o in errors],
        },
    )


def has_no_unreadable_files(window: StoredWindow) -> Outcome:
    """No landing file of any day of the window was unreadable; names the files that were."""
    unreadable = window.counts.filter(pl.col("unreadable") > 0)
    files = []
    if not unreadable.is_empty():
        files = window.warehouse.query(
            f"select distinct source_file from {tables.QUARANTINE.qualified} "
            "where partition_date >= $start and partition_date < $end "
            f"and {tables.has_reason(Reason.UNREADABLE_FILE)} order by 1",
            {"start": window.start, "end": window.end},
        )["source_file"].to_list()
    return Outcome(
        passed=unreadable.is_empty(),
        metadata={
            "unreadable_files": files,
            "days": sorted({d.isoformat() for d in unreadable["partition_date"]}),
            "errors_in": "quality.quarantine.detail",
        },
    )
