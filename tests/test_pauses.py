"""The voice map's [pauses]: a setting changes the silences measured in the produced audio,
and a change of pauses re-encodes the chapter without synthesizing anything again."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from conftest import BuildBook
from typer.testing import CliRunner

from audiobook.assemble import ffmpeg_exe
from audiobook.cli import app

RATE = 22050
FRAME = RATE // 100  # 10 ms


def silences_ms(book: Path) -> list[int]:
    """Lengths of the silent stretches of a book (10 ms frames under -50 dBFS), decoded
    back from the file, in order; the first and last are the chapter's lead-in and -out."""
    pcm = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(book)]
        + ["-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"],
        capture_output=True,
        check=True,
    ).stdout
    x = np.frombuffer(pcm, "<i2").astype(np.float64) / 32768
    frames = x[: len(x) // FRAME * FRAME].reshape(-1, FRAME)
    quiet = np.sqrt((frames**2).mean(axis=1)) < 10 ** (-50 / 20)
    runs, n = [], 0
    for q in quiet:
        if q:
            n += 1
        elif n:
            runs.append(n * 10)
            n = 0
    runs.append(n * 10)
    return runs


def _pauses(tmp_path: Path, name: str, table: str) -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(f"[pauses]\n{table}\n", encoding="utf-8")
    return p


def test_pause_settings_change_the_measured_gaps(
    build_book: BuildBook, story: Path, tmp_path: Path
) -> None:
    """The bakery story has three paragraph breaks; at the last one the speaker of the next
    paragraph's opening quote (Marta) is not the one of the last quote before it (Tomas): a
    turn. Each setting moves exactly the gaps it names, by the amount it says."""
    cache = tmp_path / "cache"

    def gaps(extra: list[str], name: str) -> list[int]:
        out = tmp_path / name
        build_book(story, out=out, cache=cache, extra=extra)
        return silences_ms(next(out.glob("*.m4b")))

    def moved(extra: list[str], name: str) -> list[int]:
        """How much each gap moved from the default build: lead-in, 3 breaks, lead-out."""
        now = gaps(extra, name)
        return [
            now[0] - base[0],
            *(a - b for a, b in zip(breaks(now), breaks(base))),
            now[-1] - base[-1],
        ]

    def breaks(runs: list[int]) -> list[int]:
        return [g for g in runs[1:-1] if g >= 400]  # phrases (150 ms) and word gaps are shorter

    base = gaps([], "default")
    assert len(breaks(base)) == 3 and abs(breaks(base)[0] - 650) <= 80, base
    assert abs(base[0] - 400) <= 80 and abs(base[-1] - 1600) <= 80, base

    def close(got: list[int], want: list[int]) -> bool:
        return len(got) == len(want) and all(abs(g - w) <= 40 for g, w in zip(got, want))

    voices = ["--voices"]
    got = moved([*voices, str(_pauses(tmp_path, "p", "paragraph = 2000"))], "paragraph")
    assert close(got, [0, 1350, 1350, 0, 0]), got  # the turn keeps its own pause
    got = moved([*voices, str(_pauses(tmp_path, "t", "turn = 3000"))], "turn")
    assert close(got, [0, 0, 0, 2350, 0]), got
    edges = "chapter_start = 1000\nchapter_end = 2500"
    got = moved([*voices, str(_pauses(tmp_path, "c", edges))], "edges")
    assert close(got, [600, 0, 0, 0, 900]), got


def test_a_change_of_pauses_reencodes_without_synthesizing(
    build_book: BuildBook, story: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = build_book(story, out=tmp_path / "a", cache=cache).report()
    assert first["synthesized"] == first["segments"] and first["chapters_encoded"] == 1
    slow = ["--voices", str(_pauses(tmp_path, "slow", "paragraph = 1200"))]
    second = build_book(story, out=tmp_path / "b", cache=cache, extra=slow).report()
    assert second["synthesized"] == 0 and second["chapters_encoded"] == 1
    assert second["duration_ms"] - first["duration_ms"] >= 2 * 550  # two paragraph breaks
    third = build_book(story, out=tmp_path / "c", cache=cache, extra=slow).report()
    assert third["synthesized"] == 0 and third["chapters_encoded"] == 0


def test_preview_leaves_the_pauses_a_build_leaves(
    runner: CliRunner, story: Path, tmp_path: Path
) -> None:
    """A preview of a story is timed like the book: its paragraph breaks follow [pauses]
    (they were a fixed 350 ms), and lines left out by --speaker leave a paragraph's pause."""

    def preview(name: str, *extra: str) -> list[int]:
        wav = tmp_path / f"{name}.wav"
        res = runner.invoke(
            app,
            ["preview", str(story), "--engine", "fake", "--cache", str(tmp_path / "c")]
            + ["-o", str(wav), *extra],
        )
        assert res.exit_code == 0, res.output
        return [g for g in silences_ms(wav)[1:-1] if g >= 400]

    base = preview("default")
    assert len(base) == 3 and abs(base[0] - 650) <= 80, base
    slow = preview("slow", "--voices", str(_pauses(tmp_path, "p", "paragraph = 2000")))
    assert [round((a - b) / 50) * 50 for a, b in zip(slow, base, strict=True)] == [1350, 1350, 0]
    only = preview(
        "marta", "--speaker", "Marta", "--voices", str(_pauses(tmp_path, "q", "paragraph = 2000"))
    )
    assert only and all(abs(g - 2000) <= 80 for g in only), only
