"""Known bad records, injected on purpose so that validation can be checked against a ledger.

Event faults replace a generated event; each is built so that, under SPEC §3, it triggers
exactly the reason codes listed for it in `EVENT_FAULTS` and nothing else:

- ``malformed_record``: the JSON line is cut off part-way (text formats only).
- ``missing_required_field:<f>``: field `<f>` is left out. Conditional fields are taken
  from event types that need them (product_id from product events, quantity and unit_price
  from priced events, order_id from purchases); event_type is dropped only from events that
  need no product fields, so no conditional rule can fire as well.
- ``invalid_type:quantity`` / ``invalid_type:unit_price``: a word where a number belongs
  ("two", "N/A"); text formats only, since a typed Parquet column cannot hold it.
- ``invalid_value:<f>``: quantity 0, a negative unit_price, a device or channel outside
  the accepted values.
- ``unknown_event_type``: an event type outside EVENT_TYPES, on an event without product fields.
- ``timestamp_outside_partition``: the timestamp moved one to three days back.
- ``future_timestamp``: the timestamp moved to 2099-01-01, same time of day. This one also
  lies outside the partition, so it triggers both ``future_timestamp`` and
  ``timestamp_outside_partition``: the only fault with two codes.
- ``duplicate_event_id``: a resend of an earlier good event of the same day (a later line,
  same or later file), or an event reusing the id of a good event of an earlier day.
- ``unknown_product``: a product id from a range the catalogue never issues.

Product and user faults are extra records (copies of a real record of that day with one
defect), so the catalogue and user history stay intact: a missing product_id or user_id, a
negative list_price, an unknown loyalty tier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from ecom_analytics.synthetic.catalogue import UNKNOWN_PRODUCT_BASE
from ecom_analytics.vocabulary import (
    EVENT_TYPES,
    PRICED_EVENT_TYPES,
    PRODUCT_EVENT_TYPES,
    Reason,
)

DAY_MS = 86_400_000
FUTURE_DAY_MS = (date(2099, 1, 1) - date(1970, 1, 1)).days * DAY_MS
FAULT_COLUMN = "_fault"  # the kind of fault of a row, null when the row is good
BAD_DEVICES = ("smart_tv", "kiosk", "console")
BAD_CHANNELS = ("affiliate", "push_notification", "sms")
BAD_EVENT_TYPES = ("add_to_wishlist", "page_veiw", "share_product", "video_play")
BAD_TIER = "diamond"


@dataclass(frozen=True)
class EventFault:
    kind: str  # the fault's name: its first reason code
    codes: tuple[str, ...]  # every reason code the bad record triggers
    weight: float  # share of the bad-record mix
    applies_to: tuple[str, ...]  # event types it may replace
    text_only: bool = False  # cannot be written to a typed Parquet file


_PLAIN = tuple(t for t in EVENT_TYPES if t not in PRODUCT_EVENT_TYPES)
_PURCHASE = ("purchase",)


def _fault(code: str, weight: float, applies_to=EVENT_TYPES, text_only=False, also=()):
    return EventFault(code, (code, *also), weight, tuple(applies_to), text_only)


EVENT_FAULTS: tuple[EventFault, ...] = (
    _fault(Reason.MALFORMED_RECORD, 8, text_only=True),
    _fault(Reason.missing("event_id"), 3),
    _fault(Reason.missing("event_timestamp"), 3),
    _fault(Reason.missing("event_type"), 3, _PLAIN),
    _fault(Reason.missing("user_id"), 4),
    _fault(Reason.missing("product_id"), 4, PRODUCT_EVENT_TYPES),
    _fault(Reason.missing("quantity"), 3, PRICED_EVENT_TYPES),
    _fault(Reason.missing("unit_price"), 3, PRICED_EVENT_TYPES),
    _fault(Reason.missing("order_id"), 3, _PURCHASE),
    _fault(Reason.invalid_type("quantity"), 4, PRICED_EVENT_TYPES, text_only=True),
    _fault(Reason.invalid_type("unit_price"), 3, PRICED_EVENT_TYPES, text_only=True),
    _fault(Reason.invalid_value("quantity"), 4, PRICED_EVENT_TYPES),
    _fault(Reason.invalid_value("unit_price"), 4, PRICED_EVENT_TYPES),
    _fault(Reason.invalid_value("device"), 4),
    _fault(Reason.invalid_value("channel"), 3),
    _fault(Reason.UNKNOWN_EVENT_TYPE, 8, _PLAIN),
    _fault(Reason.TIMESTAMP_OUTSIDE_PARTITION, 8),
    _fault(Reason.FUTURE_TIMESTAMP, 5, also=(Reason.TIMESTAMP_OUTSIDE_PARTITION,)),
    _fault(Reason.UNKNOWN_PRODUCT, 8, PRODUCT_EVENT_TYPES),
    _fault(Reason.DUPLICATE_EVENT_ID, 10),  # kept last: it copies rows that stay good
)
FAULTS_BY_KIND = {f.kind: f for f in EVENT_FAULTS}

# Columns of the typed event frame that hold each field a fault can remove.
_FIELD_COLUMNS = {
    "event_id": "event_id",
    "event_timestamp": "ts_ms",
    "event_type": "event_type",
    "user_id": "user_id",
    "product_id": "product_id",
    "quantity": "quantity",
    "unit_price": "price_cents",
    "order_id": "order_id",
}


def faults_for(fmt: str) -> tuple[EventFault, ...]:
    return tuple(f for f in EVENT_FAULTS if fmt != "parquet" or not f.text_only)


def split_count(total: int, weights: np.ndarray) -> np.ndarray:
    """`total` split in proportion to `weights`, largest remainders rounded up."""
    share = total * weights / weights.sum()
    counts = np.floor(share).astype(np.int64)
    counts[np.argsort(-(share - counts), kind="stable")[: total - counts.sum()]] += 1
    return counts


def choose_event_faults(
    rng: np.random.Generator, type_index: np.ndarray, bad_rate: float, fmt: str
) -> dict[str, np.ndarray]:
    """Row positions per fault kind; restricted kinds pick first, duplicates last."""
    faults = faults_for(fmt)
    counts = split_count(round(bad_rate * type_index.size), np.array([f.weight for f in faults]))
    free = np.ones(type_index.size, bool)
    if free.any():
        free[0] = False  # the first row stays good, so every duplicate has an earlier original
    chosen: dict[str, np.ndarray] = {}
    by_scope = sorted(zip(faults, counts, strict=True), key=lambda fc: len(fc[0].applies_to))
    for fault, count in sorted(by_scope, key=lambda fc: fc[0].kind == Reason.DUPLICATE_EVENT_ID):
        allowed = np.isin(type_index, [EVENT_TYPES.index(t) for t in fault.applies_to])
        candidates = np.flatnonzero(free & allowed)
        rows = np.sort(rng.choice(candidates, min(count, candidates.size), replace=False))
        free[rows] = False
        chosen[fault.kind] = rows
    return chosen


def apply_event_faults(
    rng: np.random.Generator,
    frame: pl.DataFrame,
    chosen: dict[str, np.ndarray],
    earlier_ids: np.ndarray,
) -> pl.DataFrame:
    """The frame with the chosen rows made bad, and their kind in FAULT_COLUMN."""
    cols = {name: frame[name].clone() for name in frame.columns}
    kind = pl.Series(FAULT_COLUMN, [None] * frame.height, dtype=pl.String)
    bad = np.zeros(frame.height, bool)
    for fault_kind, rows in chosen.items():
        kind.scatter(rows, fault_kind)
        bad[rows] = True

    def pick(values, rows):
        return [values[i] for i in rng.integers(0, len(values), rows.size)]

    for field, column in _FIELD_COLUMNS.items():
        rows = chosen.get(Reason.missing(field), np.empty(0, int))
        cols[column].scatter(rows, None)
    rows = chosen.get(Reason.invalid_value("quantity"), np.empty(0, int))
    cols["quantity"].scatter(rows, 0)
    rows = chosen.get(Reason.invalid_value("unit_price"), np.empty(0, int))
    cols["price_cents"].scatter(rows, -cols["price_cents"].gather(rows))
    rows = chosen.get(Reason.invalid_value("device"), np.empty(0, int))
    cols["device"].scatter(rows, pick(BAD_DEVICES, rows))
    rows = chosen.get(Reason.invalid_value("channel"), np.empty(0, int))
    cols["channel"].scatter(rows, pick(BAD_CHANNELS, rows))
    rows = chosen.get(Reason.UNKNOWN_EVENT_TYPE, np.empty(0, int))
    cols["event_type"].scatter(rows, pick(BAD_EVENT_TYPES, rows))
    ts = cols["ts_ms"]
    rows = chosen.get(Reason.TIMESTAMP_OUTSIDE_PARTITION, np.empty(0, int))
    ts.scatter(rows, ts.gather(rows) - rng.integers(1, 4, rows.size) * DAY_MS)
    rows = chosen.get(Reason.FUTURE_TIMESTAMP, np.empty(0, int))
    ts.scatter(rows, FUTURE_DAY_MS + ts.gather(rows) % DAY_MS)
    rows = chosen.get(Reason.UNKNOWN_PRODUCT, np.empty(0, int))
    unknown = [f"p{UNKNOWN_PRODUCT_BASE + i:05d}" for i in rng.integers(0, 10_000, rows.size)]
    cols["product_id"].scatter(rows, unknown)
    is_view = (frame["event_type"].gather(rows) == "product_view").to_numpy()
    cols["page_url"].scatter(rows[is_view], [f"/p/{unknown[i]}" for i in np.flatnonzero(is_view)])

    rows = chosen.get(Reason.DUPLICATE_EVENT_ID, np.empty(0, int))
    from_earlier_day = rng.random(rows.size) < (0.5 if earlier_ids.size else 0.0)
    reuse = rows[from_earlier_day]
    cols["event_id"].scatter(reuse, pick(earlier_ids, reuse))
    resend = rows[~from_earlier_day]
    good = np.flatnonzero(~bad)
    # A resend copies a good event from an earlier line: a random one before it.
    originals = good[(rng.random(resend.size) * np.searchsorted(good, resend)).astype(np.int64)]
    for series in cols.values():
        series.scatter(resend, series.gather(originals))
    return pl.DataFrame([*cols.values(), kind])


def sample_good_ids(rng: np.random.Generator, frame: pl.DataFrame, k: int) -> np.ndarray:
    """Up to `k` ids of good events, for later days to reuse as duplicates."""
    ids = frame.filter(pl.col(FAULT_COLUMN).is_null())["event_id"].to_numpy()
    return rng.choice(ids, min(k, ids.size), replace=False) if ids.size else ids


def add_bad_records(
    rng: np.random.Generator,
    frame: pl.DataFrame,
    bad_rate: float,
    defects: dict[str, tuple[str, object]],
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Interleave defective copies of random records; `defects` maps code -> (column, value)."""
    total = min(round(bad_rate * frame.height), frame.height)
    counts = split_count(total, np.ones(len(defects)))
    rows = rng.choice(frame.height, total, replace=False)
    copies, start = [], 0
    for (column, value), count in zip(defects.values(), counts, strict=True):
        part = frame[rows[start : start + count]]
        expr = value if isinstance(value, pl.Expr) else pl.lit(value)
        copies.append(part.with_columns(expr.cast(frame.schema[column]).alias(column)))
        start += count
    key = np.concatenate([np.arange(frame.height, dtype=float), rng.random(total) * frame.height])
    combined = pl.concat([frame, *copies]).with_columns(_key=key).sort("_key").drop("_key")
    return combined, {code: int(c) for code, c in zip(defects, counts, strict=True) if c}
