"""Every staging column a dbt data test relies on is guaranteed by a validation rule (or by
how the row is built), so a record that passes validation can never make a model fail. One
test per rule: a record breaking it is quarantined with the rule's reason."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest
import yaml

from ecom_analytics import settings
from ecom_analytics.validation.pipeline import validate

DAY = date(2024, 3, 5)
TS = "2024-03-05T09:30:00Z"
VIEW = {"event_id": "e1", "event_timestamp": TS, "event_type": "page_view", "user_id": "u1"}
PRODUCT = {"product_id": "p1", "updated_at": TS}
USER = {"user_id": "u1", "updated_at": TS}

# (model, column, dbt test) -> (source, a record that would break it, the quarantine reason).
RULES = {
    ("stg_events", "event_id", "not_null"): (
        "events", {**VIEW, "event_id": None}, "missing_required_field:event_id"),
    ("stg_events", "event_at", "not_null"): (
        "events", {**VIEW, "event_timestamp": None}, "missing_required_field:event_timestamp"),
    ("stg_events", "event_date", "not_null"): (
        "events", {**VIEW, "event_timestamp": "soon"}, "invalid_type:event_timestamp"),
    ("stg_events", "event_type", "not_null"): (
        "events", {**VIEW, "event_type": None}, "missing_required_field:event_type"),
    ("stg_events", "event_type", "accepted_values"): (
        "events", {**VIEW, "event_type": "PAGE_VIEW"}, "unknown_event_type"),
    ("stg_events", "user_id", "not_null"): (
        "events", {**VIEW, "user_id": None}, "missing_required_field:user_id"),
    ("stg_events", "device", "accepted_values"): (
        "events", {**VIEW, "device": "fridge"}, "invalid_value:device"),
    ("stg_events", "channel", "accepted_values"): (
        "events", {**VIEW, "channel": "tv"}, "invalid_value:channel"),
    ("stg_products", "product_id", "not_null"): (
        "products", {**PRODUCT, "product_id": None}, "missing_required_field:product_id"),
    ("stg_users", "user_id", "not_null"): (
        "users", {**USER, "user_id": None}, "missing_required_field:user_id"),
    ("stg_users", "loyalty_tier", "accepted_values"): (
        "users", {**USER, "loyalty_tier": "diamond"}, "invalid_value:loyalty_tier"),
}  # fmt: skip
# stg_events.event_id unique (within a run's days, and across all days as a warning): a
# repeated id is `duplicate_event_id` (test_reasons.py), and the validated schema re-checks
# uniqueness. Columns set by the pipeline itself, never by a
# record: partition_date (the folder's day), and every stg_quarantine column.
BY_CONSTRUCTION = {
    ("stg_events", "event_id", "unique_across_days"),
    ("stg_events", "event_id", "unique_in_window"),
    ("stg_events", "partition_date", "not_null"),
    ("stg_products", "partition_date", "not_null"),
    ("stg_users", "partition_date", "not_null"),
    ("stg_quarantine", "source", "not_null"),
    ("stg_quarantine", "source", "accepted_values"),
    ("stg_quarantine", "partition_date", "not_null"),
    ("stg_quarantine", "reasons", "not_null"),
}


def _staging_column_tests() -> set[tuple[str, str, str]]:
    path = settings.DBT_PROJECT_DIR / "models" / "staging" / "_staging__models.yml"
    found = set()
    for model in yaml.safe_load(path.read_text())["models"]:
        for column in model.get("columns", []):
            for test in column.get("data_tests", []):
                name = test if isinstance(test, str) else next(iter(test))
                found.add((model["name"], column["name"], name))
    return found


def test_every_staging_column_test_is_guaranteed_by_a_rule():
    assert _staging_column_tests() == set(RULES) | BY_CONSTRUCTION


@pytest.mark.parametrize("rule", sorted(RULES), ids=lambda r: ".".join(r))
def test_a_record_breaking_the_rule_is_quarantined(rule):
    source, record, reason = RULES[rule]
    line = json.dumps({k: v for k, v in record.items() if v is not None})
    raw = pl.DataFrame(
        {
            "partition_date": [DAY],
            "source_file": [f"{source}/date=2024-03-05/a.jsonl"],
            "source_line": [1],
            "raw_record": [line],
            "read_error": [None],
        },
        schema_overrides={"read_error": pl.String},
    )
    result = validate(raw, source, DAY)
    assert result.rows_valid == 0
    assert result.quarantine["reasons"].to_list() == [[reason]]


def test_users_and_products_need_updated_at_which_dim_users_and_dim_products_rely_on():
    for source, record in (("users", USER), ("products", PRODUCT)):
        raw = pl.DataFrame(
            {
                "partition_date": [DAY, DAY],
                "source_file": ["f"] * 2,
                "source_line": [1, 2],
                "raw_record": [json.dumps(record), json.dumps({**record, "updated_at": None})],
                "read_error": [None, None],
            },
            schema_overrides={"read_error": pl.String},
        )
        result = validate(raw, source, DAY)
        assert result.rows_valid == 1
        assert result.quarantine["reasons"].to_list() == [["missing_required_field:updated_at"]]
