"""Links from the dashboard to the Dagster UI (`ECOM_DAGSTER_URL`, default the local one)."""

from __future__ import annotations

import os
from urllib.parse import quote

DAGSTER_URL_ENV = "ECOM_DAGSTER_URL"
DEFAULT_DAGSTER_URL = "http://127.0.0.1:3000"


def dagster_url() -> str:
    return os.environ.get(DAGSTER_URL_ENV, DEFAULT_DAGSTER_URL).rstrip("/")


def asset_checks_url(asset_key: str) -> str:
    """The checks tab of an asset (`marts/fct_orders`) in the Dagster UI."""
    return f"{dagster_url()}/assets/{quote(asset_key)}?view=checks"
