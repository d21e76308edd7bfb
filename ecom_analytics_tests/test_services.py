"""The process handling behind `ecom-analytics demo` and the end-to-end tests."""

import socket
import time
from pathlib import Path

from ecom_analytics.cli import services


def test_port_is_free_only_while_nothing_listens():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind((services.LOCALHOST, 0))
        server.listen()
        port = server.getsockname()[1]
        assert not services.port_is_free(port)
    assert services.port_is_free(port)


def alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie nobody has reaped yet."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_stop_ends_the_whole_group_even_when_ctrl_c_is_ignored(tmp_path):
    pid_file = tmp_path / "child.pid"
    # A service that ignores Ctrl-C and has a child of its own.
    script = f"trap '' INT; sleep 300 & echo $! > {pid_file}; wait"
    service = services.start("stubborn", ["bash", "-c", script], "http://127.0.0.1:9")
    deadline = time.monotonic() + 10
    while not pid_file.exists() or not pid_file.read_text().strip():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    child = int(pid_file.read_text())

    services.stop(service, timeout=1)

    assert service.process.poll() is not None
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child)
