"""Reading public CSV exports in bounded chunks, keeping every row's original text and line.

Every column is read as text, so ids that look like large integers never become floats. A
row whose field count differs from the header's (cut short, an unbalanced quote, an extra
comma) is not parsed but returned in `Chunk.broken` with its text and the reason, so the
caller can still land it. Blank lines carry no record and are only counted.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

CHUNK_BYTES = 32 * 1024 * 1024
# UTF-8 first; a chunk that is not valid UTF-8 is an older Windows export (the UCI workbook
# saved as CSV is cp1252), and latin-1 decodes any byte so nothing is ever unreadable.
ENCODINGS = ("utf-8", "cp1252", "latin-1")
_QUOTED_FIELD = r'"(?:[^"]|"")*"'
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = "\ufeff"


class SourceError(ValueError):
    """A source that cannot be imported at all: missing, empty or in another layout."""


@dataclass(frozen=True)
class Chunk:
    rows: pl.DataFrame
    """`line_no`, `line` and one text column per header column (empty fields are null)."""
    broken: pl.DataFrame
    """`line_no`, `line`, `import_error`: rows that could not be split into the header's fields."""
    blank_lines: int


def read_header(path: Path) -> tuple[str, ...]:
    """The column names on the first non-blank line of a source file."""
    for block in _blocks(path):
        for line in _decode(block).removeprefix(_BOM).splitlines():
            if line.strip():
                return tuple(name.strip() for name in next(csv.reader([line])))
    raise SourceError(f"{path}: the file is empty (no header line)")


def iter_chunks(path: Path, columns: tuple[str, ...]) -> Iterator[Chunk]:
    """The data rows of a source file, a few hundred thousand at a time, in file order."""
    line_offset = 0
    header_seen = False
    for block in _blocks(path):
        text = _decode(block)
        lines = (text if line_offset else text.removeprefix(_BOM)).split("\n")
        if lines[-1] == "":
            lines.pop()
        frame = pl.DataFrame({"line": lines}, schema={"line": pl.String}).select(
            line_no=pl.int_range(1, pl.len() + 1, dtype=pl.Int64) + line_offset,
            line=pl.col("line").str.strip_suffix("\r"),
        )
        line_offset += len(lines)
        blank = frame["line"].str.strip_chars() == ""
        if not header_seen and (~blank).any():
            header_at = int((~blank).arg_max())
            blank = blank.slice(header_at + 1)
            frame = frame.slice(header_at + 1)
            header_seen = True
        elif not header_seen:
            continue
        yield _split(frame.filter(~blank), columns, blank_lines=int(blank.sum()))


def _split(frame: pl.DataFrame, columns: tuple[str, ...], blank_lines: int) -> Chunk:
    quotes = pl.col("line").str.count_matches('"', literal=True)
    fields = pl.col("line").str.replace_all(_QUOTED_FIELD, "").str.count_matches(",") + 1
    checked = frame.with_columns(
        import_error=pl.when(quotes % 2 == 1)
        .then(pl.lit("unbalanced quote"))
        .when(fields != len(columns))
        .then(pl.format(f"expected {len(columns)} fields, found {{}}", fields))
    )
    good = checked.filter(pl.col("import_error").is_null())
    broken = checked.filter(pl.col("import_error").is_not_null())
    try:
        rows = _parse(good, columns)
    except (pl.exceptions.PolarsError, _Misparsed):
        # A quote inside a field (`7" FRAME`) can fool the count above; this chunk is then
        # split line by line, the slow but exact way.
        return _split_line_by_line(frame, columns, blank_lines)
    return Chunk(rows=rows, broken=broken, blank_lines=blank_lines)


class _Misparsed(Exception):
    pass


def _parse(good: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    if good.is_empty():
        parsed = pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    else:
        body = good["line"].str.join("\n").item().encode()
        parsed = pl.read_csv(
            io.BytesIO(body),
            has_header=False,
            new_columns=list(columns),
            infer_schema=False,
            quote_char='"',
        )
    if parsed.height != good.height:
        raise _Misparsed(f"{parsed.height} rows for {good.height} lines")
    return _with_lines(good, parsed, columns)


def _split_line_by_line(frame: pl.DataFrame, columns: tuple[str, ...], blank_lines: int) -> Chunk:
    split = [next(csv.reader([line])) for line in frame["line"]]
    counts = pl.Series([len(fields) for fields in split])
    fits = counts == len(columns)
    good = frame.filter(fits)
    parsed = pl.DataFrame(
        [fields for fields, ok in zip(split, fits, strict=True) if ok],
        schema=dict.fromkeys(columns, pl.String),
        orient="row",
    )
    error = pl.format(f"expected {len(columns)} fields, found {{}}", pl.lit(counts.filter(~fits)))
    broken = frame.filter(~fits).with_columns(import_error=error)
    return Chunk(rows=_with_lines(good, parsed, columns), broken=broken, blank_lines=blank_lines)


def _with_lines(good: pl.DataFrame, parsed: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    cleaned = [
        pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c).str.strip_chars()).alias(c)
        for c in columns
    ]
    return pl.concat(
        [good.select("line_no", "line"), parsed.with_columns(cleaned)], how="horizontal"
    )


def _blocks(path: Path) -> Iterator[bytes]:
    """The file's bytes in blocks that end on a line boundary (gzip is read transparently)."""
    with path.open("rb") as probe:
        compressed = probe.read(2) == _GZIP_MAGIC
    opener = gzip.open if compressed else open
    with opener(path, "rb") as handle:
        rest = b""
        while data := handle.read(CHUNK_BYTES):
            data = rest + data
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            if cut:
                yield data[:cut]
        if rest:
            yield rest


def _decode(block: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return block.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")
