"""Importers that turn files in public e-commerce layouts into landing-zone files (SPEC §2.3).

    import_files("online-retail", [Path("by-day")], data_dir)

Each source file lands as `raw/<events|products|users>/date=YYYY-MM-DD/<format>-<stem>.jsonl`.
The mapping choices of each format are documented in docs/data_dictionary.md.
"""

from __future__ import annotations

from pathlib import Path

from ecom_analytics.importers import online_retail, rees46
from ecom_analytics.importers.base import DaySummary, ImportSummary, SourceFormat
from ecom_analytics.importers.csv_source import SourceError
from ecom_analytics.importers.pipeline import run_import

IMPORTERS: dict[str, SourceFormat] = {
    rees46.FORMAT.name: rees46.FORMAT,
    online_retail.FORMAT.name: online_retail.FORMAT,
}
SOURCE_PATTERNS = ("*.csv", "*.csv.gz", "*.CSV")

__all__ = [
    "IMPORTERS",
    "DaySummary",
    "ImportSummary",
    "SourceError",
    "expand_sources",
    "import_files",
]


def import_files(fmt: str, sources: list[Path], data_dir: Path) -> ImportSummary:
    """Land the given source files (or the CSV files directly inside given folders)."""
    if fmt not in IMPORTERS:
        raise SourceError(f"unknown format {fmt!r}; choose one of {', '.join(IMPORTERS)}")
    return run_import(IMPORTERS[fmt], expand_sources(sources), data_dir)


def expand_sources(sources: list[Path]) -> list[Path]:
    """Files as given, folders as their `*.csv` / `*.csv.gz` files in name order."""
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            found = sorted({f for pattern in SOURCE_PATTERNS for f in source.glob(pattern)})
            if not found:
                raise SourceError(f"{source}: no .csv or .csv.gz files in this folder")
            files.extend(found)
        elif source.is_file():
            files.append(source)
        else:
            raise SourceError(f"{source}: no such file or folder")
    if not files:
        raise SourceError("no source files given")
    return files
