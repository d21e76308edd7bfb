"""What a dbt build is given besides its command line: its window, in the environment, and
the parse state of the build before it.

A build's window and held-back days reach dbt as environment variables, read by
dbt_project/macros/partition_window.sql only when dbt executes. Passed as `--vars`, any new
window would make dbt parse the whole project again (seconds on every run); this way, with
the parse state kept between builds, dbt re-parses only files that changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from ecom_analytics.orchestration.late_data import DEPENDENT_MODELS
from ecom_analytics.project import dbt_project

PARTIAL_PARSE_FILE = "partial_parse.msgpack"


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


# The names partition_window.sql reads.
WINDOW_START_ENV = "ECOM_DBT_WINDOW_START"
WINDOW_END_ENV = "ECOM_DBT_WINDOW_END"
HELD_BACK_ENV = "ECOM_DBT_HELD_BACK_DATES"
LATER_DAYS_END_ENV = "ECOM_DBT_LATER_DAYS_END"
LATER_DAYS_MODELS_ENV = "ECOM_DBT_LATER_DAYS_MODELS"
INDIRECT_SELECTION_ENV = "DBT_INDIRECT_SELECTION"


def dbt_window_env(
    start: datetime | date,
    end: datetime | date,
    held_back: list[date] | tuple = (),
    later_end: date | None = None,
) -> dict[str, str]:
    """dbt's environment for the half-open window [start, end) and the held-back days.

    With `later_end` (the day after the last built day, after `end`), the models that read
    earlier days (late_data.DEPENDENT_MODELS) are built over [start, later_end) instead, in
    the same build: the later days that read the window are rebuilt with it.

    Dates go as plain `YYYY-MM-DD` (a time window's bounds carry `+00:00`, which dbt's date
    casts must not see). The window is not passed as `--vars`: any change of vars makes dbt
    parse the whole project again, seconds on every run.
    """
    first, last = _as_date(start), _as_date(end)
    if last <= first:
        raise ValueError(f"empty partition window [{first}, {last})")
    if later_end is not None and later_end <= last:
        raise ValueError(f"later days end {later_end} is not after the window's end {last}")
    return {
        # A run may build some models only: late_dependents, or a UI backfill that Dagster
        # splits where a model reads earlier days (late_data.READS_EARLIER_DAYS). A test that
        # reads a model neither built in this run nor upstream of one (dbt's default "eager"
        # would run it) waits for the run that builds that model.
        INDIRECT_SELECTION_ENV: "buildable",
        WINDOW_START_ENV: first.isoformat(),
        WINDOW_END_ENV: last.isoformat(),
        HELD_BACK_ENV: ",".join(_as_date(day).isoformat() for day in held_back),
        LATER_DAYS_END_ENV: later_end.isoformat() if later_end else "",
        LATER_DAYS_MODELS_ENV: ",".join(name for _, name in DEPENDENT_MODELS) if later_end else "",
    }


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """This process's environment with `values` set, restored afterwards.

    DbtCliResource hands dbt a copy of the process environment taken when dbt starts.
    """
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def keep_partial_parse(invocation_target: Path) -> None:
    """Keep a finished build's parse state where the next build starts from.

    dagster-dbt gives each invocation its own target folder, seeded with
    `<project>/target/partial_parse.msgpack` when that exists; writing this build's back lets
    the next one re-parse only what changed. Replaced in one rename, so a build starting
    meanwhile reads a whole file; dbt re-parses in full when the state does not match (another
    warehouse path in the profile, changed project files), so a stale copy costs time only.
    """
    produced = invocation_target / PARTIAL_PARSE_FILE
    if not produced.exists():
        return
    kept = Path(dbt_project.project_dir) / dbt_project.target_path / PARTIAL_PARSE_FILE
    kept.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=kept.parent, delete=False) as scratch:
        shutil.copyfile(produced, scratch.name)
    os.replace(scratch.name, kept)
