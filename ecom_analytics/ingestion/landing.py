"""The landing-zone layout: `<root>/raw/<source>/date=YYYY-MM-DD/<files>` (SPEC §2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ecom_analytics import settings
from ecom_analytics.vocabulary import SOURCES

# Suffixes read from a day folder; anything else (README, .crc, hidden files) is not read,
# and is reported by `unread_paths`.
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


def _is_day_folder(path: Path) -> bool:
    if not (path.is_dir() and path.name.startswith("date=")):
        return False
    try:
        date.fromisoformat(path.name.removeprefix("date="))
    except ValueError:
        return False
    return True


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
            if not _is_day_folder(entry):
                unread.append(entry)
                continue
            if days is not None and date.fromisoformat(entry.name[5:]) not in days:
                continue
            readable = set(day_files(name, date.fromisoformat(entry.name[5:]), base))
            unread += [p for p in sorted(entry.iterdir()) if p not in readable]
    return unread
