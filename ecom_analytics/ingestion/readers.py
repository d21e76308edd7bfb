"""Read one source's landing files for one day into the raw table's shape.

Every record read becomes one row, exactly as landed (its JSON text), with its file and line.
A file that cannot be read at all becomes a single row with `read_error = unreadable_file:
<error>`; a line that is not valid UTF-8 keeps its text (bad bytes replaced by U+FFFD) and a
`read_error` saying so, and becomes one malformed record. Nothing is parsed here, not even
to see whether a line is JSON: that is validation's job, so the raw table is a faithful copy
of what arrived.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from ecom_analytics.ingestion import landing
from ecom_analytics.vocabulary import Reason

RAW_SCHEMA = {
    "partition_date": pl.Date,
    "source_file": pl.String,
    "source_line": pl.Int64,
    "raw_record": pl.String,
    "read_error": pl.String,
}

# Record separator byte: JSON text may not contain raw control characters, so splitting on
# it never cuts a valid line; a line that does contain one falls back to a plain split.
_NO_SEPARATOR = "\x1e"
_BOM = b"\xef\xbb\xbf"
_NEWLINE = ord("\n")
_REPLACEMENT = "\ufffd"
_LINES_SCHEMA = {"source_line": pl.Int64, "raw_record": pl.String, "read_error": pl.String}
# `read_error` of a line that is not valid UTF-8: the line is one malformed record.
INVALID_UTF8 = "invalid UTF-8: undecodable bytes replaced by U+FFFD in raw_record"


@dataclass(frozen=True)
class DayRead:
    """One source's records of one day: `raw`, the raw table's rows; `parquet`, the typed rows
    of each readable Parquet file by `source_file`, row for row with its raw rows, so that
    validation can take the values from the columns instead of parsing the JSON text."""

    raw: pl.DataFrame
    parquet: dict[str, pl.DataFrame] = field(default_factory=dict)


def read_day(source: str, day: date, root: Path | None = None) -> pl.DataFrame:
    """All records of `source` landed for `day`, one row each, in file-name then line order."""
    return read_day_typed(source, day, root).raw


def read_day_typed(source: str, day: date, root: Path | None = None) -> DayRead:
    """`read_day`, with the typed rows of the day's Parquet files beside the raw rows."""
    base = root if root is not None else landing.day_dir(source, day).parent.parent
    frames, parquet = [], {}
    for path in landing.day_files(source, day, root):
        source_file = path.relative_to(base).as_posix()
        frames.append(_read_file(path, day, source_file, parquet))
    if not frames:
        return DayRead(pl.DataFrame(schema=RAW_SCHEMA))
    return DayRead(pl.concat(frames, how="vertical"), parquet)


def _read_file(
    path: Path, day: date, source_file: str, parquet: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    try:
        if path.suffix == ".parquet":
            typed = pl.read_parquet(path)
            records = _parquet_records(typed)
            parquet[source_file] = typed
        else:
            records = _read_jsonl(path)
    except Exception as error:  # any failure to open or decode the file at all
        records = pl.DataFrame(
            {
                "source_line": [0],
                "raw_record": [None],
                "read_error": [f"{Reason.UNREADABLE_FILE}: {type(error).__name__}: {error}"],
            },
            schema={"source_line": pl.Int64, "raw_record": pl.String, "read_error": pl.String},
        )
    return records.select(
        pl.lit(day, dtype=pl.Date).alias("partition_date"),
        pl.lit(source_file).alias("source_file"),
        pl.col("source_line").cast(pl.Int64),
        pl.col("raw_record"),
        pl.col("read_error").cast(pl.String),
    )


def _read_jsonl(path: Path) -> pl.DataFrame:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)  # a corrupt stream leaves nothing readable
    return split_lines(data)


def split_lines(data: bytes) -> pl.DataFrame:
    """One row per line of `data`: `source_line` (from 1), `raw_record`, `read_error`.

    A UTF-8 byte-order mark and CRLF line ends are accepted; blank lines are layout, not
    records (their numbers still count). A line that is not valid UTF-8 keeps its text with
    the bad bytes replaced and `read_error` saying so, and the other lines load. Vectorised:
    polars' CSV reader splits the lines (one column, no quoting); no Python loop per line.
    """
    expected = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    lines = None
    for encoding in ("utf8", "utf8-lossy"):
        try:
            lines = _csv_lines(data, encoding)
            break
        except pl.exceptions.PolarsError:
            continue  # undecodable bytes: read again, replacing them
    if lines is None or lines.len() != expected:
        # A line holding the separator byte, or a lone CR the reader took for a line end.
        lines = _text_lines(data)
    frame = pl.DataFrame({"raw_record": lines.fill_null("")}).with_row_index(
        "source_line", offset=1
    )
    read_error = pl.lit(None, dtype=pl.String)
    if frame["raw_record"].str.contains(_REPLACEMENT, literal=True).any():
        replaced = _invalid_utf8_lines(data, frame.height)
        read_error = pl.when(
            pl.col("raw_record").str.count_matches(_REPLACEMENT, literal=True) > replaced
        ).then(pl.lit(INVALID_UTF8))
    frame = frame.with_columns(read_error.alias("read_error"))
    return frame.filter(pl.col("raw_record").str.strip_chars().str.len_bytes() > 0).select(
        pl.col("source_line").cast(pl.Int64), "raw_record", "read_error"
    )


def _csv_lines(data: bytes, encoding: str) -> pl.Series:
    if not data.strip():
        return pl.Series("raw_record", [], dtype=pl.String)
    return pl.read_csv(
        io.BytesIO(data),
        has_header=False,
        separator=_NO_SEPARATOR,
        quote_char=None,
        new_columns=["raw_record"],
        schema_overrides={"raw_record": pl.String},
        encoding=encoding,
    ).to_series()


def _text_lines(data: bytes) -> pl.Series:
    text = data.removeprefix(_BOM).decode("utf-8", errors="replace").removesuffix("\n")
    if not text:
        return pl.Series("raw_record", [], dtype=pl.String)
    return pl.Series("raw_record", [text]).str.split("\n").explode().str.strip_suffix("\r")


def _invalid_utf8_lines(data: bytes, lines: int) -> pl.Series:
    """Per line, how many U+FFFD characters were already in the file as valid UTF-8: more
    than that after decoding means the line held bytes that are not UTF-8."""
    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(raw == _NEWLINE)
    encoded = _REPLACEMENT.encode()
    starts = np.flatnonzero(
        (raw[:-2] == encoded[0]) & (raw[1:-1] == encoded[1]) & (raw[2:] == encoded[2])
    )
    counts = np.bincount(np.searchsorted(newlines, starts), minlength=lines)[:lines]
    return pl.Series(counts, dtype=pl.UInt32)


def _parquet_records(frame: pl.DataFrame) -> pl.DataFrame:
    """A Parquet file's rows as raw records: each row's JSON text, numbered from 1."""
    return pl.DataFrame(
        {
            "source_line": pl.int_range(1, frame.height + 1, eager=True, dtype=pl.Int64),
            "raw_record": frame.select(pl.struct(pl.all()).struct.json_encode()).to_series(),
            "read_error": pl.Series([None] * frame.height, dtype=pl.String),
        }
    )
