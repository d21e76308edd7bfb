"""`ecom-analytics bench` end to end, on a size small enough for the suite.

Three days of 1,000 events: the full build, the floor, the late day (the middle day, with
the one later day it makes stale) and the dashboard's callbacks, in a private temp workdir
that is removed at the end. It checks the report's shape and arithmetic, never its timings.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DAYS = 3
EVENTS = 3_000
STEPS = {
    "ingest_landing_files",
    "dbt_models",
    "daily_metrics_are_within_their_usual_bands",
    "dbt_model_rows_match_schemas",
    "app__dashboard",
}


@pytest.fixture(scope="module")
def temp_root(tmp_path_factory) -> Path:
    """The bench's TMPDIR: where its private workdir is made, and removed."""
    return tmp_path_factory.mktemp("tmp")


@pytest.fixture(scope="module")
def report(temp_root: Path) -> dict:
    command = [sys.executable, "-m", "ecom_analytics.cli", "bench"]
    command += ["--events", str(EVENTS), "--days", str(DAYS), "--repeats", "1"]
    env = {**os.environ, "TMPDIR": str(temp_root)}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_the_private_workdir_is_removed_at_the_end(report, temp_root: Path):
    assert report["workdir"] is None
    assert not [path.name for path in temp_root.iterdir() if path.name.startswith("ecom-bench-")]


def test_the_full_build_reports_every_step_and_its_ratio(report):
    assert report["success"] is True
    assert (report["events"], report["days"], report["format"]) == (EVENTS, DAYS, "parquet")
    stages = report["stages_s"]
    assert {key for key in stages if key.startswith("step:")} == {f"step:{s}_s" for s in STEPS}
    total = stages["landing_to_checked_marts_s"]
    # The steps run one after another inside the run's time.
    assert sum(stages[f"step:{s}_s"] for s in STEPS) <= total + 0.05
    # The report rounds to 0.01 s, a large share of a floor of about 0.1 s: compare within
    # what that rounding allows.
    floor = stages["floor_s"]
    low, high = (total - 0.005) / (floor + 0.005), (total + 0.005) / max(floor - 0.005, 1e-3)
    assert low - 0.01 <= report["ratio_to_floor"] <= high + 0.01
    assert report["events_per_s"] == pytest.approx(EVENTS / total, rel=0.01)


def test_the_late_day_is_the_middle_day_with_its_steps(report):
    late = report["late_day"]
    # Days 2024-01-01..03: the middle one is the 2nd, and it makes the 3rd stale.
    assert late["day"] == "2024-01-02"
    assert late["success"] is True
    assert len(late["later_days"]) == 1
    assert late["later_days"][0].startswith("2024-01-03..2024-01-03: rebuilt")
    # The same steps as the full build, each inside the late day's own time.
    assert set(late["steps_s"]) == STEPS
    assert all(seconds > 0 for seconds in late["steps_s"].values())
    assert sum(late["steps_s"].values()) <= late["seconds"] + 0.05
    total = report["stages_s"]["landing_to_checked_marts_s"]
    assert late["ratio_to_full_build"] == pytest.approx(late["seconds"] / total, abs=0.002)


def test_memory_and_callbacks_are_reported(report):
    peaks = report["peak_rss_mb"]
    # The runs last seconds, sampled every 0.2 s; a stage shorter than that (generating or
    # the floor on 3,000 events) may have no sample, and then no peak (benchmarks/memory.py).
    assert peaks["pipeline"] > 0 and peaks["late_day"] > 0
    assert all(peak is None or peak > 0 for peak in peaks.values())
    assert report["max_rss_mb"]["process"] > 0
    assert report["callbacks_ms"]
    for timing in report["callbacks_ms"].values():
        assert 0 < timing["p50_ms"] <= timing["p95_ms"]
        assert timing["repeats"] == 1
