"""Review: the lines most worth a human look, least confident first, each with a ready fix.

``audiobook lint`` prints what :func:`review` returns: each dialogue line whose speaker
the attribution was least sure of, shown in context, with the speaker chosen, the runner-up,
and the words and occurrence a ``[[line]]`` correction needs (:mod:`audiobook.corrections`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .corrections import occurrence_of
from .model import NARRATOR, Book, Chapter, Segment


@dataclass(frozen=True)
class Doubt:
    """One doubtful line and the correction that would give it to the runner-up."""

    chapter: Chapter
    """The chapter it is in."""
    segment: Segment
    """The line."""
    before: str
    """Up to 100 characters of the text before it (whitespace collapsed)."""
    after: str
    """Up to 60 characters of the text after it (whitespace collapsed)."""
    chosen: str
    """The name of the speaker chosen."""
    runner_up: str | None
    """The name of the second most likely speaker, if there was one."""
    words: str
    """The line's words, as a correction's ``text`` gives them."""
    occurrence: int
    """Which occurrence of those words in the book the line is."""

    @property
    def suggestion(self) -> str:
        """The speaker the ready fix names: the runner-up, else the speaker chosen."""
        return self.runner_up or self.chosen


@dataclass(frozen=True)
class Review:
    """What ``audiobook lint`` shows."""

    total: int
    """How many dialogue lines are below the confidence asked for."""
    lines: tuple[Doubt, ...]
    """The least sure of them, least sure first, then in book order."""


def review(book: Book, below: float, limit: int) -> Review:
    """Dialogue lines attributed with confidence under ``below`` (corrections excluded): how
    many, and the ``limit`` least sure with their context and fixes."""
    found = [
        (s.confidence, ch, s)
        for ch in book.chapters
        for s in ch.segments
        if s.kind == "dialogue" and s.evidence != "correction" and s.confidence < below
    ]
    found.sort(key=lambda t: (t[0], t[1].index, t[2].start))
    names = {c.id: c.name for c in book.cast}
    names[NARRATOR] = "narrator"
    return Review(len(found), tuple(_doubt(book, ch, seg, names) for _c, ch, seg in found[:limit]))


def _doubt(book: Book, ch: Chapter, seg: Segment, names: dict[str, str]) -> Doubt:
    text = book.sources[ch.source].text
    words, occurrence = occurrence_of(book, ch, seg)
    return Doubt(
        chapter=ch,
        segment=seg,
        before=" ".join(text[max(ch.start, seg.start - 160) : seg.start].split())[-100:],
        after=" ".join(text[seg.end : min(ch.end, seg.end + 80)].split())[:60],
        chosen=names.get(seg.speaker, seg.speaker),
        runner_up=names.get(seg.runner_up, seg.runner_up) if seg.runner_up else None,
        words=words,
        occurrence=occurrence,
    )
