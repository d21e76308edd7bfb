"""The Dagster wiring around the assets: IO managers, resources, partitions, jobs, sensors,
the instance."""
