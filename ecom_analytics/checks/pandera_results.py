"""Turn a Pandera validation of a partition's rows into a Dagster check result."""

from __future__ import annotations

import dagster as dg
import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors

# How many failure cases a check result shows; the count always covers them all.
FAILURE_CASES_SHOWN = 10


def pandera_check_result(
    schema: type[pa.DataFrameModel] | pa.DataFrameSchema,
    rows: pl.DataFrame,
    *,
    asset_key: dg.AssetKey,
    check_name: str,
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR,
) -> dg.AssetCheckResult:
    """Validate `rows` lazily (every failure in one pass) and report count and first cases."""
    metadata: dict[str, object] = {"rows_checked": rows.height}
    try:
        schema.validate(rows, lazy=True)
        passed = True
    except SchemaErrors as errors:
        cases = errors.failure_cases
        passed = False
        metadata["failure_count"] = cases.height
        metadata["failed_checks"] = sorted(
            f"{column}: {check}"
            for column, check in cases.select("column", "check").unique().rows()
        )
        shown = cases.head(FAILURE_CASES_SHOWN).select("column", "check", "failure_case", "index")
        metadata["first_failure_cases"] = dg.MetadataValue.md(_markdown(shown))
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=check_name,
        passed=passed,
        severity=severity,
        metadata=metadata,
    )


def _markdown(frame: pl.DataFrame) -> str:
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * frame.width
    body = ["| " + " | ".join(str(value) for value in row) + " |" for row in frame.rows()]
    return "\n".join([header, rule, *body])
