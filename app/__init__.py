"""The Plotly Dash dashboard over the published marts snapshot."""
