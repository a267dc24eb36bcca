"""Review: the lines most worth a human look, least confident first, each with a ready fix,
and the proper names worth an entry in the ``[pronounce]`` table.

``audiobook lint`` prints what :func:`review` returns: each dialogue line whose speaker
the attribution was least sure of, shown in context, with the speaker chosen, the runner-up,
and the words and occurrence a ``[[line]]`` correction needs (:mod:`audiobook.corrections`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .corrections import occurrence_of
from .model import NARRATOR, Book, Chapter, Segment
from .names import fold


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


# --- names eSpeak may say wrong -------------------------------------------------------------

_NAME = re.compile(r"(?<![\w'’-])([A-Z][a-zà-ÿ]+(?:['’-][A-Za-zà-ÿ]+)*)(?![\w'’-])")
_SENTENCE_END = re.compile(r"(?:[.!?:;]|[\"“‘(—–-])\s*$|^\s*$|\n\s*$")  # '?” Roux asked': inside
_NOT_NAMES = frozenset(
    {
        "I", "Mr", "Mrs", "Ms", "Miss", "Sir", "Lady", "Lord", "Madam", "Madame", "Monsieur", "Dr",
        "Doctor", "Captain", "Colonel", "General", "Uncle", "Aunt", "Mother", "Father", "Mamma",
        "Papa", "Sister", "Brother", "King", "Queen", "Prince", "Princess", "Duke", "Earl", "Count",
        "Countess", "Saint", "St", "Oh", "Ah", "Alas", "Yes", "No", "Well", "Now", "Then", "Here",
        "There", "O", "God", "Heaven", "Heavens", "Christmas", "Monday", "Tuesday", "Wednesday",
        "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May",
        "June", "July", "August", "September", "October", "November", "December", "English",
        "French", "German", "Italian", "Spanish", "Chapter", "Book", "Part", "Volume", "Stave",
        "Act", "Scene", "The", "A", "An",
    }
)  # fmt: skip


@dataclass(frozen=True)
class NameUse:
    """A proper name the book uses, and where it first appears."""

    name: str
    """The name as written."""
    count: int
    """How many times the book uses it."""
    chapter: Chapter
    """The chapter of its first use."""
    context: str
    """Up to 80 characters around its first use (whitespace collapsed)."""


def proper_names(
    book: Book, limit: int = 30, known: Iterable[str] = (), most: int = 1000
) -> tuple[NameUse, ...]:
    """Names worth checking for the ``[pronounce]`` table, most used first: words capitalised
    inside a sentence whose lower-case form the book never uses (so not a common word written
    with a capital), except titles, days, months and the names in ``known``.

    ``most`` leaves out names used more often than that (none, by default, in a normal book).
    """
    skip = {fold(k) for k in known}
    counts: dict[str, int] = {}
    first: dict[str, tuple[Chapter, int]] = {}
    inside: set[str] = set()  # capitalised inside a sentence at least once
    lower_words: set[str] = set()
    for ch in book.chapters:
        text = book.sources[ch.source].text
        lower_words.update(re.findall(r"\b[a-zà-ÿ][a-zà-ÿ'’-]*\b", text[ch.start : ch.end]))
        for m in _NAME.finditer(text, ch.start, ch.end):
            word = re.sub(r"['’]s$", "", m.group(1))  # Scrooge's is Scrooge
            if word in _NOT_NAMES:
                continue
            counts[word] = counts.get(word, 0) + 1
            first.setdefault(word, (ch, m.start()))
            if not _SENTENCE_END.search(text[max(ch.start, m.start() - 3) : m.start()]):
                inside.add(word)
    found: list[NameUse] = []
    for word, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if word not in inside or word.lower() in lower_words or fold(word) in skip or n > most:
            continue
        ch, at = first[word]
        text = book.sources[ch.source].text
        context = " ".join(text[max(ch.start, at - 40) : min(ch.end, at + 40)].split())
        found.append(NameUse(word, n, ch, context))
        if len(found) >= limit:
            break
    return tuple(found)
