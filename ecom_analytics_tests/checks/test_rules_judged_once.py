"""A rule that a blocking dbt test of the model already judges over the run's window is left
to that test; the Pandera check reads row by row only the columns something still judges,
and every column's type from the relation itself."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from ecom_analytics.checks.dbt_models import ModelCheck, evaluate_model
from ecom_analytics.checks.model_schemas import columns as col
from ecom_analytics.checks.model_schemas.columns import ModelRules, model_schema, row_columns
from ecom_analytics.dbt_manifest import DbtModel, judged_columns


def _test_node(name, model, column, severity="ERROR"):
    return {
        "resource_type": "test",
        "attached_node": f"model.p.{model}",
        "column_name": column,
        "config": {"severity": severity},
        "test_metadata": {"name": name, "kwargs": {"column_name": column}},
    }


class Rules(ModelRules):
    """m.t: one row per x."""

    x = col.required()
    y = col.required(isin=["p", "q"])
    z = col.required()
    w = col.optional()
    n = col.count(ge=1)


TYPES = {"x": "string", "y": "string", "z": "integer", "w": "string", "n": "bigint"}
MANIFEST = {
    "nodes": {
        "t1": _test_node("not_null", "t", "x"),
        "t2": _test_node("accepted_values", "t", "y"),
        # A warning does not stop the build: it judges nothing.
        "t3": _test_node("not_null", "t", "z", severity="warn"),
        "t4": _test_node("unique", "t", "x"),
    }
}


def test_blocking_not_null_and_accepted_values_tests_are_read_from_the_manifest() -> None:
    assert judged_columns(MANIFEST) == {
        "model.p.t": frozenset({("not_null", "x"), ("accepted_values", "y")})
    }


def test_what_dbt_judges_leaves_the_schema_and_unjudged_columns_are_not_read() -> None:
    schema = model_schema(
        "m.t", Rules, TYPES, {}, frozenset(), judged_columns(MANIFEST)["model.p.t"]
    )
    # x: its not null is dbt's; y: its values are dbt's, its not null still Pandera's.
    assert schema.columns["x"].nullable and not schema.columns["x"].checks
    assert not schema.columns["y"].nullable and not schema.columns["y"].checks
    assert not schema.columns["z"].nullable
    # Read row by row: y and z (not null), n (at least 1); x and w by their type alone.
    assert row_columns(schema, Rules) == ["y", "z", "n"]
    judged_here = model_schema("m.t", Rules, TYPES, {})
    assert row_columns(judged_here, Rules) == ["x", "y", "z", "n"]


def _check(database: Path, ddl: str, rows: str) -> ModelCheck:
    with duckdb.connect(str(database)) as con:
        con.execute("create schema if not exists m")
        con.execute(f"create or replace table m.t ({ddl})")
        con.execute(f"insert into m.t values {rows}")
    model = DbtModel(
        schema="m",
        name="t",
        materialized="table",
        window_column=None,
        description="One row per x.",
        columns=TYPES,
        column_descriptions={},
        contract_enforced=False,
        tested_columns=judged_columns(MANIFEST)["model.p.t"],
    )
    return ModelCheck.of(model, Rules)


DDL = "x varchar, y varchar, z integer, w varchar, n bigint"
DAY = date(2024, 1, 1)


def test_the_check_leaves_dbts_rules_to_dbt_and_still_judges_the_rest(tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    # A null x and an unknown y are dbt's to judge (its tests fail on them): not here.
    check = _check(database, DDL, "(null, 'r', 1, null, 1), ('b', 'p', 2, 'v', 3)")
    result = evaluate_model(check, DAY, DAY, str(database))
    assert result.passed
    assert result.metadata["rows_checked"].value == 2
    # A null z and a count of 0 are still judged here, each on its row.
    check = _check(database, DDL, "('a', 'p', null, null, 1), ('b', 'p', 2, 'v', 0)")
    result = evaluate_model(check, DAY, DAY, str(database))
    assert not result.passed
    assert result.metadata["failure_count"].value == 2


def test_a_column_read_by_its_type_alone_is_still_type_checked(tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    # w is never read row by row, yet a w stored as an integer fails the check.
    check = _check(database, DDL.replace("w varchar", "w integer"), "('a', 'p', 1, 7, 1)")
    assert "w" not in check.row_columns
    result = evaluate_model(check, DAY, DAY, str(database))
    assert not result.passed
    assert "w / " in " ".join(result.metadata["failures_by_check"].value)
