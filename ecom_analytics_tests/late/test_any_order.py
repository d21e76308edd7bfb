"""Landing and running days in any order ends in the tables of one clean in-order build.

A seeded loop: a small dataset over two ISO weeks with a cross-day duplicate event id and a
late file, landed in two blocks of days in a random order (the later block may come first,
before the catalogue even exists), then the late file lands and its day is re-run. Every
table of validated, quality, staging, intermediate and marts must equal, row for row, those
of one build of all the files in a single run.
"""

from __future__ import annotations

import random
from datetime import date

import dagster as dg
import duckdb
import pytest

from .scenario import PRODUCT, days, event, land, materialize, pointed_at

# Replays whole pipelines many times: `make test-long` (CI runs it after `make test`).
pytestmark = pytest.mark.long

FIRST = date(2024, 1, 1)  # a Monday
DAYS = days(FIRST, 10)
USERS = [f"u{n}" for n in range(6)]
COMPARED_SCHEMAS = ("validated", "quality", "staging", "intermediate", "marts")


def dataset(rng: random.Random) -> tuple[dict[date, list[dict]], tuple[date, list[dict]]]:
    """Events by day, and (day, records) of a late file. Products: the catalogue on day 1."""
    by_day: dict[date, list[dict]] = {}
    for number, day in enumerate(DAYS):
        records = []
        for user in rng.sample(USERS, rng.randint(1, 3)):
            for n in range(rng.randint(1, 3)):
                kind = rng.choice(["page_view", "product_view", "purchase"])
                extra = {"product_id": "p1"} if kind == "product_view" else {}
                if kind == "purchase":
                    extra = {"order_id": f"o{number}{user}{n}"}
                records.append(
                    event(
                        f"e{number}-{user}-{n}",
                        day,
                        f"{9 + n:02d}:{number:02d}",
                        user,
                        kind,
                        **extra,
                    )
                )
        by_day[day] = records
    # A cross-day duplicate: a later day repeats an earlier day's event id.
    early, late = sorted(rng.sample(DAYS, 2))
    copy = {**by_day[early][0], "event_timestamp": f"{late.isoformat()}T20:00:00Z"}
    by_day[late].append(copy)
    # A late file: a user new to the data, and one already known, on a random day.
    late_day = rng.choice(DAYS)
    late_records = [
        event("late-1", late_day, "21:00", "u_late"),
        event("late-2", late_day, "21:30", rng.choice(USERS), "purchase", order_id="o-late"),
    ]
    return by_day, (late_day, late_records)


def land_days(data, by_day, selected):
    for day in selected:
        if day == FIRST:
            land(data, "products", day, "p.jsonl", [PRODUCT])
        land(data, "events", day, "a.jsonl", by_day[day])


def dump(warehouse) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        names = connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            f"where table_schema in {COMPARED_SCHEMAS} order by 1"
        ).fetchall()
        return {
            name: connection.execute(f"select * from {name} order by all").fetchall()
            for (name,) in names
        }


@pytest.mark.parametrize("seed", [7])
def test_days_in_any_order_end_in_the_clean_build(tmp_path, seed):
    rng = random.Random(seed)
    by_day, (late_day, late_records) = dataset(rng)

    clean = tmp_path / "clean"
    land_days(clean, by_day, DAYS)
    land(clean, "events", late_day, "late.jsonl", late_records)
    with pointed_at(clean), dg.instance_for_test() as instance:
        materialize(instance, DAYS[0], DAYS[-1])

    shuffled = tmp_path / "shuffled"
    cut = rng.randint(1, len(DAYS) - 1)
    blocks = [DAYS[:cut], DAYS[cut:]]
    rng.shuffle(blocks)
    with pointed_at(shuffled), dg.instance_for_test() as instance:
        for block in blocks:
            land_days(shuffled, by_day, block)
            materialize(instance, block[0], block[-1])
        land(shuffled, "events", late_day, "late.jsonl", late_records)
        materialize(instance, late_day)

    expected, actual = dump(clean / "warehouse.duckdb"), dump(shuffled / "warehouse.duckdb")
    assert sorted(actual) == sorted(expected)
    for table in expected:
        assert actual[table] == expected[table], f"{table} differs (seed {seed}, blocks {blocks})"
