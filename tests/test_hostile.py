"""Inputs that try to break a build: each builds correctly or fails with one clear line."""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BuildBook
from mutagen.mp4 import MP4
from typer.testing import CliRunner

from audiobook.cli import app

AUDIOBOOK = [sys.executable, "-m", "audiobook.cli"]


def _run(runner: CliRunner, *args: str) -> object:
    return runner.invoke(app, list(args))


def _visible(out: Path) -> list[str]:
    return (
        sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) if out.exists() else []
    )


def _one_error_line(res: object, needle: str) -> None:
    stderr = res.stderr  # type: ignore[attr-defined]
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error:") and needle in lines[0], lines[0]
    assert "Traceback" not in res.output  # type: ignore[attr-defined]


def test_cover_that_is_not_an_image(build_book: BuildBook, story: Path, tmp_path: Path) -> None:
    cover = tmp_path / "cover.jpg"
    cover.write_text("this is text, not a picture")
    out = tmp_path / "out"
    res = build_book(story, quiet=False, extra=["--cover", str(cover)], ok=False)
    assert res.exit_code == 1
    _one_error_line(res, "not a JPEG or PNG image")
    assert _visible(out) == []


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("\U0001f600 \U0001f389 !!! ... ??? \u2014\n", "has no words"),
        ("... ;;; !!! ???\n\n***\n", "has no words"),
        ('<speak><break time="3s"/></speak>\n\n<b>**</b> &nbsp;\n', "nothing to read aloud"),
    ],
)
def test_nothing_to_say(build_book: BuildBook, tmp_path: Path, content: str, needle: str) -> None:
    p = tmp_path / "odd.txt"
    p.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    res = build_book(p, quiet=False, ok=False)
    assert res.exit_code == 1
    _one_error_line(res, needle)
    assert _visible(out) == []


def test_markup_is_never_spoken(build_book: BuildBook, tmp_path: Path) -> None:
    p = tmp_path / "tags.txt"
    p.write_text(
        'The bell rang. <break time="3s"/> <prosody rate="x-slow">Then</prosody> silence.\n\n'
        '"Who is there?" asked Ann.\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    res = build_book(p, ok=False)
    assert res.exit_code == 0
    vtt = (out / "Tags.vtt").read_text()
    assert "break" not in vtt and "prosody" not in vtt and "3s" not in vtt
    assert "The bell rang." in vtt and "Then silence." in vtt


def test_unbalanced_quotes_build(build_book: BuildBook, tmp_path: Path) -> None:
    p = tmp_path / "unbalanced.txt"
    p.write_text(
        '"This quote never closes, she said.\n\nThe rain kept on falling over the town.\n\n'
        '"Another line," he said.\n\nAnd \u201ccurly too.\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    res = build_book(p, ok=False)
    assert res.exit_code == 0, res.output
    script = json.loads((out / "Unbalanced.script.json").read_text())
    text = p.read_text()
    segs = [s for ch in script["chapters"] for s in ch["segments"]]
    assert segs[0]["start"] == 0 and segs[-1]["end"] == len(
        text.rstrip()
    )  # the body: no trailing blank
    assert all(a["end"] == b["start"] for a, b in itertools.pairwise(segs))
    assert "The rain kept on falling" in (out / "Unbalanced.vtt").read_text()


def test_one_huge_paragraph(runner: CliRunner, build_book: BuildBook, tmp_path: Path) -> None:
    """2 MB in one paragraph: analysed quickly; a 60 KB one builds in bounded jobs."""
    sentence = "The river ran past the town and nobody said a word about it. "
    big = tmp_path / "big.txt"
    big.write_text(sentence * (2_000_000 // len(sentence)), encoding="utf-8")
    t0 = time.monotonic()
    res = _run(runner, "script", str(big), "--format", "json", "-o", str(tmp_path / "big.json"))
    assert res.exit_code == 0  # type: ignore[attr-defined]
    assert time.monotonic() - t0 < 30
    segs = [
        s
        for ch in json.loads((tmp_path / "big.json").read_text())["chapters"]
        for s in ch["segments"]
    ]
    assert segs[-1]["end"] == big.stat().st_size - 1  # trailing space is not in the body
    medium = tmp_path / "medium.txt"
    medium.write_text(sentence * 1000, encoding="utf-8")
    out = tmp_path / "out"
    res = build_book(medium, ok=False)
    assert res.exit_code == 0
    report = json.loads((out / "Medium.build.json").read_text())
    assert report["segments"] >= 13000 // 250  # split into jobs of at most ~250 words
    # 13,000 words at the narrator's 165 wpm is about 79 minutes
    assert 70 * 60_000 < report["duration_ms"] < 90 * 60_000


def test_other_scripts_are_read_by_their_own_voices(build_book: BuildBook, tmp_path: Path) -> None:
    p = tmp_path / "mixed.txt"
    p.write_text(
        "The old man smiled. \u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1 \u03c3\u03b1\u03c2, he said.\n\n"
        '\u4f60\u597d\u4e16\u754c\u3002\n\n"Hello," said Ann.\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    res = build_book(p, engine=None, ok=False)
    assert res.exit_code == 0, res.output
    report = json.loads((out / "Mixed.build.json").read_text())
    vtt = (out / "Mixed.vtt").read_text()
    assert "\u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1" in vtt and "\u4f60\u597d" in vtt
    assert report["duration_ms"] > 5000


def test_voice_map_with_missing_voice(build_book: BuildBook, story: Path, tmp_path: Path) -> None:
    vm = tmp_path / "map.toml"
    vm.write_text('[voices.Ada]\nbase = "en-usa"\n', encoding="utf-8")
    cache = tmp_path / "c"
    res = build_book(
        story, cache=cache, engine=None, quiet=False, extra=["--voices", str(vm)], ok=False
    )
    assert res.exit_code == 1
    _one_error_line(res, "voices.Ada.base: the engine has no voice 'en-usa'; did you mean 'en-us'")
    assert not cache.exists()


def test_titles_cannot_escape_the_output_directory(build_book: BuildBook, tmp_path: Path) -> None:
    p = tmp_path / "s.txt"
    p.write_text(
        "# ../../../etc/evil\n\nA quiet story about nothing much at all, told slowly.\n",
        encoding="utf-8",
    )
    out = tmp_path / "deep" / "out"
    res = build_book(p, out=out, extra=["--title", "../../escape/../me"], ok=False)
    assert res.exit_code == 0
    assert all(f.parent == out for f in out.iterdir())
    assert not (tmp_path / "escape").exists() and not list((tmp_path / "deep").glob("*.m4b"))
    assert MP4(next(out.glob("*.m4b"))).chapters[0].title == "../../../etc/evil"


def test_second_build_into_same_directory_refuses(
    build_book: BuildBook, story: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / ".audiobook.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # what a running build holds
    try:
        res = build_book(story, quiet=False, ok=False)
        assert res.exit_code == 1
        _one_error_line(res, "another build is writing into")
        assert _visible(out) == []
    finally:
        os.close(fd)


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full disk: writes fail instead of killing us
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_full_disk_gives_one_line_and_no_partial_output(story: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = subprocess.run(
        [
            *AUDIOBOOK,
            "build",
            str(story),
            "-o",
            str(out),
            "--engine",
            "fake",
            "--cache",
            str(tmp_path / "c"),
            "-q",
        ],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        timeout=300,
        check=False,
    )
    assert res.returncode == 1, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), res.stderr
    assert "Traceback" not in res.stderr
    assert _visible(out) == []


def _pieces(cache: Path) -> int:
    """Synthesized pieces in the cache: raw ones, and those already stored in Opus."""
    return len(list(cache.rglob("*.pcm"))) + len(list(cache.rglob("*.opus")))


def _wait_for_cache(
    cache: Path, n: int, proc: subprocess.Popen[bytes], timeout: float = 120
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _pieces(cache) >= n:
            return
        assert proc.poll() is None, "the build ended before it could be interrupted"
        time.sleep(0.05)
    raise AssertionError("no synthesis progress")


def _book(tmp_path: Path) -> Path:
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    book = tmp_path / "book"
    book.mkdir()
    for i, f in enumerate(sorted(seeds.glob("*.txt"))):
        (book / f"{i:02d}.txt").write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return book


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, "ctrl-c"])
def test_interrupted_build_resumes(tmp_path: Path, sig: int | str) -> None:
    """kill -9 (or Ctrl-C) mid-synthesis, rerun: the build completes from the cache, whole.
    "ctrl-c" sends SIGINT to the whole process group, as a terminal does: the speech workers
    and their eSpeak processes get it too, and still only our one line is printed."""
    book, out, cache = _book(tmp_path), tmp_path / "out", tmp_path / "cache"
    cmd = [
        *AUDIOBOOK,
        "build",
        str(book),
        "-o",
        str(out),
        "--cache",
        str(cache),
        "--title",
        "Book",
        "-q",
        "--jobs",
        "1",
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    _wait_for_cache(cache, 5, proc)
    if sig == signal.SIGKILL:
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers, as a crash would
    elif sig == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if sig != signal.SIGKILL:
        assert proc.returncode == 130
        assert err.decode().strip().splitlines() == [
            "interrupted: nothing half-written was kept; rerun the same command to resume from the cache"
        ]
    assert _visible(out) == []  # no half-written book
    done_before = _pieces(cache)
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert res.returncode == 0, res.stderr
    report = json.loads((out / "Book.build.json").read_text())
    assert report["reused"] >= done_before - 1 > 0
    assert report["synthesized"] + report["reused"] == report["segments"]
    assert abs(MP4(out / "Book.m4b").info.length * 1000 - report["duration_ms"]) < 100
    assert len(MP4(out / "Book.m4b").chapters) == 5


def test_damaged_cache_entries_are_redone(
    build_book: BuildBook, story: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "out", tmp_path / "c"
    assert build_book(story, cache=cache, ok=False).exit_code == 0
    first = json.loads((out / "Bakery.build.json").read_text())
    entries = sorted(cache.glob("??/*.opus"))
    assert entries
    for i, entry in enumerate(entries):
        data = bytearray(entry.read_bytes())
        if i % 2:
            entry.write_bytes(bytes(data[: len(data) // 2]))  # truncated
        else:
            data[100] ^= 0xFF  # corrupt
            entry.write_bytes(bytes(data))
    for f in (cache / "chapters").iterdir():
        f.unlink()  # force the chapter to be joined again from the damaged entries
    assert build_book(story, cache=cache, ok=False).exit_code == 0
    second = json.loads((out / "Bakery.build.json").read_text())
    assert second["duration_ms"] == first["duration_ms"]
