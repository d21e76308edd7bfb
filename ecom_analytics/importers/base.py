"""What an importer is (a source layout plus a row mapping) and what an import reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

# Columns a format's `map_rows` returns, as text unless noted. `ts` is the parsed UTC
# timestamp (null when the source text is unreadable) and `event_timestamp` that source
# text; `quantity` and `unit_price` are source text, rendered as numbers when they are
# numbers; the product and user attributes the format knows feed the implied records.
# Columns named `properties.<key>` land as text inside `properties`; a key is never an
# event field name, because validation reads event fields nested there (SPEC §2.1).
EVENT_COLUMNS = (
    "event_type",
    "user_id",
    "session_id",
    "product_id",
    "quantity",
    "unit_price",
    "order_id",
    "country",
)
PRODUCT_ATTRIBUTES = ("sku", "product_name", "category", "subcategory", "brand")
USER_ATTRIBUTES = ("country",)


@dataclass(frozen=True)
class SourceFormat:
    """A public file layout and how its rows map onto landing-zone events."""

    name: str
    layouts: tuple[tuple[str, ...], ...]
    """The headers the format accepts (column order may differ)."""
    map_rows: Callable[[pl.DataFrame], pl.DataFrame]
    """Parsed source rows (text columns named as in the header) -> the columns above,
    row for row in the same order."""
    product_attributes: tuple[str, ...] = ()
    """Which of `PRODUCT_ATTRIBUTES` the format knows; `list_price` comes from `unit_price`."""
    user_attributes: tuple[str, ...] = ()
    """Which of `USER_ATTRIBUTES` the format knows."""

    def __post_init__(self) -> None:
        unknown = {*self.product_attributes} - {*PRODUCT_ATTRIBUTES}
        unknown |= {*self.user_attributes} - {*USER_ATTRIBUTES}
        if unknown:
            raise ValueError(f"{self.name}: not product or user record fields: {sorted(unknown)}")


@dataclass
class DaySummary:
    events: int = 0
    unmapped: int = 0
    """Events landed without a readable timestamp or fields; validation quarantines them."""
    products: int = 0
    users: int = 0


@dataclass
class ImportSummary:
    format: str
    sources: list[Path]
    rows_read: int = 0
    blank_lines: int = 0
    days: dict[date, DaySummary] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def day(self, day: date) -> DaySummary:
        return self.days.setdefault(day, DaySummary())

    @property
    def events_written(self) -> int:
        return sum(d.events for d in self.days.values())
