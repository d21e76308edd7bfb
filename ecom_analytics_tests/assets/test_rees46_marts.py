"""REES46 rows written by hand, imported and materialized on default settings: a product
seen only at price 0 keeps its views, and DAU and sessions are the rows' distinct users and
`user_session`s, worked out here from the CSV with the csv module."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

import dagster as dg
import duckdb

from ecom_analytics.importers import import_files

# P0 (category `gifts.sample`) only ever appears at price 0: views of it, and a free
# purchase by u4. P1 costs 5.00. u2 has two sessions on day 1.
ROWS = """\
event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session
2024-01-01 10:00:00 UTC,view,9000000,2053013555631882655,gifts.sample,acme,0.00,501,s1
2024-01-01 10:01:00 UTC,view,9000001,2053013555631882655,home.mug,acme,5.00,501,s1
2024-01-01 10:02:00 UTC,cart,9000001,2053013555631882655,home.mug,acme,5.00,501,s1
2024-01-01 10:03:00 UTC,purchase,9000001,2053013555631882655,home.mug,acme,5.00,501,s1
2024-01-01 11:00:00 UTC,view,9000000,2053013555631882655,gifts.sample,acme,0.00,502,s2
2024-01-01 15:00:00 UTC,view,9000000,2053013555631882655,gifts.sample,acme,0.00,502,s3
2024-01-01 12:00:00 UTC,view,9000001,2053013555631882655,home.mug,acme,5.00,503,s4
2024-01-02 09:00:00 UTC,view,9000000,2053013555631882655,gifts.sample,acme,0.00,501,s5
2024-01-02 09:30:00 UTC,view,9000000,2053013555631882655,gifts.sample,acme,0.00,504,s6
2024-01-02 09:31:00 UTC,cart,9000000,2053013555631882655,gifts.sample,acme,0.00,504,s6
2024-01-02 09:32:00 UTC,purchase,9000000,2053013555631882655,gifts.sample,acme,0.00,504,s6
"""
FIRST, LAST = date(2024, 1, 1), date(2024, 1, 2)


def _expected():
    users, sessions, free_views = defaultdict(set), defaultdict(set), defaultdict(int)
    revenue = defaultdict(Decimal)
    for row in csv.DictReader(io.StringIO(ROWS)):
        day = date.fromisoformat(row["event_time"][:10])
        users[day].add(row["user_id"])
        sessions[day].add(row["user_session"])
        if row["product_id"] == "9000000" and row["event_type"] == "view":
            free_views[day] += 1
        if row["event_type"] == "purchase":
            revenue[day] += Decimal(row["price"])
    return users, sessions, free_views, revenue


def test_rees46_price_zero_product_keeps_its_views_and_every_user_and_session(workspace):
    from ecom_analytics.definitions import defs
    from ecom_analytics.runs.materialize import materialize_range

    source = workspace.data_dir.parent / "2024-Jan.csv"
    source.write_text(ROWS)
    import_files("rees46", [source], workspace.data_dir)
    with dg.instance_for_test() as instance:
        report = materialize_range(defs, FIRST, LAST, instance)
    assert report.success, report.summary()

    users, sessions, free_views, revenue = _expected()
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        quarantined = con.execute("select count(*) from quality.quarantine").fetchall()
        engagement = con.execute(
            "select activity_date, daily_active_users, sessions, revenue"
            " from marts.fct_daily_engagement order by activity_date"
        ).fetchall()
        views = con.execute(
            "select activity_date, product_views from marts.fct_product_daily"
            " where product_id = '9000000' order by activity_date"
        ).fetchall()
        catalogue = con.execute(
            "select category, list_price from marts.dim_products where product_id = '9000000'"
        ).fetchall()
    assert quarantined == [(0,)]
    assert engagement == [
        (day, len(users[day]), len(sessions[day]), revenue[day]) for day in (FIRST, LAST)
    ]
    assert views == [(day, free_views[day]) for day in (FIRST, LAST)]
    # In the catalogue, without a price: the source never showed one above 0.
    assert catalogue == [("gifts", None)]
