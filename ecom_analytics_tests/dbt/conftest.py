"""Fixtures for the dbt tests: one warehouse built from the hand-made dataset, shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import dataset
from .warehouse import load_dataset, run_dbt


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dataset's three days built by one `dbt build` over [2024-01-01, 2024-01-04)."""
    folder = tmp_path_factory.mktemp("built")
    database = folder / "warehouse.duckdb"
    load_dataset(database)
    run_dbt(database, folder / "target", dataset.DAY_1, dataset.DAY_3.replace(day=4))
    return database
