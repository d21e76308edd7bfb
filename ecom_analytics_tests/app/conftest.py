"""Fixtures: the hand-made marts published through `publish_snapshot`, and a data layer
pointed at them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app import data
from ecom_analytics.assets.dashboard import publish_snapshot
from ecom_analytics_tests.app.warehouse import build_empty_warehouse, build_warehouse

PUBLISHED_AT = datetime(2024, 3, 5, 2, 30)
AS_OF_META = {
    "published_at": PUBLISHED_AT,
    "run_id": "run-42",
    "partition_start": "2024-03-01",
    "partition_end": "2024-03-04",
    "check_results": [
        {
            "asset_key": "marts/fct_orders",
            "check_name": "fct_orders_ids_are_unique",
            "partition_key": "2024-03-04",
            "passed": True,
            "severity": "ERROR",
            "blocking": True,
            "description": None,
            "evaluated_at": datetime(2024, 3, 5, 2, 20),
            "run_id": "run-42",
        },
        {
            "asset_key": "quality/quarantine",
            "check_name": "quarantine_rate_is_low",
            "partition_key": "2024-03-02",
            "passed": False,
            "severity": "WARN",
            "blocking": False,
            "description": "5.0% quarantined",
            "evaluated_at": datetime(2024, 3, 5, 2, 10),
            "run_id": "run-42",
        },
    ],
    "materializations": [
        {
            "asset_key": "marts/fct_orders",
            "partition_key": "2024-03-04",
            "materialized_at": datetime(2024, 3, 5, 2, 15),
            "run_id": "run-42",
        }
    ],
    # DAU left its band on 3 Mar (18 against 19.5-24.5); orders stayed inside theirs.
    "anomalies": [
        {
            "metric": "daily_active_users",
            "day": date(2024, 3, 3),
            "value": 18.0,
            "lower_bound": 19.5,
            "upper_bound": 24.5,
            "fired": True,
        },
        {
            "metric": "orders",
            "day": date(2024, 3, 3),
            "value": 1.0,
            "lower_bound": 0.0,
            "upper_bound": 3.0,
            "fired": False,
        },
    ],
}


def publish_fixture(directory: Path) -> Path:
    warehouse = build_warehouse(directory / "warehouse.duckdb")
    return publish_snapshot(warehouse, directory / "dashboard.duckdb", as_of_meta=AS_OF_META)


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory) -> Path:
    """The fixture marts, published once for the whole session (tests only read it)."""
    return publish_fixture(tmp_path_factory.mktemp("published"))


@pytest.fixture
def reading(snapshot):
    """The data layer reading the fixture snapshot."""
    data.configure(snapshot)
    yield snapshot
    data.configure(None)


@pytest.fixture
def empty_snapshot(tmp_path) -> Path:
    warehouse = build_empty_warehouse(tmp_path / "warehouse.duckdb")
    return publish_snapshot(warehouse, tmp_path / "dashboard.duckdb", as_of_meta={})
