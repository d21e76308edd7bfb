"""Run a Pandera schema lazily and turn its failure cases into per-row quarantine reasons."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors

from ecom_analytics.validation.extract import ROW_INDEX
from ecom_analytics.validation.record_rules import COLUMN_REASONS
from ecom_analytics.vocabulary import Reason

REASONS = "reasons"

_FIELD_REASON_PREFIXES = (
    Reason.MISSING_REQUIRED_FIELD,
    Reason.INVALID_TYPE,
    Reason.INVALID_VALUE,
)
_PLAIN_REASONS = {
    Reason.MALFORMED_RECORD,
    Reason.UNKNOWN_EVENT_TYPE,
    Reason.TIMESTAMP_OUTSIDE_PARTITION,
    Reason.FUTURE_TIMESTAMP,
    Reason.DUPLICATE_EVENT_ID,
    Reason.UNKNOWN_PRODUCT,
    Reason.UNREADABLE_FILE,
}


class SchemaBug(RuntimeError):
    """A failure that is not about a record (a dtype or missing column): a code error."""


def reasons_by_row(candidates: pl.DataFrame, schema: pa.DataFrameSchema) -> pl.DataFrame:
    """One row per failing candidate: its `row_index` and sorted, distinct reason codes."""
    try:
        schema.validate(candidates, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return pl.DataFrame(schema={ROW_INDEX: pl.UInt32, REASONS: pl.List(pl.String)})

    if cases["index"].null_count():
        schema_level = cases.filter(pl.col("index").is_null())
        raise SchemaBug(f"schema-level validation failure: {schema_level.to_dicts()[:3]}")

    reason = (
        pl.when(pl.col("check").is_in(list(_PLAIN_REASONS)))
        .then(pl.col("check"))
        .when(pl.col("check").str.contains(f"^({'|'.join(_FIELD_REASON_PREFIXES)}):"))
        .then(pl.col("check"))
        .otherwise(
            pl.col("column").replace_strict(
                COLUMN_REASONS,
                default=pl.lit(Reason.INVALID_VALUE + ":") + pl.col("column"),
                return_dtype=pl.String,
            )
        )
    )
    return (
        cases.select(pl.col("index").cast(pl.UInt32).alias(ROW_INDEX), reason.alias("reason"))
        .group_by(ROW_INDEX)
        .agg(pl.col("reason").unique().sort().alias(REASONS))
        .sort(ROW_INDEX)
    )
