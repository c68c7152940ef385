"""What both imports (`trackboard import tensorboard|mlflow`) share: the summary they end
with, and the progress bar they show while they run (tqdm when installed, as the
optional extras install it; otherwise a line per run)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass
class ImportSummary:
    """What an import did, and what it skipped and why."""

    experiments: int = 0
    logs: int = 0
    points: int = 0
    images: int = 0
    texts: int = 0
    parameters: int = 0
    artifacts: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, why: str, count: int = 1) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + count

    def counts(self) -> str:
        """The running counts, as the progress bar shows them."""
        return f"{self.logs} logs, {self.points} points"

    def __str__(self) -> str:
        said = (f"{self.experiments} experiments, {self.logs} logs, {self.points} points, "
                f"{self.images} images, {self.texts} text lines, {self.parameters} parameters, "
                f"{self.artifacts} artifacts")
        if self.skipped:
            said += "; skipped: " + ", ".join(f"{count} {why}"
                                               for why, count in sorted(self.skipped.items()))
        return said


class Progress(Protocol):
    def advance(self, name: str, summary: ImportSummary) -> None: ...


class _Lines:
    """Without tqdm: one line per run, on stderr."""

    def __init__(self, total: int):
        self.total = total
        self.done = 0

    def advance(self, name: str, summary: ImportSummary) -> None:
        self.done += 1
        print(f"[{self.done}/{self.total}] {name}: {summary.counts()}", file=sys.stderr)


class _Bar:
    def __init__(self, bar: Any):
        self.bar = bar

    def advance(self, name: str, summary: ImportSummary) -> None:
        self.bar.set_postfix_str(f"{name}: {summary.counts()}", refresh=False)
        self.bar.update(1)


@contextmanager
def progress(total: int, unit: str) -> Iterator[Progress]:
    """A bar over `total` runs on stderr, with the summary's counts beside it."""
    try:
        from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        yield _Lines(total)
        return
    with tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True) as bar:
        yield _Bar(bar)
