"""Landing files and runs for the late-data tests: records by day, one workspace per build."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import dagster as dg

from ecom_analytics.ingestion import landing

PRODUCT = {
    "product_id": "p1",
    "product_name": "Mug",
    "category": "home",
    "list_price": "10.00",
    "updated_at": "2024-01-01T00:00:00Z",
}


def event(
    event_id: str, day: date, hhmm: str, user_id: str, event_type: str = "page_view", **extra
) -> dict:
    record = {
        "event_id": event_id,
        "event_timestamp": f"{day.isoformat()}T{hhmm}:00Z",
        "event_type": event_type,
        "user_id": user_id,
        **extra,
    }
    if event_type == "purchase":
        record = {"product_id": "p1", "quantity": 1, "unit_price": "10.00", **record}
    return record


def land(root: Path, source: str, day: date, name: str, records: list[dict]) -> None:
    import json

    folder = landing.day_dir(source, day, root / "raw")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("".join(json.dumps(r) + "\n" for r in records))


@contextmanager
def pointed_at(data_dir: Path) -> Iterator[None]:
    """The product's env variables aimed at `data_dir` (quarantine thresholds off: these
    datasets are tiny, so one duplicate is a large share of a day)."""
    overrides = {
        "ECOM_DATA_DIR": str(data_dir),
        "ECOM_DUCKDB_PATH": str(data_dir / "warehouse.duckdb"),
        "ECOM_QUARANTINE_WARN_RATE": "1.0",
        "ECOM_QUARANTINE_FAIL_RATE": "1.0",
    }
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def materialize(instance: dg.DagsterInstance, start: date, end: date | None = None):
    from ecom_analytics.definitions import defs
    from ecom_analytics.materialize import materialize_range

    report = materialize_range(defs, start, end or start, instance)
    assert report.success, report.summary()
    return report


def days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]
