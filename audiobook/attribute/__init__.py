"""Characters and speaker attribution, rules only (no model, no network).

:func:`analyze` segments each chapter span, finds the cast from the text alone, and gives
every spoken quotation a speaker through a cascade of rules, from the most to the least
certain: explicit speech tags, self-introductions, pronoun and description tags, the
character acting in the paragraph, continuation within a paragraph, vocatives, and
turn-taking in an exchange (reset at scene breaks and chapter starts).

Modules, along the lines of BookNLP: ``lexicon`` (word lists) and ``patterns`` (regular
expressions built from them); ``cast`` (names and genders: who the characters are);
``registry`` (the cast while attribution runs); ``mentions`` (where people are mentioned,
pronoun resolution); ``tags`` (speech tags); ``conversation`` (who is in the exchange);
``cascade`` (the rules in order).
"""

from __future__ import annotations

from collections.abc import Sequence

from audiobook.attribute.cascade import Attributor
from audiobook.model import Analysis

__all__ = ["analyze"]


def analyze(text: str, chapters: Sequence[tuple[int, int]] | None = None) -> Analysis:
    """Segment ``text`` and attribute every spoken quotation.

    ``chapters`` are ``[start, end)`` spans of chapter bodies (None: the whole text is one
    chapter). The segments of each span tile it exactly; the cast holds every character
    found, with ``lines`` counting the dialogue segments attributed to it.
    """
    spans = [(0, len(text))] if chapters is None else [(int(s), int(e)) for s, e in chapters]
    return Attributor(text, spans).run()
