"""The fields each source's records carry, with their types and accepted aliases (SPEC §2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["string", "timestamp", "integer", "decimal", "boolean", "object"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind = "string"
    # Other names the same field arrives under from flat exports and older trackers.
    aliases: tuple[str, ...] = ()
    # An identifier must be a JSON scalar: an object or array there is `invalid_type`.
    identifier: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class SourceFields:
    source: str
    fields: tuple[Field, ...]
    # The record key, kept on quarantine rows so duplicates can be traced across days.
    key: str
    # Fields may also arrive nested in this object when absent at the top level.
    nested_in: str | None = None

    def __getitem__(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)


EVENT_FIELDS = SourceFields(
    source="events",
    key="event_id",
    nested_in="properties",
    fields=(
        Field("event_id", identifier=True),
        Field("event_timestamp", "timestamp", aliases=("timestamp",)),
        Field("event_type"),
        Field("user_id", identifier=True),
        Field("session_id", identifier=True),
        Field("product_id", identifier=True),
        Field("quantity", "integer"),
        Field("unit_price", "decimal", aliases=("price",)),
        Field("order_id", identifier=True),
        Field("device"),
        Field("channel", aliases=("traffic_source",)),
        Field("country"),
        Field("page_url"),
        Field("search_query"),
        Field("properties", "object"),
    ),
)

PRODUCT_FIELDS = SourceFields(
    source="products",
    key="product_id",
    fields=(
        Field("product_id", identifier=True),
        Field("sku", identifier=True),
        Field("product_name"),
        Field("category"),
        Field("subcategory"),
        Field("brand"),
        Field("list_price", "decimal", aliases=("price",)),
        Field("is_active", "boolean"),
        Field("updated_at", "timestamp"),
    ),
)

USER_FIELDS = SourceFields(
    source="users",
    key="user_id",
    fields=(
        Field("user_id", identifier=True),
        Field("email"),
        Field("signup_at", "timestamp"),
        Field("country"),
        Field("city"),
        Field("acquisition_channel"),
        Field("loyalty_tier"),
        Field("updated_at", "timestamp"),
    ),
)

SOURCE_FIELDS = {spec.source: spec for spec in (EVENT_FIELDS, PRODUCT_FIELDS, USER_FIELDS)}
