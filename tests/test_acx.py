"""``audiobook build --profile acx``: the files ACX asks for, read back and checked against
ACX's rules; long chapters split at a paragraph; a failure leaves no half-written folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import BuildBook
from mutagen.id3 import ID3
from typer.testing import CliRunner

from audiobook import acx
from audiobook.assemble import ffmpeg_base, ffmpeg_warnings
from audiobook.book import prepare
from audiobook.cli import app
from audiobook.engines import VoiceSettings
from audiobook.files import safe_filename
from audiobook.measure import measure
from audiobook.plan import plan_book
from audiobook.progress import Silent
from audiobook.synth import AudioCache, Job, Synthesizer


def _decode_warnings(path: Path) -> list[str]:
    """What ffmpeg says (at warning level) while decoding the whole file."""
    proc = subprocess.run(
        [*ffmpeg_base(), "-i", str(path), "-f", "null", "-"], capture_output=True, check=False
    )
    assert proc.returncode == 0
    return ffmpeg_warnings(proc.stderr)


def test_acx_files_pass_acx_check(build_book: BuildBook, book_dir: Path, runner: CliRunner) -> None:
    built = build_book(book_dir, extra=["--profile", "acx", "--author", "Jane Roe"])
    folder = built.out / "Book (ACX)"
    names = sorted(p.name for p in folder.iterdir())
    titles = [c["title"] for c in built.report()["chapters"]]
    assert titles[0] == "Snow in the Valley" and titles[2] == "The Last Train"
    assert names == [
        "00 Opening Credits.mp3",
        *(f"{n:02d} {safe_filename(t)}.mp3" for n, t in enumerate(titles, 1)),
        "04 Closing Credits.mp3",
    ]
    assert (built.out / "Book.m4b").is_file()  # the book itself is still made
    for name in names:
        path = folder / name
        m = measure(path)
        assert (m.codec, m.sample_rate, m.channels, m.mp3_bitrates) == ("mp3", 44100, 1, (192,))
        assert -23 <= m.rms_db <= -18 and m.peak_db <= -3
        assert -90 < m.noise_floor_db <= -60  # room tone: low noise, not digital silence
        assert 0.5 <= m.head_silence_s <= 1.0 and 1.0 <= m.tail_silence_s <= 5.0
        assert _decode_warnings(path) == []
        tags = ID3(path)
        assert str(tags["TALB"]) == "Book" and str(tags["TPE1"]) == "Jane Roe"
    assert str(ID3(folder / names[2])["TIT2"]) == titles[1]
    assert str(ID3(folder / names[2])["TRCK"]) == "3/5"
    res = runner.invoke(app, ["check", "--profile", "acx", str(folder), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["passed"] and len(doc["files"]) == 5
    assert all(v["passed"] for f in doc["files"] for v in f["rules"])


def test_credits_say_title_author_and_narrator() -> None:
    opening, closing = acx.credits_text("Paris Stories", "Sample Authors", "Narrator")
    assert opening == "Paris Stories. Written by Sample Authors. Read by Narrator."
    assert "Paris Stories" in closing and "Read by Narrator" in closing
    assert closing.endswith("The end.")
    assert acx.credits_text("Book", None, "Ada")[0] == "Book. Read by Ada."


def _piece(n: int, paragraph: bool) -> acx.Piece:
    job = Job(f"k{n}", f"piece {n}", VoiceSettings("en"))
    return acx.Piece(job, 650 if paragraph else 150, paragraph)


def test_split_points_prefer_paragraphs() -> None:
    # 10 pieces of 10 s; paragraphs start at 0, 4 and 7; files of at most 45 s + room tone
    pieces = [_piece(i, i in (0, 4, 7)) for i in range(10)]
    max_ms = 45_000 + acx.HEAD_MS + acx.TAIL_MS
    assert acx.split_points(pieces, [10_000] * 10, max_ms) == [0, 4, 7]
    # one paragraph longer than a file: cut between pieces
    flat = [_piece(i, i == 0) for i in range(10)]
    starts = acx.split_points(flat, [10_000] * 10, max_ms)
    assert starts == [0, 4, 8]
    parts = acx.split(acx.Section("Long", tuple(flat)), [10_000] * 10, max_ms)
    assert [p.title for p, _, _ in parts] == [f"Long (Part {n})" for n in range(1, 4)]
    assert [(a, b) for _, a, b in parts] == [(0, 4), (4, 8), (8, 10)]
    short = acx.split(acx.Section("Short", tuple(flat[:2])), [10_000] * 2, max_ms)
    assert [p.title for p, _, _ in short] == ["Short"]


def test_long_chapter_is_split_at_a_paragraph(
    build_book: BuildBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """With files limited to 20 s, a chapter of seven one-sentence paragraphs comes out in
    numbered parts, each under the limit and each passing ACX's rules (which piece a part
    starts with is tested on :func:`acx.split_points` above)."""
    monkeypatch.setattr(acx, "MAX_FILE_MS", 20_000)
    story = tmp_path / "long.txt"
    paragraphs = [f"Paragraph {n} tells how the river ran past the old mill." for n in range(7)]
    story.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    built = build_book(story, extra=["--profile", "acx"])
    folder = built.out / "Long (ACX)"
    names = sorted(p.name for p in folder.iterdir())
    parts = [n for n in names if "(Part" in n]
    assert len(parts) >= 2 and names[0] == "00 Opening Credits.mp3"
    assert names[-1].endswith("Closing Credits.mp3")
    starts = []
    for name in parts:
        m = measure(folder / name)
        assert m.duration_s <= 20.0
        starts.append(str(ID3(folder / name)["TIT2"]))
    title = built.report()["chapters"][0]["title"]
    assert starts == [f"{title} (Part {n})" for n in range(1, len(parts) + 1)]
    script = built.script()["chapters"][0]["segments"]
    assert len(script) == 7  # seven paragraphs, so every cut fell between two of them
    res = runner.invoke(app, ["check", "--profile", "acx", str(folder)])
    assert res.exit_code == 0, res.output


def test_a_file_failing_acx_keeps_the_old_folder(
    build_book: BuildBook, book_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build_book(book_dir, extra=["--profile", "acx"])
    folder = built.out / "Book (ACX)"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(acx, "TARGET_RMS_DB", -10.0)  # louder than ACX allows
    failed = build_book(book_dir, extra=["--profile", "acx"], ok=False)
    assert failed.exit_code == 1
    assert "fails ACX's RMS rule" in failed.stderr and "Traceback" not in failed.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in built.out.iterdir() if "ACX" in p.name) == ["Book (ACX)"]


def test_unknown_build_profile_is_a_usage_error(build_book: BuildBook, book_dir: Path) -> None:
    res = build_book(book_dir, extra=["--profile", "audible"], ok=False)
    assert res.exit_code == 2 and "unknown profile" in res.stderr


class _Keys:
    """Cache keys without a synthesizer (planning needs only these)."""

    def key(self, voice: VoiceSettings, text: str) -> str:
        return f"{voice.engine_voice}:{text}"


def test_paragraph_starts_come_from_the_source_text(story: Path) -> None:
    """The bakery story has four paragraphs and more spoken pieces (a quote and its speech
    tag are two pieces of one paragraph): a file is cut only where a blank line was."""
    prepared = prepare([story], None, "fake", Silent())
    book = prepared.book
    (plan,) = plan_book(book, prepared.casting, _Keys())
    text = book.sources[book.chapters[0].source].text
    (chapter,) = acx.sections(
        [book.chapters[0].title], [text], [plan], (_piece(0, True).job, _piece(1, True).job)
    )[1:-1]
    starts = [p.job.text.lstrip('"') for p in chapter.pieces if p.paragraph]
    assert len(plan) > 4 and len(starts) == 4
    assert starts[1].startswith("Two loaves") and starts[2].startswith("The baker")
    assert starts[3].startswith("Rye, always rye")


def test_master_corrects_a_gain_that_misses(tmp_path: Path) -> None:
    """A first gain 10 dB too low gives a file too quiet for ACX; master() measures it, encodes
    again with the gain corrected, and the file passes."""
    synth = Synthesizer("fake", AudioCache(tmp_path / "cache"), 0)
    voice = VoiceSettings("en")
    text = "The river ran on past the mill and the old stone bridge under grey skies."
    section = acx.Section("T", (acx.Piece(Job(synth.key(voice, text), text, voice), 0, True),))
    stats = acx.survey(section, synth, {})
    gain = acx.start_gain(section, stats, synth.sample_rate)
    quiet = tmp_path / "quiet.mp3"
    part = acx.Part(section, gain - 10, {"title": "T"})
    acx.encode(part, synth, {}, quiet, part.gain_db)
    assert measure(quiet).rms_db < -23  # what the first try alone would give
    dest = tmp_path / "t.mp3"
    acx.master(part, synth, {}, dest)
    m = measure(dest)
    assert abs(m.rms_db - acx.TARGET_RMS_DB) < 1.0 and m.peak_db <= -3


def test_a_rebuild_copies_the_acx_files_it_mastered_before(
    build_book: BuildBook, book_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mastered files are kept in the audio cache: an unchanged rebuild copies them (mastering
    nothing), byte for byte; a change of what they say or of their tags masters them again."""
    first = build_book(book_dir, out=book_dir.parent / "a", extra=["--profile", "acx"])
    files = {p.name: p.read_bytes() for p in (first.out / "Book (ACX)").iterdir()}

    def refuse(*_: object) -> None:
        raise AssertionError("mastered again")

    with monkeypatch.context() as m:
        m.setattr(acx, "master", refuse)
        again = build_book(book_dir, out=book_dir.parent / "b", extra=["--profile", "acx"])
    assert {p.name: p.read_bytes() for p in (again.out / "Book (ACX)").iterdir()} == files
    mastered: list[str] = []
    real = acx.master
    monkeypatch.setattr(
        acx, "master", lambda part, *a: mastered.append(part.section.title) or real(part, *a)
    )
    build_book(
        book_dir, out=book_dir.parent / "c", extra=["--profile", "acx", "--author", "Ann Lee"]
    )
    assert len(mastered) == len(files)  # the author is in every file's tags and the credits
