"""Parse raw JSON records into typed candidate columns, in one vectorised DuckDB pass.

For every field the candidate frame has the text as found (`<field>_raw`, for typed fields)
and the typed value (`<field>`), null when the text does not parse. Pandera then decides
which of those are errors (validation/record_rules.py); nothing is judged here.
"""

from __future__ import annotations

import json

import duckdb
import polars as pl

from ecom_analytics import settings
from ecom_analytics.validation.fields import Field, SourceFields

ROW_INDEX = "row_index"
IS_RECORD = "is_record"
# `<field>_is_structured`: the field's value is a JSON object or array (ids must be scalars).
STRUCTURED_SUFFIX = "_is_structured"


def extract(raw: pl.DataFrame, spec: SourceFields) -> pl.DataFrame:
    """Candidate frame for `raw` (the raw table's rows), row for row, in the same order."""
    return extract_indexed(raw.with_row_index(ROW_INDEX), spec)


def extract_indexed(indexed: pl.DataFrame, spec: SourceFields) -> pl.DataFrame:
    """`extract` for raw rows that already carry their `row_index`, which is kept."""
    records = indexed.select(ROW_INDEX, "raw_record", "read_error")
    parsed = run_sql(_extract_sql(spec), records=records)
    # Only the parsed columns cross back; the raw text is reattached without a copy.
    return pl.concat([indexed, parsed.drop(ROW_INDEX)], how="horizontal")


def run_sql(sql: str, **frames: pl.DataFrame) -> pl.DataFrame:
    """Run `sql` over `frames` (visible by name) in a private in-memory DuckDB, rows kept in
    `row_index` order."""
    with duckdb.connect(config=settings.duckdb_config()) as con:
        # Naive timestamps mean UTC (SPEC §2.1).
        con.execute("set TimeZone = 'UTC'")
        for name, frame in frames.items():
            con.register(name, frame.to_arrow())
        return con.sql(sql).pl().sort(ROW_INDEX)


def _struct_type(spec: SourceFields) -> str:
    """json_transform's target: every name a field may arrive under, as text (one parse)."""
    names = {name: "VARCHAR" for field in spec.fields for name in field.names}
    if spec.nested_in:
        names[spec.nested_in] = {n: t for n, t in names.items() if n != spec.nested_in}
    return json.dumps(names)


def _text(field: Field, spec: SourceFields) -> str:
    """SQL for the field's text: first alias found, blank strings counted as absent."""
    if field.kind == "object":
        found = [f"json_extract_string(_record, '$.\"{field.name}\"')"]
    else:
        found = [f'_j."{name}"' for name in field.names]
        if spec.nested_in:
            found += [f'_j."{spec.nested_in}"."{name}"' for name in field.names]
    return f"nullif(trim(coalesce({', '.join(found)})), '')"


def typed_columns(field: Field, text: str, native: str | None = None) -> list[str]:
    """SQL columns of one field from its text (`text`, SQL). `native`: SQL for the value
    already typed by the file (a Parquet column), used instead of parsing the text."""
    name = field.name
    if field.kind == "string":
        columns = [f"{text} as {name}"]
        if field.identifier:
            # json_transform renders an object or array as its JSON text; an id never is one.
            # (json_valid never raises, so it is safe on whole vectors; try() is far slower.)
            columns.append(
                f"coalesce(left({text}, 1) in ('{{', '[') and json_valid({text}), false)"
                f" as {name}{STRUCTURED_SUFFIX}"
            )
        return columns
    raw = f"{name}_raw"
    columns = [f"{text} as {raw}"]
    value = native or raw
    if field.kind == "timestamp":
        cast = f"cast({native} as timestamptz)" if native else f"try_cast({raw} as timestamptz)"
        columns.append(f"{cast} at time zone 'UTC' as {name}")
    elif field.kind == "integer":
        number = f"try_cast({value} as double)"
        columns.append(
            f"case when {number} = floor({number}) and abs({number}) < 2147483648"
            f" then cast({number} as integer) end as {name}"
        )
    elif field.kind == "decimal":
        columns.append(f"try_cast({value} as double) as {name}_value")
        columns.append(f"try_cast({value} as decimal(18, 2)) as {name}")
    elif field.kind == "boolean":
        columns.append(f"try_cast({value} as boolean) as {name}")
    elif field.kind == "object":
        columns.append(
            f"case when json_valid({raw}) and json_type({raw}) = 'OBJECT' then {raw} end as {name}"
        )
    return columns


def _extract_sql(spec: SourceFields) -> str:
    columns = [
        column for field in spec.fields for column in typed_columns(field, _text(field, spec))
    ]
    # DuckDB evaluates CASE branches on whole vectors, so invalid JSON is swapped for an
    # empty object before json_transform sees it.
    return f"""
        with checked as (
            select
                {ROW_INDEX},
                raw_record,
                -- try(): invalid JSON gives null instead of an error, in the same parse. A
                -- line the reader could not decode is no record, whatever its text parses to.
                coalesce(try(json_type(raw_record)) = 'OBJECT', false)
                and read_error is null as {IS_RECORD}
            from records
        ),
        parsed as (
            select
                {ROW_INDEX},
                {IS_RECORD},
                case when {IS_RECORD} then raw_record else '{{}}' end as _record,
                json_transform(_record, '{_struct_type(spec)}') as _j
            from checked
        )
        select {ROW_INDEX}, {IS_RECORD}, {", ".join(columns)}
        from parsed
    """
