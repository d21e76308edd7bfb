"""ecom_analytics: daily-partitioned e-commerce analytics marts (Dagster, Pandera, dbt)."""
