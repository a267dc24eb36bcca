"""Finding characters in a text: names, honorific forms, aliases and gender.

The cast is found from the text alone: capitalised name sequences that behave like people
(titled, named in a speech tag, followed by a verb, a known first name), clustered so that
``Léa Roux``, ``Léa`` and ``Miss Roux`` are one person while ``Mr. Bennet`` and
``Mrs. Bennet`` stay two.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from audiobook.attribute.lexicon import FIRST_NAMES, HONORIFICS, NICKNAMES, SPEECH_VERBS, STOP_CAPS
from audiobook.model import Gender

__all__ = ["NAME_RE", "Person", "find_people", "slug"]

_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_TOKEN = rf"[{_UP}](?:\w|['\u2019-](?=\w))*"
_PARTICLE = r"(?:de|du|des|da|di|del|della|van|von|der|le|la|d'|O')"
_HON = (
    r"(?:Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Mme\.?|Mlle\.?|St\.|Rev\.|M\.|Miss|Mister|Madame|Mademoiselle|"
    r"Monsieur|monsieur|madame|mademoiselle|Sir|Lady|Lord|Se\u00f1or|Se\u00f1ora|Se\u00f1orita|"
    r"Signor|Signora|Signorina|Herr|Frau|Fr\u00e4ulein|Don|Do\u00f1a|Master|Mistress|Dame|"
    r"Aunt|Uncle|Colonel|Captain|Major|General|Lieutenant|Sergeant|Inspector|Constable|"
    r"Doctor|Professor|Reverend|Judge|Father|Mother|Sister|Brother|King|Queen|Prince|"
    r"Princess|Duke|Duchess|Count|Countess|Baron|Baroness)"
)
NAME_RE = re.compile(
    rf"(?<![\w'\u2019.-])(?:(?P<hon>{_HON})\s+)?"
    rf"(?P<name>(?:{_TOKEN})(?:\s(?:{_PARTICLE}\s)?(?:{_TOKEN})){{0,3}})"
)
_VERBISH = re.compile(
    r"^(?:'s\b|\u2019s\b|\s+(?:[a-z]+ed|was|had|is|has|did|could|would|should|might|must|"
    r"will|shall|can|went|came|saw|took|made|felt|knew|thought|said|says|spoke|stood|sat|ran|"
    r"looked|smiled|nodded|laughed|began|gave|got|left|told|turned|shook|seemed|and|who|"
    r"himself|herself)\b)"
)
_SENT_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+$|^\s*$|[\"\u201c\u2018]\s*$|\n\s*\n\s*$")


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


def slug(name: str) -> str:
    """A stable id from a name: ``"Léa Roux"`` -> ``"lea-roux"``."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "someone"


_RANKS = frozenset(
    ["sir", "lady", "lord", "dame", "duke", "duchess", "count", "countess", "baron",
     "baroness", "king", "queen", "prince", "princess", "colonel", "captain", "major",
     "general", "lieutenant", "reverend", "judge", "professor", "doctor", "dr"]
)  # fmt: skip
"""Titles of rank: a person known by one is not called by a pet name in the narration."""


def _ranked(p: Person) -> bool:
    return any(a.split()[0].rstrip(".").lower() in _RANKS for a in p.aliases if " " in a)


def _hon_key(hon: str) -> str:
    return hon.lower().rstrip(".")


def _hon_gender(hon: str) -> Gender:
    h = hon.lower()
    return HONORIFICS.get(h, HONORIFICS.get(h.rstrip("."), "unknown"))


def _split_tokens(name: str) -> list[str]:
    return name.split()


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 6) : pos]
    return bool(_SENT_END.search(before)) or pos == 0


@dataclass(frozen=True)
class _Occ:
    hon: str | None
    name: str
    start: int
    end: int


def _occurrences(text: str, narration_mask: bytearray | None) -> list[_Occ]:
    out: list[_Occ] = []
    for m in NAME_RE.finditer(text):
        hon = m.group("hon")
        name = re.sub(r"['\u2019]s$", "", m.group("name"))
        toks = name.split()
        # Drop trailing particles or stop words caught at the end.
        while toks and toks[-1].lower() in STOP_CAPS and len(toks) > 1:
            toks.pop()
        if not toks:
            continue
        if hon is None:
            # Leading stop words ("The", "But Léa"): strip them.
            while toks and toks[0].lower() in STOP_CAPS:
                toks.pop(0)
            if not toks:
                continue
        name = " ".join(toks)
        start = m.start("name") + m.group("name").find(toks[0])
        if hon is not None and start == m.start("name"):
            start = m.start()
        if hon is not None and hon[0].islower() and hon.lower() not in ("monsieur", "madame"):
            hon = None
        end = start + len(name) if hon is None else m.start("name") + len(name)
        out.append(_Occ(hon, name, start, end))
    return out


def find_people(text: str, narration: list[tuple[int, int]] | None = None) -> list[Person]:
    """Named characters of ``text``, aliases clustered, gender guessed.

    ``narration`` (spans outside quotes) is used for pronoun-based gender votes and for the
    person evidence; quotes still count as mentions.
    """
    occs = _occurrences(text, None)
    plain: Counter[str] = Counter()
    titled: Counter[tuple[str, str]] = Counter()
    evidence: Counter[str] = Counter()
    non_initial: Counter[str] = Counter()
    the_before: Counter[str] = Counter()
    tagged: Counter[str] = Counter()
    first_at: dict[str, int] = {}
    at: dict[str, list[int]] = defaultdict(list)
    for o in occs:
        after = text[o.end : o.end + 30]
        before = text[max(0, o.start - 20) : o.start]
        if o.hon:
            key = _hon_key(o.hon)
            if key in ("mr", "mrs", "ms", "miss", "dr", "mme", "mlle", "monsieur", "madame"):
                titled[(o.hon.rstrip(".") if o.hon.endswith(".") else o.hon, o.name)] += 1
            else:
                titled[(o.hon, o.name)] += 1
            continue
        plain[o.name] += 1
        first_at.setdefault(o.name, o.start)
        at[o.name].append(o.start)
        if not _sentence_initial(text, o.start):
            non_initial[o.name] += 1
        if re.search(r"\b(?:the|The)\s+$", before):
            the_before[o.name] += 1
        if _VERBISH.match(after):
            evidence[o.name] += 1
        tag = re.match(r"\s+([a-z]+)\b", after)
        if tag and tag.group(1) in SPEECH_VERBS:
            evidence[o.name] += 2
            tagged[o.name] += 1
        btag = re.search(r"\b([a-z]+)\s+$", before)
        if btag and btag.group(1) in SPEECH_VERBS:
            evidence[o.name] += 2
            tagged[o.name] += 1

    people: dict[str, Person] = {}

    def is_person(name: str) -> bool:
        toks = name.split()
        first = toks[0].lower()
        if first in STOP_CAPS:
            return False
        if the_before[name] * 2 > plain[name]:
            return False
        if name.isupper() and len(name) > 3:
            return False
        if first in FIRST_NAMES and plain[name] >= 1 and non_initial[name] + evidence[name] >= 1:
            return True
        return evidence[name] >= 2 and non_initial[name] >= 1 and plain[name] >= 2

    def full_is_person(name: str) -> bool:
        # "Marta Vidal pushed the door ... 'Two loaves,' Marta said": the full name comes
        # first and its first name alone is named in a speech tag, so both are a person.
        first = name.split()[0]
        return is_person(name) or (
            first.lower() not in HONORIFICS
            and first.lower() not in _RANKS
            and evidence[name] >= 1
            and tagged[first] >= 1
            and first_at[name] <= first_at.get(first, first_at[name])
        )

    full_names = [n for n in plain if len(n.split()) > 1 and full_is_person(n)]
    singles = [n for n in plain if len(n.split()) == 1]

    def add(key: str, name: str, count: int, gender: Gender = "unknown") -> Person:
        p = people.get(key)
        if p is None:
            p = Person(key, name, gender=gender)
            people[key] = p
        p.aliases.add(name)
        p.mentions += count
        if p.gender == "unknown":
            p.gender = gender
        return p

    by_first: dict[str, list[str]] = defaultdict(list)
    by_last: dict[str, list[str]] = defaultdict(list)
    for n in sorted(full_names, key=lambda n: -plain[n]):
        toks = n.split()
        g = FIRST_NAMES.get(toks[0].lower(), "unknown")
        add(n, n, plain[n], g)
        by_first[toks[0]].append(n)
        by_last[toks[-1]].append(n)

    alias_of: dict[str, str] = {}

    voted: dict[str, Gender] = {}

    def gender_of(key: str) -> Gender:
        p = people[key]
        if p.gender != "unknown":
            return p.gender
        if key not in voted:
            voted[key] = _pronoun_gender(text, p.aliases)
        return voted[key]

    # Titled forms: "Mr. Darcy", "Miss Roux", "Miss Elizabeth", "Lady Catherine de Bourgh".
    titled_keys: dict[tuple[str, str], str] = {}
    # Longer forms first, so "Sir William" can join "Sir William Lucas".
    for (hon, rest), cnt in sorted(titled.items(), key=lambda kv: (-len(kv[0][1].split()), -kv[1])):
        g = _hon_gender(hon)
        toks = rest.split()
        display = f"{hon}{'.' if _hon_key(hon) in ('mr', 'mrs', 'ms', 'dr') and not hon.endswith('.') else ''} {rest}"
        target: str | None = None
        longer = sorted(
            {k for (h, r), k in titled_keys.items() if h == hon and r.split()[0] == rest}
        )
        if rest in people:
            target = rest
        elif len(toks) == 1 and len(longer) == 1:
            target = longer[0]
        elif len(toks) == 1:
            firsts = [k for k in by_first.get(rest, []) if people[k].gender in (g, "unknown")]
            nick = NICKNAMES.get(rest.lower())
            if not firsts and nick and _hon_key(hon) not in _RANKS:
                firsts = [
                    k
                    for k in by_first.get(nick.capitalize(), [])
                    if people[k].gender in (g, "unknown") and not _ranked(people[k])
                ]
            # A surname with a title joins a full name only when the genders agree ("Mr.
            # Lind" is "Oskar Lind", not "Loo Lind").
            lasts = [k for k in by_last.get(rest, []) if gender_of(k) == g]
            if len(firsts) == 1:
                target = firsts[0]
            elif len(lasts) == 1 and g != "unknown" and len(by_last.get(rest, [])) == 1:
                target = lasts[0]
            elif rest in plain and g != "unknown" and FIRST_NAMES.get(rest.lower()) == g:
                target = rest  # "Miss Elizabeth" -> the single name "Elizabeth"
        else:
            # Longer form: "Lady Catherine de Bourgh" joins "Lady Catherine" if present.
            short = (hon, toks[0])
            if short in titled_keys:
                target = titled_keys[short]
        if target is not None:
            if target not in people:
                add(target, target, 0, g)
            p = add(target, people[target].name, cnt, g)
            p.aliases.add(display)
            titled_keys[(hon, rest)] = target
            alias_of[display] = target
            continue
        key = display
        tk = (hon, toks[0])
        if len(toks) > 1 and tk in titled_keys:
            key = titled_keys[tk]
        p = add(key, display if key == display else people[key].name, cnt, g)
        p.aliases.add(display)
        if len(toks) > 1 and len(display) > len(p.name):
            p.name = display
        titled_keys[(hon, rest)] = key
        alias_of[display] = key

    def _another(single: str, full: str) -> bool:
        """True when ``single`` names someone else than ``full`` ("Mary" and "Mary King").

        The reader knew ``single`` well before ``full`` first appeared, ``full`` is rare
        beside it, and ``full``'s surname is no family's of the cast (a "Jane" met long
        before "Jane Bennet" is still a Bennet when a Mr. Bennet is about).
        """
        toks = full.split()
        if single.lower() in HONORIFICS or single.lower() in _RANKS:
            return False  # "Doctor" alone is the one Doctor Mandelet
        if full not in first_at or plain[single] < 5 * max(plain[full], 1):
            return False
        early = bisect.bisect_left(at[single], first_at[full])
        if early < 10:
            return False
        surname = toks[-1]
        family = {
            k for (h, r), k in titled_keys.items() if r.split()[-1] == surname and k != full
        } | {k for k in by_last.get(surname, []) if k != full}
        return not family

    # Single names: first names of full names, surnames of titled forms, or their own person.
    surname_titled: dict[str, list[str]] = defaultdict(list)
    for (hon, rest), key in titled_keys.items():
        surname_titled[rest.split()[-1]].append(key)
    for n in sorted(singles, key=lambda n: -plain[n]):
        if n in people:
            continue
        cands = by_first.get(n, [])
        if cands and _another(n, cands[0]):
            cands = []
        nick = NICKNAMES.get(n.lower())
        if not cands and nick:
            # A pet name is not used for someone known by a rank ("Kitty" is not "Lady
            # Catherine").
            full = [k for k in by_first.get(nick.capitalize(), []) if not _ranked(people[k])]
            if plain[nick.capitalize()] >= 3 and nick.capitalize() in people:
                full.append(nick.capitalize())
            if full:
                cands = sorted(set(full), key=lambda k: -people[k].mentions)
        if cands:
            add(cands[0], people[cands[0]].name, plain[n]).aliases.add(n)
            alias_of[n] = cands[0]
            continue
        tks = sorted(set(surname_titled.get(n, [])))
        if tks:
            males = sorted(
                (k for k in tks if people[k].gender == "male"), key=lambda k: -people[k].mentions
            )
            pick = tks[0] if len(tks) == 1 else None
            if (
                pick is None
                and males
                and (len(males) == 1 or people[males[0]].mentions >= 3 * people[males[1]].mentions)
            ):
                pick = males[0]
            if pick is not None:
                add(pick, people[pick].name, plain[n]).aliases.add(n)
                alias_of[n] = pick
            continue
        lasts = by_last.get(n, [])
        if len(lasts) == 1:
            add(lasts[0], people[lasts[0]].name, plain[n]).aliases.add(n)
            continue
        if lasts:
            continue
        if is_person(n):
            add(n, n, plain[n], FIRST_NAMES.get(n.lower(), "unknown"))
    _vote_gender(text, people)
    return list(people.values())


_PRON = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
_STOP_SENT = re.compile(r"[.!?;\"\u201c\u201d]")


def _vote_gender(text: str, people: dict[str, Person]) -> None:
    """Gender from the first pronoun after each plain mention, for people still unknown."""
    for p in people.values():
        if p.gender == "unknown":
            p.gender = _pronoun_gender(text, p.aliases)


def _pronoun_gender(text: str, aliases: set[str]) -> Gender:
    """The gender of the pronouns that follow the names in ``aliases`` within a sentence."""
    votes: Counter[str] = Counter()
    names = sorted(aliases, key=len, reverse=True)
    pat = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in names) + r")(?!\w)")
    for n, m in enumerate(pat.finditer(text)):
        if n > 200:
            break
        window = text[m.end() : m.end() + 80]
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
