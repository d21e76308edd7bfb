"""dim_users rebuilt per user: a day landed again, with users dropped, added or tied on
updated_at, ends in the tables of one clean build of the same records."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from ecom_analytics import tables

from .dataset import DAY_1, DAY_2, DAY_3, USERS
from .test_dbt_incremental import copy_of
from .warehouse import dump_models, insert_rows, load_dataset, query, run_dbt

NEXT_DAY = timedelta(days=1)
AFTER_LAST_DAY = DAY_3 + NEXT_DAY


def _user(user_id: str, tier: str, updated_at: datetime, line: int) -> dict[str, object]:
    return {
        **USERS[0],
        "user_id": user_id,
        "email": f"{user_id}@example.com",
        "loyalty_tier": tier,
        "updated_at": updated_at,
        "partition_date": DAY_2,
        "source_file": f"users-{DAY_2.isoformat()}.jsonl",
        "source_line": line,
    }


# Day 2 landed again: u3's record is gone; u2 is re-sent as gold with the updated_at of its
# day-1 record, so the later day's wins; u5 is new.
DAY_2_AGAIN = [
    _user("u2", "gold", datetime.combine(DAY_1, datetime.min.time()), 1),
    _user("u5", "silver", datetime.combine(DAY_2, datetime.min.time()) + timedelta(hours=8), 2),
]


def land_users_again(database: Path, records: list[dict[str, object]]) -> None:
    """Replace day 2 of validated.users with `records`, as ingestion of a re-landed day does."""
    with duckdb.connect(str(database)) as connection:
        connection.execute("delete from validated.users where partition_date = ?", [DAY_2])
    insert_rows(database, tables.VALIDATED_USERS, records)


def clean_build(folder: Path, day_2_users: list[dict[str, object]]) -> Path:
    """One build of all three days from the dataset with day 2's users replaced."""
    folder.mkdir()
    database = folder / "warehouse.duckdb"
    load_dataset(database)
    land_users_again(database, day_2_users)
    run_dbt(database, folder / "target", DAY_1, AFTER_LAST_DAY)
    return database


def versions(database: Path) -> list[tuple[object, ...]]:
    return query(
        database, "select user_id, loyalty_tier, is_current from marts.dim_users order by all"
    )


def test_a_day_landed_again_rebuilds_its_users_as_a_clean_build_would(
    built_warehouse: Path, tmp_path: Path
) -> None:
    database = copy_of(built_warehouse, tmp_path)
    land_users_again(database, DAY_2_AGAIN)
    run_dbt(database, tmp_path / "target", DAY_2, DAY_2 + NEXT_DAY)

    # By hand: u1 bronze then gold (days 1 and 3, untouched); u2's day-2 record ties its
    # day-1 record on updated_at and wins, so u2 is gold only; u3 is gone; u5 is new.
    assert versions(database) == [
        ("u1", "bronze", False),
        ("u1", "gold", True),
        ("u2", "gold", True),
        ("u5", "silver", True),
    ]
    assert dump_models(database) == dump_models(clean_build(tmp_path / "clean", DAY_2_AGAIN))

    # Landed once more without u2's record: u2's day-1 record is the only one left, so u2 is
    # silver again, although no stored version of u2 came from day 1.
    day_2_third = [record for record in DAY_2_AGAIN if record["user_id"] != "u2"]
    land_users_again(database, day_2_third)
    run_dbt(database, tmp_path / "target", DAY_2, DAY_2 + NEXT_DAY)
    assert ("u2", "silver", True) in versions(database)
    assert dump_models(database) == dump_models(clean_build(tmp_path / "clean2", day_2_third))


def test_a_run_of_one_day_leaves_the_other_users_rows_untouched(
    built_warehouse: Path, tmp_path: Path
) -> None:
    database = copy_of(built_warehouse, tmp_path)
    # A stored row of u2, whose records lie on day 1, edited by hand: a run of day 3 (u1
    # only) does not rebuild u2, so the edit stays, while u1's rows are written again.
    with duckdb.connect(str(database)) as connection:
        connection.execute("update marts.dim_users set city = 'edited'")
    run_dbt(database, tmp_path / "target", DAY_3, AFTER_LAST_DAY)
    cities = dict(query(database, "select user_id, max(city) from marts.dim_users group by 1"))
    assert cities == {"u1": "Berlin", "u2": "edited", "u3": "edited"}
