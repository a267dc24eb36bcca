"""The command line: the one place that prints, shows progress and exits."""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .errors import AudiobookError, UsageError

app = typer.Typer(
    name="audiobook",
    help="Offline, multi-voice audiobook maker: stories in, chaptered audiobooks out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
bench_app = typer.Typer(help="Measure the tool on evaluation data.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)
_state = {"debug": False}

F = TypeVar("F", bound=Callable[..., Any])


def friendly(fn: F) -> F:
    """Turn library errors into one line on stderr and an exit code (traceback with --debug)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AudiobookError as exc:
            if _state["debug"]:
                raise
            err.print(f"error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            if _state["debug"]:
                raise
            err.print("interrupted: nothing half-written was kept; rerun the same command to resume "
                      "from the cache", markup=False)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        out.print(f"audiobook {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """Offline, multi-voice audiobook maker.

    Example: audiobook build seeds/ -o out --title "Paris Stories"
    """
    _state["debug"] = debug


class RichReporter:
    """Progress bars on stderr for the pipeline's stages."""

    LABELS = {"synthesize": "Synthesizing", "encode": "Assembling chapters", "package": "Writing files"}

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, Any] = {}
        self.lock = threading.Lock()

    def stage(self, name: str, total: int) -> None:
        with self.lock:
            if not self.tasks:
                self.progress.start()  # only once work begins, so early errors stay one line
            self.tasks[name] = self.progress.add_task(self.LABELS.get(name, name), total=total)

    def close(self) -> None:
        if self.tasks:
            self.progress.stop()

    def advance(self, name: str, n: int = 1) -> None:
        with self.lock:
            task = self.tasks.get(name)
        if task is not None:
            self.progress.advance(task, n)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


def _fmt_duration(ms: float) -> str:
    s = int(ms // 1000)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


FORMAT_CHOICES = ("m4b", "mp3")


@app.command()
@friendly
def build(
    inputs: Annotated[list[Path], typer.Argument(help="Story files (.txt, .md) or directories of them.", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output directory.")] = Path("out"),
    fmt: Annotated[list[str] | None, typer.Option("--format", "-f", help="m4b (default) or mp3; repeat for both.")] = None,
    voices: Annotated[Path | None, typer.Option("--voices", help="A voice map (TOML) to apply over the palette.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Speech worker processes.")] = os.cpu_count() or 1,
    cache: Annotated[Path | None, typer.Option("--cache", help="Audio cache directory [default: ~/.cache/audiobook].")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Book title (default: from the input).")] = None,
    author: Annotated[str | None, typer.Option("--author", help="Author tag.")] = None,
    cover: Annotated[Path | None, typer.Option("--cover", help="Cover image (JPEG or PNG).")] = None,
    engine: Annotated[str, typer.Option("--engine", help="Speech engine: pyttsx3, or fake for a dry run.")] = "pyttsx3",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary.")] = False,
) -> None:
    """Build an audiobook: one chapter per story (or per chapter heading), a voice per speaker.

    Writes OUTDIR/<title>.m4b (and .mp3 with --format mp3), plus <title>.script.json,
    <title>.vtt, <title>.cast.toml and <title>.build.json. Reruns reuse the audio cache and
    a build interrupted with Ctrl-C resumes where it stopped.

    Example: audiobook build seeds/ -o out --title "Paris Stories" --format m4b --format mp3
    """
    from .pipeline import BuildOptions
    from .pipeline import build as run_build

    formats = tuple(dict.fromkeys(fmt or ["m4b"]))
    for f in formats:
        if f not in FORMAT_CHOICES:
            raise UsageError(f"unknown format {f!r}; choose one of: {', '.join(FORMAT_CHOICES)}")
    opts = BuildOptions(
        inputs=tuple(inputs), outdir=output, formats=formats, voices=voices, jobs=jobs, cache=cache,
        title=title, author=author, cover=cover, engine=engine,
    )
    if quiet:
        result = run_build(opts)
    else:
        reporter = RichReporter(_progress())
        try:
            result = run_build(opts, reporter)
        finally:
            reporter.close()
    if quiet:
        return
    r = result.report
    out.print(
        f"Built {r['title']!r}: {len(r['chapters'])} chapters, {_fmt_duration(r['duration_ms'])} of audio, "
        f"{len(r['speakers'])} speakers, {r['segments']} segments ({r['synthesized']} synthesized, "
        f"{r['reused']} from cache) in {r['wall_s']:.1f} s ({r['realtime_factor']}x real time)",
        markup=False,
    )
    for p in result.outputs:
        out.print(f"  {p}", markup=False)


@app.command()
@friendly
def script(
    input: Annotated[Path, typer.Argument(help="A story file or a directory of stories.", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or text.")] = "text",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Show who says what: the story split into narration and dialogue, each line with its speaker.

    json follows the schema audiobook.script/1 (cast, chapters, segments with offsets,
    speaker, evidence and confidence); text is for reading, coloured by speaker.

    Example: audiobook script seeds/002_7920a8a583bb5bde.txt --format json -o script.json
    """
    from .pipeline import read_book, script_dict

    if fmt not in ("json", "text"):
        raise UsageError(f"unknown format {fmt!r}; choose json or text")
    book = read_book([input])
    if fmt == "json":
        text = json.dumps(script_dict(book, str(input)), ensure_ascii=False, indent=1) + "\n"
        _emit(text, output)
        return
    if output is not None:
        _emit(_script_text(book, color=False), output)
        return
    _print_script(book)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from .pipeline import _atomic_write

    _atomic_write(output, text)


_COLORS = ["cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta",
           "bright_green", "bright_yellow", "bright_blue", "bright_red"]


def _speaker_colors(book: Any) -> dict[str, str]:
    return {c.id: _COLORS[i % len(_COLORS)] for i, c in enumerate(book.cast)}


def _script_text(book: Any, color: bool) -> str:
    lines = []
    names = {c.id: c.name for c in book.cast}
    for ch in book.chapters:
        lines.append(f"== {ch.index}. {ch.title}")
        for s in ch.segments:
            if s.kind == "dialogue":
                who = names.get(s.speaker, "Narrator")
                lines.append(f"  {who}: {' '.join(s.text.split())}   [{s.evidence} {s.confidence:.2f}]")
    return "\n".join(lines) + "\n"


def _print_script(book: Any) -> None:
    from rich.text import Text

    colors = _speaker_colors(book)
    names = {c.id: c.name for c in book.cast}
    out.print("Cast: " + ", ".join(f"{c.name} ({c.gender}, {c.lines} lines)" for c in book.cast), markup=False)
    for ch in book.chapters:
        out.print(Text(f"\n== {ch.index}. {ch.title}", style="bold"))
        for s in ch.segments:
            body = " ".join(s.text.split())
            if not body:
                continue
            if s.kind == "dialogue":
                who = names.get(s.speaker, "Narrator")
                t = Text()
                t.append(f"{who}: ", style=f"bold {colors.get(s.speaker, 'white')}")
                t.append(body, style=colors.get(s.speaker, "white"))
                t.append(f"  [{s.evidence} {s.confidence:.2f}]", style="dim")
                out.print(t)
            else:
                out.print(Text(body, style="dim"))


@bench_app.command("attribution")
@friendly
def bench_attribution(
    dirs: Annotated[list[Path], typer.Argument(help="Novel folders (novel_text.txt, quotation_info.csv, character_info.csv).", show_default=False)],
) -> None:
    """Score speaker attribution against annotated novels (the PDNC layout).

    Prints per novel and overall: accuracy, accuracy by quote type, the share of gold quotes
    found as dialogue, voice consistency, and analysis time.

    Example: audiobook bench attribution ../shared/pdnc-dev/*/
    """
    from .evaluate import bench_attribution as run, format_report

    for d in dirs:
        if not (d / "novel_text.txt").is_file():
            raise UsageError(f"{d}: not a novel folder (no novel_text.txt)")
    out.print(format_report(run(dirs)), markup=False, highlight=False, soft_wrap=True)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
