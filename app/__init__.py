"""The Plotly Dash dashboard over the published marts snapshot.

`create_app(db_path)` builds the app, `run(host, port)` serves it; both live in `app.app`.
"""

from app.app import create_app, run

__all__ = ["create_app", "run"]
