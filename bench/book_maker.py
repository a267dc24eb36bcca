"""The benchmark's book: the seed stories copied until they give the hours asked for.

Every copy is rewritten by a deterministic, copy-specific word substitution (same word count,
words of about the same length, names, pronouns and speech verbs kept, so quotes keep their
speech tags and attribution still finds several speakers). The substitution is a cyclic shift
inside groups of at least ``copies`` words, so any segment with one replaceable word differs
between every pair of copies, and the build's (voice, text) cache cannot reuse anything.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

SECONDS_PER_WORD = 11.5 * 60 / 1885
"""Audio per word of the seeds (11.5 minutes for their 1,885 words, pauses included)."""

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_QUOTE = re.compile(r"([\"“])([^\"“”\n]+)([\"”])")

_KEEP_WORDS = """
    a an i me my mine myself we us our ours you your yours yourself he him his himself she her
    hers herself it its itself they them their theirs themselves this that who whom
    said says say asked asks replied replies answered whispered shouted exclaimed muttered
    murmured cried called added continued told tells began laughed smiled nodded sighed
    suggested explained insisted agreed declared admitted responded remarked announced
    wondered teased joked grinned chuckled greeted
    man woman men women boy girl lady gentleman young old mr mrs miss madame monsieur
"""
_KEEP = frozenset(_KEEP_WORDS.split())
"""Words never substituted: pronouns, speech verbs, person nouns (what attribution reads)."""


def _attribution_words() -> frozenset[str]:
    """The package's own attribution cue words, if it has them (else only :data:`_KEEP`)."""
    # The package is being edited by others: the benchmark must not depend on this module.
    try:
        from audiobook.attribute import lexicon
    except ImportError:
        return _KEEP
    words: set[str] = set(_KEEP)
    for name in ("SPEECH_VERBS", "HONORIFICS", "PERSON_NOUNS"):
        words.update(str(w).lower() for w in getattr(lexicon, name, ()))
    return frozenset(words)


def _names(texts: Iterable[str]) -> set[str]:
    """Capitalised words seen in mid-sentence: proper nouns, kept as they are."""
    names: set[str] = set()
    for text in texts:
        for m in _WORD.finditer(text):
            word = m.group(0)
            if not word[:1].isupper():
                continue
            before = text[: m.start()].rstrip(" \t\"“”'‘’")
            if before and before[-1] not in ".!?\n:;—–-(":
                names.add(word)
    return names


@dataclass(frozen=True)
class Substitution:
    """Copy-specific word maps: copy ``k`` shifts each word ``k`` places in its group."""

    groups: dict[str, tuple[list[str], int]]
    """word -> (its group, its index in the group)."""
    names: frozenset[str]
    fillers: tuple[str, ...]
    """Copy-specific words put in front of a quote that has nothing to substitute."""

    @classmethod
    def from_texts(cls, texts: Sequence[str], copies: int, seed: int = 1234) -> Substitution:
        """Groups of words of about the same length, each at least ``copies`` long."""
        keep = _attribution_words()
        names = _names(texts)
        vocab: set[str] = set()
        for text in texts:
            for m in _WORD.finditer(text):
                w = m.group(0)
                low = w.lower()
                if len(low) < 2 or low in keep or not low.isalpha() or not low.isascii():
                    continue
                if w in names or low.capitalize() in names:
                    continue
                vocab.add(low)
        ordered = sorted(vocab, key=lambda w: (len(w), w))
        size = max(copies, 2)
        chunks = [ordered[i : i + size] for i in range(0, len(ordered), size)]
        if len(chunks) > 1 and len(chunks[-1]) < size:
            chunks[-2].extend(chunks.pop())
        rng = random.Random(seed)
        groups: dict[str, tuple[list[str], int]] = {}
        for chunk in chunks:
            rng.shuffle(chunk)
            for i, w in enumerate(chunk):
                groups[w] = (chunk, i)
        return cls(groups, frozenset(names), tuple(ordered))

    def rewrite(self, text: str, copy: int) -> str:
        """``text`` with every replaceable word swapped for its copy-``copy`` partner."""
        if copy == 0:
            return text

        def swap(m: re.Match[str]) -> str:
            word = m.group(0)
            entry = self.groups.get(word.lower())
            if entry is None or word in self.names:
                return word
            group, i = entry
            new = group[(i + copy) % len(group)]
            if word.isupper() and len(word) > 1:
                return new.upper()
            if word[:1].isupper():
                return new.capitalize()
            return new

        def vary_quote(m: re.Match[str]) -> str:
            inner = m.group(2)
            if any(
                w.group(0).lower() in self.groups and w.group(0) not in self.names
                for w in _WORD.finditer(inner)
            ):
                return _WORD.sub(swap, m.group(0))
            # nothing to substitute (e.g. "I'm Léa Roux."): one copy-specific word in front instead
            filler = self.fillers[copy % len(self.fillers)].capitalize()
            return f"{m.group(1)}{filler}, {inner}{m.group(3)}"

        parts: list[str] = []
        last = 0
        for m in _QUOTE.finditer(text):
            parts.append(_WORD.sub(swap, text[last : m.start()]))
            parts.append(vary_quote(m))
            last = m.end()
        parts.append(_WORD.sub(swap, text[last:]))
        return "".join(parts)


@dataclass
class BookInfo:
    """What was generated."""

    directory: str
    copies: int
    chapters: int
    words: int
    estimated_s: float
    quotes: int
    substitutable_words: int


def make_book(seeds: Sequence[Path], hours: float, dest: Path) -> BookInfo:
    """Write ``copies`` rewritten copies of every seed into ``dest``, one chapter file each."""
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    seed_words = sum(len(t.split()) for t in texts)
    copies = max(1, math.ceil(hours * 3600 / (seed_words * SECONDS_PER_WORD)))
    sub = Substitution.from_texts(texts, copies)
    dest.mkdir(parents=True, exist_ok=True)
    words = quotes = 0
    for copy in range(copies):
        for n, (path, text) in enumerate(zip(seeds, texts, strict=True)):
            new = sub.rewrite(text, copy)
            (dest / f"{copy + 1:03d}-{n + 1}_{path.stem}.txt").write_text(new, encoding="utf-8")
            words += len(new.split())
            quotes += len(re.findall(r"[\"“][^\"“”]+[\"”]", new))
    return BookInfo(
        directory=str(dest),
        copies=copies,
        chapters=copies * len(seeds),
        words=words,
        estimated_s=round(words * SECONDS_PER_WORD, 1),
        quotes=quotes,
        substitutable_words=len(sub.groups),
    )
