"""Dagster resources: the warehouse IO manager and reader of the selected engine, and dbt."""

from __future__ import annotations

from ecom_analytics import engines
from ecom_analytics.engines.base import Warehouse

__all__ = ["Warehouse", "build_resources"]


def build_resources() -> dict[str, object]:
    """`io_manager` (stores the Python-built tables, one partition window per transaction),
    `warehouse` (lookups and asset checks read through it) and `dbt` (runs `dbt build`), all
    on the engine `ECOM_WAREHOUSE` selects."""
    from ecom_analytics.project import dbt_cli_resource  # imports dagster-dbt: only when wiring

    return {**engines.current().resources(), "dbt": dbt_cli_resource()}
