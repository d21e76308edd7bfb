"""Domain vocabulary shared by the generator, validation, dbt vars and the dashboard."""

from __future__ import annotations

SOURCES = ("events", "products", "users")

EVENT_TYPES = (
    "page_view",
    "search",
    "product_view",
    "add_to_cart",
    "remove_from_cart",
    "begin_checkout",
    "purchase",
    "refund",
    "signup",
    "login",
)
# Event types that must name a product, and those that must carry quantity and price.
PRODUCT_EVENT_TYPES = ("product_view", "add_to_cart", "remove_from_cart", "purchase", "refund")
PRICED_EVENT_TYPES = ("add_to_cart", "remove_from_cart", "purchase", "refund")
# Event types that must name an order: a purchase places it, a refund returns part of it.
ORDER_EVENT_TYPES = ("purchase", "refund")

DEVICES = ("desktop", "mobile", "tablet")
CHANNELS = ("direct", "organic_search", "paid_search", "email", "social", "referral")
LOYALTY_TIERS = ("bronze", "silver", "gold", "platinum")

# Sessions without a session_id split at any gap longer than this (SPEC §5).
SESSION_GAP_MINUTES = 30


class Reason:
    """Stable quarantine reason codes (SPEC §3). Field-specific ones take `:<field>`."""

    MALFORMED_RECORD = "malformed_record"
    MISSING_REQUIRED_FIELD = "missing_required_field"
    INVALID_TYPE = "invalid_type"
    INVALID_VALUE = "invalid_value"
    UNKNOWN_EVENT_TYPE = "unknown_event_type"
    TIMESTAMP_OUTSIDE_PARTITION = "timestamp_outside_partition"
    FUTURE_TIMESTAMP = "future_timestamp"
    DUPLICATE_EVENT_ID = "duplicate_event_id"
    UNKNOWN_PRODUCT = "unknown_product"
    UNREADABLE_FILE = "unreadable_file"

    @staticmethod
    def missing(field: str) -> str:
        return f"{Reason.MISSING_REQUIRED_FIELD}:{field}"

    @staticmethod
    def invalid_type(field: str) -> str:
        return f"{Reason.INVALID_TYPE}:{field}"

    @staticmethod
    def invalid_value(field: str) -> str:
        return f"{Reason.INVALID_VALUE}:{field}"


# Quarantine-rate check: warn above the first, fail above the second (fractions of rows read).
QUARANTINE_RATE_WARN = 0.01
QUARANTINE_RATE_FAIL = 0.05
