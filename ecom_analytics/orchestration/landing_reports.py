"""What the landing sensor tells about the landing zone: observations of each day folder
(files, bytes), the files it will never read, and why a tick requested no run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg

from ecom_analytics.ingestion import landing
from ecom_analytics.vocabulary import SOURCES

# How many unread paths a warning names; the count covers them all.
UNREAD_SHOWN = 5


def folder_observations(root: Path, days: list[str]) -> list[dg.AssetObservation]:
    """One observation per source and day of `days` that has a folder: files and bytes the
    pipeline will read from it."""
    observations = []
    for day in days:
        for source in SOURCES:
            folder = landing.day_dir(source, date.fromisoformat(day), root)
            if not folder.is_dir():
                continue
            files = landing.day_files(source, date.fromisoformat(day), root)
            observations.append(
                dg.AssetObservation(
                    asset_key=dg.AssetKey(["landing", source]),
                    partition=day,
                    metadata={
                        "files": len(files),
                        "bytes": sum(path.stat().st_size for path in files),
                        "folder": dg.MetadataValue.path(str(folder)),
                    },
                )
            )
    return observations


def unread_warning(root: Path) -> str | None:
    """One line naming what the pipeline will not read in the landing zone, or None."""
    unread = landing.unread_paths(root=root)
    if not unread:
        return None
    shown = ", ".join(str(path.relative_to(root)) for path in unread[:UNREAD_SHOWN])
    more = f" and {len(unread) - UNREAD_SHOWN} more" if len(unread) > UNREAD_SHOWN else ""
    return (
        f"{len(unread)} path(s) in the landing zone will not be read: {shown}{more} "
        f"(read: <source>/date=YYYY-MM-DD/*{', *'.join(landing.LANDING_SUFFIXES)})"
    )


def skip_reason(
    landed_days: int, up_to_date: list[str], outside: list[str], unread: str | None
) -> str:
    """Why a tick requested no run, in one message."""
    if landed_days == 0:
        reason = "no landing folders yet"
    else:
        reason = f"no new or changed files in the {landed_days} landed day(s)"
    if up_to_date:
        reason += f"; already ingested since their files landed: {', '.join(up_to_date)}"
    if outside:
        reason += f"; days outside the partitions: {', '.join(outside[:UNREAD_SHOWN])}"
    if unread:
        reason += f"; {unread}"
    return reason
