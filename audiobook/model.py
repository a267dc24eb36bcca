"""Immutable values that flow between the stages (see the design sketch in the README).

Offsets (`start`, `end`) are Python string offsets into a source text after decoding and
turning ``\\r\\n`` and ``\\r`` into ``\\n``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["narration", "dialogue"]
Gender = Literal["female", "male", "unknown"]

NARRATOR = "narrator"
"""Speaker id of the narrator (narration, and a first-person narrator's own lines)."""


@dataclass(frozen=True)
class Pauses:
    """Silences in milliseconds (the voice map's ``[pauses]`` table)."""

    phrase: int = 150
    """Between the pieces of one paragraph (a quote and its "she said")."""
    paragraph: int = 650
    """After a paragraph."""
    turn: int = 650
    """After a paragraph, when the next one opens with a quote by another speaker than the
    last quote of this one (a turn of dialogue)."""
    scene: int = 1400
    """Around a scene break (a line of ``* * *`` and the like)."""
    chapter_start: int = 400
    """Before a chapter's first words."""
    chapter_end: int = 1600
    """After a chapter's last words (so between two chapters: ``chapter_end + chapter_start``)."""


@dataclass(frozen=True)
class Segment:
    """A stretch of one chapter read by one voice."""

    id: str
    """Stable id within the book, e.g. ``"c3s17"``."""
    kind: Kind
    """``"narration"`` or ``"dialogue"``."""
    start: int
    """Offset of the first character in the source text."""
    end: int
    """Offset one past the last character in the source text."""
    text: str
    """Exactly ``source_text[start:end]`` (for dialogue: the quote, marks included)."""
    speaker: str = NARRATOR
    """A cast id, or ``"narrator"``."""
    evidence: str = "narration"
    """Which rule decided the speaker (``"explicit-tag"``, ``"turn-taking"``, ...)."""
    confidence: float = 1.0
    """How sure the rule is, 0..1."""
    runner_up: str | None = None
    """The second most likely speaker, when there was one (for review)."""


@dataclass(frozen=True)
class Character:
    """A character found in the text."""

    id: str
    """Stable slug, e.g. ``"lea-roux"``."""
    name: str
    """The fullest name the text uses, e.g. ``"Léa Roux"``; a description for unnamed ones."""
    aliases: tuple[str, ...] = ()
    """Other names for the same person (``"Léa"``, ``"Miss Roux"``)."""
    gender: Gender = "unknown"
    lines: int = 0
    """Number of dialogue segments attributed to this character."""


@dataclass(frozen=True)
class Analysis:
    """What the attribution stage returns for one source text."""

    cast: tuple[Character, ...]
    chapters: tuple[tuple[Segment, ...], ...]
    """Segments of each requested chapter span, tiling it exactly, in order."""


@dataclass(frozen=True)
class Chapter:
    """One chapter of a book: a span of one source file and its segments."""

    index: int
    """1-based position in the book."""
    title: str
    source: str
    """Key of the source file in :attr:`Book.sources`."""
    start: int
    end: int
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class Source:
    """One decoded story file."""

    path: str
    """The file's path as given (or found in a directory)."""
    text: str
    """Decoded text with newlines normalised to ``\\n``."""
    title: str | None = None
    """A title found in the file (Gutenberg ``Title:`` line), if any."""
    author: str | None = None


@dataclass(frozen=True)
class Book:
    """A whole book: sources, chapters with segments, and one cast."""

    title: str
    author: str | None
    sources: dict[str, Source] = field(hash=False)
    chapters: tuple[Chapter, ...]
    cast: tuple[Character, ...] = ()
    language: str | None = None
    """The book's language as its package says (EPUB ``dc:language``), if it says."""
    cover: bytes | None = field(default=None, repr=False, compare=False)
    """A JPEG or PNG cover found in the input (an EPUB's), used when none is given."""

    def character(self, speaker: str) -> Character | None:
        """The cast entry with id ``speaker``, or None (narrator, unknown)."""
        for c in self.cast:
            if c.id == speaker:
                return c
        return None


def count_lines(
    cast: tuple[Character, ...] | list[Character], chapters: tuple[Chapter, ...] | list[Chapter]
) -> tuple[Character, ...]:
    """The cast with each character's ``lines`` counted from the chapters, most heard first."""
    lines: dict[str, int] = {}
    for ch in chapters:
        for s in ch.segments:
            if s.kind == "dialogue" and s.speaker != NARRATOR:
                lines[s.speaker] = lines.get(s.speaker, 0) + 1
    counted = (Character(c.id, c.name, c.aliases, c.gender, lines.get(c.id, 0)) for c in cast)
    return tuple(sorted(counted, key=lambda c: (-c.lines, c.name)))
