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


def test_seen_ids_keep_the_order_of_the_ids_asked_about():
    # Many ids in shuffled order: the answer is the asked ids that were added, in asked order.
    added = [f"e{n}" for n in range(0, 20_000, 2)]
    asked = [*(f"e{n}" for n in reversed(range(5_000))), "e4", "e3", "e4"]
    seen = _SeenIds()
    seen.add(pl.Series(added[::3]))
    seen.add(pl.Series(added[1::3]))
    seen.add(pl.Series(added[2::3]))

    expected = [id_ for id_ in asked if id_ in set(added)]

    assert seen.candidates(pl.Series(asked)).to_list() == expected
