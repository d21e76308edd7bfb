"""The benchmark's floor computes the same marts as the pipeline, on clean landing files.

Its time is only a fair yardstick if its answer is the pipeline's answer: on generated
files with no bad records, the floor's marts equal the pipeline's, column for column.
"""

from datetime import date

import dagster as dg
import duckdb
import pytest

from ecom_analytics.benchmarks.floor import run_floor
from ecom_analytics.synthetic.generator import generate

START, END = date(2024, 1, 1), date(2024, 1, 3)

ENGAGEMENT = (
    "activity_date, daily_active_users, weekly_active_users, monthly_active_users, new_users, "
    "sessions, page_views, product_views, add_to_carts, orders, revenue"
)
FUNNEL = (
    "activity_date, device, channel, sessions, product_view_sessions, add_to_cart_sessions, "
    "checkout_sessions, purchase_sessions"
)
ORDERS = "order_id, user_id, session_key, order_date, items, units, revenue"
SESSIONS = "session_key, user_id, session_date, events, has_purchase, revenue, is_bounce"


def _rows(database, table: str, columns: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.sql(f"select {columns} from {table} order by all").fetchall()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("floor")
    data_dir = folder / "data"
    generate(data_dir, START, 3, 1_000, seed=11, bad_rate=0.0, fmt="parquet")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ECOM_DATA_DIR", str(data_dir))
        patch.setenv("ECOM_DUCKDB_PATH", str(data_dir / "warehouse.duckdb"))
        from ecom_analytics.definitions import defs
        from ecom_analytics.runs.materialize import materialize_range

        with dg.instance_for_test() as instance:
            report = materialize_range(defs, START, END, instance)
    assert report.success, report.summary()
    floor = run_floor(data_dir, "parquet", folder / "floor.duckdb")
    return data_dir / "warehouse.duckdb", folder / "floor.duckdb", floor


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("fct_daily_engagement", ENGAGEMENT),
        ("fct_funnel", FUNNEL),
        ("fct_orders", ORDERS),
        ("fct_sessions", SESSIONS),
    ],
)
def test_floor_marts_equal_the_pipelines_on_clean_files(built, table, columns):
    warehouse, floor_db, _ = built
    pipeline = _rows(warehouse, f"marts.{table}", columns)
    assert pipeline, f"marts.{table} is empty: nothing would be compared"
    assert _rows(floor_db, table, columns) == pipeline


def test_floor_reports_its_seconds_and_mart_sizes(built):
    warehouse, _, floor = built
    assert floor["seconds"] > 0
    days = (END - START).days + 1
    assert floor["rows"]["fct_daily_engagement"] == days
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sessions = con.sql("select count(*) from marts.fct_sessions").fetchall()[0][0]
    assert floor["rows"]["fct_sessions"] == sessions
