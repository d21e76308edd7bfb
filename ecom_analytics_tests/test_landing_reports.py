"""What the landing sensor reports: folder observations, unread paths, skip reasons."""

from datetime import date

import dagster as dg

from ecom_analytics.orchestration.sensors import landing_sensor

DAY = date(2024, 1, 2)


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
