"""Synthetic landing zone: realistic events, product and user change feeds, day by day.

`generate` writes `raw/{events,products,users}/date=YYYY-MM-DD/` files (SPEC §2) for a run of
days. The same arguments always give byte-identical files. Day one carries the full
catalogue and every user known so far; later days carry that day's changes (price changes,
new, discontinued and relisted products, loyalty-tier changes, users who sign up that day).
A share of orders is partly refunded days later, and the first days refund orders placed
before the run starts (see `generator_refunds`).
With `bad_rate`, a known mix of bad records is injected (see `generator_faults`) and
counted in the summary, so validation can be checked against it.

Each run builds its world from `seed` and `start`: to extend a landing zone, regenerate the
whole range rather than appending a second run.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from ecom_analytics.ingestion import jsonl, landing
from ecom_analytics.synthetic import writers
from ecom_analytics.synthetic.catalogue import Catalogue, product_ids
from ecom_analytics.synthetic.events import (
    DAY_MS,
    EVENTS_PER_SESSION_ESTIMATE,
    simulate_day,
)
from ecom_analytics.synthetic.faults import (
    BAD_TIER,
    FAULT_COLUMN,
    FAULTS_BY_KIND,
    add_bad_records,
    apply_event_faults,
    choose_event_faults,
    sample_good_ids,
    split_count,
)
from ecom_analytics.synthetic.pools import WEEKDAY_TRAFFIC, build_pools
from ecom_analytics.synthetic.refunds import RefundBook, with_refunds
from ecom_analytics.synthetic.users import (
    NEW_USER_SEGMENT_SHARES,
    UserPool,
    expected_daily_sessions_per_user,
)
from ecom_analytics.vocabulary import EVENT_TYPES, SOURCES, Reason

FORMATS = writers.FORMATS
EVENTS_PER_FILE = 250_000  # a bigger day is split into several files
NEW_USER_SESSION_SHARE = 0.03  # of a day's sessions are sign-ups
EARLIER_IDS_KEPT = 2_000  # ids of good events a later day may reuse as duplicates
# The generator's own files (and its half-written temporaries); other files are left alone.
_OWN_FILE = re.compile(r"^\.?(events|products|users)-\d{3}\.(jsonl|jsonl\.gz|parquet)(\.tmp)?$")
_PRODUCT_DEFECTS = {
    Reason.missing("product_id"): ("product_id", None),
    Reason.invalid_value("list_price"): (
        "list_price_cents",
        # Negative: a zero list price is valid (SPEC §2.2), so it would be no defect.
        -pl.col("list_price_cents"),
    ),
}
_USER_DEFECTS = {
    Reason.missing("user_id"): ("user_id", None),
    Reason.invalid_value("loyalty_tier"): ("loyalty_tier", BAD_TIER),
}


@dataclass(frozen=True)
class GenerateSummary:
    """What a `generate` call wrote, and the bad records it injected on purpose.

    `injected` counts bad records per reason code over all sources, the way a quarantine
    grouped by reason would count them: a record with two codes (future_timestamp, which is
    also outside its partition) counts under both. `bad_records` counts records per source.
    """

    data_dir: Path
    start: date
    days: int
    fmt: str
    files: tuple[Path, ...]
    events_per_day: dict[date, int]
    products_per_day: dict[date, int]
    users_per_day: dict[date, int]
    injected: dict[str, int] = field(default_factory=dict)
    injected_by_source: dict[str, dict[str, int]] = field(default_factory=dict)
    bad_records: dict[str, int] = field(default_factory=dict)

    @property
    def total_events(self) -> int:
        return sum(self.events_per_day.values())


def daily_targets(start: date, days: int, events_per_day: int) -> list[int]:
    """Events per day following the weekday curve, summing to `days * events_per_day`."""
    weights = np.array([WEEKDAY_TRAFFIC[(start + timedelta(i)).weekday()] for i in range(days)])
    return [int(n) for n in split_count(days * events_per_day, weights)]


@dataclass(frozen=True)
class _Day:
    """One day's records, ready to be written."""

    day: date
    events: pl.DataFrame
    products: pl.DataFrame
    users: pl.DataFrame
    rng: np.random.Generator  # for the text variants of events


class _World:
    """The catalogue and user pool as they evolve, and the ledger of injected faults."""

    def __init__(self, start: date, events_per_day: int, seed: int, fmt: str, bad_rate: float):
        self.start, self.seed, self.fmt, self.bad_rate = start, seed, fmt, bad_rate
        self.start_ms = (start - date(1970, 1, 1)).days * DAY_MS
        self.pools = build_pools(seed)
        rng = np.random.default_rng([seed, start.toordinal(), 0])
        per_user = expected_daily_sessions_per_user()
        n_users = math.ceil(events_per_day / EVENTS_PER_SESSION_ESTIMATE / per_user)
        self.catalogue = Catalogue(rng, self.pools)
        self.users = UserPool(rng, self.pools, n_users, self.start_ms)
        self.earlier_ids = np.empty(0, dtype=object)
        self.refunds = RefundBook(start)
        self._first_users = self.users.ids().head(self.users.size)
        self._first_products = product_ids(pl.Series(np.arange(self.catalogue.size)))
        self.injected: dict[str, Counter[str]] = {source: Counter() for source in SOURCES}
        self.bad_records: Counter[str] = Counter()

    def day(self, i: int, target: int) -> _Day:
        day = self.start + timedelta(i)
        day_ms = self.start_ms + i * DAY_MS
        streams = [
            np.random.default_rng([self.seed, self.start.toordinal(), 1 + i, s]) for s in range(4)
        ]
        changes, faults, presentation, refund_rng = streams
        catalogue, users = self.catalogue, self.users
        existing = users.size
        # The day-one snapshot and the nightly catalogue changes are stamped at midnight, so
        # every event of the day sees them; tier changes happen during the day.
        if i == 0:
            products = np.arange(catalogue.size)
            changed_users = np.arange(existing)
            changed_at = np.full(existing, day_ms)
        else:
            products = catalogue.advance(changes, i)
            changed_users = users.change_tiers(changes, existing)
            changed_at = np.sort(day_ms + changes.integers(0, DAY_MS, changed_users.size))
        product_at = np.full(products.size, day_ms)
        n_new = round(target / EVENTS_PER_SESSION_ESTIMATE * NEW_USER_SESSION_SHARE)
        new_users = users.add(changes, n_new, NEW_USER_SEGMENT_SHARES)
        refunds = pl.concat([self.refunds.take(i), self._pre_start_refunds(refund_rng, i, target)])
        # Refunds count towards the day's volume, so the day still holds `target` events.
        simulated = simulate_day(
            changes, day, max(1, target - refunds.height), users, existing, new_users,
            catalogue.sampler(i), catalogue.price_cents, self.pools,
        )  # fmt: skip
        users.signup_ms[new_users] = simulated.signup_ms
        self.refunds.schedule(refund_rng, i, simulated.frame)
        frame = with_refunds(refund_rng, day, simulated.frame, refunds)
        type_index = (
            frame["event_type"]
            .replace_strict({t: k for k, t in enumerate(EVENT_TYPES)}, return_dtype=pl.Int64)
            .to_numpy()
        )

        events = frame.with_columns(pl.lit(None, pl.String).alias(FAULT_COLUMN))
        product_records = catalogue.records(products, product_at)
        user_index = np.concatenate([changed_users, new_users])
        user_at = np.concatenate([changed_at, simulated.signup_ms])
        order = np.argsort(user_at, kind="stable")
        user_records = users.records(user_index[order], user_at[order])
        if self.bad_rate > 0:
            chosen = choose_event_faults(faults, type_index, self.bad_rate, self.fmt)
            events = apply_event_faults(faults, frame, chosen, self.earlier_ids)
            self.earlier_ids = sample_good_ids(faults, events, EARLIER_IDS_KEPT)
            for kind, rows in chosen.items():
                self.bad_records["events"] += rows.size
                for code in FAULTS_BY_KIND[kind].codes:
                    self.injected["events"][code] += rows.size
            product_records = self._add_bad(faults, "products", product_records, _PRODUCT_DEFECTS)
            user_records = self._add_bad(faults, "users", user_records, _USER_DEFECTS)
        return _Day(day, events, product_records, user_records, presentation)

    def _pre_start_refunds(self, rng: np.random.Generator, i: int, target: int) -> pl.DataFrame:
        first_prices = self.catalogue.price_cents[: self._first_products.len()]
        return self.refunds.pre_start(
            rng, i, target, self._first_users, self._first_products, first_prices
        )

    def _add_bad(self, rng, source: str, frame: pl.DataFrame, defects) -> pl.DataFrame:
        frame, added = add_bad_records(rng, frame, self.bad_rate, defects)
        self.injected[source].update(added)
        self.bad_records[source] += sum(added.values())
        return frame


def generate(
    data_dir: Path,
    start: date,
    days: int,
    events_per_day: int,
    *,
    seed: int = 0,
    bad_rate: float = 0.0,
    fmt: str = "jsonl",
    events_per_file: int = EVENTS_PER_FILE,
) -> GenerateSummary:
    """Write `days` days of landing files from `start`; see the module docstring."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    if days < 1 or events_per_day < 1 or events_per_file < 1:
        raise ValueError("days, events_per_day and events_per_file must be at least 1")
    if not 0.0 <= bad_rate <= 0.5:
        raise ValueError("bad_rate must be between 0 and 0.5")
    data_dir = Path(data_dir)
    world = _World(start, events_per_day, seed, fmt, bad_rate)
    files: list[Path] = []
    counts: dict[str, dict[date, int]] = {source: {} for source in SOURCES}
    # Writing day i overlaps with simulating day i + 1; at most two days are held at once.
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: Future[list[Path]] | None = None
        for i, target in enumerate(daily_targets(start, days, events_per_day)):
            day = world.day(i, target)
            for source, frame in (
                ("events", day.events),
                ("products", day.products),
                ("users", day.users),
            ):
                counts[source][day.day] = frame.height
            if pending is not None:
                files += pending.result()
            pending = writer.submit(_write_day, day, data_dir, fmt, events_per_file)
        if pending is not None:
            files += pending.result()

    total: Counter[str] = Counter()
    for source_counts in world.injected.values():
        total.update(source_counts)
    return GenerateSummary(
        data_dir=data_dir,
        start=start,
        days=days,
        fmt=fmt,
        files=tuple(files),
        events_per_day=counts["events"],
        products_per_day=counts["products"],
        users_per_day=counts["users"],
        injected=dict(sorted(total.items())),
        injected_by_source={s: dict(sorted(c.items())) for s, c in world.injected.items()},
        bad_records={s: world.bad_records[s] for s in SOURCES},
    )


def _write_day(day: _Day, data_dir: Path, fmt: str, events_per_file: int) -> list[Path]:
    folders = {s: landing.day_dir(s, day.day, landing.root_of(data_dir)) for s in SOURCES}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
        # Files of an earlier run (say, with more files per day) would otherwise linger.
        for path in folder.iterdir():
            if _OWN_FILE.match(path.name):
                path.unlink()
    n_files = max(1, math.ceil(day.events.height / events_per_file))
    bounds = np.linspace(0, day.events.height, n_files + 1).astype(int)
    paths = [folders["events"] / f"events-{k:03d}.{fmt}" for k in range(n_files)]
    if fmt == "parquet":
        table = writers.event_table(day.events)
        for path, lo, hi in zip(paths, bounds[:-1], bounds[1:], strict=True):
            writers.write_table(table[lo:hi], path)
        paths.append(folders["products"] / "products-000.parquet")
        writers.write_table(writers.product_table(day.products), paths[-1])
        paths.append(folders["users"] / "users-000.parquet")
        writers.write_table(writers.user_table(day.users), paths[-1])
    else:
        lines = writers.event_lines(day.rng, day.events)
        for path, lo, hi in zip(paths, bounds[:-1], bounds[1:], strict=True):
            jsonl.write_file(lines[lo:hi], path)
        paths.append(folders["products"] / f"products-000.{fmt}")
        jsonl.write_file(writers.product_lines(day.products), paths[-1])
        paths.append(folders["users"] / f"users-000.{fmt}")
        jsonl.write_file(writers.user_lines(day.users), paths[-1])
    return paths
