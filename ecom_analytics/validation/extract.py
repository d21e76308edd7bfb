"""Parse raw JSON records into typed candidate columns, in one vectorised DuckDB pass.

For every field the candidate frame has the text as found (`<field>_raw`, for typed fields)
and the typed value (`<field>`), null when the text does not parse. Pandera then decides
which of those are errors (validation/schemas.py); nothing is judged here.
"""

from __future__ import annotations

import duckdb
import polars as pl

from ecom_analytics.validation.fields import Field, SourceFields

ROW_INDEX = "row_index"
IS_RECORD = "is_record"


def extract(raw: pl.DataFrame, spec: SourceFields) -> pl.DataFrame:
    """Candidate frame for `raw` (the raw table's rows), row for row, in the same order."""
    indexed = raw.with_row_index(ROW_INDEX)  # noqa: F841  (read by DuckDB's replacement scan)
    with duckdb.connect() as con:
        # Naive timestamps mean UTC (SPEC §2.1).
        con.execute("set TimeZone = 'UTC'")
        return con.sql(_extract_sql(spec)).pl().sort(ROW_INDEX)


def _paths(field: Field, spec: SourceFields) -> list[str]:
    paths = [f'$."{name}"' for name in field.names]
    if spec.nested_in and field.name != spec.nested_in:
        paths += [f'$."{spec.nested_in}"."{name}"' for name in field.names]
    return paths


def _text(field: Field, spec: SourceFields, offset: int) -> tuple[str, int]:
    """SQL for the field's text: first alias found, blank strings counted as absent."""
    paths = _paths(field, spec)
    found = ", ".join(f"_v[{offset + i + 1}]" for i in range(len(paths)))
    return f"nullif(trim(coalesce({found})), '')", offset + len(paths)


def _typed(field: Field, text: str) -> list[str]:
    name = field.name
    if field.kind == "string":
        return [f"{text} as {name}"]
    raw = f"{name}_raw"
    columns = [f"{text} as {raw}"]
    if field.kind == "timestamp":
        columns.append(f"try_cast({raw} as timestamptz) at time zone 'UTC' as {name}")
    elif field.kind == "integer":
        number = f"try_cast({raw} as double)"
        columns.append(
            f"case when {number} = floor({number}) and abs({number}) < 2147483648"
            f" then cast({number} as integer) end as {name}"
        )
    elif field.kind == "decimal":
        columns.append(f"try_cast({raw} as double) as {name}_value")
        columns.append(f"try_cast({raw} as decimal(18, 2)) as {name}")
    elif field.kind == "boolean":
        columns.append(f"try_cast({raw} as boolean) as {name}")
    elif field.kind == "object":
        columns.append(
            f"case when json_valid({raw}) and json_type({raw}) = 'OBJECT' then {raw} end as {name}"
        )
    return columns


def _extract_sql(spec: SourceFields) -> str:
    paths = [path for field in spec.fields for path in _paths(field, spec)]
    path_list = "[" + ", ".join(f"'{path}'" for path in paths) + "]"
    columns, offset = [], 0
    for field in spec.fields:
        text, offset = _text(field, spec, offset)
        columns += _typed(field, text)
    # DuckDB evaluates CASE branches on whole vectors, so invalid JSON is swapped for a
    # harmless literal before any JSON function sees it.
    return f"""
        with checked as (
            select
                *,
                coalesce(
                    json_type(case when json_valid(raw_record) then raw_record else 'null' end)
                    = 'OBJECT',
                    false
                ) as {IS_RECORD}
            from indexed
        ),
        extracted as (
            select
                *,
                json_extract_string(
                    case when {IS_RECORD} then raw_record else '{{}}' end, {path_list}
                ) as _v
            from checked
        )
        select
            {ROW_INDEX}, partition_date, source_file, source_line, raw_record, read_error,
            {IS_RECORD},
            {", ".join(columns)}
        from extracted
    """
