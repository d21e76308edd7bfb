"""Partition windows: each run replaces exactly its window, and nothing else, in every model."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from . import dataset
from .dataset import DAY_1, DAY_2, DAY_3
from .warehouse import dump_models, load_dataset, query, run_dbt

NEXT_DAY = timedelta(days=1)

# Models replaced per window, and the date column their window is on. (stg_events is a view
# over validated.events: it stores nothing to replace.)
WINDOWED_MODELS = {
    "staging.stg_quarantine": "partition_date",
    "intermediate.int_sessions": "session_date",
    "intermediate.int_user_daily_activity": "activity_date",
    "intermediate.int_orders": "order_date",
    "intermediate.int_product_interactions": "activity_date",
    "marts.fct_sessions": "session_date",
    "marts.fct_orders": "order_date",
    "marts.fct_funnel": "activity_date",
    "marts.fct_daily_engagement": "activity_date",
    "marts.fct_revenue": "order_date",
    "marts.fct_product_daily": "activity_date",
    "marts.fct_activity_hourly": "activity_date",
    "marts.fct_data_quality": "partition_date",
}


def copy_of(database: Path, folder: Path) -> Path:
    copy = folder / "copy.duckdb"
    shutil.copyfile(database, copy)
    return copy


def dates_in(database: Path, table: str, column: str) -> set[object]:
    return {day for (day,) in query(database, f"select distinct {column} from {table}")}


def test_rerunning_a_range_leaves_every_table_exactly_as_before(
    built_warehouse: Path, tmp_path: Path
) -> None:
    rerun = copy_of(built_warehouse, tmp_path)
    run_dbt(rerun, tmp_path / "target", DAY_1, DAY_3 + NEXT_DAY)
    assert dump_models(rerun) == dump_models(built_warehouse)


def day_runs_in_storage(database: Path, table: str, column: str) -> tuple[int, int]:
    """(stretches of one day met reading `table` in storage order, days in it)."""
    [(stretches, days)] = query(
        database,
        f"""
        select count(*) filter (where starts_a_stretch), count(distinct day) from (
            select
                {column} as day,
                {column} is distinct from lag({column}) over (order by rowid) as starts_a_stretch
            from {table}
        )""",
    )
    return stretches, days


def test_each_day_is_stored_in_one_stretch_after_a_build_and_after_a_rerun(
    built_warehouse: Path, tmp_path: Path
) -> None:
    # Deleting a window then touches only its own row groups (incremental_window_replace.sql).
    rerun = copy_of(built_warehouse, tmp_path)
    run_dbt(rerun, tmp_path / "target", DAY_2, DAY_2 + NEXT_DAY)
    # Days could interleave: the sessions span the dataset's three days.
    assert day_runs_in_storage(built_warehouse, "intermediate.int_sessions", "session_date")[1] == 3
    for database in (built_warehouse, rerun):
        for table, column in WINDOWED_MODELS.items():
            stretches, days = day_runs_in_storage(database, table, column)
            assert stretches == days, (database.name, table)


def test_a_day_whose_source_rows_vanished_loses_its_rows_downstream(
    built_warehouse: Path, tmp_path: Path
) -> None:
    database = copy_of(built_warehouse, tmp_path)
    with duckdb.connect(str(database)) as connection:
        for table in ("validated.events", "validated.users", "quality.quarantine"):
            connection.execute(f"delete from {table} where partition_date = ?", [DAY_3])
    run_dbt(database, tmp_path / "target", DAY_3, DAY_3 + NEXT_DAY)

    for table, column in WINDOWED_MODELS.items():
        assert DAY_3 not in dates_in(database, table, column), table
    # Days outside the window are untouched.
    before, after = dump_models(built_warehouse), dump_models(database)
    for table, column in WINDOWED_MODELS.items():
        assert dates_in(database, table, column) == dates_in(built_warehouse, table, column) - {
            DAY_3
        }, table
    kept_orders = [row for row in before["marts.fct_orders"] if row[0] != "o4"]
    assert after["marts.fct_orders"] == kept_orders
    # The whole-history models forget day 3 too: u4 and u1's gold version are gone.
    assert [row[0] for row in after["intermediate.int_user_journey"]] == ["u1", "u2", "u3"]
    assert query(database, "select count(*) from marts.dim_users where loyalty_tier = 'gold'") == [
        (0,)
    ]
    assert query(database, "select max(date_day) from marts.dim_date") == [(DAY_2,)]


@dataclass
class DayByDay:
    """A fresh warehouse built one run per day."""

    dates_after_first_run: dict[str, set[object]]
    final_models: dict[str, list[tuple[Any, ...]]]


@pytest.fixture(scope="module")
def day_by_day(tmp_path_factory: pytest.TempPathFactory) -> DayByDay:
    folder = tmp_path_factory.mktemp("day_by_day")
    database = folder / "warehouse.duckdb"
    load_dataset(database)
    dates_after_first_run: dict[str, set[object]] = {}
    for day in dataset.DAYS:
        run_dbt(database, folder / "target", day, day + NEXT_DAY)
        if not dates_after_first_run:
            dates_after_first_run = {
                table: dates_in(database, table, column)
                for table, column in WINDOWED_MODELS.items()
            }
    return DayByDay(dates_after_first_run, dump_models(database))


def test_the_first_run_of_one_day_builds_only_that_day(day_by_day: DayByDay) -> None:
    for table, dates in day_by_day.dates_after_first_run.items():
        assert dates == {DAY_1}, table


def test_a_multi_day_window_equals_building_the_days_one_by_one(
    built_warehouse: Path, day_by_day: DayByDay
) -> None:
    assert day_by_day.final_models == dump_models(built_warehouse)
