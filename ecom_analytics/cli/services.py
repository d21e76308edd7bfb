"""The local services `ecom-analytics demo` serves: the Dagster UI with its daemon, and the
dashboard. Each runs in its own process group, so stopping it stops everything it started
(the webserver, the daemon, code servers and run workers)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ecom_analytics import settings

LOCALHOST = "127.0.0.1"
WORKSPACE_FILE = settings.PROJECT_ROOT / "workspace.yaml"


class ServiceError(RuntimeError):
    """A service could not start, or stopped on its own."""


@dataclass
class Service:
    name: str
    url: str
    process: subprocess.Popen

    @property
    def running(self) -> bool:
        return self.process.poll() is None


def dagster_dev_command(port: int, host: str = LOCALHOST) -> list[str]:
    """`dagster dev` over the project's workspace: the UI on host:port, plus the daemon."""
    return [
        sys.executable,
        *("-m", "dagster", "dev"),
        *("-w", str(WORKSPACE_FILE)),
        *("-h", host, "-p", str(port)),
    ]


def dashboard_command(port: int, host: str = LOCALHOST) -> list[str]:
    return [
        sys.executable,
        *("-m", "ecom_analytics.cli", "dashboard"),
        *("--host", host, "--port", str(port)),
    ]


def port_is_free(port: int, host: str = LOCALHOST) -> bool:
    """Whether a server could listen on host:port now (as servers do, connections of a
    server just stopped, still closing, do not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = LOCALHOST) -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def start(
    name: str,
    command: list[str],
    url: str,
    env: Mapping[str, str] | None = None,
    output: IO | int | None = None,
) -> Service:
    """Start `command` from the project folder in a new process group."""
    process = subprocess.Popen(
        command,
        cwd=settings.PROJECT_ROOT,
        env=dict(env if env is not None else os.environ),
        stdout=output,
        stderr=subprocess.STDOUT if output is not None else None,
        start_new_session=True,
    )
    return Service(name, url, process)


def wait_until_up(service: Service, path: str = "/", timeout: float = 120.0) -> None:
    """Wait until `service.url + path` answers HTTP 200; raise ServiceError otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not service.running:
            raise ServiceError(f"{service.name} exited with code {service.process.returncode}")
        try:
            with urllib.request.urlopen(service.url + path, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise ServiceError(f"{service.name} did not answer at {service.url} within {timeout:.0f} s")


def stop(service: Service, timeout: float = 30.0) -> None:
    """Stop the service's whole process group: Ctrl-C first, then SIGTERM, then SIGKILL.

    Once the leader has exited, whatever is left of its group (a run worker it did not wait
    for) is killed too.
    """
    for sig, grace in ((signal.SIGINT, timeout), (signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        if not service.running:
            break
        _signal_group(service, sig)
        try:
            service.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
    _signal_group(service, signal.SIGKILL)


def _signal_group(service: Service, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(service.process.pid, sig)


def service_log(path: Path) -> IO:
    """A log file for a service's output (appended to, so restarts keep history)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("ab")
