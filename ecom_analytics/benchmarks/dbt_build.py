"""Benchmark of the dbt share of the pipeline: one `dbt build` over 30 days of ~10 M events.

Fills a scratch DuckDB's validated.* and quality.quarantine tables with synthetic rows made
by DuckDB itself (no landing files, no validation), then times a single `dbt build` over the
whole window and reports dbt's slowest nodes from run_results.json, as JSON:

    python -m ecom_analytics.benchmarks.dbt_build --days 30 --sessions 2860000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from ecom_analytics import settings, tables, vocabulary
from ecom_analytics.assets.dbt import dbt_build_args
from ecom_analytics.assets.dbt_env import dbt_window_env
from ecom_analytics.project import dbt_executable

# Event types after a session's first page view, with their weights (out of 100).
_EVENT_MIX = (
    ("product_view", 35),
    ("page_view", 20),
    ("search", 10),
    ("add_to_cart", 15),
    ("remove_from_cart", 3),
    ("begin_checkout", 7),
    ("purchase", 7),
    ("login", 3),
)


def _sql_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f"'{value}'" for value in values) + "]"


def _pick(seed: str, modulo: int | str) -> str:
    """SQL for a deterministic pseudo-random integer in [0, modulo) drawn from `seed`."""
    return f"cast(hash({seed}) % {modulo} as bigint)"


def _event_type_case() -> str:
    branches, bound = [], 0
    for event_type, weight in _EVENT_MIX:
        bound += weight
        branches.append(f"when {_pick('event_no * 3', 100)} < {bound} then '{event_type}'")
    return "case when k = 0 then 'page_view' " + " ".join(branches) + " end"


def fill_synthetic_warehouse(
    database: Path, start: date, days: int, sessions: int, users: int, products: int
) -> dict[str, int]:
    """Create the contract tables and fill them; about 3.5 events per session."""
    priced = "event_type in ('add_to_cart', 'remove_from_cart', 'purchase')"
    with duckdb.connect(str(database)) as connection:
        for table in [*tables.VALIDATED_TABLES.values(), tables.QUARANTINE]:
            columns = ", ".join(f"{name} {type_}" for name, type_ in table.columns.items())
            connection.execute(f"create schema if not exists {table.schema}")
            connection.execute(f"create or replace table {table.qualified} ({columns})")
        connection.execute(f"""
            create temp table synthetic_sessions as
            select
                s as session_no,
                'u' || {_pick("s", users)} as user_id,
                date '{start.isoformat()}' + cast(s % {days} as integer) as day,
                {_pick("s * 7", 80_000)} as start_second,
                1 + {_pick("s * 13", 6)} as events,
                {_sql_list(vocabulary.DEVICES)}[1 + {_pick("s * 17", 3)}] as device,
                {_sql_list(vocabulary.CHANNELS)}[1 + {_pick("s * 23", 6)}] as channel,
                -- One session in ten has no session_id, so sessions must be derived.
                case when {_pick("s * 19", 10)} > 0 then 's' || s end as session_id
            from range({sessions}) as t (s)
        """)
        connection.execute(f"""
            insert into validated.events
            select
                'e' || event_no as event_id,
                day + to_seconds(start_second + k * 90 + {_pick("event_no", 60)}),
                event_type,
                user_id,
                session_id,
                case
                    when {priced} or event_type = 'product_view'
                        then 'p' || {_pick("event_no * 5", products)}
                end as product_id,
                case
                    when {priced} then cast(1 + {_pick("event_no * 11", 3)} as integer)
                end as quantity,
                case
                    when {priced}
                        then cast(1 + {_pick("event_no * 29", 20_000)} / 100 as decimal(18, 2))
                end as unit_price,
                case when event_type = 'purchase' then 'o' || session_no end as order_id,
                device,
                channel,
                'DE' as country,
                null as page_url,
                null as search_query,
                null as properties,
                day as partition_date,
                'events-' || day || '.jsonl' as source_file,
                event_no as source_line
            from (
                select
                    *,
                    session_no * 8 + k as event_no,
                    {_event_type_case()} as event_type
                from synthetic_sessions, unnest(range(events)) as u (k)
            )
        """)
        connection.execute(f"""
            insert into validated.products
            select
                'p' || p, 'SKU' || p, 'Product ' || p, 'Category ' || (p % 12),
                'Sub ' || (p % 40), 'Brand ' || (p % 90), cast(1 + p % 200 as decimal(18, 2)),
                true, timestamp '{start.isoformat()}', date '{start.isoformat()}',
                'products.jsonl', p
            from range({products}) as t (p)
        """)
        connection.execute(f"""
            insert into validated.users
            select
                'u' || u, 'user' || u || '@example.com', timestamp '{start.isoformat()}',
                'DE', 'Berlin', 'direct', {_sql_list(vocabulary.LOYALTY_TIERS)}[1 + u % 4],
                timestamp '{start.isoformat()}', date '{start.isoformat()}', 'users.jsonl', u
            from range({users}) as t (u)
        """)
        connection.execute(f"""
            insert into quality.quarantine
            select
                'events', date '{start.isoformat()}' + cast(q % {days} as integer),
                'events.jsonl', q, '{{}}', ['unknown_event_type']
            from range({sessions // 100}) as t (q)
        """)
        return {
            table: connection.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("validated.events", "validated.products", "validated.users")
        }


def time_dbt_build(database: Path, start: date, end: date, target: Path) -> dict[str, Any]:
    """Run one `dbt build` over [start, end) and summarize run_results.json."""
    env = {**os.environ, settings.WAREHOUSE_ENV: str(database), **dbt_window_env(start, end)}
    command = [
        dbt_executable(),
        *dbt_build_args(),
        "--project-dir",
        str(settings.DBT_PROJECT_DIR),
        "--profiles-dir",
        str(settings.DBT_PROJECT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(target),
    ]
    began = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - began
    results = json.loads((target / "run_results.json").read_text())["results"]
    timings = sorted(
        ((result["unique_id"], result["execution_time"]) for result in results),
        key=lambda item: -item[1],
    )
    return {
        "wall_seconds": round(wall, 1),
        "dbt_elapsed_seconds": round(
            json.loads((target / "run_results.json").read_text())["elapsed_time"], 1
        ),
        "models_seconds": round(sum(t for uid, t in timings if uid.startswith("model.")), 1),
        "tests_seconds": round(sum(t for uid, t in timings if not uid.startswith("model.")), 1),
        "slowest": [{"node": uid, "seconds": round(t, 2)} for uid, t in timings[:12]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 1))
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--sessions", type=int, default=2_860_000)
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--products", type=int, default=5_000)
    parser.add_argument("--rerun", action="store_true", help="time a second, incremental run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "warehouse.duckdb"
        began = time.perf_counter()
        rows = fill_synthetic_warehouse(
            database, args.start, args.days, args.sessions, args.users, args.products
        )
        report: dict[str, Any] = {
            "rows": rows,
            "fill_seconds": round(time.perf_counter() - began, 1),
        }
        end = args.start + timedelta(days=args.days)
        report["first_build"] = time_dbt_build(database, args.start, end, Path(scratch) / "t1")
        if args.rerun:
            report["rerun"] = time_dbt_build(database, args.start, end, Path(scratch) / "t2")
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
