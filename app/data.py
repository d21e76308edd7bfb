"""Parameterized, cached queries over the dashboard snapshot; each returns a DataFrame.

Values always travel as `?` parameters. The few identifiers a caller may choose (a metric,
a dimension, a sort column) are looked up in whitelists before they reach SQL. Results are
cached per snapshot version, so a new publication is picked up by the next query.

This module holds the connection, the cache and the filters' where clause, what the
snapshot holds, and the queries of the overview, engagement, funnel and cohorts pages. The
larger page areas have their own modules beside it: data_products, data_revenue,
data_behaviour and data_quality. Table and column names of the snapshot's `meta` schema
come from ecom_analytics.snapshot_schema, which the asset writing it uses too.
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
from ecom_analytics.snapshot_schema import SNAPSHOT, column_list

_reader: SnapshotReader | None = None


def configure(snapshot: Path | None = None) -> None:
    """Read from `snapshot` (default: the path from settings) from now on."""
    global _reader
    if _reader is not None:
        _reader.close()
    _reader = SnapshotReader(snapshot or settings.dashboard_snapshot_path())
    clear_cache()


def reader() -> SnapshotReader:
    """The reader of the configured snapshot (configured from settings on first use)."""
    if _reader is None:
        configure()
    assert _reader is not None
    return _reader


def clear_cache() -> None:
    """Forget every cached result (the benchmark times queries, not the cache)."""
    _cached.cache_clear()


@lru_cache(maxsize=512)
def _cached(reader_: SnapshotReader, version: Version, sql: str, params: tuple) -> pd.DataFrame:
    """The result of `sql` on one version of the snapshot, kept until the cache is full."""
    return reader_.query(sql, params, version)


def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    """Run `sql` with `params` on the current snapshot; a copy, so callers may modify it."""
    current = reader()
    version = current.version()
    if version is None:
        raise NoDataError(f"no snapshot at {current.path}")
    return _cached(current, version, sql, tuple(params)).copy()


def where_clause(
    f: Filters,
    date_column: str,
    *,
    device: bool = False,
    channel: bool = False,
    category: bool = False,
) -> tuple[str, list]:
    """A where clause for `f` over columns named in code, never by the caller, and its
    parameters."""
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


def every_day(f: Filters) -> tuple[str, list]:
    """A query of one row per day of `f` (column `day`), to left join daily totals onto so
    that days without any show as zero, and its parameters."""
    return (
        "select cast(range as date) as day"
        " from range(cast(? as date), cast(? as date) + 1, interval 1 day)",
        [f.start, f.end],
    )


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


_PUBLISHED_SQL = (
    f"select {column_list(SNAPSHOT, ('published_at', 'run_id'))} from {SNAPSHOT.qualified} limit 1"
)


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
        meta = query(_PUBLISHED_SQL)
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
    """The product categories the snapshot knows, for the category filter."""
    frame = query("select distinct category from marts.dim_products order by category")
    return [c for c in frame["category"] if c is not None]


# --- overview ----------------------------------------------------------------------------


def kpi_totals(f: Filters) -> pd.DataFrame:
    """One row: revenue, orders, sessions, purchase_sessions and average DAU over `f`."""
    orders_where, orders_params = where_clause(f, "order_date", device=True, channel=True)
    funnel_where, funnel_params = where_clause(f, "activity_date", device=True, channel=True)
    engagement_where, engagement_params = where_clause(f, "activity_date")
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
    days, days_params = every_day(f)
    where, params = where_clause(f, "order_date", device=True, channel=True)
    return query(
        f"""
        with days as ({days}),
        daily as (
            select order_date, sum(revenue)::double as revenue, count(*) as orders
            from marts.fct_orders {where}
            group by order_date
        )
        select days.day, coalesce(daily.revenue, 0) as revenue, coalesce(daily.orders, 0) as orders
        from days left join daily on daily.order_date = days.day
        order by days.day
        """,
        (*days_params, *params),
    )


# --- engagement --------------------------------------------------------------------------


def engagement_daily(f: Filters) -> pd.DataFrame:
    """DAU, WAU, MAU, new users, sessions and stickiness per day of `f`."""
    where, params = where_clause(f, "activity_date")
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
    where, params = where_clause(f, "activity_date", device=True, channel=True)
    return query(f"select {_STEP_SUMS} from marts.fct_funnel {where}", tuple(params))


def funnel_by(f: Filters, dimension: str) -> pd.DataFrame:
    """Funnel steps per device or per channel."""
    dimension = check_allowed(dimension, FUNNEL_DIMENSIONS, "funnel dimension")
    where, params = where_clause(f, "activity_date", device=True, channel=True)
    return query(
        f"select {dimension}, {_STEP_SUMS} from marts.fct_funnel {where}"
        f" group by {dimension} order by sessions desc, {dimension}",
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
