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
    # "incremental" models replace their partition window; "table" models are rebuilt whole.
    materialized: str
    # The DATE column an incremental model's window applies to; None for a whole-table model.
    window_column: str | None
    description: str
    # Column name → declared `data_type` (None where the yml declares none), in yml order.
    columns: dict[str, str | None]
    # Column name → the yml's description of it.
    column_descriptions: dict[str, str]
    contract_enforced: bool

    @property
    def grain(self) -> str:
        """The description's first sentence, which states the grain ("One row per …")."""
        text = " ".join(self.description.split())
        return text.split(". ", 1)[0].rstrip(".") + "."


def model_from_node(node: Mapping[str, Any]) -> DbtModel:
    """A model node of the manifest as a DbtModel."""
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
    )


def models_in(manifest: Mapping[str, Any]) -> dict[str, DbtModel]:
    """Every model of a parsed manifest, by name."""
    return {
        node["name"]: model_from_node(node)
        for node in manifest["nodes"].values()
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
