"""The Pandera checks of the dbt models: they pass on good rows and explain bad ones."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from ecom_analytics.checks import dbt_models
from ecom_analytics.checks.dbt_models import (
    MODEL_CHECKS,
    ModelCheck,
    dbt_check_defs,
    evaluate_model,
    read_model_rows,
)
from ecom_analytics.checks.pandera_results import PanderaCheck
from ecom_analytics.engines import as_warehouse

from .dataset import DAY_1, DAY_2, DAY_3


@pytest.mark.parametrize("model", MODEL_CHECKS, ids=lambda model: model.table)
def test_every_model_matches_its_schema_on_the_built_warehouse(
    built_warehouse: Path, model: ModelCheck
) -> None:
    result = evaluate_model(model, DAY_1, DAY_3 + timedelta(days=1), str(built_warehouse))
    assert result.passed, result.metadata
    assert result.metadata["rows_checked"].value > 0


def test_a_check_reads_only_its_partition_window(built_warehouse: Path) -> None:
    [sessions] = [model for model in MODEL_CHECKS if model.table == "fct_sessions"]
    frame = read_model_rows(sessions, DAY_2, DAY_3, str(built_warehouse))
    assert frame["session_date"].unique().to_list() == [DAY_2]
    assert frame.height == 3


def _funnel_schema():
    [funnel] = [model for model in MODEL_CHECKS if model.table == "fct_funnel"]
    return funnel.pandera_schema


def test_a_funnel_whose_steps_increase_fails_with_its_failures_in_metadata() -> None:
    frame = pl.DataFrame(
        {
            "activity_date": [date(2024, 1, 1), date(2024, 1, 1)],
            "device": ["mobile", "fridge"],
            "channel": ["direct", "direct"],
            "sessions": [10, 5],
            "product_view_sessions": [4, 6],
            "add_to_cart_sessions": [2, 1],
            "checkout_sessions": [1, 1],
            "purchase_sessions": [1, -1],
        }
    )
    check = PanderaCheck(dg.AssetKey(["marts", "fct_funnel"]), "fct_funnel_ok", _funnel_schema())
    check.validate(date(2024, 1, 1), frame)
    result = check.result()

    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.ERROR
    failures = result.metadata["failures_by_check"].value
    # The unknown device is left to dbt's blocking accepted_values test on fct_funnel.
    assert failures == {
        "purchase_sessions / greater_than_or_equal_to(0)": 1,
        "marts.fct_funnel / funnel_steps_never_increase": 1,
    }
    assert result.metadata["failure_count"].value == 2
    assert "-1" in result.metadata["first_failure_cases"].value


def test_model_checks_are_blocking_partitioned_and_named_as_statements() -> None:
    specs = [spec for check in dbt_check_defs for spec in check.check_specs]
    assert {spec.asset_key for spec in specs} == {model.asset_key for model in MODEL_CHECKS}
    for spec in specs:
        assert spec.blocking
        assert spec.partitions_def is not None
        assert spec.name.endswith("_rows_match_schema")
        assert "Source:" in (spec.description or "")


def test_a_check_over_several_days_puts_each_failure_on_the_day_of_its_row() -> None:
    frame = pl.DataFrame(
        {
            "activity_date": [date(2024, 1, 1), date(2024, 1, 2), date(2024, 1, 3)],
            "device": ["mobile", "mobile", "tablet"],
            "channel": ["direct", "direct", "direct"],
            "sessions": [10, 5, 3],
            "product_view_sessions": [4, 4, 2],
            "add_to_cart_sessions": [2, 1, 1],
            "checkout_sessions": [1, 1, 1],
            "purchase_sessions": [1, -1, 1],
        }
    )
    check = PanderaCheck(dg.AssetKey(["marts", "fct_funnel"]), "fct_funnel_ok", _funnel_schema())
    check.validate(date(2024, 1, 1), frame, day_of_row=frame["activity_date"])
    result = check.result()

    assert not result.passed
    assert result.metadata["failing_days"].value == ["2024-01-02"]
    assert result.metadata["rows_checked"].value == 3
    assert "| 2024-01-02 | purchase_sessions |" in result.metadata["first_failure_cases"].value


def test_days_are_read_in_runs_of_at_most_chunk_rows(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(dbt_models, "CHUNK_ROWS", 3)
    [funnel] = [model for model in MODEL_CHECKS if model.table == "fct_funnel"]
    database = str(tmp_path / "warehouse.duckdb")
    with duckdb.connect(database) as connection:
        connection.execute("create schema marts")
        # Rows per day: 1, 2, 4 (alone: more than a run holds), 1, and none on the 5th.
        connection.execute(
            "create table marts.fct_funnel as select * from (values "
            "(date '2024-01-01'), (date '2024-01-02'), (date '2024-01-02'), "
            "(date '2024-01-03'), (date '2024-01-03'), (date '2024-01-03'), "
            "(date '2024-01-03'), (date '2024-01-04')) as t(activity_date)"
        )
    with as_warehouse(database).session() as reader:
        chunks = dbt_models._day_chunks(funnel, date(2024, 1, 1), date(2024, 1, 6), reader)
        empty = dbt_models._day_chunks(funnel, date(2024, 2, 1), date(2024, 2, 2), reader)

    d = date.fromisoformat
    assert chunks == [
        (d("2024-01-01"), d("2024-01-02")),
        (d("2024-01-03"), d("2024-01-03")),
        (d("2024-01-04"), d("2024-01-04")),
    ]
    assert empty == [(d("2024-02-01"), d("2024-02-01"))]
