"""Callback latency benchmark (SPEC §8: every callback under 300 ms at p95).

Each page callback is called directly, as the server would, with typical filter values: the
default date range (the last 30 days of data) and no device, channel or category filter.
The query cache is cleared before every call, so each timing includes the queries.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from app import data
from app.app import create_app

# Values for the callback parameters that are not filters.
TYPICAL_CHOICES = {
    "metric": {"update_products": "revenue", "update_behaviour": "events"},
    "text": {"update_check_table": ""},
    "status": {"update_check_table": "all"},
    "search": {"read_address": "?device=mobile&channel=email"},
}
FILTER_PARAMETERS = {"devices", "channels", "categories"}


def page_callbacks(app) -> dict[str, Callable]:
    """Every server-side callback that a page registered, as `<page>.<function>`, and the
    shell's (the filters read from the address), as `shell.<function>`."""
    found = {}
    for entry in app.callback_map.values():
        function = getattr(entry.get("callback"), "__wrapped__", None)
        module = getattr(function, "__module__", "")
        if function is not None and module.startswith("app.pages."):
            found[f"{module.removeprefix('app.pages.')}.{function.__name__}"] = function
        elif function is not None and module == "app.url_state":
            found[f"shell.{function.__name__}"] = function
    return dict(sorted(found.items()))


def _typical_arguments(function: Callable, start: str, end: str) -> list:
    arguments = []
    for name in inspect.signature(function).parameters:
        if name == "start":
            arguments.append(start)
        elif name == "end":
            arguments.append(end)
        elif name in FILTER_PARAMETERS:
            arguments.append([])
        elif name in TYPICAL_CHOICES:
            arguments.append(TYPICAL_CHOICES[name][function.__name__])
        else:
            raise ValueError(f"no typical value for {function.__name__}({name})")
    return arguments


def measure_callbacks(snapshot: Path, repeats: int = 20) -> dict:
    """p50 and p95 wall time in ms of every page callback over `snapshot`."""
    app = create_app(snapshot)
    info = data.snapshot_info()
    if info is None:
        raise ValueError(f"{snapshot} holds no data to benchmark")
    start, end = (day.isoformat() for day in info.default_range)
    results = {}
    for name, function in page_callbacks(app).items():
        arguments = _typical_arguments(function, start, end)
        timings = []
        for _ in range(repeats):
            data.clear_cache()
            began = time.perf_counter()
            function(*arguments)
            timings.append((time.perf_counter() - began) * 1000)
        results[name] = {
            "p50_ms": round(float(np.percentile(timings, 50)), 2),
            "p95_ms": round(float(np.percentile(timings, 95)), 2),
            "repeats": repeats,
        }
    return results
