"""Any order of landing and running days ends in the tables of one clean in-order build.

A seeded property test over many orders: for each seed, a two-week dataset with a
cross-day duplicate and a late file lands in blocks of days run in a random order (newest
first for even seeds, so the duplicate's later copy arrives before the earlier one), a
random built day is re-run, then the late file lands and its day is re-run. Every table of
validated, quality, staging, intermediate and marts must equal, row for row, those of one
in-order build of all the files, and the dbt tests of stg_events must pass on the result.

The pipeline's steps run directly (direct_build.py), so that many orders fit in seconds
each; test_any_order.py checks the same invariant through real Dagster runs.
"""

from __future__ import annotations

import random
from datetime import date
from itertools import pairwise

import pytest

from .direct_build import Dbt, DirectBuild
from .scenario import dataset, days, dump, land, land_days, pointed_at

DAYS = days(date(2024, 1, 1), 8)  # Monday to Monday: two ISO weeks
# One order in `make test` (about 40 s), seven more in `make test-long`.
SEEDS = [0, *(pytest.param(seed, marks=pytest.mark.long) for seed in range(1, 8))]


@pytest.fixture(scope="module")
def dbt(tmp_path_factory: pytest.TempPathFactory) -> Dbt:
    runner = Dbt(target_path=tmp_path_factory.mktemp("dbt_target"))
    runner.parse()
    return runner


def duplicate_days(by_day: dict[date, list[dict]]) -> tuple[date, date]:
    """The two days that carry the same event id (scenario.dataset puts one pair)."""
    seen: dict[str, date] = {}
    for day in sorted(by_day):
        for record in by_day[day]:
            if record["event_id"] in seen:
                return seen[record["event_id"]], day
            seen[record["event_id"]] = day
    raise AssertionError("the dataset has no cross-day duplicate")


def shuffled_blocks(rng: random.Random, early: date, late: date, newest_first: bool) -> list:
    """DAYS cut into 2..3 blocks of consecutive days, one cut between the duplicate's two
    days; run newest first (the later copy lands before the earlier one) or shuffled."""
    between = rng.randint(DAYS.index(early) + 1, DAYS.index(late))
    cuts = sorted({between, *rng.sample(range(1, len(DAYS)), rng.randint(0, 1))})
    blocks = [DAYS[a:b] for a, b in pairwise([0, *cuts, len(DAYS)])]
    if newest_first:
        blocks.reverse()
    else:
        rng.shuffle(blocks)
    return blocks


@pytest.mark.parametrize("seed", SEEDS)
def test_days_in_any_order_end_in_the_clean_build(tmp_path, dbt, seed):
    rng = random.Random(seed)
    by_day, (late_day, late_records) = dataset(rng, DAYS)

    clean = tmp_path / "clean"
    land_days(clean, by_day, DAYS)
    land(clean, "events", late_day, "late.jsonl", late_records)
    with pointed_at(clean):
        DirectBuild(dbt).materialize(DAYS[0], DAYS[-1])

    shuffled = tmp_path / "shuffled"
    # Even seeds land the duplicate's later copy first: its day is ingested again once the
    # earlier copy arrives.
    blocks = shuffled_blocks(rng, *duplicate_days(by_day), newest_first=seed % 2 == 0)
    build = DirectBuild(dbt)
    with pointed_at(shuffled):
        for block in blocks:
            land_days(shuffled, by_day, block)
            build.materialize(block[0], block[-1])
        rerun = rng.choice(DAYS)
        build.materialize(rerun, rerun)
        land(shuffled, "events", late_day, "late.jsonl", late_records)
        build.materialize(late_day, late_day)
        # Among them `unique` on stg_events.event_id, which a duplicate judged in the
        # wrong order would fail.
        dbt.test("stg_events")

    expected, actual = dump(clean / "warehouse.duckdb"), dump(shuffled / "warehouse.duckdb")
    order = f"seed {seed}: blocks {[(b[0], b[-1]) for b in blocks]}, runs {build.runs}"
    assert sorted(actual) == sorted(expected), order
    for table in expected:
        assert actual[table] == expected[table], f"{table} differs ({order})"
