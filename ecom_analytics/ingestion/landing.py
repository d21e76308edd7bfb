"""The landing-zone layout: `<root>/raw/<source>/date=YYYY-MM-DD/<files>` (SPEC §2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ecom_analytics import settings
from ecom_analytics.vocabulary import SOURCES

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


def unread_paths(root: Path | None = None) -> list[Path]:
    """What lies in the landing zone that the pipeline will never read: files with another
    suffix in a day folder, folders not named `date=YYYY-MM-DD`, files beside the day folders
    and folders of unknown sources. Hidden names (`.DS_Store`, `.crc`) are left out."""
    base = root if root is not None else settings.landing_dir()
    if not base.is_dir():
        return []
    unread = []
    for entry in sorted(base.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.name not in SOURCES or not entry.is_dir():
            unread.append(entry)
            continue
        for folder in sorted(entry.iterdir()):
            if folder.name.startswith("."):
                continue
            if not (folder.is_dir() and _day_of(folder.name) is not None):
                unread.append(folder)
                continue
            read = set(day_files(entry.name, _day_of(folder.name), base))
            unread += [
                path
                for path in sorted(folder.iterdir())
                if not path.name.startswith(".") and path not in read
            ]
    return unread


def _day_of(folder_name: str) -> date | None:
    if not folder_name.startswith("date="):
        return None
    try:
        return date.fromisoformat(folder_name.removeprefix("date="))
    except ValueError:
        return None
