"""Loudness by perception: what every piece of speech is levelled to, and the levelling.

Every spoken piece is brought to :data:`TARGET_LUFS` of integrated loudness (ITU-R BS.1770 /
EBU R128: K-weighted, gated), then a look-ahead limiter keeps its true peak (between samples)
under :data:`LIMIT_DBTP`. Levelling each piece levels each voice: a speaker's pieces are all
at the target, so everything a speaker says is too, whichever engine, voice or variant spoke
it. The numbers are here; the measurement and the limiter are in :mod:`audiobook.bs1770`
(numpy, loaded on first use so that speech workers never load it).
"""

from __future__ import annotations

TARGET_LUFS = -20.0
"""Integrated loudness of every piece of speech, LUFS. Speech at -20 LUFS has an RMS of
about -20 to -22 dBFS: inside the -23 to -18 dB that ACX asks for, with room either side."""
TRUE_PEAK_DBTP = -3.0
"""The book's promise: no true peak above this (what ``ebur128=peak=true`` reads back)."""
LIMIT_DBTP = -4.0
"""Where the limiter acts: 1 dB under :data:`TRUE_PEAK_DBTP`, the room that AAC and MP3 at
64 kbit/s need (their decoded peaks overshoot the PCM they were given)."""
MAX_GAIN_DB = 18.0
"""No piece is raised more than this (a nearly silent piece stays quiet, not noisy)."""
LEVELLING = f"bs1770-v1 {TARGET_LUFS} LUFS, limit {LIMIT_DBTP} dBTP, max gain {MAX_GAIN_DB} dB"
"""Names the levelling in chapter cache keys: a change here re-encodes every chapter, so audio
levelled another way is never reused (bump the version when the algorithm changes)."""


def level_samples(pcm: bytes, rate: int) -> bytes:
    """16-bit mono PCM brought to :data:`TARGET_LUFS` with true peaks under :data:`LIMIT_DBTP`."""
    from . import bs1770

    return bs1770.level(pcm, rate, TARGET_LUFS, LIMIT_DBTP, MAX_GAIN_DB)
