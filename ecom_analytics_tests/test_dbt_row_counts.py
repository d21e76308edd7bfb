"""Per-day row counts of the dbt models."""

from datetime import date

import duckdb

from ecom_analytics.assets.dbt_row_counts import daily_row_counts
from ecom_analytics.checks.dbt_models import MODEL_CHECKS
from ecom_analytics.engines.duckdb_engine import DuckDBSession

ORDERS = next(model for model in MODEL_CHECKS if model.table == "fct_orders")


def test_daily_row_counts_count_each_day_and_give_zero_to_an_empty_day():
    con = duckdb.connect()
    con.execute("create schema marts")
    # Two orders on Jan 1, none on Jan 2, one on Jan 3, one on Jan 4 (outside the window).
    con.execute(
        "create table marts.fct_orders as select * from (values "
        "('o1', date '2024-01-01'), ('o2', date '2024-01-01'), ('o3', date '2024-01-03'), "
        "('o4', date '2024-01-04')) as t (order_id, order_date)"
    )
    counts = daily_row_counts(DuckDBSession(con), ORDERS, date(2024, 1, 1), date(2024, 1, 4))
    assert counts == {date(2024, 1, 1): 2, date(2024, 1, 2): 0, date(2024, 1, 3): 1}
