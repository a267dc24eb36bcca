"""The audio cache: content addressing, atomic entries, damage detected and redone."""

from __future__ import annotations

import math
import struct
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
    cache = AudioCache(tmp_path, codec="pcm")
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


def test_opus_entries_decode_to_the_same_length_and_detect_damage(tmp_path: Path) -> None:
    """The default codec is lossy but keeps the length exactly, is close to the original,
    is several times smaller than raw PCM, and a damaged entry is still found and removed."""
    rate = 22050
    tone = [int(6000 * math.sin(2 * math.pi * 220 * i / rate)) for i in range(rate * 2)]
    audio = Audio(pcm=struct.pack(f"<{len(tone)}h", *tone), sample_rate=rate)
    cache = AudioCache(tmp_path)
    assert cache.codec == "opus"
    cache.put_raw("ef" * 32, audio)  # what a speech worker does: raw, until first read
    assert cache.has("ef" * 32) and cache.raw_path("ef" * 32).exists()
    back = cache.get("ef" * 32)
    path = cache.path("ef" * 32)
    assert not cache.raw_path("ef" * 32).exists()  # stored in the codec on first read
    assert path.suffix == ".opus" and path.stat().st_size * 4 < len(audio.pcm)
    assert back is not None and back.frames == audio.frames and back.sample_rate == rate
    got = struct.unpack(f"<{back.frames}h", back.pcm)
    err = sum((a - b) ** 2 for a, b in zip(tone, got, strict=True))
    assert 10 * math.log10(sum(a * a for a in tone) / max(err, 1)) > 15  # SNR in dB
    assert cache.get("ef" * 32) == back  # decoding is deterministic
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert cache.has("ef" * 32) and cache.get("ef" * 32) is None and not path.exists()


def test_pieces_encode_the_same_alone_or_in_a_batch(tmp_path: Path) -> None:
    """One ffmpeg stores a batch of raw pieces; each comes out as it would alone (so a
    Dask worker's single piece and a local batch make the same chapter)."""
    rate = 22050
    audios = [
        Audio(pcm=struct.pack(f"<{rate}h", *(int(5000 * math.sin(f * i / rate)) for i in range(rate))),
              sample_rate=rate)
        for f in (900, 1500, 2500)
    ]  # fmt: skip
    batch = AudioCache(tmp_path / "a")
    for i, a in enumerate(audios):
        batch.put_raw(f"{i:02d}" * 32, a)
    got = batch.get_many([f"{i:02d}" * 32 for i in range(3)])
    alone = AudioCache(tmp_path / "b")
    for i, a in enumerate(audios):
        alone.put(f"{i:02d}" * 32, a)
        assert alone.path(f"{i:02d}" * 32).read_bytes() == batch.path(f"{i:02d}" * 32).read_bytes()
        assert alone.get(f"{i:02d}" * 32) == got[i]
