"""Loudness by perception: every speaker of a built book within 1 LU, true peak under -3 dBTP,
read back from the produced files with ffmpeg's ebur128 filter (tests/loudness_check.py)."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, BuildBook
from loudness_check import per_speaker, whole

from audiobook import plan
from audiobook.assemble import ffmpeg_exe
from audiobook.bs1770 import integrated_loudness
from audiobook.loudness import LEVELLING, TARGET_LUFS, TRUE_PEAK_DBTP, level_samples
from audiobook.plan import chapter_key

RATE = 22050


def test_seeds_speakers_within_one_lu_and_true_peak_under_ceiling(
    build_book: BuildBook, tmp_path: Path
) -> None:
    """The demo book with real speech, in both formats: per-speaker integrated loudness
    (speech only, by the subtitles' cues) within 1 LU, and no true peak above -3 dBTP."""
    out = tmp_path / "out"
    build_book(REPO / "seeds", out=out, engine=None, extra=["-f", "m4b", "-f", "mp3"])
    for suffix in (".m4b", ".mp3"):
        book = next(out.glob(f"*{suffix}"))
        speakers = per_speaker(book, next(out.glob("*.vtt")))
        assert len(speakers) >= 6, speakers  # a real multi-speaker book
        values = [s.integrated for s in speakers.values()]
        assert max(values) - min(values) <= 1.0, speakers
        assert all(abs(v - TARGET_LUFS) <= 1.0 for v in values), speakers
        assert all(s.true_peak <= TRUE_PEAK_DBTP for s in speakers.values()), speakers
        assert whole(book).true_peak <= TRUE_PEAK_DBTP


def _ebur128_of_pcm(pcm: bytes) -> tuple[float, float]:
    log = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-f", "s16le", "-ar", str(RATE)]
        + ["-ch_layout", "mono", "-i", "pipe:0", "-af", "ebur128=peak=true", "-f", "null", "-"],
        input=pcm,
        capture_output=True,
        check=True,
    ).stderr.decode()
    summary = log[log.rindex("Summary:") :].split()
    return float(summary[summary.index("I:") + 1]), float(summary[summary.index("Peak:") + 1])


def test_measurement_agrees_with_ffmpeg_and_levelling_reaches_the_target() -> None:
    """Our BS.1770 measurement matches ffmpeg's on a quiet, peaky signal with silences
    (gating matters), and levelling brings it to the target with its true peak limited,
    where a full-scale tone at a quarter of the sample rate hides 3 dB between samples."""
    t = np.arange(RATE * 6) / RATE
    voice = 0.02 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(2 * np.pi * 1.3 * t) ** 8 * 20)
    voice += 0.01 * np.sin(2 * np.pi * 3100 * t)
    voice[RATE * 2 : RATE * 3] = 0.0  # a silence the gates leave out
    voice[RATE * 4 : RATE * 4 + 40] = 0.9 * np.sin(np.pi / 2 * np.arange(40) + np.pi / 4)
    pcm = np.rint(voice * 32767).astype("<i2").tobytes()
    ours = integrated_loudness(np.frombuffer(pcm, "<i2") / 32768.0, RATE)
    theirs, peak = _ebur128_of_pcm(pcm)
    assert abs(ours - theirs) <= 0.2 and peak > -2.0
    loud, peak = _ebur128_of_pcm(level_samples(pcm, RATE))
    assert abs(loud - TARGET_LUFS) <= 0.5
    assert peak <= TRUE_PEAK_DBTP - 0.5
    assert math.isinf(integrated_loudness(np.zeros(RATE), RATE))
    assert level_samples(bytes(2 * RATE), RATE) == bytes(2 * RATE)  # silence stays silence


def test_levelling_and_lead_out_are_in_the_chapter_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chapters levelled another way (or with another lead-out) are never reused."""
    key = chapter_key("m4b", [], RATE)
    assert chapter_key("m4b", [], RATE, lead_out=1601) != key
    monkeypatch.setattr(plan, "LEVELLING", LEVELLING.replace("-20.0 LUFS", "-19.0 LUFS"))
    assert chapter_key("m4b", [], RATE) != key
