"""Refunds: a share of orders is partly refunded days after it was placed.

A refunded order returns some units of one of its lines, at the price paid, on a later day
(a few days typically, up to four weeks). The first weeks also carry refunds of orders placed
before the data starts, as a real shop's would: they name orders the warehouse never sees
(SPEC §2.1). Refund events carry no session id, device or channel: the shop's back office
records them, not the visitor's browser.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import polars as pl

from ecom_analytics.synthetic.pools import numbered

DAY_MS = 86_400_000
ORDER_REFUND_SHARE = 0.07
# Days from order to refund: lognormal around a median of five days, one to 28 days.
MEDIAN_DELAY_DAYS = 5.0
DELAY_SIGMA = 0.6
MAX_DELAY_DAYS = 28
# Refunds per event that a day would carry if every refund due on it named an order from
# before the data starts (about the steady rate: orders per event x ORDER_REFUND_SHARE).
# Day i carries the share of refunds that come more than i days after their order.
PRE_START_REFUNDS_PER_EVENT = 0.0006
_PENDING_SCHEMA = {
    "due": pl.Int64,
    "order_id": pl.String,
    "user_id": pl.String,
    "product_id": pl.String,
    "quantity": pl.Int32,
    "price_cents": pl.Int64,
}


def later_than(days: int) -> float:
    """The share of refund delays longer than `days` days (the delays' survival function)."""
    if days >= MAX_DELAY_DAYS:
        return 0.0
    z = (math.log(days + 0.5) - math.log(MEDIAN_DELAY_DAYS)) / DELAY_SIGMA
    return 0.5 * math.erfc(z / math.sqrt(2))


def refund_delays(rng: np.random.Generator, size: int) -> np.ndarray:
    delays = np.rint(rng.lognormal(np.log(MEDIAN_DELAY_DAYS), DELAY_SIGMA, size))
    return np.clip(delays, 1, MAX_DELAY_DAYS).astype(np.int64)


class RefundBook:
    """Refunds drawn from each day's orders, held until the day they fall due."""

    def __init__(self, start: date) -> None:
        self.start = start
        self.pending = pl.DataFrame(schema=_PENDING_SCHEMA)

    def schedule(self, rng: np.random.Generator, day_index: int, events: pl.DataFrame) -> None:
        """Pick the refunded orders among `events`' purchases and when each is refunded."""
        lines = events.filter(pl.col("event_type") == "purchase").select(
            "order_id", "user_id", "product_id", "quantity", "price_cents"
        )
        # One line per order, chosen at random, keeps one draw per order.
        lines = lines.with_columns(pick=pl.Series(rng.random(lines.height)))
        lines = lines.sort("order_id", "pick").unique("order_id", keep="first", maintain_order=True)
        refunded = lines.filter(pl.Series(rng.random(lines.height) < ORDER_REFUND_SHARE))
        units = 1 + (rng.random(refunded.height) * refunded["quantity"].to_numpy()).astype(np.int32)
        self.pending = pl.concat(
            [
                self.pending,
                refunded.select(
                    due=pl.Series(day_index + refund_delays(rng, refunded.height)),
                    order_id="order_id",
                    user_id="user_id",
                    product_id="product_id",
                    quantity=pl.Series(units, dtype=pl.Int32),
                    price_cents="price_cents",
                ),
            ]
        )

    def take(self, day_index: int) -> pl.DataFrame:
        """The refunds due on the day, removed from the book."""
        due = pl.col("due") == day_index
        taken, self.pending = self.pending.filter(due), self.pending.filter(~due)
        return taken

    def pre_start(
        self,
        rng: np.random.Generator,
        day_index: int,
        target: int,
        user_ids: pl.Series,
        product_ids: pl.Series,
        price_cents: np.ndarray,
    ) -> pl.DataFrame:
        """Refunds on the day of orders placed before the first day, by users and of
        products that exist from the first day."""
        n = int(rng.poisson(target * PRE_START_REFUNDS_PER_EVENT * later_than(day_index)))
        # Days before the first day the order was placed: its delay less the days elapsed.
        delays = refund_delays(rng, 4 * n + 16)
        age = (delays[delays > day_index] - day_index)[:n]
        n = age.size
        ordered = [(self.start - timedelta(days=int(a))).strftime("%Y%m%d") for a in age]
        product = rng.integers(0, product_ids.len(), n)
        number = pl.Series(rng.integers(0, 10**7, n))
        return pl.DataFrame(
            {
                "due": pl.Series([day_index] * n, dtype=pl.Int64),
                "order_id": pl.Series([f"o-{d}-" for d in ordered], dtype=pl.String)
                + numbered("", number, 7),
                "user_id": user_ids.gather(rng.integers(0, user_ids.len(), n)),
                "product_id": product_ids.gather(product),
                "quantity": pl.Series(np.ones(n, np.int32)),
                "price_cents": pl.Series(price_cents[product], dtype=pl.Int64),
            },
            schema=_PENDING_SCHEMA,
        )


def with_refunds(
    rng: np.random.Generator, day: date, events: pl.DataFrame, refunds: pl.DataFrame
) -> pl.DataFrame:
    """The day's events with its refunds placed at random times, in landing (time) order."""
    day_start_ms = (day - date(1970, 1, 1)).days * DAY_MS
    tag = day.strftime("%Y%m%d")
    n = refunds.height
    rows = refunds.select(
        event_id=numbered(f"e-{tag}-r", pl.Series(np.arange(n)), 6),
        ts_ms=pl.Series(day_start_ms + np.sort(rng.integers(0, DAY_MS, n))),
        event_type=pl.lit("refund"),
        user_id="user_id",
        product_id="product_id",
        quantity="quantity",
        price_cents="price_cents",
        order_id="order_id",
    )
    combined = pl.concat([events, rows], how="diagonal_relaxed").select(events.columns)
    return combined.cast(events.schema).sort("ts_ms", maintain_order=True)
