"""How library code tells the user what is happening without printing: the :class:`Reporter`.

The CLI passes progress bars (or warnings only); tests and the library's own callers pass
:class:`Silent`. Anything long reports its stages here, anything worth a warning warns here.
"""

from __future__ import annotations

from typing import Protocol


class Reporter(Protocol):
    """Progress sink: the CLI shows bars; tests and --quiet pass :class:`Silent`."""

    def stage(self, name: str, total: int) -> None:
        """A stage with ``total`` steps begins."""

    def advance(self, name: str, n: int = 1) -> None:
        """``n`` steps of stage ``name`` are done (may be called from other threads)."""

    def warn(self, message: str) -> None:
        """Something the user should know that does not stop the build."""


class Silent:
    """A reporter that reports nothing."""

    def stage(self, name: str, total: int) -> None:
        """Ignore."""

    def advance(self, name: str, n: int = 1) -> None:
        """Ignore."""

    def warn(self, message: str) -> None:
        """Ignore."""
