"""kill -9 of a real `materialize` at several points, then a new run completes; SIGTERM
cancels. Each kill leaves the run STARTED with the writer slot claimed, as a real crash does."""

from __future__ import annotations

import signal

import dagster as dg
import duckdb
import pytest
from dagster._core.instance.ref import InstanceRef

from ecom_analytics.assets.dashboard import DASHBOARD_MARTS
from ecom_analytics.runs import fault_points
from ecom_analytics.snapshot_schema import MART_COLUMNS
from ecom_analytics_tests.faults.conftest import GUARD_SECONDS, Site

# Replays whole pipelines many times: `make test-long` (CI runs it after `make test`).
pytestmark = pytest.mark.long


def _runs(site: Site) -> list[dg.DagsterRun]:
    """The site's runs, oldest first."""
    ref = InstanceRef.from_dir(site.env["DAGSTER_HOME"])
    with dg.DagsterInstance.from_ref(ref) as instance:
        return list(reversed(instance.get_runs()))


def _tables_with_rows(site: Site) -> list[str]:
    with duckdb.connect(str(site.warehouse), read_only=True) as con:
        names = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables order by 1"
        ).fetchall()
        return [n for (n,) in names if con.execute(f"select count(*) from {n}").fetchall()[0][0]]


def test_runs_killed_in_ingestion_dbt_and_the_snapshot_leave_marts_of_a_clean_build(
    site: Site, clean_marts
):
    # Each new materialize finds the previous one killed, recovers, and gets killed in turn;
    # the last one completes.
    for point in fault_points.POINTS:
        process = site.start_paused(point)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=GUARD_SECONDS)
    leftovers = sorted(p.name for p in site.snapshot.parent.glob(".*.publishing"))
    assert leftovers, "the snapshot kill left its temporary file"

    result = site.materialize()

    assert result.returncode == 0, result.stderr
    statuses = [run.status for run in _runs(site)]
    # Three killed runs, each marked failed by the next run; the last succeeded.
    assert statuses == [dg.DagsterRunStatus.FAILURE] * 3 + [dg.DagsterRunStatus.SUCCESS]
    assert result.stderr.count("its process is gone; marked failed, slots freed") == 1
    assert site.marts() == clean_marts
    # The snapshot holds the marts the dashboard reads, equal to those of the clean build
    # (the warehouse's, just compared), of fct_sessions the columns the dashboard reads.
    assert site.marts(site.snapshot) == {
        name: rows
        for name, rows in site.marts(columns=MART_COLUMNS).items()
        if name in DASHBOARD_MARTS
    }
    assert list(site.snapshot.parent.glob(".*.publishing")) == []


def test_sigterm_stops_materialize_and_marks_the_run_canceled(site: Site):
    process = site.start_paused(fault_points.INGESTION_BEFORE_COMMIT)
    process.send_signal(signal.SIGTERM)

    code = process.wait(timeout=GUARD_SECONDS)

    assert code == 1
    assert "CANCELED (SIGTERM)" in process.stderr.read()
    [run] = _runs(site)
    assert run.status == dg.DagsterRunStatus.CANCELED
    # The paused transaction (the first table of the window) rolled back: nothing stored.
    assert _tables_with_rows(site) == []
