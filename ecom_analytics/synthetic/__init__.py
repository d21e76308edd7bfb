"""The synthetic landing zone: realistic events, product and user change feeds, day by day."""
