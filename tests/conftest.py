"""Shared fixtures: small stories written for the tests, a CLI runner, a private cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent

TWO_VOICES = """\
Marta Vidal pushed open the bakery door and shook the snow from her scarf.

"Two loaves, please," Marta said, counting coins onto the counter.

The baker, a tall man named Tomas, wiped his hands on his apron. "Rye or white?" Tomas asked.

"Rye, always rye," she replied with a grin.
"""


@pytest.fixture()
def runner() -> CliRunner:
    """A CLI runner (stderr kept apart from stdout)."""
    return CliRunner()


@pytest.fixture()
def cache(tmp_path: Path) -> Path:
    """A private audio cache for one test."""
    return tmp_path / "cache"


@pytest.fixture()
def story(tmp_path: Path) -> Path:
    """A tiny two-speaker story."""
    p = tmp_path / "bakery.txt"
    p.write_text(TWO_VOICES, encoding="utf-8")
    return p


@pytest.fixture()
def book_dir(tmp_path: Path) -> Path:
    """A book of three chapter files, named to test natural sort order."""
    d = tmp_path / "book"
    d.mkdir()
    (d / "chapter10.txt").write_text(
        "The Last Train\n\nAt dawn Marta boarded the last train north.\n\n"
        '"Goodbye," Tomas said from the platform.\n',
        encoding="utf-8",
    )
    (d / "chapter2.txt").write_text(TWO_VOICES, encoding="utf-8")
    (d / "chapter1.md").write_text(
        "# Snow in the Valley\n\nThe snow fell on the valley all night long, and the river froze.\n",
        encoding="utf-8",
    )
    return d
