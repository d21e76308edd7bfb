"""The benchmark's memory sampler: a stage's peak counts this process and the processes it
starts, and only the samples taken during that stage."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np

from ecom_analytics.benchmarks.memory import TreeMemory

MB = 1024 * 1024


def _hold(seconds: float) -> tuple[float, float]:
    began = time.time()
    time.sleep(seconds)
    return began, time.time()


def test_each_stretch_has_its_own_peak_and_children_count() -> None:
    with TreeMemory(interval=0.05) as memory:
        before = _hold(0.5)
        # 400 MiB written, so every page is resident.
        block = np.ones(400 * MB // 8)
        allocated = _hold(0.5)
        del block
        after = _hold(0.5)
        child_began = time.time()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import time, numpy; b = numpy.ones(300 * 2**20 // 8); time.sleep(1.0)",
            ],
            check=True,
        )
        child = (child_began, time.time())

    baseline = memory.peak_mb(*before)
    assert baseline is not None
    assert memory.peak_mb(*allocated) >= baseline + 350
    assert memory.peak_mb(*after) < baseline + 100
    assert memory.peak_mb(*child) >= baseline + 250


def test_a_stretch_without_samples_has_no_peak() -> None:
    with TreeMemory(interval=0.05) as memory:
        time.sleep(0.2)
    assert memory.peak_mb(0.0, 1.0) is None
