"""The pipeline's steps driven directly, without a Dagster run, for the fast any-order test.

What a `materialize` of start..end does, step by step, through the product's own code:
`ingest_window` judges and stages the days (the ingestion asset's work), the staged rows
replace the window's rows in one transaction per table (what the warehouse IO manager
does), dbt runs the models over the window with the window in the environment (the dbt
asset's work, here in-process on a manifest parsed once; inside built history the dependent
models run on over the later built days), and `late_runs.follow_ups` of
`late_data.later_days` decides what later days are ingested again (what `materialize` and
`late_data_sensor` run next).
Orchestration itself (runs, pools, events, the sensor) is exercised by the Dagster-run
tests beside this one; this driver makes many orders affordable in `make test`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
from dbt.cli.main import dbtRunner

from ecom_analytics import engines, settings, tables
from ecom_analytics.assets.dbt_env import dbt_window_env, environment
from ecom_analytics.ingestion.window import ingest_window
from ecom_analytics.orchestration.io_manager import create_table_sql
from ecom_analytics.orchestration.jobs import PIPELINE_JOB
from ecom_analytics.orchestration.late_data import later_days
from ecom_analytics.orchestration.late_runs import follow_ups
from ecom_analytics.project import dbt_profile_env, dbt_project, dbt_vars_args

STORED = (*tables.RAW_TABLES.values(), *tables.VALIDATED_TABLES.values(), tables.QUARANTINE)


class DbtFailed(AssertionError):
    """A dbt command of the driver did not succeed."""


@dataclass
class Dbt:
    """dbt in this process, on one parsed manifest: no start-up or parse per command.

    `target_path` is the driver's own: dbt writes manifest.json there in place, and the
    project's `target/manifest.json` is what definitions load in other processes.
    """

    target_path: Path
    manifest: object = None
    invocations: list[list[str]] = field(default_factory=list)

    def _invoke(self, args: list[str]):
        base = [
            "--project-dir",
            str(dbt_project.project_dir),
            "--profiles-dir",
            str(dbt_project.profiles_dir),
            "--target-path",
            str(self.target_path),
            "--log-path",
            str(self.target_path),
        ]
        with environment(dbt_profile_env()):
            try:
                result = dbtRunner(manifest=self.manifest).invoke(
                    [*args, *base, *dbt_vars_args(), "--quiet"]
                )
            finally:
                # dbt-duckdb keeps its database open in the process between commands; the
                # ingestion opens the same file next, as a separate dbt process would let it.
                _close_dbt_duckdb()
        if not result.success:
            raise DbtFailed(f"dbt {' '.join(args)}: {result.exception or result.result}")
        return result

    def parse(self) -> None:
        self.manifest = self._invoke(["parse"]).result

    def run(
        self,
        first: date,
        last: date,
        select: list[str] | None = None,
        later_last: date | None = None,
    ) -> None:
        """`dbt run` over first..last (inclusive), every model or only `select`; with
        `later_last`, the dependent models on through it, as the dbt asset does."""
        self.invocations.append(select or ["*"])
        args = ["run", *(["--select", *select] if select else [])]
        later_end = later_last + timedelta(days=1) if later_last else None
        with environment(dbt_window_env(first, last + timedelta(days=1), (), later_end)):
            self._invoke(args)

    def test(self, model: str) -> None:
        """The data tests of `model` over all history (the window spans every day)."""
        with environment(dbt_window_env(date(1970, 1, 1), date(2100, 1, 1))):
            self._invoke(["test", "--select", model, "--exclude-resource-type", "unit_test"])


def _close_dbt_duckdb() -> None:
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


@dataclass
class DirectBuild:
    """Runs `materialize start..end` the way the product's steps do, tracking built days."""

    dbt: Dbt
    last_built: date | None = None
    runs: list[tuple[str, date, date]] = field(default_factory=list)

    def materialize(self, start: date, end: date) -> None:
        self._pipeline(start, end)
        plan = later_days(engines.current_warehouse(), start, end, self.last_built)
        for job_name, first, last in follow_ups(plan):
            # A whole pipeline's follow-ups are pipeline runs only (late_runs.follow_ups).
            assert job_name == PIPELINE_JOB, job_name
            self._pipeline(first, last)
        self.last_built = max(end, self.last_built or end)

    def _pipeline(self, first: date, last: date) -> None:
        self.runs.append((PIPELINE_JOB, first, last))
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        staging = settings.data_dir() / ".staging" / f"{first}_{last}"
        try:
            staged = ingest_window(engines.current_warehouse(), days, staging)
            _replace_window(staged, first, last)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        # Inside built history the dependents run on over the later built days (assets/dbt.py).
        later = self.last_built if self.last_built and self.last_built > last else None
        self.dbt.run(first, last, later_last=later)


def _replace_window(staged: dict, first: date, last: date) -> None:
    """Each stored table's rows of first..last replaced by the staged ones, atomically."""
    path = Path(settings.warehouse_path())
    with duckdb.connect(str(path)) as connection:
        for table in STORED:
            connection.execute("begin transaction")
            connection.execute(f"create schema if not exists {table.schema}")
            connection.execute(create_table_sql(table.schema, table.name))
            connection.execute(
                f"delete from {table.qualified} where {tables.PARTITION_COLUMN} between ? and ?",
                [first, last],
            )
            files = [str(file) for file in staged[table.qualified].files]
            if files:
                connection.execute(
                    f"insert into {table.qualified} by name select * from read_parquet(?)",
                    [files],
                )
            connection.execute("commit")
