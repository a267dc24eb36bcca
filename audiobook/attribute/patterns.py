"""Regular expressions of attribution, built in one place from the word lists.

Names (a capitalised token, titled names), descriptions ("the old man"), speech tags in
their three orders (``said Ralph``, ``Ralph said`` after a quote, ``Ralph said,`` before one),
clause boundaries and the contexts that make a name an object rather than a subject.
"""

from __future__ import annotations

import re

from audiobook.attribute.lexicon import (
    AFTER_NAME,
    DOT_OPTIONAL,
    HONORIFICS,
    NOUN_PHRASE_ENDS,
    OBJECT_TAKERS,
    PARTICLES,
    PERSON_NOUNS,
    PREPOSITIONS_OF_PLACE,
    SPEECH_ING,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    TAG_PARTICLES,
    TITLES,
    WRITINGS,
)


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(words)


UP = "A-Z\u00c0-\u00d6\u00d8-\u00de"
"""Upper-case letters a name may start with."""
CAPTOK = rf"[{UP}](?:\w|['\u2019-](?=\w))*"
"""One capitalised word (inner apostrophes and hyphens allowed)."""
VERBS = _alt(sorted(SPEECH_VERBS, key=len, reverse=True))
NOUNS = _alt(sorted(PERSON_NOUNS, key=len, reverse=True))

# ---- names, when the cast is found ------------------------------------------------------

_TITLE = (
    "(?:"
    + _alt([re.escape(t[:-1]) + r"\.?" if t in DOT_OPTIONAL else re.escape(t) for t in TITLES])
    + ")"
)
_PARTICLE = f"(?:{_alt(PARTICLES)})"
_INITIALS = r"(?:[A-Z]\.\s+){0,3}"
"""Initials between a title and a surname ("Mr. R. H. T. Colby" is Mr. Colby)."""
NAME_RE = re.compile(
    rf"(?<![\w'\u2019.-])(?:(?P<hon>{_TITLE})\s+{_INITIALS})?"
    rf"(?P<name>(?:{CAPTOK})(?:\s(?:[A-Z]\.\s){{0,2}}(?:{_PARTICLE}\s)?(?:{CAPTOK})){{0,3}})"
)
"""A name, optionally titled: ``hon`` the title, ``name`` up to four capitalised words
(initials after a title are left out; middle initials, "Ann B. Lowe", are taken in and
dropped by the cast builder)."""
VERBISH = re.compile(rf"^(?:'s\b|\u2019s\b|\s+(?:[a-z]+ed|{_alt(AFTER_NAME)})\b)")
"""What follows a person's name: a possessive, a verb, ``and``, ``who``."""
SENT_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+$|^\s*$|[\"\u201c\u2018]\s*$|\n\s*\n\s*$")
"""The text before a sentence-initial word ends like this."""

# ---- names and descriptions in speech tags ---------------------------------------------

_SHORT = ("mr", "mrs", "ms", "dr", "mme", "mlle", "st", "rev", "prof", "m")
"""Titles written short, with a full stop or without; a title written in full and followed
by a full stop ends its sentence ("answered Madame. The parrot whistled")."""
_HON_SHORT = _alt(
    sorted(
        (re.escape(h.capitalize()) for h in HONORIFICS if h.rstrip(".") in _SHORT),
        key=len,
        reverse=True,
    )
)
_HON_LONG = _alt(
    sorted(
        (re.escape(h.capitalize()) for h in HONORIFICS if h.rstrip(".") not in _SHORT),
        key=len,
        reverse=True,
    )
    + ["monsieur", "madame", "mademoiselle"]
)
_HON_PREFIX = rf"(?:(?:{_HON_SHORT})\.?\s+|(?:{_HON_LONG})\s+)"
NAME = (
    rf"(?:{_HON_PREFIX}{_INITIALS})?(?:(?:{_alt(TAG_PARTICLES)})\s+(?={CAPTOK}))?{CAPTOK}"
    rf"(?:\s+(?:[A-Z]\.\s+){{0,2}}(?:(?:{_alt(TAG_PARTICLES)})\s+)?{CAPTOK}){{0,3}}"
)
"""A name as read in a speech tag or a vocative (``cried de Vere`` too)."""
DESC = (
    rf"(?:the|The|his|His|her|Her|my|My|their|our|this|that|a|an)\s+(?:[\w'\u2019-]+\s+){{0,3}}?"
    rf"(?:{NOUNS}|{_HON_PREFIX}?{CAPTOK}(?:\s+{CAPTOK}){{0,2}})\b"
)
"""A description: ``the old man``, ``his wife``, ``the Silver Badger``, ``the gallant Mr.
Ashby``."""
WHO = rf"(?P<who>(?:I|he|she|He|She)\b|{DESC}|{NAME})"
_LEAD = r"^[\s,;:!?.)\-\u2014\u2013]*"
_NOT_IN_NOUN = rf"(?!(?:{_alt(NOUN_PHRASE_ENDS)}|[a-z]+ly)\b)"
"""Words that end a noun phrase after "the": "the night editor as he smiled", "the old man
sadly"; so does a participle after the noun ("the major frowning")."""
_ANY_THE = (
    rf"the\s+(?:{_NOT_IN_NOUN}[a-z-]+\s+(?![a-z]{{3,}}ing\b)){{0,2}}{_NOT_IN_NOUN}"
    r"[a-z]{3,}(?:-[a-z]{3,})*\b(?!['\u2019]s)"
)
"""Any noun after "the": in a tag with the verb first (``," said the ferryman``) it is
always the speaker, whatever the noun."""
_PHRASAL = r"(?:put|broke|cut|chimed|struck|went|burst)\s+(?:in|on)"
"""A speech verb of two words: ``," put in Ralph``, ``," broke in the other``."""
AFTER_VS = re.compile(
    rf"{_LEAD}(?:(?:then|again|now|at\s+last|at\s+length)\s+)?"
    rf"(?P<verb>{VERBS}|{_PHRASAL}|spoke|[a-z]{{3,}}ed)"
    rf"(?:,?\s+or,?\s+(?:rather,?\s+)?[a-z]{{3,}}ed,?)?"
    rf"(?:\s+[a-z]+ly)?\s+(?P<who>(?:I|he|she|He|She)\b|{DESC}|{NAME}|{_ANY_THE})"
)
"""After a quote, verb then speaker: ``," said Ralph``, ``," called the ferryman``; after a
quote ending in a comma or a mark, any verb in the past put before its subject is a tag
(``," rebuked Ralph``, ``," put in Ida``, ``," spoke Ralph``), corrected or not (``!"
muttered or, rather, snarled the Major``)."""
AFTER_SV = re.compile(
    rf"{_LEAD}{WHO}(?:,\s[^,\"]{{1,40}},)?\s+(?:(?:had|would|could|might)\s+)?"
    rf"(?:[a-z]+ly\s+|then\s+|again\s+)?(?P<verb>{VERBS}|[a-z]+ed)\b"
)
"""After a quote, speaker then verb: ``," Ralph said``, ``," Ida had ventured``."""
AFTER_POSS = re.compile(
    rf"{_LEAD}(?:was|were)\s+(?P<who>{NAME}|the\s+[a-z]+)['\u2019]s\s+(?:[a-z-]+\s+){{0,2}}?[a-z]+"
)
"""After a quote, the speaker in a possessive: ``," was Mr. Ashby's stiff reply``."""
AFTER_OF = re.compile(
    rf"{_LEAD}(?:was|were)\s+the\s+(?:[a-z-]+\s+){{0,2}}?"
    rf"(?:{_alt(SPEECH_NOUNS)}|view|opinion|verdict)\s+of\s+(?P<who>{NAME})"
)
"""After a quote, the speaker after "of": ``," was the view of Mr. Ashby``."""
AFTER_OWN = re.compile(
    rf"{_LEAD}(?:was|were)\s+(?P<who>my|his|her)\s+(?:[a-z-]+\s+){{0,2}}?"
    rf"(?:{_alt(SPEECH_NOUNS)})\b"
)
"""After a quote, the speaker as a possessive pronoun before what was said: ``," was my
reply`` (the first-person narrator), ``," was her only answer`` (a she)."""
AFTER_BY = re.compile(
    rf"{_LEAD}(?:(?:[a-z]+ly\s+)?(?:[a-z]{{3,}}ed|said)\s+by|from|according\s+to)\s+"
    rf"(?P<who>{NAME})(?!\s+[a-z])"
)
"""After a quote, the speaker as the agent of a passive or its source: ``," whispered by
Aunt Ida``, ``" from Mr. Ashby, who laughed``, ``," according to Mrs. Reed``."""
_NOT_AFTER_PREP = "".join(rf"(?<!\b{p}\s)" for p in PREPOSITIONS_OF_PLACE)
"""Not right after a preposition: "a voice in the hall cried" is no tag of the hall's."""
_THE_ONE = (
    rf"(?<![\w-]){_NOT_AFTER_PREP}the\s+(?![a-z]+(?:ing|est)\b)(?!(?:{_alt(sorted(WRITINGS))})\b)[a-z]{{3,}}(?:-[a-z]{{3,}})*"
    r"(?!\s+[a-z]+[^s\W]s\b)"
)
"""One noun after "the" (no adjective: "the brightest", "the following"), not followed by
a verb in the present ("the following remarks"): in "the croupier cried out," the subject."""
BEFORE_SV = re.compile(
    rf"(?P<who>(?:I|he|she|He|She)\b|{DESC}|{NAME}|{_THE_ONE})"
    rf"\s+(?:[a-z]+ly\s+)?(?P<verb>{VERBS})\b"
    rf"(?P<rest>[^.!?\"\u201c\u201d]{{0,60}})[,:.]?\s*[\u2014\u2013-]*\s*$"
)
"""Before a quote: ``Ralph said, "``, ``the croupier cried out, "`` (a noun after "the" right
before a speech verb is its subject)."""
_SHORT_TITLES = ("Mr", "Mrs", "Ms", "Dr", "St", "Mme", "Mlle", "Rev")
NOT_AFTER_TITLE = "".join(rf"(?<!\b{t})" for t in _SHORT_TITLES)
"""Not right after a short title: its full stop ends no sentence ("Mr. Pell", "Mlle. Ida")."""
_TITLE_STOP = "(?:" + "|".join(rf"(?<=\b{t})" for t in _SHORT_TITLES) + r")\."
"""The full stop of a short title, which ends no sentence."""
BEFORE_AGENT = re.compile(
    rf"(?:\b(?P<who>{NAME})['\u2019]s\s+(?:[a-z-]+\s+){{0,2}}?"
    rf"(?:(?:{_alt(SPEECH_NOUNS)})\b(?:[^.!?;\"\u201c\u201d]|{_TITLE_STOP}){{0,60}}?\s)?"
    rf"(?:was|were)|"
    rf"\b[a-z]{{3,}}ed\s+by\s+(?P<by>{NAME}))\s*[,:]?\s*[\u2014\u2013-]*\s*$"
)
"""Before a quote, the speaker in a possessive or as the agent of a passive: ``Ralph's
answer was--"``, ``Ralph's only comment when he heard it was, "`` (a clause may come
between a speech noun and its verb), ``when thus accosted by Ida, "``."""
PRONOUNS = {"he": "male", "she": "female"}
CLAUSE_VERB = re.compile(
    rf"\b(?:{VERBS}|{_alt(SPEECH_ING)})\b"
    rf"(?P<tail>[^.!?;\"\u201c\u201d\n]{{0,80}}?)[,:]?\s*[\u2014\u2013-]*\s*$"
)
"""A speech verb ending the narration before a quote (its clause's subject speaks)."""
SELF_INTRO = re.compile(
    rf"(?:\bI'm|\bI\u2019m|\bI am|\b[Mm]y name is|\b[Cc]all me|\b[Ii]t's me,)\s+(?P<n>{NAME})"
)
NAMING = re.compile(
    rf"\b(?:named|called|introduced\s+(?:himself|herself)\s+as|whose\s+name\s+was|"
    rf"known\s+as)\s+(?P<n>{NAME})"
)
INTRO = re.compile(rf"\b(?:[Aa]|[Aa]n)\s+(?P<adj>(?:[a-z-]+,?\s+){{0,3}}?)(?P<noun>{NOUNS})\b")
"""An indefinite description introducing someone: ``a young woman``."""
DEF = re.compile(
    rf"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?P<adj>(?:[a-z-]+\s+){{0,2}}?)(?P<noun>{NOUNS})\b"
)
"""A definite description: ``the woman``."""
SCENE_BREAK = re.compile(r"^[\s*#~\u2022\u00b7.=_-]+$")
SUBJ_PRON = re.compile(r"(?:^|[.!?;]\s+|\band\s+)(?P<p>He|She|I|he|she)\s+(?P<v>[a-z]+)")
"""A subject pronoun at a clause start."""
VOC_PRE = (
    rf"(?:^|[,!?;:\u2014\u2013]\s*|{NOT_AFTER_TITLE}\.\s*|"
    r"\b(?:dear|dearest|my|oh|Oh|O)\s+)"
)
"""What comes before a name used as a vocative (the stop of "Mr." or "Mlle." ends no
sentence: "Mlle. Orsolya, with her aunt, leaves" calls nobody)."""
OBJ_BEFORE = re.compile(rf"\b(?:{_alt(OBJECT_TAKERS)})\s+$")
"""Text ending like this makes the next name an object."""
OBJ_NOT_AND = re.compile(rf"\b(?:{_alt([w for w in OBJECT_TAKERS if w != 'and'])})\s+$")
"""Words before an object; "and" is left out: ", and Mr. Ashby said" has a subject."""
CLAUSE_CUT = re.compile(
    rf"{NOT_AFTER_TITLE}(?<!\b[A-Z])[.!?;:]\s+|\n\s*\n|[.!?]['\"\u2019\u201d]?(?:--|\u2014)\s*"
)
"""Where a clause ends (not after "Mr." or an initial; a sentence may end in a dash:
"together.--Anna took")."""
