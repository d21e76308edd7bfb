"""What the landing sensor reports: folder observations, unread paths, skip reasons."""

from datetime import date

import dagster as dg

from ecom_analytics.ingestion.landing import unread_paths
from ecom_analytics.sensors import landing_sensor

DAY = date(2024, 1, 2)


def test_unread_paths_name_other_suffixes_odd_folders_and_unknown_sources(workspace):
    workspace.write_jsonl("events", DAY, "a.jsonl", ['{"event_id": "1"}'])
    folder = workspace.landing / "events" / "date=2024-01-02"
    (folder / "notes.csv").write_text("x")
    (folder / ".crc").write_text("hidden: not reported")
    (workspace.landing / "events" / "2024-01-03").mkdir()
    (workspace.landing / "events" / "date=2024-13-01").mkdir()
    (workspace.landing / "orders").mkdir()

    unread = [str(p.relative_to(workspace.landing)) for p in unread_paths(workspace.landing)]
    assert unread == [
        "events/2024-01-03",
        "events/date=2024-01-02/notes.csv",
        "events/date=2024-13-01",
        "orders",
    ]


def test_landing_sensor_observes_changed_folders_and_says_why_it_skips(workspace):
    workspace.write_jsonl("events", DAY, "a.jsonl", ['{"event_id": "1"}', '{"event_id": "2"}'])
    workspace.write_jsonl("users", DAY, "u.jsonl", ['{"user_id": "1"}'])
    (workspace.landing / "events" / "date=2024-01-02" / "readme.txt").write_text("x")
    events_bytes = (workspace.landing / "events" / "date=2024-01-02" / "a.jsonl").stat().st_size
    with dg.instance_for_test() as instance:
        first = landing_sensor(dg.build_sensor_context(instance=instance))
        again = landing_sensor(dg.build_sensor_context(instance=instance, cursor=first.cursor))

    observed = {
        (o.asset_key.to_user_string(), o.partition): (
            o.metadata["files"].value,
            o.metadata["bytes"].value,
        )
        for o in first.asset_events
    }
    # The readme is not read, so it counts neither as a file nor in the bytes.
    assert observed[("landing/events", "2024-01-02")] == (1, events_bytes)
    assert ("landing/users", "2024-01-02") in observed
    assert first.skip_reason is None
    # Nothing changed on the second tick: no run, no observation, and the reason says so.
    assert again.run_requests == [] and again.asset_events == []
    message = again.skip_reason.skip_message
    assert message.startswith("no new or changed files in the 1 landed day(s)")
    assert "events/date=2024-01-02/readme.txt" in message
