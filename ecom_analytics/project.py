"""The one dbt project object, and the guarantee that its manifest exists before definitions load.

`DbtProject.prepare_if_dev()` parses the project only under `dagster dev`; tests, CI and the CLI
call `ensure_manifest()` instead (the dbt assets module does so on import).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from ecom_analytics import settings, vocabulary

dbt_project = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR,
    profiles_dir=settings.DBT_PROJECT_DIR,
)

# Files whose change can change the manifest.
_PROJECT_SOURCES = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests", "seeds")


def dbt_vars() -> dict[str, object]:
    """The vars every dbt command gets: the shared vocabulary, so that dbt never runs with
    stale copies of the Python constants. They never change between runs, so dbt's partial
    parsing holds; a run's window goes in the environment (assets/dbt_env.py)."""
    return {
        "session_gap_minutes": vocabulary.SESSION_GAP_MINUTES,
        "event_types": list(vocabulary.EVENT_TYPES),
        "devices": list(vocabulary.DEVICES),
        "channels": list(vocabulary.CHANNELS),
        "loyalty_tiers": list(vocabulary.LOYALTY_TIERS),
        "sources": list(vocabulary.SOURCES),
    }


def dbt_vars_args() -> list[str]:
    return ["--vars", json.dumps(dbt_vars())]


def dbt_profile_env() -> dict[str, str]:
    """What the dbt profile reads: the engine (`ECOM_WAREHOUSE`, which is the target) and
    that engine's connection settings, resolved as the Python side resolves them. The DuckDB
    path is always there, since dbt parses the project the same way whatever the target."""
    from ecom_analytics import engines

    return {
        settings.WAREHOUSE_ENV: str(settings.warehouse_path()),
        settings.ENGINE_ENV: settings.warehouse_engine(),
        **engines.current().dbt_env(),
    }


def dbt_environment() -> dict[str, str]:
    """The environment dbt runs in: this process's, with the profile's settings resolved."""
    return {**os.environ, **dbt_profile_env()}


def export_dbt_environment() -> None:
    """Make the dbt profile resolve to the warehouse `settings` resolve.

    DbtCliResource hands its subprocess a copy of this process's environment and takes no
    environment of its own, so the profile's variables are set here.
    """
    os.environ.update(dbt_profile_env())


class EcomDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without the two things it does before every `dbt` command
    that this project never uses, about 7 s per dbt step on a 2-core machine:

    - `dbt --version` in a subprocess, to tell dbt Core from the Fusion engine: the dbt run
      here is the dbt-core installed beside this Python, whose version the package states;
    - a dbt adapter opened in this process (profile, project and macros loaded), which
      dagster-dbt needs only for `fetch_row_counts()` and `fetch_column_metadata()`; the
      row counts are the project's own (assets/dbt_row_counts.py).
    """

    @property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


def dbt_cli_resource() -> DbtCliResource:
    """The `dbt` resource the dbt assets need."""
    return EcomDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())


def _newest_source_mtime(project_dir: Path) -> float:
    newest = 0.0
    for name in _PROJECT_SOURCES:
        path = project_dir / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for file in path.rglob("*"):
                if file.is_file():
                    newest = max(newest, file.stat().st_mtime)
    return newest


def manifest_is_stale(project: DbtProject = dbt_project) -> bool:
    """True when manifest.json is missing or older than any file of the dbt project."""
    manifest = project.manifest_path
    if not manifest.exists():
        return True
    return manifest.stat().st_mtime < _newest_source_mtime(project.project_dir)


def dbt_executable() -> str:
    """The dbt command beside this Python (the venv's), so that dbt runs without an activated
    venv: `ecom-analytics-dbt` (dbt's command line without the interpreter's teardown,
    dbt_command.py), or plain `dbt` where this package's scripts are not installed."""
    for name in ("ecom-analytics-dbt", "dbt"):
        beside_python = Path(sys.executable).with_name(name)
        if beside_python.exists():
            return str(beside_python)
    return shutil.which("dbt") or "dbt"


def ensure_manifest(project: DbtProject = dbt_project, *, force: bool = False) -> Path:
    """Return the path of an up-to-date manifest.json, running `dbt parse` when needed.

    The parse writes into a private folder and the manifest is then moved into place in one
    rename, so that processes starting side by side never read a half-written file.

    `force`: parse even when the manifest is fresh. dbt's kept parse state is tied to the
    warehouse its profile names, and a build on another warehouse path parses the whole
    project again (3-4 s); a forced parse makes the state for this process's warehouse
    before the first build, as a deployment does once (`ecom-analytics dbt-parse --force`).
    """
    if not force and not manifest_is_stale(project):
        return project.manifest_path
    project.manifest_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=project.manifest_path.parent) as scratch:
        subprocess.run(
            [
                dbt_executable(),
                "parse",
                "--quiet",
                *dbt_vars_args(),
                "--project-dir",
                str(project.project_dir),
                "--profiles-dir",
                str(settings.DBT_PROJECT_DIR),
                "--target-path",
                scratch,
                "--log-path",
                scratch,
            ],
            check=True,
            env=dbt_environment(),
            cwd=project.project_dir,
        )
        os.replace(Path(scratch) / "manifest.json", project.manifest_path)
        # The first build starts from this parse instead of parsing the project again.
        parse_state = Path(scratch) / "partial_parse.msgpack"
        if parse_state.exists():
            os.replace(parse_state, project.manifest_path.with_name(parse_state.name))
    return project.manifest_path
