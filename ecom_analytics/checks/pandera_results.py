"""Run Pandera schemas on a partition's rows and report the outcome as a Dagster check.

`SchemaCheck` is the record of a check evaluated by a Pandera schema; `PanderaCheck` is its
tally over one run, fed the rows of each day (or run of days) in turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import dagster as dg
import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors

from ecom_analytics.checks.spec import CheckRecord

# How many failure cases a check result shows; the count always covers them all.
FAILURE_CASES_SHOWN = 10


def failure_cases(schema: type[pa.DataFrameModel] | pa.DataFrameSchema, rows: pl.DataFrame):
    """Every failure of `rows` against `schema` in one lazy pass, or None when valid."""
    try:
        schema.validate(rows, lazy=True)
    except SchemaErrors as errors:
        return errors.failure_cases
    return None


@dataclass
class PanderaCheck:
    """One schema check, accumulated over the days of a partition window."""

    asset_key: dg.AssetKey
    check_name: str
    schema: type[pa.DataFrameModel] | pa.DataFrameSchema
    rows_checked: int = 0
    failing_days: list[str] = field(default_factory=list)
    cases: list[pl.DataFrame] = field(default_factory=list)
    failure_count: int = 0
    failures_by_check: dict[str, int] = field(default_factory=dict)

    def validate(
        self,
        day: date,
        rows: pl.DataFrame,
        day_of_row: pl.Series | None = None,
        schema: pa.DataFrameSchema | None = None,
    ) -> None:
        """Validate `rows`, all of `day`; or of several days, `day_of_row` giving each row's
        day, so that a failure is put on the day of its row (a failure of no row, such as a
        missing column, on every day present). `schema`: a part of the check's schema, for
        rows read with only its columns."""
        self.rows_checked += rows.height
        cases = failure_cases(schema if schema is not None else self.schema, rows)
        if cases is None:
            return
        if day_of_row is None or rows.is_empty():
            days_of_cases = pl.repeat(day, cases.height, eager=True, dtype=pl.Date)
            failing = [day]
        else:
            index = cases["index"].cast(pl.Int64)
            days_of_cases = (
                day_of_row.cast(pl.Date).gather(index.fill_null(0)).set(index.is_null(), None)
            )
            failing = (
                day_of_row.unique().to_list()
                if index.null_count()
                else days_of_cases.drop_nulls().unique().to_list()
            ) or [day]
        for failing_day in sorted(failing):
            if failing_day.isoformat() not in self.failing_days:
                self.failing_days.append(failing_day.isoformat())
        self.failure_count += cases.height
        for column, check, count in cases.group_by("column", "check").len().rows():
            name = f"{column} / {check}"
            self.failures_by_check[name] = self.failures_by_check.get(name, 0) + count
        shown = FAILURE_CASES_SHOWN - sum(frame.height for frame in self.cases)
        if shown > 0:
            self.cases.append(
                cases.with_columns(days_of_cases.dt.to_string().alias("day"))
                .head(shown)
                .select(
                    "day",
                    "column",
                    "check",
                    pl.col("failure_case").cast(pl.String),
                    "index",
                )
            )

    def result(self) -> dg.AssetCheckResult:
        metadata: dict[str, object] = {
            "rows_checked": self.rows_checked,
            "failure_count": self.failure_count,
        }
        if self.failing_days:
            metadata["failing_days"] = self.failing_days
            metadata["failures_by_check"] = dict(
                sorted(self.failures_by_check.items(), key=lambda item: -item[1])
            )
            metadata["first_failure_cases"] = dg.MetadataValue.md(
                markdown_table(pl.concat(self.cases, how="vertical"))
            )
        return dg.AssetCheckResult(
            asset_key=self.asset_key,
            check_name=self.check_name,
            passed=not self.failing_days,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata=metadata,
        )


class SchemaCheck(CheckRecord):
    """A check record evaluated by the Pandera schema its subclass gives as `pandera_schema`."""

    pandera_schema: type[pa.DataFrameModel] | pa.DataFrameSchema

    def tally(self) -> PanderaCheck:
        """An empty tally of this check, to be fed the rows it judges."""
        return PanderaCheck(self.asset_key, self.check_name, self.pandera_schema)


def markdown_table(frame: pl.DataFrame) -> str:
    """A small Markdown table for check metadata; cells are escaped and cut at 120 chars."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")[:120]

    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * frame.width
    body = ["| " + " | ".join(cell(value) for value in row) + " |" for row in frame.rows()]
    return "\n".join([header, rule, *body])
