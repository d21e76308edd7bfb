"""`ecom-analytics-dbt`: dbt's own command line, ending without the interpreter's teardown.

A dbt process spends most of a second after its command has finished tearing down the
modules and objects it loaded (0.65-0.8 s at the end of a partition build on a 2-core
machine). On DuckDB that teardown is also where the warehouse is closed, and closing is what
folds the write-ahead log into the database file. So this entry point runs dbt's command line
unchanged, closes the DuckDB database itself (the checkpoint, about 0.1 s), runs the exit
handlers (dbt's log files flushed and closed), and leaves at once with dbt's exit status.
On the other warehouses it exits as `dbt` does: their clients (psycopg's sockets, pyspark's
JVM gateway) are left to their own teardown.
"""

from __future__ import annotations

import atexit
import os
import sys


def _exit_code(code: object) -> int:
    """The process status `sys.exit(code)` would give."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _close_duckdb() -> bool:
    """Close dbt-duckdb's database, if this command opened one; True when it did."""
    connections = sys.modules.get("dbt.adapters.duckdb.connections")
    environment = getattr(connections, "DuckDBConnectionManager", None)
    environment = getattr(environment, "_ENV", None)
    if environment is None:
        return False
    # The last connection closed checkpoints the database: nothing is left for the next
    # process that opens the warehouse to replay.
    environment.close()
    return True


def main() -> None:
    from dbt.cli.main import cli

    try:
        cli(prog_name="dbt")
        code = 0
    except SystemExit as stop:
        code = _exit_code(stop.code)
    if not _close_duckdb():
        sys.exit(code)
    # What a normal exit runs before the teardown: the exit handlers (logging's flush and
    # close of dbt's log files, multiprocessing's release of its semaphores).
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
