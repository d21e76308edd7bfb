"""A real `ecom-analytics materialize` in a subprocess over a tiny landing zone, to be killed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from ecom_analytics import settings
from ecom_analytics.runs import fault_points

FIRST_DAY, LAST_DAY = "2024-01-01", "2024-01-02"
# Never reached by a healthy run on this machine; only guards against a hung test.
GUARD_SECONDS = 600


@dataclass
class Site:
    """One private data dir, warehouse and Dagster home."""

    root: Path

    @property
    def env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("ECOM_")}
        return {
            **inherited,
            "DAGSTER_HOME": str(self.root / "dagster_home"),
            "ECOM_DATA_DIR": str(self.root / "data"),
            "ECOM_DUCKDB_PATH": str(self.warehouse),
            "PYTHONPATH": str(settings.PROJECT_ROOT),
        }

    @property
    def warehouse(self) -> Path:
        return self.root / "data" / settings.WAREHOUSE_FILE_NAME

    @property
    def snapshot(self) -> Path:
        return self.warehouse.with_name(settings.DASHBOARD_SNAPSHOT_NAME)

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "ecom_analytics.cli", *args]

    def generate(self, days: int = 2) -> None:
        subprocess.run(
            self.command(
                "generate", "--start", FIRST_DAY, "--days", str(days), "--events-per-day", "120"
            ),
            env=self.env,
            check=True,
            capture_output=True,
        )

    def materialize(
        self, end: str = LAST_DAY, start: str = FIRST_DAY, **env: str
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.command("materialize", "--start", start, "--end", end),
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=GUARD_SECONDS,
        )

    def start_paused(self, point: str) -> subprocess.Popen:
        """Start materialize and return once it sleeps at fault point `point`."""
        marker = self.root / f"{point}.reached"
        env = {
            **self.env,
            fault_points.PAUSE_ENV: point,
            fault_points.MARKER_ENV: str(marker),
        }
        process = subprocess.Popen(
            self.command("materialize", "--start", FIRST_DAY, "--end", LAST_DAY),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + GUARD_SECONDS
        while not marker.exists():
            if process.poll() is not None:
                raise AssertionError(f"materialize ended before {point}: {process.stderr.read()}")
            assert time.monotonic() < deadline, f"{point} never reached"
            time.sleep(0.2)
        return process

    def marts(
        self, database: Path | None = None, columns: Mapping[str, Sequence[str]] | None = None
    ) -> dict[str, list[tuple]]:
        """Every marts table, rows sorted, from the warehouse (or the snapshot); a table
        named in `columns` with only those columns."""
        path = database or self.warehouse
        columns = columns or {}
        with duckdb.connect(str(path), read_only=True) as con:
            names = [
                name
                for (name,) in con.execute(
                    "select table_name from information_schema.tables"
                    " where table_schema = 'marts' order by 1"
                ).fetchall()
            ]
            return {
                name: sorted(
                    con.execute(
                        f'select {", ".join(columns.get(name, ["*"]))} from marts."{name}"'
                    ).fetchall(),
                    key=repr,
                )
                for name in names
            }


@pytest.fixture(scope="session")
def clean_marts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    """The marts of one uninterrupted build of the tiny landing zone."""
    site = Site(tmp_path_factory.mktemp("clean"))
    site.generate()
    result = site.materialize()
    assert result.returncode == 0, result.stderr
    return site.marts()


@pytest.fixture
def site(tmp_path: Path) -> Site:
    site = Site(tmp_path)
    site.generate()
    return site
