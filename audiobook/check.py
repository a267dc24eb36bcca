"""Profiles of rules over measured audio files: what ``audiobook check`` passes or fails.

``default`` is what our own books promise (chapter marks every player reads, true peak at most
-3 dBTP, voices within 1 LU of each other); ``acx`` is ACX's audio submission requirements
(44.1 kHz, MP3 192 kbit/s CBR, mono or consistently stereo, RMS -23 to -18 dB, peak at most
-3 dB, noise floor at most -60 dB, 0.5-1 s of room tone at the head and 1-5 s at the tail, no
file over 120 minutes). A rule that does not apply to a file (chapters of a WAV) is left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .errors import UsageError
from .measure import Measurement

PROFILES = ("default", "acx")
"""Profile names."""
ACX_MAX_MINUTES = 120.0


@dataclass(frozen=True)
class Verdict:
    """One rule applied to one file."""

    rule: str
    """Short rule name (``peak``, ``room tone head``...)."""
    passed: bool
    """True if the file meets the rule."""
    value: str
    """What the file measures, for the table."""
    limit: str
    """What the rule asks."""


@dataclass(frozen=True)
class FileCheck:
    """A file's measurement and every rule of the profile applied to it."""

    measurement: Measurement
    """What the file measured."""
    verdicts: tuple[Verdict, ...]
    """Each rule's outcome, in the profile's order."""

    @property
    def passed(self) -> bool:
        """True if every rule passed."""
        return all(v.passed for v in self.verdicts)


def db(x: float) -> str:
    """A level for the table: one decimal, ``-inf`` for digital silence."""
    return "-inf" if x == -math.inf else f"{x:.1f}"


def _at_most(rule: str, x: float, top: float, unit: str) -> Verdict:
    return Verdict(rule, x <= top, f"{db(x)} {unit}", f"<= {top:g} {unit}")


def _between(rule: str, x: float, lo: float, hi: float, unit: str) -> Verdict:
    return Verdict(rule, lo <= x <= hi, f"{x:.2f} {unit}", f"{lo:g} to {hi:g} {unit}")


def chapter_rules(m: Measurement) -> list[Verdict]:
    """Chapters in both MP4 lists, equal in count and sound; or ID3 CHAP frames with a CTOC."""
    ch = m.chapters
    if ch is None:
        return []
    if ch.kind == "mp4":
        qt_ok = ch.quicktime > 0 and not ch.problems
        found = f"{ch.quicktime}" + (f" ({ch.problems[0]})" if ch.problems else "")
        return [
            Verdict("chapters QuickTime", qt_ok, found, "> 0, track sound"),
            Verdict("chapters Nero", ch.nero > 0, str(ch.nero), "> 0"),
            Verdict(
                "chapters agree",
                ch.quicktime == ch.nero,
                f"{ch.quicktime} / {ch.nero}",
                "QuickTime = Nero",
            ),
        ]
    return [
        Verdict("chapters CHAP", ch.id3_chap > 0, str(ch.id3_chap), "> 0"),
        Verdict(
            "chapters CTOC",
            ch.id3_toc == ch.id3_chap > 0,
            f"{ch.id3_toc} listed",
            "lists every CHAP",
        ),
    ]


def default_rules(m: Measurement) -> list[Verdict]:
    """What our own books promise."""
    out = chapter_rules(m)
    out.append(_at_most("true peak", m.true_peak_db, -3.0, "dBTP"))
    if len(m.speakers) >= 2:
        spread = max(m.speakers.values()) - min(m.speakers.values())
        loud = max(m.speakers, key=lambda s: m.speakers[s])
        quiet = min(m.speakers, key=lambda s: m.speakers[s])
        out.append(
            Verdict(
                "speakers loudness",
                spread <= 1.0,
                f"{spread:.1f} LU ({quiet} {m.speakers[quiet]:.1f}, {loud} {m.speakers[loud]:.1f})",
                "within 1 LU",
            )
        )
    return out


def acx_rules(m: Measurement) -> list[Verdict]:
    """ACX's audio submission requirements for one file."""
    bitrate = "/".join(map(str, m.mp3_bitrates)) or str(m.bitrate_kbps or "?")
    return [
        Verdict("sample rate", m.sample_rate == 44100, f"{m.sample_rate} Hz", "44100 Hz"),
        Verdict("MP3", m.codec == "mp3", m.codec, "mp3"),
        Verdict("bit rate", m.mp3_bitrates == (192,), f"{bitrate} kbit/s", "192 kbit/s"),
        Verdict(
            "constant bit rate",
            m.cbr is True,
            {True: "constant", False: "variable", None: "not MP3"}[m.cbr],
            "constant",
        ),
        _between("RMS", m.rms_db, -23.0, -18.0, "dB"),
        _at_most("peak", m.peak_db, -3.0, "dB"),
        _at_most("noise floor", m.noise_floor_db, -60.0, "dB"),
        _between("room tone head", m.head_silence_s, 0.5, 1.0, "s"),
        _between("room tone tail", m.tail_silence_s, 1.0, 5.0, "s"),
        Verdict(
            "length",
            m.duration_s <= ACX_MAX_MINUTES * 60,
            f"{m.duration_s / 60:.1f} min",
            f"<= {ACX_MAX_MINUTES:g} min",
        ),
    ]


def _channels(measured: Sequence[Measurement]) -> list[Verdict]:
    """ACX: mono, or every file stereo."""
    all_stereo = all(m.channels == 2 for m in measured)
    return [
        Verdict(
            "channels",
            m.channels == 1 or all_stereo,
            {1: "mono", 2: "stereo"}.get(m.channels, f"{m.channels} channels"),
            "mono, or every file stereo",
        )
        for m in measured
    ]


RULES: dict[str, Callable[[Measurement], list[Verdict]]] = {
    "default": default_rules,
    "acx": acx_rules,
}


def check(measured: Sequence[Measurement], profile: str = "default") -> list[FileCheck]:
    """Apply ``profile``'s rules to every file (some ACX rules look at the whole set)."""
    if profile not in RULES:
        raise UsageError(f"unknown profile {profile!r}; choose one of: {', '.join(PROFILES)}")
    per_file = [RULES[profile](m) for m in measured]
    if profile == "acx":
        for verdicts, channels in zip(per_file, _channels(measured), strict=True):
            verdicts.insert(2, channels)
    return [FileCheck(m, tuple(v)) for m, v in zip(measured, per_file, strict=True)]
