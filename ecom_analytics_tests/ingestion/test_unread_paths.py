"""Landing paths the pipeline does not read are listed, never ignored silently."""

from datetime import date

from ecom_analytics.ingestion.landing import unread_paths

DAY = date(2024, 3, 5)


def test_unread_paths_lists_other_suffixes_misnamed_folders_and_stray_sources(tmp_path):
    raw = tmp_path / "raw"
    day = raw / "events" / "date=2024-03-05"
    day.mkdir(parents=True)
    for name in ("a.jsonl", "b.jsonl.gz", "c.parquet", "notes.txt", "d.json", ".part"):
        (day / name).write_text("")
    (raw / "events" / "2024-03-06").mkdir()  # no `date=` prefix
    (raw / "events" / "date=2024-13-01").mkdir()  # not a date
    (raw / "orders").mkdir()  # not a source

    found = [p.relative_to(raw).as_posix() for p in unread_paths(root=raw)]

    assert found == [
        "orders",
        "events/2024-03-06",
        "events/date=2024-03-05/.part",
        "events/date=2024-03-05/d.json",
        "events/date=2024-03-05/notes.txt",
        "events/date=2024-13-01",
    ]
    # Limited to one source and other days: only the stray folders remain.
    other_day = unread_paths("events", days=[date(2024, 3, 6)], root=raw)
    assert [p.name for p in other_day] == ["2024-03-06", "date=2024-13-01"]
