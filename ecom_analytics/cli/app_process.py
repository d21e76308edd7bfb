"""Running the dashboard (`python -m app`) from the product's command line.

The dashboard package imports the product (settings, the snapshot's schema), so the product
never imports it: it starts it as a program, with this interpreter and environment, and
passes options as arguments.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import NoReturn

APP_PACKAGE = "app"


def app_command(*arguments: str) -> list[str]:
    """`python -m app <arguments>` with the interpreter running now."""
    return [sys.executable, "-m", APP_PACKAGE, *arguments]


def exec_app(*arguments: str) -> NoReturn:
    """Become `python -m app <arguments>`: this process is replaced (exec), keeping its id,
    environment, working directory, terminal and process group. Signals (Ctrl-C, `kill`, a
    supervisor stopping the group) reach the dashboard itself, and its exit code is ours:
    nothing is left to forward or to orphan."""
    command = app_command(*arguments)
    # exec discards what Python still buffers.
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)


def app_output(*arguments: str) -> str:
    """What `python -m app <arguments>` prints on stdout; its stderr passes through.
    RuntimeError when it fails."""
    done = subprocess.run(app_command(*arguments), check=False, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(app_command(*arguments))} exited with {done.returncode}")
    return done.stdout
