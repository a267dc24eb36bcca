"""Building a library: many books in one run, each in its own folder.

Each input (a story file, an EPUB, or a folder as one book) becomes ``OUTDIR/<title>/`` with
everything ``audiobook build`` writes there. Books are built one after another, each with the
whole process pool (or the whole Dask cluster); a book that fails is reported and the others go
on. A book whose outputs are current (same inputs, same options, same version of the tool, every
output still there) is skipped on a rerun, and the others resume from the audio cache.

Library code: progress goes to a :class:`LibraryReporter`; only the CLI prints.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from . import __version__
from .book import read_book
from .errors import AudiobookError, UsageError
from .files import atomic_write, safe_filename
from .pipeline import BuildOptions, build
from .progress import Reporter, Silent
from .report import BuildReport
from .text import story_files

STAMP = ".library.json"
"""In each book's folder: what the book was last built from (to skip it when current)."""


@dataclass(frozen=True)
class LibraryBook:
    """One book of the library: where it comes from and where it goes."""

    input: Path
    """The story file, EPUB or folder."""
    title: str
    """The book's title (from the input, as ``build`` finds it)."""
    outdir: Path
    """``OUTDIR/<title>/``."""


@dataclass(frozen=True)
class Outcome:
    """How one book went."""

    book: LibraryBook
    status: str
    """``"built"``, ``"current"`` (skipped: its outputs are up to date) or ``"failed"``."""
    report: BuildReport | None
    """The book's report (the last one, for a skipped book); None if it failed."""
    wall_s: float
    """Seconds spent on the book in this run."""
    error: str = ""
    """Why it failed."""


class LibraryReporter(Protocol):
    """Where a library build reports each book (the CLI prints a line for each)."""

    def started(self, index: int, total: int, book: LibraryBook) -> Reporter:
        """Book ``index`` (from 1) of ``total`` begins; returns the reporter for its build."""
        ...

    def finished(self, index: int, total: int, outcome: Outcome, elapsed_s: float) -> None:
        """Book ``index`` is done (``elapsed_s``: since the library build began)."""
        ...


def plan_library(inputs: Sequence[Path], outdir: Path) -> list[LibraryBook | Outcome]:
    """Each input's book and folder; an input that cannot be read is already a failed
    :class:`Outcome`. Two books with one title get folders ``<title>``, ``<title> (2)``."""
    if not inputs:
        raise UsageError("give at least one story file, EPUB or folder")
    seen: dict[str, int] = {}
    books: list[LibraryBook | Outcome] = []
    for inp in inputs:
        try:
            title = read_book([inp]).title
        except AudiobookError as exc:
            failed = LibraryBook(inp, inp.name, outdir)
            books.append(Outcome(failed, "failed", None, 0.0, str(exc)))
            continue
        name = safe_filename(title)
        seen[name.lower()] = seen.get(name.lower(), 0) + 1
        if seen[name.lower()] > 1:
            name = f"{name} ({seen[name.lower()]})"
        books.append(LibraryBook(inp, title, outdir / name))
    return books


def fingerprint(book: LibraryBook, opts: BuildOptions) -> str:
    """What a book's outputs depend on: its input files' bytes, the options, the tool."""
    h = hashlib.sha256()
    h.update(f"audiobook {__version__}\n".encode())
    shown = (opts.formats, opts.engine, opts.genre, opts.chapters, opts.author, opts.cover)
    h.update(repr(shown).encode())
    h.update(repr(opts.models).encode())
    # the cast file in the book's folder is read by the next build (users edit it)
    cast = book.outdir / f"{safe_filename(book.title)}.cast.toml"
    extra = (opts.voices, opts.cover, cast)
    for path in [*story_files([book.input]), *(p for p in extra if p and p.is_file())]:
        h.update(str(path.name).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def current_report(book: LibraryBook, opts: BuildOptions) -> BuildReport | None:
    """The book's last report if its outputs are current, else None."""
    try:
        stamp = json.loads((book.outdir / STAMP).read_text(encoding="utf-8"))
        report = BuildReport.from_json(Path(stamp["report"]).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if stamp.get("fingerprint") != fingerprint(book, opts):
        return None
    if not all(p.is_file() for p in report.outputs):
        return None
    return report


def build_one(book: LibraryBook, opts: BuildOptions, rep: Reporter) -> Outcome:
    """Build (or skip) one book; a failure is an outcome, not an exception."""
    started = time.monotonic()
    try:
        report = current_report(book, opts)
        if report is not None:
            return Outcome(book, "current", report, time.monotonic() - started)
        book_opts = replace(opts, inputs=(book.input,), outdir=book.outdir, title=book.title)
        result = build(book_opts, rep)
        report_path = next(p for p in result.outputs if p.name.endswith(".build.json"))
        stamp = {"fingerprint": fingerprint(book, opts), "report": str(report_path)}
        atomic_write(book.outdir / STAMP, json.dumps(stamp, indent=1))
        return Outcome(book, "built", result.report, time.monotonic() - started)
    except AudiobookError as exc:
        return Outcome(book, "failed", None, time.monotonic() - started, str(exc))


def build_library(
    inputs: Sequence[Path], opts: BuildOptions, reporter: LibraryReporter | None = None
) -> list[Outcome]:
    """Build every input as its own book under ``opts.outdir``; the outcomes in input order.

    ``opts`` applies to every book (its ``inputs``, ``outdir`` and ``title`` are each book's).
    """
    started = time.monotonic()
    planned = plan_library(inputs, opts.outdir)
    outcomes: list[Outcome] = []
    for i, item in enumerate(planned, 1):
        if isinstance(item, Outcome):
            outcome = item
        else:
            rep = reporter.started(i, len(planned), item) if reporter else Silent()
            outcome = build_one(item, opts, rep)
        outcomes.append(outcome)
        if reporter:
            reporter.finished(i, len(planned), outcome, time.monotonic() - started)
    return outcomes
