"""A small hand-made warehouse whose every metric can be worked out by hand.

Three UTC days, 2024-01-01 (a Monday) to 2024-01-03, with:
- u1: a tracked multi-item order on day 1, a cart removal on day 2, a purchase without a
  product view on day 3, and a loyalty tier that changes from bronze to gold on day 3;
- u2: no session_id on day 1, split by a 40-minute gap into two derived sessions; an
  untracked purchase on day 2 (derived session), of p1 after its price change;
- u3: session s3 from 23:50 on day 1 to 00:15 on day 2, cut at midnight, ending in a purchase;
- u4: first seen on day 3, one bounce, and no user profile;
- p1's list price changes from 10.00 to 12.00 on day 2 (two records that day: the later wins);
- quarantined records of events (one with two reasons) and users.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

DAY_1, DAY_2, DAY_3 = date(2024, 1, 1), date(2024, 1, 2), date(2024, 1, 3)
DAYS = (DAY_1, DAY_2, DAY_3)


def _at(day: date, hhmm: str) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute)


def _event(
    event_id: str,
    day: date,
    hhmm: str,
    event_type: str,
    user_id: str,
    session_id: str | None,
    device: str | None,
    channel: str | None,
    country: str,
    product_id: str | None = None,
    quantity: int | None = None,
    unit_price: str | None = None,
    order_id: str | None = None,
) -> dict[str, object]:
    return {
        "event_id": event_id,
        "event_timestamp": _at(day, hhmm),
        "event_type": event_type,
        "user_id": user_id,
        "session_id": session_id,
        "product_id": product_id,
        "quantity": quantity,
        "unit_price": Decimal(unit_price) if unit_price else None,
        "order_id": order_id,
        "device": device,
        "channel": channel,
        "country": country,
        "page_url": None,
        "search_query": "mug" if event_type == "search" else None,
        "properties": None,
        "partition_date": day,
        "source_file": f"events-{day.isoformat()}.jsonl",
        "source_line": int(event_id[1:]),
    }


_U1_S1 = ("u1", "s1", "mobile", "organic_search", "DE")
_U2_DAY_1 = ("u2", None, None, None, "FR")
_U3_S3 = ("u3", "s3", "desktop", "direct", "US")
_U1_S4 = ("u1", "s4", "tablet", "email", "DE")
_U2_DAY_2 = ("u2", None, "mobile", "paid_search", "FR")
_U4_S5 = ("u4", "s5", "mobile", "social", "GB")
_U1_S6 = ("u1", "s6", "desktop", "direct", "DE")

EVENTS = [
    # Day 1, u1, session s1: views, carts, checkout, order o1 of two lines (2 x 10 + 1 x 20).
    _event("e101", DAY_1, "09:00", "page_view", *_U1_S1),
    _event("e102", DAY_1, "09:01", "product_view", *_U1_S1, product_id="p1"),
    _event("e103", DAY_1, "09:02", "add_to_cart", *_U1_S1, "p1", 2, "10.00"),
    _event("e104", DAY_1, "09:03", "product_view", *_U1_S1, product_id="p2"),
    _event("e105", DAY_1, "09:04", "add_to_cart", *_U1_S1, "p2", 1, "20.00"),
    _event("e106", DAY_1, "09:05", "begin_checkout", *_U1_S1),
    _event("e107", DAY_1, "09:06", "purchase", *_U1_S1, "p1", 2, "10.00", "o1"),
    _event("e108", DAY_1, "09:06", "purchase", *_U1_S1, "p2", 1, "20.00", "o1"),
    # Day 1, u2, no session_id, device and channel untracked: 10:00-10:10, gap 40 min, 10:50-10:55.
    _event("e111", DAY_1, "10:00", "page_view", *_U2_DAY_1),
    _event("e112", DAY_1, "10:10", "product_view", *_U2_DAY_1, product_id="p3"),
    _event("e113", DAY_1, "10:50", "page_view", *_U2_DAY_1),
    _event("e114", DAY_1, "10:55", "search", *_U2_DAY_1),
    # u3, session s3 across midnight.
    _event("e121", DAY_1, "23:50", "page_view", *_U3_S3),
    _event("e122", DAY_1, "23:55", "product_view", *_U3_S3, product_id="p2"),
    _event("e123", DAY_2, "00:05", "add_to_cart", *_U3_S3, "p2", 1, "20.00"),
    _event("e124", DAY_2, "00:10", "begin_checkout", *_U3_S3),
    _event("e125", DAY_2, "00:15", "purchase", *_U3_S3, "p2", 1, "20.00", "o2"),
    # Day 2, u1, session s4: adds p1 and removes it again.
    _event("e131", DAY_2, "12:00", "product_view", *_U1_S4, product_id="p1"),
    _event("e132", DAY_2, "12:01", "add_to_cart", *_U1_S4, "p1", 1, "12.00"),
    _event("e133", DAY_2, "12:02", "remove_from_cart", *_U1_S4, "p1", 1, "12.00"),
    _event("e134", DAY_2, "12:03", "page_view", *_U1_S4),
    # Day 2, u2, no session_id: order o3 of 3 x p1 at the new price 12.00.
    _event("e141", DAY_2, "14:00", "product_view", *_U2_DAY_2, product_id="p1"),
    _event("e142", DAY_2, "14:05", "add_to_cart", *_U2_DAY_2, "p1", 3, "12.00"),
    _event("e143", DAY_2, "14:06", "begin_checkout", *_U2_DAY_2),
    _event("e144", DAY_2, "14:07", "purchase", *_U2_DAY_2, "p1", 3, "12.00", "o3"),
    # Day 3: u4's first and only event (a bounce); u1 buys p3 without a product view.
    _event("e151", DAY_3, "08:00", "page_view", *_U4_S5),
    _event("e161", DAY_3, "18:00", "page_view", *_U1_S6),
    _event("e162", DAY_3, "18:10", "purchase", *_U1_S6, "p3", 1, "30.00", "o4"),
    # u1 returns one p1 of day 1's order o1 (bought at 10.00), in the same visit.
    _event("e163", DAY_3, "18:10", "refund", *_U1_S6, "p1", 1, "10.00", "o1"),
]


def _product(
    product_id: str,
    name: str,
    category: str,
    subcategory: str,
    brand: str,
    price: str,
    updated_at: datetime,
    line: int,
) -> dict[str, object]:
    return {
        "product_id": product_id,
        "sku": f"SKU-{product_id}",
        "product_name": name,
        "category": category,
        "subcategory": subcategory,
        "brand": brand,
        "list_price": Decimal(price),
        "is_active": True,
        "updated_at": updated_at,
        "partition_date": updated_at.date(),
        "source_file": f"products-{updated_at.date().isoformat()}.jsonl",
        "source_line": line,
    }


PRODUCTS = [
    _product("p1", "Mug", "Kitchen", "Drinkware", "Acme", "10.00", _at(DAY_1, "00:00"), 1),
    _product("p2", "Tee", "Apparel", "Tops", "Basic", "20.00", _at(DAY_1, "00:00"), 2),
    _product("p3", "Lamp", "Home", "Lighting", "Glow", "30.00", _at(DAY_1, "00:00"), 3),
    # Day 2: two records of p1; the later updated_at (12.00) wins.
    _product("p1", "Mug", "Kitchen", "Drinkware", "Acme", "12.00", _at(DAY_2, "08:00"), 1),
    _product("p1", "Mug", "Kitchen", "Drinkware", "Acme", "11.00", _at(DAY_2, "07:00"), 2),
]


def _user(
    user_id: str, email: str, tier: str, country: str, city: str, updated_at: datetime, line: int
) -> dict[str, object]:
    return {
        "user_id": user_id,
        "email": email,
        "signup_at": datetime(2023, 12, 31, 10, 0),
        "country": country,
        "city": city,
        "acquisition_channel": "organic_search",
        "loyalty_tier": tier,
        "updated_at": updated_at,
        "partition_date": updated_at.date(),
        "source_file": f"users-{updated_at.date().isoformat()}.jsonl",
        "source_line": line,
    }


USERS = [
    _user("u1", "Ann@Example.com", "bronze", "DE", "Berlin", _at(DAY_1, "00:00"), 1),
    _user("u2", "bob@example.com", "silver", "FR", "Paris", _at(DAY_1, "00:00"), 2),
    _user("u3", "cy@example.com", "bronze", "US", "New York", _at(DAY_2, "09:00"), 1),
    _user("u1", "Ann@Example.com", "gold", "DE", "Berlin", _at(DAY_3, "12:00"), 1),
]


def _quarantined(source: str, day: date, line: int, reasons: list[str]) -> dict[str, object]:
    return {
        "source": source,
        "partition_date": day,
        "source_file": f"{source}-{day.isoformat()}.jsonl",
        "source_line": line,
        "raw_record": '{"broken": true}',
        "reasons": reasons,
    }


QUARANTINE = [
    _quarantined("events", DAY_1, 901, ["missing_required_field:user_id"]),
    _quarantined("events", DAY_1, 902, ["unknown_event_type", "invalid_value:quantity"]),
    _quarantined("events", DAY_2, 903, ["duplicate_event_id"]),
    _quarantined("users", DAY_2, 904, ["invalid_value:loyalty_tier"]),
]
