"""Candidate columns straight from a Parquet file's typed columns, with no JSON text parsed.

A Parquet row's raw copy is its JSON text (ingestion/readers.py), and extract.py would parse
that text back into the candidate columns. When every column the rules read has a type whose
JSON text parses back to the same value (text, timestamps to the millisecond or microsecond,
integers, decimals, finite floats, booleans, a struct of extras), the same candidate columns
are computed from the columns themselves, by the same SQL (extract.typed_columns): equal
results, without the parse. (The rules read a typed field's `<field>_raw` text only for
presence, so a typed value's is an empty text: rendering every value as text cost more than
the rest of the file's candidates.) Any other file (a
column whose type JSON would change, names that differ only in case, a field given twice,
fields nested in `properties`) takes the JSON path, so what is judged never depends on which
path a file took. Text columns with nothing to trim pass through without a copy.
"""

from __future__ import annotations

import polars as pl

from ecom_analytics.validation.extract import (
    IS_RECORD,
    ROW_INDEX,
    STRUCTURED_SUFFIX,
    run_sql,
    typed_columns,
)
from ecom_analytics.validation.fields import Field, SourceFields

_INTEGERS = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)
# Column types whose value is read as is (no text parsed), per field kind.
_NATIVE = {
    "timestamp": lambda dtype: isinstance(dtype, pl.Datetime) and dtype.time_unit in ("ms", "us"),
    "integer": lambda dtype: dtype in _INTEGERS,
    "decimal": lambda dtype: dtype in _INTEGERS or dtype == pl.Float64 or dtype == pl.Decimal,
    "boolean": lambda dtype: dtype == pl.Boolean,
}


def extract_typed(indexed: pl.DataFrame, typed: pl.DataFrame, spec: SourceFields):
    """Candidates for one Parquet file's raw rows (`indexed`: with `row_index`, in row order)
    from the file's typed rows (`typed`, same order), or None when the file must take the
    JSON path."""
    sources = _field_columns(typed, spec)
    if sources is None or indexed.height != typed.height:
        return None
    kept: dict[str, pl.Series] = {}
    in_sql: list[Field] = []
    as_is = _passing_as_is(typed, sources, spec)
    for field in spec.fields:
        column = sources.get(field.name)
        values = typed[column] if column is not None else None
        if field.name in as_is:
            kept.update(_as_is(field, values, typed.height))
        else:
            in_sql.append(field)
    needed = sorted({sources[f.name] for f in in_sql if f.name in sources})
    frame = indexed.select(ROW_INDEX).with_columns(
        pl.Series(column, _sql_input(typed[column])) for column in needed
    )
    columns = [
        sql for field in in_sql for sql in _field_sql(field, sources.get(field.name), typed.schema)
    ]
    parsed = run_sql(
        f"select {', '.join([ROW_INDEX, f'true as {IS_RECORD}', *columns])} from typed_rows",
        typed_rows=frame,
    )
    order = [IS_RECORD] + [
        sql.rsplit(" as ", 1)[1]
        for field in spec.fields
        for sql in typed_columns(field, "cast(null as varchar)")
    ]
    return pl.concat(
        [indexed, parsed.drop(ROW_INDEX).with_columns(**kept).select(order)], how="horizontal"
    )


def _sql_input(values: pl.Series) -> pl.Series:
    if isinstance(values.dtype, pl.Struct):
        return values.struct.json_encode()
    # A Null-typed column carries no value: the field is absent on every row.
    return values.cast(pl.String) if values.dtype == pl.Null else values


def _passing_as_is(typed: pl.DataFrame, sources: dict[str, str], spec: SourceFields) -> set[str]:
    """The text fields whose column is its own candidate: no value that the SQL would change
    (a blank value, or white space at either end, which DuckDB's trim may cut) and, for an
    id, none that could be a JSON object or array. Judged for every column in one pass, so
    polars reads the columns side by side."""
    passing: set[str] = set()
    suspects: dict[str, pl.Expr] = {}
    for field in spec.fields:
        column = sources.get(field.name)
        dtype = typed.schema[column] if column is not None else pl.Null
        if field.kind != "string" or dtype not in (pl.String, pl.Null):
            continue
        if dtype == pl.Null:
            passing.add(field.name)
            continue
        value = pl.col(column)
        # Stripping is cheaper than a regex for white space at either end (the same set).
        stripped = value.str.strip_chars().str.len_bytes() != value.str.len_bytes()
        suspect = stripped | (value == "")
        if field.identifier:
            suspect = suspect | value.str.starts_with("{") | value.str.starts_with("[")
        suspects[field.name] = suspect.any()
    if suspects:
        found = typed.select(**suspects).row(0, named=True)
        passing |= {name for name, suspect in found.items() if not suspect}
    return passing


def _as_is(field: Field, values: pl.Series | None, height: int) -> dict[str, pl.Series]:
    if values is None or values.dtype == pl.Null:
        values = pl.Series(field.name, [None] * height, dtype=pl.String)
    kept = {field.name: values.alias(field.name)}
    if field.identifier:
        name = f"{field.name}{STRUCTURED_SUFFIX}"
        kept[name] = pl.Series(name, [False] * height, dtype=pl.Boolean)
    return kept


def _field_columns(typed: pl.DataFrame, spec: SourceFields) -> dict[str, str] | None:
    """field name → the file's column holding it; None when the file must take the JSON path."""
    names = {name.lower() for field in spec.fields for name in field.names}
    found: dict[str, str] = {}
    for column, dtype in typed.schema.items():
        field = next((f for f in spec.fields if column in f.names), None)
        if field is None:
            if column.lower() in names:
                return None  # a field name in another case: leave matching to the JSON path
            continue
        if field.name in found or not _accepted(field, dtype, typed[column], names):
            return None
        found[field.name] = column
    return found


def _accepted(field: Field, dtype: pl.DataType, values: pl.Series, names: set[str]) -> bool:
    if dtype in (pl.String, pl.Null):
        return field.kind != "object" or dtype == pl.Null
    if field.kind == "object":
        # Extras only: a field nested in them would be read from there when absent above.
        return isinstance(dtype, pl.Struct) and not any(
            inner.name.lower() in names for inner in dtype.fields
        )
    accepted = _NATIVE.get(field.kind)
    if accepted is None or not accepted(dtype):
        return False
    # JSON has no NaN or infinity: such a float would not survive as text.
    return dtype != pl.Float64 or not (values.is_nan() | values.is_infinite()).any()


def _field_sql(field: Field, column: str | None, schema: pl.Schema) -> list[str]:
    if column is None:
        return typed_columns(field, "cast(null as varchar)")
    quoted = f'"{column}"'
    dtype = schema[column]
    if field.kind == "object":
        # The struct arrives as its JSON text; read back as the JSON path reads the field.
        return typed_columns(field, f"nullif(trim(json_extract_string({quoted}, '$')), '')")
    if dtype in (pl.String, pl.Null):
        return typed_columns(field, f"nullif(trim({quoted}), '')")
    return typed_columns(field, f"case when {quoted} is not null then '' end", native=quoted)
