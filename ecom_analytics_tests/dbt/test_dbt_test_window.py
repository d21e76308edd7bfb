"""dbt's generic tests judge the run's window on windowed models (macros/test_window.sql)."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import duckdb

from ecom_analytics.assets.dbt_env import dbt_window_env, environment
from ecom_analytics.project import dbt_cli_resource, dbt_vars_args

from . import dataset
from .warehouse import warehouse_env

NOT_NULL_EVENT_AT = "not_null_stg_events_event_at"
UNIQUE_IN_WINDOW = "unique_stg_events_event_id"
UNIQUE_ACROSS_DAYS = "stg_events_event_id_unique_across_all_days"


def _test_stg_events(database: Path, target: Path, first_day, last_day) -> dict[str, str]:
    """`dbt test` of stg_events over first_day..last_day: each test's status by name."""
    args = ["test", "--select", "stg_events", "--exclude-resource-type", "unit_test"]
    with (
        warehouse_env(database),
        environment(dbt_window_env(first_day, last_day + timedelta(days=1))),
    ):
        invocation = dbt_cli_resource().cli(
            [*args, *dbt_vars_args()], target_path=target, raise_on_error=False
        )
        invocation.wait()
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {result["unique_id"].split(".")[2]: result["status"] for result in results}


def test_generic_tests_read_only_the_window_unless_whole_history(built_warehouse, tmp_path):
    database = tmp_path / "warehouse.duckdb"
    shutil.copy(built_warehouse, database)
    with duckdb.connect(str(database)) as con:
        first_id = con.execute(
            "select min(event_id) from staging.stg_events where partition_date = ?",
            [dataset.DAY_1],
        ).fetchone()[0]
        # Day 1 gets a null event time; a day-3 event takes a day-1 event's id. (stg_events
        # is a view: the rows are changed where it reads them.)
        con.execute(
            "update validated.events set event_timestamp = null where event_id = ?", [first_id]
        )
        con.execute(
            "update validated.events set event_id = ? where event_id = ("
            " select min(event_id) from validated.events where partition_date = ?)",
            [first_id, dataset.DAY_3],
        )

    day_3 = _test_stg_events(database, tmp_path / "day3", dataset.DAY_3, dataset.DAY_3)
    # The null is outside the window, and the id is unique within day 3 ...
    assert day_3[NOT_NULL_EVENT_AT] == "pass"
    assert day_3[UNIQUE_IN_WINDOW] == "pass"
    # ... but the test marked whole_history sees day 1's copy of the id.
    assert day_3[UNIQUE_ACROSS_DAYS] == "warn"

    every_day = _test_stg_events(database, tmp_path / "all", dataset.DAY_1, dataset.DAY_3)
    assert every_day[NOT_NULL_EVENT_AT] == "fail"
    assert every_day[UNIQUE_IN_WINDOW] == "fail"
    # Both copies inside the window: the blocking test's to judge, not repeated as a warning.
    assert every_day[UNIQUE_ACROSS_DAYS] == "pass"
