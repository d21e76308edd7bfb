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
import pytest

from .scenario import dataset, days, dump, land, land_days, materialize, pointed_at

# Replays whole pipelines many times: `make test-long` (CI runs it after `make test`).
pytestmark = pytest.mark.long

FIRST = date(2024, 1, 1)  # a Monday
DAYS = days(FIRST, 10)


@pytest.mark.parametrize("seed", [7])
def test_days_in_any_order_end_in_the_clean_build(tmp_path, seed):
    rng = random.Random(seed)
    by_day, (late_day, late_records) = dataset(rng, DAYS)

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
