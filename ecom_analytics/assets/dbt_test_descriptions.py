"""A description for every dbt test shown as an asset check, taken from the test itself.

dagster-dbt describes a check only when the test's `meta` has a description; here a generic
test is described from its name and arguments (`not_null` on `order_id`), and a singular test
from the comment its SQL opens with. Singular tests store their failing rows
(`store_failures`) in the `dbt_test__audit` schema, one table per test, which the
description names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

AUDIT_SCHEMA = "dbt_test__audit"

_GENERIC = {
    "not_null": "`{column}` is never null",
    "unique": "`{column}` is unique",
    "unique_in_window": "`{column}` is unique within the run's days ({window_column})",
    "unique_across_days": "`{column}` of the run's days ({window_column}) occurs on no other day",
    "accepted_values": "`{column}` takes only its accepted values",
    "relationships": "every `{column}` exists in {to}.{field}",
    "unique_combination": "({columns}) is unique",
}


def _ref_name(ref: str) -> str:
    found = re.search(r"ref\('([^']+)'\)", ref or "")
    return found.group(1) if found else ref


def _leading_comment(sql: str) -> str:
    lines = []
    for line in sql.strip().splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(lines)


def describe_test(test: Mapping[str, Any]) -> str | None:
    """The description of a dbt test node of the manifest, or None if none can be made."""
    given = (test.get("meta") or {}).get("description") or (test.get("config") or {}).get(
        "meta", {}
    ).get("description")
    if given:
        return given
    severity = str((test.get("config") or {}).get("severity") or "error").lower()
    outcome = "fails the run (blocking)" if severity == "error" else "warns"
    metadata = test.get("test_metadata")
    if metadata:
        kwargs = metadata.get("kwargs") or {}
        model = _ref_name(kwargs.get("model", ""))
        template = _GENERIC.get(metadata.get("name"), metadata.get("name", "") + " holds")
        text = template.format(
            column=kwargs.get("column_name") or test.get("column_name") or "",
            to=_ref_name(kwargs.get("to", "")),
            field=kwargs.get("field", ""),
            columns=", ".join(kwargs.get("combination_of_columns") or ()),
            window_column=kwargs.get("window_column", ""),
        )
        return f"dbt test on {model}: {text}; otherwise it {outcome}."
    comment = _leading_comment(test.get("raw_code") or "")
    if not comment:
        return None
    stored = ""
    if (test.get("config") or {}).get("store_failures"):
        stored = f" Failing rows are stored in {AUDIT_SCHEMA}.{test.get('name')}."
    return f"{comment} A failure {outcome}.{stored}"
