"""Number formatting shared by KPI cards, tables and hover labels: `$12.3k`, `3.1%`."""

from __future__ import annotations

import math

MISSING = "—"

_SUFFIXES = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _compact(value: float) -> str | None:
    for size, suffix in _SUFFIXES:
        if abs(value) >= size:
            return f"{value / size:.1f}{suffix}"
    return None


def money(value: float | None) -> str:
    """`$12.3k`, `$1.2M`; exact to the cent below a thousand (`$57.30`)."""
    if _missing(value):
        return MISSING
    sign = "-" if value < 0 else ""
    compact = _compact(abs(value))
    return f"{sign}${compact}" if compact else f"{sign}${abs(value):,.2f}"


def count(value: float | None) -> str:
    """`950`, `12.3k`, `1.2M`."""
    if _missing(value):
        return MISSING
    return _compact(value) or f"{value:,.0f}"


def percent(value: float | None, digits: int = 1) -> str:
    """A fraction as a percentage: 0.031 -> `3.1%`."""
    if _missing(value):
        return MISSING
    return f"{value * 100:.{digits}f}%"


def relative_change(value: float | None) -> str:
    """A relative change: 0.125 -> `+12.5%`."""
    if _missing(value):
        return MISSING
    return f"{value * 100:+.1f}%"


def point_change(value: float | None) -> str:
    """A change of a rate in percentage points: 0.018 -> `+1.8 pp`."""
    if _missing(value):
        return MISSING
    return f"{value * 100:+.1f} pp"


def day_range(start, end) -> str:
    """`1 Mar – 4 Mar 2024`, or `1 Mar 2024` for a single day."""
    if start == end:
        return f"{start:%-d %b %Y}"
    left = f"{start:%-d %b}" if start.year == end.year else f"{start:%-d %b %Y}"
    return f"{left} – {end:%-d %b %Y}"
