"""One day of events: sessions laid out as timed events, trimmed to the day's volume.

The result is a typed frame in landing order (by time) with deterministic ids; quantities
and prices are those of the catalogue that day, and every timestamp lies inside the day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from ecom_analytics.synthetic.catalogue import ProductSampler, product_ids
from ecom_analytics.synthetic.pools import (
    APP_VERSIONS,
    CATEGORY_WEIGHTS,
    CHECKOUT_URL,
    COUNTRY_CODES,
    LOGIN_URL,
    SIGNUP_URL,
    Pools,
    numbered,
    pick_within,
)
from ecom_analytics.synthetic.sessions import (
    SIGNUP,
    Sessions,
    draw_sessions,
    separate_sessions,
    session_starts,
)
from ecom_analytics.synthetic.users import UserPool
from ecom_analytics.vocabulary import CHANNELS, DEVICES, EVENT_TYPES, SESSION_GAP_MINUTES

DAY_MS = 86_400_000
# Same-user sessions start more than the sessionization gap apart, and events inside a
# session never wait that long, so sessions without a session_id can still be recovered.
MIN_SESSION_GAP_MS = (SESSION_GAP_MINUTES + 1) * 60_000
MAX_EVENT_GAP_MS = 20 * 60_000
MEDIAN_EVENT_GAP_MS = 30_000
SAME_CATEGORY_SHARE = 0.75
SEARCH_SHARE_OF_BROWSING = 0.35
QUANTITY_CDF = np.cumsum([0.80, 0.14, 0.04, 0.02])  # quantities 1..4
EVENTS_PER_SESSION_ESTIMATE = 4.0
PAGE_VIEW = EVENT_TYPES.index("page_view")
SEARCH = EVENT_TYPES.index("search")
PRODUCT_VIEW = EVENT_TYPES.index("product_view")
ADD_TO_CART = EVENT_TYPES.index("add_to_cart")
REMOVE_FROM_CART = EVENT_TYPES.index("remove_from_cart")
BEGIN_CHECKOUT = EVENT_TYPES.index("begin_checkout")
PURCHASE = EVENT_TYPES.index("purchase")
SIGNUP_TYPE = EVENT_TYPES.index("signup")
LOGIN_TYPE = EVENT_TYPES.index("login")
PURCHASE_PHASE = 6


@dataclass(frozen=True)
class DayEvents:
    frame: pl.DataFrame  # typed events in landing order, prices in cents (see `_frame`)
    type_index: np.ndarray  # index into EVENT_TYPES per row
    signup_ms: np.ndarray  # sign-up time of each new user, in the order given


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Owner row and 0-based position for `counts[i]` items of each row i."""
    owner = np.repeat(np.arange(counts.size), counts)
    start = np.cumsum(counts) - counts
    return owner, np.arange(owner.size) - start[owner]


class _Layout:
    """Every event of every drawn session, grouped by session and in funnel order."""

    def __init__(self, rng, s: Sessions, sampler: ProductSampler, prices, pools: Pools):
        self._parts: list[tuple[np.ndarray, ...]] = []
        extra_url = len(pools.urls)  # index of SIGNUP_URL, then LOGIN_URL, CHECKOUT_URL
        n = s.user.size
        landing = rng.choice(3, n, p=[0.4, 0.2, 0.4])  # home, deals, the session's category
        landing_url = np.where(landing == 2, pools.urls_start[s.category], landing)
        self._add(np.arange(n), 0, np.zeros(n, np.int64), PAGE_VIEW, url=landing_url)

        owner, _ = _expand((s.auth > 0).astype(np.int64))
        signup = s.auth[owner] == SIGNUP
        etype = np.where(signup, SIGNUP_TYPE, LOGIN_TYPE)
        self._add(
            owner, 1, np.zeros(owner.size, np.int64), etype, url=extra_url + np.where(signup, 0, 1)
        )

        owner, _ = _expand(s.browse)
        search = rng.random(owner.size) < SEARCH_SHARE_OF_BROWSING
        cat = s.category[owner]
        page = pick_within(rng, cat, pools.urls_start, pools.urls_size)
        query = pick_within(rng, cat, pools.queries_start, pools.queries_size)
        self._add(
            owner, 2, self._shuffled(rng, owner.size), np.where(search, SEARCH, PAGE_VIEW),
            url=np.where(search, -1, page), query=np.where(search, query, -1),
        )  # fmt: skip

        owner, _ = _expand(s.views)
        p = CATEGORY_WEIGHTS / CATEGORY_WEIGHTS.sum()
        other = rng.choice(p.size, owner.size, p=p)
        cat = np.where(rng.random(owner.size) < SAME_CATEGORY_SHARE, s.category[owner], other)
        viewed = sampler.draw(rng, cat)
        self._add(owner, 2, self._shuffled(rng, owner.size), PRODUCT_VIEW, product=viewed)

        # Cart items are the first products viewed; the last one added is the one removed.
        owner, k = _expand(s.cart)
        cart_product = viewed[(np.cumsum(s.views) - s.views)[owner] + k]
        cart_qty = 1 + np.searchsorted(QUANTITY_CDF, rng.random(owner.size))
        self._add(owner, 3, k, ADD_TO_CART, cart_product, cart_qty)
        cart_start = np.cumsum(s.cart) - s.cart
        owner, _ = _expand(s.remove)
        last = cart_start[owner] + s.cart[owner] - 1
        self._add(
            owner,
            4,
            np.zeros(owner.size, np.int64),
            REMOVE_FROM_CART,
            cart_product[last],
            cart_qty[last],
        )
        owner, _ = _expand(s.checkout)
        self._add(
            owner,
            5,
            np.zeros(owner.size, np.int64),
            BEGIN_CHECKOUT,
            url=np.full(owner.size, extra_url + 2),
        )
        owner, k = _expand(s.purchase)
        item = cart_start[owner] + k
        self._add(owner, PURCHASE_PHASE, k, PURCHASE, cart_product[item], cart_qty[item])

        cols = [np.concatenate(c) for c in zip(*self._parts, strict=True)]
        # One integer key (session, phase, rank within phase) sorts far faster than lexsort.
        order = np.argsort(((cols[0] * 8 + cols[1]) << 20) + cols[2], kind="stable")
        self.session, phase, _, self.etype, self.product, self.qty, self.url, self.query = (
            c[order] for c in cols
        )
        self.price = np.where(self.qty > 0, prices[np.maximum(self.product, 0)], 0)

        gap = rng.lognormal(np.log(MEDIAN_EVENT_GAP_MS), 1.0, self.session.size)
        gap = np.minimum(gap, MAX_EVENT_GAP_MS).astype(np.int64)
        first = np.r_[True, self.session[1:] != self.session[:-1]]
        # The lines of one order are written in the same instant.
        later_line = (phase == PURCHASE_PHASE) & np.r_[False, phase[:-1] == PURCHASE_PHASE]
        gap[first | later_line] = 0
        head = np.flatnonzero(first)[np.cumsum(first) - 1]
        running = np.cumsum(gap)
        self.offset = running - running[head]
        self.position = np.arange(self.session.size) - head
        last_event = np.r_[first[1:], True]
        self.duration = np.zeros(n, np.int64)
        self.duration[self.session[last_event]] = self.offset[last_event]

    @staticmethod
    def _shuffled(rng: np.random.Generator, size: int) -> np.ndarray:
        """Random ranks, so browsing events interleave in a random order."""
        return rng.integers(0, 1 << 20, size)

    def _add(self, owner, phase, order, etype, product=None, qty=None, url=None, query=None):
        size = owner.size
        absent = np.full(size, -1)
        self._parts.append(
            (
                owner,
                np.full(size, phase),
                order,
                np.broadcast_to(etype, size),
                absent if product is None else product,
                np.zeros(size, np.int64) if qty is None else qty,
                absent if url is None else url,
                absent if query is None else query,
            )
        )


def simulate_day(
    rng: np.random.Generator,
    day: date,
    target: int,
    users: UserPool,
    existing: int,
    new_users: np.ndarray,
    sampler: ProductSampler,
    prices: np.ndarray,
    pools: Pools,
) -> DayEvents:
    """`target` events for `day`: every new user's sign-up session, then returning users."""
    weekend = day.weekday() >= 5
    n_sessions = int(target / EVENTS_PER_SESSION_ESTIMATE * 1.1) + new_users.size + 8
    while True:
        s = draw_sessions(rng, users, existing, new_users, n_sessions, weekend, len(APP_VERSIONS))
        lay = _Layout(rng, s, sampler, prices, pools)
        start = np.clip(session_starts(rng, s, weekend), 0, DAY_MS - 1 - lay.duration)
        start = separate_sessions(s.user, start, lay.duration, MIN_SESSION_GAP_MS)
        # Sessions end at midnight: one pushed past it by the user's earlier sessions is dropped.
        fits = (start >= 0) & (start + lay.duration < DAY_MS)
        events = np.where(fits, s.events, 0)
        if events.sum() >= target:
            break
        n_sessions = int(n_sessions * 1.3) + 8

    # Sessions count in drawing order (new users first) until the day's volume is reached.
    allowed = np.clip(target - (np.cumsum(events) - events), 0, events)
    keep = lay.position < allowed[lay.session]
    kept_sessions = np.flatnonzero(allowed > 0)
    number = np.zeros(s.user.size, np.int64)
    number[kept_sessions[np.argsort(start[kept_sessions], kind="stable")]] = np.arange(
        kept_sessions.size
    )
    session = lay.session[keep]
    ts = start[session] + lay.offset[keep]
    # ts < 2**27 ms, session numbers < 2**24, positions < 2**12: one int64 key.
    order = np.argsort((ts << 36) + (number[session] << 12) + lay.position[keep], kind="stable")
    session, ts = session[order], ts[order]
    etype = lay.etype[keep][order]

    day_start_ms = (day - date(1970, 1, 1)).days * DAY_MS
    signup_ms = day_start_ms + start[: new_users.size]
    is_signup = (etype == SIGNUP_TYPE) & (session < new_users.size)
    signup_ms[session[is_signup]] = day_start_ms + ts[is_signup]

    columns = {
        "ts_ms": day_start_ms + ts,
        "etype": etype,
        "user": s.user[session],
        "session": number[session],
        "has_session_id": s.has_session_id[session],
        "product": lay.product[keep][order],
        "qty": lay.qty[keep][order],
        "price": lay.price[keep][order],
        "device": s.device[session],
        "channel": s.channel[session],
        "country": np.where(s.has_country, s.country, -1)[session],
        "url": lay.url[keep][order],
        "query": lay.query[keep][order],
        "app": s.app_version[session],
    }
    return DayEvents(_frame(day, columns, pools, users.ids()), etype, signup_ms)


def _nullable(index: np.ndarray) -> pl.Series:
    """Negative values become null."""
    series = pl.Series(index, dtype=pl.Int64)
    return pl.select(pl.when(series >= 0).then(series)).to_series()


def _lookup(values: Sequence[str] | pl.Series, index: np.ndarray) -> pl.Series:
    """Strings for pool indices; -1 becomes null."""
    return pl.Series(values, dtype=pl.String).gather(_nullable(index))


def _frame(
    day: date, c: dict[str, np.ndarray], pools: Pools, user_id_pool: pl.Series
) -> pl.DataFrame:
    # Ids and URLs are gathered from small per-day pools rather than formatted per event.
    tag = day.strftime("%Y%m%d")
    priced = c["qty"] > 0
    sessions = int(c["session"].max(initial=-1)) + 1
    session_pool = numbered(f"s-{tag}-", pl.Series(np.arange(sessions)), 7)
    order_pool = numbered(f"o-{tag}-", pl.Series(np.arange(sessions)), 7)
    product_pool = product_ids(pl.Series(np.arange(int(c["product"].max(initial=-1)) + 1)))
    is_purchase = c["etype"] == PURCHASE
    url = np.where(
        c["etype"] == PRODUCT_VIEW,
        len(pools.urls) + 3 + c["product"],  # product pages follow the other URLs
        c["url"],
    )
    urls = (*pools.urls, SIGNUP_URL, LOGIN_URL, CHECKOUT_URL, *("/p/" + product_pool))
    return pl.DataFrame(
        {
            "event_id": numbered(f"e-{tag}-", pl.Series(np.arange(c["ts_ms"].size)), 8),
            "ts_ms": c["ts_ms"],
            "event_type": pl.Series(EVENT_TYPES).gather(c["etype"]),
            "user_id": user_id_pool.gather(c["user"]),
            "session_id": _lookup(session_pool, np.where(c["has_session_id"], c["session"], -1)),
            "product_id": _lookup(product_pool, c["product"]),
            "quantity": _nullable(np.where(priced, c["qty"], -1)).cast(pl.Int32),
            "price_cents": _nullable(np.where(priced, c["price"], -1)),
            "order_id": _lookup(order_pool, np.where(is_purchase, c["session"], -1)),
            "device": _lookup(DEVICES, c["device"]),
            "channel": _lookup(CHANNELS, c["channel"]),
            "country": _lookup(COUNTRY_CODES, c["country"]),
            "page_url": _lookup(urls, url),
            "search_query": _lookup(pools.queries, c["query"]),
            "app_version": _lookup(APP_VERSIONS, c["app"]),
        }
    )
