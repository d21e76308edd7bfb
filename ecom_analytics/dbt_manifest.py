"""What dbt's manifest says about each model and exposure, read once, for the Python side.

A model's materialization and partition window column live in its SQL `config(...)`; its
description, columns and column types in its folder's yml; the marts the dashboard reads in
the `dashboard` exposure (dbt_project/models/exposures.yml). The checks, the row counts and
the dashboard asset read them from here rather than restating them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ecom_analytics.project import ensure_manifest

# The exposure that stands for the Dash dashboard (app/).
DASHBOARD_EXPOSURE = "dashboard"


@dataclass(frozen=True)
class DbtModel:
    """One dbt model as the manifest describes it."""

    schema: str
    name: str
    # "incremental" models replace their partition window, or with a `replace_key` the rows
    # of the keys the window touches; "table" models are rebuilt whole; a "view" (stg_events)
    # stores nothing and is read by window.
    materialized: str
    # The DATE column a windowed model's window applies to; None for a whole-table model.
    window_column: str | None
    description: str
    # Column name → declared `data_type` (None where the yml declares none), in yml order.
    columns: dict[str, str | None]
    # Column name → the yml's description of it.
    column_descriptions: dict[str, str]
    contract_enforced: bool
    # Keys (one column or several) that a blocking dbt test of the model judges unique over
    # the run's window (`unique`, `unique_in_window`, `unique_combination`).
    tested_keys: frozenset[frozenset[str]] = frozenset()
    # (test, column) of the model's error-severity `not_null` and `accepted_values` tests,
    # which judge the run's window as its Pandera check would.
    tested_columns: frozenset[tuple[str, str]] = frozenset()
    # The column an incremental model is replaced by (dim_users: user_id), whole histories of
    # the keys a window touches; its rows have no day of their own, so it is checked whole.
    replace_key: str | None = None

    @property
    def grain(self) -> str:
        """The description's first sentence, which states the grain ("One row per …")."""
        text = " ".join(self.description.split())
        return text.split(". ", 1)[0].rstrip(".") + "."


# dbt's generic tests that judge a key unique, and where each names its columns.
_KEY_TESTS = {"unique": "column_name", "unique_in_window": "column_name"}
_KEY_COMBINATION_TESTS = {"unique_combination": "combination_of_columns"}


def judged_keys(manifest: Mapping[str, Any]) -> dict[str, frozenset[frozenset[str]]]:
    """Per model unique_id, the keys its error-severity dbt tests judge unique (a warning
    judges nothing: the build goes on)."""
    keys: dict[str, set[frozenset[str]]] = {}
    for node in manifest["nodes"].values():
        test = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or node["config"].get("severity", "").lower() != "error":
            continue
        kwargs = test.get("kwargs") or {}
        if test.get("name") in _KEY_TESTS:
            columns = [node.get("column_name") or kwargs.get("column_name")]
        elif test.get("name") in _KEY_COMBINATION_TESTS:
            columns = list(kwargs.get(_KEY_COMBINATION_TESTS[test["name"]]) or [])
        else:
            continue
        if node.get("attached_node") and all(columns):
            keys.setdefault(node["attached_node"], set()).add(frozenset(columns))
    return {model: frozenset(found) for model, found in keys.items()}


# dbt's generic tests that judge one column's rows on their own.
COLUMN_TESTS = ("not_null", "accepted_values")


def judged_columns(manifest: Mapping[str, Any]) -> dict[str, frozenset[tuple[str, str]]]:
    """Per model unique_id, the (test, column) pairs of its error-severity COLUMN_TESTS."""
    judged: dict[str, set[tuple[str, str]]] = {}
    for node in manifest["nodes"].values():
        test = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or node["config"].get("severity", "").lower() != "error":
            continue
        column = node.get("column_name") or (test.get("kwargs") or {}).get("column_name")
        if test.get("name") in COLUMN_TESTS and column and node.get("attached_node"):
            judged.setdefault(node["attached_node"], set()).add((test["name"], column))
    return {model: frozenset(found) for model, found in judged.items()}


def model_from_node(
    node: Mapping[str, Any],
    keys: frozenset[frozenset[str]] = frozenset(),
    columns: frozenset[tuple[str, str]] = frozenset(),
) -> DbtModel:
    """A model node of the manifest as a DbtModel (`keys`: its keys dbt's tests judge;
    `columns`: the (test, column) pairs of its column tests)."""
    config = node["config"]
    return DbtModel(
        schema=node["schema"],
        name=node["name"],
        materialized=config["materialized"],
        window_column=config.get("window_column"),
        description=node.get("description") or "",
        columns={name: column.get("data_type") for name, column in node["columns"].items()},
        column_descriptions={
            name: " ".join((column.get("description") or "").split())
            for name, column in node["columns"].items()
        },
        contract_enforced=bool((config.get("contract") or {}).get("enforced")),
        tested_keys=keys,
        tested_columns=columns,
        replace_key=config.get("replace_key"),
    )


def models_in(manifest: Mapping[str, Any]) -> dict[str, DbtModel]:
    """Every model of a parsed manifest, by name."""
    keys, columns = judged_keys(manifest), judged_columns(manifest)
    return {
        node["name"]: model_from_node(
            node, keys.get(node_id, frozenset()), columns.get(node_id, frozenset())
        )
        for node_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
    }


def exposure_models(manifest: Mapping[str, Any], exposure: str) -> tuple[str, ...]:
    """The names of the models an exposure depends on, sorted."""
    [found] = [node for node in manifest["exposures"].values() if node["name"] == exposure]
    return tuple(sorted(node_id.split(".")[-1] for node_id in found["depends_on"]["nodes"]))


@cache
def load_manifest(path: Path | None = None) -> dict[str, Any]:
    """The parsed manifest.json (`dbt parse` first when it is missing or stale)."""
    return json.loads((path or ensure_manifest()).read_text())


def manifest_models() -> dict[str, DbtModel]:
    """Every model of the project's manifest, by name."""
    return models_in(load_manifest())


def dashboard_marts() -> tuple[str, ...]:
    """The marts the dashboard reads, from the `dashboard` exposure."""
    return exposure_models(load_manifest(), DASHBOARD_EXPOSURE)
