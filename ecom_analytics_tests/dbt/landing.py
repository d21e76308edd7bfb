"""The hand-made dataset as landing files, run through every asset by Dagster.

The valid records of dataset.py land as JSONL; the quarantine rows become records that break
exactly the rules their reasons name. So the marts built this way must equal those dbt
builds from the validated tables directly, and the metric tests run against both.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import dagster as dg

from ecom_analytics import settings
from ecom_analytics.assets.dbt_env import environment
from ecom_analytics.ingestion import landing

from . import dataset

_LINEAGE = {"partition_date", "source_file", "source_line"}
# 4 bad records among a few dozen: far above the default fail rate, on purpose.
QUARANTINE_RATES = {"ECOM_QUARANTINE_WARN_RATE": "0.5", "ECOM_QUARANTINE_FAIL_RATE": "0.5"}

# One landing record per quarantine row of dataset.QUARANTINE, breaking what its reasons say.
BAD_RECORDS = {
    ("events", dataset.DAY_1): [
        # missing_required_field:user_id
        {"event_id": "bad-1", "event_timestamp": "2024-01-01T12:00:00Z", "event_type": "page_view"},
        # unknown_event_type, invalid_value:quantity
        {
            "event_id": "bad-2",
            "event_timestamp": "2024-01-01T12:01:00Z",
            "event_type": "teleport",
            "user_id": "u1",
            "quantity": 0,
        },
    ],
    ("events", dataset.DAY_2): [
        # duplicate_event_id: the id of a day-1 event
        {
            "event_id": dataset.EVENTS[0]["event_id"],
            "event_timestamp": "2024-01-02T12:00:00Z",
            "event_type": "page_view",
            "user_id": "u1",
        },
    ],
    ("users", dataset.DAY_2): [  # invalid tier
        {"user_id": "u9", "loyalty_tier": "diamond", "updated_at": "2024-01-02T08:00:00Z"}
    ],
}


def _json_value(value: object) -> object:
    """A dataset value as JSON has it: timestamps in UTC, money and dates as text."""
    if isinstance(value, datetime):
        return value.isoformat() + "Z"
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def _landing_record(row: dict[str, object]) -> dict[str, object]:
    """A dataset row as a landing record: no lineage columns, absent values left out."""
    return {k: _json_value(v) for k, v in row.items() if k not in _LINEAGE and v is not None}


def write_landing_zone(data_dir: Path) -> None:
    """The dataset's records and BAD_RECORDS as JSONL under `data_dir`'s landing zone."""
    root = landing.root_of(data_dir)
    files: dict[tuple[str, date], list[dict[str, object]]] = {}
    for source, rows in (
        ("events", dataset.EVENTS),
        ("products", dataset.PRODUCTS),
        ("users", dataset.USERS),
    ):
        for row in rows:
            files.setdefault((source, row["partition_date"]), []).append(_landing_record(row))
    for key, records in BAD_RECORDS.items():
        files.setdefault(key, []).extend(records)
    for (source, day), records in files.items():
        folder = landing.day_dir(source, day, root)
        folder.mkdir(parents=True, exist_ok=True)
        text = "".join(json.dumps(record) + "\n" for record in records)
        (folder / f"{source}-{day.isoformat()}.jsonl").write_text(text)


def materialize_landing_zone(folder: Path) -> Path:
    """Land the dataset under `folder` and run every asset over its days in one run."""
    from ecom_analytics.definitions import defs
    from ecom_analytics.runs.materialize import materialize_range

    data_dir = folder / "data"
    write_landing_zone(data_dir)
    warehouse = data_dir / settings.WAREHOUSE_FILE_NAME
    overrides = {
        "ECOM_DATA_DIR": str(data_dir),
        "ECOM_DUCKDB_PATH": str(warehouse),
        **QUARANTINE_RATES,
    }
    with environment(overrides), dg.instance_for_test() as instance:
        report = materialize_range(defs, dataset.DAY_1, dataset.DAY_3, instance)
    assert report.success, report.summary()
    return warehouse
