"""Serve a Dash app from a background thread on a free local port (screenshots, tests)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import dash
from werkzeug.serving import WSGIRequestHandler, make_server


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log on the console: screenshots and tests only need the pages."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@contextmanager
def serving(app: dash.Dash, host: str = "127.0.0.1") -> Iterator[str]:
    """Yield the base URL while `app` answers there; stop the server on exit."""
    server = make_server(host, 0, app.server, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="dashboard-server", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
