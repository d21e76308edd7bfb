"""The Spark engine's storage without Spark: the Parquet days the Python side writes, and the
reads of Spark's tables through DuckDB (engines/spark_lake.py, spark_io.py, spark_engine.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from ecom_analytics import engines, settings, tables
from ecom_analytics.engines import spark_lake
from ecom_analytics.engines.spark_engine import SparkWarehouse
from ecom_analytics.engines.spark_io import SparkIOManager
from ecom_analytics.project import dbt_profile_env

DAY_1, DAY_2 = date(2024, 1, 1), date(2024, 1, 2)


def events(day: date, *ids: str) -> pl.DataFrame:
    """Validated events of `day`, one per id, typed as polars infers them (Int64 quantity)."""
    rows = [
        {name: None for name in tables.VALIDATED_EVENTS.columns}
        | {
            "event_id": event_id,
            "event_timestamp": datetime(day.year, day.month, day.day, 9, 30),
            "event_type": "purchase",
            "user_id": "u1",
            "quantity": 2,
            "unit_price": Decimal("9.99"),
            "partition_date": day,
            "source_file": "a.jsonl",
            "source_line": number,
        }
        for number, event_id in enumerate(ids, start=1)
    ]
    return pl.DataFrame(rows, infer_schema_length=None)


def stored_ids(root: Path) -> list[tuple[date, str]]:
    return (
        SparkWarehouse(root=str(root))
        .query("select partition_date, event_id from validated.events order by all")
        .rows()
    )


def test_write_day_replaces_the_day_with_one_file_in_the_contract_types(tmp_path: Path) -> None:
    spark_lake.write_day(tables.VALIDATED_EVENTS, DAY_1, events(DAY_1, "e1", "e2"), tmp_path)
    spark_lake.write_day(tables.VALIDATED_EVENTS, DAY_2, events(DAY_2, "e3"), tmp_path)
    spark_lake.write_day(tables.VALIDATED_EVENTS, DAY_1, events(DAY_1, "e4"), tmp_path)

    assert stored_ids(tmp_path) == [(DAY_1, "e4"), (DAY_2, "e3")]
    folder = spark_lake.day_dir(tables.VALIDATED_EVENTS, DAY_1, tmp_path)
    assert [path.name for path in folder.iterdir()] == ["part-0.parquet"]
    schema = pq.read_schema(folder / "part-0.parquet")
    # Spark takes the day from the folder name; an INTEGER column must not arrive as int64.
    assert "partition_date" not in schema.names
    assert str(schema.field("quantity").type) == "int32"
    assert str(schema.field("unit_price").type) == "decimal128(18, 2)"


def test_an_empty_day_replaces_the_rows_that_were_there(tmp_path: Path) -> None:
    spark_lake.write_day(tables.VALIDATED_EVENTS, DAY_1, events(DAY_1, "e1"), tmp_path)
    spark_lake.write_day(tables.VALIDATED_EVENTS, DAY_2, events(DAY_2, "e2"), tmp_path)
    spark_lake.write_empty_day(tables.VALIDATED_EVENTS, DAY_1, tmp_path)

    assert stored_ids(tmp_path) == [(DAY_2, "e2")]
    assert spark_lake.days_on_disk(tables.VALIDATED_EVENTS, tmp_path) == [DAY_1, DAY_2]


def test_reads_give_contract_tables_their_columns_and_types_even_before_any_day(
    tmp_path: Path,
) -> None:
    warehouse = SparkWarehouse(root=str(tmp_path))
    assert not warehouse.has_table("validated", "events")
    empty = warehouse.query("select * from validated.events")
    assert empty.columns == list(tables.VALIDATED_EVENTS.columns)
    assert empty.schema["unit_price"] == pl.Decimal(18, 2)

    spark_lake.write_day(tables.VALIDATED_EVENTS, DAY_1, events(DAY_1, "e1"), tmp_path)
    assert warehouse.has_table("validated", "events")
    row = warehouse.query("select * from validated.events").row(0, named=True)
    assert (row["partition_date"], row["quantity"], row["unit_price"]) == (
        DAY_1,
        2,
        Decimal("9.99"),
    )


def test_io_manager_replaces_exactly_the_partitions_day(tmp_path: Path) -> None:
    spark_lake.write_day(tables.VALIDATED_EVENTS, DAY_1, events(DAY_1, "old-1"), tmp_path)
    spark_lake.write_day(tables.VALIDATED_EVENTS, DAY_2, events(DAY_2, "old-2"), tmp_path)
    partitions = dg.DailyPartitionsDefinition(start_date="2024-01-01")
    batches = {"2024-01-01": events(DAY_1, "new-1", "new-2"), "2024-01-02": events(DAY_2)}

    @dg.asset(key=["validated", "events"], partitions_def=partitions)
    def validated_events(context) -> pl.DataFrame:
        return batches[context.partition_key]

    for key in batches:
        result = dg.materialize(
            [validated_events],
            partition_key=key,
            resources={"io_manager": SparkIOManager(root=str(tmp_path))},
        )
        assert result.success

    # Day 1 holds the new rows only; day 2's output had none, so its old row is gone.
    assert stored_ids(tmp_path) == [(DAY_1, "new-1"), (DAY_1, "new-2")]


def test_spark_model_tables_read_like_warehouse_tables(tmp_path: Path) -> None:
    """A dbt model as Spark leaves it: day folders of part files, with checksums and markers
    beside them; the day column comes from the folder names."""
    folder = spark_lake.model_dir("marts", "fct_funnel", tmp_path)
    for day, sessions in ((DAY_1, 4), (DAY_2, 3)):
        day_folder = folder / f"activity_date={day}"
        day_folder.mkdir(parents=True)
        pl.DataFrame({"device": ["mobile"], "sessions": [sessions]}).write_parquet(
            day_folder / "part-00000-abc.c000.snappy.parquet"
        )
        (day_folder / ".part-00000-abc.c000.snappy.parquet.crc").write_bytes(b"crc")
    (folder / "_SUCCESS").touch()
    warehouse = SparkWarehouse(root=str(tmp_path))

    assert warehouse.has_table("marts", "fct_funnel")
    rows = warehouse.query(
        'select activity_date, sessions from "marts"."fct_funnel" order by activity_date'
    ).rows()
    assert rows == [(DAY_1, 4), (DAY_2, 3)]

    with duckdb.connect() as snapshot:
        snapshot.execute("create schema marts")
        assert warehouse.copy_schema("marts", snapshot, {"fct_funnel"}) == ["fct_funnel"]
        copied = snapshot.execute("select sum(sessions) from marts.fct_funnel").fetchall()
    assert copied == [(7,)]


def test_the_spark_setting_gives_its_folder_to_reads_and_to_dbt(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(settings.ENGINE_ENV, "spark")
    monkeypatch.setenv("ECOM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv(settings.SPARK_DIR_ENV, raising=False)
    monkeypatch.delenv("SPARK_CONF_DIR", raising=False)

    warehouse = engines.current_warehouse()
    assert isinstance(warehouse, SparkWarehouse)
    assert warehouse.root == str(tmp_path / "spark")
    env = dbt_profile_env()
    assert env[settings.ENGINE_ENV] == "spark"
    assert env[settings.SPARK_DIR_ENV] == str(tmp_path / "spark")
    # Spark's log configuration, which keeps its log lines off dbt's event stream.
    assert Path(env["SPARK_CONF_DIR"], "log4j2.properties").is_file()


def test_a_model_spark_left_without_files_reads_as_empty_with_its_columns(
    tmp_path: Path,
) -> None:
    """Spark writes no file for a partitioned table without rows (nothing quarantined)."""
    folder = spark_lake.model_dir("staging", "stg_quarantine", tmp_path)
    folder.mkdir(parents=True)
    (folder / "_SUCCESS").touch()
    warehouse = SparkWarehouse(root=str(tmp_path))

    assert warehouse.has_table("staging", "stg_quarantine")
    rows = warehouse.query('select * from "staging"."stg_quarantine"')
    assert rows.height == 0
    assert {"source", "partition_date", "reasons"} <= set(rows.columns)
    assert rows.schema["partition_date"] == pl.Date
