"""Vectorised JSON rendering: each field becomes a JSON token column, each record one line.

A token that is null means "leave the field out", so records only carry what the source had.
Numbers are written as numbers when the source text is one, and as the source text (a JSON
string) otherwise, so that validation reports `invalid_type:<field>` instead of a missing field.
"""

from __future__ import annotations

import polars as pl

_JSON_INTEGER = r"^-?(0|[1-9][0-9]*)$"
_LOOSE_INTEGER = r"^[+-]?[0-9]+$"
_JSON_NUMBER = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"
_ENCODE_PREFIX = '{"v":'


def string_token(expr: pl.Expr) -> pl.Expr:
    """A JSON string, escaped by polars' own JSON encoder; null stays null."""
    encoded = (
        pl.struct(expr.cast(pl.String).alias("v"))
        .struct.json_encode()
        .str.strip_prefix(_ENCODE_PREFIX)
        .str.strip_suffix("}")
    )
    return pl.when(expr.is_not_null()).then(encoded)


def integer_token(raw: pl.Expr) -> pl.Expr:
    """Source text of an integer field: a JSON integer when it is one, else the text itself."""
    normalised = raw.cast(pl.Int64, strict=False).cast(pl.String)
    return (
        pl.when(raw.str.contains(_JSON_INTEGER))
        .then(raw)
        .when(raw.str.contains(_LOOSE_INTEGER) & normalised.is_not_null())
        .then(normalised)
        .otherwise(string_token(raw))
    )


def number_token(raw: pl.Expr) -> pl.Expr:
    """Source text of a decimal field: kept digit for digit when it is a JSON number already."""
    value = raw.cast(pl.Float64, strict=False)
    return (
        pl.when(raw.str.contains(_JSON_NUMBER))
        .then(raw)
        .when(value.is_finite().fill_null(False))
        .then(value.cast(pl.String))
        .otherwise(string_token(raw))
    )


def plain_token(expr: pl.Expr) -> pl.Expr:
    """A value whose text is already valid JSON (integers, booleans)."""
    return expr.cast(pl.String)


def object_token(fields: dict[str, pl.Expr]) -> pl.Expr:
    """A JSON object from field name -> token; fields whose token is null are left out."""
    members = [pl.concat_str([pl.lit(f'"{name}":'), token]) for name, token in fields.items()]
    body = pl.concat_str(members, separator=",", ignore_nulls=True)
    return pl.concat_str([pl.lit("{"), body, pl.lit("}")])
