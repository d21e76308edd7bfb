import gzip
import json
from datetime import date, datetime

import polars as pl

from ecom_analytics.ingestion import landing
from ecom_analytics.ingestion.readers import INVALID_UTF8, read_day

DAY = date(2024, 3, 5)


def test_read_day_keeps_each_line_as_landed_with_file_and_line_number(workspace):
    workspace.write_jsonl("events", DAY, "b.jsonl", ['{"event_id": "b1"}'])
    workspace.write_jsonl(
        "events", DAY, "a.jsonl", ['{"event_id": "a1"}', "", '{"event_id": "a3"}']
    )

    raw = read_day("events", DAY)

    # Files in name order; the blank line 2 is not a record but still counts as a line.
    assert raw.select("source_file", "source_line", "raw_record").rows() == [
        ("events/date=2024-03-05/a.jsonl", 1, '{"event_id": "a1"}'),
        ("events/date=2024-03-05/a.jsonl", 3, '{"event_id": "a3"}'),
        ("events/date=2024-03-05/b.jsonl", 1, '{"event_id": "b1"}'),
    ]
    assert raw["partition_date"].unique().to_list() == [DAY]
    assert raw["read_error"].null_count() == 3


def test_read_day_reads_gzipped_jsonl(workspace):
    folder = landing.day_dir("events", DAY, workspace.landing)
    folder.mkdir(parents=True)
    (folder / "e.jsonl.gz").write_bytes(gzip.compress(b'{"event_id": "z1"}\n{"event_id": "z2"}\n'))

    raw = read_day("events", DAY)

    assert raw["raw_record"].to_list() == ['{"event_id": "z1"}', '{"event_id": "z2"}']
    assert raw["source_line"].to_list() == [1, 2]


def test_read_day_turns_parquet_rows_into_json_records(workspace):
    folder = landing.day_dir("events", DAY, workspace.landing)
    folder.mkdir(parents=True)
    pl.DataFrame(
        {
            "event_id": ["p1", "p2"],
            "event_timestamp": [datetime(2024, 3, 5, 9, 30), datetime(2024, 3, 5, 10, 0)],
            "quantity": [2, None],
        }
    ).write_parquet(folder / "e.parquet")

    raw = read_day("events", DAY)

    assert raw["source_line"].to_list() == [1, 2]
    first = json.loads(raw["raw_record"][0])
    assert first == {"event_id": "p1", "event_timestamp": "2024-03-05 09:30:00", "quantity": 2}


def test_read_day_turns_an_unreadable_file_into_one_row_and_a_bad_line_into_one_row(workspace):
    workspace.write_jsonl("events", DAY, "good.jsonl", ['{"event_id": "g1"}'])
    folder = landing.day_dir("events", DAY, workspace.landing)
    (folder / "broken.jsonl.gz").write_bytes(b"this is not gzip")
    (folder / "latin1.jsonl").write_bytes('{"city": "Mal\xf8"}\n'.encode("latin-1"))

    raw = read_day("events", DAY).sort("source_file")

    assert raw["source_file"].to_list() == [
        "events/date=2024-03-05/broken.jsonl.gz",
        "events/date=2024-03-05/good.jsonl",
        "events/date=2024-03-05/latin1.jsonl",
    ]
    errors = raw["read_error"].to_list()
    assert errors[0].startswith("unreadable_file: BadGzipFile")
    assert errors[1] is None
    # One undecodable line is one bad record, not an unreadable file (SPEC §2.1).
    assert errors[2] == INVALID_UTF8
    # The unreadable file is one row (line 0); the bad line keeps its own number.
    assert raw.filter(pl.col("read_error").is_not_null())["source_line"].to_list() == [0, 1]


def test_read_day_ignores_files_that_are_not_landing_formats(workspace):
    folder = landing.day_dir("events", DAY, workspace.landing)
    folder.mkdir(parents=True)
    (folder / "README.md").write_text("notes")
    (folder / ".part-0.jsonl").write_text('{"event_id": "hidden"}\n')

    assert read_day("events", DAY).is_empty()


def test_landed_days_lists_day_folders_in_order(workspace):
    for day in (date(2024, 1, 3), date(2024, 1, 1)):
        workspace.write_jsonl("users", day, "u.jsonl", ['{"user_id": "u"}'])
    (workspace.landing / "users" / "date=garbage").mkdir()

    assert landing.landed_days("users", workspace.landing) == [date(2024, 1, 1), date(2024, 1, 3)]
