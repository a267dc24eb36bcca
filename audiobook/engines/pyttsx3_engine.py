"""The default engine: pyttsx3 (eSpeak NG on Linux, SAPI5 on Windows, NSSpeechSynthesizer on macOS).

On Linux, speech comes from pyttsx3's own eSpeak NG binding (``pyttsx3.drivers._espeak``, over
the libespeak-ng bundled by ``espeakng-loader``), driven in synchronous mode rather than through
pyttsx3's driver loop, and spoken in a fresh copy of the initialised engine for every utterance
(:mod:`.espeak_fresh`): eSpeak NG keeps synthesis state from one utterance to the next inside a
process, so through the driver loop the same text and voice came out differently depending on
what was said before (measured; see that module). pyttsx3 also lists the voices there, and its
driver speaks on Windows and macOS. Skipping the driver loop on Linux also retires most of its
defects (see the field notes): no background thread to wait for (1, 3, 8), one file per call
(2), the right buffer size and no quadratic joins (4, 5), nothing printed (7), and a bad voice
name is an error (9). What remains, on every platform:

4/5. Long text is chunked (~200 words at sentence ends), so no call runs for minutes.
6. Empty text is never sent.
12. Markup is spoken literally: callers send plain text (``text.speakable``).
Every utterance is checked (non-empty, plausible length for its words) or retried.
With pyttsx3 itself (Windows, macOS): ``runAndWait()`` is followed by a wait for
``finished-utterance``, and stdout is silenced while the driver runs.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.metadata
import io
import os
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Any

from ..errors import EngineError
from ..text import word_count
from .base import Audio, EngineVoice, VoiceSettings, chunks
from .espeak_fresh import NO_VOICE, OK, FreshEspeak, Utterance

_ATTEMPTS = 4
_MIN_SECONDS_PER_WORD = 0.35  # of the nominal 60/rate; eSpeak never speaks faster than this


_FRESH_TAG = "fresh-state-1"
"""Marks audio spoken from a fresh eSpeak state (cache entries made before are not reused)."""


def _load_bundled_espeak() -> None:
    """On Linux, make pyttsx3 use eSpeak NG from the ``espeakng-loader`` wheel.

    pyttsx3 opens ``libespeak-ng.so.1`` by soname; loading the bundled copy first makes that
    lookup find it, so no system package is needed.

    Loaded locally, not globally: Piper's own eSpeak (``piper.espeakbridge``) exports the same
    symbols, and a global copy loaded first took them over and crashed the process on its
    first Piper sentence (segmentation fault, measured with both engines in one worker).
    """
    with contextlib.suppress(ImportError):
        import espeakng_loader

        ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_LOCAL)
        os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()


def _linux() -> bool:
    return sys.platform.startswith("linux")


def _version() -> str:
    """pyttsx3's version, then the backend: the eSpeak NG wheel (or system) and how it is driven."""
    version = f"pyttsx3-{importlib.metadata.version('pyttsx3')}"
    if not _linux():
        return f"{version}/{sys.platform}"
    backend = "system-espeak-ng"
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        backend = "espeakng-loader-" + importlib.metadata.version("espeakng-loader")
    return f"{version}/{backend}/{_FRESH_TAG}"


_FEMALE_VARIANTS = {
    "annie",
    "alicia",
    "andrea",
    "anika",
    "aunty",
    "belinda",
    "grandma",
    "linda",
    "steph",
    "whisperf",
}
_FEMALE_SYSTEM_NAMES = (
    "zira",
    "hazel",
    "susan",
    "heera",
    "samantha",
    "victoria",
    "karen",
    "moira",
    "tessa",
    "fiona",
    "veena",
    "kate",
    "serena",
    "allison",
    "ava",
    "female",
    "amelie",
    "anna",
    "helena",
)


def pick_system_voice(engine_voice: str, voices: list[EngineVoice]) -> str:
    """A system voice for an eSpeak-style name on engines that do not know eSpeak names."""
    if not voices:
        raise EngineError("the speech engine offers no voices")
    variant = engine_voice.partition("+")[2].lower()
    female = variant.startswith("f") or variant in _FEMALE_VARIANTS
    english = [
        v
        for v in voices
        if any(l.lower().startswith("en") for l in v.languages) or "english" in v.name.lower()
    ]
    pool = english or voices
    same = [v for v in pool if any(n in v.name.lower() for n in _FEMALE_SYSTEM_NAMES) == female]
    pool = sorted(same or pool, key=lambda v: v.id)
    return pool[sum(map(ord, engine_voice)) % len(pool)].id


class Pyttsx3Engine:
    """pyttsx3 behind the :class:`~audiobook.engines.base.Engine` protocol."""

    name = "pyttsx3"
    sample_rate = 22050
    """eSpeak NG's rate (every WAV's own rate is read back, and a different one is refused
    when the chapter is joined)."""

    @staticmethod
    def static_version() -> str:
        """The version that goes into cache keys, known without starting the engine."""
        return _version()

    @staticmethod
    def catalog() -> tuple[frozenset[str], frozenset[str]] | None:
        """Base voice names and variant names eSpeak NG offers, read from its data folder
        without starting the engine; None where that cannot be known (other platforms)."""
        if not _linux():
            return None
        try:
            import espeakng_loader

            data = Path(espeakng_loader.get_data_path())
        except ImportError:
            data = Path("/usr/lib/x86_64-linux-gnu/espeak-ng-data")
        if not (data / "lang").is_dir():
            return None
        bases = frozenset(p.name.lower() for p in (data / "lang").rglob("*") if p.is_file())
        variants = frozenset(p.name for p in (data / "voices" / "!v").glob("*") if p.is_file())
        return bases, variants

    def __init__(self) -> None:
        self.version = _version()
        self._engine: Any = None
        self._fresh: FreshEspeak | None = None
        self._done = threading.Event()
        self._errors: list[BaseException] = []
        self._tmp: Path | None = None
        if _linux():
            self._fresh = FreshEspeak()
            self.sample_rate = self._fresh.sample_rate
            self._voice_ids: set[str] = set()
        else:
            self._start_pyttsx3()
            self._voice_ids = {v.id for v in self.voices()}
            self._tmp = Path(tempfile.mkdtemp(prefix="audiobook-tts-"))

    def _start_pyttsx3(self) -> None:
        if _linux():
            _load_bundled_espeak()
        try:
            import pyttsx3

            with contextlib.redirect_stdout(io.StringIO()):
                self._engine = pyttsx3.init()
        except Exception as exc:  # noqa: BLE001 - the driver raises bare RuntimeError/OSError
            raise EngineError(
                f"cannot start the speech engine pyttsx3 ({exc}); on Linux reinstall with "
                "`pip install espeakng-loader`, or install eSpeak NG"
            ) from None
        self._engine.connect("finished-utterance", self._on_finished)
        self._engine.connect("error", self._on_error)

    def close(self) -> None:
        """Stop the eSpeak NG helper process, if any (also done when the engine is dropped)."""
        if self._fresh is not None:
            self._fresh.close()

    # callbacks run on the driver's thread
    def _on_finished(self, name: str | None = None, completed: bool = True) -> None:
        self._done.set()

    def _on_error(self, name: str | None = None, exception: BaseException | None = None) -> None:
        self._errors.append(exception or RuntimeError("unknown engine error"))

    def voices(self) -> list[EngineVoice]:
        """The engine's voices (for eSpeak NG: ids like ``gmw/en-gb-x-rp``)."""
        if self._engine is None:
            self._start_pyttsx3()
        out = []
        for v in self._engine.getProperty("voices"):
            langs = tuple(str(x) for x in (v.languages or ()))
            out.append(EngineVoice(id=str(v.id), name=str(v.name), languages=langs))
        return out

    def _native_voice(self, voice: VoiceSettings) -> str:
        """The name to hand the driver. eSpeak takes ``base+variant``; others take an id."""
        if self._fresh is not None:
            return voice.engine_voice.split("/")[-1]
        if voice.engine_voice in self._voice_ids:
            return voice.engine_voice
        # Windows/macOS: eSpeak names mean nothing here. Keep the voice's gender (from its
        # variant) where the system's voice names tell it, and spread voices deterministically;
        # pitch and rate still set characters apart.
        return pick_system_voice(voice.engine_voice, self.voices())

    def synthesize(self, text: str, voice: VoiceSettings) -> Audio:
        """Speak ``text`` chunk by chunk, checking every piece; raise EngineError if it fails."""
        pieces = [self._synth_checked(chunk, voice) for chunk in chunks(text)]
        if not pieces:
            raise EngineError("nothing to say: empty text")
        return Audio(pcm=b"".join(pieces), sample_rate=self.sample_rate)

    def _synth_checked(self, text: str, voice: VoiceSettings) -> bytes:
        words = max(1, word_count(text))
        nominal = words * 60.0 / max(voice.rate, 80)
        minimum = max(0.05, nominal * _MIN_SECONDS_PER_WORD)
        problem = ""
        for _attempt in range(_ATTEMPTS):
            speak = self._synth_fresh if self._fresh is not None else self._synth_once
            pcm, rate, problem = speak(text, voice, timeout=10.0 + nominal)
            if not problem:
                seconds = len(pcm) / 2 / rate
                if seconds < minimum:
                    problem = f"audio too short ({seconds:.2f} s for {words} words)"
                else:
                    self.sample_rate = rate
                    return pcm
            self._done.clear()
        raise EngineError(f"the speech engine failed on {text[:40]!r}: {problem}")

    def _synth_fresh(
        self, text: str, voice: VoiceSettings, timeout: float
    ) -> tuple[bytes, int, str]:
        assert self._fresh is not None
        utterance = Utterance(
            text=text,
            voice=self._native_voice(voice),
            rate=voice.rate,
            pitch=voice.pitch,
            range=voice.range,
            volume=round(max(0.0, min(1.0, voice.volume)) * 100),
        )
        status, payload = self._fresh.speak(utterance, timeout)
        if status == NO_VOICE:
            raise EngineError(
                f"the speech engine has no voice {voice.engine_voice!r}; "
                "run `audiobook voices list` to see the voices"
            )
        if status != OK:
            return b"", self.sample_rate, payload.decode("utf-8", "replace")
        if not payload or len(payload) % 2:
            return b"", self.sample_rate, "empty or truncated audio"
        return payload, self._fresh.sample_rate, ""

    def _synth_once(
        self, text: str, voice: VoiceSettings, timeout: float
    ) -> tuple[bytes, int, str]:
        assert self._tmp is not None
        out = self._tmp / f"u{os.getpid()}-{time.monotonic_ns()}.wav"
        self._done.clear()
        self._errors.clear()
        eng = self._engine
        eng.setProperty("voice", self._native_voice(voice))
        eng.setProperty("rate", voice.rate)
        eng.setProperty("volume", max(0.0, min(1.0, voice.volume)))
        eng.save_to_file(text, str(out))
        with contextlib.redirect_stdout(io.StringIO()):
            eng.runAndWait()
            finished = self._done.wait(timeout)
        try:
            if self._errors:
                return b"", self.sample_rate, f"engine error: {self._errors[0]}"
            if not finished:
                return b"", self.sample_rate, "timed out waiting for the engine"
            return _read_wav(out, self.sample_rate)
        finally:
            with contextlib.suppress(OSError):
                out.unlink()


def _read_wav(path: Path, fallback_rate: int) -> tuple[bytes, int, str]:
    """(PCM, sample rate, problem) of a WAV the driver wrote."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2 or w.getnchannels() != 1:
                return b"", fallback_rate, "unexpected WAV format"
            frames = w.getnframes()
            pcm = w.readframes(frames)
            rate = w.getframerate()
    except (OSError, EOFError, wave.Error) as exc:
        return b"", fallback_rate, f"unreadable WAV ({exc})"
    if not pcm or len(pcm) != frames * 2:
        return b"", fallback_rate, "empty or truncated WAV"
    return pcm, rate, ""
