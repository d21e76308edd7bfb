import json
import os
from datetime import date

import dagster as dg

from ecom_analytics import settings
from ecom_analytics.assets.ingestion import ingest_landing_files, landing_files
from ecom_analytics.orchestration.resources import build_resources
from ecom_analytics.orchestration.sensors import changed_days, landing_sensor, scan_landing

PRODUCT = {
    "product_id": "p1",
    "product_name": "Mug",
    "category": "home",
    "list_price": 9.5,
    "updated_at": "2024-01-01T00:00:00Z",
}


def page_view(event_id: str, day: date) -> dict:
    return {
        "event_id": event_id,
        "event_timestamp": f"{day.isoformat()}T10:00:00Z",
        "event_type": "page_view",
        "user_id": "u1",
    }


def test_changed_days_reports_new_and_changed_days_within_partitions():
    current = {"2024-01-01": "aaa", "2024-01-02": "bbb", "2024-01-03": "ccc"}
    seen = {"2024-01-01": "aaa", "2024-01-02": "old"}
    valid = {"2024-01-01", "2024-01-02"}
    # 01 unchanged, 02 changed, 03 not a partition yet.
    assert changed_days(current, seen, valid) == ["2024-01-02"]


def test_scan_landing_digest_and_change_time_move_when_a_file_is_added(workspace):
    workspace.write_jsonl("events", date(2024, 1, 1), "a.jsonl", ['{"event_id": "1"}'])
    before = scan_landing(workspace.landing)
    later = workspace.write_jsonl("users", date(2024, 1, 1), "u.jsonl", ['{"user_id": "1"}'])
    # A file moved in with an old modification time still counts as landing now.
    os.utime(later, (1_000_000_000, 1_000_000_000))
    after = scan_landing(workspace.landing)

    assert set(before) == set(after) == {"2024-01-01"}
    assert before["2024-01-01"].digest != after["2024-01-01"].digest
    assert after["2024-01-01"].changed_at >= before["2024-01-01"].changed_at


def test_landing_sensor_requests_each_files_once(workspace):
    workspace.write_jsonl("events", date(2024, 1, 2), "a.jsonl", ['{"event_id": "1"}'])
    with dg.instance_for_test() as instance:
        first = landing_sensor(dg.build_sensor_context(instance=instance))
        again = landing_sensor(dg.build_sensor_context(instance=instance, cursor=first.cursor))

    assert [r.partition_key for r in first.run_requests] == ["2024-01-02"]
    assert first.run_requests[0].run_key.startswith("2024-01-02:")
    assert again.run_requests == []
    assert set(json.loads(again.cursor)) == {"2024-01-02"}


def test_landing_sensor_skips_days_ingested_after_their_files_landed(workspace):
    day = date(2024, 1, 2)
    workspace.write_jsonl("products", day, "p.jsonl", [PRODUCT])
    workspace.write_jsonl("events", day, "e.jsonl", [page_view("e1", day)])
    with dg.instance_for_test() as instance:
        dg.materialize(
            [*landing_files, ingest_landing_files],
            resources=build_resources(),
            partition_key=day.isoformat(),
            instance=instance,
        )
        first = landing_sensor(dg.build_sensor_context(instance=instance))
        workspace.write_jsonl("events", day, "late.jsonl", [page_view("e2", day)])
        second = landing_sensor(dg.build_sensor_context(instance=instance, cursor=first.cursor))

    assert first.run_requests == []
    assert set(json.loads(first.cursor)) == {"2024-01-02"}
    assert [r.partition_key for r in second.run_requests] == ["2024-01-02"]


def test_sensor_interval_comes_from_the_environment(monkeypatch):
    assert landing_sensor.minimum_interval_seconds == settings.sensor_interval_seconds()
    monkeypatch.setenv("ECOM_SENSOR_INTERVAL_SECONDS", "5")
    assert settings.sensor_interval_seconds() == 5
    monkeypatch.delenv("ECOM_SENSOR_INTERVAL_SECONDS")
    assert settings.sensor_interval_seconds() == settings.DEFAULT_SENSOR_INTERVAL_SECONDS
