"""The Dagster instance home: created on first use with the settings this product relies on."""

from __future__ import annotations

import os
from pathlib import Path

from ecom_analytics import settings

DEFAULT_DAGSTER_HOME = ".dagster_home"

# One DuckDB writer at a time across all runs (the pool every writer is in); runs queue.
DAGSTER_YAML = f"""\
concurrency:
  pools:
    default_limit: 1
  runs:
    max_concurrent_runs: 4
telemetry:
  enabled: false
# `{settings.DUCKDB_WRITER_POOL}` is the pool of every DuckDB writer (see settings.py).
"""


def ensure_dagster_home() -> Path:
    """`$DAGSTER_HOME` (default ./.dagster_home), with a dagster.yaml if it has none."""
    home = Path(os.environ.get("DAGSTER_HOME", DEFAULT_DAGSTER_HOME)).resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home
