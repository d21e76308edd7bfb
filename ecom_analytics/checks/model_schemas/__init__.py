"""Per dbt model, the rules its Pandera check adds to its yml: one `<Model>Rules` per model."""
