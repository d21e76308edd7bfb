"""Checks on the ingestion tables, evaluated on one partition's stored rows.

They run inside the asset's step, right after the partition is written, so a failing blocking
check stops everything downstream in the same run (dbt, the dashboard snapshot).
"""

from __future__ import annotations

from datetime import date

import dagster as dg
import polars as pl

from ecom_analytics import settings, tables
from ecom_analytics.checks.pandera_results import pandera_check_result
from ecom_analytics.resources import Warehouse
from ecom_analytics.validation import table_schemas
from ecom_analytics.vocabulary import SOURCES, Reason

QUARANTINE_KEY = dg.AssetKey(tables.QUARANTINE.key)
_STORED_SCHEMAS = {
    "events": table_schemas.ValidatedEventSchema,
    "products": table_schemas.ValidatedProductSchema,
    "users": table_schemas.ValidatedUserSchema,
}


def _spec(asset: list[str], name: str, description: str, blocking: bool = True):
    return dg.AssetCheckSpec(
        name=name, asset=dg.AssetKey(asset), description=description, blocking=blocking
    )


def raw_check_specs() -> list[dg.AssetCheckSpec]:
    return [
        _spec(
            table.key,
            f"raw_{source}_rows_match_schema",
            f"RawRecordSchema (Pandera) on the partition's rows of raw.{source}: lineage present, "
            "one row per file line, every row has its record or its read error.",
        )
        for source, table in tables.RAW_TABLES.items()
    ]


def validation_check_specs() -> list[dg.AssetCheckSpec]:
    specs = []
    for source, table in tables.VALIDATED_TABLES.items():
        specs += [
            _spec(
                table.key,
                f"validated_{source}_rows_match_schema",
                f"{_STORED_SCHEMAS[source].__name__} (Pandera) on the partition's rows of "
                f"validated.{source}: types, keys, accepted values and ranges.",
            ),
            _spec(
                table.key,
                f"validated_{source}_reconcile_with_raw",
                f"rows_read = rows_valid + rows_quarantined for {source} in the partition: "
                "every record read is either valid or quarantined, none dropped.",
            ),
            _spec(
                tables.QUARANTINE.key,
                f"quarantine_rate_of_{source}_is_acceptable",
                f"Share of {source} records quarantined in the partition: warns above the warn "
                "rate, fails above the fail rate (ECOM_QUARANTINE_WARN_RATE / _FAIL_RATE).",
                blocking=True,
            ),
        ]
    specs += [
        _spec(
            tables.QUARANTINE.key,
            "quarantine_rows_match_schema",
            "QuarantineSchema (Pandera) on the partition's quarantine rows: every row names its "
            "source, file, line and at least one known reason code.",
        ),
        _spec(
            tables.QUARANTINE.key,
            "quarantine_has_no_unreadable_files",
            "No landing file of the partition was unreadable. Its other files still load; this "
            "check fails the partition so nothing downstream builds on a partial day.",
        ),
    ]
    return specs


def _partition_rows(warehouse: Warehouse, table: tables.Table, day: date) -> pl.DataFrame:
    return warehouse.query(
        f"select * from {table.qualified} where {tables.PARTITION_COLUMN} = ?", [day]
    )


def _count(warehouse: Warehouse, table: tables.Table, day: date, where: str = "true") -> int:
    frame = warehouse.query(
        f"select count(*) as n from {table.qualified} "
        f"where {tables.PARTITION_COLUMN} = ? and {where}",
        [day],
    )
    return int(frame["n"][0])


def raw_check_results(warehouse: Warehouse, day: date) -> list[dg.AssetCheckResult]:
    return [
        pandera_check_result(
            table_schemas.RawRecordSchema,
            _partition_rows(warehouse, table, day),
            asset_key=dg.AssetKey(table.key),
            check_name=f"raw_{source}_rows_match_schema",
        )
        for source, table in tables.RAW_TABLES.items()
    ]


def validation_check_results(warehouse: Warehouse, day: date) -> list[dg.AssetCheckResult]:
    warn_rate, fail_rate = settings.quarantine_rate_thresholds()
    quarantine = _partition_rows(warehouse, tables.QUARANTINE, day)
    results = []
    for source in SOURCES:
        table = tables.VALIDATED_TABLES[source]
        key = dg.AssetKey(table.key)
        rows_read = _count(warehouse, tables.RAW_TABLES[source], day)
        rows_valid = _count(warehouse, table, day)
        rows_quarantined = quarantine.filter(pl.col("source") == source).height
        results.append(
            pandera_check_result(
                _STORED_SCHEMAS[source],
                _partition_rows(warehouse, table, day),
                asset_key=key,
                check_name=f"validated_{source}_rows_match_schema",
            )
        )
        counts = {
            "rows_read": rows_read,
            "rows_valid": rows_valid,
            "rows_quarantined": rows_quarantined,
        }
        results.append(
            dg.AssetCheckResult(
                asset_key=key,
                check_name=f"validated_{source}_reconcile_with_raw",
                passed=rows_read == rows_valid + rows_quarantined,
                metadata=counts,
            )
        )
        results.append(_rate_result(source, counts, warn_rate, fail_rate))
    results.append(
        pandera_check_result(
            table_schemas.QuarantineSchema,
            quarantine,
            asset_key=QUARANTINE_KEY,
            check_name="quarantine_rows_match_schema",
        )
    )
    unreadable = quarantine.filter(pl.col("reasons").list.contains(Reason.UNREADABLE_FILE))
    results.append(
        dg.AssetCheckResult(
            asset_key=QUARANTINE_KEY,
            check_name="quarantine_has_no_unreadable_files",
            passed=unreadable.is_empty(),
            metadata={
                "unreadable_files": sorted(unreadable["source_file"].to_list()),
                "errors": sorted(unreadable["detail"].drop_nulls().to_list()),
            },
        )
    )
    return results


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


def _rate_result(
    source: str, counts: dict[str, int], warn_rate: float, fail_rate: float
) -> dg.AssetCheckResult:
    rate, passed, severity = quarantine_rate_outcome(
        counts["rows_read"], counts["rows_quarantined"], warn_rate, fail_rate
    )
    return dg.AssetCheckResult(
        asset_key=QUARANTINE_KEY,
        check_name=f"quarantine_rate_of_{source}_is_acceptable",
        passed=passed,
        severity=severity,
        metadata={
            "quarantine_rate": rate,
            "warn_above": warn_rate,
            "fail_above": fail_rate,
            **counts,
        },
    )
