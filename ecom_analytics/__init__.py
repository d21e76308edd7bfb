"""ecom_analytics: daily-partitioned e-commerce analytics marts built with Dagster, Pandera and dbt."""
