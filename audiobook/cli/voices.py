"""The ``voices`` commands: the palette and the engine's voices, who gets which, a voice map."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..engines import DEFAULT_ENGINE
from ..errors import UsageError
from .commands import speak_lines
from .core import ModelsOption, WarnOnly, err, friendly, out, voices_app

if TYPE_CHECKING:
    from ..casting import VoiceMap
    from ..engines import Catalog


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
    engine: Annotated[str, typer.Option("--engine", help="Speech engine.")] = DEFAULT_ENGINE,
    models: ModelsOption = None,
) -> None:
    """List the palette's voices, the Piper models and the engine's own voices; --sample
    NAME speaks one.

    Each Piper model (installed voice packages, and the folders of --models DIR or
    $AUDIOBOOK_MODELS) is listed with its language, speakers and gender; every speaker is a
    palette voice.

    Example: audiobook voices list --sample Beatrice --play
    """
    from ..casting import load_voice_map, sample_voice
    from ..engines import engine_catalog
    from ..preview import sample_line, sample_path
    from ..synth import open_synthesizer

    catalog = engine_catalog(engine)
    vm = load_voice_map(voices, catalog, models or ())
    if sample is None:
        _print_palette(vm, catalog)
        return
    voice = sample_voice(vm, sample, catalog)
    synth = open_synthesizer(engine, None, 0)
    speak_lines([sample_line(voice)], output or sample_path(sample), play_it, synth)


def _print_palette(vm: VoiceMap, catalog: Catalog | None) -> None:
    from rich.table import Table

    table = Table(title=f"Palette ({vm.source})")
    for col in ("voice", "gender", "engine", "engine voice", "pitch", "range", "rate", "auto"):
        table.add_column(col)
    for v in vm.voices.values():
        role = " (narrator)" if v.name == vm.narrator else ""
        table.add_row(
            v.name + role,
            v.gender,
            v.engine or DEFAULT_ENGINE,
            v.settings.engine_voice,
            "-" if v.model else str(v.pitch),
            "-" if v.model else str(v.range),
            str(v.rate),
            "yes" if v.auto else "no",
        )
    out.print(table)
    _print_models(vm)
    if catalog is None:
        return
    bases, variants = catalog
    out.print(f"\nEngine base voices ({len(bases)}): " + ", ".join(sorted(bases)), markup=False)
    out.print(
        f"Variants ({len(variants)}): " + ", ".join(sorted(variants, key=str.lower)),
        markup=False,
    )
    out.print(
        "A voice is base+variant, e.g. en-gb-x-rp+f2; define new ones in a voice map.",
        markup=False,
    )


def _print_models(vm: VoiceMap) -> None:
    """The Piper models behind palette voices, and the voices left out (with what to do)."""
    from rich.table import Table

    from ..casting import model_rows

    rows = model_rows(vm)
    if rows:
        table = Table(title="Piper models (each speaker is a palette voice)")
        for col in ("model", "engine", "language", "speakers", "gender", "voices", "from"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r.model, "piper", r.language, str(r.speakers), r.gender, r.voices, r.source
            )
        out.print(table)
    for name, why in sorted(vm.unavailable.items()):
        out.print(f"{name}: not available: {why}", markup=False)


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
    ] = DEFAULT_ENGINE,
    models: ModelsOption = None,
) -> None:
    """Show who gets which voice: one row per character and the narrator.

    json is a list of {"character", "gender", "lines", "voice", "voice_gender"}.

    Example: audiobook voices cast seeds/002_7920a8a583bb5bde.txt --format json
    """
    from ..book import prepare
    from ..casting import cast_rows

    if fmt not in ("table", "json"):
        raise UsageError(f"unknown format {fmt!r}; choose table or json")
    prepared = prepare(input, voices, engine, WarnOnly(), models or ())
    rows = cast_rows(prepared.book, prepared.casting)
    if fmt == "json":
        text = json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=1)
        sys.stdout.write(text + "\n")
        return
    from rich.table import Table

    table = Table()
    for col in ("character", "gender", "lines", "voice", "voice gender", "engine voice"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.character, r.gender, str(r.lines), r.voice, r.voice_gender, r.engine_voice)
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
    engine: Annotated[str, typer.Option("--engine", help="Speech engine.")] = DEFAULT_ENGINE,
    models: ModelsOption = None,
) -> None:
    """Write an editable voice map for a story's cast, with comments.

    Example: audiobook voices init seeds/ -o voices/paris.toml
    """
    from ..book import cast, load
    from ..casting import voice_map_template
    from ..files import atomic_write

    if output.exists() and not force:
        raise UsageError(f"{output} already exists; choose another -o or pass --force")
    prepared = cast(load(input, voices, engine, WarnOnly(), models=models or ()))
    text = voice_map_template(prepared.book.cast, prepared.casting, prepared.voice_map)
    atomic_write(output, text)
    err.print(f"wrote {output}: edit it, then build with --voices {output}", markup=False)
