"""A late file for day D inside built history, worked out by hand.

Days 2024-01-01 (D) .. 2024-01-08 (D+7) are built first from:
  D:   u1 views (e1); the catalogue (p1)
  D+6: u2 views (e7)                      -> u2 first seen on D+6
  D+7: u1 views (e8); u2 buys o2 (e9); u1 views again with id x9
Then a late file lands for D with u3 (seen only on D), u2 viewing and buying o1, and an
event reusing id x9: the copy on D is now the first, so D+7's x9 becomes a duplicate.
`materialize --start D --end D` must carry that into D+1..D+7.
"""

from __future__ import annotations

from datetime import date

import dagster as dg

from ecom_analytics.orchestration.late_runs import SNAPSHOT_KEY
from ecom_analytics.orchestration.metadata import ROW_COUNT
from ecom_analytics_tests.dbt.warehouse import query

from .scenario import PRODUCT, event, land, materialize, pointed_at

D = date(2024, 1, 1)
D6, D7 = date(2024, 1, 7), date(2024, 1, 8)

ON_TIME = {
    D: [event("e1", D, "09:00", "u1")],
    D6: [event("e7", D6, "09:00", "u2")],
    D7: [
        event("e8", D7, "09:00", "u1"),
        event("e9", D7, "10:00", "u2", "purchase", order_id="o2"),
        event("x9", D7, "11:00", "u1"),
    ],
}
LATE_ON_D = [
    event("l1", D, "12:00", "u3"),
    event("l2", D, "13:00", "u2"),
    event("l3", D, "13:05", "u2", "purchase", order_id="o1"),
    event("x9", D, "14:00", "u3"),
]


def engagement(warehouse, day):
    return query(
        warehouse,
        "select daily_active_users, weekly_active_users, monthly_active_users, new_users "
        "from marts.fct_daily_engagement where activity_date = ?",
        [day],
    )[0]


def test_a_late_file_for_day_d_rebuilds_the_later_days_that_read_it(tmp_path, capsys):
    data = tmp_path / "data"
    land(data, "products", D, "p.jsonl", [PRODUCT])
    for day, records in ON_TIME.items():
        land(data, "events", day, "a.jsonl", records)
    warehouse = data / "warehouse.duckdb"
    with pointed_at(data), dg.instance_for_test() as instance:
        materialize(instance, D, D7)
        # Before the late file: D+6 has u1 (D) and u2 in its week, D+7 has u1 and u2.
        assert engagement(warehouse, D6) == (1, 2, 2, 1)
        assert engagement(warehouse, D7) == (2, 2, 2, 0)

        land(data, "events", D, "late.jsonl", LATE_ON_D)
        report = materialize(instance, D, D)
        # Two runs: D, with the dependents rebuilt over D+1..D+7 in its own dbt build; then
        # D+7 ingested again (with the dependents over D+7). The dashboard's latest
        # snapshot is the second run's, once every rebuilt day is in the marts.
        runs = report.run_id.split(", ")
        assert len(runs) == 2
        latest = instance.fetch_materializations(SNAPSHOT_KEY, limit=1).records[0]
        assert latest.run_id == runs[-1]
        rebuilt = instance.fetch_materializations(
            dg.AssetRecordsFilter(
                asset_key=dg.AssetKey(["marts", "fct_sessions"]), asset_partitions=[D6.isoformat()]
            ),
            limit=1,
        ).records[0]
        # D+6 was not ingested again: its sessions were last rebuilt by D's run, which
        # counted them (u2's one session, e7).
        assert rebuilt.run_id == runs[0]
        assert rebuilt.asset_materialization.metadata[ROW_COUNT].value == 1
    assert engagement(data / "dashboard.duckdb", D7) == (2, 2, 3, 0)

    # D+7 is ingested again (x9 is now a duplicate of D's copy), and the dependent models
    # are rebuilt over D+1..D+7; the command says so.
    assert any(
        line.startswith("2024-01-08: ingested again: an event id") for line in report.later_days
    )
    assert any(line.startswith("2024-01-02..2024-01-08: rebuilt") for line in report.later_days)
    assert "later day rebuilt: 2024-01-08: ingested again" in capsys.readouterr().err

    # D: u1, u3, u2 all active and first seen: DAU 3, WAU 3, MAU 3, new 3.
    assert engagement(warehouse, D) == (3, 3, 3, 3)
    # D+6 (window D..D+6): u2 today; u1, u3 and u2 in the week and month; u2 is no longer new
    # there (first seen on D now): (1, 3, 3, 0), where it was (1, 2, 2, 1).
    assert engagement(warehouse, D6) == (1, 3, 3, 0)
    # D+7 (week D+1..D+7, month D..D+7): u1 (e8) and u2 today, x9 quarantined; u3 left the
    # week at its edge but is still in the month: (2, 2, 3, 0), where MAU was 2.
    assert engagement(warehouse, D7) == (2, 2, 3, 0)

    # u2's first day moved from D+6 to D: its D+6 session is no longer a new user's.
    assert query(
        warehouse,
        "select is_new_user from marts.fct_sessions where user_id = 'u2' and session_date = ?",
        [D6],
    ) == [(False,)]
    # u2's first order moved from o2 (D+7) to o1 (D): o2 is no longer first, and its
    # days_since_first_seen is 7 (D+7 - D) instead of 1 (D+7 - D+6).
    assert query(
        warehouse,
        "select order_id, is_first_order, days_since_first_seen from marts.fct_orders order by 1",
    ) == [("o1", True, 0), ("o2", False, 7)]

    # The duplicate whose earlier copy arrived second: D's x9 is valid, D+7's quarantined,
    # and D+7 still reconciles: 3 events read = 2 valid + 1 quarantined.
    assert query(
        warehouse,
        "select partition_date, reasons from quality.quarantine where record_key = 'x9'",
    ) == [(D7, ["duplicate_event_id"])]
    assert query(
        warehouse,
        "select user_id from staging.stg_events where event_id = 'x9'",
    ) == [("u3",)]
    assert query(
        warehouse,
        "select rows_read, rows_valid, partition_rows_quarantined from marts.fct_data_quality "
        "where source = 'events' and partition_date = ?",
        [D7],
    ) == [(3, 2, 1)]
