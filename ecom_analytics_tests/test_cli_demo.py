"""`ecom-analytics demo` without serving: generate, materialize, and reuse both on a re-run."""

from datetime import UTC, date, datetime

import dagster as dg
import duckdb

from ecom_analytics.cli import demo as cli_demo
from ecom_analytics.cli import main

# Imported here, so the partitions are those of this environment whatever the demo sets.
from ecom_analytics.orchestration.partitions import daily_partitions

DEMO = ["demo", "--no-serve", "--days", "2", "--events-per-day", "300"]


def test_demo_days_are_the_days_ending_yesterday():
    assert cli_demo.demo_days(3, date(2024, 3, 1)) == [
        date(2024, 2, 27),
        date(2024, 2, 28),
        date(2024, 2, 29),
    ]


def test_contiguous_runs_split_where_a_day_is_missing():
    days = [date(2024, 1, d) for d in (5, 1, 2, 4)]
    assert cli_demo.contiguous_runs(days) == [
        [date(2024, 1, 1), date(2024, 1, 2)],
        [date(2024, 1, 4), date(2024, 1, 5)],
    ]
    assert cli_demo.contiguous_runs([]) == []


def test_demo_refuses_days_before_the_first_partition(workspace, monkeypatch, capsys):
    monkeypatch.delenv("ECOM_START_DATE", raising=False)
    monkeypatch.setattr(cli_demo, "utc_today", lambda: date(2000, 1, 10))
    assert main(DEMO) == 2
    err = capsys.readouterr().err
    first = daily_partitions.get_first_partition_key()
    assert err.startswith(f"ecom-analytics demo: error: the partitions start on {first}")
    assert "after the first demo day 2000-01-08" in err
    assert not any(workspace.data_dir.iterdir())  # nothing generated


def test_demo_materializes_its_days_then_a_rerun_reuses_them(workspace, monkeypatch, capsys):
    monkeypatch.delenv("ECOM_START_DATE", raising=False)
    today = datetime.now(UTC).date()  # one clock for both runs, even across midnight
    monkeypatch.setattr(cli_demo, "utc_today", lambda: today)
    days = cli_demo.demo_days(2, today)

    assert main(DEMO) == 0
    first = capsys.readouterr().out
    landed = {p: p.stat().st_mtime_ns for p in workspace.landing.rglob("*") if p.is_file()}
    with dg.DagsterInstance.get() as instance:
        runs = len(instance.get_run_records())
    with duckdb.connect(str(workspace.warehouse), read_only=True) as connection:
        counted = connection.execute(
            "select partition_date, count(*) from validated.events group by 1 order by 1"
        ).fetchall()

    assert main(DEMO) == 0
    second = capsys.readouterr().out

    assert f"[2/2] generated {days[1]}" in first
    assert f"materializing {days[0]}..{days[1]} in one Dagster run" in first
    assert [day for day, count in counted if count > 0] == days
    assert runs == 1  # the whole range in a single run
    assert "2 of 2 days already landed" in second
    assert "2 of 2 days already materialized" in second
    assert {p: p.stat().st_mtime_ns for p in workspace.landing.rglob("*") if p.is_file()} == landed
    with dg.DagsterInstance.get() as instance:
        assert len(instance.get_run_records()) == runs
