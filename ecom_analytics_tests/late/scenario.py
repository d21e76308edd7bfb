"""Landing files and runs for the late-data tests: records by day, one workspace per build."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import dagster as dg

from ecom_analytics.assets.dbt_env import environment
from ecom_analytics.ingestion import landing
from ecom_analytics_tests.dbt.warehouse import dump_models

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
    """One event record; purchases get a product line (p1, one unit at 10.00)."""
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
    """Write records as one JSONL landing file under data dir `root`."""
    folder = landing.day_dir(source, day, landing.root_of(root))
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
    with environment(overrides):
        yield


def materialize(instance: dg.DagsterInstance, start: date, end: date | None = None):
    """Materialize every asset over [start, end] in one run; fail if it does not succeed."""
    from ecom_analytics.definitions import defs
    from ecom_analytics.runs.materialize import materialize_range

    report = materialize_range(defs, start, end or start, instance)
    assert report.success, report.summary()
    return report


def days(first: date, count: int) -> list[date]:
    """`count` consecutive days from `first`."""
    return [first + timedelta(days=n) for n in range(count)]


# An any-order scenario: users, and the schemas compared with a clean build.
USERS = [f"u{n}" for n in range(6)]
COMPARED_SCHEMAS = ("validated", "quality", "staging", "intermediate", "marts")


def dataset(
    rng: random.Random, all_days: list[date]
) -> tuple[dict[date, list[dict]], tuple[date, list[dict]]]:
    """Events by day over `all_days`, and (day, records) of a late file; the catalogue
    lands on the first day. One later day repeats an earlier day's event id."""
    by_day: dict[date, list[dict]] = {}
    for number, day in enumerate(all_days):
        records = []
        for user in rng.sample(USERS, rng.randint(1, 3)):
            for n in range(rng.randint(1, 3)):
                kind = rng.choice(["page_view", "product_view", "purchase"])
                extra = {"product_id": "p1"} if kind == "product_view" else {}
                if kind == "purchase":
                    extra = {"order_id": f"o{number}{user}{n}"}
                event_id = f"e{number}-{user}-{n}"
                hhmm = f"{9 + n:02d}:{number:02d}"
                records.append(event(event_id, day, hhmm, user, kind, **extra))
        by_day[day] = records
    # A cross-day duplicate: a later day repeats an earlier day's event id.
    early, late = sorted(rng.sample(all_days, 2))
    copy = {**by_day[early][0], "event_timestamp": f"{late.isoformat()}T20:00:00Z"}
    by_day[late].append(copy)
    # A late file: a user new to the data, and one already known, on a random day.
    late_day = rng.choice(all_days)
    late_records = [
        event("late-1", late_day, "21:00", "u_late"),
        event("late-2", late_day, "21:30", rng.choice(USERS), "purchase", order_id="o-late"),
    ]
    return by_day, (late_day, late_records)


def land_days(root: Path, by_day: dict[date, list[dict]], selected: list[date]) -> None:
    """Land the events of `selected` days, and the catalogue with the first day's."""
    first = min(by_day)
    for day in selected:
        if day == first:
            land(root, "products", day, "p.jsonl", [PRODUCT])
        land(root, "events", day, "a.jsonl", by_day[day])


def dump(warehouse: Path) -> dict[str, list[tuple]]:
    """Every compared table's rows, sorted."""
    return dump_models(warehouse, COMPARED_SCHEMAS)
