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

    LABELS = {
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
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Story files (.txt, .md) or directories of them.", show_default=False),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output directory.")] = Path("out"),
    fmt: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="m4b (default) or mp3; repeat for both."),
    ] = None,
    voices: Annotated[
        Path | None, typer.Option("--voices", help="A voice map (TOML) to apply over the palette.")
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Speech worker processes.")
    ] = os.cpu_count() or 1,
    cache: Annotated[
        Path | None,
        typer.Option("--cache", help="Audio cache directory [default: ~/.cache/audiobook]."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Book title (default: from the input).")
    ] = None,
    author: Annotated[str | None, typer.Option("--author", help="Author tag.")] = None,
    cover: Annotated[
        Path | None, typer.Option("--cover", help="Cover image (JPEG or PNG).")
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="Speech engine: pyttsx3, or fake for a dry run.")
    ] = "pyttsx3",
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress and no summary.")
    ] = False,
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
        inputs=tuple(inputs),
        outdir=output,
        formats=formats,
        voices=voices,
        jobs=jobs,
        cache=cache,
        title=title,
        author=author,
        cover=cover,
        engine=engine,
    )
    if quiet:
        result = run_build(opts, WarnOnly())
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
        f"Built {r.title!r}: {len(r.chapters)} chapters, {_fmt_duration(r.duration_ms)} of audio, "
        f"{len(r.speakers)} speakers, {r.segments} segments ({r.synthesized} synthesized, "
        f"{r.reused} from cache) in {r.wall_s:.1f} s ({r.realtime_factor}x real time)",
        markup=False,
    )
    for p in result.outputs:
        out.print(f"  {p}", markup=False)


@app.command()
@friendly
def script(
    input: Annotated[
        Path, typer.Argument(help="A story file or a directory of stories.", show_default=False)
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or text.")] = "text",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
    voices: Annotated[
        Path | None,
        typer.Option("--voices", help="A voice map whose [[line]] corrections to apply."),
    ] = None,
) -> None:
    """Show who says what: the story split into narration and dialogue, each line with its speaker.

    json follows the schema audiobook.script/1 (cast, chapters, segments with offsets,
    speaker, evidence and confidence); text is for reading, coloured by speaker.

    Example: audiobook script seeds/002_7920a8a583bb5bde.txt --format json -o script.json
    """
    from .book import corrected_book, script_dict

    if fmt not in ("json", "text"):
        raise UsageError(f"unknown format {fmt!r}; choose json or text")
    book, _ = corrected_book([input], _voice_map(voices, "pyttsx3"), reporter=WarnOnly())
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
    from .files import atomic_write

    atomic_write(output, text)


_COLORS = [
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
                lines.append(
                    f"  {who}: {' '.join(s.text.split())}   [{s.evidence} {s.confidence:.2f}]"
                )
    return "\n".join(lines) + "\n"


def _print_script(book: Any) -> None:
    from rich.text import Text

    colors = _speaker_colors(book)
    names = {c.id: c.name for c in book.cast}
    out.print(
        "Cast: "
        + ", ".join(
            f"{c.name} ({c.gender}, {c.lines} line{'' if c.lines == 1 else 's'})" for c in book.cast
        ),
        markup=False,
    )
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
    dirs: Annotated[
        list[Path],
        typer.Argument(
            help="Novel folders (novel_text.txt, quotation_info.csv, character_info.csv).",
            show_default=False,
        ),
    ],
) -> None:
    """Score speaker attribution against annotated novels (the PDNC layout).

    Prints per novel and overall: accuracy, accuracy by quote type, the share of gold quotes
    found as dialogue, voice consistency, analysis time, and where the lost quotes went.

    Example: audiobook bench attribution ../shared/pdnc-dev/*/
    """
    from .evaluate import bench_attribution as run
    from .evaluate import format_report

    for d in dirs:
        if not (d / "novel_text.txt").is_file():
            raise UsageError(f"{d}: not a novel folder (no novel_text.txt)")
    out.print(format_report(run(dirs)), markup=False, highlight=False, soft_wrap=True)


# --- voices -------------------------------------------------------------------------------


def _voice_map(voices: Path | None, engine: str) -> Any:
    from .casting import load_voice_map
    from .engines import engine_catalog

    return load_voice_map(voices, engine_catalog(engine))


def _warn_unknown_characters(vm: Any, book: Any) -> None:
    from .casting import unknown_character_entries

    missing = unknown_character_entries(vm, book.cast)
    if missing:
        err.print(
            f"warning: {vm.source}: no character called {', '.join(map(repr, missing))} in this "
            "book; check the spelling (`audiobook voices cast INPUT` lists the cast)",
            markup=False,
        )


@voices_app.command("list")
@friendly
def voices_list(
    sample: Annotated[
        str | None,
        typer.Option(
            "--sample", help="Speak a sample sentence in this voice (palette name or engine voice)."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Where to write the sample (WAV).")
    ] = None,
    play_it: Annotated[bool, typer.Option("--play", help="Play the sample.")] = False,
    voices: Annotated[Path | None, typer.Option("--voices", help="A voice map to include.")] = None,
    engine: Annotated[str, typer.Option("--engine", help="Speech engine.")] = "pyttsx3",
) -> None:
    """List the palette's voices and the engine's own voices; --sample NAME speaks one.

    Example: audiobook voices list --sample Beatrice --play
    """
    from rich.table import Table

    from .casting import Voice
    from .engines import engine_catalog

    vm = _voice_map(voices, engine)
    if sample is None:
        table = Table(title=f"Palette ({vm.source})")
        for col in ("voice", "gender", "engine voice", "pitch", "range", "rate", "auto"):
            table.add_column(col)
        for v in vm.voices.values():
            role = " (narrator)" if v.name == vm.narrator else ""
            table.add_row(
                v.name + role,
                v.gender,
                v.settings.engine_voice,
                str(v.pitch),
                str(v.range),
                str(v.rate),
                "yes" if v.auto else "no",
            )
        out.print(table)
        catalog = engine_catalog(engine)
        if catalog is not None:
            bases, variants = catalog
            out.print(
                f"\nEngine base voices ({len(bases)}): " + ", ".join(sorted(bases)), markup=False
            )
            out.print(
                f"Variants ({len(variants)}): " + ", ".join(sorted(variants, key=str.lower)),
                markup=False,
            )
            out.print(
                "A voice is base+variant, e.g. en-gb-x-rp+f2; define new ones in a voice map.",
                markup=False,
            )
        return
    voice = vm.voices.get(sample)
    if voice is None:
        catalog = engine_catalog(engine)
        base = sample.partition("+")[0].lower()
        if catalog is not None and base not in catalog[0]:
            from .casting import _suggest

            raise UsageError(
                f"no voice {sample!r} in the palette or the engine{_suggest(sample, list(vm.voices))}"
            )
        voice = Voice(
            name=sample,
            gender="neutral",
            base=sample.partition("+")[0],
            variant=sample.partition("+")[2],
        )
    _speak_lines(
        [_line(voice)],
        output or Path(f"sample-{_slug(sample)}.wav"),
        play_it,
        _synth(engine, None, 0),
    )


def _slug(s: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9_-]+", "-", s).strip("-") or "voice"


def _line(voice: Any) -> Any:
    from .model import NARRATOR
    from .preview import SAMPLE_TEXT, _line

    return _line(NARRATOR, voice, SAMPLE_TEXT)


def _synth(engine: str, cache: Path | None, jobs: int) -> Any:
    from .synth import AudioCache, Synthesizer, default_cache_dir

    store = AudioCache(cache or default_cache_dir())
    store.prepare()
    return Synthesizer(engine, store, jobs)


def _speak_lines(
    lines: list[Any],
    dest: Path,
    play_it: bool,
    synth: Any,
    show: Callable[[Any], None] | None = None,
) -> None:
    from .preview import play, render, write_audio

    try:
        audio = render(lines, synth, on_line=show)
    finally:
        synth.close(cancel=True)
    write_audio(audio, dest)
    err.print(f"wrote {dest} ({len(audio) / 1000:.1f} s)", markup=False)
    if play_it and not play(dest):
        err.print(
            "no audio player found (tried paplay, aplay, ffplay, afplay); open the file yourself",
            markup=False,
        )


@voices_app.command("cast")
@friendly
def voices_cast(
    input: Annotated[
        list[Path],
        typer.Argument(help="A story file or a directory of stories.", show_default=False),
    ],
    voices: Annotated[Path | None, typer.Option("--voices", help="A voice map to apply.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    engine: Annotated[
        str, typer.Option("--engine", help="Speech engine (for checking voice names).")
    ] = "pyttsx3",
) -> None:
    """Show who gets which voice: one row per character and the narrator.

    json is a list of {"character", "gender", "lines", "voice", "voice_gender"}.

    Example: audiobook voices cast seeds/002_7920a8a583bb5bde.txt --format json
    """
    from .book import corrected_book
    from .casting import casting_for
    from .model import NARRATOR

    if fmt not in ("table", "json"):
        raise UsageError(f"unknown format {fmt!r}; choose table or json")
    vm = _voice_map(voices, engine)
    book, _ = corrected_book(input, vm, reporter=WarnOnly())
    _warn_unknown_characters(vm, book)
    casting = casting_for(book, vm)
    narration = sum(
        1 for ch in book.chapters for s in ch.segments if s.speaker == NARRATOR and s.text.strip()
    )
    rows = [
        {
            "character": "Narrator",
            "gender": "unknown",
            "lines": narration,
            "voice": casting.voices[NARRATOR].name,
            "voice_gender": casting.voices[NARRATOR].gender,
        }
    ]
    for c in book.cast:
        v = casting.voices[c.id]
        rows.append(
            {
                "character": c.name,
                "gender": c.gender,
                "lines": c.lines,
                "voice": v.name,
                "voice_gender": v.gender,
            }
        )
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    from rich.table import Table

    table = Table()
    for col in ("character", "gender", "lines", "voice", "voice gender", "engine voice"):
        table.add_column(col)
    for r, sp in zip(rows, [NARRATOR, *[c.id for c in book.cast]], strict=True):
        table.add_row(
            str(r["character"]),
            str(r["gender"]),
            str(r["lines"]),
            str(r["voice"]),
            str(r["voice_gender"]),
            casting.voices[sp].settings.engine_voice,
        )
    out.print(table)


@voices_app.command("init")
@friendly
def voices_init(
    input: Annotated[
        list[Path],
        typer.Argument(help="A story file or a directory of stories.", show_default=False),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="The voice map to write.")] = Path(
        "voices/mybook.toml"
    ),
    voices: Annotated[
        Path | None, typer.Option("--voices", help="Start from this voice map.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    engine: Annotated[str, typer.Option("--engine", help="Speech engine.")] = "pyttsx3",
) -> None:
    """Write an editable voice map for a story's cast, with comments.

    Example: audiobook voices init seeds/ -o voices/paris.toml
    """
    from .book import corrected_book
    from .casting import casting_for, voice_map_template
    from .files import atomic_write

    if output.exists() and not force:
        raise UsageError(f"{output} already exists; choose another -o or pass --force")
    vm = _voice_map(voices, engine)
    book, _ = corrected_book(input, vm, reporter=WarnOnly())
    text = voice_map_template(book.cast, casting_for(book, vm), vm)
    atomic_write(output, text)
    err.print(f"wrote {output}: edit it, then build with --voices {output}", markup=False)


# --- lint ---------------------------------------------------------------------------------


@app.command()
@friendly
def lint(
    input: Annotated[
        list[Path],
        typer.Argument(help="A story file or a directory of stories.", show_default=False),
    ],
    voices: Annotated[
        Path | None,
        typer.Option("--voices", help="A voice map whose corrections are already applied."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most this many lines.")] = 20,
    below: Annotated[
        float, typer.Option("--below", help="Only lines with confidence below this.")
    ] = 0.75,
) -> None:
    """List the lines worth a human look, least confident first, each with a ready fix.

    Each entry shows the line in context, the chosen speaker and the runner-up, and a
    [[line]] correction to paste into your voice map (--voices FILE) if the runner-up is right.

    Example: audiobook lint seeds/ --voices voices/paris.toml -n 10
    """
    from .book import corrected_book
    from .corrections import occurrence_of

    vm = _voice_map(voices, "pyttsx3")
    book, _ = corrected_book(input, vm, reporter=WarnOnly())
    names = {c.id: c.name for c in book.cast}
    names["narrator"] = "narrator"
    doubtful = [
        (s.confidence, ch, s)
        for ch in book.chapters
        for s in ch.segments
        if s.kind == "dialogue" and s.evidence != "correction" and s.confidence < below
    ]
    doubtful.sort(key=lambda t: (t[0], t[1].index, t[2].start))
    if not doubtful:
        out.print(f"No line below confidence {below}: nothing to review.", markup=False)
        return
    out.print(
        f"{len(doubtful)} lines below confidence {below}; the {min(limit, len(doubtful))} least sure:\n",
        markup=False,
    )
    for conf, ch, seg in doubtful[:limit]:
        text = book.sources[ch.source].text
        before = " ".join(text[max(ch.start, seg.start - 160) : seg.start].split())[-100:]
        after = " ".join(text[seg.end : min(ch.end, seg.end + 80)].split())[:60]
        words, occurrence = occurrence_of(book, ch, seg)
        chosen = names.get(seg.speaker, seg.speaker)
        other = names.get(seg.runner_up, seg.runner_up) if seg.runner_up else None
        out.print(
            f"{ch.title} [{seg.id}]  confidence {conf:.2f} ({seg.evidence})",
            markup=False,
            style="bold",
        )
        out.print(f"  …{before} ", markup=False, end="")
        out.print(" ".join(seg.text.split()), markup=False, style="yellow", end="")
        out.print(f" {after}…", markup=False)
        out.print(
            f"  speaker: {chosen}" + (f"   runner-up: {other}" if other else ""), markup=False
        )
        suggestion = other or chosen
        out.print("  fix:", markup=False, style="dim")
        out.print("    [[line]]", markup=False)
        out.print(f"    text = {json.dumps(words, ensure_ascii=False)}", markup=False)
        if occurrence != 1:
            out.print(f"    occurrence = {occurrence}", markup=False)
        out.print(f"    speaker = {json.dumps(suggestion, ensure_ascii=False)}\n", markup=False)


# --- preview ------------------------------------------------------------------------------


@app.command()
@friendly
def preview(
    story: Annotated[
        Path | None, typer.Argument(help="A story file (or directory).", show_default=False)
    ] = None,
    chapter: Annotated[
        int | None, typer.Option("--chapter", help="Only this chapter (1-based).")
    ] = None,
    lines: Annotated[
        int | None, typer.Option("--lines", help="Only the first N spoken lines.")
    ] = None,
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Only this character's lines (name or alias).")
    ] = None,
    cast_input: Annotated[
        Path | None,
        typer.Option("--cast", help="Render a cast reel of this story or book instead."),
    ] = None,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Where to write the audio (.wav, .mp3, .m4a).")
    ] = Path("preview.wav"),
    play_it: Annotated[bool, typer.Option("--play", help="Play it when done.")] = False,
    voices: Annotated[Path | None, typer.Option("--voices", help="A voice map to apply.")] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Speech worker processes.")
    ] = os.cpu_count() or 1,
    cache: Annotated[Path | None, typer.Option("--cache", help="Audio cache directory.")] = None,
    engine: Annotated[str, typer.Option("--engine", help="Speech engine.")] = "pyttsx3",
) -> None:
    """Hear a story, or a slice of it, quickly, with the script shown as it renders.

    --cast INPUT renders a cast reel instead: the narrator names each character, who then
    says one of their first lines.

    Example: audiobook preview seeds/002_7920a8a583bb5bde.txt --lines 6 --play
    """
    from rich.text import Text

    from .book import corrected_book
    from .casting import casting_for
    from .model import NARRATOR
    from .preview import cast_reel, select_lines

    source = cast_input or story
    if source is None:
        raise UsageError("give a STORY to preview, or --cast INPUT for a cast reel")
    vm = _voice_map(voices, engine)
    book, _ = corrected_book([source], vm, reporter=WarnOnly())
    _warn_unknown_characters(vm, book)
    casting = casting_for(book, vm)
    synth = _synth(engine, cache, jobs)
    chosen = (
        cast_reel(book, casting)
        if cast_input
        else select_lines(book, casting, synth, chapter, lines, speaker)
    )
    if not chosen:
        raise UsageError("nothing to preview: no spoken lines match")
    colors = _speaker_colors(book)
    names = {c.id: c.name for c in book.cast}

    def show(line: Any) -> None:
        who = "Narrator" if line.speaker == NARRATOR else names.get(line.speaker, line.speaker)
        t = Text()
        t.append(f"{who} [{line.voice_name}]: ", style=f"bold {colors.get(line.speaker, 'white')}")
        t.append(line.text, style=colors.get(line.speaker, "dim"))
        out.print(t)

    _speak_lines(chosen, output, play_it, synth, show)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
