"""The synthetic product catalogue: its first full load and its day-to-day changes.

Products are held as arrays indexed by product number (`p00001` is index 0). A day's change
feed lists the products created, repriced, discontinued or relisted that day; events only
ever draw active products that exist as of their day, at that day's price.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ecom_analytics.synthetic.pools import (
    BRANDS_PER_CATEGORY,
    CATEGORIES,
    CATEGORY_WEIGHTS,
    PRODUCT_ADJECTIVES,
    SUBCATEGORIES,
    TAXONOMY,
    Pools,
    numbered,
    slug,
)

INITIAL_PRODUCTS = 1_500
DAILY_REPRICE_SHARE = 0.015
DAILY_DISCONTINUE_SHARE = 0.002
RELIST_PROBABILITY = 0.05
NEW_PRODUCTS_PER_DAY = (2, 6)
PRICE_FACTORS = np.array([0.8, 0.85, 0.9, 0.95, 1.05, 1.1, 1.15])
# Ids from here up are never issued, so they can stand for products nobody knows.
UNKNOWN_PRODUCT_BASE = 90_000


def product_ids(index: pl.Expr | pl.Series) -> pl.Expr | pl.Series:
    """Ids from 0-based indices."""
    return numbered("p", index + 1, 5)


def _charm_price(cents: np.ndarray) -> np.ndarray:
    """Round to a whole unit and end in .99 (never below 1.99)."""
    return np.maximum(np.round(cents / 100).astype(np.int64), 2) * 100 - 1


@dataclass(frozen=True)
class ProductSampler:
    """Draws products of a category by popularity, among those live on one day."""

    products: np.ndarray  # live product indices ordered by category
    cumulative: np.ndarray  # category + normalised running popularity within the category

    def draw(self, rng: np.random.Generator, category: np.ndarray) -> np.ndarray:
        position = np.searchsorted(self.cumulative, category + rng.random(category.size), "right")
        return self.products[np.minimum(position, self.products.size - 1)]


class Catalogue:
    def __init__(self, rng: np.random.Generator, pools: Pools):
        self.pools = pools
        self.category = np.empty(0, np.int64)
        self.subcategory = np.empty(0, np.int64)
        self.brand = np.empty(0, np.int64)
        self.price_cents = np.empty(0, np.int64)
        self.is_active = np.empty(0, bool)
        self.created_day = np.empty(0, np.int64)
        self.popularity = np.empty(0, np.float64)
        self.names: list[str] = []
        self._add(rng, INITIAL_PRODUCTS, day_index=0)
        self.is_active[rng.random(INITIAL_PRODUCTS) < 0.03] = False

    @property
    def size(self) -> int:
        return self.category.size

    def _add(self, rng: np.random.Generator, n: int, day_index: int) -> np.ndarray:
        category = rng.choice(len(CATEGORIES), n, p=CATEGORY_WEIGHTS / CATEGORY_WEIGHTS.sum())
        sub_counts = np.array([len(TAXONOMY[c][0]) for c in CATEGORIES])
        sub_start = np.concatenate([[0], np.cumsum(sub_counts)[:-1]])
        subcategory = sub_start[category] + (rng.random(n) * sub_counts[category]).astype(int)
        brand = category * BRANDS_PER_CATEGORY + rng.integers(0, BRANDS_PER_CATEGORY, n)
        median = np.array([TAXONOMY[c][1] for c in CATEGORIES])[category]
        price = _charm_price(median * rng.lognormal(0.0, 0.6, n))
        adjective = rng.integers(0, len(PRODUCT_ADJECTIVES), n)
        model = rng.integers(1, 10, n) * 100 + rng.integers(0, 10, n) * 10
        letter = rng.integers(0, 26, n)
        for i in range(n):
            self.names.append(
                f"{self.pools.brands[brand[i]]} {PRODUCT_ADJECTIVES[adjective[i]]} "
                f"{SUBCATEGORIES[subcategory[i]][1]} {chr(65 + letter[i])}{model[i]}"
            )
        first = self.size
        self.category = np.concatenate([self.category, category])
        self.subcategory = np.concatenate([self.subcategory, subcategory])
        self.brand = np.concatenate([self.brand, brand])
        self.price_cents = np.concatenate([self.price_cents, price])
        self.is_active = np.concatenate([self.is_active, np.ones(n, bool)])
        self.created_day = np.concatenate([self.created_day, np.full(n, day_index)])
        # Zipf-like popularity: a few best sellers, a long tail.
        self.popularity = np.concatenate([self.popularity, 1.0 / rng.integers(1, 400, n) ** 0.9])
        return np.arange(first, self.size)

    def advance(self, rng: np.random.Generator, day_index: int) -> np.ndarray:
        """Apply one day's changes; return the indices of every product that changed."""
        active = np.flatnonzero(self.is_active)
        repriced = active[rng.random(active.size) < DAILY_REPRICE_SHARE]
        factors = PRICE_FACTORS[rng.integers(0, PRICE_FACTORS.size, repriced.size)]
        self.price_cents[repriced] = _charm_price(self.price_cents[repriced] * factors)
        discontinued = active[rng.random(active.size) < DAILY_DISCONTINUE_SHARE]
        inactive = np.flatnonzero(~self.is_active)
        relisted = inactive[rng.random(inactive.size) < RELIST_PROBABILITY]
        self.is_active[discontinued] = False
        self.is_active[relisted] = True
        created = self._add(rng, int(rng.integers(*NEW_PRODUCTS_PER_DAY, endpoint=True)), day_index)
        return np.unique(np.concatenate([repriced, discontinued, relisted, created]))

    def sampler(self, day_index: int) -> ProductSampler:
        live = np.flatnonzero(self.is_active & (self.created_day <= day_index))
        live = live[np.argsort(self.category[live], kind="stable")]
        category = self.category[live]
        weight = self.popularity[live]
        running = np.cumsum(weight)
        before = np.concatenate([[0.0], running])[np.searchsorted(category, category, "left")]
        totals = np.bincount(category, weights=weight, minlength=len(CATEGORIES))
        cumulative = category + (running - before) / totals[category]
        # The last product of each category closes its interval exactly.
        last = np.r_[category[1:] != category[:-1], True]
        cumulative[last] = category[last] + 1.0
        return ProductSampler(live, cumulative)

    def records(self, index: np.ndarray, updated_at_ms: np.ndarray) -> pl.DataFrame:
        """Product records (landing layout, prices in cents) for the given products."""
        idx = pl.Series(index, dtype=pl.Int64)
        category = np.array(CATEGORIES)[self.category[index]]
        subcategory = np.array([s for _, s in SUBCATEGORIES])[self.subcategory[index]]
        return pl.DataFrame(
            {
                "product_id": product_ids(idx),
                "sku": [
                    f"{slug(c)[:3].upper()}-{slug(s)[:3].upper()}-{i + 1:05d}"
                    for c, s, i in zip(category, subcategory, index, strict=True)
                ],
                "product_name": [self.names[i] for i in index],
                "category": category,
                "subcategory": subcategory,
                "brand": np.array(self.pools.brands)[self.brand[index]],
                "list_price_cents": self.price_cents[index],
                "is_active": self.is_active[index],
                "updated_at_ms": updated_at_ms,
            },
            schema_overrides={"category": pl.String, "subcategory": pl.String, "brand": pl.String},
        )
