"""Behaviour (SPEC §5): session length, time to purchase and activity by weekday and hour,
as parameterized queries over the snapshot.

Durations are counted per bucket in SQL, so a page of millions of sessions moves eight
numbers; every bucket is returned, zero when empty, so charts keep their shape.
"""

from __future__ import annotations

import pandas as pd

from app.data import query, where_clause
from app.filters import Filters, check_allowed

# Bucket edges in seconds; each bucket is [edge, next edge).
DURATION_BUCKETS = (
    (0, "< 10 s"),
    (10, "10–30 s"),
    (30, "30 s–1 min"),
    (60, "1–2 min"),
    (120, "2–5 min"),
    (300, "5–10 min"),
    (600, "10–30 min"),
    (1800, "30 min +"),
)
TIME_TO_PURCHASE_BUCKETS = (
    (0, "< 1 min"),
    (60, "1–5 min"),
    (300, "5–10 min"),
    (600, "10–30 min"),
    (1800, "30 min–1 h"),
    (3600, "1 h +"),
)
ACTIVITY_METRICS = {
    "events": "Events",
    "sessions_started": "Sessions started",
    "purchases": "Purchases",
}


def _bucket_sql(column: str, buckets: tuple[tuple[int, str], ...]) -> str:
    """SQL giving the index of the bucket `column` falls in."""
    # Edges are constants of this module, so they are written into the SQL as numbers.
    cases = " ".join(
        f"when {column} < {upper} then {index}" for index, (upper, _) in enumerate(buckets[1:])
    )
    return f"case {cases} else {len(buckets) - 1} end"


def _bucketed(
    table: str, column: str, buckets: tuple[tuple[int, str], ...], where: str, params: list
) -> pd.DataFrame:
    """Rows of `table` per bucket of `column`, one row per bucket with its label."""
    counts = query(
        f"select {_bucket_sql(column, buckets)} as bucket, count(*) as count"
        f" from {table} {where} and {column} is not null group by bucket",
        tuple(params),
    )
    frame = pd.DataFrame({"bucket": range(len(buckets)), "label": [b[1] for b in buckets]})
    frame = frame.merge(counts, on="bucket", how="left").fillna({"count": 0})
    return frame.astype({"count": "int64"})


def session_durations(f: Filters) -> pd.DataFrame:
    """Sessions per duration bucket (every bucket present, zero when empty)."""
    where, params = where_clause(f, "session_date", device=True, channel=True)
    return _bucketed("marts.fct_sessions", "duration_seconds", DURATION_BUCKETS, where, params)


def time_to_purchase(f: Filters) -> pd.DataFrame:
    """Orders per bucket of time from the start of their session to the purchase."""
    where, params = where_clause(f, "order_date", device=True, channel=True)
    return _bucketed(
        "marts.fct_orders", "seconds_from_session_start", TIME_TO_PURCHASE_BUCKETS, where, params
    )


def activity_by_hour(f: Filters, metric: str = "events") -> pd.DataFrame:
    """`metric` per ISO weekday (1 = Monday) and UTC hour; only the cells with activity."""
    metric = check_allowed(metric, ACTIVITY_METRICS, "activity metric")
    where, params = where_clause(f, "activity_date", device=True, channel=True)
    return query(
        f"""
        select day_of_week, activity_hour, sum({metric}) as value
        from marts.fct_activity_hourly {where}
        group by day_of_week, activity_hour
        order by day_of_week, activity_hour
        """,
        tuple(params),
    )
