"""What is actually said: numbers, years, money, times, roman numerals and abbreviations in words.

eSpeak reads raw text literally: "1813" as "one thousand eight hundred thirteen", "$12.50" as
"dollar twelve point five zero", "Henry VIII" as "Henry roman eight", "Baker St." as "Baker
saint". :func:`normalize` rewrites such tokens into the words a reader would say, using the
context around them (a year after "in", a king's numeral after his name, Street after a street
name), and leaves alone whatever it cannot read with confidence: an identifier like ``A1`` or
``MP3``, a date like ``12/25/20``, the pronoun "I".

Everything here is English (the palette's voices are English); the rules are small regular
expressions applied in order, each turning digits into words so no later rule sees them again.
The number words are our own few lines rather than a dependency: the forms wanted here (years
"nineteen oh five", decades, money with its subunit, British "and") are exactly these.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["cardinal", "normalize", "ordinal", "year"]

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = (
    (10**15, "quadrillion"),
    (10**12, "trillion"),
    (10**9, "billion"),
    (10**6, "million"),
    (10**3, "thousand"),
)
_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
MAX_DIGITS = 18
"""Longer digit strings (serial numbers, phone numbers) are read digit by digit."""


def cardinal(n: int) -> str:
    """``105`` -> ``"one hundred and five"``; ``-3`` -> ``"minus three"``."""
    if n < 0:
        return "minus " + cardinal(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {cardinal(rest)}" if rest else "")
    for value, name in _SCALES:
        if n >= value:
            head, rest = divmod(n, value)
            words = f"{cardinal(head)} {name}"
            if not rest:
                return words
            return words + (" and " if rest < 100 else " ") + cardinal(rest)
    raise AssertionError("unreachable")  # pragma: no cover


def _ordinal_word(word: str) -> str:
    if word in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[word]
    if word.endswith("y"):
        return word[:-1] + "ieth"
    return word + "th"


def ordinal(n: int) -> str:
    """``22`` -> ``"twenty-second"``."""
    words = cardinal(n)
    head, sep, last = max(
        (words.rpartition(" "), words.rpartition("-")), key=lambda parts: len(parts[0])
    )
    return f"{head}{sep}{_ordinal_word(last)}"


def year(n: int) -> str:
    """A year as said: 1813 "eighteen thirteen", 1900 "nineteen hundred", 1905 "nineteen oh
    five", 2007 "two thousand and seven", 2024 "twenty twenty-four"."""
    if not 1000 <= n <= 2099 or n == 2000:
        return cardinal(n)
    hi, lo = divmod(n, 100)
    if lo == 0:
        return f"{cardinal(hi)} hundred"
    if 2000 < n < 2010 or 1000 < n < 1010:
        return cardinal(n)
    return f"{cardinal(hi)} {'oh ' + _ONES[lo] if lo < 10 else cardinal(lo)}"


def _plural(words: str) -> str:
    """``"nineteen ninety"`` -> ``"nineteen nineties"`` (decades)."""
    head, sep, last = words.rpartition(" ")
    last = last[:-1] + "ies" if last.endswith("y") else last + "s"
    return f"{head}{sep}{last}"


def _digits(s: str) -> str:
    return " ".join(_ONES[int(d)] for d in s)


def _number(whole: str, frac: str | None = None) -> str:
    """Digits (commas allowed) and an optional decimal part in words."""
    digits = whole.replace(",", "")
    if len(digits) > MAX_DIGITS or (len(digits) > 1 and digits.startswith("0")):
        words = _digits(digits)
    else:
        words = cardinal(int(digits)) if digits else ""
    if frac is not None:
        words = f"{words} point {_digits(frac)}".strip()
    return words


# --- numbers in context ---------------------------------------------------------------------

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
_LEFT = r"(?<![\w.,/:\u2019'])"  # not inside a word, a decimal, a date or a time
_RIGHT = r"(?![\w/]|[.,:]\d)"
_SCALE = r"(?:\s+(?P<scale>thousand|million|billion|trillion)\b)?"
_CURRENCY = {
    "£": ("pound", "pounds", "penny", "pence"),
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
}
_MONEY = re.compile(
    _LEFT + r"(?P<sym>[£$€])\s?(?P<whole>" + _NUM + r")(?:\.(?P<frac>\d{1,2})(?!\d))?"
    r"(?:\s?[-\u2013](?P<sym2>[£$€])?(?P<whole2>"
    + _NUM
    + r")(?:\.(?P<frac2>\d{1,2})(?!\d))?)?"
    + _SCALE
    + _RIGHT
)


def _amount(sym: str, whole: str, frac: str | None, scale: str | None, unit: bool = True) -> str:
    one, many, sub_one, sub_many = _CURRENCY[sym]
    n = int(whole.replace(",", ""))
    if scale:
        value = _number(whole, frac if frac and frac.strip("0") else None)
        return f"{value} {scale} {many}" if unit else f"{value} {scale}"
    cents = int((frac or "0").ljust(2, "0"))
    main = f"{cardinal(n)} {one if n == 1 else many}" if unit else cardinal(n)
    if not cents:
        return main
    sub = f"{cardinal(cents)} {sub_one if cents == 1 else sub_many}"
    return sub if n == 0 and unit else f"{main} and {sub}"


# "a $2 bill", "two $20 gold certificates": an amount before the thing it prices is said as
# one adjective ("a two-dollar bill"), after a determiner or a number and before a noun.
_DETERMINER = re.compile(
    r"(?i)\b(?:a|an|the|this|that|his|her|my|your|our|their|its|every|each|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|several|some)\s+$"
)
_NOT_A_NOUN = frozenset(
    {
        "a", "an", "the", "of", "for", "to", "in", "on", "at", "and", "or", "but", "per", "each",
        "apiece", "worth", "more", "less", "than", "from", "by", "with", "was", "were", "is",
        "are", "be", "had", "has", "have",
    }
)  # fmt: skip


def _adjective(m: re.Match[str]) -> bool:
    if m.group("frac") or m.group("scale") or m.group("whole2") is not None:
        return False
    nxt = re.match(r"\s+([a-z][a-z-]*)", m.string[m.end() : m.end() + 30])
    before = m.string[max(0, m.start() - 20) : m.start()]
    return bool(nxt and nxt.group(1) not in _NOT_A_NOUN and _DETERMINER.search(before))


def _money(m: re.Match[str]) -> str:
    sym, scale = m.group("sym"), m.group("scale")
    if _adjective(m):
        words = cardinal(int(m.group("whole").replace(",", ""))).replace(" ", "-")
        return f"{words}-{_CURRENCY[sym][0]}"
    if m.group("whole2") is None:
        return _amount(sym, m.group("whole"), m.group("frac"), scale)
    if m.group("sym2") not in (None, sym):
        return m.group(0)
    low = _amount(sym, m.group("whole"), m.group("frac"), scale, unit=bool(m.group("frac")))
    high = _amount(sym, m.group("whole2"), m.group("frac2"), scale)
    return f"{low} to {high}"


_TIME = re.compile(_LEFT + r"(?P<h>[01]?\d|2[0-4]):(?P<m>[0-5]\d)(?![\w:]|[.,]\d)")


def _time(m: re.Match[str]) -> str:
    h, mins = int(m.group("h")), int(m.group("m"))
    if mins == 0:
        return f"{cardinal(h)} o'clock" if 0 < h <= 12 else f"{cardinal(h)} hundred"
    return f"{cardinal(h)} {'oh ' + _ONES[mins] if mins < 10 else cardinal(mins)}"


_DECADE = re.compile(r"(?<![\w.,/:])(?P<apos>['\u2019])?(?P<d>(?:1[0-9]|20)?\d0)['\u2019]?s\b")


def _decade(m: re.Match[str]) -> str:
    d = m.group("d")
    if len(d) == 4:
        return _plural(year(int(d)))
    if len(d) == 2 and d != "00":
        return _plural(cardinal(int(d)))
    return m.group(0)


_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|In|IN|of|since|Since|until|Until|till|by|from|From|before|Before|after|After|"
    r"during|During|year|years|circa|c\.|ca\.|about|around|early|late|spring|summer|autumn|"
    r"fall|winter|Spring|Summer|Autumn|Winter|A\.D\.|AD|anno|Anno|born|Born|died|Died)"
    r"|\b(?:" + _MONTHS + r")\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:" + _MONTHS + r")\.?,?)\s+$"
)
_YEAR_AFTER = re.compile(r"^\s*(?:A\.D\.|AD|B\.C\.|BC|B\.C\.E\.|BCE|C\.E\.|CE)(?!\w)")
_YEARISH = re.compile(_LEFT + r"(?P<y>1[1-9]\d\d|20\d\d)" + _RIGHT)


def _is_year(text: str, start: int, end: int) -> bool:
    if _YEAR_BEFORE.search(text[max(0, start - 30) : start]) or _YEAR_AFTER.match(text[end:]):
        return True
    # a bare four-digit number not followed by a word it counts ("1813, the year..."): a year
    return not re.match(r"\s+[a-z]", text[end : end + 2])


def _years(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        if _is_year(m.string, m.start(), m.end()):
            return year(int(m.group("y")))
        return m.group(0)

    return _YEARISH.sub(repl, text)


_CHAIN = re.compile(
    r"(?<![\w\-\u2013£$€.,/:])\d+(?:\s?\u2013\s?\d+|-\d+)+(?![\w/]|[.,:\-\u2013]\d)"
)


def _range(a: str, dash: str, b: str) -> str | None:
    """``12–14`` -> "twelve to fourteen", ``1914-18`` -> "nineteen fourteen to eighteen"."""
    if len(a) > 4 or len(b) > 4:
        return None
    if dash == "-":
        # a hyphen is a range only when it reads as one: 12-14, 1914-18; not 555-1234 or 3-2
        full_b = a[: len(a) - len(b)] + b if len(b) < len(a) else b
        if len(b) > len(a) or int(full_b) <= int(a):
            return None
    as_years = len(a) == 4 and 1100 <= int(a) <= 2099

    def say(s: str) -> str:
        return year(int(s)) if as_years and len(s) == 4 else _number(s)

    return f"{say(a)} to {say(b)}"


_ORDINAL = re.compile(_LEFT + r"(?P<n>" + _NUM + r")(?P<suf>st|nd|rd|th|ST|ND|RD|TH)\b")


def _ordinal(m: re.Match[str]) -> str:
    n = int(m.group("n").replace(",", ""))
    expected = {1: "st", 2: "nd", 3: "rd"}.get(n % 10 if n % 100 not in (11, 12, 13) else 0, "th")
    return ordinal(n) if m.group("suf").lower() == expected else m.group(0)


_FRACTIONS = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅛": (1, 8)}
_VULGAR = re.compile(r"(?<![\w/])(?:(?P<whole>\d+)\s?)?(?P<f>[½⅓⅔¼¾⅛])(?!\w)")
_SLASH = re.compile(_LEFT + r"(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\w/]|[.,]\d)")


def _fraction_words(a: int, b: int) -> str:
    if b == 2:
        name = "half" if a == 1 else "halves"
    elif b == 4:
        name = "quarter" if a == 1 else "quarters"
    else:
        name = ordinal(b) + ("" if a == 1 else "s")
    return f"{cardinal(a)} {name}"


def _vulgar(m: re.Match[str]) -> str:
    a, b = _FRACTIONS[m.group("f")]
    if m.group("whole"):
        return (
            f"{_number(m.group('whole'))} and {'a' if a == 1 else cardinal(a)} "
            + (_fraction_words(a, b).split(" ", 1)[1])
        )
    return _fraction_words(a, b)


def _slash(m: re.Match[str]) -> str:
    a, b = int(m.group("a")), int(m.group("b"))
    return _fraction_words(a, b) if 0 < a < b <= 16 else m.group(0)


_PERCENT = re.compile(_LEFT + r"(?P<whole>" + _NUM + r")(?:\.(?P<frac>\d+))?\s?%")
_BEFORE_NUMBER = {
    "no": "number", "nos": "numbers", "p": "page", "pp": "pages", "vol": "volume",
    "ch": "chapter", "chap": "chapter", "fig": "figure", "#": "number",
}  # fmt: skip
_NUMBER_SIGN = re.compile(
    r"(?<![\w.])(?:(?P<abbr>No|no|NO|Nos|nos|p|pp|[Vv]ol|[Cc]h|[Cc]hap|[Ff]ig)\.|(?P<hash>#))\s?(?=\d)"
)
_CARDINAL = re.compile(
    r"(?<![\w.,/:\u2019'])(?P<neg>[-\u2212](?=[\d.]))?"
    r"(?:(?P<whole>" + _NUM + r")(?:\.(?P<frac>\d+))?|\.(?P<point>\d+))" + _RIGHT
)


def _cardinal(m: re.Match[str]) -> str:
    if m.group("point") is not None:
        words = f"point {_digits(m.group('point'))}"
    else:
        words = _number(m.group("whole"), m.group("frac"))
    return ("minus " if m.group("neg") else "") + words


# --- roman numerals -------------------------------------------------------------------------

_ROMAN = r"(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_REGNAL_NAMES = (
    "Alexander|Alfonso|Amadeus|Andronicus|Anne|Antiochus|Benedict|Boniface|Carlos|Casimir|"
    "Catherine|Charles|Christian|Clement|Constantine|Darius|David|Edmund|Edward|Elizabeth|Eric|"
    "Ferdinand|Francis|Frederick|Friedrich|George|Gregory|Gustav|Gustavus|Haakon|Harold|Henri|"
    "Henry|Innocent|Ivan|James|Jean|John|Joseph|Juan|Karl|Leo|Leopold|Louis|Ludwig|Malcolm|"
    "Manuel|Maria|Mary|Napoleon|Nicholas|Olaf|Otto|Paul|Pedro|Peter|Philip|Philippe|Pius|"
    "Ptolemy|Rameses|Ramesses|Richard|Robert|Sixtus|Stephen|Urban|Victor|Victoria|Wilhelm|"
    "William|Xerxes"
)
_TITLES = (
    r"King|Queen|Pope|Emperor|Empress|Tsar|Czar|Tsarina|Kaiser|Prince|Princess|Duke|Sultan|"
    r"Pharaoh|Shah|Caliph|Saint|Sir|Lord|Lady"
)
_REGNAL = re.compile(
    r"(?P<title>\b(?:" + _TITLES + r")\s+)?\b(?P<name>" + _REGNAL_NAMES + r")\s+"
    r"(?P<num>" + _ROMAN + r")\b(?P<after>\W{0,2}\w*)"
)
_CHAPTER_WORDS = (
    r"chapter|chap\.|book|part|volume|vol\.|act|scene|stave|canto|section|letter|appendix|"
    r"psalm|article|fytte|lesson|lecture|epistle|stanza|war"
)
_CHAPTER = re.compile(
    r"(?P<word>\b(?i:"
    + _CHAPTER_WORDS
    + r"))\s+(?P<num>"
    + _ROMAN
    + r"|(?i:"
    + _ROMAN.lower()
    + r"))\b(?!['\u2019]\w)"
)
_LONE_ROMAN = re.compile(r"^(?P<lead>\W*)(?P<num>" + _ROMAN + r")(?P<trail>[.:]?\W*)$")


def roman_value(s: str) -> int | None:
    """The value of a well-formed roman numeral (either case), else None."""
    if not s or not re.fullmatch(_ROMAN, s.upper()):
        return None
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i, ch in enumerate(s.upper()):
        v = values[ch]
        nxt = values[s.upper()[i + 1]] if i + 1 < len(s) else 0
        total += -v if v < nxt else v
    return total


def _regnal(m: re.Match[str]) -> str:
    value, after, num = roman_value(m.group("num")), m.group("after"), m.group("num")
    if value is None or value > 39 or (len(num) == 1 and num not in "IVX"):
        return m.group(0)
    initial = re.match(r"^\.\s*([A-Z]\w*)", after + m.string[m.end() : m.end() + 20])
    if len(num) == 1 and initial and initial.group(1) not in _SENTENCE_STARTERS:
        return m.group(0)  # an initial: "John X. Smith"
    # "Henry I went" may be "Henry, I went": "I" alone is sure only at a sentence or clause end
    clause_end = re.match(r"^(?:[.,;:!?)\u2019\u201d'\"]|\s+(?:of|and)\b|['\u2019]s)", after)
    if num == "I" and not m.group("title") and not clause_end:
        return m.group(0)
    return f"{m.group('title') or ''}{m.group('name')} the {ordinal(value).capitalize()}{after}"


def _chapter(m: re.Match[str]) -> str:
    word, num = m.group("word"), m.group("num")
    value = roman_value(num)
    if value is None or (len(num) == 1 and num.upper() not in "IVX"):
        return m.group(0)  # "Appendix C", "Section D": letters
    if len(num) == 1 and not word[0].isupper():
        return m.group(0)  # "the book I read", "a letter I wrote"
    if word.lower() == "war" and "World" not in m.string[max(0, m.start() - 7) : m.start()]:
        return m.group(0)
    return f"{word} {cardinal(value)}"


# --- abbreviations --------------------------------------------------------------------------

_ALWAYS = {
    "Mr": "Mister", "MR": "Mister", "Mrs": "Missus", "MRS": "Missus", "Messrs": "Messieurs",
    "Mme": "Madame", "Mlle": "Mademoiselle", "Ms": "Mizz",
}  # fmt: skip
_BEFORE_NAME = {
    "Capt": "Captain", "Col": "Colonel", "Gen": "General", "Lieut": "Lieutenant",
    "Lt": "Lieutenant", "Sgt": "Sergeant", "Prof": "Professor", "Rev": "Reverend",
    "Hon": "Honourable", "Gov": "Governor", "Mt": "Mount", "Ft": "Fort", "Fr": "Father",
    "Pres": "President", "Supt": "Superintendent", "Insp": "Inspector", "Adm": "Admiral",
    "Maj": "Major", "Cpl": "Corporal",
}  # fmt: skip
_AFTER_NAME = {"Jr": "Junior", "Jnr": "Junior", "Sr": "Senior", "Snr": "Senior"}
_STREETS = {"Ave": "Avenue", "Rd": "Road", "Blvd": "Boulevard", "Sq": "Square", "Pl": "Place"}
_ANYWHERE = {
    "etc.": "et cetera", "&c.": "et cetera", "e.g.": "for example", "i.e.": "that is",
    "viz.": "namely", "vs.": "versus", "approx.": "approximately",
}  # fmt: skip
# Words that start a sentence: "Baker St. He left" is Street, "St. Paul" is Saint.
_SENTENCE_STARTERS = frozenset(
    [
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "You",
        "The",
        "A",
        "An",
        "There",
        "This",
        "That",
        "These",
        "Those",
        "His",
        "Her",
        "Its",
        "Their",
        "Our",
        "My",
        "But",
        "And",
        "Then",
        "When",
        "So",
        "If",
        "As",
        "At",
        "In",
        "On",
        "Yet",
        "Now",
        "Here",
        "What",
        "Who",
        "Why",
        "How",
    ]
)
_ABBR = re.compile(r"(?<![\w.&])(?P<abbr>[A-Za-z]{1,6})\.(?=(?P<after>\s*\S*))")
_ANY_RE = re.compile(
    r"(?<![\w.])(?P<abbr>" + "|".join(re.escape(k) for k in _ANYWHERE) + r")(?P<after>\s*\S?)"
)
_ALWAYS_BARE = re.compile(r"(?<![\w.])(?P<abbr>Mr|Mrs|Messrs|Mme|Mlle|Ms|Dr|St)(?=\s+[A-Z])")


def _next_word(after: str) -> str:
    return re.sub(r"^\W+|\W+$", "", after.strip())


def _capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _saint_or_street(prev: str, nxt: str, saint: str, street: str) -> str:
    """``St.``/``Dr.``: Saint/Doctor before a name, Street/Drive after one."""
    if _capitalised(nxt) and not (_capitalised(prev) and nxt in _SENTENCE_STARTERS):
        return saint
    return street if _capitalised(prev) else saint


def _abbreviation(m: re.Match[str]) -> str:
    abbr, after = m.group("abbr"), m.group("after")
    nxt = _next_word(after)
    before = re.search(r"(\S+)\s*$", m.string[max(0, m.start() - 40) : m.start()])
    prev = _next_word(before.group(1)) if before else ""
    ends_sentence = not nxt or (_capitalised(nxt) and nxt in _SENTENCE_STARTERS)
    stop = "." if ends_sentence else ""
    if abbr in _ALWAYS:
        return _ALWAYS[abbr]
    if abbr in ("St", "ST", "Dr", "DR"):
        saint, street = ("Saint", "Street") if abbr.upper() == "ST" else ("Doctor", "Drive")
        word = _saint_or_street(prev, nxt, saint, street)
        return word + (stop if word == street else "")
    if abbr in _BEFORE_NAME and _capitalised(nxt):
        return _BEFORE_NAME[abbr]
    if abbr in _AFTER_NAME and _capitalised(prev):
        return _AFTER_NAME[abbr] + stop
    if abbr in _STREETS and _capitalised(prev):
        return _STREETS[abbr] + stop
    return m.group(0)


def _anywhere(m: re.Match[str]) -> str:
    abbr, after = m.group("abbr"), m.group("after")
    nxt = after.strip()
    # "etc." often ends the sentence too: keep its full stop before a capital or the end
    if abbr in ("etc.", "&c.") and (not nxt or nxt[0].isupper()):
        return _ANYWHERE[abbr] + "." + after
    return _ANYWHERE[abbr] + after


# --- the whole ------------------------------------------------------------------------------

_Rule = Callable[[str], str]


def _sub(pattern: re.Pattern[str], fn: Callable[[re.Match[str]], str]) -> _Rule:
    return lambda text: pattern.sub(fn, text)


def _lone_roman(text: str) -> str:
    """A line that is only a roman numeral (a section heading "II.") is its number."""
    m = _LONE_ROMAN.match(text)
    if m is None:
        return text
    num = m.group("num")
    value = roman_value(num)
    if (
        value is None
        or num not in "IVX"
        and len(num) == 1
        or (num == "I" and m.group("lead").strip())
    ):
        return text
    return f"{m.group('lead')}{cardinal(value).capitalize()}{m.group('trail')}"


_NUMBERS_FIRST: tuple[_Rule, ...] = (
    _sub(_MONEY, _money),
    _sub(_TIME, _time),
    _sub(_DECADE, _decade),
)
"""Rules before number ranges are read (see :func:`_ranges`)."""
_NUMBERS: tuple[_Rule, ...] = (
    _years,
    _sub(_ORDINAL, _ordinal),
    _sub(_PERCENT, lambda m: _number(m.group("whole"), m.group("frac")) + " percent"),
    _sub(_VULGAR, _vulgar),
    _sub(_SLASH, _slash),
    _sub(_NUMBER_SIGN, lambda m: _BEFORE_NUMBER[(m.group("abbr") or "#").lower()] + " "),
    _sub(_CARDINAL, _cardinal),
)
_NUMERALS: tuple[_Rule, ...] = (_sub(_REGNAL, _regnal), _sub(_CHAPTER, _chapter), _lone_roman)
_WORDS: tuple[_Rule, ...] = (
    _sub(_ANY_RE, _anywhere),
    _sub(_ABBR, _abbreviation),
    _sub(_ALWAYS_BARE, lambda m: {**_ALWAYS, "Dr": "Doctor", "St": "Saint"}[m.group("abbr")]),
    lambda text: re.sub(r"(?<=\s)&(?=\s)", "and", text),
)
# Most paragraphs hold no digit, numeral or abbreviation: a quick look skips those rules.
_HAS_NUMBER = re.compile(r"[\d½⅓⅔¼¾⅛]")
_HAS_NUMERAL = re.compile(
    r"(?<!\w)(?:[MDCLXVI]{2,}|[VX])(?!\w)|[A-Z][a-z]+\s+I(?![\w'\u2019])|^\W*I\W*$"
    r"|(?i:chap\w*|stave|act|part|book|canto|letter|volume|section)\s+[mdclxvi]"
)
_HAS_ABBREVIATION = re.compile(
    r"&|\b(?:"
    + "|".join(
        re.escape(k)
        for k in (*_ALWAYS, *_BEFORE_NAME, *_AFTER_NAME, *_STREETS, "St", "ST", "Dr", "DR")
    )
    + r")\b|\b(?:etc|viz|vs|approx|e\.g|i\.e)\."
)


def _rules(text: str, kept: list[str]) -> list[_Rule]:
    rules: list[_Rule] = []
    if _HAS_NUMBER.search(text):
        rules += [*_NUMBERS_FIRST, lambda t: _ranges(t, kept), *_NUMBERS]
    if _HAS_NUMERAL.search(text):
        rules += _NUMERALS
    if _HAS_ABBREVIATION.search(text):
        rules += _WORDS
    return rules


def _ranges(text: str, kept: list[str]) -> str:
    """Number ranges in words; other hyphenated digit chains (555-1234, 2020-01-05, a 3-2 score)
    are set aside in ``kept`` so no later rule reads them piecemeal."""

    def repl(m: re.Match[str]) -> str:
        parts = re.split(r"(\s?\u2013\s?|-)", m.group(0))
        if len(parts) == 3:
            said = _range(parts[0], parts[1].strip() or "-", parts[2])
            if said is not None:
                return said
        kept.append(m.group(0))
        return _marker(len(kept) - 1)

    return _CHAIN.sub(repl, text)


def _marker(i: int) -> str:
    """A stand-in for set-aside text: private-use characters no rule matches."""
    return f"\ue000{chr(0xE100 + i % 0x1000)}{chr(0xE100 + i // 0x1000)}\ue001"


def normalize(text: str) -> str:
    """``text`` with numbers, money, times, roman numerals and abbreviations said in words.

    Never raises and never empties a text that had words; what no rule is sure of stays as
    it is.
    """
    kept: list[str] = []
    out = text
    for rule in _rules(text, kept):
        try:
            out = rule(out)
        except (ValueError, KeyError, IndexError, RecursionError):  # pragma: no cover - a rule bug
            continue
    for i, original in enumerate(kept):
        out = out.replace(_marker(i), original)
    out = re.sub(r"[ \t]{2,}", " ", out)
    return out if out.strip() or not text.strip() else text
