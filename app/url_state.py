"""The shared filters live in the page address, so a copied address reopens the same view.

`?start=2024-03-01&end=2024-03-04&device=mobile&channel=email&category=Apparel` (device,
channel and category may repeat). The browser rewrites the address in place as the filters
change (`history.replaceState`, so neither a reload nor a new history entry), and keeps the
query when a page link drops it; on load, or on Back and Forward, the server turns the
address back into filter values, keeping only whitelisted ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlencode

import dash
from dash import Input, Output, dcc

from app.filters import CHANNEL_OPTIONS, DEVICE_OPTIONS

STORE_ID = "shell-query"
FILTER_PROPS = (
    ("filters-date", "start_date"),
    ("filters-date", "end_date"),
    ("filters-device", "value"),
    ("filters-channel", "value"),
    ("filters-category", "value"),
)


@dataclass(frozen=True)
class UrlFilters:
    """Filter values read from a query string; None where the address says nothing."""

    start: date | None = None
    end: date | None = None
    devices: tuple[str, ...] | None = None
    channels: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None

    @property
    def empty(self) -> bool:
        return self == UrlFilters()


def _day(values: list[str]) -> date | None:
    try:
        return date.fromisoformat(values[0][:10]) if values else None
    except ValueError:
        return None


def _allowed(values: list[str] | None, allowed) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(sorted({v for v in values if v in allowed}))


def parse_query(search: str | None, categories=()) -> UrlFilters:
    """The filters in `search` (`?a=b&…`); unknown keys and values are left out."""
    query = parse_qs((search or "").lstrip("?"))
    return UrlFilters(
        start=_day(query.get("start", [])),
        end=_day(query.get("end", [])),
        devices=_allowed(query.get("device"), DEVICE_OPTIONS),
        channels=_allowed(query.get("channel"), CHANNEL_OPTIONS),
        categories=_allowed(query.get("category"), categories),
    )


def query_string(
    start: str | date | None,
    end: str | date | None,
    devices=(),
    channels=(),
    categories=(),
) -> str:
    """The query (without `?`) that `parse_query` reads back as these filters."""
    pairs = [("start", str(start)[:10])] if start else []
    pairs += [("end", str(end)[:10])] if end else []
    pairs += [("device", d) for d in devices or ()]
    pairs += [("channel", c) for c in channels or ()]
    pairs += [("category", c) for c in categories or ()]
    return urlencode(pairs)


# Runs in the browser. Until the address has been read into the filters once, a query it
# already carries is left alone (the server is about to apply it).
_WRITE_ADDRESS = """
function (start, end, devices, channels, categories, pathname) {
    const params = new URLSearchParams();
    if (start) { params.set("start", String(start).slice(0, 10)); }
    if (end) { params.set("end", String(end).slice(0, 10)); }
    for (const d of devices || []) { params.append("device", d); }
    for (const c of channels || []) { params.append("channel", c); }
    for (const c of categories || []) { params.append("category", c); }
    const query = params.toString();
    if (!window.ecomAddressRead) {
        window.ecomAddressRead = true;
        if (window.location.search) { return window.dash_clientside.no_update; }
    }
    const wanted = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    const current = window.location.pathname + window.location.search + window.location.hash;
    if (wanted !== current) { window.history.replaceState(window.history.state, "", wanted); }
    return query;
}
"""


def store() -> dcc.Store:
    """The query last written to the address (tests and other callbacks can read it)."""
    return dcc.Store(id=STORE_ID)


def register(app: dash.Dash, categories) -> None:
    """The two callbacks: filters → address (in the browser), address → filters (server)."""
    app.clientside_callback(
        _WRITE_ADDRESS,
        Output(STORE_ID, "data"),
        *[Input(component, prop) for component, prop in FILTER_PROPS],
        Input("shell-location", "pathname"),
    )

    @app.callback(
        *[Output(component, prop) for component, prop in FILTER_PROPS],
        Input("shell-location", "search"),
    )
    def read_address(search):
        state = parse_query(search, categories())
        if state.empty:
            # No query (first visit, or a page link): the filters stay as they are.
            raise dash.exceptions.PreventUpdate
        # A list the address leaves out means "all"; a date it leaves out, the default range.
        return (
            state.start.isoformat() if state.start else dash.no_update,
            state.end.isoformat() if state.end else dash.no_update,
            list(state.devices or ()),
            list(state.channels or ()),
            list(state.categories or ()),
        )
