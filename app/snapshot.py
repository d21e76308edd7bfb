"""Read-only access to the published dashboard snapshot (never to the warehouse itself).

The snapshot is replaced as a whole (`os.replace`) after each pipeline run, so a file's
identity (inode, mtime, size) is its version: queries are cached per version, and a new
version gets a new connection.
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd

Version = tuple[str, int, int, int]

_ALIAS = "snapshot"


class NoDataError(Exception):
    """The snapshot is missing or holds no marts yet."""


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    # An in-memory database that attaches the file: `duckdb.connect(path)` shares one
    # database per path within a process, which could still be the replaced file.
    con = duckdb.connect(config={"python_enable_replacements": False})
    con.execute(f"attach ? as {_ALIAS} (read_only)", [str(path)])
    # Every statement is ours, but nothing a query says may reach the file system.
    con.execute("set enable_external_access = false")
    return con


class SnapshotReader:
    """Thread-safe queries against one snapshot path, reconnecting when the file changes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._current: tuple[Version, duckdb.DuckDBPyConnection] | None = None
        # The connection before the current one stays open until the next swap, so a query
        # still running on it in another thread is never cut off.
        self._retired: duckdb.DuckDBPyConnection | None = None

    def version(self) -> Version | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return (str(self.path), stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def query(self, sql: str, params: tuple = (), version: Version | None = None) -> pd.DataFrame:
        cursor = self._cursor(version or self.version())
        try:
            return cursor.execute(sql, list(params)).df()
        finally:
            cursor.close()

    def _cursor(self, version: Version | None) -> duckdb.DuckDBPyConnection:
        if version is None:
            raise NoDataError(f"no snapshot at {self.path}")
        with self._lock:
            if self._current is None or self._current[0] != version:
                con = _connect(self.path)
                if self._retired is not None:
                    self._retired.close()
                self._retired = self._current[1] if self._current else None
                self._current = (version, con)
            cursor = self._current[1].cursor()
        cursor.execute(f"use {_ALIAS}")
        return cursor

    def close(self) -> None:
        with self._lock:
            for con in (self._retired, self._current[1] if self._current else None):
                if con is not None:
                    con.close()
            self._current = self._retired = None
