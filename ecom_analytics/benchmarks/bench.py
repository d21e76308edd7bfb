"""The performance benchmark of SPEC §8: landing files → checked marts, then the dashboard.

Runs in a private temp workspace (its own data dir, warehouse and Dagster instance), so it
never touches the user's data. Prints one JSON document.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ecom_analytics import settings
from ecom_analytics.benchmarks.memory import TreeMemory
from ecom_analytics.cli.app_process import app_output


@dataclass(frozen=True)
class BenchConfig:
    events: int = 10_000_000
    days: int = 30
    fmt: str = "parquet"
    seed: int = 7
    callback_repeats: int = 20
    workdir: Path | None = None


def _max_rss_mb() -> dict[str, float]:
    # ru_maxrss is in KiB on Linux: the largest this process, or any one child, ever was.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"process": round(own, 1), "largest_child": round(children, 1)}


def run_bench(config: BenchConfig) -> dict[str, object]:
    """The benchmark in `config.workdir`, kept afterwards; without one, in a new temp folder,
    removed at the end (landing files, warehouse and snapshot: gigabytes at 10 M events)."""
    if config.workdir is not None:
        with TreeMemory() as memory:
            return _run_bench(config, config.workdir, memory)
    with tempfile.TemporaryDirectory(prefix="ecom-bench-") as scratch:
        with TreeMemory() as memory:
            result = _run_bench(config, Path(scratch), memory)
        result["workdir"] = None
        return result


def _run_bench(config: BenchConfig, workdir: Path, memory: TreeMemory) -> dict[str, object]:
    data_dir = workdir / "data"
    start = date(2024, 1, 1)
    end = start + timedelta(days=config.days - 1)
    os.environ.update(
        {
            "ECOM_DATA_DIR": str(data_dir),
            settings.WAREHOUSE_ENV: str(data_dir / settings.WAREHOUSE_FILE_NAME),
            "DAGSTER_HOME": str(workdir / "dagster_home"),
            "ECOM_START_DATE": start.isoformat(),
        }
    )
    stages: dict[str, float] = {}
    # Stage name → (start, end) in epoch seconds: what each stage's peak RSS is read over.
    spans: dict[str, tuple[float, float]] = {}

    from ecom_analytics.synthetic.generator import generate

    began = time.time()
    generate(
        data_dir, start, config.days, config.events // config.days, seed=config.seed, fmt=config.fmt
    )
    spans["generate"] = (began, time.time())
    stages["generate_s"] = spans["generate"][1] - began

    from ecom_analytics.benchmarks.floor import run_floor

    # The yardstick first, on the same files: plain DuckDB SQL computing the same marts.
    began = time.time()
    floor = run_floor(data_dir, config.fmt, workdir / "floor.duckdb")
    spans["floor"] = (began, time.time())
    stages["floor_s"] = floor["seconds"]

    import dagster as dg

    from ecom_analytics.orchestration.instance import ensure_dagster_home
    from ecom_analytics.project import ensure_manifest
    from ecom_analytics.runs.materialize import materialize_range

    ensure_dagster_home()
    # This workspace is a new deployment with its own warehouse path, which dbt's kept parse
    # state is tied to: parse for it before timing, as a deployment does once
    # (`ecom-analytics dbt-parse --force`), or the first build would parse the whole project.
    ensure_manifest(force=True)
    from ecom_analytics.definitions import defs

    with dg.DagsterInstance.get() as instance:
        began = time.time()
        report = materialize_range(defs, start, end, instance)
        spans["pipeline"] = (began, time.time())
        stages["landing_to_checked_marts_s"] = report.seconds
        # Where the time went: each step of the run (ingestion, dbt, checks, snapshot).
        for key, (step_start, step_end) in _step_spans(instance, report.run_id).items():
            stages[f"step:{key}_s"] = step_end - step_start
            spans[f"step:{key}"] = (step_start, step_end)
        began = time.time()
        late = _late_day(defs, instance, start, config.days) if report.success else None
        spans["late_day"] = (began, time.time())

    # Each stage's peak, read before the callback benchmark's own process counts.
    peak_rss_mb = {name: memory.peak_mb(*span) for name, span in spans.items()}
    max_rss_mb = _max_rss_mb()
    callbacks = _callback_timings(settings.dashboard_snapshot_path(), config.callback_repeats)
    total = stages["landing_to_checked_marts_s"]
    if late is not None:
        late["ratio_to_full_build"] = round(late["seconds"] / total, 3) if total else None
    return {
        "events": config.events,
        "days": config.days,
        "format": config.fmt,
        "success": report.success,
        "stages_s": {name: round(value, 2) for name, value in stages.items()},
        "events_per_s": round(config.events / total) if total else None,
        "ratio_to_floor": round(total / floor["seconds"], 2) if floor["seconds"] else None,
        "late_day": late,
        # Sampled RSS of the whole process tree (this process, dbt), per stage and step.
        "peak_rss_mb": peak_rss_mb,
        # The kernel's exact maxima, over everything up to the late day included.
        "max_rss_mb": max_rss_mb,
        "callbacks_ms": callbacks,
        "workdir": str(workdir),
    }


def _callback_timings(snapshot: Path, repeats: int) -> dict[str, dict]:
    """p50 and p95 in ms of every dashboard callback over `snapshot`, measured by the
    dashboard's own program (`python -m app bench`), which the product does not import."""
    return json.loads(app_output("bench", "--db", str(snapshot), "--repeats", str(repeats)))


def _late_day(defs, instance, start: date, days: int) -> dict[str, object]:
    """Re-materialize the middle day of the built range, with the later days it makes stale
    (SPEC §8 "late day"), as `ecom-analytics materialize --start D --end D` does."""
    from ecom_analytics.runs.materialize import materialize_range

    day = start + timedelta(days=days // 2)
    began = time.perf_counter()
    report = materialize_range(defs, day, day, instance)
    seconds = time.perf_counter() - began
    return {
        "day": day.isoformat(),
        "success": report.success,
        "seconds": round(seconds, 2),
        "later_days": report.later_days,
        # The same steps as the full build's: which of them a late day pays in full.
        "steps_s": {
            key: round(step_end - step_start, 2)
            for key, (step_start, step_end) in _step_spans(instance, report.run_id).items()
        },
    }


def _step_spans(instance, run_id: str) -> dict[str, tuple[float, float]]:
    """Each finished step of a run → its (start, end) in epoch seconds."""
    return {
        step.step_key: (step.start_time, step.end_time)
        for step in instance.get_run_step_stats(run_id)
        if step.start_time and step.end_time
    }


def run_sizes(config: BenchConfig, sizes: list[int]) -> list[dict[str, object]]:
    """One benchmark per number of events, each in its own process so that each one's
    memory is its own."""
    results = []
    for events in sizes:
        command = [
            sys.executable,
            "-m",
            "ecom_analytics.cli",
            "bench",
            "--events",
            str(events),
            "--days",
            str(config.days),
            "--format",
            config.fmt,
            "--repeats",
            str(config.callback_repeats),
        ]
        done = subprocess.run(command, check=False, capture_output=True, text=True)
        if done.returncode not in (0, 1) or not done.stdout.strip():
            raise RuntimeError(f"bench of {events} events failed:\n{done.stderr[-2000:]}")
        results.append(_last_json(done.stdout, events))
    return results


def _last_json(stdout: str, events: int) -> dict[str, object]:
    """The JSON document a child bench prints last (it opens with a line holding only `{`);
    anything a library printed before it goes to standard error, so the run is not lost."""
    lines = stdout.splitlines(keepends=True)
    starts = [n for n, line in enumerate(lines) if line.rstrip("\n") == "{"]
    if not starts:
        raise RuntimeError(f"bench of {events} events printed no JSON:\n{stdout[-2000:]}")
    before = "".join(lines[: starts[-1]])
    if before.strip():
        print(f"bench of {events} events also printed:\n{before[-2000:]}", file=sys.stderr)
    return json.loads("".join(lines[starts[-1] :]))


def main(config: BenchConfig, sizes: list[int] | None = None) -> int:
    # materialize_range keeps dbt's echoed log off stdout, which stays for the JSON.
    if sizes:
        results = run_sizes(config, sizes)
        print(json.dumps(results, indent=2))
        return 0 if all(result["success"] for result in results) else 1
    result = run_bench(config)
    print(json.dumps(result, indent=2))
    return 0 if result["success"] else 1
