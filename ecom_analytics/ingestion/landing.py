"""The landing-zone layout: `<root>/raw/<source>/date=YYYY-MM-DD/<files>` (SPEC §2)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ecom_analytics import settings
from ecom_analytics.vocabulary import SOURCES

# Suffixes read from a day folder; anything else (README, .crc, hidden files) is not read,
# and is reported by `unread_paths`.
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
PARQUET_SUFFIXES = (".parquet",)
LANDING_SUFFIXES = JSONL_SUFFIXES + PARQUET_SUFFIXES
_DAY_PREFIX = "date="


def root_of(data_dir: Path) -> Path:
    """The landing zone of a data directory (`settings.landing_dir` for the configured one)."""
    return data_dir / settings.landing_dir().name


def day_dir(source: str, day: date, root: Path | None = None) -> Path:
    """The folder holding one source's files for one UTC day."""
    base = root if root is not None else settings.landing_dir()
    return base / source / f"{_DAY_PREFIX}{day.isoformat()}"


def day_of(folder: Path) -> date | None:
    """The day a folder's name stands for, or None when it is not named `date=YYYY-MM-DD`."""
    if not folder.name.startswith(_DAY_PREFIX):
        return None
    try:
        return date.fromisoformat(folder.name.removeprefix(_DAY_PREFIX))
    except ValueError:
        return None


def landed_files(source: str, name: str, root: Path | None = None) -> list[Path]:
    """Every file called `name` in any day folder of `source`, oldest day first."""
    paths = (day_dir(source, day, root) / name for day in landed_days(source, root))
    return [path for path in paths if path.is_file()]


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Write a landing file through a hidden temporary, so it appears whole or not at all."""
    # A sensor may list the folder at any time; readers skip hidden names.
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


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
    days = (day_of(folder) for folder in base.iterdir() if folder.is_dir())
    return sorted(day for day in days if day is not None)


def unread_paths(
    source: str | None = None, days: list[date] | None = None, root: Path | None = None
) -> list[Path]:
    """What lies in the landing zone that the pipeline will not read, so it can be reported
    rather than ignored: files with other suffixes (hidden ones too) in day folders, and
    anything beside the day folders (a folder not named `date=YYYY-MM-DD`, a stray file).
    `source` limits the look to one source; `days` to those days' folders (stray entries
    beside the day folders are always listed). Pure: it only reads the file system.
    """
    base = root if root is not None else settings.landing_dir()
    if not base.is_dir():
        return []
    unread: list[Path] = []
    if source is None:
        unread += [p for p in sorted(base.iterdir()) if p.name not in SOURCES]
    for name in [source] if source else SOURCES:
        folder = base / name
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            day = day_of(entry) if entry.is_dir() else None
            if day is None:
                unread.append(entry)
                continue
            if days is not None and day not in days:
                continue
            readable = set(day_files(name, day, base))
            unread += [p for p in sorted(entry.iterdir()) if p not in readable]
    return unread
