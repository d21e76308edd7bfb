import json
from datetime import date

import dagster as dg

from ecom_analytics.sensors import changed_days, landing_fingerprints, landing_sensor


def test_changed_days_reports_new_and_changed_days_within_partitions():
    current = {"2024-01-01": "aaa", "2024-01-02": "bbb", "2024-01-03": "ccc"}
    seen = {"2024-01-01": "aaa", "2024-01-02": "old"}
    valid = {"2024-01-01", "2024-01-02"}
    # 01 unchanged, 02 changed, 03 not a partition yet.
    assert changed_days(current, seen, valid) == ["2024-01-02"]


def test_landing_fingerprint_changes_when_a_file_is_added(workspace):
    workspace.write_jsonl("events", date(2024, 1, 1), "a.jsonl", ['{"event_id": "1"}'])
    before = landing_fingerprints(workspace.landing)
    workspace.write_jsonl("users", date(2024, 1, 1), "u.jsonl", ['{"user_id": "1"}'])
    after = landing_fingerprints(workspace.landing)
    assert set(before) == set(after) == {"2024-01-01"}
    assert before["2024-01-01"] != after["2024-01-01"]


def test_landing_sensor_requests_each_files_once(workspace):
    workspace.write_jsonl("events", date(2024, 1, 2), "a.jsonl", ['{"event_id": "1"}'])
    with dg.instance_for_test() as instance:
        first = landing_sensor(dg.build_sensor_context(instance=instance))
        again = landing_sensor(dg.build_sensor_context(instance=instance, cursor=first.cursor))

    assert [r.partition_key for r in first.run_requests] == ["2024-01-02"]
    assert first.run_requests[0].run_key.startswith("2024-01-02:")
    assert again.run_requests == []
    assert set(json.loads(again.cursor)) == {"2024-01-02"}
