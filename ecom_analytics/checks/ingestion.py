"""Checks on the ingestion tables, evaluated inside the ingestion step for its window.

Pandera schemas run on each day's rows exactly as they are written; reconciliation, the
quarantine rate and unreadable files are counted from what the warehouse holds afterwards.
They run in the asset's own step. The Pandera row checks are blocking: a failure stops
everything downstream in the same run (dbt, the dashboard snapshot). Reconciliation, the
quarantine rate and unreadable files are judged per day: the dbt step holds back exactly the
failing days (checks/day_verdicts.py) and fails naming them.
"""

from __future__ import annotations

from datetime import date

import dagster as dg
import polars as pl

from ecom_analytics import settings, tables
from ecom_analytics.checks import table_schemas
from ecom_analytics.checks.pandera_results import PanderaCheck
from ecom_analytics.orchestration.resources import Warehouse
from ecom_analytics.validation.pipeline import ValidationResult
from ecom_analytics.vocabulary import SOURCES, Reason

QUARANTINE_KEY = dg.AssetKey(tables.QUARANTINE.key)
_VALIDATED_SCHEMAS = {
    "events": table_schemas.ValidatedEventSchema,
    "products": table_schemas.ValidatedProductSchema,
    "users": table_schemas.ValidatedUserSchema,
}


def _spec(
    key: list[str], name: str, description: str, *, blocking: bool = True
) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        name=name, asset=dg.AssetKey(key), description=description, blocking=blocking
    )


# The per-day rules (reconciliation, quarantine rate, unreadable files) do not block the
# whole run: the dbt step holds back exactly the days that break them
# (checks/day_verdicts.py), so one bad day never keeps the good ones out of the marts.
_PER_DAY = " Judged per day: a failing day is held back from staging by the dbt step."


def check_specs() -> list[dg.AssetCheckSpec]:
    specs = []
    for source in SOURCES:
        raw, validated = tables.RAW_TABLES[source], tables.VALIDATED_TABLES[source]
        schema = _VALIDATED_SCHEMAS[source].__name__
        specs += [
            _spec(
                raw.key,
                f"raw_{source}_rows_match_schema",
                f"RawRecordSchema (Pandera) on each day's rows of raw.{source}: lineage "
                "present, one row per file line, every row has its record or its read error.",
            ),
            _spec(
                validated.key,
                f"validated_{source}_rows_match_schema",
                f"{schema} (Pandera) on each day's rows of validated.{source}: types, keys, "
                "accepted values and ranges.",
            ),
            _spec(
                validated.key,
                f"validated_{source}_reconcile_with_raw",
                f"rows_read = rows_valid + rows_quarantined for {source}, per partition, "
                "counted in the warehouse: every record read is valid or quarantined." + _PER_DAY,
                blocking=False,
            ),
            _spec(
                tables.QUARANTINE.key,
                f"quarantine_rate_of_{source}_is_acceptable",
                f"Share of {source} records quarantined, per partition: warns above the warn "
                "rate, fails above the fail rate (ECOM_QUARANTINE_WARN_RATE / _FAIL_RATE)."
                + _PER_DAY,
                blocking=False,
            ),
        ]
    specs += [
        _spec(
            tables.QUARANTINE.key,
            "quarantine_rows_match_schema",
            "QuarantineSchema (Pandera) on each day's quarantine rows: every row names its "
            "source, file, line and at least one known reason code.",
        ),
        _spec(
            tables.QUARANTINE.key,
            "quarantine_has_no_unreadable_files",
            "No landing file of the partition was unreadable. Its other files still load; the "
            "day fails, so nothing downstream builds on a partial day." + _PER_DAY,
            blocking=False,
        ),
    ]
    return specs


class FrameChecks:
    """The Pandera checks, fed each day's frames as they are staged."""

    def __init__(self) -> None:
        self.checks: dict[str, PanderaCheck] = {}
        for source in SOURCES:
            self._add(
                tables.RAW_TABLES[source].key,
                f"raw_{source}_rows_match_schema",
                table_schemas.RawRecordSchema,
            )
            self._add(
                tables.VALIDATED_TABLES[source].key,
                f"validated_{source}_rows_match_schema",
                _VALIDATED_SCHEMAS[source],
            )
        self._add(
            tables.QUARANTINE.key, "quarantine_rows_match_schema", table_schemas.QuarantineSchema
        )

    def _add(self, key: list[str], name: str, schema) -> None:
        self.checks[name] = PanderaCheck(dg.AssetKey(key), name, schema)

    def inspect_day(
        self, day: date, raw: dict[str, pl.DataFrame], results: dict[str, ValidationResult]
    ) -> None:
        for source in SOURCES:
            self.checks[f"raw_{source}_rows_match_schema"].validate(day, raw[source])
            self.checks[f"validated_{source}_rows_match_schema"].validate(
                day, results[source].valid
            )
        quarantine = pl.concat([results[s].quarantine for s in SOURCES], how="vertical")
        self.checks["quarantine_rows_match_schema"].validate(day, quarantine)

    def results(self) -> list[dg.AssetCheckResult]:
        return [check.result() for check in self.checks.values()]


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


def stored_results(warehouse: Warehouse, start: date, end: date) -> list[dg.AssetCheckResult]:
    """Reconciliation, quarantine rate and unreadable files, per partition in [start, end)."""
    warn_rate, fail_rate = settings.quarantine_rate_thresholds()
    counts = counts_by_day(warehouse, start, end)
    results = []
    for source in SOURCES:
        mine = counts.filter(pl.col("source") == source)
        unbalanced = mine.filter(pl.col("read") != pl.col("valid") + pl.col("quarantined"))
        results.append(
            dg.AssetCheckResult(
                asset_key=dg.AssetKey(tables.VALIDATED_TABLES[source].key),
                check_name=f"validated_{source}_reconcile_with_raw",
                passed=unbalanced.is_empty(),
                metadata={
                    "rows_read": int(mine["read"].sum()),
                    "rows_valid": int(mine["valid"].sum()),
                    "rows_quarantined": int(mine["quarantined"].sum()),
                    "unbalanced_days": [d.isoformat() for d in unbalanced["partition_date"]],
                },
            )
        )
        results.append(_rate_result(source, mine, warn_rate, fail_rate))
    unreadable = counts.filter(pl.col("unreadable") > 0)
    files = []
    if not unreadable.is_empty():
        files = warehouse.query(
            f"select distinct source_file from {tables.QUARANTINE.qualified} "
            "where partition_date >= $start and partition_date < $end "
            f"and {tables.has_reason(Reason.UNREADABLE_FILE)} order by 1",
            {"start": start, "end": end},
        )["source_file"].to_list()
    results.append(
        dg.AssetCheckResult(
            asset_key=QUARANTINE_KEY,
            check_name="quarantine_has_no_unreadable_files",
            passed=unreadable.is_empty(),
            metadata={
                "unreadable_files": files,
                "days": sorted({d.isoformat() for d in unreadable["partition_date"]}),
                "errors_in": "quality.quarantine.detail",
            },
        )
    )
    return results


def _rate_result(
    source: str, counts: pl.DataFrame, warn_rate: float, fail_rate: float
) -> dg.AssetCheckResult:
    outcomes = [
        (day, *quarantine_rate_outcome(read, quarantined, warn_rate, fail_rate))
        for day, read, quarantined in counts.select("partition_date", "read", "quarantined").rows()
    ]
    failed = [o for o in outcomes if not o[2]]
    errors = [o for o in failed if o[3] == dg.AssetCheckSeverity.ERROR]
    worst = max((o[1] for o in outcomes), default=0.0)
    return dg.AssetCheckResult(
        asset_key=QUARANTINE_KEY,
        check_name=f"quarantine_rate_of_{source}_is_acceptable",
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
