"""A fast, deterministic engine for tests and dry runs: a tone whose pitch follows the voice.

Its audio has the real shape of speech output (16-bit mono, length proportional to the words
and the rate), so assembly, encoding and chapter times are tested for real.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct

from ..errors import EngineError
from .base import Audio, EngineVoice, VoiceSettings

_VOICES = ("en", "en-us", "en-gb-x-rp", "en-gb-scotland", "fr", "en-029", "en-us-nyc")


class FakeEngine:
    """Speaks a sine tone: frequency from the voice (variant and pitch), 1 word = 60/rate s."""

    name = "fake"
    version = "1"
    sample_rate = 22050

    @staticmethod
    def static_version() -> str:
        """The version that goes into cache keys."""
        return "1"

    @staticmethod
    def catalog() -> tuple[frozenset[str], frozenset[str]] | None:
        """Base voices and variants the fake engine accepts (it takes eSpeak's names)."""
        return frozenset(_VOICES) | frozenset({"en-029", "en-us-nyc"}), frozenset()

    def voices(self) -> list[EngineVoice]:
        """A handful of voice ids shaped like eSpeak's."""
        return [EngineVoice(id=v, name=v, languages=(v,)) for v in _VOICES]

    def frequency(self, voice: VoiceSettings) -> float:
        """The tone's frequency for a voice: female variants higher, then pitch on top."""
        base, _, variant = voice.engine_voice.partition("+")
        if base.split("/")[-1] == "no-such-voice":
            raise EngineError(f"fake engine has no voice {base!r}")
        female = variant.startswith("f") or variant.lower() in {"annie", "linda", "belinda"}
        h = int(hashlib.sha1(voice.engine_voice.encode()).hexdigest()[:4], 16) % 40
        return (200.0 if female else 110.0) + h + voice.pitch * 1.2

    def synthesize(self, text: str, voice: VoiceSettings) -> Audio:
        """A tone as long as the words would take to say, with short gaps between words."""
        if not text.strip():
            raise EngineError("nothing to say: empty text")
        words = len(re.findall(r"\w+", text)) or 1
        seconds = words * 60.0 / max(voice.rate, 1)
        n = int(seconds * self.sample_rate)
        freq = self.frequency(voice)
        amp = int(8000 * voice.volume)
        word_len = max(1, n // words)
        step = 2 * math.pi * freq / self.sample_rate
        samples = [
            0 if (i % word_len) > word_len * 0.85 else int(amp * math.sin(step * i))
            for i in range(n)
        ]
        return Audio(pcm=struct.pack(f"<{n}h", *samples), sample_rate=self.sample_rate)
