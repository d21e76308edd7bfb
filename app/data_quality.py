"""Data quality: what validation quarantined, and the check results and materializations
the snapshot's `meta` schema records (ecom_analytics.snapshot_schema), as queries.
"""

from __future__ import annotations

import pandas as pd

from app.data import query, where_clause
from app.filters import Filters
from ecom_analytics.snapshot_schema import CHECK_RESULTS, MATERIALIZATIONS, column_list

# Columns of the `meta` tables the page shows (the writer's run ids stay unread).
_CHECK_COLUMNS = (
    "asset_key",
    "check_name",
    "partition_key",
    "passed",
    "severity",
    "blocking",
    "description",
    "evaluated_at",
)
_MATERIALIZATION_COLUMNS = ("asset_key", "partition_key", "materialized_at")
_CHECK_RESULTS_SQL = (
    f"select {column_list(CHECK_RESULTS, _CHECK_COLUMNS)} from {CHECK_RESULTS.qualified}"
    " order by passed, asset_key, check_name"
)
_MATERIALIZATIONS_SQL = (
    f"select {column_list(MATERIALIZATIONS, _MATERIALIZATION_COLUMNS)}"
    f" from {MATERIALIZATIONS.qualified} order by materialized_at desc, asset_key"
)


def quarantine_by_reason(f: Filters) -> pd.DataFrame:
    """Quarantined records per partition day and reason (a record counts under each reason)."""
    where, params = where_clause(f, "partition_date")
    return query(
        f"""
        select partition_date as day, reason, sum(rows_quarantined) as rows_quarantined
        from marts.fct_data_quality {where} and reason <> 'none'
        group by partition_date, reason
        order by partition_date, reason
        """,
        tuple(params),
    )


def quality_totals(f: Filters) -> pd.DataFrame:
    """Rows read, valid and quarantined per source over `f`."""
    where, params = where_clause(f, "partition_date")
    # rows_read and rows_valid repeat on every reason row of a partition and source, and a
    # record with two reasons is counted under both: take the partition's numbers once.
    return query(
        f"""
        with partitions as (
            select partition_date, source, max(rows_read) as rows_read,
                max(rows_valid) as rows_valid
            from marts.fct_data_quality {where}
            group by partition_date, source
        )
        select source, sum(rows_read) as rows_read, sum(rows_valid) as rows_valid,
            sum(rows_read - rows_valid) as rows_quarantined
        from partitions
        group by source
        order by source
        """,
        tuple(params),
    )


def check_results() -> pd.DataFrame:
    """The latest result of every asset check as of publication, failures first."""
    return query(_CHECK_RESULTS_SQL)


def materializations() -> pd.DataFrame:
    """The last materialization of every asset as of publication, the latest first."""
    return query(_MATERIALIZATIONS_SQL)
