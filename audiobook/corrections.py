"""Corrections a person makes once and every later build keeps: ``[[line]]`` in the voice map.

A fix is anchored to the words of the line and which occurrence of them it is, never to
offsets, so it survives edits elsewhere in the story and changes in the analysis::

    [[line]]
    text = "Bonjour, monsieur Lefevre,"   # the words (quote marks and spacing do not matter)
    occurrence = 1                         # which time these words appear in the book (default 1)
    speaker = "Sophie"                     # a name or alias from the cast, a new name, or "narrator"

    [[line]]
    text = "Atelier de Peinture."
    kind = "narration"                     # a quoted passage that nobody says aloud

    [[line]]
    text = "Who goes there?"
    kind = "dialogue"                      # a narrated passage that is really spoken
    speaker = "the guard"
    gender = "male"                        # for a new character: female, male or unknown
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from .errors import VoiceMapError
from .model import NARRATOR, Book, Chapter, Character, Segment, count_lines
from .names import find, is_narrator, unique_slug

_KEYS = {"text", "occurrence", "speaker", "kind", "gender"}


@dataclass(frozen=True)
class LineFix:
    """One correction from the voice map."""

    text: str
    occurrence: int = 1
    speaker: str | None = None
    kind: str | None = None
    gender: str = "unknown"
    number: int = 0
    """Position in the file (1-based), for messages."""

    def describe(self) -> str:
        """How messages name this fix."""
        nth = f" (occurrence {self.occurrence})" if self.occurrence != 1 else ""
        return f"[[line]] #{self.number} text {self.text!r}{nth}"


def parse_line_fixes(path: str, raw: Any) -> tuple[LineFix, ...]:
    """Validate the ``[[line]]`` array of a voice map."""
    if not isinstance(raw, list):
        raise VoiceMapError(f"{path}: line: must be an array of tables: [[line]]")
    fixes = []
    for n, entry in enumerate(raw, 1):
        key = f"line[{n}]"
        if not isinstance(entry, dict):
            raise VoiceMapError(f"{path}: {key}: must be a table with text = ...")
        for k in entry:
            if k not in _KEYS:
                raise VoiceMapError(
                    f"{path}: {key}.{k}: unknown key; allowed keys: {', '.join(sorted(_KEYS))}"
                )
        text = entry.get("text")
        if not isinstance(text, str) or not _words(text):
            raise VoiceMapError(
                f'{path}: {key}.text: give the words of the line, e.g. text = "Hello,"'
            )
        occ = entry.get("occurrence", 1)
        if isinstance(occ, bool) or not isinstance(occ, int) or occ < 1:
            raise VoiceMapError(
                f"{path}: {key}.occurrence: must be a whole number from 1, not {occ!r}"
            )
        kind = entry.get("kind")
        if kind not in (None, "narration", "dialogue"):
            raise VoiceMapError(
                f"{path}: {key}.kind: {kind!r} is not allowed; use narration or dialogue"
            )
        speaker = entry.get("speaker")
        if speaker is not None and (not isinstance(speaker, str) or not speaker.strip()):
            raise VoiceMapError(f'{path}: {key}.speaker: must be a character\'s name or "narrator"')
        if kind is None and speaker is None:
            raise VoiceMapError(
                f'{path}: {key}: say what to change: speaker = "Name" or kind = "narration"'
            )
        if kind == "dialogue" and speaker is None:
            raise VoiceMapError(f"{path}: {key}.speaker: a line made dialogue needs a speaker")
        gender = entry.get("gender", "unknown")
        if gender not in ("female", "male", "unknown"):
            raise VoiceMapError(
                f"{path}: {key}.gender: {gender!r} is not allowed; use female, male or unknown"
            )
        fixes.append(LineFix(text, occ, speaker, kind, gender, n))
    return tuple(fixes)


_QUOTES = "\"'“”‘’«»„‚"


def _words(s: str) -> str:
    """Normalised form for matching: no quote marks, single spaces."""
    tokens = (t.strip(_QUOTES) for t in s.split())
    return " ".join(t for t in tokens if t)


def _pattern(text: str) -> re.Pattern[str]:
    """Matches the words of ``text`` in source text whatever the quote marks and line breaks."""
    words = _words(text).split(" ")
    sep = r"[\s" + re.escape(_QUOTES) + r"_*]+"
    return re.compile(sep.join(re.escape(w) for w in words))


@dataclass(frozen=True)
class CorrectionReport:
    """What the corrections did."""

    applied: tuple[LineFix, ...]
    unmatched: tuple[LineFix, ...]


def _resolve(book: Book, name: str, gender: str, added: dict[str, Character]) -> str:
    """The speaker id a fix's ``speaker`` means; a name nobody has is a new character."""
    if is_narrator(name):
        return NARRATOR
    known = (*book.cast, *added.values())
    found = find(known, name)
    if found is not None:
        return found.id
    cid = unique_slug(name, {c.id for c in known})
    added[cid] = Character(id=cid, name=name.strip(), gender=gender)  # type: ignore[arg-type]
    return cid


def apply_corrections(book: Book, fixes: tuple[LineFix, ...]) -> tuple[Book, CorrectionReport]:
    """Apply every fix to the book; fixes whose words are gone are reported, not dropped."""
    if not fixes:
        return book, CorrectionReport((), ())
    chapters = list(book.chapters)
    added: dict[str, Character] = {}
    applied: list[LineFix] = []
    unmatched: list[LineFix] = []
    for fix in fixes:
        found = _find(book, chapters, fix)
        if found is None:
            unmatched.append(fix)
            continue
        ci, start, end = found
        ch = chapters[ci]
        speaker = _resolve(book, fix.speaker, fix.gender, added) if fix.speaker else None
        chapters[ci] = replace(ch, segments=_fix_segments(ch, start, end, fix, speaker, book))
        applied.append(fix)
    new_cast = count_lines([*book.cast, *added.values()], chapters)
    renumbered = tuple(
        replace(
            ch,
            segments=tuple(replace(s, id=f"c{ch.index}s{i}") for i, s in enumerate(ch.segments, 1)),
        )
        for ch in chapters
    )
    return replace(book, chapters=renumbered, cast=new_cast), CorrectionReport(
        tuple(applied), tuple(unmatched)
    )


def _find(book: Book, chapters: list[Chapter], fix: LineFix) -> tuple[int, int, int] | None:
    """(chapter index, start, end) of the fix's occurrence, in book order."""
    pat = _pattern(fix.text)
    seen = 0
    for ci, ch in enumerate(chapters):
        text = book.sources[ch.source].text
        for m in pat.finditer(text, ch.start, ch.end):
            seen += 1
            if seen == fix.occurrence:
                return ci, m.start(), m.end()
    return None


def _fix_segments(
    ch: Chapter, start: int, end: int, fix: LineFix, speaker: str | None, book: Book
) -> tuple[Segment, ...]:
    segs = list(ch.segments)
    i = next((k for k, s in enumerate(segs) if s.start <= start < s.end), None)
    if i is None:
        return tuple(segs)
    seg = segs[i]
    if fix.kind == "dialogue" and seg.kind == "narration":
        text = book.sources[ch.source].text
        # widen to surrounding quote marks, if any, so they are spoken with the line
        while start > seg.start and text[start - 1] in _QUOTES:
            start -= 1
        while end < seg.end and text[end] in _QUOTES + ",.!?":
            end += 1
        end = min(end, seg.end)
        pieces = []
        if start > seg.start:
            pieces.append(replace(seg, end=start, text=text[seg.start : start]))
        pieces.append(
            Segment(
                seg.id,
                "dialogue",
                start,
                end,
                text[start:end],
                speaker or NARRATOR,
                "correction",
                1.0,
            )
        )
        if end < seg.end:
            pieces.append(replace(seg, start=end, text=text[end : seg.end]))
        return tuple(segs[:i] + pieces + segs[i + 1 :])
    if fix.kind == "narration":
        segs[i] = replace(
            seg,
            kind="narration",
            speaker=NARRATOR,
            evidence="correction",
            confidence=1.0,
            runner_up=None,
        )
    elif speaker is not None:
        segs[i] = replace(
            seg,
            kind="dialogue" if seg.kind == "dialogue" or fix.kind == "dialogue" else seg.kind,
            speaker=speaker,
            evidence="correction",
            confidence=1.0,
            runner_up=None,
        )
    return tuple(segs)


def occurrence_of(book: Book, chapter: Chapter, seg: Segment) -> tuple[str, int]:
    """The words of a segment and which occurrence they are in the book (for lint's fixes)."""
    words = _words(seg.text)
    pat = _pattern(words)
    n = 0
    for ch in book.chapters:
        text = book.sources[ch.source].text
        for m in pat.finditer(text, ch.start, ch.end):
            n += 1
            if ch.index == chapter.index and m.start() >= seg.start - 2 and m.start() < seg.end:
                return words, n
    return words, max(n, 1)
