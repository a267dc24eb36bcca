"""Chapter marks every player reads: the QuickTime chapter track and the Nero list, read back
from the m4b's own boxes, at chapter times past the old 32-bit overflow and in a long book."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from mutagen.mp4 import MP4
from typer.testing import CliRunner

from audiobook.assemble import (
    FORMATS,
    EncodeError,
    _run,
    ffmetadata,
    ffmpeg_base,
    ffmpeg_exe,
    ffmpeg_warnings,
    mux_book,
)
from audiobook.cli import app
from audiobook.mp4atoms import read_chapters


def _assert_quicktime_chapters(path: Path, titles: list[str]) -> None:
    found = read_chapters(path)
    assert found.problems == ()
    audio = [t for t in found.tracks if t.handler == "soun"]
    assert len(audio) == 1 and len(audio[0].chapter_refs) == 1
    (text,) = [t for t in found.tracks if t.track_id == audio[0].chapter_refs[0]]
    assert text.handler == "text" and not text.enabled  # a chapter track is never played
    assert len(text.sample_sizes) == len(titles)  # one sample per chapter
    assert [m.title for m in found.quicktime] == titles
    assert len(found.nero) == len(found.quicktime)
    for qt, nero in zip(found.quicktime, found.nero, strict=True):
        assert abs(qt.start_s - nero.start_s) < 0.01
    # and what mutagen reads (the Nero list) agrees
    assert [round(c.start, 2) for c in MP4(path).chapters] == [
        round(m.start_s, 2) for m in found.nero
    ]


def test_built_book_has_a_quicktime_chapter_track_past_152_s(
    runner: CliRunner, tmp_path: Path
) -> None:
    book = tmp_path / "book"
    book.mkdir()
    sentence = "The river ran on past the mill and the old stone bridge under grey skies. "
    for n in range(1, 4):  # ~450 words a chapter: about 170 s each with the fake engine
        (book / f"ch{n}.txt").write_text(f"Chapter {n}\n\n" + sentence * 32, encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(
        app,
        ["build", str(book), "-o", str(out), "--engine", "fake", "--cache", str(tmp_path / "c")],
    )
    assert res.exit_code == 0, res.output
    m4b = out / "Book.m4b"
    found = read_chapters(m4b)
    assert found.quicktime[-1].start_s > 300  # well past the old overflow at ~152 s
    _assert_quicktime_chapters(m4b, ["Chapter 1", "Chapter 2", "Chapter 3"])


@pytest.fixture(scope="module")
def minute_of_aac(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One minute of encoded silence in ADTS frames, as a chapter file of the cache."""
    path = tmp_path_factory.mktemp("aac") / "minute.aac"
    args = [*ffmpeg_base(), "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "60"]
    subprocess.run([*args, *FORMATS["m4b"].chapter_args, str(path)], check=True)
    return path


def test_long_book_keeps_every_chapter(minute_of_aac: Path, tmp_path: Path) -> None:
    """30 chapters of an hour each (30 hours, encoded silence): both chapter lists whole."""
    hour = tmp_path / "hour.aac"
    hour.write_bytes(minute_of_aac.read_bytes() * 60)
    ms = round(60 * 60 * 1000 * 60_000 / 60_000)  # whole frames: 1 h of 1024-sample frames
    chapters = [(f"Part {i + 1}", i * ms, (i + 1) * ms) for i in range(30)]
    dest = tmp_path / "long.m4b"
    mux_book([hour] * 30, chapters, FORMATS["m4b"], dest, {"title": "Long"}, None, tmp_path)
    _assert_quicktime_chapters(dest, [t for t, _, _ in chapters])
    assert MP4(dest).info.length > 29.9 * 3600


def test_raw_adts_mux_is_caught_by_its_warnings_and_by_reading_back(
    minute_of_aac: Path, tmp_path: Path
) -> None:
    """The old one-step mux from raw ADTS: ffmpeg warns, and the file's tref/chap dangles."""
    raw = tmp_path / "raw.aac"
    raw.write_bytes(minute_of_aac.read_bytes() * 4)
    meta = tmp_path / "meta.txt"
    meta.write_text(ffmetadata([("A", 0, 100_000), ("B", 100_000, 240_000)], {}), "utf-8")
    bad = tmp_path / "bad.m4b"
    args = [*ffmpeg_base(), "-f", "aac", "-i", str(raw), "-f", "ffmetadata", "-i", str(meta)]
    args += ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1", *FORMATS["m4b"].mux_args]
    with pytest.raises(EncodeError, match="warned while writing bad.m4b: .*duration"):
        _run([*args, str(bad)], bad.name)
    found = read_chapters(bad)
    assert found.problems and "missing" in found.problems[0]
    assert found.quicktime == () and len(found.nero) == 2


def test_known_harmless_ffmpeg_notices_are_not_failures() -> None:
    log = (
        b"[in#0/aac @ 0x55] Estimating duration from bitrate, this may be inaccurate\n"
        b"[ipod @ 0x56] Application provided duration: 2822400000 in stream 1 is invalid\n"
    )
    assert ffmpeg_warnings(log) == [
        "[ipod @ 0x56] Application provided duration: 2822400000 in stream 1 is invalid"
    ]
    assert ffmpeg_exe()
