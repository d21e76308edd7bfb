"""JSON lines for the landing zone: values rendered column-wise, files written whole.

The generator and the importers both build their lines from these expressions, so every
landing file escapes text the same way (RFC 8259, by polars' own JSON encoder). A token is
the JSON text of one value; a null token means "leave the member out", so a record only
carries the fields it has. Everything is a polars expression: no Python runs per line.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import BinaryIO

import polars as pl

from ecom_analytics.ingestion import landing

GZIP_LEVEL = 1  # the landing zone favours write speed; files still shrink about 7x
_JSON_INTEGER = r"^-?(0|[1-9][0-9]*)$"
_LOOSE_INTEGER = r"^[+-]?[0-9]+$"
_JSON_NUMBER = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"
_ENCODED_PREFIX = len('{"v":')


def string(expr: pl.Expr) -> pl.Expr:
    """A JSON string with every quote, backslash and control character escaped; null stays null."""
    encoded = (
        pl.struct(expr.cast(pl.String).alias("v"))
        .struct.json_encode()
        .str.slice(_ENCODED_PREFIX)
        .str.strip_suffix("}")
    )
    return pl.when(expr.is_not_null()).then(encoded)


def quoted(expr: pl.Expr) -> pl.Expr:
    """A JSON string for text that needs no escaping: identifiers, codes, slugs, timestamps.

    Half the cost of `string` on the generator's hot path. Only for text the caller makes
    itself from such characters; anything read from outside goes through `string`.
    """
    return pl.concat_str([pl.lit('"'), expr, pl.lit('"')])


def plain(expr: pl.Expr) -> pl.Expr:
    """A value whose text is already valid JSON (integers, booleans)."""
    return expr.cast(pl.String)


def boolean(expr: pl.Expr) -> pl.Expr:
    """`true` or `false`; null stays null."""
    return pl.when(expr).then(pl.lit("true")).when(expr.not_()).then(pl.lit("false"))


def integer_text(raw: pl.Expr) -> pl.Expr:
    """Source text of an integer field: a JSON integer when it is one, else the text itself.

    Text that is no number stays a JSON string, so validation reports `invalid_type:<field>`
    rather than a missing field.
    """
    normalised = raw.cast(pl.Int64, strict=False).cast(pl.String)
    return (
        pl.when(raw.str.contains(_JSON_INTEGER))
        .then(raw)
        .when(raw.str.contains(_LOOSE_INTEGER) & normalised.is_not_null())
        .then(normalised)
        .otherwise(string(raw))
    )


def number_text(raw: pl.Expr) -> pl.Expr:
    """Source text of a decimal field: kept digit for digit when it is a JSON number already."""
    value = raw.cast(pl.Float64, strict=False)
    return (
        pl.when(raw.str.contains(_JSON_NUMBER))
        .then(raw)
        .when(value.is_finite().fill_null(False))
        .then(value.cast(pl.String))
        .otherwise(string(raw))
    )


def member(name: str, token: pl.Expr) -> pl.Expr:
    """`"name":token`, or null when the token is null."""
    return pl.concat_str([pl.lit(f"{json.dumps(name)}:"), token])


def members(fields: list[pl.Expr]) -> pl.Expr:
    """Members joined by commas, those that are null left out (no braces)."""
    return pl.concat_str(fields, separator=",", ignore_nulls=True)


def object_of(fields: dict[str, pl.Expr] | list[pl.Expr]) -> pl.Expr:
    """A JSON object from name -> token (or from ready members); null tokens are left out."""
    if isinstance(fields, dict):
        fields = [member(name, token) for name, token in fields.items()]
    return pl.concat_str([pl.lit("{"), members(fields), pl.lit("}")])


def append_lines(lines: pl.Series, target: BinaryIO | io.BytesIO | Path) -> None:
    """Write the texts one per line, newline-terminated, to an open binary file or a path."""
    # A one-column CSV without header or quoting is exactly the lines. JSON text holds no raw
    # newline, so no line can split.
    lines.to_frame("line").write_csv(target, include_header=False, quote_style="never")


def write_file(lines: pl.Series, path: Path) -> None:
    """A whole JSON-lines file, appearing at once; `.gz` paths are gzip-compressed."""
    if not path.name.endswith(".gz"):
        landing.write_atomically(path, lambda tmp: append_lines(lines, tmp))
        return
    buffer = io.BytesIO()
    append_lines(lines, buffer)
    # mtime=0 and no file name in the header keep the bytes reproducible.
    data = gzip.compress(buffer.getvalue(), compresslevel=GZIP_LEVEL, mtime=0)
    landing.write_atomically(path, lambda tmp: tmp.write_bytes(data))
