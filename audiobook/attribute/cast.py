"""Finding characters in a text: names, honorific forms, aliases and gender.

The cast is found from the text alone: capitalised name sequences that behave like people
(titled, named in a speech tag, followed by a verb, a known first name), clustered so that
``Léa Roux``, ``Léa`` and ``Miss Roux`` are one person while ``Mr. Pell`` and
``Mrs. Pell`` stay two. :func:`find_people` runs the steps in order: count every
occurrence of a name (:class:`_Counts`), take the full names that are people, join titled
forms to them, then single names, join the names the text says are one person's ("X, or, as I
must now call him, Y") and the full names made of a pet name ("Dick Hood" is "Richard Hood"),
then vote the genders still unknown.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from audiobook.attribute.lexicon import (
    EPITHETS,
    FIRST_NAMES,
    HONORIFICS,
    NICKNAMES,
    RANKS,
    SPEECH_VERBS,
    STOP_CAPS,
    TITLE_VARIANTS,
    given_name_gender,
)
from audiobook.attribute.patterns import CAPTOK, NAME, NAME_RE, SENT_END, VERBISH
from audiobook.model import Gender
from audiobook.names import slug

__all__ = ["NAME_RE", "NameIndex", "Person", "find_people", "pronoun_gender", "slug"]

_PLAIN_TITLES = ("mr", "mrs", "ms", "miss", "dr", "mme", "mlle", "monsieur", "madame")
"""Titles stored without their full stop when counted ("Mr." and "Mr" are one form)."""
_NAME_STARTERS = frozenset(
    ["mr", "mrs", "ms", "miss", "dr", "sir", "lady", "lord", "mister", "madame", "mademoiselle",
     "monsieur", "mme", "mlle"]
)  # fmt: skip
"""Titles that always begin a new name: "Miss Tovey Miss Grey's" is two names."""


def _starts_anew(tok: str) -> bool:
    """A word inside a capitalised run that ends the name before it: a title ("Miss
    Tovey Miss Grey's" is two names) or the pronoun I ("Mrs. Dunn I'm sure")."""
    return tok.lower() in _NAME_STARTERS or re.match(r"I(?:['\u2019]\w+)?$", tok) is not None


@dataclass
class Person:
    """A character being built: its names and evidence."""

    key: str
    name: str
    aliases: set[str] = field(default_factory=set)
    gender: Gender = "unknown"
    mentions: int = 0
    described: bool = False
    """True for unnamed characters known by a description ("the young woman")."""

    @property
    def id(self) -> str:
        """The slug id."""
        return slug(self.name)


def _ranked(p: Person) -> bool:
    return any(a.split()[0].rstrip(".").lower() in RANKS for a in p.aliases if " " in a)


def _hon_key(hon: str) -> str:
    return hon.lower().rstrip(".")


def _hon_gender(hon: str) -> Gender:
    h = hon.lower()
    return HONORIFICS.get(h, HONORIFICS.get(h.rstrip("."), "unknown"))


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 6) : pos]
    return bool(SENT_END.search(before)) or pos == 0


_ROMAN = re.compile(r"^(?=[IVX]{2,}$)X{0,3}(?:IX|IV|V?I{0,3})$")
"""A roman numeral of two letters or more: "Oliver II" is a king, no first name to join."""
_PLACE_BEFORE = re.compile(
    r"\b(?:[Ii]n|[Aa]t|[Tt]o|[Ff]rom|[Ii]nto|[Nn]ear|[Tt]owards?|[Tt]hrough|[Oo]n|[Dd]own|[Uu]p"
    r"|[Aa]long|[Aa]cross|outskirts\s+of)\s+$"
)
"""Words before a name that make it a place: "in Holloway", "down Kellin Row", "on Broad Street"."""


_RENAMED = re.compile(
    rf"(?P<a>{NAME}),?\s+(?:or,?\s+)?(?:as|whom)\s+(?:(?:[a-z]+|I)\s+){{0,4}}?"
    rf"call(?:ed|s)?\s+(?:him|her)?,?\s*(?P<b>{CAPTOK}(?:\s+{CAPTOK})?)\b"
)
"""The text renaming someone: "Mr. Lowe, or, as the whole street soon called him,
Arthur", "Ann Lee, whom everybody called Nan"."""


_INITIAL = re.compile(r"[A-Z]\.")
"""A middle initial ("B." of "Ann B. Lowe")."""


def _renamings(text: str) -> list[re.Match[str]]:
    """The matches of :data:`_RENAMED`, looked for only around the word "call" (trying the
    pattern at every character of a long book costs a second)."""
    found: dict[tuple[int, int], re.Match[str]] = {}
    for c in re.finditer(r"\bcall(?:ed|s)?\b", text):
        for m in _RENAMED.finditer(text, max(0, c.start() - 250), c.end() + 60):
            found.setdefault(m.span(), m)
    return [found[k] for k in sorted(found)]


@dataclass(frozen=True)
class _Occ:
    hon: str | None
    name: str
    start: int
    end: int


def _occurrences(text: str) -> list[_Occ]:
    """Every capitalised name sequence, with its title, trimmed of stop words."""
    out: list[_Occ] = []
    for m in NAME_RE.finditer(text):
        hon = m.group("hon")
        name = re.sub(r"['\u2019]s$", "", m.group("name"))
        # "Marsh-ing", "Dunn-like": a lower-case tail after a hyphen is no part of a name.
        toks = [re.sub(r"-[a-z][\w'-]*$", "", t) for t in name.split()]
        # Drop trailing particles or stop words caught at the end.
        while toks and toks[-1].lower() in STOP_CAPS and len(toks) > 1:
            toks.pop()
        if not toks:
            continue
        hon_at = m.start()
        if hon is None:
            # Leading stop words ("The", "But Léa"): strip them.
            while toks and toks[0].lower() in STOP_CAPS:
                toks.pop(0)
            if not toks:
                continue
            # "But Lady Harriet": the title left first after the stop word is the title.
            if len(toks) > 1 and toks[0].lower().rstrip(".") in _NAME_STARTERS:
                hon = toks.pop(0)
                hon_at = m.start("name") + m.group("name").find(hon + " ")
        cut = next((i for i, t in enumerate(toks) if i and _starts_anew(t)), None)
        if cut is not None:
            toks = toks[:cut]
        last_end = m.start("name") + m.group("name").rfind(toks[-1]) + len(toks[-1])
        middle = [t for t in toks[1:-1] if not _INITIAL.fullmatch(t)]
        dropped = len(middle) < len(toks) - 2
        if dropped:  # "Ann B. Lowe" is Ann Lowe
            toks = [toks[0], *middle, toks[-1]]
        if hon is None and all(len(t.rstrip(".")) == 1 for t in toks):
            continue  # "E. Rushmore Coglan", "P. D. and Q.": initials alone name nobody
        name = " ".join(toks)
        start = m.start("name") + m.group("name").find(toks[0], max(0, hon_at - m.start("name")))
        if hon is not None:
            name_at, start = start, hon_at
        if hon is not None and hon[0].islower() and hon.lower() not in ("monsieur", "madame"):
            hon = None
        end = start + len(name) if hon is None else name_at + len(name)
        out.append(_Occ(hon, name, start, last_end if dropped else end))
    return out


class _Counts:
    """How each untitled name and each titled form is used across the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lower: Counter[str] | None = None
        """Every lower-case word of the text, counted (made when first needed)."""
        self.plain: Counter[str] = Counter()
        self.titled: Counter[tuple[str, str]] = Counter()
        self.evidence: Counter[str] = Counter()
        """Uses that behave like a person: followed by a verb, in a speech tag (2)."""
        self.non_initial: Counter[str] = Counter()
        self.the_before: Counter[str] = Counter()
        self.tagged: Counter[str] = Counter()
        self.placed: Counter[str] = Counter()
        """Uses right after a preposition of place ("in Holloway", "from Port Alder")."""
        self.first_at: dict[str, int] = {}
        self.at: dict[str, list[int]] = defaultdict(list)
        for o in _occurrences(text):
            if o.hon:
                hon = o.hon
                if _hon_key(hon) in _PLAIN_TITLES and hon.endswith("."):
                    hon = hon.rstrip(".")
                self.titled[(hon, o.name)] += 1
            else:
                self._count_plain(text, o)

    def _count_plain(self, text: str, o: _Occ) -> None:
        after = text[o.end : o.end + 30]
        before = text[max(0, o.start - 20) : o.start]
        self.plain[o.name] += 1
        self.first_at.setdefault(o.name, o.start)
        self.at[o.name].append(o.start)
        if not _sentence_initial(text, o.start):
            self.non_initial[o.name] += 1
        if re.search(r"\b(?:the|The)\s+$", before):
            self.the_before[o.name] += 1
        if _PLACE_BEFORE.search(before):
            self.placed[o.name] += 1
        if VERBISH.match(after):
            self.evidence[o.name] += 1
        tag = re.match(r"\s+([a-z]+)\b", after)
        if tag and tag.group(1) in SPEECH_VERBS:
            self.evidence[o.name] += 2
            self.tagged[o.name] += 1
        btag = re.search(r"\b([a-z]+)\s+$", before)
        if btag and btag.group(1) in SPEECH_VERBS:
            self.evidence[o.name] += 2
            self.tagged[o.name] += 1

    def spoken_only(self, name: str) -> bool:
        """``name`` (used 5 times or more) is written inside quotation marks every time
        but once at most: the characters say it, the narrator never does."""
        uses = self.at[name]
        if len(uses) < 5:
            return False
        outside = 0
        for pos in uses:
            para = max(self.text.rfind("\n\n", 0, pos), 0)
            before = self.text[para:pos]
            straight = before.count('"') % 2 == 1
            curly = before.count("\u201c") > before.count("\u201d")
            if not (straight or curly):
                outside += 1
                if outside > 1:
                    return False
        return True

    def is_person(self, name: str) -> bool:
        """An untitled name used like a person's (not "the X", not all capitals)."""
        first = name.split()[0].lower()
        if first in STOP_CAPS:
            return False
        if self.the_before[name] * 2 > self.plain[name]:
            return False
        if name.isupper() and len(name) > 3:
            return False
        if self.is_place(name):
            return False
        if " " not in name and (first in _NAME_STARTERS or first in RANKS):
            return False  # a bare title ("Mlle", "Colonel and Mrs. Lee") is nobody by itself
        if (
            first in FIRST_NAMES
            and self.plain[name] >= 1
            and self.non_initial[name] + self.evidence[name] >= 1
        ):
            return True
        if self.common_word(name):
            return False
        return self.evidence[name] >= 2 and self.non_initial[name] >= 1 and self.plain[name] >= 2

    def common_word(self, name: str) -> bool:
        """A single word the text mostly writes in lower case ("Time", "Death", "Society"
        personified), or writes in lower case at least as often and capitalised almost only
        at the start of a sentence ("Thus", "Meanwhile"): a word, not a name."""
        if " " in name:
            return False
        if self._lower is None:
            self._lower = Counter(re.findall(r"\b[a-z]+\b", self.text))
        lower, plain = self._lower[name.lower()], max(self.plain[name], 1)
        return lower >= 3 * plain or (lower >= plain and self.non_initial[name] * 10 <= plain)

    def is_place(self, name: str) -> bool:
        """A name used after "in", "at", "to", "from", "on", "down"... (half its uses or more) and never in a
        speech tag is a place ("at Holloway", "outskirts of Port Alder"), not a person (a name
        seen only once or twice is not judged: "turned to Ann Lee"); so is one used ten times or
        more and there over a third of the time, or a quarter of the time while hardly ever
        acting."""
        n, placed, tagged = self.plain[name], self.placed[name], self.tagged[name]
        if n < 3:
            return False
        if tagged == 0 and 2 * placed >= n:
            return True
        if n >= 10 and 100 * placed >= 35 * n and 100 * tagged <= 15 * n:
            # A name after "in", "at", "to", "from" a third of the time or more: no person's
            # (a character's is there a fifth of the time at most); a few tags near it are noise.
            return True
        # A quarter of its uses after a preposition of place, hardly ever acting, in a
        # speech tag at most twice ("a house called Holloway"): a place too.
        return tagged <= 2 and 4 * placed >= n and 4 * (self.evidence[name] - 2 * tagged) <= n

    def full_is_person(self, name: str) -> bool:
        """A full name is a person's, or it comes first and its first name alone is named
        in a speech tag ("Marta Vidal pushed the door ... 'Two loaves,' Marta said")."""
        first = name.split()[0]
        return self.is_person(name) or (
            not self.is_place(name)
            and first.lower() not in HONORIFICS
            and first.lower() not in RANKS
            and self.evidence[name] >= 1
            and self.tagged[first] >= 1
            and self.first_at[name] <= self.first_at.get(first, self.first_at[name])
        )


class _Clusters:
    """People being built from the counted names, and the indexes used to join names."""

    def __init__(self, text: str, counts: _Counts) -> None:
        self.text = text
        self.c = counts
        self.people: dict[str, Person] = {}
        self.by_first: dict[str, list[str]] = defaultdict(list)
        self.by_last: dict[str, list[str]] = defaultdict(list)
        self.titled_keys: dict[tuple[str, str], str] = {}
        """(title, rest of the name) -> key of the person it joined."""
        self._voted: dict[str, Gender] = {}
        self.index = NameIndex(text)
        self._pairs: set[tuple[str, str]] | None = None

    def add(self, key: str, name: str, count: int, gender: Gender = "unknown") -> Person:
        """The person ``key`` (created when new) with ``name`` as an alias."""
        p = self.people.get(key)
        if p is None:
            p = Person(key, name, gender=gender)
            self.people[key] = p
        p.aliases.add(name)
        p.mentions += count
        if p.gender == "unknown":
            p.gender = gender
        return p

    def gender_of(self, key: str) -> Gender:
        """A person's gender, voted from pronouns when no name or title gives it."""
        p = self.people[key]
        if p.gender != "unknown":
            return p.gender
        if key not in self._voted:
            self._voted[key] = pronoun_gender(self.text, p.aliases, self.index)
        return self._voted[key]

    def full_names(self) -> None:
        """Step 1: every multi-word name used like a person is a person."""
        full = [
            n
            for n in self.c.plain
            if len(n.split()) > 1
            and self.c.full_is_person(n)
            and not _ROMAN.match(n.split()[-1])
            and not self._two_people(n)
        ]
        for n in sorted(full, key=lambda n: -self.c.plain[n]):
            toks = n.split()
            self.add(n, n, self.c.plain[n], given_name_gender(toks[0]))
            if toks[0].lower() not in EPITHETS:  # "Old Marley" is Marley: see epithets()
                self.by_first[toks[0]].append(n)
                self.by_last[toks[-1]].append(n)

    def _two_people(self, name: str) -> bool:
        """A two-word name written once or twice whose words the text names on their own
        and joins by "and" ("Ann and Kemble"; later "with Kemble and Ann Kemble behind") is
        two people side by side, no full name; unless its second word follows a title somewhere
        ("Mr. Kemble"): then it is a family's name and the two words a full name."""
        toks = name.split()
        if len(toks) != 2 or self.c.plain[name] > 2:
            return False
        a, b = toks
        if min(self.c.plain[a], self.c.plain[b]) < 3:
            return False
        if any(rest == b for _hon, rest in self.c.titled):
            return False  # "Mr. Wilcox": the second word is a family's name, so a surname
        return (a, b) in self._and_pairs() or (b, a) in self._and_pairs()

    def _and_pairs(self) -> set[tuple[str, str]]:
        """Every "X and Y" of two capitalised words in the text (found in one pass)."""
        if self._pairs is None:
            self._pairs = {
                (m.group(1), m.group(2))
                for m in re.finditer(r"(?<!\w)([A-Z]\w*)\s+and\s+([A-Z]\w*)(?!\w)", self.text)
            }
        return self._pairs

    def titled_forms(self) -> None:
        """Step 2: "Mr. Thorne", "Miss Roux", "Lady Agnes de Vere" join a full name or
        become people; longer forms first, so "Sir Hugo" can join "Sir Hugo Dane"."""
        forms = sorted(self.c.titled.items(), key=lambda kv: (-len(kv[0][1].split()), -kv[1]))
        for (hon, rest), cnt in forms:
            if all(t.lower() in HONORIFICS and self.c.the_before[t] >= cnt for t in rest.split()):
                # "Mrs. Major" (the Major's wife to be) is no name of hers when the text
                # says "the Major" as often; "Miss King" with no "the King" is a name.
                continue
            if self._plural_of_family(hon, rest):
                continue
            g = _hon_gender(hon)
            dot = (
                "." if _hon_key(hon) in ("mr", "mrs", "ms", "dr") and not hon.endswith(".") else ""
            )
            display = f"{hon}{dot} {rest}"
            target = self._titled_target(hon, rest, g)
            if target is not None:
                if target not in self.people:
                    self.add(target, target, 0, g)
                p = self.add(target, self.people[target].name, cnt, g)
                p.aliases.add(display)
                self.titled_keys[(hon, rest)] = target
                continue
            p = self.add(display, display, cnt, g)
            if len(rest.split()) > 1 and len(display) > len(p.name):
                p.name = display
            self.titled_keys[(hon, rest)] = display
            toks = rest.split()
            ranked = any(r == toks[0] and _hon_key(h) in RANKS for h, r in self.c.titled)
            if len(toks) > 1 and not self.by_first.get(toks[0]) and not ranked:
                # "Miss Ada Pell", and no untitled Ada: "Ada" alone is she (but not
                # "Colonel Hartley" for "Mr. Hartley Dane": a rank makes it a surname)
                self.by_first[toks[0]].append(display)

    def _plural_of_family(self, hon: str, rest: str) -> bool:
        """ "the Miss Pells", "the Mr. Pells": a titled surname in the plural, where the text
        writes the singular after the same title more often, is a family, no one person
        ("Mr. Peters" beside a "Mr. Peter" met once is a name of its own)."""
        if " " in rest or len(rest) < 4 or not rest.endswith("s"):
            return False
        if self.c.titled.get((hon, rest[:-1]), 0) <= self.c.titled[(hon, rest)]:
            return False
        # Written as a group at least once: "the Miss Pells", "the two Mr. Pells" (not "the
        # naughty Mr. Pells", which may be one man).
        group = re.compile(
            rf"\b(?:[Tt]he|[Bb]oth|two|three|elder|younger)\s+{re.escape(hon.rstrip('.'))}\.?\s+$"
        )
        text = self.text
        return any(group.search(text, max(0, a - 30), a) for a, _ in self.index.uses({rest}))

    def _titled_target(self, hon: str, rest: str, g: Gender) -> str | None:
        """The person a titled form joins, if any."""
        other = TITLE_VARIANTS.get(_hon_key(hon))
        same = [k for (h, r), k in self.titled_keys.items() if r == rest and _hon_key(h) == other]
        if same:
            return same[0]  # "Doctor Lowe" is the "Dr. Lowe" met already
        toks = rest.split()
        longer = sorted(
            {k for (h, r), k in self.titled_keys.items() if h == hon and r.split()[0] == rest}
        )
        if rest in self.people:
            # "Mrs. Roger Sutton" is Roger Sutton's wife, not Roger Sutton.
            return rest if self.gender_of(rest) in (g, "unknown") or g == "unknown" else None
        if len(toks) == 1 and len(longer) == 1:
            return longer[0]
        if len(toks) == 1:
            # "Mr. Dunn" is "Mr. Amos Dunn" when the text never calls him "Amos"
            # nor "Amos Dunn": his first name is only ever written with the title.
            formal = sorted(
                {
                    k
                    for (h, r), k in self.titled_keys.items()
                    if h == hon and len(r.split()) == 2 and r.split()[-1] == rest
                }
            )
            if len(formal) == 1 and rest not in self.by_last:
                r = self.people[formal[0]].name.split()
                # "Amos Dunn" untitled but no person of the cast ("and Amos Dunn", written
                # in passing) is still only his formal name.
                if self.c.plain[r[-2]] == 0 and " ".join(r[-2:]) not in self.people:
                    return formal[0]
        if len(toks) > 1:
            # Longer form: "Lady Agnes de Vere" joins "Lady Agnes" if present.
            return self.titled_keys.get((hon, toks[0]))
        firsts = [k for k in self.by_first.get(rest, []) if self.people[k].gender in (g, "unknown")]
        nick = NICKNAMES.get(rest.lower())
        if not firsts and nick and _hon_key(hon) not in RANKS:
            firsts = [
                k
                for k in self.by_first.get(nick.capitalize(), [])
                if self.people[k].gender in (g, "unknown") and not _ranked(self.people[k])
            ]
        # A surname with a title joins a full name only when the genders agree ("Mr.
        # Dunn" is "Oskar Dunn", not "Lou Dunn").
        lasts = [k for k in self.by_last.get(rest, []) if self.gender_of(k) == g]
        if len(firsts) == 1:
            return firsts[0]
        if _hon_key(hon) == "miss":
            daughter = self._miss_of(rest)
            if daughter is not None:
                return daughter
        if (
            len(lasts) == 1
            and g != "unknown"
            and len(self.by_last.get(rest, [])) == 1
            and not self._younger(hon, rest, lasts[0])
            and not self._other_rank(hon, rest, lasts[0])
            and not self._a_miss(hon, rest, lasts[0])
        ):
            return lasts[0]
        if rest in self.c.plain and g != "unknown" and FIRST_NAMES.get(rest.lower()) == g:
            return rest  # "Miss Edith" -> the single name "Edith"
        return None

    def _a_miss(self, hon: str, surname: str, full: str) -> bool:
        """True when "Mrs. Hale" is not "Ann Hale": the text calls Ann "Miss" ("Miss Ann",
        "Miss Ann Hale"), so she is a daughter of the family and Mrs. Hale her mother."""
        if _hon_key(hon) != "mrs":
            return False
        first = full.split()[0]
        return any(self.c.titled.get(("Miss", n), 0) for n in (first, f"{first} {surname}"))

    def _other_rank(self, hon: str, surname: str, full: str) -> bool:
        """True when "Major Sutton" is another man than "Harold Sutton": a rank is
        borne with the surname, and the text never writes the rank with that first name
        ("Major Harold Sutton", "Major Harold"), so nothing says they are one man."""
        if _hon_key(hon) not in RANKS:
            return False
        first = full.split()[0]
        with_first = self.c.titled.get((hon, f"{first} {surname}"), 0)
        return with_first == 0 and self.c.titled.get((hon, first), 0) == 0

    def _miss_of(self, surname: str) -> str | None:
        """The daughter "Miss <Surname>" names: the only one of the family, when the text
        also calls her "Miss <First name>"; or, of several, the one never called so while her
        sisters are (the eldest is "Miss Pell", the others "Miss Lucy"). A full name
        written once ("Edith R. Pell" on a card) is no sister."""
        firsts: dict[str, str] = {}
        for k in self.by_last.get(surname, []):
            if self.gender_of(k) == "female":
                firsts[k] = k.split()[0]
        for (h, r), k in self.titled_keys.items():
            toks = r.split()
            if _hon_key(h) == "miss" and len(toks) == 2 and toks[1] == surname:
                firsts.setdefault(k, toks[0])
        if not firsts:
            return None

        def called_miss(first: str) -> bool:
            # "Miss Lucy": a younger daughter told from the eldest by her first name alone
            # ("Miss Agatha Moss" in full is only a formal name of "Miss Moss").
            return self.c.titled.get(("Miss", first), 0) > 0

        if len(firsts) == 1:
            # The only woman of the family is "Miss Pell" when the text calls her "Miss Ada"
            # or, in full, "Miss Ada Pell" (with sisters about, that full form tells a
            # younger one from the eldest, who alone is "Miss Pell").
            k, first = next(iter(firsts.items()))
            formal = self.c.titled.get(("Miss", f"{first} {surname}"), 0) > 0
            return k if called_miss(first) or formal else None
        called = [k for k, f in firsts.items() if called_miss(f)]
        never = [
            k
            for k, f in firsts.items()
            if not called_miss(f) and self.people[k].mentions + self.c.plain[f] >= 3
        ]
        if len(never) == 1:
            return never[0]
        return called[0] if not never and len(called) == 1 else None

    def _younger(self, hon: str, surname: str, full: str) -> bool:
        """True when "Mr. Sutton" is another man than "Roger Sutton": the text names
        "Mr. Roger Sutton" with his first name (to tell him from the head of the family)
        while "Mr. Sutton" alone is used far more (3 times) than every form of the full
        name ("Mr. Colby" beside a frequent "Mr. Oliver Colby" is the same man)."""
        first = full.split()[0]
        if _hon_key(hon) == "mrs" and FIRST_NAMES.get(first.lower()) == "female":
            return False  # a family has one "Mrs. Dunn": "Mrs. Esther Dunn" is she
        with_first = self.c.titled.get((hon, f"{first} {surname}"), 0)
        bare = self.c.titled.get((hon, surname), 0)
        uses = self.c.plain[full] + with_first
        return with_first >= 3 and bare >= 3 * uses

    def _another(self, single: str, full: str) -> bool:
        """True when ``single`` names someone else than ``full`` ("Nina" and "Nina King").

        The reader knew ``single`` well before ``full`` first appeared, ``full`` is rare
        beside it, and ``full``'s surname is no family's of the cast (an "Edith" met long
        before "Edith Pell" is still a Pell when a Mr. Pell is about).
        """
        c = self.c
        if single.lower() in HONORIFICS or single.lower() in RANKS:
            return False  # "Doctor" alone is the one Doctor Penrose
        if full not in c.first_at or c.plain[single] < 5 * max(c.plain[full], 1):
            return False
        if bisect.bisect_left(c.at[single], c.first_at[full]) < 10:
            return False
        surname = full.split()[-1]
        family = {
            k for (h, r), k in self.titled_keys.items() if r.split()[-1] == surname and k != full
        } | {k for k in self.by_last.get(surname, []) if k != full}
        return not family

    def single_names(self) -> None:
        """Step 3: a single name is a first name of a full name (or its pet name), the
        surname of titled forms, the surname of one full name, or a person of its own."""
        surname_titled: dict[str, list[str]] = defaultdict(list)
        for (_hon, rest), key in self.titled_keys.items():
            surname_titled[rest.split()[-1]].append(key)
        singles = [n for n in self.c.plain if len(n.split()) == 1]
        for n in sorted(singles, key=lambda n: -self.c.plain[n]):
            if n in self.people or n.lower() in EPITHETS:
                continue  # "Old" of "Old Fezziwig" is nobody's first name
            if self.c.plain[n] < 3 and self.c.common_word(n):
                continue  # "New" of "New Yorkers", written alone once or twice: a word
            cands = self._first_name_of(n)
            if cands:
                self.add(cands[0], self.people[cands[0]].name, self.c.plain[n]).aliases.add(n)
                continue
            tks = sorted(set(surname_titled.get(n, [])))
            if tks:
                if n.lower() in HONORIFICS and self.c.the_before[n] * 2 > self.c.plain[n]:
                    continue  # "the Prince" (a title as a description) is no Dr. Prince
                pick = self._surname_of(tks)
                if pick is None or not self._same_gender(n, pick):
                    # "Pell ... she": the bare surname is the woman of the family its pronouns
                    # say, when one Mrs. or Miss Pell is named far more than any other.
                    her = self._main_of(tks, "female")
                    if her is not None and pronoun_gender(self.text, {n}, self.index) == "female":
                        pick = her
                if pick is not None and self._same_gender(n, pick):
                    self.add(pick, self.people[pick].name, self.c.plain[n]).aliases.add(n)
                elif pick is not None and self.c.is_person(n):
                    self.add(n, n, self.c.plain[n], pronoun_gender(self.text, {n}, self.index))
                continue
            lasts = self.by_last.get(n, [])
            if len(lasts) == 1:
                self.add(lasts[0], self.people[lasts[0]].name, self.c.plain[n]).aliases.add(n)
                continue
            if lasts:
                continue
            if self.c.is_person(n):
                self.add(n, n, self.c.plain[n], given_name_gender(n))

    def _same_gender(self, surname: str, key: str) -> bool:
        """The bare surname's pronouns do not say another gender than the titled person's:
        "Fezziwig ... he laughed" is not "Mrs. Fezziwig"."""
        said = pronoun_gender(self.text, {surname}, self.index)
        return said == "unknown" or self.gender_of(key) in (said, "unknown")

    def _first_name_of(self, n: str) -> list[str]:
        """Full names whose first name is ``n`` or the name ``n`` is a pet form of."""
        # The one the text names most, titled forms included ("Oliver" is Lord Oliver Thorpe,
        # not a Sir Oliver Pratley met in passing).
        cands = sorted(self.by_first.get(n, []), key=lambda k: -self.people[k].mentions)
        if cands and self._another(n, cands[0]):
            cands = []
        nick = NICKNAMES.get(n.lower())
        if not cands and nick:
            # A pet name is not used for someone known by a rank ("Abby" is not "Lady
            # Abigail").
            # ... unless the narrator never uses it: then it is what friends call that
            # person ("Ned" for a Lord Edward, said only in speech).
            spoken_only = self.c.spoken_only(n)
            full = [
                k
                for k in self.by_first.get(nick.capitalize(), [])
                if spoken_only or not _ranked(self.people[k])
            ]
            if self.c.plain[nick.capitalize()] >= 3 and nick.capitalize() in self.people:
                full.append(nick.capitalize())
            if full:
                cands = sorted(set(full), key=lambda k: (-self.people[k].mentions, k))
        return cands

    def _surname_of(self, keys: list[str]) -> str | None:
        """Of titled people sharing a surname, the one the bare surname means: the only
        one, or a man far more mentioned than any other man (a man by his pronouns too: a
        "Dr." says no sex, and "Quenby" is the Dr. Quenby of the story, not a Mr. Quenby
        met once)."""
        if len(keys) == 1:
            return keys[0]
        return self._main_of(keys, "male")

    def _main_of(self, keys: list[str], sex: Gender) -> str | None:
        """Of ``keys``, the one person of ``sex``, or the one far more mentioned than any
        other of that sex."""
        same = sorted(
            (k for k in keys if self.gender_of(k) == sex), key=lambda k: -self.people[k].mentions
        )
        if same and (
            len(same) == 1 or self.people[same[0]].mentions >= 3 * self.people[same[1]].mentions
        ):
            return same[0]
        return None

    def renamed(self) -> None:
        """Step 4: a person the text renames ("X, or, as I must now call him, Y") is one
        person under both names, when both are people of the cast and their genders agree."""
        for m in _renamings(self.text):
            index = {a: k for k, p in self.people.items() for a in p.aliases}  # merges change it
            a = index.get(re.sub(r"\s+", " ", m.group("a")))
            b = index.get(re.sub(r"\s+", " ", m.group("b")))
            if a is None or b is None or a == b:
                continue
            self._merge(a, b)

    def pet_full_names(self) -> None:
        """Step 5: a full name made of a pet name ("Dick Hood", "Becky Pell") is the person
        of the full first name with the same surname ("Richard Hood", "Rebecca Pell")."""
        for k in sorted(self.people):
            toks = k.split()
            hon = toks[0] if len(toks) == 3 and toks[0].rstrip(".").lower() in HONORIFICS else ""
            toks = toks[1:] if hon else toks  # "Miss Nell Harwin": Nell Harwin, titled
            nick = NICKNAMES.get(toks[0].lower()) if len(toks) == 2 else None
            if nick is None or k not in self.people:
                continue
            full = f"{nick.capitalize()} {toks[1]}"
            for target in (full, f"{hon} {full}") if hon else (full,):
                if target in self.people and target != k:
                    self._merge(target, k)
                    break

    def _merge(self, a: str, b: str) -> None:
        """Join person ``b`` into person ``a`` when their genders agree."""
        ga, gb = self.gender_of(a), self.gender_of(b)
        if "unknown" not in (ga, gb) and ga != gb:
            return
        pa, pb = self.people[a], self.people.pop(b)
        pa.aliases |= pb.aliases
        pa.mentions += pb.mentions
        if pa.gender == "unknown":
            pa.gender = pb.gender

    def epithets(self) -> None:
        """Step 4b: "Old Marley", "Young Tom": an epithet before a name is one more name of the
        person that name is (a cast name, or the surname of one titled person), not another."""
        index = {a: k for k, p in self.people.items() for a in p.aliases}
        for key in [k for k, p in self.people.items() if p.name.split()[0].lower() in EPITHETS]:
            rest = " ".join(self.people[key].name.split()[1:])
            titled = {k for (_h, r), k in self.titled_keys.items() if r == rest}
            target = index.get(rest) or (next(iter(titled)) if len(titled) == 1 else None)
            if target is None or target == key or target not in self.people:
                continue
            gone = self.people.pop(key)
            p = self.people[target]
            p.aliases |= gone.aliases
            p.mentions += gone.mentions
            for a in gone.aliases:
                index[a] = target

    def vote_genders(self) -> None:
        """Step 6: gender from the pronouns after each name, for people still unknown."""
        for p in self.people.values():
            if p.gender == "unknown":
                p.gender = pronoun_gender(self.text, p.aliases, self.index)


def find_people(text: str) -> list[Person]:
    """Named characters of ``text``, aliases clustered, gender guessed."""
    clusters = _Clusters(text, _Counts(text))
    clusters.full_names()
    clusters.titled_forms()
    clusters.single_names()
    clusters.renamed()
    clusters.pet_full_names()
    clusters.epithets()
    clusters.vote_genders()
    return list(clusters.people.values())


_PRON = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
_STOP_SENT = re.compile(r"[.!?;\"\u201c\u201d]")


class NameIndex:
    """Where each capitalised word of a text starts, found in one pass: the uses of a name are
    then looked up among its first word's, never found by a scan of the whole text per name
    (a collection of 5 million characters names 2,000 people)."""

    _WORD = re.compile(r"(?<!\w)[^\W\d_a-z]\w*")

    def __init__(self, text: str) -> None:
        self.text = text
        self._at: dict[str, list[int]] | None = None
        self._found: dict[str, list[int]] = {}
        """Where a word that is not capitalised occurs (found when first asked for)."""

    def _lower_uses(self, name: str) -> list[tuple[int, int]]:
        """Uses of a name that starts in lower case ("the burglar"), found from where its last
        word occurs: ``str.find`` of a word, kept for the next name that ends in it, is 25
        times faster than a regular expression with a look-behind over 5 million characters."""
        text, last = self.text, name.split()[-1]
        at = self._found.get(last)
        if at is None:
            at, i = [], text.find(last)
            while i != -1:
                at.append(i)
                i = text.find(last, i + 1)
            self._found[last] = at
        out: list[tuple[int, int]] = []
        back = len(name) - len(last)
        for pos in at:
            start, end = pos - back, pos + len(last)
            if (
                start >= 0
                and text.startswith(name, start)
                and not (start > 0 and _is_word(text[start - 1]))
                and not (end < len(text) and _is_word(text[end]))
            ):
                out.append((start, end))
        return out

    def _index(self) -> dict[str, list[int]]:
        if self._at is None:
            at: dict[str, list[int]] = defaultdict(list)
            for m in self._WORD.finditer(self.text):
                at[m.group()].append(m.start())
            self._at = at
        return self._at

    def uses(self, names: set[str]) -> list[tuple[int, int]]:
        """(start, end) of every use of any of ``names`` as whole words, in text order, as
        one regular expression of them, longest first, would find them."""
        text = self.text
        found: list[tuple[int, int]] = []
        for name in names:
            first = re.match(r"\w+", name)
            if first is None or not self._WORD.fullmatch(first.group()):
                found.extend(self._lower_uses(name) if name.strip() else ())
                continue
            for pos in self._index().get(first.group(), ()):
                end = pos + len(name)
                if text.startswith(name, pos) and not (end < len(text) and _is_word(text[end])):
                    found.append((pos, end))
        found.sort(key=lambda se: (se[0], -se[1]))
        out: list[tuple[int, int]] = []
        for start, end in found:
            if not out or start >= out[-1][1]:
                out.append((start, end))
        return out


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def pronoun_gender(text: str, aliases: set[str], index: NameIndex | None = None) -> Gender:
    """The gender of the pronouns that follow the names in ``aliases`` within a sentence (the
    first 201 uses); ``index`` of ``text`` makes it fast on long texts."""
    votes: Counter[str] = Counter()
    for end in [e for _, e in (index or NameIndex(text)).uses(aliases)[:201]]:
        window = text[end : end + 80]
        stop = _STOP_SENT.search(window)
        if stop:
            window = window[: stop.start()]
        pm = _PRON.search(window)
        if pm:
            w = pm.group(1).lower()
            votes["male" if w in ("he", "him", "his", "himself") else "female"] += 1
    if votes["male"] >= 2 * votes["female"] + 1:
        return "male"
    if votes["female"] >= 2 * votes["male"] + 1:
        return "female"
    return "unknown"
