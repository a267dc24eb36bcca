"""The ``library`` command: many books in one run, each in its own folder, with a summary."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..engines import DEFAULT_ENGINE
from .core import (
    CacheMaxOption,
    CacheOption,
    EngineOption,
    FormatOption,
    ModelsOption,
    SchedulerOption,
    WarnOnly,
    app,
    cache_max_bytes,
    err,
    fmt_duration,
    friendly,
    out,
)

if TYPE_CHECKING:
    from ..library import LibraryBook, Outcome
    from ..progress import Reporter


class LineReporter:
    """A line on stderr as each book starts and ends, with the library's progress so far."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.done = 0
        self.failed = 0

    def started(self, index: int, total: int, book: LibraryBook) -> Reporter:
        if not self.quiet:
            err.print(f"[{index}/{total}] {book.title}: building into {book.outdir}", markup=False)
        return WarnOnly()

    def finished(self, index: int, total: int, outcome: Outcome, elapsed_s: float) -> None:
        self.done += 1
        self.failed += outcome.status == "failed"
        if self.quiet and outcome.status != "failed":
            return
        r = outcome.report
        what = (
            f"failed: {outcome.error}"
            if r is None
            else f"{outcome.status}, {len(r.chapters)} chapters, {fmt_duration(r.duration_ms)}"
            f" of audio, {outcome.wall_s:.1f} s"
        )
        err.print(
            f"[{index}/{total}] {outcome.book.title}: {what} | library: {self.done}/{total} "
            f"done, {self.failed} failed, {fmt_duration(elapsed_s * 1000)} elapsed",
            markup=False,
        )


def print_summary(outcomes: list[Outcome]) -> None:
    """The table at the end: book, chapters, duration, speakers, wall time, status."""
    from rich.table import Table

    table = Table(title="Library", title_justify="left")
    for col in ("book", "chapters", "duration", "speakers", "wall time", "status"):
        table.add_column(col, justify="left" if col in ("book", "status") else "right")
    for o in outcomes:
        r = o.report
        status = o.status
        if r is None:
            table.add_row(o.book.title, "-", "-", "-", f"{o.wall_s:.1f} s", status)
            continue
        table.add_row(
            r.title,
            str(len(r.chapters)),
            fmt_duration(r.duration_ms),
            str(len(r.speakers)),
            f"{o.wall_s:.1f} s",
            status,
        )
    out.print(table)
    for o in outcomes:
        if o.status == "failed":
            out.print(f"failed: {o.book.input}: {o.error}", markup=False)


@app.command()
@friendly
def library(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Books: story files, EPUBs, or folders (a folder is one book).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Library folder: one folder per book.")
    ] = Path("library"),
    fmt: FormatOption = None,
    voices: Annotated[
        Path | None, typer.Option("--voices", help="A voice map (TOML) applied to every book.")
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Speech worker processes (without --scheduler).")
    ] = os.cpu_count() or 1,
    cache: CacheOption = None,
    engine: EngineOption = DEFAULT_ENGINE,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only failures and the summary table.")
    ] = False,
    models: ModelsOption = None,
    scheduler: SchedulerOption = None,
    cache_max: CacheMaxOption = None,
) -> None:
    """Build many books: each input becomes OUTDIR/<title>/ with what `build` writes.

    A line per book shows the library's progress; a table at the end sums it up. A book that
    fails is reported and the others go on (the exit code is 1 if any failed). A rerun skips
    books whose outputs are current and resumes the others from the audio cache. With
    --scheduler, synthesis and chapter encoding run on a Dask cluster's workers.

    Example: audiobook library stories/*.txt novels/ -o library --scheduler tcp://10.0.0.5:8786
    """
    from ..library import build_library
    from ..pipeline import BuildOptions

    opts = BuildOptions(
        inputs=tuple(inputs),
        outdir=output,
        formats=tuple(dict.fromkeys(fmt or ["m4b"])),
        voices=voices,
        jobs=jobs,
        cache=cache,
        engine=engine,
        models=tuple(models or ()),
        scheduler=scheduler,
        cache_max=cache_max_bytes(cache_max),
    )
    outcomes = build_library(inputs, opts, LineReporter(quiet))
    print_summary(outcomes)
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(1)
