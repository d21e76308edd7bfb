"""The Dagster instance home: created on first use with the settings this product relies on.

The settings are the committed `dagster.yaml` at the project root, the one file `dagster dev`
also reads when started there without DAGSTER_HOME.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from ecom_analytics import settings

DEFAULT_DAGSTER_HOME = ".dagster_home"
INSTANCE_CONFIG = settings.PROJECT_ROOT / "dagster.yaml"

# How the file earlier versions generated begins: such a file is replaced by the current one.
_GENERATED_BEFORE = (
    "concurrency:\n  pools:\n    default_limit: 1\n  runs:\n    max_concurrent_runs: 4\n"
)


class InstanceConfigError(RuntimeError):
    """$DAGSTER_HOME/dagster.yaml would let two DuckDB writers run at once."""


def ensure_dagster_home() -> Path:
    """`$DAGSTER_HOME` (default ./.dagster_home), with the project's dagster.yaml if it has none.

    An existing dagster.yaml is kept, but it must keep one slot in the DuckDB writer pool.
    """
    home = Path(os.environ.get("DAGSTER_HOME", DEFAULT_DAGSTER_HOME)).resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or _was_generated(config):
        config.write_text(INSTANCE_CONFIG.read_text())
    check_writer_pool(config)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _was_generated(config: Path) -> bool:
    text = config.read_text()
    return text.startswith(_GENERATED_BEFORE) and "run_monitoring" not in text


def writer_pool_limit(config: dict) -> int | None:
    """Slots of the DuckDB writer pool an instance config gives (None: unlimited)."""
    pools = (config.get("concurrency") or {}).get("pools") or {}
    return pools.get("default_limit")


def check_writer_pool(config: Path) -> None:
    """Raise InstanceConfigError unless `config` limits the writer pool to one slot."""
    limit = writer_pool_limit(yaml.safe_load(config.read_text()) or {})
    if limit != 1:
        raise InstanceConfigError(
            f"{config}: concurrency.pools.default_limit is {limit}, must be 1: DuckDB admits "
            f"one writing process and every writer runs in the `{settings.DUCKDB_WRITER_POOL}` "
            f"pool (see {INSTANCE_CONFIG.name} at the project root)"
        )
