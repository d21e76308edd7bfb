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

KINDS = ("events", "products", "users")


def landing_path(data_dir: Path, kind: str, day: date, name: str) -> Path:
    return data_dir / "raw" / kind / f"date={day.isoformat()}" / f"{name}.jsonl"


class LandingWriter:
    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._partials: dict[Path, Path] = {}
        self._open: dict[Path, BinaryIO] = {}

    def __enter__(self) -> LandingWriter:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is not None:
            self.abort()

    def append(self, kind: str, day: date, name: str, lines: pl.Series) -> None:
        """Add JSON lines to a landing file; the file stays open until `close_all`."""
        final = landing_path(self._data_dir, kind, day, name)
        handle = self._open.get(final)
        if handle is None:
            partial = final.with_name(f".{final.name}.partial")
            partial.parent.mkdir(parents=True, exist_ok=True)
            handle = partial.open("ab" if final in self._partials else "wb")
            self._partials[final] = partial
            self._open[final] = handle
        lines.to_frame("line").write_csv(handle, include_header=False, quote_style="never")

    def close_all(self) -> None:
        for handle in self._open.values():
            handle.close()
        self._open.clear()

    def commit(self, names: list[str]) -> list[Path]:
        """Move every written file into place; returns the landing files, sorted."""
        self.close_all()
        raw = self._data_dir / "raw"
        for name in names:
            for kind in KINDS:
                for stale in raw.glob(f"{kind}/date=*/{name}.jsonl"):
                    if stale not in self._partials:
                        stale.unlink()
        for final, partial in self._partials.items():
            partial.replace(final)
        return sorted(self._partials)

    def abort(self) -> None:
        self.close_all()
        for partial in self._partials.values():
            partial.unlink(missing_ok=True)
        self._partials.clear()
