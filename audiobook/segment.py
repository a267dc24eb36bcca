"""Narration/dialogue segmentation.

Finds the quoted passages of a text span: straight and curly double quotes, guillemets,
single-quote dialogue (told apart from apostrophes), quotations that run over several
paragraphs, nested quotations (kept inside the outer one), dash-introduced dialogue, and
quoted text nobody says aloud (a sign, a title: left as narration).

Everything here is a pure function of the text; offsets index the source string.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from audiobook.model import Kind

__all__ = ["Paragraph", "Quote", "Span", "find_quotes", "paragraphs", "segment"]


class Span(NamedTuple):
    """One piece of a tiling: its kind and ``[start, end)`` offsets."""

    kind: Kind
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: ``[start, end)`` without its surrounding blank lines."""

    index: int
    start: int
    end: int


@dataclass(frozen=True)
class Quote:
    """A quoted passage, marks included."""

    start: int
    end: int
    para: int
    """Index (into the list from :func:`paragraphs`) of the paragraph it opens in."""
    last_para: int
    """Index of the paragraph it closes in (differs for multi-paragraph quotations)."""
    spoken: bool
    """False for quoted text nobody says aloud (a sign, a title, a word mentioned)."""
    closed: bool = True
    """False when the closing mark was missing and the quote was cut at the paragraph end."""


_BLANK = re.compile(r"\n[ \t\f\v]*\n\s*")
_DOUBLE_OPEN = {'"': '"', "\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201d"}
_DOUBLE_CLOSE = {'"', "\u201d", "\u00bb"}
_SINGLE_OPEN = {"'", "\u2018"}
_SINGLE_CLOSE = {"'", "\u2019"}
_DASHES = "\u2014\u2015\u2013"
_QUOTE_CHARS = re.compile("[\"\u201c\u201d\u00ab\u00bb\u201e'\u2018\u2019]")
_OPEN_CONTEXT = set(' \t\n([{\u2014\u2013-/"\u201c\u00ab')
_ELISIONS = {
    "tis", "twas", "twere", "twill", "twould", "em", "til", "till", "cause", "n", "s", "re",
    "ve", "ll", "d", "m", "round", "im", "ere", "bout", "nuff", "ow", "appen", "ave", "er",
}  # fmt: skip
_NOT_POSSESSIVE = {
    "yes", "is", "was", "this", "his", "hers", "its", "us", "as", "thus", "always", "does",
    "has", "ours", "yours", "theirs", "perhaps", "less", "unless", "miss", "mrs", "alas",
    "bless", "nothing", "things", "please", "besides", "sometimes",
}  # fmt: skip
_NOT_SPOKEN_BEFORE = re.compile(
    r"(?i)(?:\b(?:read|reads|reading|inscribed|lettered|labell?ed|marked|printed|engraved|"
    r"painted|spelled|spelt|headed|captioned)\s*[:,]?|"
    r"\b(?:called|named|titled|entitled|dubbed|the\s+words?|the\s+phrase|the\s+term|"
    r"the\s+name|the\s+title|the\s+motto|the\s+legend|the\s+inscription|the\s+sign)\s*:?)\s*$"
)
_NOT_SPOKEN_AFTER = re.compile(r"^\s*(?:was|were|is)\s+(?:written|painted|printed|engraved)\b")


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Paragraph]:
    """Paragraphs of ``text[start:end]``, separated by blank lines.

    A span with no blank line but several lines is read one paragraph per line.
    """
    end = len(text) if end is None else end
    out: list[Paragraph] = []
    seps = [(m.start(), m.end()) for m in _BLANK.finditer(text, start, end)]
    if not seps and text.count("\n", start, end) > 1:
        seps = [(m.start(), m.end()) for m in re.finditer(r"\n\s*", text[start:end])]
        seps = [(s + start, e + start) for s, e in seps]
    pos = start
    for s, e in [*seps, (end, end)]:
        a, b = pos, s
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append(Paragraph(len(out), a, b))
        pos = e
    return out


def _is_single_open(text: str, i: int, lo: int) -> bool:
    if text[i] not in _SINGLE_OPEN:
        return False
    if i > lo and text[i - 1] not in _OPEN_CONTEXT:
        return False
    if i + 1 >= len(text) or text[i + 1].isspace():
        return False
    m = re.match(r"[A-Za-z0-9]+", text[i + 1 : i + 8])
    if m and (m.group(0).lower() in _ELISIONS or m.group(0)[0].isdigit()):
        nxt = text[i + 1 + m.end() : i + 2 + m.end()]
        # 'tis / 'em / '90s: an elision unless the word is closed at once ('em' as a word).
        if nxt not in _SINGLE_CLOSE:
            return False
    return True


def _is_single_close(text: str, i: int, lo: int) -> bool:
    if text[i] not in _SINGLE_CLOSE:
        return False
    if i <= lo or text[i - 1].isspace():
        return False
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if nxt.isalnum():
        return False  # o'clock, don't
    if text[i - 1] in "sS" and nxt == " " and i + 2 < len(text) and text[i + 2].islower():
        m = re.search(r"[A-Za-z]+$", text[max(lo, i - 20) : i])
        if m and m.group(0).lower() not in _NOT_POSSESSIVE:
            return False  # the dogs' bowls
    return True


def _single_style(text: str, start: int, end: int) -> bool:
    """True when single quotes mark dialogue outside double quotes in this span."""
    doubles = sum(text.count(c, start, end) for c in '"\u201c\u201d\u00ab')
    singles = 0
    for m in re.finditer("['\u2018]", text[start:end]):
        if _is_single_open(text, start + m.start(), start):
            singles += 1
    return singles > 0 and singles * 2 > doubles


def _not_spoken(text: str, qs: int, qe: int, para_start: int) -> bool:
    before = text[max(para_start, qs - 60) : qs]
    if _NOT_SPOKEN_BEFORE.search(before):
        return True
    return bool(_NOT_SPOKEN_AFTER.match(text[qe : qe + 40]))


def _dash_pieces(text: str, para: Paragraph) -> list[tuple[Kind, int, int]]:
    """Split a dash-dialogue paragraph into dialogue and (lower-case) tag pieces."""
    pieces: list[tuple[Kind, int, int]] = []
    cur_start, cur_kind = para.start, "dialogue"
    for m in re.finditer(rf"\s[{_DASHES}]\s*", text[para.start : para.end]):
        s = para.start + m.start()
        after = para.start + m.end()
        nxt = text[after : after + 1]
        kind: Kind = "narration" if cur_kind == "dialogue" and nxt.islower() else "dialogue"
        if kind == cur_kind:
            continue
        if cur_kind == "dialogue":
            pieces.append(("dialogue", cur_start, s))
            cur_start, cur_kind = s, "narration"
        else:
            pieces.append(("narration", cur_start, s + 1))
            cur_start, cur_kind = s + 1, "dialogue"
    pieces.append((cur_kind, cur_start, para.end))  # type: ignore[arg-type]
    return pieces


def find_quotes(
    text: str, start: int = 0, end: int | None = None, paras: list[Paragraph] | None = None
) -> list[Quote]:
    """The quoted passages of ``text[start:end]`` in order, spoken or not.

    A quote left open at a paragraph end continues only if the next paragraph opens with a
    quote mark of the same kind; otherwise it is cut at the paragraph end.
    """
    end = len(text) if end is None else end
    paras = paragraphs(text, start, end) if paras is None else paras
    single = _single_style(text, start, end)
    quotes: list[Quote] = []
    open_pos = -1
    open_para = -1
    closers: set[str] = set()
    open_kind = ""
    for p in paras:
        skip_first = False
        if open_pos >= 0:
            first = text[p.start]
            if (open_kind == "d" and first in _DOUBLE_OPEN) or (
                open_kind == "s" and _is_single_open(text, p.start, p.start)
            ):
                skip_first = True
            else:
                prev = paras[p.index - 1]
                quotes.append(Quote(open_pos, prev.end, open_para, prev.index, True, False))
                open_pos = -1
        if open_pos < 0 and text[p.start] in _DASHES and p.end - p.start > 1:
            for kind, a, b in _dash_pieces(text, p):
                if kind == "dialogue":
                    quotes.append(Quote(a, b, p.index, p.index, True))
            continue
        for m in _QUOTE_CHARS.finditer(text, p.start, p.end):
            i = m.start()
            c = text[i]
            if skip_first and i == p.start:
                continue
            if open_pos < 0:
                if c in _DOUBLE_OPEN and c not in "\u201d\u00bb":
                    open_pos, open_para, open_kind = i, p.index, "d"
                    closers = _DOUBLE_CLOSE if c == '"' else {_DOUBLE_OPEN[c], '"'}
                elif single and _is_single_open(text, i, p.start):
                    open_pos, open_para, open_kind = i, p.index, "s"
                    closers = _SINGLE_CLOSE
            elif (
                open_kind == "d"
                and c in closers
                or open_kind == "s"
                and _is_single_close(text, i, p.start)
            ):
                quotes.append(Quote(open_pos, i + 1, open_para, p.index, True))
                open_pos = -1
            elif open_kind == "d" and c == "\u201c" and text[i - 1].isspace():
                # A new opening mark while open: the previous closing mark was lost.
                j = i
                while j > open_pos + 1 and text[j - 1].isspace():
                    j -= 1
                quotes.append(Quote(open_pos, j, open_para, p.index, True, False))
                open_pos, open_para = i, p.index
    if open_pos >= 0 and paras:
        last = paras[-1]
        quotes.append(Quote(open_pos, last.end, open_para, last.index, True, False))
    out: list[Quote] = []
    for q in quotes:
        if q.end <= q.start:
            continue
        if q.para == q.last_para and _not_spoken(text, q.start, q.end, paras[q.para].start):
            q = Quote(q.start, q.end, q.para, q.last_para, False, q.closed)
        out.append(q)
    return out


def spans_from_quotes(
    text: str, start: int, end: int, quotes: list[Quote], paras: list[Paragraph]
) -> list[Span]:
    """Tile ``[start, end)`` with the spoken quotes as dialogue and the rest as narration.

    Narration is split at paragraph ends (the blank lines stay with the text before them), so
    no narration piece runs over several paragraphs.
    """
    spans: list[Span] = []
    para_ends = [p.end for p in paras]

    def narration(a: int, b: int) -> None:
        while a < b:
            cut = b
            k = bisect.bisect_right(para_ends, a)
            while k < len(para_ends) and para_ends[k] < b:
                nxt = para_ends[k]
                while nxt < b and text[nxt].isspace():
                    nxt += 1
                if nxt < b:
                    cut = nxt
                    break
                k += 1
            spans.append(Span("narration", a, cut))
            a = cut

    pos = start
    for q in quotes:
        if not q.spoken:
            continue
        if q.start > pos:
            narration(pos, q.start)
        spans.append(Span("dialogue", q.start, q.end))
        pos = q.end
    if pos < end:
        narration(pos, end)
    return spans


def segment(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Tile ``text[start:end]`` into narration and dialogue spans ``(kind, start, end)``.

    Dialogue spans cover a spoken quotation including its marks; everything else (tags,
    narration, quoted text nobody says) is narration. The spans tile the range exactly.
    """
    end = len(text) if end is None else end
    if end <= start:
        return []
    paras = paragraphs(text, start, end)
    return spans_from_quotes(text, start, end, find_quotes(text, start, end, paras), paras)
