"""The command line: the one place that prints, shows progress and exits.

Split the way beets splits ``ui/__init__.py`` from ``ui/commands.py``: :mod:`.core` holds the
application, error handling and progress display; :mod:`.commands` and :mod:`.voices` hold
the commands, each of which parses its options, calls the library, and prints the result.
"""

from __future__ import annotations

from . import cache, check, commands, library, voices
from .cache import cache_app
from .core import app

app.add_typer(cache_app, name="cache")

__all__ = ["app", "cache", "check", "commands", "library", "main", "voices"]


def main() -> None:
    """Console-script entry point."""
    app()
