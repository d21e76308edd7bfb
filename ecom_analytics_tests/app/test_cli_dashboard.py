"""The `dashboard` and `screenshots` subcommands the main CLI mounts."""

from __future__ import annotations

import argparse
import struct
import subprocess

import pytest

import app.__main__
import app.app
from app import data
from ecom_analytics.cli import dashboard
from ecom_analytics.cli.app_process import app_command
from ecom_analytics.cli.dashboard import add_dashboard_parser, add_screenshots_parser


def _in_this_process(*arguments: str) -> int:
    """Stands in for exec_app, which would replace the test process: `python -m app` here."""
    return app.__main__.main(list(arguments))


def _as_a_process(*arguments: str) -> int:
    """Stands in for exec_app: `python -m app` as a child, its output shown as ours."""
    done = subprocess.run(app_command(*arguments), capture_output=True, text=True, check=False)
    print(done.stdout, end="")
    return done.returncode


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecom-analytics")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_dashboard_parser(subparsers)
    add_screenshots_parser(subparsers)
    return parser


def test_dashboard_binds_localhost_on_8050_by_default(monkeypatch):
    served = {}
    monkeypatch.setattr(dashboard, "exec_app", _in_this_process)
    monkeypatch.setattr(app.app, "run", lambda **kwargs: served.update(kwargs))
    args = _parser().parse_args(["dashboard"])
    assert args.handler(args) == 0
    assert served == {"host": "127.0.0.1", "port": 8050, "db_path": None}


def test_dashboard_takes_host_port_and_snapshot(monkeypatch, tmp_path):
    served = {}
    monkeypatch.setattr(dashboard, "exec_app", _in_this_process)
    monkeypatch.setattr(app.app, "run", lambda **kwargs: served.update(kwargs))
    args = _parser().parse_args(
        ["dashboard", "--host", "0.0.0.0", "--port", "9000", "--db", str(tmp_path / "d.duckdb")]
    )
    args.handler(args)
    assert served == {"host": "0.0.0.0", "port": 9000, "db_path": tmp_path / "d.duckdb"}


def test_screenshots_default_to_docs_img():
    args = _parser().parse_args(["screenshots"])
    assert str(args.out) == "docs/img" and args.db is None


@pytest.mark.slow
def test_screenshots_write_a_png_of_every_page(snapshot, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(dashboard, "exec_app", _as_a_process)
    args = _parser().parse_args(
        ["screenshots", "--out", str(tmp_path / "img"), "--db", str(snapshot)]
    )
    assert args.handler(args) == 0
    names = sorted(path.name for path in (tmp_path / "img").iterdir())
    assert names == [
        "behaviour.png",
        "cohorts.png",
        "data-quality.png",
        "engagement.png",
        "funnel.png",
        "overview.png",
        "products.png",
    ]
    header = (tmp_path / "img" / "overview.png").read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert width == 1440 and height > 600
    assert len(capsys.readouterr().out.splitlines()) == 7
    data.configure(None)
