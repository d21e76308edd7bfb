"""The PostgreSQL storage layer: reads as typed frames, and the ingestion tables written one
partition window per transaction, on a throwaway server."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

import dagster as dg
import polars as pl
import pytest
from dagster._core.storage.db_io_manager import TablePartitionDimension, TableSlice

from ecom_analytics import engines, tables
from ecom_analytics.engines.postgres_engine import PostgresWarehouse
from ecom_analytics.engines.postgres_io import PostgresDbClient
from ecom_analytics_tests.assets.test_ingestion_assets import DAY1, DAY2, land_two_days, materialize

from .builds import postgres_env

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres(postgres_server, workspace, monkeypatch: pytest.MonkeyPatch) -> PostgresWarehouse:
    """ECOM_WAREHOUSE=postgres on a fresh database of the test server."""
    name = f"w_{uuid.uuid4().hex[:10]}"
    postgres_server.create_database(name)
    for variable, value in postgres_env(postgres_server, name).items():
        monkeypatch.setenv(variable, value)
    warehouse = engines.current_warehouse()
    assert isinstance(warehouse, PostgresWarehouse)
    return warehouse


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def test_queries_bind_named_and_positional_parameters_and_see_frames(postgres) -> None:
    ids = pl.DataFrame({"event_id": ["a", "b", "c"]})
    named = postgres.query(
        "select event_id from ids where event_id >= $low order by 1", {"low": "b"}, ids=ids
    )
    positional = postgres.query("select ? || '%' as text, ? + 1 as n", ["50", 1])
    assert named["event_id"].to_list() == ["b", "c"]
    assert positional.rows() == [("50%", 2)]


def test_an_empty_result_keeps_its_column_types(postgres) -> None:
    frame = postgres.query(
        "select cast(null as date) as d, cast(1.5 as decimal(18, 2)) as m,"
        " cast(1 as double precision) as f, 1 as i, array['x'] as a where false"
    )
    assert frame.is_empty()
    assert frame.schema == pl.Schema(
        {
            "d": pl.Date(),
            "m": pl.Decimal(18, 2),
            "f": pl.Float64(),
            "i": pl.Int32(),
            "a": pl.List(pl.String()),
        }
    )


def test_rematerializing_a_day_replaces_exactly_that_day(postgres, instance, workspace) -> None:
    land_two_days(workspace)
    materialize(DAY1, instance)
    materialize(DAY2, instance, raise_on_error=False)
    names = ["raw.events", "validated.events", "validated.products", "quality.quarantine"]

    def contents() -> dict[str, list[tuple]]:
        return {
            name: sorted(postgres.query(f"select * from {name}").rows(), key=str) for name in names
        }

    before = contents()
    materialize(DAY2, instance, raise_on_error=False)
    materialize(DAY1, instance)

    assert contents() == before
    # Day 2's lookups went to the server: a1 was read on day 1, p3 was never in the catalogue.
    quarantined = postgres.query(
        "select record_key, reasons from quality.quarantine order by record_key"
    ).rows()
    assert quarantined == [("a1", ["duplicate_event_id"]), ("b3", ["unknown_product"])]
    valid = postgres.query("select event_id from validated.events order by 1")
    assert valid["event_id"].to_list() == ["a1", "a2", "b1", "b2"]


def test_a_write_that_fails_leaves_the_day_as_it_was(postgres, instance, workspace) -> None:
    workspace.write_jsonl("events", DAY1, "e.jsonl", [_event("a1"), _event("a2")])
    materialize(DAY1, instance, raise_on_error=False)
    day = TableSlice(
        table="events",
        schema="validated",
        partition_dimensions=[
            TablePartitionDimension(
                partition_expr=tables.PARTITION_COLUMN,
                partitions=dg.TimeWindow(_midnight(DAY1), _midnight(DAY2)),
            )
        ],
    )

    client = PostgresDbClient(postgres)
    with (
        pytest.raises(RuntimeError, match="died mid-write"),
        client.connect(None, day) as connection,
    ):
        client.delete_table_slice(None, day, connection)
        # Deleted inside the transaction...
        assert connection.execute("select count(*) from validated.events").fetchall() == [(0,)]
        raise RuntimeError("died mid-write")

    # ...and back once it is rolled back.

    assert postgres.query("select count(*) as n from validated.events").item() == 2


def test_json_fields_of_text_that_is_not_json_are_null(postgres, instance, workspace) -> None:
    workspace.write_jsonl("events", DAY1, "e.jsonl", ["{not json", _event("a1")])
    materialize(DAY1, instance, raise_on_error=False)
    field = postgres.json_string("raw_record", "product_id")
    nested = postgres.json_string("raw_record", "properties", "product_id")

    found = postgres.query(
        f"select raw_record, {field} as product_id, {nested} as nested"
        " from quality.quarantine order by raw_record"
    ).rows()

    assert found == [("{not json", None, None)]


def _event(event_id: str) -> dict:
    return {
        "event_id": event_id,
        "event_timestamp": f"{DAY1.isoformat()}T10:00:00Z",
        "event_type": "page_view",
        "user_id": "u1",
    }


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)
