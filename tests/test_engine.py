"""The speech engines: the pyttsx3 guards from the field notes, and the fake engine."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time

import pytest

from audiobook.engines import (
    VoiceSettings,
    create_engine,
    engine_class,
    engine_names,
    engine_sample_rate,
)
from audiobook.engines.base import chunks
from audiobook.errors import EngineError


def test_engines_are_registered() -> None:
    assert {"pyttsx3", "fake"} <= set(engine_names())
    with pytest.raises(EngineError, match="unknown engine"):
        create_engine("nope")


def test_every_registered_engine_states_its_contract_without_starting() -> None:
    for name in engine_names():
        cls = engine_class(name)
        assert cls.name == name
        assert isinstance(cls.sample_rate, int) and cls.sample_rate > 0
        assert isinstance(cls.static_version(), str) and cls.static_version()
        catalog = cls.catalog()
        assert catalog is None or all(isinstance(part, frozenset) for part in catalog)
    assert engine_sample_rate("fake") == create_engine("fake").sample_rate == 22050


def test_chunks_split_at_sentence_ends() -> None:
    text = " ".join(f"Sentence number {i} has five words." for i in range(100))
    parts = list(chunks(text, max_words=50))
    assert all(len(p.split()) <= 50 for p in parts)
    assert " ".join(parts) == text
    assert all(p.endswith(".") for p in parts)
    long_sentence = "word " * 450
    assert [len(p.split()) for p in chunks(long_sentence, 200)] == [200, 200, 50]


@pytest.fixture(scope="module")
def tts():  # type: ignore[no-untyped-def]
    return create_engine("pyttsx3")


def test_pyttsx3_speaks_every_voice_with_plausible_length(tts) -> None:  # type: ignore[no-untyped-def]
    text = "The quick brown fox jumps over the lazy dog, and then it runs away."
    for voice in ("en-us+f1", "en-gb-x-rp+m3", "en-gb-scotland+klatt3", "en+f5"):
        audio = tts.synthesize(text, VoiceSettings(voice, rate=175))
        # 14 words at 175 wpm is about 4.8 s; eSpeak adds a little pause at the end
        assert 3000 < audio.duration_ms < 8000, voice
        assert audio.sample_rate == 22050


def test_pyttsx3_long_text_is_complete(tts) -> None:  # type: ignore[no-untyped-def]
    """~1,500 words: chunked, so neither quadratic nor cut short; length scales with words."""
    text = " ".join(["The lamps were lit along the river as the boats came home."] * 125)
    audio = tts.synthesize(text, VoiceSettings("en-us", rate=200))
    expected = 1500 * 60 / 200 * 1000
    assert 0.6 * expected < audio.duration_ms < 1.6 * expected


def test_pyttsx3_bad_voice_raises(tts) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EngineError, match="no voice"):
        tts.synthesize("Hello there.", VoiceSettings("no-such-voice"))
    # the engine still works afterwards, with the right voice
    assert tts.synthesize("Hello there.", VoiceSettings("en-us")).duration_ms > 300


def test_pyttsx3_empty_text_raises(tts) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EngineError, match="empty"):
        tts.synthesize("   ", VoiceSettings("en-us"))


def test_pyttsx3_prints_nothing_on_stdout() -> None:
    code = (
        "from audiobook.engines import create_engine, VoiceSettings\n"
        "e = create_engine('pyttsx3')\n"
        "a = e.synthesize('Nothing should appear on standard output.', VoiceSettings('en-us'))\n"
        "assert a.duration_ms > 500\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout == ""


def test_pitch_and_rate_change_the_audio(tts) -> None:  # type: ignore[no-untyped-def]
    text = "A short sentence to compare two speaking rates."
    slow = tts.synthesize(text, VoiceSettings("en-us", rate=120))
    fast = tts.synthesize(text, VoiceSettings("en-us", rate=300))
    assert slow.duration_ms > 1.6 * fast.duration_ms


# --- determinism (issue 10): the same text and voice give the same samples, whatever came before

_LINE = "The lamps were lit along the river as the boats came home, and nobody spoke."
_NARRATOR = VoiceSettings("en-gb-x-rp+m7", rate=165, pitch=40, range=60)
_OTHER = VoiceSettings("en-us+f3", rate=230, pitch=85, range=15, volume=0.6)


def _digest(pcm: bytes) -> str:
    return hashlib.sha256(pcm).hexdigest()


def test_five_renders_of_a_line_are_identical_in_one_worker() -> None:
    tts = create_engine("pyttsx3")
    digests = set()
    for i in range(5):
        digests.add(_digest(tts.synthesize(_LINE, _NARRATOR).pcm))
        # other voices in between: their pitch, rate, range and volume must not carry over
        tts.synthesize(f"Something else, number {i}, said quickly.", _OTHER)
    assert len(digests) == 1


def test_a_line_after_another_voice_equals_the_line_said_first() -> None:
    first = create_engine("pyttsx3")
    alone = first.synthesize(_LINE, _NARRATOR).pcm
    second = create_engine("pyttsx3")
    second.synthesize("Wait! Who goes there, in the dark?", _OTHER)
    second.synthesize("A third voice with its own pitch.", VoiceSettings("en+klatt4", pitch=5))
    after = second.synthesize(_LINE, _NARRATOR).pcm
    assert len(after) == len(alone)
    assert after == alone


_RENDER = """
import hashlib, sys
from audiobook.engines import create_engine, VoiceSettings
e = create_engine("pyttsx3")
e.synthesize("Warm up with another voice, at another rate.", VoiceSettings("en-us+f3", rate=230, pitch=85))
for _ in range(5):
    a = e.synthesize(sys.argv[1], VoiceSettings("en-gb-x-rp+m7", rate=165, pitch=40, range=60))
    print(hashlib.sha256(a.pcm).hexdigest())
for breathy in ("en-us+f2", "en-us+f5"):  # noise from eSpeak's generator, seeded by the clock
    print(hashlib.sha256(e.synthesize(sys.argv[1], VoiceSettings(breathy)).pcm).hexdigest())
"""


def test_renders_agree_across_worker_processes() -> None:
    """Two workers at once, and a third started seconds later, hear the very same samples."""
    expected = _digest(create_engine("pyttsx3").synthesize(_LINE, _NARRATOR).pcm)

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", _RENDER, _LINE], stdout=subprocess.PIPE, text=True
        )

    procs = [start(), start()]
    outs = [p.communicate(timeout=120)[0].split() for p in procs]
    time.sleep(1.1)  # eSpeak NG seeds its noise from the clock, in seconds
    late = start()
    outs.append(late.communicate(timeout=120)[0].split())
    assert all(p.returncode == 0 for p in [*procs, late])
    assert outs[0][:5] == [expected] * 5
    assert outs[0] == outs[1] == outs[2]


def test_engine_survives_its_espeak_process_dying(tts) -> None:  # type: ignore[no-untyped-def]
    if not sys.platform.startswith("linux"):
        pytest.skip("the fresh-state eSpeak helper runs on Linux only")
    before = tts.synthesize(_LINE, _NARRATOR).pcm
    tts._fresh._proc.kill()  # a crash of the helper process: it is restarted, audio unchanged
    assert tts.synthesize(_LINE, _NARRATOR).pcm == before


def test_pyttsx3_reads_espeak_phonemes(tts) -> None:  # type: ignore[no-untyped-def]
    """[[...]] from a [pronounce] phonemes entry is said as phonemes, not read out as brackets
    and symbols (measured: 'He met [[r'u:]] today.' 1.85 s read literally, 1.15 s as phonemes,
    'He met roo today.' 1.27 s)."""
    voice = VoiceSettings("en-us", rate=175)
    as_phonemes = tts.synthesize("He met [[r'u:]] today.", voice).duration_ms
    as_word = tts.synthesize("He met roo today.", voice).duration_ms
    assert abs(as_phonemes - as_word) < 350, (as_phonemes, as_word)


def test_the_espeak_process_ends_quietly_when_its_client_is_gone() -> None:
    """A Ctrl-C that ends a speech worker while its eSpeak process starts leaves that process
    writing its greeting into a closed pipe: it ends without a traceback on the user's
    terminal."""
    import os

    r, w = os.pipe()
    os.close(r)  # the client is gone before the greeting
    proc = subprocess.run(
        [sys.executable, "-m", "audiobook.engines.espeak_fresh"],
        stdin=subprocess.DEVNULL,
        stdout=w,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )
    os.close(w)
    assert proc.stderr.decode() == ""
