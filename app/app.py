"""The Dash shell: navbar, shared filter bar and the page container. Pages live in `pages/`."""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import duckdb
from dash import dcc, html

from app import components, data, downloads, url_state
from app.snapshot import NoDataError
from ecom_analytics import settings

# Pages, assets (the vendored Bootstrap stylesheet, our CSS) and module names hang off the
# package, so the app is the same wherever it is started from.
PACKAGE = "app"


def _categories() -> list[str]:
    try:
        return data.categories() if data.snapshot_info() else []
    except (NoDataError, duckdb.Error):
        return []


def shell() -> html.Div:
    """Built on every page load, so a newly published snapshot shows without a restart."""
    info = data.snapshot_info()
    categories = _categories()
    return html.Div(
        [
            dcc.Location(id="shell-location"),
            url_state.store(),
            components.navbar(info),
            components.filter_bar(info, categories),
            dbc.Container(dash.page_container, fluid=True, className="page"),
            html.Footer(
                dbc.Container(
                    "Figures in UTC. Revenue is the sum of quantity × unit price over purchases.",
                    fluid=True,
                ),
                className="footer text-muted small",
            ),
        ]
    )


def create_app(db_path: Path | None = None) -> dash.Dash:
    """The dashboard over the snapshot at `db_path`.

    Default: `settings.dashboard_snapshot_path()`, where the `dashboard` asset publishes.
    """
    data.configure(db_path)
    app = dash.Dash(
        PACKAGE,
        use_pages=True,
        title="ecom analytics",
        update_title=None,
        suppress_callback_exceptions=True,
    )
    app.layout = shell
    # The category filter only means something on the Products page.
    app.clientside_callback(
        """
        function (pathname) {
            const onProducts = (pathname || "").replace(/\\/+$/, "").endsWith("/products");
            return onProducts ? {} : {display: "none"};
        }
        """,
        dash.Output("filters-category-field", "style"),
        dash.Input("shell-location", "pathname"),
    )
    url_state.register(app, _categories)
    downloads.register(app)
    # Page modules register their callbacks globally (`dash.callback`) each time an app
    # imports them, and Dash hands that global list to whichever app serves a request first.
    # Claiming them now keeps each app's callbacks its own when one process builds several.
    app._setup_server()
    return app


def run(
    host: str = settings.DASHBOARD_HOST,
    port: int = settings.DASHBOARD_PORT,
    db_path: Path | None = None,
) -> None:
    """Serve the dashboard (binds 127.0.0.1 unless told otherwise)."""
    create_app(db_path).run(host=host, port=port, debug=False)
