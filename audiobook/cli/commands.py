"""The commands that read a book: build, script, lint, preview, and bench attribution."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..engines import DEFAULT_ENGINE
from ..errors import UsageError
from .core import (
    CacheMaxOption,
    CacheOption,
    EngineOption,
    FormatOption,
    ModelsOption,
    SchedulerOption,
    WarnOnly,
    app,
    bench_app,
    cache_max_bytes,
    emit,
    err,
    fmt_duration,
    friendly,
    out,
    progress_bars,
    speaker_colors,
)

if TYPE_CHECKING:
    from ..lint import Review
    from ..model import Book
    from ..pipeline import BuildResult
    from ..preview import Line
    from ..synth import Synthesizer


Chapters = Annotated[
    str | None,
    typer.Option("--chapters", help="Only these chapters: 3-7, 2,5,9, or words of their titles."),
]
"""The --chapters option of build and preview (see :func:`audiobook.book.select_chapters`)."""

BuildProfile = Annotated[
    str,
    typer.Option("--profile", help="acx: also write ACX's files into OUTDIR/<title> (ACX)/."),
]
"""build's --profile (``acx``: see :mod:`audiobook.acx`)."""


@app.command()
@friendly
def build(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Story files (.txt, .md, .epub) or directories of them.", show_default=False
        ),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output directory.")] = Path("out"),
    fmt: FormatOption = None,
    voices: Annotated[
        Path | None, typer.Option("--voices", help="A voice map (TOML) to apply over the palette.")
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Speech worker processes.")
    ] = os.cpu_count() or 1,
    cache: CacheOption = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Book title (default: from the input).")
    ] = None,
    author: Annotated[str | None, typer.Option("--author", help="Author tag.")] = None,
    cover: Annotated[
        Path | None, typer.Option("--cover", help="Cover image (JPEG or PNG).")
    ] = None,
    engine: EngineOption = DEFAULT_ENGINE,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress and no summary.")
    ] = False,
    models: ModelsOption = None,
    chapters: Chapters = None,
    profile: BuildProfile = "default",
    scheduler: SchedulerOption = None,
    cache_max: CacheMaxOption = None,
) -> None:
    """Build an audiobook: one chapter per story (or per chapter heading), a voice per speaker.

    Writes OUTDIR/<title>.m4b (and .mp3 with --format mp3), plus <title>.script.json,
    <title>.vtt, <title>.cast.toml and <title>.build.json; with --profile acx also ACX's
    files (credits, an MP3 per chapter) in OUTDIR/<title> (ACX)/. Reruns reuse the audio
    cache and a build interrupted with Ctrl-C resumes where it stopped.

    Example: audiobook build seeds/ -o out --title "Paris Stories" --format m4b --format mp3
    """
    from ..pipeline import BuildOptions
    from ..pipeline import build as run_build

    opts = BuildOptions(
        inputs=tuple(inputs),
        outdir=output,
        formats=tuple(dict.fromkeys(fmt or ["m4b"])),
        voices=voices,
        jobs=jobs,
        cache=cache,
        title=title,
        author=author,
        cover=cover,
        engine=engine,
        models=tuple(models or ()),
        chapters=chapters,
        profile=profile,
        scheduler=scheduler,
        cache_max=cache_max_bytes(cache_max),
    )
    if quiet:
        run_build(opts, WarnOnly())
        return
    reporter = progress_bars()
    try:
        result = run_build(opts, reporter)
    finally:
        reporter.close()
    _print_built(result)


def _print_built(result: BuildResult) -> None:
    """The summary of a build and the files it wrote."""
    r = result.report
    out.print(
        f"Built {r.title!r}: {len(r.chapters)} chapters, {fmt_duration(r.duration_ms)} of audio, "
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
        Path,
        typer.Argument(
            help="A story file (.txt, .md, .epub) or a directory of stories.", show_default=False
        ),
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or text.")] = "text",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
    voices: Annotated[
        Path | None,
        typer.Option("--voices", help="A voice map whose [[line]] corrections to apply."),
    ] = None,
    models: ModelsOption = None,
) -> None:
    """Show who says what: the story split into narration and dialogue, each line with its speaker.

    json follows the schema audiobook.script/1 (cast, chapters, segments with offsets,
    speaker, evidence and confidence); text is for reading, coloured by speaker.

    Example: audiobook script seeds/002_7920a8a583bb5bde.txt --format json -o script.json
    """
    from ..book import load, prepare, script_dict
    from ..plan import segment_spoken, speech_for

    if fmt not in ("json", "text"):
        raise UsageError(f"unknown format {fmt!r}; choose json or text")
    if fmt == "json":  # with what the engine is given for each line ("spoken")
        prepared = prepare([input], voices, reporter=WarnOnly(), models=models or ())
        book = prepared.book
        speech = speech_for(book, prepared.casting, prepared.voice_map.pronounce)
        script = script_dict(book, str(input), segment_spoken(book, speech))
        emit(json.dumps(script, ensure_ascii=False, indent=1) + "\n", output)
        return
    book = load([input], voices, reporter=WarnOnly(), models=models or ()).book
    if output is not None:
        emit(_script_text(book), output)
        return
    _print_script(book)


def _script_text(book: Book) -> str:
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


def _print_script(book: Book) -> None:
    from rich.text import Text

    colors = speaker_colors(book.cast)
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
    from ..evaluate import bench_attribution as run
    from ..evaluate import format_report

    for d in dirs:
        if not (d / "novel_text.txt").is_file():
            raise UsageError(f"{d}: not a novel folder (no novel_text.txt)")
    out.print(format_report(run(dirs)), markup=False, highlight=False, soft_wrap=True)


@app.command()
@friendly
def lint(
    input: Annotated[
        list[Path],
        typer.Argument(
            help="A story file (.txt, .md, .epub) or a directory of stories.", show_default=False
        ),
    ],
    voices: Annotated[
        Path | None,
        typer.Option("--voices", help="A voice map whose corrections are already applied."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most this many lines.")] = 20,
    below: Annotated[
        float, typer.Option("--below", help="Only lines with confidence below this.")
    ] = 0.75,
    models: ModelsOption = None,
    names: Annotated[
        int, typer.Option("--names", help="List at most this many proper names (0: none).")
    ] = 20,
) -> None:
    """List the lines worth a human look, least confident first, each with a ready fix.

    Each entry shows the line in context, the chosen speaker and the runner-up, and a
    [[line]] correction to paste into your voice map (--voices FILE) if the runner-up is right.
    Then the book's proper names, most heard first, with their first use: the words to
    listen for and, if eSpeak says one wrong, to add to the voice map's [pronounce] table.

    Example: audiobook lint seeds/ --voices voices/paris.toml -n 10
    """
    from ..book import load
    from ..lint import review

    loaded = load(input, voices, reporter=WarnOnly(), models=models or ())
    found = review(loaded.book, below, limit)
    if not found.total:
        out.print(f"No line below confidence {below}: nothing to review.", markup=False)
    else:
        _print_review(found, below, limit)
    if names:
        _print_names(loaded.book, names, [p.word for p in loaded.voice_map.pronounce])


def _print_review(found: Review, below: float, limit: int) -> None:
    out.print(
        f"{found.total} lines below confidence {below}; "
        f"the {min(limit, found.total)} least sure:\n",
        markup=False,
    )
    for d in found.lines:
        seg = d.segment
        out.print(
            f"{d.chapter.title} [{seg.id}]  confidence {seg.confidence:.2f} ({seg.evidence})",
            markup=False,
            style="bold",
        )
        out.print(f"  …{d.before} ", markup=False, end="")
        out.print(" ".join(seg.text.split()), markup=False, style="yellow", end="")
        out.print(f" {d.after}…", markup=False)
        out.print(
            f"  speaker: {d.chosen}" + (f"   runner-up: {d.runner_up}" if d.runner_up else ""),
            markup=False,
        )
        out.print("  fix:", markup=False, style="dim")
        out.print("    [[line]]", markup=False)
        out.print(f"    text = {json.dumps(d.words, ensure_ascii=False)}", markup=False)
        if d.occurrence != 1:
            out.print(f"    occurrence = {d.occurrence}", markup=False)
        out.print(f"    speaker = {json.dumps(d.suggestion, ensure_ascii=False)}\n", markup=False)


def _print_names(book: Book, limit: int, known: list[str]) -> None:
    from ..lint import proper_names

    found = proper_names(book, limit, known)
    if not found:
        return
    out.print(
        f"Proper names to check ({len(found)}, most heard first): if eSpeak says one wrong, "
        "add it to your voice map's [pronounce] table.",
        markup=False,
        style="bold",
    )
    width = max(len(n.name) for n in found)
    for n in found:
        out.print(
            f"  {n.name:<{width}}  {n.count:>5}x  first in {n.chapter.title}: …{n.context}…",
            markup=False,
        )
    example = found[0].name
    out.print(f'  e.g.  [pronounce]\n        "{example}" = "{example}"', markup=False, style="dim")


@app.command()
@friendly
def preview(
    story: Annotated[
        Path | None,
        typer.Argument(help="A story file (.txt, .md, .epub) or directory.", show_default=False),
    ] = None,
    chapter: Annotated[
        int | None, typer.Option("--chapter", help="Only this chapter (1-based).")
    ] = None,
    chapters: Chapters = None,
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
    engine: Annotated[str, typer.Option("--engine", help="Speech engine.")] = DEFAULT_ENGINE,
    models: ModelsOption = None,
) -> None:
    """Hear a story, or a slice of it, quickly, with the script shown as it renders.

    --cast INPUT renders a cast reel instead: the narrator names each character, who then
    says one of their first lines.

    Example: audiobook preview seeds/002_7920a8a583bb5bde.txt --lines 6 --play
    """
    from rich.text import Text

    from ..book import prepare, select_chapters
    from ..model import NARRATOR
    from ..plan import speech_for
    from ..preview import cast_reel, select_lines
    from ..synth import open_synthesizer

    source = cast_input or story
    if source is None:
        raise UsageError("give a STORY to preview, or --cast INPUT for a cast reel")
    prepared = prepare([source], voices, engine, WarnOnly(), models or ())
    book, casting = prepared.book, prepared.casting
    if chapters is not None:
        book = select_chapters(book, chapters)
    speech = speech_for(book, casting, prepared.voice_map.pronounce)
    synth = open_synthesizer(engine, cache, jobs)
    chosen = (
        cast_reel(book, casting)
        if cast_input
        else select_lines(
            book, casting, synth, chapter, lines, speaker, speech, prepared.voice_map.pauses
        )
    )
    if not chosen:
        raise UsageError("nothing to preview: no spoken lines match")
    colors = speaker_colors(book.cast)
    names = {c.id: c.name for c in book.cast}

    def show(line: Line) -> None:
        who = "Narrator" if line.speaker == NARRATOR else names.get(line.speaker, line.speaker)
        t = Text()
        t.append(f"{who} [{line.voice_name}]: ", style=f"bold {colors.get(line.speaker, 'white')}")
        t.append(line.text, style=colors.get(line.speaker, "dim"))
        out.print(t)

    speak_lines(chosen, output, play_it, synth, show)


def speak_lines(
    lines: list[Line],
    dest: Path,
    play_it: bool,
    synth: Synthesizer,
    show: Callable[[Line], None] | None = None,
) -> None:
    """Render ``lines`` into ``dest``, say where it went, and play it if asked."""
    from ..preview import play, render, write_audio

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
