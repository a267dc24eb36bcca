"""The cast while attribution runs: each person under a unique id, found by any name.

:func:`~audiobook.attribute.cast.find_people` gives the people named in the text; speech
tags and descriptions then add more (a name only ever seen in a tag, "the Tinker", "the
young woman"). Every name as written maps to one person id.
"""

from __future__ import annotations

import re

from audiobook.attribute.cast import NameIndex, Person, pronoun_gender, slug
from audiobook.attribute.lexicon import (
    FUNCTION_WORDS,
    HONORIFICS,
    PERSON_NOUNS,
    STOP_CAPS,
    given_name_gender,
)
from audiobook.model import NARRATOR, Gender

__all__ = ["Registry"]

_OPENERS = STOP_CAPS - FUNCTION_WORDS
"""Capitalised words that open a sentence before a name ("Then", "Now"): no part of it."""


class Registry:
    """People by id and every name (alias) by which the text calls them."""

    def __init__(self, people: list[Person], text: str | None = None) -> None:
        self.index = NameIndex(text) if text is not None else None
        """The text's names, for the gender of a person created later (from its pronouns)."""
        self.people: dict[str, Person] = {}
        self.alias: dict[str, str] = {}
        """Name as written -> person id."""
        self.spoken: set[str] = set()
        """Ids of the people who have spoken so far."""
        for p in people:
            self.register(p)

    def register(self, p: Person) -> None:
        """Give ``p`` a unique id (its slug, numbered on a clash) and index its names."""
        pid = p.id
        base = pid
        n = 2
        while pid in self.people and self.people[pid] is not p:
            pid = f"{base}-{n}"
            n += 1
        p.key = pid
        self.people[pid] = p
        for a in p.aliases | {p.name}:
            self.alias.setdefault(a, pid)
            if a.startswith(("Mr. ", "Mrs. ", "Ms. ", "Dr. ", "Mlle. ", "Mme. ")):
                self.alias.setdefault(a.replace(". ", " ", 1), pid)
            elif a.startswith(("Mlle ", "Mme ")):
                self.alias.setdefault(a.replace(" ", ". ", 1), pid)  # "Mlle. Roux" too

    def gender(self, pid: str) -> Gender:
        """A person's gender (the narrator's is unknown)."""
        if pid == NARRATOR:
            return "unknown"
        p = self.people.get(pid)
        return p.gender if p else "unknown"

    def voice_gender(self, p: Person) -> Gender:
        """The gender for ``p``'s voice: a description that says none ("the burglar") takes
        its pronouns' ("the burglar ... he"). Only the voice: in attribution it stays unknown,
        so a description met in passing does not compete with the named for "he said"."""
        if p.gender != "unknown" or not p.described or self.index is None:
            return p.gender
        return pronoun_gender(self.index.text, p.aliases, self.index)

    def lookup(self, name: str, create: bool = True, force: bool = False) -> str | None:
        """The person id for a name as written, creating a character if it is new.

        ``force`` (a name in a speech tag) creates one even for a word that is usually no
        name, unless it is a function word.
        """
        name = re.sub(r"\s+", " ", name.strip())
        name = re.sub(r"(?<=\w )(?:[A-Z]\. )+(?=[A-Z]\w)", "", name)  # "Ann B. Lowe": Ann Lowe
        if name.split()[0].rstrip(".").lower() in HONORIFICS:
            bare = re.sub(r"^(\S+ )(?:[A-Z]\. )+(?=\w)", r"\1", name)  # "Mr. R. H. T. Colby"
            if bare != name and bare.split()[-1].lower() in STOP_CAPS:
                return None  # "Mr. E. The man": a sentence after an initial, no name
            name = bare
        if name in self.alias:
            return self.alias[name]
        if name[:1].islower() and name[:1].upper() + name[1:] in self.alias:
            return self.alias[name[:1].upper() + name[1:]]  # "de Vere" is "De Vere"
        toks = name.split()
        hon = toks[0].rstrip(".").lower() if toks else ""
        if hon in HONORIFICS and len(toks) > 1:
            fixed = toks[0].rstrip(".")
            for variant in (f"{fixed}. {' '.join(toks[1:])}", f"{fixed} {' '.join(toks[1:])}"):
                if variant in self.alias:
                    return self.alias[variant]
        if len(toks) > 1 and hon not in HONORIFICS:
            for t in (toks[0], " ".join(toks[:2])):
                if t in self.alias:
                    return self.alias[t]
        if (
            (create or force)
            and len(toks) > 1
            and toks[0].lower() in _OPENERS
            and toks[1][:1].isupper()
            and hon not in HONORIFICS
        ):
            # "Then Ada spoke", "Now Bob proposed": a sentence's first word glued to a name
            # is no part of it ("But Ann rejected it" after a quote is a new sentence, no
            # tag: "But" is a function word, left to the caller).
            return self.lookup(" ".join(toks[1:]), create, force)
        if not create or not toks or all(len(t.rstrip(".")) == 1 for t in toks):
            return None  # an initial alone ("said the M. E.") names nobody
        stop = toks[0].lower() in STOP_CAPS and hon not in HONORIFICS
        if stop and (not force or toks[0].lower() in FUNCTION_WORDS):
            return None
        g: Gender = HONORIFICS.get(hon, "unknown") if hon in HONORIFICS else "unknown"
        if g == "unknown":
            g = given_name_gender(toks[0])
        if g == "unknown" and self.index is not None:
            g = pronoun_gender(self.index.text, {name}, self.index)
        p = Person(slug(name), name, {name}, g, 1)
        self.register(p)
        self.alias.setdefault(name, p.key)
        return p.key

    def describe(self, phrase: str, merge: bool = True) -> str:
        """A person for a capitalised description (``the Tinker``), created when new
        (``merge`` False: never joined to another description of the same head noun, as
        "the second policeman" is not "the policeman")."""
        words = phrase.split()
        core = " ".join(words[1:])
        key = "the " + core
        if key in self.alias:
            return self.alias[key]
        # "the Badger" and "the Silver Badger": one character when the head noun matches.
        head = words[-1]
        same = [
            p for p in self.people.values() if merge and p.described and p.name.split()[-1] == head
        ]
        # "the April Badger" is the cast's one-word name "Badger" ("April" read as a month).
        named = self.people.get(self.alias.get(head, ""))
        if not same and len(words) > 2 and named is not None and named.aliases <= {head}:
            same = [named]
        if len(same) == 1:
            same[0].aliases.add(key)
            self.alias[key] = same[0].key
            return same[0].key
        g: Gender = PERSON_NOUNS.get(words[-1].lower(), "unknown")
        g = HONORIFICS.get(words[-1].lower(), g) if g == "unknown" else g
        p = Person(slug(key), "the " + core, {key, "The " + core}, g, 1, described=True)
        self.register(p)
        self.alias.setdefault("the " + core, p.key)
        return p.key

    def unnamed(self, adj: str, noun: str) -> str:
        """A new person known by a description only ("the young woman")."""
        adjs = [a.strip(",") for a in adj.split() if a.strip(",")]
        desc = "the " + " ".join([*adjs[-1:], noun])
        g = PERSON_NOUNS.get(noun, "unknown")
        p = Person(slug(desc), desc, {desc}, g, 0, described=True)
        self.register(p)
        return p.key
