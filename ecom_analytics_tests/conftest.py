"""Shared fixtures: an isolated data dir, warehouse and Dagster home per test."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from ecom_analytics import settings
from ecom_analytics.ingestion import landing

# Public datasets shared beside the project (never copied into it); tests skip without them.
REAL_DATA_DIR = settings.PROJECT_ROOT.parent / "shared" / "data" / "real"


@dataclass
class Workspace:
    """A private landing zone + warehouse, selected through the product's env variables."""

    data_dir: Path
    warehouse: Path
    dagster_home: Path

    @property
    def landing(self) -> Path:
        """The landing zone of this data dir."""
        return landing.root_of(self.data_dir)

    def write_jsonl(self, source: str, day: date, name: str, records: Iterable) -> Path:
        """Write records (dicts, or strings written verbatim as lines) to a landing file."""
        folder = landing.day_dir(source, day, self.landing)
        folder.mkdir(parents=True, exist_ok=True)
        lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
        path = folder / name
        path.write_text("".join(line + "\n" for line in lines))
        return path


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A fresh Workspace, the product's env variables pointing into it for the test."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    space = Workspace(data_dir, data_dir / "warehouse.duckdb", tmp_path / "dagster_home")
    space.dagster_home.mkdir()
    monkeypatch.setenv("ECOM_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ECOM_DUCKDB_PATH", str(space.warehouse))
    monkeypatch.setenv("DAGSTER_HOME", str(space.dagster_home))
    return space


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server for the whole test session, removed afterwards; the
    tests that need it skip, saying why, where the machine has no PostgreSQL binaries."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[test]')")
    from ecom_analytics_tests.postgres_server import find_bin_dir, start_server

    if find_bin_dir() is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql")
    server = start_server()
    try:
        yield server
    finally:
        server.stop()
