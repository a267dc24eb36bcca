"""The application and what every command shares: error handling, progress, output."""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .. import __version__
from ..errors import AudiobookError
from ..files import atomic_write
from ..model import Character

ModelsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--models",
        help="A folder of Piper voices (.onnx files with their .onnx.json); repeatable "
        "[default: $AUDIOBOOK_MODELS].",
    ),
]
"""``--models DIR``, taken by every command that reads a voice map."""

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
voices_app = typer.Typer(
    help="The voice palette, the engine's voices, and who gets which voice.\n\n"
    "Example: audiobook voices cast seeds/ --format json",
    no_args_is_help=True,
)
app.add_typer(voices_app, name="voices")

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)
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
            err.print(
                "interrupted: nothing half-written was kept; rerun the same command to resume "
                "from the cache",
                markup=False,
            )
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        out.print(f"audiobook {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Offline, multi-voice audiobook maker.

    Example: audiobook build seeds/ -o out --title "Paris Stories"
    """
    _state["debug"] = debug


class RichReporter:
    """Progress bars on stderr for the pipeline's stages."""

    LABELS: ClassVar[dict[str, str]] = {
        "synthesize": "Synthesizing",
        "encode": "Assembling chapters",
        "package": "Writing files",
    }

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

    def warn(self, message: str) -> None:
        self.progress.console.print(f"warning: {message}", markup=False, soft_wrap=True)

    def advance(self, name: str, n: int = 1) -> None:
        with self.lock:
            task = self.tasks.get(name)
        if task is not None:
            self.progress.advance(task, n)


class WarnOnly:
    """No progress (--quiet, or commands without long work), but warnings still shown."""

    def stage(self, name: str, total: int) -> None:
        pass

    def advance(self, name: str, n: int = 1) -> None:
        pass

    def warn(self, message: str) -> None:
        err.print(f"warning: {message}", markup=False, soft_wrap=True)


def progress_bars() -> RichReporter:
    """A reporter with progress bars on stderr (call ``close()`` when done)."""
    return RichReporter(
        Progress(
            TextColumn("{task.description:<20}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=False,
        )
    )


def fmt_duration(ms: float) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour."""
    s = int(ms // 1000)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def emit(text: str, output: Path | None) -> None:
    """``text`` to stdout, or written (whole or not at all) to ``output``."""
    if output is None:
        sys.stdout.write(text)
        return
    atomic_write(output, text)


COLORS = [
    "cyan",
    "magenta",
    "green",
    "yellow",
    "blue",
    "red",
    "bright_cyan",
    "bright_magenta",
    "bright_green",
    "bright_yellow",
    "bright_blue",
    "bright_red",
]


def speaker_colors(cast: Sequence[Character]) -> dict[str, str]:
    """Cast id -> a colour for it, in cast order."""
    return {c.id: COLORS[i % len(COLORS)] for i, c in enumerate(cast)}


FormatOption = Annotated[
    list[str] | None,
    typer.Option("--format", "-f", help="m4b (default) or mp3; repeat for both."),
]
"""``--format``, taken by build and library."""

CacheOption = Annotated[
    Path | None,
    typer.Option("--cache", help="Audio cache directory [default: ~/.cache/audiobook]."),
]
"""``--cache DIR``, taken by build and library."""

EngineOption = Annotated[
    str, typer.Option("--engine", help="Speech engine: pyttsx3, or fake for a dry run.")
]
"""``--engine``, taken by build and library."""

SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="A Dask scheduler (tcp://HOST:PORT) whose workers synthesize and encode "
        "[default: $AUDIOBOOK_SCHEDULER; none: this machine's processes].",
        show_default=False,
    ),
]
"""``--scheduler``, taken by build and library (needs the ``dask`` extra)."""

CacheMaxOption = Annotated[
    str | None,
    typer.Option(
        "--cache-max",
        envvar="AUDIOBOOK_CACHE_MAX",
        help="After the build, prune the audio cache to this size, least recently used first "
        "(500MB, 2GB) [default: $AUDIOBOOK_CACHE_MAX; none: keep everything].",
        show_default=False,
    ),
]
"""``--cache-max SIZE``, taken by build and library."""


def cache_max_bytes(text: str | None) -> int | None:
    """``--cache-max`` in bytes (None: no limit)."""
    from ..cachestore import parse_size

    return None if text is None or not text.strip() else parse_size(text)
