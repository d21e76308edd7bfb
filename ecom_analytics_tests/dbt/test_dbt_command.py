"""`ecom-analytics-dbt`: dbt's command line, leaving without the interpreter's teardown.

What it must keep of a normal exit: dbt's exit status, and a warehouse whose writes are
folded into the database file (no write-ahead log left for the next process to replay).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from ecom_analytics import settings
from ecom_analytics.assets.dbt_env import dbt_window_env
from ecom_analytics.project import dbt_executable, dbt_profile_env, dbt_vars_args

from . import dataset
from .warehouse import load_dataset, query


def _dbt(database: Path, target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **dbt_profile_env(),
        **dbt_window_env(dataset.DAY_1, dataset.DAY_3.replace(day=4)),
        settings.WAREHOUSE_ENV: str(database),
    }
    return subprocess.run(
        [dbt_executable(), *args, "--target-path", str(target), "--log-path", str(target)],
        cwd=settings.DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_project_runs_dbt_through_it() -> None:
    assert Path(dbt_executable()).name == "ecom-analytics-dbt"


def test_a_build_leaves_no_write_ahead_log(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    load_dataset(database)
    # A few kilobytes of writes: far below DuckDB's automatic checkpoint, so they stay in
    # the write-ahead log unless the database is closed.
    done = _dbt(database, tmp_path / "target", "run", "--select", "stg_products", *dbt_vars_args())
    assert done.returncode == 0, done.stdout + done.stderr
    assert not Path(f"{database}.wal").exists()
    product_ids = {product["product_id"] for product in dataset.PRODUCTS}
    stored = query(database, "select distinct product_id from staging.stg_products")
    assert {product_id for (product_id,) in stored} == product_ids


@pytest.mark.parametrize(
    ("args", "status"),
    [
        # dbt's own statuses: 2 for a command it could not run, 1 for a failed node.
        (["run-operation", "no_such_macro"], 2),
        (["run", "--select", "stg_products", *dbt_vars_args()], 1),
    ],
)
def test_exit_status_is_dbts(tmp_path: Path, args: list[str], status: int) -> None:
    # No contract tables: the model's source is missing, so its run fails.
    database = tmp_path / "warehouse.duckdb"
    done = _dbt(database, tmp_path / "target", *args)
    assert done.returncode == status, done.stdout + done.stderr
