"""Looking after the audio cache as a whole: its size, what the last build took from it, and
pruning it to a size, least recently used first.

The cache holds three kinds of entry (see :mod:`.synth`, :mod:`.encode` and :mod:`.acx`):
spoken pieces (``<xx>/<key>.opus`` or ``.pcm``), encoded chapters (``chapters/<key>.m4b|.mp3``
with ``<key>.json``) and mastered ACX files (``acx/<key>.mp3``). A read marks an entry as used (its modification time), so pruning removes what
no recent build needed. A chapter's files go together. Pruning never breaks a build: whatever
is gone is synthesized or encoded again.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import OutputError, UsageError
from .files import atomic_write

LAST_BUILD = "last-build.json"
"""What the last build in this cache took from it (``audiobook cache info`` shows it)."""

_UNITS = {"": 1, "b": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}


def parse_size(text: str) -> int:
    """Bytes in ``500MB``, ``1.5G``, ``2 GiB``, ``1048576`` (decimal units; ``i`` for binary)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?)(b?)\s*", text.lower())
    if not m:
        raise UsageError(f"cannot read the size {text!r}; write it like 500MB, 2GB or 1048576")
    number, unit, binary, _ = m.groups()
    scale = 1024 ** "bkmgt".index(unit) if binary and unit else _UNITS[unit]
    return int(float(number) * scale)


def human_size(n: float) -> str:
    """``12.3 MB`` (decimal units)."""
    for unit in ("B", "kB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class Entry:
    """One cache entry: its files (a chapter has its audio and its cue times), size, last use."""

    files: tuple[Path, ...]
    size: int
    used: float
    kind: str
    """``"piece"``, ``"chapter"`` or ``"acx"``."""


def entries(root: Path) -> Iterator[Entry]:
    """Every entry in the cache at ``root`` (temporary files of running builds left out)."""
    for pattern, kind in (("??/*", "piece"), ("acx/*", "acx")):
        for p in root.glob(pattern):
            if p.is_file() and not p.name.startswith("."):
                with contextlib.suppress(OSError):
                    st = p.stat()
                    yield Entry((p,), st.st_size, st.st_mtime, kind)
    groups: dict[str, list[Path]] = {}
    chapters = root / "chapters"
    for p in chapters.glob("*") if chapters.is_dir() else ():
        if p.is_file() and not p.name.startswith("."):
            groups.setdefault(p.stem, []).append(p)
    for files in groups.values():
        size, used = 0, 0.0
        for p in files:
            with contextlib.suppress(OSError):
                st = p.stat()
                size += st.st_size
                used = max(used, st.st_mtime)
        yield Entry(tuple(files), size, used, "chapter")


@dataclass(frozen=True)
class CacheInfo:
    """What ``audiobook cache info`` shows."""

    root: Path
    size: int
    """Bytes in all entries."""
    pieces: int
    """Spoken pieces held."""
    chapters: int
    """Encoded chapters held."""
    acx: int
    """Mastered ACX files held."""
    last_build: dict[str, Any] | None
    """The last build's record (:func:`record_build`), if any."""


def info(root: Path) -> CacheInfo:
    """Size and contents of the cache at ``root``, and its last build's record."""
    found = list(entries(root))
    last: dict[str, Any] | None = None
    with contextlib.suppress(OSError, ValueError):
        last = json.loads((root / LAST_BUILD).read_text(encoding="utf-8"))
    return CacheInfo(
        root,
        sum(e.size for e in found),
        sum(1 for e in found if e.kind == "piece"),
        sum(1 for e in found if e.kind == "chapter"),
        sum(1 for e in found if e.kind == "acx"),
        last,
    )


@dataclass(frozen=True)
class Pruned:
    """What :func:`prune` did."""

    removed: int
    """Entries removed."""
    freed: int
    """Bytes freed."""
    size: int
    """Bytes left."""


def prune(root: Path, max_size: int) -> Pruned:
    """Fit the cache at ``root`` in ``max_size`` bytes, keeping the most recently used entries:
    least recently used first: from the newest down, an entry stays if it still fits, else it
    goes (so an encoded chapter larger than the room left does not also push out the smaller
    pieces used around the same time)."""
    kept = removed = freed = 0
    for e in sorted(entries(root), key=lambda e: e.used, reverse=True):
        if kept + e.size <= max_size:
            kept += e.size
            continue
        for p in e.files:
            with contextlib.suppress(OSError):
                p.unlink()
        freed += e.size
        removed += 1
    return Pruned(removed, freed, kept)


def record_build(
    root: Path,
    title: str,
    pieces: int,
    reused: int,
    chapters: int,
    chapters_reused: int,
    duration_ms: int,
) -> None:
    """Note what a build took from the cache (the hit rates ``cache info`` shows)."""
    data = {
        "title": title,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "pieces": pieces,
        "pieces_reused": reused,
        "chapters": chapters,
        "chapters_reused": chapters_reused,
        "duration_ms": duration_ms,
    }
    with contextlib.suppress(OutputError):  # a record that cannot be written costs nothing
        atomic_write(root / LAST_BUILD, json.dumps(data, indent=1))
