"""Fixed vocabularies and seeded name pools for the synthetic landing-zone generator.

Faker runs only here, once per `generate` call, to fill small pools (names, cities, brands);
everything per user, product or event is an index into these pools.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import polars as pl
from faker import Faker

# category -> (subcategories, median list price in cents, share of traffic)
TAXONOMY: dict[str, tuple[tuple[str, ...], int, float]] = {
    "Electronics": (
        ("Phones", "Laptops", "Headphones", "Cameras", "Smart Home", "Accessories"),
        12_000,
        0.22,
    ),
    "Home & Kitchen": (("Cookware", "Furniture", "Bedding", "Lighting", "Storage"), 4_500, 0.16),
    "Fashion": (("Shoes", "Jackets", "Dresses", "T-Shirts", "Bags"), 4_000, 0.18),
    "Beauty": (("Skincare", "Makeup", "Fragrance", "Hair Care"), 2_200, 0.10),
    "Sports & Outdoors": (("Fitness", "Cycling", "Camping", "Running"), 5_500, 0.10),
    "Books": (("Fiction", "Non-Fiction", "Children", "Cookbooks"), 1_500, 0.08),
    "Toys & Games": (("Board Games", "Puzzles", "Building Sets", "Outdoor Toys"), 2_800, 0.09),
    "Grocery": (("Coffee & Tea", "Snacks", "Pantry"), 900, 0.07),
}
CATEGORIES = tuple(TAXONOMY)
SUBCATEGORIES = tuple((c, s) for c, (subs, _, _) in TAXONOMY.items() for s in subs)
CATEGORY_WEIGHTS = np.array([share for _, _, share in TAXONOMY.values()])

PRODUCT_ADJECTIVES = (
    "Classic", "Pro", "Ultra", "Essential", "Compact", "Deluxe", "Eco", "Premium",
    "Everyday", "Smart", "Lite", "Max", "Urban", "Nordic", "Studio", "Travel",
)  # fmt: skip

# (ISO 3166-1 alpha-2, Faker locale, share of users, typical UTC offset in hours)
COUNTRIES: tuple[tuple[str, str, float, int], ...] = (
    ("US", "en_US", 0.30, -5),
    ("GB", "en_GB", 0.14, 0),
    ("DE", "de_DE", 0.12, 1),
    ("FR", "fr_FR", 0.09, 1),
    ("ES", "es_ES", 0.06, 1),
    ("IT", "it_IT", 0.06, 1),
    ("NL", "nl_NL", 0.05, 1),
    ("PL", "pl_PL", 0.04, 1),
    ("SE", "sv_SE", 0.03, 1),
    ("CA", "en_CA", 0.06, -5),
    ("AU", "en_AU", 0.05, 10),
)
COUNTRY_CODES = tuple(c for c, _, _, _ in COUNTRIES)
COUNTRY_WEIGHTS = np.array([w for _, _, w, _ in COUNTRIES])
COUNTRY_UTC_OFFSETS = np.array([o for _, _, _, o in COUNTRIES])

# Share of sessions starting in each local hour; weekends start later and run flatter.
WEEKDAY_HOURS = np.array(
    [0.9, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 1.8, 2.2, 2.5, 2.7,
     3.0, 2.9, 2.8, 2.8, 3.0, 3.3, 3.8, 4.4, 4.8, 4.5, 3.4, 2.0]
)  # fmt: skip
WEEKEND_HOURS = WEEKDAY_HOURS * np.array([1.2] * 3 + [1.0] * 4 + [0.6] * 3 + [1.2] * 8 + [1.0] * 6)
# Relative traffic Monday..Sunday: Sunday evening is the busiest shopping time.
WEEKDAY_TRAFFIC = np.array([1.04, 0.99, 0.96, 0.97, 0.93, 0.98, 1.13])

APP_VERSIONS = ("5.2.0", "5.3.1", "5.4.0", "6.0.2")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example", "inbox.example")
GENERIC_URLS = ("/", "/deals", "/new-arrivals", "/account", "/help/shipping", "/gift-cards")
SIGNUP_URL, LOGIN_URL, CHECKOUT_URL = "/account/signup", "/account/login", "/checkout"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def ascii_word(text: str) -> str:
    """Lower-case ASCII letters only, for the local part of e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower()) or "user"


@dataclass(frozen=True)
class Pools:
    """Seeded pools; per-country lists are flattened with `*_start`/`*_size` per country."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    names_start: np.ndarray
    names_size: np.ndarray
    cities: tuple[str, ...]
    cities_start: np.ndarray
    cities_size: np.ndarray
    brands: tuple[str, ...]  # BRANDS_PER_CATEGORY per category, in CATEGORIES order
    queries: tuple[str, ...]  # flattened per category
    queries_start: np.ndarray
    queries_size: np.ndarray
    urls: tuple[str, ...]  # generic, then per category (category page and subcategory pages)
    urls_start: np.ndarray  # per category
    urls_size: np.ndarray


BRANDS_PER_CATEGORY = 12
NAMES_PER_COUNTRY = 120
CITIES_PER_COUNTRY = 40


def _flatten(groups: list[list[str]]) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    sizes = np.array([len(g) for g in groups])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return tuple(x for g in groups for x in g), starts, sizes


def _sort_city_lists(fake: Faker) -> None:
    # Some locales (it_IT) build their city list from a set, whose order follows the
    # interpreter's string hashing; sorted, the same seed picks the same cities everywhere.
    for provider in fake.get_providers():
        cities = getattr(provider, "cities", None)
        if isinstance(cities, list):
            provider.cities = sorted(cities)


@functools.lru_cache(maxsize=4)
def build_pools(seed: int) -> Pools:
    """Name pools for a seed (cached: Faker locales are slow to load; pools are never mutated)."""
    firsts, lasts, cities = [], [], []
    for i, (_, locale, _, _) in enumerate(COUNTRIES):
        fake = Faker(locale)
        fake.seed_instance(seed * 101 + i)
        _sort_city_lists(fake)
        firsts.append([fake.first_name() for _ in range(NAMES_PER_COUNTRY)])
        lasts.append([fake.last_name() for _ in range(NAMES_PER_COUNTRY)])
        cities.append(sorted({fake.city() for _ in range(CITIES_PER_COUNTRY)}))
    first_names, names_start, names_size = _flatten(firsts)
    last_names, _, _ = _flatten(lasts)
    city_names, cities_start, cities_size = _flatten(cities)

    fake = Faker("en_US")
    fake.seed_instance(seed * 101 + len(COUNTRIES))
    brands: list[str] = []
    while len(brands) < BRANDS_PER_CATEGORY * len(CATEGORIES):
        brand = fake.last_name() + fake.random_element(("", "", " Labs", " & Co", " Works"))
        if brand not in brands:
            brands.append(brand)

    queries, urls = [], []
    for c, category in enumerate(CATEGORIES):
        subs = TAXONOMY[category][0]
        own_brands = brands[c * BRANDS_PER_CATEGORY : (c + 1) * BRANDS_PER_CATEGORY]
        words = [s.lower() for s in subs] + [b.split()[0].lower() for b in own_brands]
        words += [f"{a.lower()} {s.lower()}" for a in PRODUCT_ADJECTIVES[:6] for s in subs]
        words += [f"{s.lower()} {w}" for s in subs for w in fake.words(3, unique=True)]
        queries.append(words)
        urls.append([f"/c/{slug(category)}"] + [f"/c/{slug(category)}/{slug(s)}" for s in subs])
    query_pool, queries_start, queries_size = _flatten(queries)
    url_pool, urls_start, urls_size = _flatten(urls)
    return Pools(
        first_names=first_names,
        last_names=last_names,
        names_start=names_start,
        names_size=names_size,
        cities=city_names,
        cities_start=cities_start,
        cities_size=cities_size,
        brands=tuple(brands),
        queries=query_pool,
        queries_start=queries_start,
        queries_size=queries_size,
        urls=GENERIC_URLS + url_pool,
        urls_start=urls_start + len(GENERIC_URLS),
        urls_size=urls_size,
    )


def numbered(prefix: str, number: pl.Expr | pl.Series, width: int) -> pl.Expr | pl.Series:
    """`prefix` + `number` zero-padded to `width` digits (cheaper than str.zfill)."""
    return prefix + (number + 10**width).cast(pl.String).str.slice(1)


def pick_within(rng: np.random.Generator, group: np.ndarray, start: np.ndarray, size: np.ndarray):
    """For each element's group, a uniformly chosen index into that group's flattened slice."""
    return start[group] + (rng.random(group.size) * size[group]).astype(np.int64)
