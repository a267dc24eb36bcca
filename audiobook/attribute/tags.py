"""Speech tags: the narration around a quote that names who speaks.

After the quote (``," said Ralph``, ``," Ralph said``), before it (``Ralph said, "``), a clause
that ends in a speech verb (``Mr. Ashby, worried by her pallor, said more softly:``), a
narration paragraph that leads into the next one (``Olga said,``), and inside the
quote: a self-introduction (``I'm Nina``) names the speaker, a vocative names the listener.
The subject of a tag is a name, a pronoun or a description, resolved to a person here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audiobook.attribute.conversation import Conversation
from audiobook.attribute.lexicon import (
    ADDRESS_TITLES,
    PARENTHESIS_VERBS,
    PERSON_NOUNS,
    RANKS,
    SPEECH_VERBS,
)
from audiobook.attribute.mentions import Mentions
from audiobook.attribute.patterns import (
    AFTER_BY,
    AFTER_OF,
    AFTER_OWN,
    AFTER_POSS,
    AFTER_SV,
    AFTER_VS,
    BEFORE_AGENT,
    BEFORE_SV,
    CAPTOK,
    CLAUSE_CUT,
    CLAUSE_VERB,
    NAME,
    NOT_AFTER_TITLE,
    NOUNS,
    OBJ_BEFORE,
    OBJ_NOT_AND,
    PRONOUNS,
    SELF_INTRO,
    VOC_PRE,
)
from audiobook.model import NARRATOR, Gender
from audiobook.segment import Paragraph, Quote

__all__ = ["Pick", "Tags"]

_DETERMINERS = ("the", "his", "her", "my", "their", "our", "this", "that", "a", "an")
_VOCATIVE = re.compile(
    rf"{VOC_PRE}(?P<n>{NAME})(?=\s*[,!?.;\u2014\u2013\"\u201d]|['\u2019](?!s\b)|\s*$)"
)
_OWNER_PRONOUN = {"my": "I", "his": "he", "her": "she"}
"""A possessive pronoun as the subject it stands for ("was my reply": I replied)."""
_AUX = (
    r"(?:is|was|are|were|has|have|had|do|does|did|will|would|can|could|must|may|might|"
    r"shall|should)"
)
_INSERT = rf"(?:(?!\b{_AUX}\b)[^,.!?;:\"\u201c\u201d])"
"""A character of a phrase set off by commas: no auxiliary verb starts in it ("the carriage
is here" is a clause, no phrase)."""
_NOT_ADDRESSED = re.compile(
    r",\s*(?:who|whose|whom|which|(?:I|you|we|they|people)\s+(?:dare\s+)?"
    rf"(?:{'|'.join(PARENTHESIS_VERBS)})s?\s*,|"
    rf"(?:with|in|at|from|like|after|the|his|her|their|a|an)\s{_INSERT}{{1,60}}"
    rf"(?:,{_INSERT}{{1,40}}){{0,2}},\s*(?:{_AUX}|knows?|seems?|[a-z]{{3,}}ed)\b"
    r"(?!\s+(?:I|you|we|he|she|they|it|not\s+(?:you|we|I))\b))"
)
"""After a name, what makes it the subject rather than the person spoken to: a relative
clause ("Mr. Pell, whose house you know"), a parenthesis ("Mr. Pell, I suppose, is") or a
phrase set off by commas before a verb ("Pell, with his bad leg, is", "Pell, the banker,
has")."""
_THE_DESC = re.compile(rf"\b[Tt]he\s+(?:[a-z-]+\s+){{0,2}}?({CAPTOK}|{NOUNS})\b")
_PRONOUN = re.compile(r"\b(he|she|He|She|I)\b")
_KIN_TITLES = {
    "wife": ("Mrs", "Madame", "Mme", "Lady"),
    "lady": ("Mrs", "Madame", "Mme", "Lady"),
    "mother": ("Mrs", "Madame", "Mme", "Lady"),
    "husband": ("Mr", "Monsieur", "Sir"),
    "father": ("Mr", "Monsieur", "Sir"),
}
"""Kin a possessive names ("her mother"), and the titles the relative bears with the
family's surname."""
_PLAIN_PERSON = frozenset(
    ["man", "woman", "girl", "boy", "lady", "gentleman", "fellow", "youth", "maiden", "lad"]
)
"""Nouns that say only sex and age: a known character may be described by them."""
_ABBREVIATED = frozenset(["mr", "mrs", "ms", "mlle", "mme", "dr"])
"""Titles written short, never a name on their own."""
_RELATIVE = frozenset(
    ["one", "same", "first", "second", "third", "last", "elder", "younger", "eldest",
     "youngest", "rest", "others", "two", "three", "both"]
)  # fmt: skip
"""Words after "the" that point at someone by their place among others, no name of one."""
_UNKNOWN_ONES = frozenset(["stranger", "newcomer"])
"""Nouns that say the narration does not know who one is."""
_GERUND_OWNER = re.compile(
    rf"(?<![\w.])(?P<n>{NAME})['\u2019]s\s+[a-z]{{2,}}ing\s+"
    r"(?:a|an|the|his|her|their|its|him|them|me|us|it|that|to|up|out|down|away|back)\b"
)
"""A possessive before a gerund with its object is the gerund's subject: "without Mr.
Pell's giving a sigh, and saying," is Mr. Pell saying ("Mr. Pell's wedding" is no
gerund)."""
_SPOKE_UP = re.compile(
    rf"(?:^|{NOT_AFTER_TITLE}[.!?;]\s+)"
    rf"(?P<who>{NAME}|He|She)(?:(?:,[^,.!?;]{{1,80}}){{1,2}},)?\s+(?:[a-z]+ly\s+)?"
    r"(?:spoke|answered|replied|began)(?:\s+(?:now|again|first|next|at\s+last|then))?\.\s*$"
)
"""The last sentence of a narration paragraph: someone speaks, and nothing more."""
_ORDINALS = frozenset(["first", "second", "third", "fourth", "fifth"])
"""Adjectives that tell apart people of the same trade ("the second policeman")."""


@dataclass
class Pick:
    """A speaker chosen for a quote."""

    speaker: str
    evidence: str
    """The rule that chose it."""
    confidence: float
    runner_up: str | None = None


def _named_alone(inner: str, m: re.Match[str]) -> bool:
    """A name standing as a whole sentence that ends in a full stop ("Pell." in answer
    to "Who has the house?") is said, not called (but see :meth:`Tags._quiet_call`)."""
    before = inner[m.start() : m.start("n")].strip()
    return (not before or before[-1] in ".!?") and inner[m.end() : m.end() + 1] == "."


def _whole(inner: str, m: re.Match[str]) -> bool:
    """The name and its full stop are all the quote says ("Ralph.")."""
    return not inner[: m.start("n")].strip() and not inner[m.end() + 1 :].strip(
        "\"\u201d\u2019' \n"
    )


def _gender(word: str) -> Gender:
    return "male" if PRONOUNS[word] == "male" else "female"


class Tags:
    """Reads speech tags around quotes; resolves their subjects through the mentions."""

    def __init__(self, mentions: Mentions) -> None:
        self.m = mentions
        self.text = mentions.text
        self.cast = mentions.cast
        self.answers: set[int] = set()
        """Starts of the quotes that follow a spoken question, or a line that speaks of a name."""

    def resolve_who(
        self, who: str, pos: int, conv: Conversation, exclude: set[str]
    ) -> tuple[str | None, str, float]:
        """A speaker id for the subject of a speech tag, with evidence and confidence."""
        w = re.sub(r"['\u2019]s$", "", who.strip())  # "Miss Tovey's saying" is Miss Tovey
        lw = w.lower()
        if w == "I" or w.endswith(" I"):
            # "Whereupon I said": a capitalised word before "I" is no part of a name.
            return NARRATOR, "explicit-tag", 0.95
        if lw in PRONOUNS:
            return self.m.resolve_gender(_gender(lw), pos, conv, exclude), "pronoun-tag", 0.8
        if lw.split()[0] in _DETERMINERS:
            return self._description(w, pos, conv, exclude)
        if len(w.split()) == 1 and w.rstrip(".").lower() in _ABBREVIATED:
            titled = self._titled_before(w.rstrip(".").lower(), pos, conv)
            if titled is not None:
                return titled, "explicit-tag", 0.9
        if w.lower() in ADDRESS_TITLES and w not in self.cast.alias:
            only = self._only_titled(w.lower())
            if only is not None:
                return only, "explicit-tag", 0.9
        pid = self.cast.lookup(w, force=True)
        if pid is None:
            return None, "explicit-tag", 0.0
        return pid, "explicit-tag", 0.97

    def _only_titled(self, title: str) -> str | None:
        """The one person of the cast who bears ``title`` ("said Madame" when the
        cast has one Madame Bassi, and others named once or twice); None when several
        or nobody do."""
        found = sorted(
            (
                p
                for p in self.cast.people.values()
                if any(" " in a and a.split()[0].lower() == title for a in p.aliases)
            ),
            key=lambda p: -p.mentions,
        )
        if not found or found[0].mentions < 5:
            return None
        return found[0].key if found[0].mentions >= 4 * sum(p.mentions for p in found[1:]) else None

    def _titled_before(self, title: str, pos: int, conv: Conversation) -> str | None:
        """A bare abbreviated title in a tag ("said Mme.") is the person of that title
        named last ("Madame" alone may be how the text names someone)."""
        for m in self.m.between(max(conv.chapter_start, pos - 6000), pos):
            p = self.cast.people.get(m.pid)
            if p is not None and any(
                a.split()[0].rstrip(".").lower() == title for a in p.aliases if " " in a
            ):
                return m.pid
        return None

    def _description(
        self, w: str, pos: int, conv: Conversation, exclude: set[str]
    ) -> tuple[str | None, str, float]:
        """The subject is a description: "the Tinker", "his wife", "the old man"."""
        first = w.split()[0].lower()
        noun = w.split()[-1]
        if noun[0].isupper() and first in ("the", "this", "that"):
            # "the gallant Mr. Ashby": a known name behind the adjectives is that person.
            name = re.sub(r"^(?:\S+\s+)(?:[a-z-]+\s+)*", "", w)
            known = self.cast.lookup(name, create=False)
            if known is not None and name[0].isupper():
                return known, "explicit-tag", 0.95
            return self.cast.describe(w), "explicit-tag", 0.9
        if first in ("his", "her") and noun in _KIN_TITLES:
            pid = self._spouse(first, pos, conv, noun)
            if pid:
                return pid, "description-tag", 0.7
        if first in ("his", "her") and len(w.split()) == 2:
            kin = self._relative(first, noun.lower(), pos, conv, exclude)
            if kin is not None:
                return kin, "description-tag", 0.6
        if first in ("a", "an") and noun.lower() in PERSON_NOUNS:
            # "said a voice", "cried a young man", "said a Voice" (capitalised, as for one
            # unseen): someone not met before, no one known.
            return self.cast.describe(w), "description-tag", 0.6
        ordinal = [x for x in w.split()[1:-1] if x in _ORDINALS]
        if first == "the" and ordinal and noun in PERSON_NOUNS:
            # "the second policeman": one of two of a trade, each a person of their own.
            desc = f"the {ordinal[-1]} {noun}"
            return self.cast.describe(desc, merge=False), "description-tag", 0.8
        bound = self.m.bound(noun.lower(), pos, conv.chapter_start)
        known_one = self._named_in_exchange(w, pos, bound, conv, exclude)
        if known_one is not None:
            return known_one, "description-tag", 0.75
        if bound and bound not in exclude:
            return bound, "description-tag", 0.8
        last = conv.last_speaker()
        if w.lower() == "the other" and last is not None:
            # "returned the other": the one of the exchange who did not speak last.
            other = conv.other(last)
            return other, "description-tag", 0.75
        if w.lower() in ("the latter", "the former"):
            # The last (or the one before) of the people just named.
            named = list(dict.fromkeys(m.pid for m in self.m.between(conv.para_start, pos)))
            k = 0 if w.lower() == "the latter" else 1
            return (named[k] if len(named) > k else None), "description-tag", 0.8
        if "same" in w.lower().split() and last is not None:
            return last, "description-tag", 0.8  # "said the same speaker": the last one
        if noun.lower() in _RELATIVE or (
            noun.lower() == "speaker" and any(x.lower() in _RELATIVE for x in w.split())
        ):
            return None, "description-tag", 0.0  # "the other two", "the first speaker"
        if first == "the" and noun in _UNKNOWN_ONES:
            # "said the stranger": one the narration does not name, never someone it does.
            return self.cast.describe(f"the {noun}"), "description-tag", 0.8
        if first == "the" and noun in RANKS and noun not in _PLAIN_PERSON:
            return self._rank(noun, pos, conv, exclude)
        if first == "the" and noun.lower() not in PERSON_NOUNS and noun.islower():
            # "the croupier", "the mariner": a person known by that word alone.
            return self.cast.describe(w), "description-tag", 0.85
        g = PERSON_NOUNS.get(noun.lower(), "unknown")
        pid = self.m.resolve_gender(g, pos, conv, exclude, far=False)
        if pid is None and first == "the" and self.m.first_person:
            # "said the tall man" and no man about: someone new, not the teller.
            return self.cast.describe(w), "description-tag", 0.55
        return pid, "description-tag", 0.55

    def _rank(
        self, noun: str, pos: int, conv: Conversation, exclude: set[str]
    ) -> tuple[str | None, str, float]:
        """ "cried the duchess", "said the colonel": a rank is the person of the cast who
        bears it (the one the book already calls "the General", the last of that rank
        named, or the one of the book), else a person of their own; never someone of another
        rank or none, as "she" or "he" would be."""
        known = self.cast.alias.get(f"the {noun.capitalize()}") or self.cast.alias.get(
            f"the {noun}"
        )
        if known is not None and known not in exclude:
            return known, "description-tag", 0.8
        titled = self._titled_before(noun, pos, conv) or self._only_titled(noun)
        if titled is not None and titled not in exclude:
            return titled, "description-tag", 0.8
        return self.cast.describe(f"the {noun}"), "description-tag", 0.8

    def _named_in_exchange(
        self, w: str, pos: int, bound: str | None, conv: Conversation, exclude: set[str]
    ) -> str | None:
        """ "said the young man" in an exchange where a named man speaks and no unnamed
        one has: the narration describing a known character (not a stranger, who would be
        one of the exchange once he has spoken)."""
        noun = w.split()[-1].lower()
        after = self.text[pos + len(w) : pos + len(w) + 8]
        if noun not in _PLAIN_PERSON or re.match(r"\s+(?:with|in|of|at|from|who)\b", after):
            return None  # "the cabman", "the man with the beard": someone in particular
        g = PERSON_NOUNS.get(noun)
        if g is None or g == "unknown":
            return None
        parts = [p for p in conv.participants() if p not in exclude and p != NARRATOR]
        if bound is not None and bound in parts:
            return None
        if bound is not None and not self.cast.people[bound].described:
            return None
        fit = [p for p in parts if self.cast.gender(p) == g]
        if not fit:
            return None
        # Two of the exchange fit ("the girl" and her mother): as for "she", the one
        # answering the last line, or taking up the talk after narration.
        one = self.m.among(fit, conv)
        return None if self.cast.people[one].described else one

    def _relative(
        self, poss: str, noun: str, pos: int, conv: Conversation, exclude: set[str]
    ) -> str | None:
        """ "said her aunt", "cried his brother": the one of the cast who bears that word as
        a title ("Aunt Ida"), else someone of the noun's gender who is not the owner of
        "his" or "her" (the person talked about): never "she" herself."""
        g = PERSON_NOUNS.get(noun)
        if g is None or g == "unknown":
            return None
        titled = self._titled_before(noun, pos, conv) or self._only_titled(noun)
        if titled is not None and titled not in exclude:
            return titled
        owner_g: Gender = "male" if poss == "his" else "female"
        # The owner is the one called in the line ("'Ida,' cried her mother"), else the one
        # just heard ("'No,' said Ida. / 'Yes,' said her mother").
        called = [p for p in exclude if self.cast.gender(p) == owner_g]
        heard = [p for p in conv.participants() if p not in exclude]
        owner = next(
            (
                p
                for p in (called if len(called) == 1 else []) + heard
                if self.cast.gender(p) == owner_g
            ),
            None,
        )
        if owner is None or owner == NARRATOR:
            return None
        return self.m.resolve_gender(g, pos, conv, exclude | {owner})

    def _spouse(self, poss: str, pos: int, conv: Conversation, noun: str) -> str | None:
        """ "his wife", "her mother": the Mrs. (or Mr.) of the surname of the person last
        talked about."""
        owner_g: Gender = "male" if poss == "his" else "female"
        owner = self.m.resolve_gender(owner_g, pos, conv, set())
        if owner is None or owner == NARRATOR:
            return None
        p = self.cast.people[owner]
        want = _KIN_TITLES[noun]
        surname = p.name.split()[-1]
        parent = noun in ("mother", "father")
        for other in self.cast.people.values():
            for a in other.aliases:
                t = a.split()
                # A parent is the head of the family: "Mrs. Pell" itself, no first name.
                if len(t) < 2 or t[0].rstrip(".") not in want or t[-1] != surname:
                    continue
                if parent and len(t) != 2:
                    continue
                if other.key == owner:
                    if parent:
                        return None  # the owner is that parent: "his" was someone else
                    continue
                return other.key
        return None

    def vocatives(self, q: Quote) -> set[str]:
        """People addressed by name inside the quote ("Good morning, Hugo!")."""
        out: set[str] = set()
        for name in self.vocative_names(q):
            pid = self.cast.lookup(name, create=False)
            if pid:
                out.add(pid)
        return out

    def vocative_names(self, q: Quote) -> list[str]:
        """The names addressed inside the quote, as written."""
        inner = self.text[q.start : q.end].lstrip("\"\u201c\u2018\u00ab'\u2014\u2013- ")
        return [
            m.group("n")
            for m in _VOCATIVE.finditer(inner)
            if not _NOT_ADDRESSED.match(inner, m.end())
            and m.group("n").rstrip(".").lower() not in _ABBREVIATED
            and not (_named_alone(inner, m) and not self._quiet_call(q, inner, m))
        ]

    def _quiet_call(self, q: Quote, inner: str, m: re.Match[str]) -> bool:
        """A line that is nothing but a person's name and a full stop ("Ralph.") is a quiet
        call, as modern dialogue writes it, unless the line before asked something (then it
        answers) or the name is in capitals (a letter's signature)."""
        n = m.group("n")
        return (
            _whole(inner, m)
            and q.start not in self.answers
            and not n.isupper()
            and self.cast.lookup(n, create=False) is not None
        )

    def self_intro(self, q: Quote) -> str | None:
        """The speaker names themself: "I'm Nina"."""
        m = SELF_INTRO.search(self.text, q.start, q.end)
        if not m:
            return None
        return self.cast.lookup(m.group("n"), create=False)

    def tag(self, q: Quote, para: Paragraph, quotes: list[Quote], k: int, conv: Conversation) -> Pick | None:  # fmt: skip
        """An explicit or pronoun tag right after or right before the quote."""
        text = self.text
        exclude = self.vocatives(q)
        # A tag after a speech of three paragraphs or more is too far from its start to
        # name its speaker (often a quote inside the speech, closed by a stray mark).
        long_speech = q.last_para > q.para + 1
        after_pick = None if long_speech else self._after(q, quotes, k, conv, exclude)
        prev_end = quotes[k - 1].end if k > 0 and quotes[k - 1].last_para == q.para else para.start
        before = text[max(prev_end, q.start - 200) : q.start]
        # A tag before the quote that leads into it ("When Ralph said, 'X,' she answered")
        # outranks one after it, which then belongs to the next quote.
        leads = bool(re.search(r"[,:\u2014\u2013-]\s*$", before))
        if after_pick is not None and not leads:
            return after_pick
        before_pick: Pick | None = None
        bm = BEFORE_SV.search(before)
        who_last = bm.group("who").split()[-1] if bm else ""
        if bm and ";" in bm.group("rest") and who_last[0].isupper() and who_last != "I":
            bm = None  # "agreed to all that Ann Lee said; "..."": Ann Lee's clause ended
        if bm and not re.search(r"[.!?]\s*$", before):
            pos = q.start - len(before) + bm.start("who")
            pid, ev, conf = self.resolve_who(bm.group("who"), pos, conv, exclude)
            if pid is not None:
                before_pick = Pick(pid, ev, conf * 0.95)
        if before_pick is None and prev_end > para.start:
            before_pick = self._between(prev_end, q.start, conv, exclude)
        if before_pick is None:
            before_pick = self._agent(before, q.start, exclude)
        if before_pick is None:
            before_pick = self.clause_tag(max(prev_end, q.start - 300), q.start, conv, exclude)
        return before_pick or after_pick

    def _between(self, a: int, b: int, conv: Conversation, exclude: set[str]) -> Pick | None:
        """The text between two quotes of a paragraph is nothing but a tag with a name that
        leads on (``"Oh no," returned Mrs. Dunn, "I was thinking."``): she says both."""
        gap = self.text[a:b]
        m = AFTER_VS.match(gap) or AFTER_SV.match(gap)
        if m is None or not re.fullmatch(
            r"[^.!?;\"\u201c\u201d]*?,\s*[\u2014\u2013-]*\s*", gap[m.end() :]
        ):
            return None
        who = m.group("who")
        if who.lower() in PRONOUNS or who == "I" or who.split()[0].lower() in _DETERMINERS:
            return None  # a pronoun or a description: the first quote's reading stands
        pid, ev, conf = self.resolve_who(who, a + m.start("who"), conv, exclude)
        return None if pid is None else Pick(pid, ev, conf)

    def _after(
        self, q: Quote, quotes: list[Quote], k: int, conv: Conversation, exclude: set[str]
    ) -> Pick | None:
        """A tag right after the quote, up to the next quote of its paragraph."""
        text = self.text
        nxt = (
            quotes[k + 1].start
            if k + 1 < len(quotes) and quotes[k + 1].para == q.last_para
            else None
        )
        after = text[q.end : nxt if nxt is not None else conv.paras[q.last_para].end]
        quote_end = text[max(q.start, q.end - 3) : q.end]
        m = AFTER_VS.match(after) or AFTER_SV.match(after)
        if not m:
            pm = (
                AFTER_POSS.match(after)
                or AFTER_OF.match(after)
                or AFTER_BY.match(after)
                or AFTER_OWN.match(after)
            )
            if pm is None:
                return None
            pos = q.end + pm.start("who")
            who = _OWNER_PRONOUN.get(pm.group("who"), pm.group("who"))
            pid, ev, conf = self.resolve_who(who, pos, conv, exclude)
            return None if pid is None else Pick(pid, ev, conf * 0.9)
        verb = m.group("verb")
        if verb not in SPEECH_VERBS and not re.search(r"[,!?\u2014-]", quote_end):
            return None
        first = m.group("who").split()[0]
        if "." in quote_end and first in ("The", "He", "She", "A", "An", "His", "Her"):
            return None  # '"... for years." The old sailor nodded': a new sentence, no tag
        named = first[0].isupper() and first not in ("He", "She", "I")
        if (
            named
            and verb in ("began", "continued")
            and re.match(r"\s+to\s+[a-z]", after[m.end() :])
        ):
            return None  # '"... Monday!" Ralph Reed began to wish': an action, no tag
        pid, ev, conf = self.resolve_who(m.group("who"), q.end + m.start("who"), conv, exclude)
        if pid is None:
            return None
        return Pick(pid, ev, conf if verb in SPEECH_VERBS else conf * 0.85)

    def _agent(self, before: str, end: int, exclude: set[str]) -> Pick | None:
        """``Ralph's answer was--`` or ``accosted by Ralph,`` just before a quote: Ralph."""
        am = BEFORE_AGENT.search(before)
        if am is None:
            return None
        pid = self.cast.lookup(am.group("who") or am.group("by"), create=False)
        if pid is None or pid in exclude:
            return None
        return Pick(pid, "explicit-tag", 0.9)

    def clause_tag(self, a: int, b: int, conv: Conversation, exclude: set[str]) -> Pick | None:
        """Narration ending in a speech verb introduces the quote at ``b``; its subject
        speaks: "Mr. Ashby, worried by her pallor, said more softly:", "the Tinker held out the
        kettle, saying"."""
        text = self.text
        before = text[a:b]
        vm = CLAUSE_VERB.search(before)
        if vm is None:
            return None
        if re.search(r"\b(?:he|she|I|they|we)\b", vm.group("tail"), re.IGNORECASE):
            return None  # another clause with its own subject follows the verb
        verb_at = a + vm.start()
        for m in self.m.between(a + vm.end(), b):
            if not OBJ_BEFORE.search(text[max(a, m.start - 20) : m.start]):
                return None  # "said Ralph," is a tag of its own, handled elsewhere
        cut = [a] + [a + m.end() for m in CLAUSE_CUT.finditer(before[: vm.start()])]
        cands = self._clause_subjects(cut[-1], verb_at, conv, exclude)
        for gm in _GERUND_OWNER.finditer(text, cut[-1], verb_at):
            pid = self.cast.lookup(gm.group("n"), create=False)
            if pid is not None and pid not in exclude:
                cands.append((gm.start(), pid))
        if not cands:
            return None
        return Pick(max(cands)[1], "clause-tag", 0.8)

    def _clause_subjects(
        self, lo: int, hi: int, conv: Conversation, exclude: set[str]
    ) -> list[tuple[int, str]]:
        """(position, person) of the names, pronouns and descriptions in ``[lo, hi)`` that
        are not objects."""
        text = self.text
        cands: list[tuple[int, str]] = []
        for m in self.m.between(lo, hi):
            pre = text[max(lo, m.start - 20) : m.start]
            post = text[m.end : m.end + 3]
            if m.pid in exclude or OBJ_NOT_AND.search(pre) or re.match(r"['\u2019]s\b", post):
                continue
            cands.append((m.start, m.pid))
        # Slices, not finditer(pos): a word cut at ``lo`` still starts at a boundary.
        for pm in _PRONOUN.finditer(text[lo:hi]):
            w = pm.group(1).lower()
            at = lo + pm.start()
            if OBJ_NOT_AND.search(text[max(lo, at - 20) : at]):
                continue
            if w == "i":
                if self.m.first_person:
                    cands.append((at, NARRATOR))
                continue
            pid = self.m.resolve_gender(_gender(w), at, conv, exclude)
            if pid is not None:
                cands.append((at, pid))
        for dm in _THE_DESC.finditer(text[lo:hi]):
            at = lo + dm.start()
            if OBJ_NOT_AND.search(text[max(lo, at - 20) : at]):
                continue
            word = dm.group(1)
            pid2: str | None
            if word[0].isupper():
                pid2 = self.cast.alias.get("the " + word) or self.cast.alias.get(
                    "the " + " ".join(dm.group(0).split()[1:])
                )
            else:
                pid2 = self.m.bound(word.lower(), at, conv.chapter_start)
            if pid2 is not None and pid2 not in exclude:
                cands.append((at, pid2))
        return cands

    def _named_after_quotes(self, prev: Paragraph, vocs: set[str]) -> Pick | None:
        """A paragraph with quotes of its own that ends in a clause leading on, with a named
        subject after its last quote ("... such an "everything"; and, to fill the pause,
        Nina Lee turned the talk with--"): that person says the next quote."""
        body = self.text[prev.start : prev.end]
        # The end of its last quote: a closing double mark, or a single one not inside a word
        # (an apostrophe is: "don't"); none found, no guess.
        closes = [m.end() for m in re.finditer(r"[\"\u201d]|['\u2019](?!\w)", body)]
        if not closes:
            return None
        a = prev.start + closes[-1]
        rest = self.text[a : prev.end]
        if AFTER_VS.match(rest) or AFTER_SV.match(rest):
            return None  # the last quote's own tag, cut off by a dash ("said Ralph--")
        cuts = [a] + [a + m.end() for m in CLAUSE_CUT.finditer(rest)]
        for m in self.m.between(cuts[-1], prev.end):
            before = self.text[max(cuts[-1], m.start - 20) : m.start]
            if m.pid not in vocs and not OBJ_BEFORE.search(before):
                return Pick(m.pid, "lead-in", 0.75)
        return None

    def _spoke_up(
        self, tail: str, prev: Paragraph, conv: Conversation, vocs: set[str]
    ) -> Pick | None:
        """A narration paragraph ending "Miss Dunn, who had said nothing, spoke now." or
        "Ralph answered." leads into the next quote: its subject says it."""
        m = _SPOKE_UP.search(tail)
        if m is None or (m.start() == 0 and prev.end - len(tail) > prev.start):
            return None  # the sentence starts before the piece read: its subject is unseen
        who = m.group("who")
        if who not in ("He", "She") and self.cast.lookup(who, False, force=True) is None:
            return None  # "Nobody answered.", "Dinner began.": no one of the cast
        pos = prev.end - len(tail) + m.start("who")
        pid, _, conf = self.resolve_who(who, pos, conv, vocs)
        return None if pid is None or pid in vocs else Pick(pid, "lead-in", conf * 0.8)

    def lead_in(
        self, prev: Paragraph, by_para: dict[int, list[int]], conv: Conversation, vocs: set[str]
    ) -> Pick | None:
        """A narration paragraph ending in ``Olga said,`` introduces the next quote."""
        tail = self.text[max(prev.start, prev.end - 200) : prev.end]
        if not re.search(r"[,:\u2014\u2013-]\s*$", tail):
            return self._spoke_up(tail, prev, conv, vocs) if prev.index not in by_para else None
        if prev.index in by_para:
            return self._named_after_quotes(prev, vocs)
        agent = self._agent(tail, prev.end, vocs)
        if agent is not None:
            return agent
        bm = BEFORE_SV.search(tail)
        if bm:
            pos = prev.end - len(tail) + bm.start("who")
            saved = conv.para_start
            conv.para_start = prev.start
            pid, ev, conf = self.resolve_who(bm.group("who"), pos, conv, vocs)
            conv.para_start = saved
            if pid is not None:
                return Pick(pid, ev, conf * 0.95)
        # The subject of the last clause that has one: "Mr. Dunn, much annoyed, put
        # down his paper, and said," / "Miss Ashby saw this; and, in a temper, said,".
        body = self.text[prev.start : prev.end]
        cuts = [prev.start] + [prev.start + m.end() for m in CLAUSE_CUT.finditer(body)]
        ends = cuts[1:] + [prev.end]
        for a, b in reversed(list(zip(cuts, ends, strict=True))):
            named = [
                (m.start, m.pid)
                for m in self.m.between(a, b)
                if m.pid not in vocs
                and not OBJ_BEFORE.search(self.text[max(a, m.start - 20) : m.start])
            ]
            if named:
                # A name outranks a pronoun of a clause before it: "As he complained to
                # Ralph Reed, Nina Lee seized the moment for asking," is Nina Lee.
                return Pick(min(named)[1], "lead-in", 0.75)
            cands: list[tuple[int, str]] = []
            for pm in _PRONOUN.finditer(self.text[a:b]):
                w = pm.group(1).lower()
                at = a + pm.start()
                if w == "i":
                    if self.m.first_person:
                        cands.append((at, NARRATOR))
                    continue
                pid = self.m.resolve_gender(_gender(w), at, conv, vocs)
                if pid is not None:
                    cands.append((at, pid))
            if cands:
                return Pick(min(cands)[1], "lead-in", 0.75)
        return None
