"""Pandera (polars) schemas of the dbt models, one `<Model>Schema` per model."""
