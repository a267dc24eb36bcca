"""Shared fixtures: small stories written for the tests, a CLI runner, a private cache, and
``build_book``, the one way tests run a build in-process."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest
from typer.testing import CliRunner, Result

from audiobook.cli import app

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


@dataclass(frozen=True)
class Built:
    """One in-process ``audiobook build``: what the command said, and where it wrote."""

    result: Result
    """The CLI runner's result."""
    out: Path
    """The output directory."""

    @property
    def exit_code(self) -> int:
        """The command's exit code."""
        return self.result.exit_code

    @property
    def stdout(self) -> str:
        """What it printed on stdout."""
        return self.result.stdout

    @property
    def stderr(self) -> str:
        """What it printed on stderr."""
        return self.result.stderr

    @property
    def output(self) -> str:
        """Everything it printed."""
        return self.result.output

    def report(self) -> dict[str, Any]:
        """The ``<book>.build.json`` it wrote, read back."""
        return json.loads(next(self.out.glob("*.build.json")).read_text())  # type: ignore[no-any-return]

    def script(self) -> dict[str, Any]:
        """The ``<book>.script.json`` it wrote, read back."""
        return json.loads(next(self.out.glob("*.script.json")).read_text())  # type: ignore[no-any-return]


class BuildBook(Protocol):
    """The ``build_book`` fixture's signature."""

    def __call__(
        self,
        *inputs: Path,
        out: Path | None = None,
        cache: Path | None = None,
        engine: str | None = "fake",
        quiet: bool = True,
        extra: Sequence[str] = (),
        ok: bool = True,
    ) -> Built: ...


@pytest.fixture()
def build_book(runner: CliRunner, tmp_path: Path) -> BuildBook:
    """Run ``audiobook build INPUTS -o OUT --cache CACHE --engine ENGINE [-q] EXTRA`` in-process.

    Defaults: ``out`` is ``tmp_path/out``, ``cache`` the test's private ``tmp_path/cache``,
    the fake engine (``engine=None``: the default engine), quiet. With ``ok`` the build must
    succeed; pass ``ok=False`` to look at a failure.
    """

    def run(
        *inputs: Path,
        out: Path | None = None,
        cache: Path | None = None,
        engine: str | None = "fake",
        quiet: bool = True,
        extra: Sequence[str] = (),
        ok: bool = True,
    ) -> Built:
        out = out or tmp_path / "out"
        args = ["build", *map(str, inputs), "-o", str(out)]
        args += ["--cache", str(cache or tmp_path / "cache")]
        args += ["--engine", engine] if engine else []
        args += [*extra, *(["-q"] if quiet else [])]
        res = runner.invoke(app, args)
        if ok:
            assert res.exit_code == 0, res.output + str(res.exception)
        return Built(res, out)

    return run
