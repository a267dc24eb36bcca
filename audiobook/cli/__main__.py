"""``python -m audiobook.cli``: the same as the ``audiobook`` command."""

from __future__ import annotations

from . import main

main()
