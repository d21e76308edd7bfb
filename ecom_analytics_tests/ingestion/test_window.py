"""The in-memory index of event ids staged earlier in an ingestion window."""

import polars as pl

from ecom_analytics.ingestion.window import _SeenIds


def test_seen_ids_name_every_id_added_on_earlier_days_and_no_other():
    seen = _SeenIds()
    seen.add(pl.Series(["e1", "e2", None]))
    seen.add(pl.Series(["e9"]))

    candidates = seen.candidates(pl.Series(["e0", "e2", "e3", "e9"]))

    assert sorted(candidates.to_list()) == ["e2", "e9"]
    assert _SeenIds().candidates(pl.Series(["e1"])).to_list() == []
