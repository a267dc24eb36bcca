"""The speech engine seam: a small protocol, the voice settings it takes, and the audio it gives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

SAMPLE_WIDTH = 2
"""Every engine returns 16-bit mono PCM."""


@dataclass(frozen=True)
class VoiceSettings:
    """How one voice sounds: an engine voice plus prosody. Part of every cache key."""

    engine_voice: str
    """Engine voice name; for eSpeak NG ``base+variant`` such as ``en-gb+f3``."""
    rate: int = 175
    """Words per minute (80..450)."""
    pitch: int = 50
    """Base pitch, 0..99."""
    range: int = 50
    """Pitch range (intonation), 0..99."""
    volume: float = 1.0
    """0..1 (loudness is normalised across voices when the book is assembled)."""
    engine: str = ""
    """The engine that speaks this voice (``"piper"``); ``""`` means the build's engine."""
    model: str = ""
    """For engines with model files (Piper): the model's absolute path. Cache keys use the
    file's hash instead, so a path and a package name for the same model share entries."""
    speaker: int | None = None
    """For multi-speaker models: the speaker's id."""

    def describe(self) -> str:
        """Short human description, e.g. ``en-gb+f3 rate 170 pitch 60``."""
        if self.model:
            who = f" speaker {self.speaker}" if self.speaker is not None else ""
            return f"{self.engine or 'model'} {self.engine_voice}{who} rate {self.rate}"
        return f"{self.engine_voice} rate {self.rate} pitch {self.pitch} range {self.range}"


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit PCM."""

    pcm: bytes
    sample_rate: int

    @property
    def frames(self) -> int:
        """Number of samples."""
        return len(self.pcm) // SAMPLE_WIDTH

    @property
    def duration_ms(self) -> int:
        """Length in milliseconds."""
        return self.frames * 1000 // self.sample_rate if self.sample_rate else 0


@dataclass(frozen=True)
class EngineVoice:
    """A voice the engine offers (as listed by ``audiobook voices list``)."""

    id: str
    name: str
    languages: tuple[str, ...] = ()


@runtime_checkable
class Engine(Protocol):
    """What the pipeline needs from a text-to-speech engine once it is started.

    Engines are created inside worker processes (never shared between processes) and must
    print nothing to stdout.
    """

    name: str
    version: str
    sample_rate: int

    def voices(self) -> list[EngineVoice]:
        """The engine's own voices."""
        ...

    def synthesize(self, text: str, voice: VoiceSettings) -> Audio:
        """Speak ``text`` (plain text, never markup) in ``voice``; raise EngineError on failure."""
        ...


Catalog = tuple[frozenset[str], frozenset[str]]
"""(base voice names, variant names) an engine accepts."""


class EngineClass(Protocol):
    """What an engine class offers before any engine is started: the contract of an entry in
    the ``audiobook.engines`` entry-point group (built-in engines are registered there too).

    Calling the class starts an :class:`Engine` (inside the process that will use it).
    """

    name: str
    """The name ``--engine`` takes."""
    sample_rate: int
    """The rate of every :class:`Audio` its engines return (the book is encoded at it)."""

    def static_version(self) -> str:
        """The version that goes into cache keys, known without starting the engine."""
        ...

    def catalog(self) -> Catalog | None:
        """The voices it accepts, without starting it; None when it cannot tell."""
        ...

    def __call__(self) -> Engine:
        """Start an engine."""
        ...


_SENTENCE_END = re.compile(r"(?<=[.!?…;:])[\"'”’)\]]*\s+")


def chunks(text: str, max_words: int = 200) -> Iterator[str]:
    """Split long text at sentence ends into pieces of about ``max_words`` words.

    eSpeak's pyttsx3 driver is quadratic in text length and crashes on very long input,
    so no engine call gets more than this. A sentence longer than the limit is cut at
    commas, then at word boundaries.
    """
    words_so_far = 0
    buf: list[str] = []
    for sentence in _split_long(_SENTENCE_END.split(text), max_words):
        n = len(sentence.split())
        if buf and words_so_far + n > max_words:
            yield " ".join(buf)
            buf, words_so_far = [], 0
        buf.append(sentence)
        words_so_far += n
    if buf:
        yield " ".join(buf)


def _split_long(sentences: list[str], max_words: int) -> Iterator[str]:
    for s in sentences:
        s = s.strip()
        if not s:
            continue
        words = s.split()
        if len(words) <= max_words:
            yield s
            continue
        for i in range(0, len(words), max_words):
            yield " ".join(words[i : i + max_words])
