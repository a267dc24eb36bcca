"""The audio cache: content addressing, atomic entries, damage detected and redone."""

from __future__ import annotations

from pathlib import Path

from audiobook.engines import Audio, VoiceSettings
from audiobook.synth import AudioCache, job_key


def test_key_depends_on_engine_version_voice_and_text() -> None:
    v = VoiceSettings("en-us", rate=170)
    base = job_key("pyttsx3", "1", v, "Hello.")
    assert base == job_key("pyttsx3", "1", v, "Hello.")
    assert base != job_key("pyttsx3", "2", v, "Hello.")
    assert base != job_key("pyttsx3", "1", VoiceSettings("en-us", rate=171), "Hello.")
    assert base != job_key("pyttsx3", "1", v, "Hello!")
    assert base != job_key("fake", "1", v, "Hello.")


def test_round_trip_and_damage_detection(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path)
    audio = Audio(pcm=bytes(range(200)) * 10, sample_rate=22050)
    cache.put("ab" * 32, audio)
    assert cache.has("ab" * 32)
    assert cache.get("ab" * 32) == audio
    path = cache.path("ab" * 32)
    # truncated (a killed writer cannot cause this: entries are renamed into place whole)
    path.write_bytes(path.read_bytes()[:-100])
    assert not cache.has("ab" * 32)
    assert cache.get("ab" * 32) is None and not path.exists()
    # a flipped byte in the audio keeps the size but fails the checksum
    cache.put("cd" * 32, audio)
    p2 = cache.path("cd" * 32)
    data = bytearray(p2.read_bytes())
    data[10] ^= 0xFF
    p2.write_bytes(bytes(data))
    assert cache.has("cd" * 32)  # cheap check passes ...
    assert cache.get("cd" * 32) is None  # ... the full read does not
    assert not list(tmp_path.rglob("*.tmp"))
