"""`ecom-analytics demo`: synthetic days ending yesterday, materialized through Dagster, then
the Dagster UI and the dashboard, served until Ctrl-C.

Re-running reuses what exists: days whose landing files are there are not generated again,
and days already carried through to the last asset are not materialized again. A day added
later (the demo re-run a day after) is generated as the first day of a new synthetic world:
it lands the whole catalogue and user base again, which validation accepts as that day's
versions of every product and user.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from ecom_analytics import settings
from ecom_analytics.cli import services
from ecom_analytics.cli.common import EXIT_BAD_ARGS, EXIT_FAILED, EXIT_OK, positive_int
from ecom_analytics.ingestion import landing

PROG = "ecom-analytics demo"
DEMO_DAYS = 30
DEMO_EVENTS_PER_DAY = 20_000
DAGSTER_PORT = 3000
DASHBOARD_PORT = settings.DASHBOARD_PORT
STARTUP_TIMEOUT = 180  # seconds for each service to answer
POLL_SECONDS = 0.5


def add_demo_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="generate, materialize and serve a demo: the Dagster UI and the dashboard",
        description=(
            f"Generate {DEMO_DAYS} days of synthetic data ending yesterday (UTC), materialize "
            "them through Dagster (the runs show in the UI), then serve the Dagster UI and the "
            "dashboard on 127.0.0.1 until Ctrl-C. Days already landed are not generated again "
            "and days already materialized are not run again, so a second run starts fast. "
            "Unless ECOM_START_DATE is set, the partitions start on the first demo day."
        ),
    )
    parser.add_argument("--days", type=positive_int, default=DEMO_DAYS, help="days (default 30)")
    parser.add_argument(
        "--events-per-day",
        type=positive_int,
        default=DEMO_EVENTS_PER_DAY,
        help=f"events per day on average (default {DEMO_EVENTS_PER_DAY:,})",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--dagster-port", type=positive_int, default=DAGSTER_PORT)
    parser.add_argument("--dashboard-port", type=positive_int, default=DASHBOARD_PORT)
    parser.add_argument(
        "--no-serve", action="store_true", help="stop once the days are materialized"
    )
    parser.set_defaults(handler=run_demo)


def utc_today() -> date:
    return datetime.now(UTC).date()


def demo_days(days: int, today: date) -> list[date]:
    """`days` days ending yesterday, oldest first."""
    return [today - timedelta(days=days - i) for i in range(days)]


def contiguous_runs(days: list[date]) -> list[list[date]]:
    """Sorted days split where one is missing: [1, 2, 4] -> [[1, 2], [4]]."""
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def run_demo(args: argparse.Namespace) -> int:
    days = demo_days(args.days, utc_today())
    # The partitions are defined when the definitions are imported: the start date is set
    # first, and reaches the processes started below through the environment.
    os.environ.setdefault("ECOM_START_DATE", days[0].isoformat())
    from ecom_analytics.orchestration.partitions import daily_partitions

    first = date.fromisoformat(daily_partitions.get_first_partition_key())
    if first > days[0]:
        return _bad_args(
            f"the partitions start on {first} (ECOM_START_DATE), after the first demo day "
            f"{days[0]}; unset ECOM_START_DATE or set it to {days[0]} or earlier"
        )
    ports = {"Dagster UI": args.dagster_port, "dashboard": args.dashboard_port}
    busy = [
        f"{name} port {port}" for name, port in ports.items() if not services.port_is_free(port)
    ]
    if busy and not args.no_serve:
        return _bad_args(f"already in use on 127.0.0.1: {', '.join(busy)}")
    _pin_paths()

    from ecom_analytics.orchestration.instance import ensure_dagster_home
    from ecom_analytics.project import ensure_manifest

    ensure_dagster_home()
    generate_missing(days, args.events_per_day, args.seed)
    ensure_manifest()
    if not materialize_missing(days):
        print(f"{PROG}: error: materialization failed; see the runs above", file=sys.stderr)
        return EXIT_FAILED
    if args.no_serve:
        return EXIT_OK
    return serve(args.dagster_port, args.dashboard_port)


def _bad_args(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return EXIT_BAD_ARGS


def _pin_paths() -> None:
    """Absolute paths in the environment, so the services (started from the project folder)
    read the same landing zone and warehouse as this process."""
    os.environ["ECOM_DATA_DIR"] = str(settings.data_dir())
    os.environ[settings.WAREHOUSE_ENV] = str(settings.warehouse_path())


def generate_missing(days: list[date], events_per_day: int, seed: int) -> None:
    """Generate the days that have no landing files yet, printing a line as each lands."""
    missing = [day for day in days if not landing.day_files("events", day)]
    if len(missing) < len(days):
        print(f"{len(days) - len(missing)} of {len(days)} days already landed; not regenerated")
    if not missing:
        return
    from ecom_analytics.synthetic.generator import generate

    print(f"generating {_days(len(missing))}, about {events_per_day:,} events a day")
    done = 0
    # The generator builds its world once per call, so each unbroken run of days is one call.
    for run in contiguous_runs(missing):
        work = partial(generate, settings.data_dir(), run[0], len(run), events_per_day, seed=seed)
        done = _with_progress(work, run, done, len(missing))


def _with_progress(work: Callable[[], object], run: list[date], done: int, total: int) -> int:
    """Run `work` in a thread and print a line as each day of `run` has all its files."""
    started = time.monotonic()
    pending = list(run)
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(work)
        while pending:
            finished = future.done()
            if finished and future.exception() is not None:
                break
            while pending and (finished or _landed(pending[0])):
                done += 1
                seconds = time.monotonic() - started
                print(f"[{done}/{total}] generated {pending.pop(0)} ({seconds:.0f} s)", flush=True)
            if finished:
                break
            time.sleep(POLL_SECONDS)
        future.result()  # raises what the generator raised
    return done


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _landed(day: date) -> bool:
    return all(landing.day_files(source, day) for source in ("events", "products", "users"))


def materialize_missing(days: list[date]) -> bool:
    """Materialize the days not yet carried through to the last asset; False if a run failed."""
    import dagster as dg

    from ecom_analytics.definitions import defs
    from ecom_analytics.runs.materialize import materialize_range, materialized_days

    with dg.DagsterInstance.get() as instance:
        done = materialized_days(defs, instance)
        missing = [day for day in days if day.isoformat() not in done]
        if len(missing) < len(days):
            print(f"{len(days) - len(missing)} of {len(days)} days already materialized")
        for run in contiguous_runs(missing):
            print(f"materializing {run[0]}..{run[-1]} in one Dagster run", flush=True)
            report = materialize_range(defs, run[0], run[-1], instance)
            print(report.summary(), file=sys.stdout if report.success else sys.stderr)
            if not report.success:
                return False
    return True


def serve(dagster_port: int, dashboard_port: int) -> int:
    """Serve the Dagster UI (with its daemon) and the dashboard until Ctrl-C."""
    logs = settings.data_dir() / "logs"
    plan = [
        ("Dagster UI", services.dagster_dev_command(dagster_port), dagster_port, "/server_info"),
        ("dashboard", services.dashboard_command(dashboard_port), dashboard_port, "/"),
    ]
    running: list[tuple[services.Service, Path]] = []
    # `kill` (SIGTERM) stops the services as Ctrl-C does, instead of orphaning them.
    previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    # Started in the background, a process inherits SIGINT ignored, and so would the
    # services: with a handler here they start with the default one and stop on SIGINT.
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        for name, command, port, probe in plan:
            log = logs / f"{name.split()[0].lower()}.log"
            with services.service_log(log) as output:
                service = services.start(
                    name, command, f"http://{services.LOCALHOST}:{port}", output=output
                )
            running.append((service, log))
            print(f"starting the {name} (log: {log})", flush=True)
            services.wait_until_up(service, probe, timeout=STARTUP_TIMEOUT)
        for service, _ in running:
            print(f"{service.name + ':':<12} {service.url}")
        print("Press Ctrl-C to stop.", flush=True)
        while True:
            for service, _ in running:
                if not service.running:
                    raise services.ServiceError(
                        f"{service.name} exited with code {service.process.returncode}"
                    )
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nstopping...", flush=True)
        return EXIT_OK
    except services.ServiceError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        for service, log in running:
            if not service.running:
                print(_tail(log), file=sys.stderr)
        return EXIT_FAILED
    finally:
        for service, _ in reversed(running):
            services.stop(service)
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _tail(log: Path, lines: int = 20) -> str:
    text = log.read_text(errors="replace").splitlines()[-lines:] if log.exists() else []
    return "\n".join(f"  | {line}" for line in text)
