"""Every record of the poison corpus is valid or quarantined with its hand-written reasons."""

from __future__ import annotations

import gzip
from datetime import date

import polars as pl
import pytest

from ecom_analytics.ingestion import landing
from ecom_analytics.ingestion.readers import read_day
from ecom_analytics.validation.pipeline import validate
from ecom_analytics_tests.faults import poison

DAY = date.fromisoformat(poison.DAY)


def _write(workspace, source: str, name: str, data: bytes) -> None:
    folder = landing.day_dir(source, DAY, workspace.landing)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def _judged(source: str) -> dict[tuple[str, int], list[str]]:
    """{(file, line): reasons} for every record read ([] when valid)."""
    result = validate(read_day(source, DAY), source, DAY)
    judged = {
        (row["source_file"].rsplit("/", 1)[-1], row["source_line"]): []
        for row in result.valid.select("source_file", "source_line").iter_rows(named=True)
    }
    for row in result.quarantine.iter_rows(named=True):
        judged[(row["source_file"].rsplit("/", 1)[-1], row["source_line"])] = sorted(row["reasons"])
    assert result.rows_read == len(judged)  # nothing counted twice, nothing lost
    return judged


@pytest.mark.parametrize("source", sorted(poison.CORPUS))
def test_every_corpus_record_is_valid_or_quarantined_with_its_reasons(workspace, source):
    lines = poison.CORPUS[source]
    _write(workspace, source, "poison.jsonl", poison.file_bytes(lines))

    judged = _judged(source)

    expected = {("poison.jsonl", n): sorted(r) for n, r in poison.expected_by_line(lines).items()}
    assert judged == expected


def test_a_truncated_gzip_file_is_one_unreadable_row_and_the_other_files_load(workspace):
    whole = gzip.compress(poison.file_bytes(poison.EVENT_LINES[:2]))
    _write(workspace, "events", "a_truncated.jsonl.gz", whole[: len(whole) // 2])
    _write(workspace, "events", "b_good.jsonl", poison.file_bytes(poison.EVENT_LINES[:2]))

    judged = _judged("events")

    assert judged == {
        ("a_truncated.jsonl.gz", 0): ["unreadable_file"],
        ("b_good.jsonl", 1): [],
        ("b_good.jsonl", 2): [],
    }


def test_parquet_with_missing_or_mistyped_columns_quarantines_its_rows(workspace):
    folder = landing.day_dir("events", DAY, workspace.landing)
    folder.mkdir(parents=True)
    # No event_type column at all: every row lacks a required field.
    pl.DataFrame(
        {"event_id": ["pq1"], "event_timestamp": [poison.TS], "user_id": ["u1"]}
    ).write_parquet(folder / "a_missing.parquet")
    # event_timestamp as an integer and user_id as a struct: the wrong types.
    pl.DataFrame(
        {
            "event_id": ["pq2"],
            "event_timestamp": [1_700_000_000],
            "event_type": ["page_view"],
            "user_id": [{"a": 1}],
        }
    ).write_parquet(folder / "b_mistyped.parquet")
    (folder / "c_footer.parquet").write_bytes(b"PAR1 not really parquet")

    judged = _judged("events")

    assert judged == {
        ("a_missing.parquet", 1): ["missing_required_field:event_type"],
        ("b_mistyped.parquet", 1): ["invalid_type:event_timestamp", "invalid_type:user_id"],
        ("c_footer.parquet", 0): ["unreadable_file"],
    }
