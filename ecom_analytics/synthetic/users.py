"""The synthetic user pool: segments, profiles, sign-ups and loyalty-tier changes.

Users are arrays indexed by user number (`u0000001` is index 0). Each belongs to a segment
that sets how often they visit and how readily they buy; a user's record always lands in
the landing zone on or before the day of their first event.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ecom_analytics.synthetic.pools import (
    COUNTRIES,
    COUNTRY_CODES,
    COUNTRY_WEIGHTS,
    EMAIL_DOMAINS,
    Pools,
    ascii_word,
    numbered,
    pick_within,
)
from ecom_analytics.vocabulary import CHANNELS, DEVICES, LOYALTY_TIERS

SEGMENTS = ("browser", "buyer", "loyal")
BROWSER, BUYER, LOYAL = range(3)
INITIAL_SEGMENT_SHARES = np.array([0.55, 0.33, 0.12])
NEW_USER_SEGMENT_SHARES = np.array([0.70, 0.25, 0.05])
# Expected sessions per day for a user of each segment (before a per-user jitter).
SEGMENT_DAILY_SESSIONS = np.array([0.03, 0.10, 0.35])
ACTIVITY_JITTER_SIGMA = 0.5
# Days between sign-up and the first generated day, per segment (loyal users are older).
SEGMENT_TENURE_DAYS = np.array([[1, 900], [30, 1000], [180, 1100]])
SEGMENT_TIER_SHARES = np.array(
    [[0.85, 0.13, 0.02, 0.00], [0.45, 0.38, 0.14, 0.03], [0.10, 0.30, 0.40, 0.20]]
)
ACQUISITION_SHARES = np.array([0.20, 0.28, 0.20, 0.05, 0.17, 0.10])  # CHANNELS order
PRIMARY_DEVICE_SHARES = np.array([0.42, 0.48, 0.10])  # DEVICES order
DAILY_TIER_CHANGE_SHARE = 0.0008
TIER_UPGRADE_SHARE = 0.85
DAY_MS = 86_400_000


def user_ids(index: pl.Expr | pl.Series) -> pl.Expr | pl.Series:
    """Ids from 0-based indices."""
    return numbered("u", index + 1, 7)


def expected_daily_sessions_per_user() -> float:
    jitter_mean = np.exp(ACTIVITY_JITTER_SIGMA**2 / 2)
    return float(INITIAL_SEGMENT_SHARES @ SEGMENT_DAILY_SESSIONS * jitter_mean)


class UserPool:
    def __init__(self, rng: np.random.Generator, pools: Pools, n_initial: int, start_ms: int):
        self.pools = pools
        self.segment = np.empty(0, np.int64)
        self.country = np.empty(0, np.int64)
        self.first_name = np.empty(0, np.int64)
        self.last_name = np.empty(0, np.int64)
        self.city = np.empty(0, np.int64)
        self.domain = np.empty(0, np.int64)
        self.acquisition = np.empty(0, np.int64)
        self.device = np.empty(0, np.int64)
        self.tier = np.empty(0, np.int64)
        self.activity = np.empty(0, np.float64)
        self.signup_ms = np.empty(0, np.int64)
        self._ids = pl.Series(dtype=pl.String)
        index = self.add(rng, n_initial, INITIAL_SEGMENT_SHARES)
        segment = self.segment[index]
        low, high = SEGMENT_TENURE_DAYS[segment].T
        tenure_ms = (rng.uniform(low, high) * DAY_MS).astype(np.int64)
        self.signup_ms[index] = start_ms - tenure_ms
        tier_cdf = np.cumsum(SEGMENT_TIER_SHARES, axis=1)[segment]
        self.tier[index] = (rng.random(n_initial)[:, None] > tier_cdf).sum(axis=1)

    @property
    def size(self) -> int:
        return self.segment.size

    def ids(self) -> pl.Series:
        """Every user's id, by index; kept between days since the pool only grows."""
        known = self._ids.len()
        if known < self.size:
            self._ids = pl.concat([self._ids, user_ids(pl.Series(np.arange(known, self.size)))])
        return self._ids

    def add(self, rng: np.random.Generator, n: int, segment_shares: np.ndarray) -> np.ndarray:
        """Create `n` users (bronze, sign-up time unset) and return their indices."""
        p = self.pools
        segment = rng.choice(len(SEGMENTS), n, p=segment_shares)
        country = rng.choice(len(COUNTRIES), n, p=COUNTRY_WEIGHTS / COUNTRY_WEIGHTS.sum())
        jitter = rng.lognormal(0.0, ACTIVITY_JITTER_SIGMA, n)
        new = {
            "segment": segment,
            "country": country,
            "first_name": pick_within(rng, country, p.names_start, p.names_size),
            "last_name": pick_within(rng, country, p.names_start, p.names_size),
            "city": pick_within(rng, country, p.cities_start, p.cities_size),
            "domain": rng.integers(0, len(EMAIL_DOMAINS), n),
            "acquisition": rng.choice(len(CHANNELS), n, p=ACQUISITION_SHARES),
            "device": rng.choice(len(DEVICES), n, p=PRIMARY_DEVICE_SHARES),
            "tier": np.zeros(n, np.int64),
            "activity": SEGMENT_DAILY_SESSIONS[segment] * jitter,
            "signup_ms": np.full(n, -1, np.int64),
        }
        first = self.size
        for name, values in new.items():
            setattr(self, name, np.concatenate([getattr(self, name), values]))
        return np.arange(first, self.size)

    def change_tiers(self, rng: np.random.Generator, eligible: int) -> np.ndarray:
        """Move a few of the first `eligible` users up (mostly) or down one tier."""
        changed = np.flatnonzero(rng.random(eligible) < DAILY_TIER_CHANGE_SHARE)
        tier = self.tier[changed]
        up = (rng.random(changed.size) < TIER_UPGRADE_SHARE) & (tier < len(LOYALTY_TIERS) - 1)
        down = ~up & (tier > 0)
        self.tier[changed] = tier + up - down
        return changed[up | down]

    def records(self, index: np.ndarray, updated_at_ms: np.ndarray) -> pl.DataFrame:
        """User records (landing layout) for the given users."""
        p = self.pools
        first = pl.Series([ascii_word(n) for n in p.first_names]).gather(self.first_name[index])
        last = pl.Series([ascii_word(n) for n in p.last_names]).gather(self.last_name[index])
        uid = pl.Series(index, dtype=pl.Int64)
        email = (
            first
            + "."
            + last
            + (uid + 1).cast(pl.String)
            + "@"
            + pl.Series(EMAIL_DOMAINS).gather(self.domain[index])
        )
        return pl.DataFrame(
            {
                "user_id": user_ids(uid),
                "email": email,
                "signup_at_ms": self.signup_ms[index],
                "country": pl.Series(COUNTRY_CODES).gather(self.country[index]),
                "city": pl.Series(p.cities).gather(self.city[index]),
                "acquisition_channel": pl.Series(CHANNELS).gather(self.acquisition[index]),
                "loyalty_tier": pl.Series(LOYALTY_TIERS).gather(self.tier[index]),
                "updated_at_ms": updated_at_ms,
            }
        )
