"""The landing-zone layout: `<root>/raw/<source>/date=YYYY-MM-DD/<files>` (SPEC §2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ecom_analytics import settings

# Suffixes read from a day folder; anything else (README, .crc, hidden files) is ignored.
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
PARQUET_SUFFIXES = (".parquet",)
LANDING_SUFFIXES = JSONL_SUFFIXES + PARQUET_SUFFIXES


def day_dir(source: str, day: date, root: Path | None = None) -> Path:
    """The folder holding one source's files for one UTC day."""
    base = root if root is not None else settings.landing_dir()
    return base / source / f"date={day.isoformat()}"


def day_files(source: str, day: date, root: Path | None = None) -> list[Path]:
    """Landing files of one source and day, sorted by name (the tie-break order of SPEC §3)."""
    folder = day_dir(source, day, root)
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".") and path.name.endswith(LANDING_SUFFIXES)
    )


def landed_days(source: str, root: Path | None = None) -> list[date]:
    """Every day that has a folder for `source`, oldest first."""
    base = (root if root is not None else settings.landing_dir()) / source
    if not base.is_dir():
        return []
    days = []
    for folder in base.iterdir():
        if folder.is_dir() and folder.name.startswith("date="):
            try:
                days.append(date.fromisoformat(folder.name.removeprefix("date=")))
            except ValueError:
                continue
    return sorted(days)
