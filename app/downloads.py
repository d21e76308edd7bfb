"""A CSV download on every chart and table: the data as drawn, built in the browser.

A chart's CSV is its traces' data as Plotly holds it (one row per point: series, x, y; a
heatmap's cells as series, x, y, z; a pie's slices as series, label, value), so the file
always matches the chart on screen, filters included. A table's CSV is its heading and rows
as shown. One pattern-matching callback serves every card.
"""

from __future__ import annotations

import dash
from dash import MATCH, Input, Output, State, dcc, html

BUTTON = "csv-button"
DOWNLOAD = "csv-download"

_BUILD_CSV = """
function (clicks, id) {
    if (!clicks) { return window.dash_clientside.no_update; }
    const root = document.getElementById(id.target);
    if (!root) { return window.dash_clientside.no_update; }
    const cell = (value) => {
        const text = value === null || value === undefined ? "" : String(value);
        return /[",\\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    };
    const list = (values) => (values === undefined || values === null ? [] : Array.from(values));
    let rows = [];
    const graph = root.classList.contains("js-plotly-plot")
        ? root : root.querySelector(".js-plotly-plot");
    if (graph) {
        const traces = (graph._fullData || []).filter((t) => t.visible !== false);
        const kinds = new Set(traces.map((t) => (
            t.z !== undefined ? "z" : t.labels !== undefined ? "pie" : "xy")));
        const header = ["series", "x", "y"];
        if (kinds.has("z")) { header.push("z"); }
        if (kinds.has("pie")) { header.splice(1, 2, "label", "value"); }
        rows.push(header);
        for (const t of traces) {
            const name = t.name || "";
            if (t.z !== undefined) {
                const xs = list(t.x), ys = list(t.y);
                list(t.z).forEach((zrow, i) => list(zrow).forEach((z, j) => {
                    rows.push([name, xs[j], ys[i], z]);
                }));
            } else if (t.labels !== undefined) {
                const values = list(t.values);
                list(t.labels).forEach((label, i) => rows.push([name, label, values[i]]));
            } else {
                const xs = list(t.x), ys = list(t.y);
                const n = Math.max(xs.length, ys.length);
                for (let i = 0; i < n; i++) { rows.push([name, xs[i], ys[i]]); }
            }
        }
    } else {
        const table = root.querySelector("table");
        if (!table) { return window.dash_clientside.no_update; }
        rows = Array.from(table.querySelectorAll("tr")).map((tr) => (
            Array.from(tr.querySelectorAll("th, td")).map((c) => c.textContent.trim())));
    }
    return {
        content: rows.map((r) => r.map(cell).join(",")).join("\\n") + "\\n",
        filename: id.target + ".csv",
        type: "text/csv",
        base64: false,
    };
}
"""


def button(target: str) -> html.Span:
    """The "CSV" button of the card whose chart or table has the id `target`."""
    return html.Span(
        [
            html.Button(
                "CSV",
                id={"type": BUTTON, "target": target},
                className="btn btn-sm btn-outline-secondary csv-button",
                title="Download this data as CSV",
                n_clicks=0,
            ),
            dcc.Download(id={"type": DOWNLOAD, "target": target}),
        ]
    )


def register(app: dash.Dash) -> None:
    app.clientside_callback(
        _BUILD_CSV,
        Output({"type": DOWNLOAD, "target": MATCH}, "data"),
        Input({"type": BUTTON, "target": MATCH}, "n_clicks"),
        State({"type": BUTTON, "target": MATCH}, "id"),
        prevent_initial_call=True,
    )
