"""Finding characters in a text: names, honorific forms, aliases and gender.

The cast is found from the text alone: capitalised name sequences that behave like people
(titled, named in a speech tag, followed by a verb, a known first name), clustered so that
``Léa Roux``, ``Léa`` and ``Miss Roux`` are one person while ``Mr. Bennet`` and
``Mrs. Bennet`` stay two.
"""

from __future__ import annotations

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
        if not _sentence_initial(text, o.start):
            non_initial[o.name] += 1
        if re.search(r"\b(?:the|The)\s+$", before):
            the_before[o.name] += 1
        if _VERBISH.match(after):
            evidence[o.name] += 1
        tag = re.match(r"\s+([a-z]+)\b", after)
        if tag and tag.group(1) in SPEECH_VERBS:
            evidence[o.name] += 2
        btag = re.search(r"\b([a-z]+)\s+$", before)
        if btag and btag.group(1) in SPEECH_VERBS:
            evidence[o.name] += 2

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

    full_names = [n for n in plain if len(n.split()) > 1 and is_person(n)]
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
    # Titled forms: "Mr. Darcy", "Miss Roux", "Miss Elizabeth", "Lady Catherine de Bourgh".
    titled_keys: dict[tuple[str, str], str] = {}
    for (hon, rest), cnt in sorted(titled.items(), key=lambda kv: -kv[1]):
        g = _hon_gender(hon)
        toks = rest.split()
        display = f"{hon}{'.' if _hon_key(hon) in ('mr', 'mrs', 'ms', 'dr') and not hon.endswith('.') else ''} {rest}"
        target: str | None = None
        if rest in people:
            target = rest
        elif len(toks) == 1:
            firsts = [k for k in by_first.get(rest, []) if people[k].gender in (g, "unknown")]
            lasts = [k for k in by_last.get(rest, []) if people[k].gender in (g, "unknown")]
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

    # Single names: first names of full names, surnames of titled forms, or their own person.
    surname_titled: dict[str, list[str]] = defaultdict(list)
    for (hon, rest), key in titled_keys.items():
        surname_titled[rest.split()[-1]].append(key)
    for n in sorted(singles, key=lambda n: -plain[n]):
        if n in people:
            continue
        cands = by_first.get(n, [])
        if cands and plain[n] > 5 * plain[cands[0]] and plain[cands[0]] >= 3:
            cands = []  # "Mary" far more common than "Mary King": another Mary
        nick = NICKNAMES.get(n.lower())
        if not cands and nick:
            full = [k for k in by_first.get(nick.capitalize(), [])]
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
    unknown = [p for p in people.values() if p.gender == "unknown"]
    if not unknown:
        return
    for p in unknown:
        votes: Counter[str] = Counter()
        names = sorted(p.aliases, key=len, reverse=True)
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
            p.gender = "male"
        elif votes["female"] >= 2 * votes["male"] + 1:
            p.gender = "female"
