"""End-to-end builds through the CLI, reading the produced files back."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import BuildBook
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from typer.testing import CliRunner

from audiobook.assemble import ffmpeg_exe
from audiobook.cli import app


def test_book_from_directory_has_a_chapter_per_story(
    build_book: BuildBook, book_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build_book(book_dir, extra=["--title", "Winter Tales", "--author", "A. Writer"])
    m4b = out / "Winter Tales.m4b"
    mp4 = MP4(m4b)
    assert mp4.info.sample_rate == 22050 and mp4.info.channels == 1
    titles = [c.title for c in mp4.chapters]
    # natural sort: chapter1.md, chapter2.txt, chapter10.txt; titles from headings or the text
    assert titles[0] == "Snow in the Valley"
    assert titles[1].startswith("Marta Vidal pushed open the bakery door")
    assert titles[2] == "The Last Train"
    assert mp4.tags["\xa9nam"] == ["Winter Tales"]
    assert mp4.tags["\xa9ART"] == ["A. Writer"]
    assert mp4.tags["\xa9gen"] == ["Audiobook"]
    report = json.loads((out / "Winter Tales.build.json").read_text())
    for key in ("chapters", "duration_ms", "segments", "synthesized", "reused", "wall_s"):
        assert key in report
    # chapter marks sit at the real chapter boundaries of the audio
    starts = [round(c.start * 1000) for c in mp4.chapters]
    assert starts == [c["start_ms"] for c in report["chapters"]]
    assert abs(mp4.info.length * 1000 - report["duration_ms"]) < 100
    assert report["chapters"][-1]["end_ms"] == report["duration_ms"]
    assert all(
        a["end_ms"] == b["start_ms"] for a, b in zip(report["chapters"], report["chapters"][1:])
    )
    # the second chapter holds real speech: about 40 words at 160-185 wpm plus pauses
    ch2 = report["chapters"][1]
    assert 10_000 < ch2["end_ms"] - ch2["start_ms"] < 30_000


def test_speakers_get_distinct_voices_and_subtitles_name_them(
    build_book: BuildBook, story: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build_book(story)
    name = "Bakery"
    script = json.loads((out / f"{name}.script.json").read_text())
    voice_of: dict[str, str] = {}
    for ch in script["chapters"]:
        for s in ch["segments"]:
            voice_of.setdefault(s["speaker"], s["voice"])
            assert s["text"] == story.read_text()[s["start"] : s["end"]]
    ids = {c["name"].split()[0]: c["id"] for c in script["cast"]}
    marta, tomas = ids["Marta"], ids["Tomas"]
    assert {marta, tomas, "narrator"} <= set(voice_of)
    assert len({voice_of[marta], voice_of[tomas], voice_of["narrator"]}) == 3
    vtt = (out / f"{name}.vtt").read_text()
    assert vtt.startswith("WEBVTT")
    names = {c["id"]: c["name"] for c in script["cast"]}
    assert f"<v {names[marta]}>" in vtt and f"<v {names[tomas]}>" in vtt and "<v Narrator>" in vtt
    times = re.findall(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})", vtt)
    ms = [((int(a) * 60 + int(b)) * 60 + int(c)) * 1000 + int(d) for a, b, c, d, *_ in times]
    assert ms == sorted(ms) and len(ms) >= 6


def test_rerun_synthesizes_nothing(build_book: BuildBook, story: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_book(story)
    first = json.loads((out / "Bakery.build.json").read_text())
    assert first["synthesized"] == first["segments"] > 0
    build_book(story)
    second = json.loads((out / "Bakery.build.json").read_text())
    assert second["synthesized"] == 0 and second["reused"] == second["segments"]
    assert second["chapters_encoded"] == 0
    assert second["duration_ms"] == first["duration_ms"]


def test_mp3_has_id3_chapters(build_book: BuildBook, book_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_book(book_dir, extra=["--format", "mp3", "--format", "m4b", "--title", "Tales"])
    tags = ID3(out / "Tales.mp3")
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert len(chaps) == 3
    assert chaps[0].sub_frames["TIT2"].text == ["Snow in the Valley"]
    assert len(tags.getall("CTOC")) == 1
    assert MP3(out / "Tales.mp3").info.sample_rate == 22050
    assert len(MP4(out / "Tales.m4b").chapters) == 3


def test_cover_is_embedded(build_book: BuildBook, story: Path, tmp_path: Path) -> None:
    cover = tmp_path / "cover.png"
    subprocess.run(
        [
            ffmpeg_exe(),
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "color=c=blue:s=64x64",
            "-frames:v",
            "1",
            str(cover),
        ],
        check=True,
    )
    out = tmp_path / "out"
    build_book(story, extra=["--cover", str(cover)])
    assert MP4(out / "Bakery.m4b").tags["covr"][0][:8] == b"\x89PNG\r\n\x1a\n"


def test_real_engine_builds_speech(build_book: BuildBook, story: Path, tmp_path: Path) -> None:
    """The default engine (pyttsx3 + eSpeak NG from PyPI) makes real, complete speech."""
    out = tmp_path / "out"
    build_book(story, engine=None, extra=["--jobs", "2"])
    report = json.loads((out / "Bakery.build.json").read_text())
    assert report["engine"].startswith("pyttsx3")
    # ~50 words of speech at 160-185 wpm plus pauses and lead-in/out: 14..40 s
    assert 14_000 < report["duration_ms"] < 40_000
    assert abs(MP4(out / "Bakery.m4b").info.length * 1000 - report["duration_ms"]) < 100


@pytest.mark.parametrize(
    ("make", "args", "message", "code"),
    [
        (lambda d: d / "missing.txt", [], "no such file", 1),
        (lambda d: (d / "e.txt").write_text("  \n") and d / "e.txt", [], "no words", 1),
        (
            lambda d: (d / "b.txt").write_bytes(bytes(range(256)) * 40) and d / "b.txt",
            [],
            "binary",
            1,
        ),
        (lambda d: (d / "empty").mkdir() or d / "empty", [], "no stories", 1),
        (None, ["--format", "wav"], "unknown format", 2),
        (None, ["--cover", "/nonexistent/cover.jpg"], "cover image not found", 1),
    ],
)
def test_errors_are_one_line_without_output(
    build_book: BuildBook, story: Path, tmp_path: Path, make, args, message, code
) -> None:  # type: ignore[no-untyped-def]
    target = make(tmp_path) if make else story
    out = tmp_path / "out"
    res = build_book(target, quiet=False, extra=args, ok=False)
    assert res.exit_code == code
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]
    assert "Traceback" not in res.output
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]


def test_unwritable_output_directory(build_book: BuildBook, story: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    res = build_book(story, out=blocker / "out", quiet=False, ok=False)
    assert res.exit_code == 1
    assert res.stderr.startswith("error:") and len(res.stderr.strip().splitlines()) == 1


def test_help_has_examples(runner: CliRunner) -> None:
    for cmd in (["build"], ["script"], ["bench", "attribution"]):
        res = runner.invoke(app, [*cmd, "--help"])
        assert res.exit_code == 0 and "Example:" in res.output


def test_two_fresh_builds_give_byte_identical_books(
    build_book: BuildBook, story: Path, tmp_path: Path
) -> None:
    """Real speech, fresh caches, different worker counts: the same m4b, byte for byte."""
    books = []
    for n, jobs in ((1, "2"), (2, "1")):
        out = tmp_path / f"out{n}"
        build_book(story, out=out, cache=tmp_path / f"cache{n}", engine=None, extra=["-j", jobs])
        books.append((out / "Bakery.m4b").read_bytes())
    assert books[0] == books[1]
