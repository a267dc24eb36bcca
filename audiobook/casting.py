"""Voices: the palette, the voice map users edit, and automatic casting.

A voice map is TOML (the palette ``voices/default.toml`` is one)::

    [narrator]
    voice = "Narrator"                 # a voice name, or inline settings

    [voices.Ada]                       # define a voice, or change a palette voice
    gender = "female"
    base = "en-us"                     # an engine voice
    variant = "f1"
    pitch = 55                         # 0..99
    range = 60                         # 0..99
    rate = 170                         # words per minute, 80..450
    volume = 1.0                       # 0..1

    [characters]
    "Léa Roux" = "Ada"                 # by name or any alias
    "Mr. Darcy" = { voice = "Arthur", rate = 150 }
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from .corrections import LineFix, parse_line_fixes
from .engines import Catalog, VoiceSettings
from .errors import UsageError, VoiceMapError
from .model import NARRATOR, Book, Character
from .names import entry_for, unknown_entries

VoiceGender = Literal["female", "male", "neutral"]

_VOICE_KEYS = {
    "gender",
    "base",
    "variant",
    "pitch",
    "range",
    "rate",
    "volume",
    "auto",
    "description",
}
_OVERRIDE_KEYS = {"voice", "pitch", "range", "rate", "volume"}
_RANGES: dict[str, tuple[float, float]] = {
    "pitch": (0, 99),
    "range": (0, 99),
    "rate": (80, 450),
    "volume": (0.0, 1.0),
}


@dataclass(frozen=True)
class Voice:
    """A named voice a character can be given."""

    name: str
    gender: VoiceGender
    base: str
    variant: str = ""
    pitch: int = 50
    range: int = 50
    rate: int = 175
    volume: float = 1.0
    auto: bool = True
    """Whether automatic casting may pick it."""

    @property
    def settings(self) -> VoiceSettings:
        """What the engine gets."""
        engine_voice = f"{self.base}+{self.variant}" if self.variant else self.base
        return VoiceSettings(engine_voice, self.rate, self.pitch, self.range, self.volume)


@dataclass(frozen=True)
class VoiceMap:
    """Voices by name, the narrator's voice, and explicit choices for characters."""

    voices: dict[str, Voice]
    narrator: str
    characters: dict[str, str] = field(default_factory=dict)
    """Character name or alias (as written by the user) -> voice name."""
    character_tweaks: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Character name -> per-character rate/pitch/range/volume."""
    narrator_tweaks: dict[str, Any] = field(default_factory=dict)
    source: str = "voices/default.toml"
    lines: tuple[LineFix, ...] = ()
    """Corrections: ``[[line]]`` entries (see :mod:`audiobook.corrections`)."""


def _err(path: str, key: str, msg: str) -> VoiceMapError:
    return VoiceMapError(f"{path}: {key}: {msg}")


def _check_value(path: str, key: str, name: str, value: Any) -> Any:
    lo, hi = _RANGES[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _err(path, key, f"must be a number from {lo:g} to {hi:g}, not {value!r}")
    if not lo <= value <= hi:
        raise _err(path, key, f"{value!r} is out of range; allowed {lo:g} to {hi:g}")
    return float(value) if name == "volume" else int(value)


def _unknown_key(path: str, key: str, allowed: Iterable[str]) -> VoiceMapError:
    return _err(path, key, f"unknown key; allowed keys: {', '.join(sorted(allowed))}")


def suggest(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.5)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def _parse_voice(path: str, name: str, table: Any, base_voice: Voice | None) -> Voice:
    key = f"voices.{name}"
    if not isinstance(table, dict):
        raise _err(path, key, "must be a table of voice settings")
    for k in table:
        if k not in _VOICE_KEYS:
            raise _unknown_key(path, f"{key}.{k}", _VOICE_KEYS)
    values: dict[str, Any] = {}
    for k, v in table.items():
        if k in _RANGES:
            values[k] = _check_value(path, f"{key}.{k}", k, v)
        elif k == "gender":
            if v not in ("female", "male", "neutral"):
                raise _err(
                    path, f"{key}.gender", f"{v!r} is not allowed; use female, male or neutral"
                )
            values[k] = v
        elif k == "auto":
            if not isinstance(v, bool):
                raise _err(path, f"{key}.auto", "must be true or false")
            values[k] = v
        elif k in ("base", "variant"):
            if (
                not isinstance(v, str)
                or not re.fullmatch(r"[A-Za-z0-9_./-]*", v)
                or (k == "base" and not v)
            ):
                raise _err(
                    path, f"{key}.{k}", f"must be an engine voice name such as 'en-us', not {v!r}"
                )
            values[k] = v
    if base_voice is not None:
        return replace(base_voice, **values)
    for required in ("gender", "base"):
        if required not in values:
            raise _err(path, key, f"a new voice needs '{required}' (see voices/default.toml)")
    return Voice(name=name, **values)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise VoiceMapError(f"{path}: no such voice map file") from None
    except tomllib.TOMLDecodeError as exc:
        raise VoiceMapError(f"{path}: not valid TOML ({exc}); fix the syntax") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise VoiceMapError(f"{path}: cannot read it ({exc})") from None


def default_palette_path() -> Path:
    """The shipped palette (``voices/default.toml``)."""
    return Path(str(resources.files("audiobook") / "data" / "default.toml"))


def load_voice_map(user_file: Path | None = None, catalog: Catalog | None = None) -> VoiceMap:
    """The palette, with ``user_file`` applied on top. Every mistake raises VoiceMapError.

    ``catalog`` is the engine's (base voices, variants); when given, every voice is checked
    against it, with the closest valid names suggested.
    """
    palette_path = default_palette_path()
    vm = _apply(VoiceMap(voices={}, narrator=""), _read_toml(palette_path), "voices/default.toml")
    user_names: set[str] = set()
    if user_file is not None:
        user_data = _read_toml(user_file)
        user_names = set(dict(user_data.get("voices", {})))
        vm = _apply(vm, user_data, str(user_file))
        vm = replace(vm, source=str(user_file))
    if catalog is not None:
        bases, variants = catalog
        by_lower = {v.lower(): v for v in variants}
        fixed: dict[str, Voice] = {}
        for v in vm.voices.values():
            where = vm.source if v.name in user_names else "voices/default.toml"
            if v.base.lower() not in bases:
                raise _err(
                    where,
                    f"voices.{v.name}.base",
                    f"the engine has no voice {v.base!r}{suggest(v.base.lower(), bases)}",
                )
            if v.variant and variants:
                real = by_lower.get(v.variant.lower())
                if real is None:
                    raise _err(
                        where,
                        f"voices.{v.name}.variant",
                        f"the engine has no variant {v.variant!r}{suggest(v.variant, variants)}",
                    )
                v = replace(v, variant=real)
            fixed[v.name] = v
        vm = replace(vm, voices=fixed)
    if vm.narrator not in vm.voices:
        raise _err(
            vm.source,
            "narrator.voice",
            f"unknown voice {vm.narrator!r}{suggest(vm.narrator, vm.voices)}",
        )
    return vm


def _apply(vm: VoiceMap, data: dict[str, Any], path: str) -> VoiceMap:
    allowed_top = {"narrator", "voices", "characters", "line"}
    for k in data:
        if k not in allowed_top:
            raise _unknown_key(path, k, allowed_top)
    voices = dict(vm.voices)
    raw_voices = data.get("voices", {})
    if not isinstance(raw_voices, dict):
        raise _err(path, "voices", "must be a table of [voices.NAME] entries")
    for name, table in raw_voices.items():
        voices[name] = _parse_voice(path, name, table, voices.get(name))
    narrator, narrator_tweaks = vm.narrator, dict(vm.narrator_tweaks)
    if "narrator" in data:
        narrator, tweaks = _parse_choice(path, "narrator", data["narrator"], voices)
        narrator = narrator or vm.narrator
        narrator_tweaks.update(tweaks)
    characters = dict(vm.characters)
    character_tweaks = dict(vm.character_tweaks)
    raw_chars = data.get("characters", {})
    if not isinstance(raw_chars, dict):
        raise _err(path, "characters", 'must be a table: "Name" = "Voice"')
    for who, choice in raw_chars.items():
        voice, tweaks = _parse_choice(path, f"characters.{who!r}", choice, voices)
        if voice:
            characters[who] = voice
        if tweaks:
            character_tweaks[who] = tweaks
    lines = vm.lines + (parse_line_fixes(path, data["line"]) if "line" in data else ())
    return VoiceMap(
        voices, narrator, characters, character_tweaks, narrator_tweaks, vm.source, lines
    )


def _parse_choice(
    path: str, key: str, choice: Any, voices: Mapping[str, Voice]
) -> tuple[str, dict[str, Any]]:
    if isinstance(choice, str):
        choice = {"voice": choice}
    if not isinstance(choice, dict):
        raise _err(path, key, 'must be a voice name or a table like { voice = "Ada", rate = 160 }')
    tweaks: dict[str, Any] = {}
    voice = ""
    for k, v in choice.items():
        if k not in _OVERRIDE_KEYS:
            raise _unknown_key(path, f"{key}.{k}", _OVERRIDE_KEYS)
        if k == "voice":
            if not isinstance(v, str) or v not in voices:
                raise _err(
                    path,
                    f"{key}.voice",
                    f"unknown voice {v!r}{suggest(str(v), voices)}"
                    f" (voices: `audiobook voices list`)",
                )
            voice = v
        else:
            tweaks[k] = _check_value(path, f"{key}.{k}", k, v)
    return voice, tweaks


# --- automatic casting ----------------------------------------------------------------


@dataclass(frozen=True)
class Casting:
    """The voice of every speaker of a book."""

    voices: dict[str, Voice]
    """Speaker id (``"narrator"`` or a cast id) -> voice, with tweaks applied."""
    names: dict[str, str]
    """Speaker id -> palette voice name (before tweaks), as written to ``<book>.cast.toml``."""


def _wanted_gender(c: Character) -> VoiceGender:
    return "female" if c.gender == "female" else "male" if c.gender == "male" else "neutral"


def cast_voices(
    cast: Sequence[Character],
    chapters_speakers: Sequence[set[str]],
    vm: VoiceMap,
    previous: Mapping[str, str] | None = None,
) -> Casting:
    """Give every character a voice.

    Rules, in order: an explicit choice in the voice map (by name or alias); the voice the
    character had in the previous build (``previous``, from ``<book>.cast.toml``); otherwise a
    voice of the character's gender (neutral when unknown) that no character sharing a chapter
    with them has, taking voices in palette order so the characters with most lines get the
    first (most distinct) ones. When a gender runs out, the new character shares the voice
    whose current holders are heard least. The narrator's voice is never a character's.
    """
    previous = previous or {}
    names: dict[str, str] = {NARRATOR: vm.narrator}
    co: dict[str, set[str]] = {c.id: set() for c in cast}
    for speakers in chapters_speakers:
        for s in speakers:
            if s in co:
                co[s] |= speakers - {s}
    lines = {c.id: c.lines for c in cast}
    order = sorted(cast, key=lambda c: (-c.lines, c.id))
    holders: dict[str, list[str]] = {}
    pending: list[Character] = []
    for c in order:
        chosen = entry_for(c, vm.characters)
        if chosen is None and previous.get(c.id) in vm.voices and previous[c.id] != vm.narrator:
            chosen = previous[c.id]
        if chosen is None:
            pending.append(c)
            continue
        names[c.id] = chosen
        holders.setdefault(chosen, []).append(c.id)
    for c in pending:
        want = _wanted_gender(c)
        pool = [
            v.name
            for v in vm.voices.values()
            if v.auto and v.gender == want and v.name != vm.narrator
        ]
        if not pool:
            pool = [v.name for v in vm.voices.values() if v.auto and v.name != vm.narrator]
        if not pool:
            raise VoiceMapError(
                f"{vm.source}: no voice can be given to characters; add [voices.NAME] entries"
            )
        free = [v for v in pool if v not in holders]
        apart = [v for v in pool if not (set(holders.get(v, [])) & co[c.id])]
        if free:
            pick = free[0]
        elif apart:
            pick = apart[0]
        else:
            pick = min(
                pool,
                key=lambda v: (sum(lines.get(h, 0) for h in holders.get(v, [])), pool.index(v)),
            )
        names[c.id] = pick
        holders.setdefault(pick, []).append(c.id)
    voices: dict[str, Voice] = {}
    for speaker, vname in names.items():
        voice = vm.voices[vname]
        if speaker == NARRATOR:
            tweak = vm.narrator_tweaks
        else:
            ch = next(c for c in cast if c.id == speaker)
            tweak = entry_for(ch, vm.character_tweaks) or {}
        voices[speaker] = replace(voice, **tweak) if tweak else voice
    return Casting(voices=voices, names=names)


def casting_for(book: Book, vm: VoiceMap, previous: Mapping[str, str] | None = None) -> Casting:
    """Voices for every speaker of ``book`` (characters who share a chapter kept apart)."""
    chapters_speakers = [
        {s.speaker for s in ch.segments if s.kind == "dialogue" and s.speaker != NARRATOR}
        for ch in book.chapters
    ]
    return cast_voices(book.cast, chapters_speakers, vm, previous)


def unknown_character_entries(vm: VoiceMap, cast: Sequence[Character]) -> list[str]:
    """Names in the voice map's [characters] that match nobody in the cast."""
    return unknown_entries(set(vm.characters) | set(vm.character_tweaks), cast)


@dataclass(frozen=True)
class CastRow:
    """One row of ``audiobook voices cast``: a speaker and the voice they were given."""

    character: str
    """The character's name (``"Narrator"`` for the narrator)."""
    gender: str
    """The character's gender as found (``"unknown"`` for the narrator)."""
    lines: int
    """Lines spoken (for the narrator: non-empty narration segments)."""
    voice: str
    """The voice's name."""
    voice_gender: str
    """The voice's gender."""
    engine_voice: str
    """The engine voice behind it (``base+variant``)."""

    def as_json(self) -> dict[str, Any]:
        """The row as ``voices cast --format json`` prints it."""
        return {
            "character": self.character,
            "gender": self.gender,
            "lines": self.lines,
            "voice": self.voice,
            "voice_gender": self.voice_gender,
        }


def cast_rows(book: Book, casting: Casting) -> list[CastRow]:
    """The narrator, then every character of ``book`` in cast order, with their voices."""
    narration = sum(
        1 for ch in book.chapters for s in ch.segments if s.speaker == NARRATOR and s.text.strip()
    )
    speakers = [("Narrator", "unknown", narration, NARRATOR)]
    speakers += [(c.name, c.gender, c.lines, c.id) for c in book.cast]
    return [
        CastRow(name, gender, lines, v.name, v.gender, v.settings.engine_voice)
        for name, gender, lines, sp in speakers
        for v in (casting.voices[sp],)
    ]


def sample_voice(vm: VoiceMap, name: str, catalog: Catalog | None) -> Voice:
    """The voice ``voices list --sample NAME`` speaks: a palette voice, or an engine voice
    (``base`` or ``base+variant``) the engine's ``catalog`` knows, with default prosody."""
    voice = vm.voices.get(name)
    if voice is not None:
        return voice
    base, _, variant = name.partition("+")
    if catalog is not None and base.lower() not in catalog[0]:
        raise UsageError(
            f"no voice {name!r} in the palette or the engine{suggest(name, list(vm.voices))}"
        )
    return Voice(name=name, gender="neutral", base=base, variant=variant)


# --- <book>.cast.toml --------------------------------------------------------------------


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cast_file_text(cast: Sequence[Character], casting: Casting) -> str:
    """The text of ``<book>.cast.toml``: who got which voice, reused by the next build."""
    lines = [
        "# The voices this book's characters were given. The next build reuses them, so adding",
        "# a story never moves a character to another voice. To choose a voice yourself, put it",
        "# in a voice map (--voices FILE, see README) rather than here.",
        "",
        "[cast]",
        f"narrator = {_q(casting.names[NARRATOR])}",
    ]
    for c in cast:
        if c.id in casting.names:
            lines.append(
                f"{_q(c.id)} = {{ voice = {_q(casting.names[c.id])}, name = {_q(c.name)} }}"
            )
    text = "\n".join(lines) + "\n"
    return text


def read_cast_file(path: Path) -> dict[str, str]:
    """Speaker id -> voice name from a previous build's ``<book>.cast.toml`` (empty if none)."""
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    out: dict[str, str] = {}
    for k, v in dict(data.get("cast", {})).items():
        if isinstance(v, str):
            out[k] = v
        elif isinstance(v, dict) and isinstance(v.get("voice"), str):
            out[k] = v["voice"]
    return out


def voice_map_template(cast: Sequence[Character], casting: Casting, vm: VoiceMap) -> str:
    """An editable voice map for a book's cast, with the voices it would get now."""
    by_gender: dict[str, list[str]] = {}
    for v in vm.voices.values():
        by_gender.setdefault(v.gender, []).append(v.name)
    lines = [
        "# Voice map: who reads with which voice. Build with: audiobook build INPUT --voices THIS_FILE",
        "#",
        "# Palette voices (audiobook voices list; hear one with --sample NAME):",
    ]
    for g in ("female", "male", "neutral"):
        lines.append(f"#   {g:<8} {', '.join(by_gender.get(g, []))}")
    lines += [
        '# A character can also take settings: "Name" = { voice = "Ada", rate = 160, pitch = 60 }',
        "#   rate 80..450 words per minute, pitch and range 0..99, volume 0..1",
        "",
        "[narrator]",
        f"voice = {_q(casting.names[NARRATOR])}",
        "",
        "[characters]",
    ]
    for c in cast:
        if c.id not in casting.names:
            continue
        aliases = f", also {', '.join(c.aliases)}" if c.aliases else ""
        lines.append(f"# {c.gender}, {c.lines} line{'' if c.lines == 1 else 's'}{aliases}")
        lines.append(f"{_q(c.name)} = {_q(casting.names[c.id])}")
    lines += [
        "",
        "# New voices from the engine's own (base voices and variants: audiobook voices list):",
        "# [voices.Margot]",
        '# gender = "female"',
        '# base = "fr"',
        '# variant = "f4"',
        "# pitch = 58",
        "# range = 60",
        "# rate = 160",
    ]
    return "\n".join(lines) + "\n"
