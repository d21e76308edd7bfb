"""One bad day of a backfill is held back before staging; the good days reach the marts, and
the poison corpus that passed validation never makes a model fail."""

from __future__ import annotations

import gzip
from datetime import date

import duckdb

from ecom_analytics.ingestion import landing
from ecom_analytics_tests.faults import poison
from ecom_analytics_tests.faults.conftest import Site

DAY_1, DAY_2, DAY_3 = date(2024, 1, 1), date(2024, 1, 2), date(2024, 1, 3)


def _land(site: Site, source: str, day: date, name: str, data: bytes) -> None:
    folder = landing.day_dir(source, day, site.root / "data" / "raw")
    (folder / name).write_bytes(data)


def _dates(site: Site, sql: str) -> list[date]:
    with duckdb.connect(str(site.warehouse), read_only=True) as con:
        return [d for (d,) in con.execute(sql).fetchall()]


def test_an_unreadable_day_is_held_back_and_the_other_days_reach_the_marts(tmp_path):
    site = Site(tmp_path)
    site.generate(days=3)
    for source, lines in poison.CORPUS.items():
        _land(site, source, DAY_1, "poison.jsonl", poison.file_bytes(lines))
    whole = gzip.compress(poison.file_bytes(poison.EVENT_LINES[:2]))
    _land(site, "events", DAY_2, "truncated.jsonl.gz", whole[: len(whole) // 2])

    # Day 1's poison is ~10% of its records: let it through to the models on purpose.
    result = site.materialize(end=DAY_3.isoformat(), ECOM_QUARANTINE_FAIL_RATE="1")

    summary = result.stderr[result.stderr.rindex("run ") :]
    assert result.returncode == 1
    assert "1 day(s) held back before staging" in summary, summary
    assert "2024-01-02 (events: 1 unreadable file(s))" in result.stderr
    # No dbt test failed on the poison that passed validation: the only failed check is
    # the unreadable file's.
    failed = [line for line in result.stderr.splitlines() if "failed blocking checks" in line]
    assert failed == [
        "failed blocking checks: quality/quarantine:quarantine_has_no_unreadable_files"
    ]
    assert _dates(site, "select distinct partition_date from staging.stg_events order by 1") == [
        DAY_1,
        DAY_3,
    ]
    # A view over all of validated.users, stg_users still leaves the held-back day out.
    assert _dates(site, "select distinct partition_date from staging.stg_users order by 1") == [
        DAY_1,
        DAY_3,
    ]
    assert _dates(site, "select activity_date from marts.fct_daily_engagement order by 1") == [
        DAY_1,
        DAY_3,
    ]

    # Day 3 turns unreadable and is run alone: no model is built, and the staging views
    # (over validated.events and validated.users, which now hold day 3's rows of the readable
    # files) leave it out all the same.
    _land(site, "events", DAY_3, "truncated.jsonl.gz", whole[: len(whole) // 2])
    again = site.materialize(
        start=DAY_3.isoformat(), end=DAY_3.isoformat(), ECOM_QUARANTINE_FAIL_RATE="1"
    )
    assert again.returncode == 1
    assert "2024-01-03 (events: 1 unreadable file(s))" in again.stderr
    assert _dates(site, "select distinct partition_date from validated.events order by 1") == [
        DAY_1,
        DAY_2,
        DAY_3,
    ]
    for view in ("stg_events", "stg_users"):
        assert _dates(site, f"select distinct partition_date from staging.{view} order by 1") == [
            DAY_1,
        ], view
