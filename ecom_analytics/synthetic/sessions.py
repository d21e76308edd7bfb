"""Sessions for one day: who visits, when, on what device, and how far down the funnel.

A session is a landing page view, then (sometimes) a sign-up or login, a shuffled mix of
page views, searches and product views, and for some sessions add-to-carts, a removal,
a checkout and a purchase of the remaining cart items as one multi-line order. All of it
is drawn as arrays; `generator_events` lays the sessions out as timed events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ecom_analytics.synthetic.pools import (
    CATEGORY_WEIGHTS,
    COUNTRY_UTC_OFFSETS,
    WEEKDAY_HOURS,
    WEEKEND_HOURS,
)
from ecom_analytics.synthetic.users import BROWSER, UserPool
from ecom_analytics.vocabulary import DEVICES

# Per segment (browser, buyer, loyal): bounce, then each funnel step given the previous one.
BOUNCE = np.array([0.45, 0.30, 0.20])
VIEW = np.array([0.80, 0.85, 0.90])
CART = np.array([0.07, 0.18, 0.22])
CHECKOUT = np.array([0.30, 0.45, 0.50])
PURCHASE = np.array([0.45, 0.65, 0.72])
# Session channel mix per segment, CHANNELS order: loyal users come direct and by e-mail.
SEGMENT_CHANNELS = np.array(
    [
        [0.15, 0.30, 0.22, 0.03, 0.20, 0.10],
        [0.25, 0.25, 0.18, 0.10, 0.12, 0.10],
        [0.40, 0.15, 0.08, 0.25, 0.05, 0.07],
    ]
)
DEVICE_CART_FACTOR = np.array([1.2, 0.85, 1.0])  # DEVICES order
LOGIN_SHARE = 0.30
REMOVE_SHARE = 0.25  # of carts with two or more items
ABANDON_BY_REMOVAL_SHARE = 0.10  # of single-item carts
PRIMARY_DEVICE_SHARE = 0.80
WEEKEND_EXTRA_MOBILE_SHARE = 0.10
APP_SHARE_OF_MOBILE = 0.50
NO_SESSION_ID_SHARE = 0.20  # sessions from a tracker that sends no session_id
MISSING_DEVICE_SHARE = 0.01
MISSING_CHANNEL_SHARE = 0.03
MISSING_COUNTRY_SHARE = 0.01
MEAN_BROWSE_EVENTS = 1.2
MEAN_PRODUCT_VIEWS = 2.5
MEAN_CART_ITEMS = 1.6
SIGNUP, LOGIN = 1, 2  # values of `auth`


@dataclass
class Sessions:
    """One row per session; -1 marks an absent device, channel or app version."""

    user: np.ndarray
    is_new: np.ndarray
    segment: np.ndarray
    country: np.ndarray  # the user's country, always known (the event field may be absent)
    device: np.ndarray
    channel: np.ndarray
    has_country: np.ndarray
    has_session_id: np.ndarray
    app_version: np.ndarray
    category: np.ndarray
    auth: np.ndarray  # 0 none, SIGNUP or LOGIN
    browse: np.ndarray
    views: np.ndarray
    cart: np.ndarray
    remove: np.ndarray
    checkout: np.ndarray
    purchase: np.ndarray  # purchased lines

    @property
    def events(self) -> np.ndarray:
        return (
            1
            + (self.auth > 0)
            + self.browse
            + self.views
            + self.cart
            + self.remove
            + self.checkout
            + self.purchase
        )


def _geometric(rng: np.random.Generator, mean_extra: float, n: int) -> np.ndarray:
    """0, 1, 2, ... with the given mean."""
    return rng.geometric(1.0 / (1.0 + mean_extra), n) - 1


def _pick(rng: np.random.Generator, cdf_rows: np.ndarray) -> np.ndarray:
    """One category per row from that row's cumulative shares."""
    picked = (rng.random(cdf_rows.shape[0])[:, None] > cdf_rows).sum(axis=1)
    return np.minimum(picked, cdf_rows.shape[1] - 1)  # a cdf may end a hair below 1.0


def draw_sessions(
    rng: np.random.Generator,
    users: UserPool,
    existing: int,
    new_users: np.ndarray,
    n_sessions: int,
    is_weekend: bool,
    app_versions: int,
) -> Sessions:
    """`n_sessions` sessions: one sign-up session per new user first, then returning users."""
    weights = users.activity[:existing]
    returning = rng.choice(existing, max(n_sessions - new_users.size, 0), p=weights / weights.sum())
    user = np.concatenate([new_users, returning])
    n = user.size
    is_new = np.arange(n) < new_users.size
    segment = users.segment[user]

    device = np.where(
        rng.random(n) < PRIMARY_DEVICE_SHARE,
        users.device[user],
        rng.integers(0, len(DEVICES), n),
    )
    if is_weekend:
        device[rng.random(n) < WEEKEND_EXTRA_MOBILE_SHARE] = DEVICES.index("mobile")
    is_app = (device == DEVICES.index("mobile")) & (rng.random(n) < APP_SHARE_OF_MOBILE)
    channel = np.where(
        is_new, users.acquisition[user], _pick(rng, np.cumsum(SEGMENT_CHANNELS, axis=1)[segment])
    )
    # Carts fill more readily on a big screen; the factor uses the device actually used.
    cart_factor = DEVICE_CART_FACTOR[device]
    device[rng.random(n) < MISSING_DEVICE_SHARE] = -1
    channel[rng.random(n) < MISSING_CHANNEL_SHARE] = -1

    bounce = ~is_new & (rng.random(n) < BOUNCE[segment])
    auth = np.where(is_new, SIGNUP, np.where(~bounce & (rng.random(n) < LOGIN_SHARE), LOGIN, 0))
    browse = np.where(bounce, 0, _geometric(rng, MEAN_BROWSE_EVENTS, n))
    reached_view = ~bounce & (rng.random(n) < VIEW[segment])
    # New users buy like browsers on their first visit.
    funnel_segment = np.where(is_new, BROWSER, segment)
    reached_cart = reached_view & (rng.random(n) < CART[funnel_segment] * cart_factor)
    cart = np.where(reached_cart, 1 + _geometric(rng, MEAN_CART_ITEMS - 1, n), 0)
    views = np.where(
        reached_view, np.maximum(1 + _geometric(rng, MEAN_PRODUCT_VIEWS - 1, n), cart), 0
    )
    remove = reached_cart & np.where(
        cart >= 2, rng.random(n) < REMOVE_SHARE, rng.random(n) < ABANDON_BY_REMOVAL_SHARE
    )
    kept_items = cart - remove
    checkout = (kept_items > 0) & (rng.random(n) < CHECKOUT[funnel_segment])
    purchased = checkout & (rng.random(n) < PURCHASE[funnel_segment])
    return Sessions(
        user=user,
        is_new=is_new,
        segment=segment,
        country=users.country[user],
        device=device,
        channel=channel,
        has_country=rng.random(n) >= MISSING_COUNTRY_SHARE,
        has_session_id=rng.random(n) >= NO_SESSION_ID_SHARE,
        app_version=np.where(is_app, rng.integers(0, app_versions, n), -1),
        category=rng.choice(CATEGORY_WEIGHTS.size, n, p=CATEGORY_WEIGHTS / CATEGORY_WEIGHTS.sum()),
        auth=auth,
        browse=browse,
        views=views,
        cart=cart,
        remove=remove.astype(np.int64),
        checkout=checkout.astype(np.int64),
        purchase=np.where(purchased, kept_items, 0),
    )


def session_starts(rng: np.random.Generator, sessions: Sessions, is_weekend: bool) -> np.ndarray:
    """Start offsets (ms into the UTC day) following each country's local hour-of-day curve."""
    profile = WEEKEND_HOURS if is_weekend else WEEKDAY_HOURS
    cdf = np.cumsum(profile) / profile.sum()
    n = sessions.user.size
    local_hour = np.minimum(np.searchsorted(cdf, rng.random(n), "right"), 23)
    utc_hour = (local_hour - COUNTRY_UTC_OFFSETS[sessions.country]) % 24
    return utc_hour * 3_600_000 + rng.integers(0, 3_600_000, n)


def separate_sessions(
    user: np.ndarray, start: np.ndarray, duration: np.ndarray, min_gap_ms: int
) -> np.ndarray:
    """Shift starts later so a user's sessions are more than `min_gap_ms` apart.

    Within one user, sorted by start, the earliest feasible start is
    s'_k = max(s_k, s'_{k-1} + d_{k-1} + gap); with C_k the running sum of (d + gap) before k,
    s'_k = C_k + max_{i<=k}(s_i - C_i), a running maximum computed for all users at once.
    """
    order = np.argsort((user.astype(np.int64) << 27) + start, kind="stable")  # start < 2**27
    u, s, step = user[order], start[order], duration[order] + min_gap_ms
    first = np.r_[True, u[1:] != u[:-1]]
    group = np.cumsum(first) - 1
    running = np.cumsum(step) - step
    c = running - running[first][group]
    # Offsetting each user's values keeps the running maximum from leaking across users.
    offset = group.astype(np.int64) << 40
    shifted = np.maximum.accumulate(s - c + offset) - offset + c
    result = np.empty_like(start)
    result[order] = shifted
    return result
