"""The benchmark's floor: `floor.sql` run by plain DuckDB straight over the landing files.

    python -m ecom_analytics.benchmarks.floor DATA_DIR [--format parquet|jsonl|jsonl.gz]

It answers "how fast could these marts be computed at all on this machine", so that the
pipeline's time is read as a ratio (SPEC §8) rather than against a machine-dependent number.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import duckdb

from ecom_analytics import settings
from ecom_analytics.ingestion import landing

SCRIPT = Path(__file__).with_name("floor.sql")
FLOOR_DB_NAME = "floor.duckdb"
# The marts the script builds, whose row counts the report gives.
MARTS = (
    "fct_daily_engagement",
    "fct_sessions",
    "fct_orders",
    "fct_funnel",
    "fct_revenue",
    "fct_cohort_retention",
    "dim_products",
    "dim_users",
)


def _reader(source: str, data_dir: Path, fmt: str) -> str:
    """A DuckDB table function over every landing file of `source` in format `fmt`."""
    root = landing.root_of(data_dir)
    files = [
        path
        for day in landing.landed_days(source, root)
        for path in landing.day_files(source, day, root)
        if path.name.endswith(f".{fmt}")
    ]
    if not files:
        raise FileNotFoundError(f"no .{fmt} landing files for {source} under {root}")
    quoted = ", ".join("'" + str(path).replace("'", "''") + "'" for path in files)
    if fmt == "parquet":
        return f"read_parquet([{quoted}], union_by_name = true)"
    return f"read_json([{quoted}], format = 'newline_delimited', union_by_name = true)"


def run_floor(data_dir: Path, fmt: str = "parquet", database: Path | None = None) -> dict:
    """Build the floor's marts from the landing files under `data_dir`; seconds and rows."""
    database = database or data_dir / FLOOR_DB_NAME
    database.unlink(missing_ok=True)
    began = time.perf_counter()
    with duckdb.connect(str(database), config=settings.duckdb_config()) as con:
        con.execute("set TimeZone = 'UTC'")
        for source in ("events", "products", "users"):
            con.execute(
                f"create or replace view landed_{source} as "
                f"select * from {_reader(source, data_dir, fmt)}"
            )
        con.execute(SCRIPT.read_text())
        seconds = time.perf_counter() - began
        rows = {mart: con.sql(f"select count(*) from {mart}").fetchall()[0][0] for mart in MARTS}
    return {"seconds": round(seconds, 2), "rows": rows, "database": str(database)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--format", dest="fmt", default="parquet")
    args = parser.parse_args()
    print(json.dumps(run_floor(args.data_dir, args.fmt), indent=2))


if __name__ == "__main__":
    main()
