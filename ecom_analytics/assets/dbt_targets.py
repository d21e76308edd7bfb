"""The target folders dbt commands leave behind: the newest kept, the older removed.

dagster-dbt gives every dbt command its own folder under the project's target path,
`<step>-<run id[:7]>-<id>` for a step's build and `<id>` for a command outside a step. It
holds what an operator opens to see what a build ran: the compiled and executed SQL,
`run_results.json`, `manifest.json` and `dbt.log`, 5-7 MB a build. Without a limit the folder
grows with every run, so after each command the newest `settings.DBT_INVOCATIONS_KEPT` stay.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ecom_analytics import settings

# dagster-dbt's names: the step's op, the run id's first 7 characters, then 7 of a uuid4.
_INVOCATION_FOLDER = re.compile(r"(?:\w+-[0-9a-f]{7}-)?[0-9a-f]{7}")


def _modified(folder: Path) -> float | None:
    try:
        return folder.stat().st_mtime
    except FileNotFoundError:  # removed meanwhile by another run's pruning
        return None


def prune_invocation_targets(current: Path, keep: int | None = None) -> list[Path]:
    """Remove the invocation folders beside `current` (the command just run) but the newest
    `keep` (default `settings.DBT_INVOCATIONS_KEPT`), `current` always among those kept.
    Other files of the target path (the manifest, the kept parse state) are not touched.
    Returns the folders removed."""
    keep = settings.DBT_INVOCATIONS_KEPT if keep is None else keep
    if not current.parent.is_dir():
        return []
    others = []
    for folder in current.parent.iterdir():
        if folder == current or not _INVOCATION_FOLDER.fullmatch(folder.name):
            continue
        modified = _modified(folder) if folder.is_dir() else None
        if modified is not None:
            others.append((modified, folder))
    others.sort(reverse=True)
    removed = [folder for _, folder in others[max(keep - 1, 0) :]]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed
