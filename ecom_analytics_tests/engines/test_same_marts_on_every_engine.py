"""The hand-made dataset builds identical marts on every engine (SPEC §9).

DuckDB is the reference; every other engine's marts must hold the same tables, columns,
column types and rows. Money is decimal(18, 2) on every engine and compared exactly; doubles
(rates, seconds) are compared rounded to 9 places, since engines may add floating point
numbers in another order.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from ecom_analytics.engines import Warehouse
from ecom_analytics.tables import MARTS_SCHEMA

from .builds import LEGS

FLOAT_PLACES = 9


def mart_tables(warehouse: Warehouse) -> list[str]:
    return warehouse.query(
        "select table_name from information_schema.tables where table_schema = ?"
        " order by table_name",
        [MARTS_SCHEMA],
    )["table_name"].to_list()


def comparable_rows(frame: pl.DataFrame) -> list[tuple]:
    """Rows with columns in name order, doubles rounded, sorted."""
    frame = frame.select(sorted(frame.columns))
    frame = frame.with_columns(
        pl.col(name).round(FLOAT_PLACES)
        for name, dtype in frame.schema.items()
        if dtype in (pl.Float32, pl.Float64)
    )
    rows = [
        tuple(v.normalize() if isinstance(v, Decimal) else v for v in row) for row in frame.rows()
    ]
    return sorted(rows, key=lambda row: tuple((v is None, str(v)) for v in row))


@pytest.fixture(scope="module")
def duckdb_marts(tmp_path_factory: pytest.TempPathFactory, request) -> Warehouse:
    return LEGS["duckdb"](tmp_path_factory.mktemp("duckdb"), request)


@pytest.mark.parametrize("engine", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_every_mart_is_identical_to_duckdbs_row_for_row(
    engine: str,
    duckdb_marts: Warehouse,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    other = LEGS[engine](tmp_path, request)

    names = mart_tables(duckdb_marts)
    assert "fct_daily_engagement" in names and len(names) >= 11
    assert mart_tables(other) == names
    for name in names:
        expected = duckdb_marts.query(f"select * from {MARTS_SCHEMA}.{name}")
        actual = other.query(f"select * from {MARTS_SCHEMA}.{name}")
        # The same column types too: the dashboard snapshot is published from either.
        assert dict(sorted(actual.schema.items())) == dict(sorted(expected.schema.items())), name
        assert actual.height == expected.height, name
        assert comparable_rows(actual) == comparable_rows(expected), name
