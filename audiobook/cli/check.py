"""``audiobook check``: measure audio files and pass or fail them against a profile."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import UsageError
from .core import app, err, fmt_duration, friendly, out

if TYPE_CHECKING:
    from ..check import FileCheck
    from ..measure import Measurement


@app.command()
@friendly
def check(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Audio files, or folders of them.", show_default=False),
    ],
    profile: Annotated[
        str,
        typer.Option("--profile", "-p", help="default (our own books' promises) or acx."),
    ] = "default",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Measure audio files and check them against a profile's rules; exit 1 if any rule fails.

    Measures duration, codec, sample rate, bit rate (and whether constant), channels,
    integrated loudness, RMS, true and sample peak, noise floor, head and tail silence, chapter
    marks (QuickTime and Nero in M4B, CHAP/CTOC in MP3), and each speaker's loudness when the
    book's .vtt lies beside it. --profile acx checks ACX's submission requirements.

    Example: audiobook check --profile acx "out/Paris Stories (ACX)"
    """
    from ..check import PROFILES
    from ..check import check as run_check
    from ..measure import audio_files, measure

    if profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}; choose one of: {', '.join(PROFILES)}")
    if fmt not in ("table", "json"):
        raise UsageError(f"unknown format {fmt!r}; choose table or json")
    files = audio_files(inputs)
    measured = []
    for n, f in enumerate(files, 1):
        with err.status(f"measuring {f.name} ({n}/{len(files)})"):
            measured.append(measure(f))
    results = run_check(measured, profile)
    if fmt == "json":
        doc = {"profile": profile, "passed": all(r.passed for r in results)}
        doc["files"] = [_json(r) for r in results]
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    else:
        for r in results:
            _table(r)
    failed = [
        (r.measurement.path.name, v.rule) for r in results for v in r.verdicts if not v.passed
    ]
    if failed:
        if fmt == "table":
            out.print(
                f"{len(failed)} rule(s) failed in {len({f for f, _ in failed})} of "
                f"{len(results)} file(s) (profile {profile}): "
                + "; ".join(f"{f}: {rule}" for f, rule in failed),
                markup=False,
            )
        raise typer.Exit(1)
    if fmt == "table":
        out.print(f"All {len(results)} file(s) pass the {profile} profile.", markup=False)


def _summary(m: Measurement) -> str:
    rate = f"{m.bitrate_kbps} kbit/s" if m.bitrate_kbps else "? kbit/s"
    if m.cbr is not None:
        rate += " CBR" if m.cbr else " VBR"
    chans = {1: "mono", 2: "stereo"}.get(m.channels, f"{m.channels} ch")
    return (
        f"{fmt_duration(m.duration_s * 1000)}, {m.codec} {m.sample_rate} Hz {chans} {rate}; "
        f"{_db(m.lufs)} LUFS, RMS {_db(m.rms_db)} dB, peak {_db(m.peak_db)} dB, "
        f"true peak {_db(m.true_peak_db)} dBTP, noise floor {_db(m.noise_floor_db)} dB, "
        f"silence {m.head_silence_s:.2f} s head / {m.tail_silence_s:.2f} s tail"
    )


def _db(x: float) -> str:
    return "-inf" if x == -math.inf else f"{x:.1f}"


def _table(r: FileCheck) -> None:
    m = r.measurement
    out.print(f"{m.path}", markup=False, style="bold")
    out.print(f"  {_summary(m)}", markup=False)
    if m.chapters is not None and m.chapters.titles:
        out.print(f"  chapters: {', '.join(m.chapters.titles)}", markup=False)
    if m.speakers:
        voices = ", ".join(f"{who} {lufs:.1f}" for who, lufs in sorted(m.speakers.items()))
        out.print(
            f"  speakers (LUFS, from {m.subtitles.name if m.subtitles else 'vtt'}): {voices}",
            markup=False,
        )
    width = max((len(v.rule) for v in r.verdicts), default=4)
    vwidth = max((len(v.value) for v in r.verdicts), default=4)
    for v in r.verdicts:
        mark = "PASS" if v.passed else "FAIL"
        out.print(
            f"  {mark}  {v.rule:<{width}}  {v.value:<{vwidth}}  ({v.limit})",
            markup=False,
            style=None if v.passed else "red",
        )


def _num(x: float) -> float | None:
    """JSON has no infinity: digital silence (-inf dB) is written as null."""
    return None if math.isinf(x) else x


def _json(r: FileCheck) -> dict[str, Any]:
    m = r.measurement
    ch = m.chapters
    return {
        "file": str(m.path),
        "passed": r.passed,
        "codec": m.codec,
        "sample_rate": m.sample_rate,
        "channels": m.channels,
        "duration_s": m.duration_s,
        "bitrate_kbps": m.bitrate_kbps,
        "mp3_bitrates": list(m.mp3_bitrates),
        "cbr": m.cbr,
        "lufs": _num(m.lufs),
        "rms_db": _num(m.rms_db),
        "peak_db": _num(m.peak_db),
        "true_peak_db": _num(m.true_peak_db),
        "noise_floor_db": _num(m.noise_floor_db),
        "head_silence_s": m.head_silence_s,
        "tail_silence_s": m.tail_silence_s,
        "chapters": None
        if ch is None
        else {
            "kind": ch.kind,
            "quicktime": ch.quicktime,
            "nero": ch.nero,
            "id3_chap": ch.id3_chap,
            "id3_toc": ch.id3_toc,
            "problems": list(ch.problems),
            "titles": list(ch.titles),
        },
        "speakers": m.speakers,
        "rules": [
            {"rule": v.rule, "passed": v.passed, "value": v.value, "limit": v.limit}
            for v in r.verdicts
        ],
    }
