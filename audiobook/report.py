"""What a build produced and how it went: the :class:`BuildReport`, and ``<book>.build.json``.

The report is a typed value; :meth:`BuildReport.to_json` is the one place it becomes
``build.json`` and :meth:`BuildReport.from_json` the one place it is read back (the benchmark
reads the file a build subprocess wrote). Everything else reads attributes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .casting import Voice


@dataclass(frozen=True)
class ChapterMark:
    """Where a chapter sits in the book's audio."""

    title: str
    """The chapter's title (also its chapter mark)."""
    start_ms: int
    """Start in the book, milliseconds."""
    end_ms: int
    """End in the book, milliseconds (the next chapter's start)."""


@dataclass(frozen=True)
class SpeakerVoice:
    """A speaker heard in the book and the palette voice they were given."""

    id: str
    """Speaker id: ``"narrator"`` or a cast id."""
    name: str
    """The character's name (``"Narrator"`` for the narrator)."""
    voice: str
    """Palette voice name."""


@dataclass(frozen=True)
class CorrectionCount:
    """What the voice map's ``[[line]]`` corrections did."""

    applied: int
    """How many were applied."""
    unmatched: tuple[str, ...]
    """Those whose words are not in the book any more, as messages name them."""


@dataclass(frozen=True)
class BuildReport:
    """What a build produced and how it went (written as ``<book>.build.json``)."""

    title: str
    """The book's title."""
    author: str | None
    """The book's author, if known."""
    chapters: tuple[ChapterMark, ...]
    """The chapter marks, in order."""
    duration_ms: int
    """Length of the book's audio."""
    segments: int
    """Spoken pieces in the book."""
    synthesized: int
    """Pieces synthesized by this build."""
    reused: int
    """Pieces whose audio came from the cache."""
    chapters_encoded: int
    """Chapters encoded by this build."""
    chapters_reused: int
    """Chapters whose encoded audio came from the cache."""
    speakers: tuple[SpeakerVoice, ...]
    """Every speaker heard, sorted by id."""
    voices: dict[str, Voice]
    """Speaker id -> the voice used, with the character's tweaks applied."""
    corrections: CorrectionCount
    """What the ``[[line]]`` corrections did."""
    engine: str
    """Each engine the book's voices use, with its version (``name version``, joined by
    ``"; "`` when voices use several engines, e.g. eSpeak and Piper)."""
    jobs: int
    """Speech worker processes (``--jobs``)."""
    wall_s: float
    """Wall-clock seconds the build took."""
    realtime_factor: float | None
    """Seconds of audio per second of build (None if the build took no time)."""
    outputs: tuple[Path, ...]
    """The audiobook files written (one per format)."""
    executor: str = "local"
    """Where synthesis and chapter encoding ran: ``"local"`` (this machine's process pool) or
    ``"dask"`` (a Dask cluster's workers)."""
    workers: int = 0
    """Processes that synthesized: local speech workers, or the cluster's Dask workers."""

    def to_json(self) -> str:
        """The text of ``build.json``."""
        data: dict[str, Any] = {
            "title": self.title,
            "author": self.author,
            "chapters": [asdict(c) for c in self.chapters],
            "duration_ms": self.duration_ms,
            "segments": self.segments,
            "synthesized": self.synthesized,
            "reused": self.reused,
            "chapters_encoded": self.chapters_encoded,
            "chapters_reused": self.chapters_reused,
            "speakers": [asdict(s) for s in self.speakers],
            "voices": {sp: asdict(v) for sp, v in self.voices.items()},
            "corrections": {
                "applied": self.corrections.applied,
                "unmatched": list(self.corrections.unmatched),
            },
            "engine": self.engine,
            "jobs": self.jobs,
            "wall_s": self.wall_s,
            "realtime_factor": self.realtime_factor,
            "outputs": [str(p) for p in self.outputs],
            "executor": self.executor,
            "workers": self.workers,
        }
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> BuildReport:
        """Read back what :meth:`to_json` wrote."""
        d = json.loads(text)
        return cls(
            title=d["title"],
            author=d["author"],
            chapters=tuple(ChapterMark(**c) for c in d["chapters"]),
            duration_ms=d["duration_ms"],
            segments=d["segments"],
            synthesized=d["synthesized"],
            reused=d["reused"],
            chapters_encoded=d["chapters_encoded"],
            chapters_reused=d["chapters_reused"],
            speakers=tuple(SpeakerVoice(**s) for s in d["speakers"]),
            voices={sp: Voice(**v) for sp, v in d["voices"].items()},
            corrections=CorrectionCount(
                d["corrections"]["applied"], tuple(d["corrections"]["unmatched"])
            ),
            engine=d["engine"],
            jobs=d["jobs"],
            wall_s=d["wall_s"],
            realtime_factor=d["realtime_factor"],
            outputs=tuple(Path(p) for p in d["outputs"]),
            executor=d.get("executor", "local"),
            workers=d.get("workers", 0),
        )
