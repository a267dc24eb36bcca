"""The default engine: pyttsx3 (eSpeak NG on Linux, SAPI5 on Windows, NSSpeechSynthesizer on macOS).

pyttsx3 2.99's Linux driver loses audio silently in several ways (see the field notes); each
guard below names the defect it answers:

1. ``runAndWait()`` returns before the WAV exists: we wait for ``finished-utterance``.
2. Several ``save_to_file()`` before one ``runAndWait()`` keep only the last: one at a time.
3. ``runAndWait()`` cancels a still-running utterance: we wait until eSpeak is idle.
4/5. Long text segfaults or goes quadratic: text is chunked (~200 words at sentence ends).
6. Empty text asserts: never sent.
7. The driver prints on stdout: stdout is silenced while it runs.
8. One engine per process, never across fork: engines are built inside each worker.
9. A bad voice name only reaches the ``error`` callback: we listen and raise.
12. Markup is spoken literally: callers send plain text (``text.speakable``).
Every WAV is read back and checked (non-empty, plausible length for its words) or retried.
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

_ATTEMPTS = 4
_MIN_SECONDS_PER_WORD = 0.35  # of the nominal 60/rate; eSpeak never speaks faster than this


def _load_bundled_espeak() -> str | None:
    """On Linux, make pyttsx3 use eSpeak NG from the ``espeakng-loader`` wheel.

    pyttsx3 opens ``libespeak-ng.so.1`` by soname; loading the bundled copy first makes that
    lookup find it, so no system package is needed. Returns its version tag.

    Loaded locally, not globally: Piper's own eSpeak (``piper.espeakbridge``) exports the same
    symbols, and a global copy loaded first took them over and crashed the process on its
    first Piper sentence (segmentation fault, measured with both engines in one worker).
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        import espeakng_loader
    except ImportError:
        return None  # fall back to a system eSpeak NG, if any
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_LOCAL)
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    return "espeakng-loader-" + importlib.metadata.version("espeakng-loader")


def _version(backend: str | None) -> str:
    return f"pyttsx3-{importlib.metadata.version('pyttsx3')}/{backend or sys.platform}"


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
        backend = None
        if sys.platform.startswith("linux"):
            with contextlib.suppress(importlib.metadata.PackageNotFoundError):
                backend = "espeakng-loader-" + importlib.metadata.version("espeakng-loader")
        return _version(backend)

    @staticmethod
    def catalog() -> tuple[frozenset[str], frozenset[str]] | None:
        """Base voice names and variant names eSpeak NG offers, read from its data folder
        without starting the engine; None where that cannot be known (other platforms)."""
        if not sys.platform.startswith("linux"):
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
        backend = _load_bundled_espeak()
        try:
            import pyttsx3

            with contextlib.redirect_stdout(io.StringIO()):
                self._engine: Any = pyttsx3.init()
        except Exception as exc:  # the driver raises bare RuntimeError/OSError
            raise EngineError(
                f"cannot start the speech engine pyttsx3 ({exc}); on Linux reinstall with "
                "`pip install espeakng-loader`, or install eSpeak NG"
            ) from None
        self._driver_name = type(self._engine.proxy._driver).__module__.rsplit(".", 1)[-1]
        self.version = _version(backend)
        self._done = threading.Event()
        self._errors: list[BaseException] = []
        self._engine.connect("finished-utterance", self._on_finished)
        self._engine.connect("error", self._on_error)
        self._espeak: Any = None
        if self._driver_name == "espeak":
            from pyttsx3.drivers import _espeak

            self._espeak = _espeak
            # runAndWait() always calls driver.stop(), which cancels eSpeak's command queue
            # when it looks busy: that drops a voice's rate and pitch settings still queued
            # (measured: a third of utterances spoke at the previous voice's rate) or cuts
            # the previous utterance. We never stop mid-utterance, so stop does nothing.
            self._engine.proxy._driver.stop = lambda: None
        self._voice_ids = {v.id for v in self.voices()}
        self._tmp = Path(tempfile.mkdtemp(prefix="audiobook-tts-"))

    # callbacks run on the driver's thread
    def _on_finished(self, name: str | None = None, completed: bool = True) -> None:
        self._done.set()

    def _on_error(self, name: str | None = None, exception: BaseException | None = None) -> None:
        self._errors.append(exception or RuntimeError("unknown engine error"))

    def voices(self) -> list[EngineVoice]:
        """The engine's voices (for eSpeak NG: ids like ``gmw/en-gb-x-rp``)."""
        out = []
        for v in self._engine.getProperty("voices"):
            langs = tuple(str(x) for x in (v.languages or ()))
            out.append(EngineVoice(id=str(v.id), name=str(v.name), languages=langs))
        return out

    def _native_voice(self, voice: VoiceSettings) -> str:
        """The name to hand the driver. eSpeak takes ``base+variant``; others take an id."""
        if self._espeak is not None:
            return voice.engine_voice.split("/")[-1]
        if voice.engine_voice in self._voice_ids:
            return voice.engine_voice
        # Windows/macOS: eSpeak names mean nothing here. Keep the voice's gender (from its
        # variant) where the system's voice names tell it, and spread voices deterministically;
        # pitch and rate still set characters apart.
        return pick_system_voice(voice.engine_voice, self.voices())

    def synthesize(self, text: str, voice: VoiceSettings) -> Audio:
        """Speak ``text`` chunk by chunk, checking every WAV; raise EngineError if it fails."""
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
            pcm, rate, problem = self._synth_once(text, voice, timeout=10.0 + nominal)
            if not problem:
                seconds = len(pcm) / 2 / rate
                if seconds < minimum:
                    problem = f"audio too short ({seconds:.2f} s for {words} words)"
                else:
                    self.sample_rate = rate
                    return pcm
            self._reset()
        raise EngineError(f"the speech engine failed on {text[:40]!r}: {problem}")

    def _wait_idle(self, timeout: float = 5.0) -> None:
        """Let eSpeak's command queue drain: the finished callback fires before eSpeak's own
        thread is done, and settings given before that are lost (measured: the rate of the
        next utterance was the previous one's in about a third of calls)."""
        if self._espeak is None:
            return
        self._espeak.Synchronize()
        deadline = time.monotonic() + timeout
        while self._espeak.IsPlaying() and time.monotonic() < deadline:
            time.sleep(0.002)

    def _reset(self) -> None:
        self._wait_idle()
        self._done.clear()

    def _synth_once(
        self, text: str, voice: VoiceSettings, timeout: float
    ) -> tuple[bytes, int, str]:
        out = self._tmp / f"u{os.getpid()}-{time.monotonic_ns()}.wav"
        self._wait_idle()
        self._done.clear()
        self._errors.clear()
        eng = self._engine
        eng.setProperty("voice", self._native_voice(voice))
        eng.setProperty("rate", voice.rate)
        eng.setProperty("volume", max(0.0, min(1.0, voice.volume)))
        if self._espeak is not None:
            eng.setProperty("pitch", voice.pitch)
            espeak = self._espeak
            eng.proxy._push(lambda: espeak.SetParameter(espeak.RANGE, int(voice.range), 0), ())
        eng.save_to_file(text, str(out))
        with contextlib.redirect_stdout(io.StringIO()):
            eng.runAndWait()
            finished = self._done.wait(timeout)
        self._wait_idle()
        try:
            if self._errors:
                bad = self._errors[0]
                if "SetVoiceByName" in str(bad):
                    raise EngineError(
                        f"the speech engine has no voice {voice.engine_voice!r}; "
                        "run `audiobook voices list` to see the voices"
                    )
                return b"", self.sample_rate, f"engine error: {bad}"
            if not finished:
                return b"", self.sample_rate, "timed out waiting for the engine"
            try:
                with wave.open(str(out), "rb") as w:
                    if w.getsampwidth() != 2 or w.getnchannels() != 1:
                        return b"", self.sample_rate, "unexpected WAV format"
                    frames = w.getnframes()
                    pcm = w.readframes(frames)
                    rate = w.getframerate()
            except (OSError, EOFError, wave.Error) as exc:
                return b"", self.sample_rate, f"unreadable WAV ({exc})"
            if not pcm or len(pcm) != frames * 2:
                return b"", self.sample_rate, "empty or truncated WAV"
            return pcm, rate, ""
        finally:
            with contextlib.suppress(OSError):
                out.unlink()
