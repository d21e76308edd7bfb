"""Resident memory of the benchmark's process tree, sampled, so each stage has its own peak.

`ru_maxrss` only ever grows within a process, so a benchmark that generates its data and runs
the floor before the pipeline could only report the largest of the three. A sampler thread
reads the RSS of this process and of every process below it (dbt, the dashboard's) a few
times a second; the peak of any stretch of time (a stage, a Dagster step) is then read back
from the samples.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import psutil

_MB = 1024 * 1024


def tree_rss_bytes(process: psutil.Process) -> int:
    """RSS of `process` and all its descendants (a process that ends meanwhile counts 0)."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


@dataclass
class TreeMemory:
    """Samples the process tree's RSS every `interval` seconds while entered."""

    interval: float = 0.2
    samples: list[tuple[float, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> TreeMemory:
        process = psutil.Process()

        def sample() -> None:
            while True:
                self.samples.append((time.time(), tree_rss_bytes(process)))
                if self._stop.wait(self.interval):
                    return

        self._thread = threading.Thread(target=sample, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def peak_mb(self, start: float, end: float) -> float | None:
        """The largest sample taken between `start` and `end` (epoch seconds), in MiB; None
        when no sample fell inside (a stretch shorter than the interval)."""
        inside = [rss for at, rss in self.samples if start <= at <= end]
        return round(max(inside) / _MB, 1) if inside else None
