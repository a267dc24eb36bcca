"""Per-speaker loudness of a built book, measured by ffmpeg's ``ebur128`` filter.

The book is decoded to PCM once; the ``.vtt`` beside it names each cue's speaker and times;
each speaker's cues are joined and measured by ``ebur128=peak=true`` (integrated loudness,
gated as EBU R128 says, and true peak). The whole book's true peak is measured on the file
itself. Run as a script for a report::

    .venv/bin/python tests/loudness_check.py out/Paris\\ Stories.m4b
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from imageio_ffmpeg import get_ffmpeg_exe

RATE = 22050
_CUE = re.compile(
    r"^(\d+):(\d\d):(\d\d)\.(\d{3}) --> (\d+):(\d\d):(\d\d)\.(\d{3})\n<v ([^>]*)>", re.MULTILINE
)


@dataclass(frozen=True)
class Loudness:
    """What ``ebur128=peak=true`` says about some audio."""

    integrated: float
    """Integrated loudness, LUFS."""
    true_peak: float
    """True peak, dBTP."""


def _ms(h: str, m: str, s: str, ms: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def cues(vtt: Path) -> list[tuple[int, int, str]]:
    """(start ms, end ms, speaker) of every cue."""
    out = []
    for m in _CUE.finditer(vtt.read_text(encoding="utf-8")):
        g = m.groups()
        out.append((_ms(*g[0:4]), _ms(*g[4:8]), g[8]))
    return out


def ebur128(args: list[str], stdin: bytes | None = None) -> Loudness:
    """Run ffmpeg with ``args`` as input options through ``ebur128=peak=true``; its summary."""
    proc = subprocess.run(
        [
            get_ffmpeg_exe(),
            "-hide_banner",
            "-nostdin",
            *args,
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        input=stdin,
        capture_output=True,
        check=True,
    )
    log = proc.stderr.decode("utf-8", "replace")
    summary = log[log.rindex("Summary:") :]
    i = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    p = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    assert i and p, summary
    return Loudness(float(i.group(1)), float(p.group(1)))


def decode(book: Path) -> bytes:
    """The book as 16-bit mono PCM at 22,050 Hz."""
    return subprocess.run(
        [
            get_ffmpeg_exe(),
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "error",
            "-i",
            str(book),
            "-f",
            "s16le",
            "-ac",
            "1",
            "-ar",
            str(RATE),
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout


def per_speaker(book: Path, vtt: Path | None = None) -> dict[str, Loudness]:
    """Speaker -> the loudness of everything that speaker says in ``book``."""
    pcm = decode(book)
    parts: dict[str, list[bytes]] = {}
    for start, end, who in cues(vtt or book.with_suffix(".vtt")):
        a, b = start * RATE // 1000 * 2, end * RATE // 1000 * 2
        parts.setdefault(who, []).append(pcm[a:b])
    raw = ["-f", "s16le", "-ar", str(RATE), "-ch_layout", "mono", "-i", "pipe:0"]
    return {who: ebur128(raw, b"".join(p)) for who, p in sorted(parts.items())}


def whole(book: Path) -> Loudness:
    """The loudness and true peak of the whole file."""
    return ebur128(["-i", str(book)])


def main(argv: list[str]) -> int:
    """Print a per-speaker table, the spread and the book's true peak."""
    book = Path(argv[0])
    speakers = per_speaker(book)
    for who, ld in speakers.items():
        print(f"{who:24s} {ld.integrated:7.1f} LUFS  {ld.true_peak:6.1f} dBTP")
    vals = [ld.integrated for ld in speakers.values()]
    w = whole(book)
    print(
        f"spread {max(vals) - min(vals):.1f} LU over {len(vals)} speakers; "
        f"whole book {w.integrated:.1f} LUFS, true peak {w.true_peak:.1f} dBTP"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
