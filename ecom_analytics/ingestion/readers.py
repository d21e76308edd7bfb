"""Read one source's landing files for one day into the raw table's shape.

Every record read becomes one row, exactly as landed (its JSON text), with its file and line.
A file that cannot be read at all becomes a single row with `read_error = unreadable_file:
<error>`. Nothing is parsed here, not even to see whether a line is JSON: that is validation's
job, so the raw table is a faithful copy of what arrived.
"""

from __future__ import annotations

import gzip
import io
from datetime import date
from pathlib import Path

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

# Record separator byte: JSON text may not contain raw control characters, so splitting
# on it never cuts a valid line; a line that does contain one falls back to a plain split.
_NO_SEPARATOR = "\x1e"


def read_day(source: str, day: date, root: Path | None = None) -> pl.DataFrame:
    """All records of `source` landed for `day`, one row each, in file-name then line order."""
    base = root if root is not None else landing.day_dir(source, day).parent.parent
    frames = [
        _read_file(path, day, path.relative_to(base).as_posix())
        for path in landing.day_files(source, day, root)
    ]
    if not frames:
        return pl.DataFrame(schema=RAW_SCHEMA)
    return pl.concat(frames, how="vertical")


def _read_file(path: Path, day: date, source_file: str) -> pl.DataFrame:
    try:
        records = _read_parquet(path) if path.suffix == ".parquet" else _read_jsonl(path)
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
        data = gzip.decompress(data)
    lines = _split_lines(data)
    frame = pl.DataFrame({"raw_record": lines}).with_row_index("source_line", offset=1)
    # Blank lines are layout, not records; line numbers still count them.
    frame = frame.filter(pl.col("raw_record").str.strip_chars().str.len_bytes() > 0)
    return frame.with_columns(pl.lit(None, dtype=pl.String).alias("read_error"))


def _split_lines(data: bytes) -> pl.Series:
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            separator=_NO_SEPARATOR,
            quote_char=None,
            new_columns=["raw_record"],
            schema_overrides={"raw_record": pl.String},
            encoding="utf8",
        )
        return frame.to_series().fill_null("")
    except pl.exceptions.PolarsError:
        text = data.decode("utf-8")  # undecodable bytes make the whole file unreadable
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return pl.Series("raw_record", [line.removesuffix("\r") for line in lines], pl.String)


def _read_parquet(path: Path) -> pl.DataFrame:
    frame = pl.read_parquet(path)
    return pl.DataFrame(
        {
            "source_line": pl.int_range(1, frame.height + 1, eager=True, dtype=pl.Int64),
            "raw_record": frame.select(pl.struct(pl.all()).struct.json_encode()).to_series(),
            "read_error": pl.Series([None] * frame.height, dtype=pl.String),
        }
    )
