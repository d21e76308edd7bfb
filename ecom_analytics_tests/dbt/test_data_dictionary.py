"""docs/data_dictionary.md documents exactly the models, sources and columns of the dbt yml."""

from __future__ import annotations

import re

import yaml

from ecom_analytics import settings
from ecom_analytics.assets.dbt import DBT_LAYERS
from ecom_analytics.dbt_manifest import manifest_models

DICTIONARY = settings.PROJECT_ROOT / "docs" / "data_dictionary.md"
MODELS_DIR = settings.DBT_PROJECT_DIR / "models"
HEADING = re.compile(r"^### `([\w.]+)`\s*$")
COLUMN_ROW = re.compile(r"^\| `(\w+)` \|")

# SPEC §5 metrics whose definitions the dictionary must state.
METRICS = (
    "Session",
    "DAU / WAU / MAU",
    "Stickiness",
    "New users",
    "Orders",
    "Revenue",
    "AOV",
    "Funnel",
    "Conversion rate",
    "drop-off",
    "Cohorts",
    "retention_rate",
    "Bounce",
    "email_hash",
)


def documented_tables() -> dict[str, list[str]]:
    """Each `### `name`` section of the dictionary and the columns its table lists."""
    tables: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in DICTIONARY.read_text().splitlines():
        if heading := HEADING.match(line):
            current = tables.setdefault(heading.group(1), [])
        elif line.startswith("## "):
            current = None
        elif current is not None and (row := COLUMN_ROW.match(line)):
            current.append(row.group(1))
    return tables


def yml_tables() -> dict[str, list[str]]:
    tables = {}
    for layer in DBT_LAYERS:
        for model in yaml.safe_load((MODELS_DIR / layer / f"_{layer}__models.yml").read_text())[
            "models"
        ]:
            tables[model["name"]] = [column["name"] for column in model["columns"]]
    sources = yaml.safe_load((MODELS_DIR / "staging" / "_staging__sources.yml").read_text())
    for source in sources["sources"]:
        for table in source["tables"]:
            tables[f"{source['schema']}.{table['name']}"] = [
                column["name"] for column in table["columns"]
            ]
    return tables


def test_the_dictionary_documents_every_model_and_column_of_the_yml_and_no_other() -> None:
    assert documented_tables() == yml_tables()


def test_the_dictionary_defines_every_spec_metric() -> None:
    text = DICTIONARY.read_text()
    definitions = text[text.index("## Metric definitions") :].split("\n## ", 1)[0]
    missing = [metric for metric in METRICS if f"**{metric}**" not in definitions]
    assert not missing


# How DuckDB names the types the marts' contracts spell portably (dbt_project/models/marts).
DUCKDB_TYPE_NAMES = {"string": "VARCHAR", "double precision": "DOUBLE", "double": "DOUBLE"}
TYPED_ROW = re.compile(r"^\| `(\w+)` \| ([^|]+) \|")


def documented_types() -> dict[str, dict[str, str]]:
    """Each section's column → type, as the dictionary's tables state them."""
    types: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in DICTIONARY.read_text().splitlines():
        if heading := HEADING.match(line):
            current = types.setdefault(heading.group(1), {})
        elif line.startswith("## "):
            current = None
        elif current is not None and (row := TYPED_ROW.match(line)):
            current[row.group(1)] = row.group(2).strip()
    return types


def test_the_dictionary_gives_each_mart_column_its_contracts_type() -> None:
    documented = documented_types()
    marts = [model for model in manifest_models().values() if model.schema == "marts"]
    assert marts
    for model in marts:
        contract = {
            name: DUCKDB_TYPE_NAMES.get(data_type, data_type.upper())
            for name, data_type in model.columns.items()
        }
        assert documented[model.name] == contract, model.name
