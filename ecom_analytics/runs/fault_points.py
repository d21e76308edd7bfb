"""Named points where the fault-injection tests stop a run to kill it (a test hook).

With `ECOM_FAULT_PAUSE=<point>` and `ECOM_FAULT_MARKER=<file>` set, the first time a run
reaches that point it writes the marker file and sleeps, so a test can `kill -9` it at a
known moment. Without the variables (every normal run) `pause_at` does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_ENV = "ECOM_FAULT_PAUSE"
MARKER_ENV = "ECOM_FAULT_MARKER"

# Inside the ingestion IO manager's transaction: a table's window deleted and re-inserted,
# not yet committed.
INGESTION_BEFORE_COMMIT = "ingestion_before_commit"
# dbt has built its first model of the window and is building the rest.
DBT_MID_BUILD = "dbt_mid_build"
# The dashboard snapshot is written to its temporary file, not yet swapped in.
SNAPSHOT_BEFORE_SWAP = "snapshot_before_swap"
POINTS = (INGESTION_BEFORE_COMMIT, DBT_MID_BUILD, SNAPSHOT_BEFORE_SWAP)

# Long enough for any test to kill the run; short enough never to hang a forgotten one.
PAUSE_SECONDS = 600


def pause_at(point: str) -> None:
    """Sleep at `point` when a test asked for it (once per process)."""
    if os.environ.get(PAUSE_ENV) != point:
        return
    os.environ.pop(PAUSE_ENV)
    Path(os.environ[MARKER_ENV]).write_text(f"{point} {os.getpid()}\n")
    time.sleep(PAUSE_SECONDS)
