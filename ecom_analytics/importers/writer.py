"""Writing JSONL landing files by source and UTC day, all at once or not at all.

Lines go to hidden `.partial` files next to their final names, which the landing readers
and the sensor ignore; `commit` renames them into place and removes what an earlier import
of the same source left on days this import no longer covers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

import polars as pl

from ecom_analytics.ingestion import jsonl, landing
from ecom_analytics.vocabulary import SOURCES


class LandingWriter:
    """JSONL landing files of one import, kept hidden until `commit` (or dropped by `abort`)."""

    def __init__(self, data_dir: Path) -> None:
        """Land under `<data_dir>`'s landing zone."""
        self._root = landing.root_of(data_dir)
        self._partials: dict[Path, Path] = {}
        self._open: dict[Path, BinaryIO] = {}

    def __enter__(self) -> LandingWriter:
        """The writer itself; leaving the block on an error aborts."""
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        """Drop every partial file when the block raised."""
        if exc_type is not None:
            self.abort()

    def append(self, kind: str, day: date, name: str, lines: pl.Series) -> None:
        """Add JSON lines to a landing file; the file stays open until `close_all`."""
        final = landing.day_dir(kind, day, self._root) / f"{name}.jsonl"
        handle = self._open.get(final)
        if handle is None:
            partial = final.with_name(f".{final.name}.partial")
            partial.parent.mkdir(parents=True, exist_ok=True)
            handle = partial.open("ab" if final in self._partials else "wb")
            self._partials[final] = partial
            self._open[final] = handle
        jsonl.append_lines(lines, handle)

    def close_all(self) -> None:
        """Close the open partial files; they may be appended to again later."""
        for handle in self._open.values():
            handle.close()
        self._open.clear()

    def commit(self, names: list[str]) -> list[Path]:
        """Move every written file into place; returns the landing files, sorted."""
        self.close_all()
        for name in names:
            for kind in SOURCES:
                for stale in landing.landed_files(kind, f"{name}.jsonl", self._root):
                    if stale not in self._partials:
                        stale.unlink()
        for final, partial in self._partials.items():
            partial.replace(final)
        return sorted(self._partials)

    def abort(self) -> None:
        """Remove every partial file; nothing of this import lands."""
        self.close_all()
        for partial in self._partials.values():
            partial.unlink(missing_ok=True)
        self._partials.clear()
