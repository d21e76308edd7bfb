"""Parameterized, cached queries over the dashboard snapshot; each returns a DataFrame.

Values always travel as `?` parameters. The few identifiers a caller may choose (a metric,
a dimension, a sort column) are looked up in whitelists before they reach SQL. Results are
cached per snapshot version, so a new publication is picked up by the next query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from app.filters import Filters, check_allowed, default_range
from app.snapshot import NoDataError, SnapshotReader, Version
from ecom_analytics import settings

_reader: SnapshotReader | None = None


def configure(snapshot: Path | None = None) -> None:
    """Read from `snapshot` (default: the path from settings) from now on."""
    global _reader
    if _reader is not None:
        _reader.close()
    _reader = SnapshotReader(snapshot or settings.dashboard_snapshot_path())
    clear_cache()


def reader() -> SnapshotReader:
    if _reader is None:
        configure()
    assert _reader is not None
    return _reader


def clear_cache() -> None:
    _cached.cache_clear()


@lru_cache(maxsize=512)
def _cached(reader_: SnapshotReader, version: Version, sql: str, params: tuple) -> pd.DataFrame:
    return reader_.query(sql, params, version)


def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    """Run `sql` with `params` on the current snapshot; a copy, so callers may modify it."""
    current = reader()
    version = current.version()
    if version is None:
        raise NoDataError(f"no snapshot at {current.path}")
    return _cached(current, version, sql, tuple(params)).copy()


def _where(
    f: Filters,
    date_column: str,
    *,
    device: bool = False,
    channel: bool = False,
    category: bool = False,
) -> tuple[str, list]:
    """A where clause for `f` over columns named in code, never by the caller."""
    clauses = [f"{date_column} between ? and ?"]
    params: list = [f.start, f.end]
    for applies, column, values in (
        (device, "device", f.devices),
        (channel, "channel", f.channels),
        (category, "category", f.categories),
    ):
        if applies and values:
            clauses.append(f"{column} in ({', '.join('?' for _ in values)})")
            params.extend(values)
    return "where " + " and ".join(clauses), params


# --- what the snapshot holds -------------------------------------------------------------


@dataclass(frozen=True)
class SnapshotInfo:
    """What the dashboard is showing: the data's date range and when it was published."""

    first_date: date
    last_date: date
    published_at: datetime | None
    run_id: str | None

    @property
    def default_range(self) -> tuple[date, date]:
        return default_range(self.first_date, self.last_date)


def snapshot_info() -> SnapshotInfo | None:
    """None while there is no snapshot, or it holds no engagement data yet."""
    try:
        bounds = query(
            "select min(activity_date) as first_date, max(activity_date) as last_date"
            " from marts.fct_daily_engagement"
        )
    except (NoDataError, duckdb.Error):
        return None
    if bounds.empty or pd.isna(bounds.at[0, "first_date"]):
        return None
    try:
        meta = query("select published_at, run_id from meta.snapshot limit 1")
    except duckdb.Error:
        meta = pd.DataFrame()
    published_at = None if meta.empty else meta.at[0, "published_at"]
    return SnapshotInfo(
        first_date=pd.Timestamp(bounds.at[0, "first_date"]).date(),
        last_date=pd.Timestamp(bounds.at[0, "last_date"]).date(),
        published_at=None if pd.isna(published_at) else pd.Timestamp(published_at).to_pydatetime(),
        run_id=None if meta.empty else meta.at[0, "run_id"],
    )


def categories() -> list[str]:
    frame = query("select distinct category from marts.dim_products order by category")
    return [c for c in frame["category"] if c is not None]


# --- overview ----------------------------------------------------------------------------


def kpi_totals(f: Filters) -> pd.DataFrame:
    """One row: revenue, orders, sessions, purchase_sessions and average DAU over `f`."""
    orders_where, orders_params = _where(f, "order_date", device=True, channel=True)
    funnel_where, funnel_params = _where(f, "activity_date", device=True, channel=True)
    engagement_where, engagement_params = _where(f, "activity_date")
    return query(
        f"""
        select
            (select coalesce(sum(revenue), 0)::double from marts.fct_orders {orders_where})
                as revenue,
            (select count(*) from marts.fct_orders {orders_where}) as orders,
            (select coalesce(sum(sessions), 0) from marts.fct_funnel {funnel_where})
                as sessions,
            (select coalesce(sum(purchase_sessions), 0) from marts.fct_funnel {funnel_where})
                as purchase_sessions,
            (select avg(daily_active_users) from marts.fct_daily_engagement {engagement_where})
                as average_dau
        """,
        (
            *orders_params,
            *orders_params,
            *funnel_params,
            *funnel_params,
            *engagement_params,
        ),
    )


def daily_sales(f: Filters) -> pd.DataFrame:
    """Revenue and orders for every day of `f` (zero on days without orders)."""
    where, params = _where(f, "order_date", device=True, channel=True)
    return query(
        f"""
        with days as (
            select cast(range as date) as day
            from range(cast(? as date), cast(? as date) + 1, interval 1 day)
        ),
        daily as (
            select order_date, sum(revenue)::double as revenue, count(*) as orders
            from marts.fct_orders {where}
            group by order_date
        )
        select days.day, coalesce(daily.revenue, 0) as revenue, coalesce(daily.orders, 0) as orders
        from days left join daily on daily.order_date = days.day
        order by days.day
        """,
        (f.start, f.end, *params),
    )


# --- engagement --------------------------------------------------------------------------


def engagement_daily(f: Filters) -> pd.DataFrame:
    where, params = _where(f, "activity_date")
    return query(
        f"""
        select activity_date as day, daily_active_users, weekly_active_users,
            monthly_active_users, new_users, sessions, stickiness
        from marts.fct_daily_engagement {where}
        order by activity_date
        """,
        tuple(params),
    )


# --- funnel ------------------------------------------------------------------------------

FUNNEL_STEPS = {
    "sessions": "Sessions",
    "product_view_sessions": "Viewed a product",
    "add_to_cart_sessions": "Added to cart",
    "checkout_sessions": "Began checkout",
    "purchase_sessions": "Purchased",
}
FUNNEL_DIMENSIONS = ("device", "channel")
_STEP_SUMS = ", ".join(f"coalesce(sum({step}), 0) as {step}" for step in FUNNEL_STEPS)


def funnel_totals(f: Filters) -> pd.DataFrame:
    """One row with the number of sessions reaching each funnel step."""
    where, params = _where(f, "activity_date", device=True, channel=True)
    return query(f"select {_STEP_SUMS} from marts.fct_funnel {where}", tuple(params))


def funnel_by(f: Filters, dimension: str) -> pd.DataFrame:
    """Funnel steps per device or per channel."""
    dimension = check_allowed(dimension, FUNNEL_DIMENSIONS, "funnel dimension")
    where, params = _where(f, "activity_date", device=True, channel=True)
    return query(
        f"select {dimension}, {_STEP_SUMS} from marts.fct_funnel {where}"
        f" group by {dimension} order by sessions desc, {dimension}",
        tuple(params),
    )


# --- products ----------------------------------------------------------------------------

PRODUCT_METRICS = {
    "revenue": "Revenue",
    "units_sold": "Units sold",
    "orders": "Orders",
    "product_views": "Product views",
    "view_to_purchase_rate": "View-to-purchase rate",
}
TOP_PRODUCTS_MAX = 50


def revenue_by_category(f: Filters) -> pd.DataFrame:
    where, params = _where(f, "order_date", category=True)
    return query(
        f"""
        select coalesce(category, 'unknown') as category, sum(revenue)::double as revenue,
            sum(units_sold) as units_sold
        from marts.fct_revenue {where}
        group by all
        order by revenue desc, category
        """,
        tuple(params),
    )


def top_products(f: Filters, metric: str = "revenue", limit: int = 10) -> pd.DataFrame:
    """The `limit` products ranked by `metric`, with views, orders and view-to-purchase rate."""
    metric = check_allowed(metric, PRODUCT_METRICS, "product metric")
    if not 1 <= int(limit) <= TOP_PRODUCTS_MAX:
        raise ValueError(f"limit must be between 1 and {TOP_PRODUCTS_MAX}")
    where, params = _where(f, "activity_date", category=True)
    return query(
        f"""
        select product_id, any_value(product_name) as product_name,
            any_value(category) as category, any_value(brand) as brand,
            sum(product_views) as product_views, sum(add_to_carts) as add_to_carts,
            sum(orders) as orders, sum(units_sold) as units_sold,
            sum(revenue)::double as revenue,
            sum(orders) / nullif(sum(product_views), 0) as view_to_purchase_rate
        from marts.fct_product_daily {where}
        group by product_id
        order by {metric} desc nulls last, product_id
        limit ?
        """,
        (*params, int(limit)),
    )


def view_to_purchase_by_category(f: Filters) -> pd.DataFrame:
    where, params = _where(f, "activity_date", category=True)
    return query(
        f"""
        select coalesce(category, 'unknown') as category, sum(product_views) as product_views,
            sum(orders) as orders,
            sum(orders) / nullif(sum(product_views), 0) as view_to_purchase_rate
        from marts.fct_product_daily {where}
        group by all
        order by view_to_purchase_rate desc nulls last, category
        """,
        tuple(params),
    )


# --- cohorts -----------------------------------------------------------------------------


def retention(f: Filters) -> pd.DataFrame:
    """Retention of the cohorts whose first week overlaps `f`, one row per week since."""
    return query(
        """
        select cohort_week, weeks_since_first_seen, cohort_size, active_users, retention_rate
        from marts.fct_cohort_retention
        where cohort_week between date_trunc('week', cast(? as date)) and ?
        order by cohort_week, weeks_since_first_seen
        """,
        (f.start, f.end),
    )


# --- behaviour ---------------------------------------------------------------------------

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
    # Edges are constants of this module, so they are written into the SQL as numbers.
    cases = " ".join(
        f"when {column} < {upper} then {index}" for index, (upper, _) in enumerate(buckets[1:])
    )
    return f"case {cases} else {len(buckets) - 1} end"


def _bucketed(
    table: str, column: str, buckets: tuple[tuple[int, str], ...], where: str, params: list
) -> pd.DataFrame:
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
    where, params = _where(f, "session_date", device=True, channel=True)
    return _bucketed("marts.fct_sessions", "duration_seconds", DURATION_BUCKETS, where, params)


def time_to_purchase(f: Filters) -> pd.DataFrame:
    """Orders per bucket of time from the start of their session to the purchase."""
    where, params = _where(f, "order_date", device=True, channel=True)
    return _bucketed(
        "marts.fct_orders", "seconds_from_session_start", TIME_TO_PURCHASE_BUCKETS, where, params
    )


def activity_by_hour(f: Filters, metric: str = "events") -> pd.DataFrame:
    """`metric` per ISO weekday (1 = Monday) and UTC hour; only the cells with activity."""
    metric = check_allowed(metric, ACTIVITY_METRICS, "activity metric")
    where, params = _where(f, "activity_date", device=True, channel=True)
    return query(
        f"""
        select day_of_week, activity_hour, sum({metric}) as value
        from marts.fct_activity_hourly {where}
        group by day_of_week, activity_hour
        order by day_of_week, activity_hour
        """,
        tuple(params),
    )


# --- data quality ------------------------------------------------------------------------


def quarantine_by_reason(f: Filters) -> pd.DataFrame:
    """Quarantined records per partition day and reason (a record counts under each reason)."""
    where, params = _where(f, "partition_date")
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
    where, params = _where(f, "partition_date")
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
    return query(
        """
        select asset_key, check_name, partition_key, passed, severity, blocking,
            description, evaluated_at
        from meta.check_results
        order by passed, asset_key, check_name
        """
    )


def materializations() -> pd.DataFrame:
    return query(
        """
        select asset_key, partition_key, materialized_at
        from meta.materializations
        order by materialized_at desc, asset_key
        """
    )
