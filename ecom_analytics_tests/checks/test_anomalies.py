"""Metric anomaly checks on hand-made daily series."""

from datetime import date, timedelta

import dagster as dg
import duckdb
import pytest

from ecom_analytics.checks import anomalies
from ecom_analytics.checks.metric_anomalies import anomaly_check_defs
from ecom_analytics.orchestration.partitions import daily_partitions

# 2024-01-01 is a Monday. History: the 28 days 2024-01-01..2024-01-28, with DAU 120 on the
# four Mondays and 100 on every other day.
HISTORY = {
    date(2024, 1, 1) + timedelta(days=i): (120.0 if i % 7 == 0 else 100.0) for i in range(28)
}
MONDAY = date(2024, 1, 29)


def test_weighted_median_takes_the_value_where_half_the_weight_is_reached():
    import numpy as np

    # Weights 1, 1, 5 over 1, 2, 3: cumulative 1, 2, 7; half of 7 is 3.5, reached at 3.
    assert anomalies.weighted_median(np.array([2.0, 1.0, 3.0]), np.array([1.0, 1.0, 5.0])) == 3


def test_band_on_a_monday_follows_the_mondays():
    # Mondays weigh 4 × 7 = 28 against 24 × 1 for the other days: the weighted median is 120.
    # Spread: the plain median of the history is 100, deviations from it 0 (24 days) and 20
    # (4 days), so the MAD is 0 and the band is the floor, 120 ± 5 % = [114, 126].
    lower, upper, centre, used = anomalies.band(HISTORY, MONDAY)
    assert (lower, upper, centre, used) == (114.0, 126.0, 120.0, 28)


def test_an_anomaly_check_fires_on_a_day_where_dau_is_halved():
    halved = anomalies.judge("daily_active_users", {**HISTORY, MONDAY: 60.0}, MONDAY)
    assert halved.fired
    assert halved.metadata()["lower_bound"] == 114.0


def test_an_anomaly_check_does_not_fire_on_a_normal_day():
    normal = anomalies.judge("daily_active_users", {**HISTORY, MONDAY: 121.0}, MONDAY)
    assert not normal.fired
    # A Tuesday, 2024-01-30: history 01-02..01-29 has Tuesdays (weight 7 × 4 = 28) and 16
    # other days at 100, 4 Mondays at 120: centre 100, MAD 0, band [95, 105]; 100 passes.
    series = {**HISTORY, MONDAY: 120.0, date(2024, 1, 30): 100.0}
    tuesday = anomalies.judge("daily_active_users", series, date(2024, 1, 30))
    assert (tuesday.lower, tuesday.upper, tuesday.fired) == (95.0, 105.0, False)


def test_the_spread_comes_from_every_day_of_the_history():
    # 28 days cycling 90, 100, 110 (i % 3): plain median 100; deviations 10, 0, 10 → 19 of
    # 28 are 10, so the MAD is 10 and the spread 14.826. 2024-01-29 is a Monday; Mondays
    # (i = 0, 7, 14, 21) are 90, 100, 110, 90: weighted median with 28 + 24 weight → the
    # values sorted with weights, half of 52 = 26 is reached at 100. Band 100 ± 3 × 14.826.
    history = {date(2024, 1, 1) + timedelta(days=i): 90.0 + 10 * (i % 3) for i in range(28)}
    lower, upper, centre, _ = anomalies.band(history, MONDAY)
    assert centre == 100.0
    assert (round(lower, 3), round(upper, 3)) == (55.522, 144.478)


def test_an_anomaly_check_does_not_judge_a_day_without_enough_history():
    short = {d: v for d, v in HISTORY.items() if d >= date(2024, 1, 16)}  # 13 days
    judgement = anomalies.judge("daily_active_users", {**short, MONDAY: 1.0}, MONDAY)
    assert judgement.lower is None and not judgement.fired


@pytest.fixture
def marts(tmp_path, monkeypatch):
    path = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("ECOM_DUCKDB_PATH", str(path))
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_daily_engagement as select "
        "(date '2024-01-01' + i::integer) as activity_date, "
        "case when i % 7 = 0 then 120 else 100 end as daily_active_users, "
        "200 as sessions, 10 as orders, 500.0 as net_revenue from range(31) as t (i)"
    )
    # DAU halved on Monday 2024-01-29.
    con.execute(
        "update marts.fct_daily_engagement set daily_active_users = 60 "
        "where activity_date = date '2024-01-29'"
    )
    con.execute(
        "create table marts.fct_funnel as select (date '2024-01-01' + i::integer) as "
        "activity_date, 200 as sessions, 20 as purchase_sessions from range(31) as t (i)"
    )
    con.close()
    return path


def test_anomaly_checks_warn_per_day_in_a_range_run(marts):
    specs = [
        dg.AssetSpec(["marts", name], partitions_def=daily_partitions)
        for name in ("fct_daily_engagement", "fct_funnel")
    ]
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [*specs, *anomaly_check_defs],
            instance=instance,
            selection=dg.AssetSelection.all_asset_checks(),
            tags={
                "dagster/asset_partition_range_start": "2024-01-29",
                "dagster/asset_partition_range_end": "2024-01-30",
            },
        )
    assert result.success  # warnings never fail a run
    evaluations = result.get_asset_check_evaluations()
    # 5 metrics × 2 days, each its own partition.
    assert len(evaluations) == 10
    failed = [(e.check_name, e.partition) for e in evaluations if not e.passed]
    assert failed == [("daily_active_users_is_within_its_usual_band", "2024-01-29")]
    halved = next(e for e in evaluations if not e.passed)
    assert halved.severity == dg.AssetCheckSeverity.WARN
    assert halved.metadata["value"].value == 60.0
    assert halved.metadata["upper_bound"].value == 126.0


def test_the_dashboard_snapshot_rows_carry_every_judged_day_and_the_halved_one_fired(marts):
    from ecom_analytics.checks.metric_anomalies import snapshot_rows

    rows = snapshot_rows(str(marts))
    # 31 days, the first 14 without enough history: 17 judged days × 5 metrics.
    assert len(rows) == 17 * 5
    fired = [(r["metric"], r["day"]) for r in rows if r["fired"]]
    assert fired == [("daily_active_users", date(2024, 1, 29))]
