"""Names: one way to compare them, one way to make an id of them, one way to find who they mean.

A reader writes "Lea", "LÉA" or "léa  roux" for the character the text calls "Léa Roux";
:func:`fold` makes those compare equal. A character's id is the :func:`slug` of their name
(``"lea-roux"``), the same whether attribution found them or a correction named them, so one
character never gets two ids. :func:`find` looks a character up by id, name or alias; the
voice map, corrections, preview and attribution all go through here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from typing import TypeVar

from .model import NARRATOR, Character

T = TypeVar("T")

NARRATOR_NAMES = frozenset({NARRATOR, "the narrator"})
"""What a user may write (folded) to mean the narrator."""


def fold(name: str) -> str:
    """Case- and accent-insensitive form of a name, spaces collapsed: ``"Léa  Roux"`` ->
    ``"lea roux"``."""
    decomposed = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def slug(name: str) -> str:
    """A stable id from a name: ``"Léa Roux"`` -> ``"lea-roux"``; ``"someone"`` if nothing of
    the name is a Latin letter or digit."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "someone"


def unique_slug(name: str, taken: Collection[str]) -> str:
    """:func:`slug`, numbered (``"-2"``, ``"-3"``...) if another character has that id."""
    base = pid = slug(name)
    n = 2
    while pid in taken:
        pid = f"{base}-{n}"
        n += 1
    return pid


def is_narrator(name: str) -> bool:
    """True if ``name`` means the narrator (``"narrator"``, ``"The Narrator"``...)."""
    return fold(name) in NARRATOR_NAMES


def names_of(c: Character) -> set[str]:
    """A character's name and aliases, folded."""
    return {fold(n) for n in (c.name, *c.aliases)}


def find_all(cast: Iterable[Character], name: str) -> list[Character]:
    """Every character ``name`` may mean: by id, by name, or by alias (folded)."""
    key = fold(name)
    return [c for c in cast if key == c.id or key in names_of(c)]


def find(cast: Iterable[Character], name: str) -> Character | None:
    """The first character ``name`` means (by id, name or alias), or None."""
    return next(iter(find_all(cast, name)), None)


def entry_for(c: Character, entries: Mapping[str, T]) -> T | None:
    """The value of the first entry of a user's table (keys: names as written) that names
    ``c`` by name or alias, trying the character's name first, then each alias."""
    by_fold = {fold(k): v for k, v in entries.items()}
    return next((by_fold[f] for f in map(fold, (c.name, *c.aliases)) if f in by_fold), None)


def unknown_entries(names: Iterable[str], cast: Iterable[Character]) -> list[str]:
    """The names (as written) that are nobody's name or alias in ``cast``, sorted."""
    known = {n for c in cast for n in names_of(c)}
    return sorted(w for w in names if fold(w) not in known)
