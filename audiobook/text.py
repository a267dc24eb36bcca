"""Reading story files: encodings, newlines, Gutenberg boilerplate, chapter headings.

The source text keeps every character (offsets point into it); what is *spoken* is derived
from it by :func:`speakable`, which joins hard-wrapped lines and drops markup.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .model import Source

STORY_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".epub")
MAX_STORY_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ChapterSpan:
    """A chapter found inside one source text."""

    title: str | None
    """The heading's text, or None when the span has no heading of its own."""
    start: int
    """Where the chapter's body starts (the heading line is included: it is read aloud)."""
    end: int


def decode(data: bytes, path: str = "<bytes>") -> str:
    """Decode a story file: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252/Latin-1.

    Newlines are normalised to ``\\n``. Raises :class:`InputError` for binary data.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data[:8192]:
            raise InputError(
                f"{path}: looks like a binary file, not a story; give a .txt, .md or .epub file"
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(
        1 for ch in text[:8192] if unicodedata.category(ch) == "Cc" and ch not in "\n\t\f"
    )
    if controls > max(8, len(text[:8192]) // 50):
        raise InputError(
            f"{path}: looks like a binary file, not a story; give a .txt, .md or .epub file"
        )
    return text


_GUTENBERG_START = re.compile(
    r"^\*\*\*\s*START OF (THE|THIS) PROJECT GUTENBERG.*$", re.MULTILINE | re.IGNORECASE
)
_GUTENBERG_END = re.compile(
    r"^(\*\*\*\s*END OF (THE|THIS) PROJECT GUTENBERG.*|End of (the )?Project Gutenberg.*)$",
    re.MULTILINE | re.IGNORECASE,
)
_META = re.compile(r"^(Title|Author):\s*(.+)$", re.MULTILINE)


def body_span(text: str) -> tuple[int, int]:
    """The part of ``text`` that is the story: without a Gutenberg header and licence footer."""
    start, end = 0, len(text)
    m = _GUTENBERG_START.search(text)
    if m:
        start = m.end()
    m = _GUTENBERG_END.search(text, start)
    if m:
        end = m.start()
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_ROMAN = r"(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|first|second|third|fourth|"
    r"fifth|sixth|seventh|eighth|ninth|tenth|last"
)
_HEADING = re.compile(
    r"^[ \t]*(?:"
    r"(?P<md>\#{1,3})[ \t]+(?P<mdtitle>\S[^\n]*)"
    r"|(?P<word>(?:chapter|part|book|stave|letter)[ \t]+(?:the[ \t]+)?(?:\d+|"
    + _ROMAN
    + r"|"
    + _NUMBER_WORDS
    + r")"
    r"\b[.:]?(?:[ \t]*[-—–:.]?[ \t]*[^\n]{0,80})?)"
    r"|(?P<roman>" + _ROMAN + r")[.]?"
    r"|(?P<num>\d{1,3})[.]"
    r")[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)


def _heading_end(text: str, start: int, end: int) -> tuple[int, str] | None:
    """Where a heading block ends and its subtitle, or None when the line is not alone.

    A heading stands alone: a blank line (or the text's edge) before it, and after it a blank
    line, or one short subtitle line and then a blank line (``CHAPTER I.\\nDown the Rabbit-Hole``).
    """
    before = text[max(0, start - 2) : start]
    if not (start == 0 or before.endswith("\n\n") or (start == 1 and before == "\n")):
        return None
    if end >= len(text) or text.startswith("\n\n", end) or text[end:].strip() == "":
        return end, ""
    if text[end] != "\n":
        return None
    nl = text.find("\n", end + 1)
    if nl == -1:
        nl = len(text)
    sub = text[end + 1 : nl].strip()
    alone = 0 < len(sub) <= 70 and (nl >= len(text) or text.startswith("\n\n", nl))
    if alone and (not sub.endswith((".", ",", ";", '"', "”")) or len(sub.split()) <= 6):
        return nl, sub
    return None


def find_chapters(text: str, start: int = 0, end: int | None = None) -> list[ChapterSpan]:
    """Split ``text[start:end]`` at chapter headings; the spans tile the range exactly.

    Headings: ``CHAPTER I.``, ``Chapter 3``, ``# Title``, a lone roman numeral line, ...
    Text before the first heading becomes its own (untitled) chapter when it is more than
    a title block.
    """
    if end is None:
        end = len(text)
    heads: list[tuple[int, str]] = []
    for m in _HEADING.finditer(text, start, end):
        line = m.group(0)
        if m.group("roman") and m.group("roman").upper() != m.group("roman"):
            continue  # "I" or "mix" in lower case is a word, not a numeral
        if m.group("word") and not m.group("word")[0].isupper():
            continue
        found = _heading_end(text, m.start(), m.end())
        if found is None:
            continue
        title = _clean_title(m.group("mdtitle") or line.strip())
        if found[1]:
            title = f"{title}: {_clean_title(found[1]).title() if found[1].isupper() else _clean_title(found[1])}"
        heads.append((m.start() + (len(line) - len(line.lstrip())), title))
    # Gutenberg tables of contents list every heading once before the text: a heading whose
    # chapter holds almost nothing is a contents line, not a chapter.
    spans: list[ChapterSpan] = []
    if not heads:
        return [ChapterSpan(None, start, end)]
    kept: list[tuple[int, str]] = []
    pending: int | None = None  # a skipped heading just before ("BOOK THE SECOND") opens the next
    for i, (pos, title) in enumerate(heads):
        nxt = heads[i + 1][0] if i + 1 < len(heads) else end
        if len(text[pos:nxt].split()) < 12 and i + 1 < len(heads):
            pending = pos if pending is None else pending
            continue
        kept.append((pos if pending is None or not kept else pending, title))
        pending = None
    if not kept:
        return [ChapterSpan(None, start, end)]
    first = kept[0][0]
    if len(text[start:first].split()) > 60:
        spans.append(ChapterSpan(None, start, first))
        prev = None
    else:
        prev = start  # a short title block joins the first chapter
    for i, (pos, title) in enumerate(kept):
        s = prev if (i == 0 and prev is not None) else pos
        e = kept[i + 1][0] if i + 1 < len(kept) else end
        spans.append(ChapterSpan(title, s, e))
    return spans


def _clean_title(title: str) -> str:
    title = re.sub(r"[_*#]+", "", title).strip()
    title = re.sub(r"\s+", " ", title)
    return (
        title.rstrip(".:")
        if re.fullmatch(r"(?i)((chapter|part|book)\s+)?\S+[.:]", title)
        else title
    )


def read_source(path: Path) -> Source:
    """Read and decode one story file. Raises :class:`InputError` with a clear message."""
    try:
        size = path.stat().st_size
        if size > MAX_STORY_BYTES:
            raise InputError(
                f"{path}: {size // 1_000_000} MB is too large for a story (limit 50 MB)"
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(
            f"{path}: is a directory; give it on its own to build it as a book"
        ) from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; check the file's permissions") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    text = decode(data, str(path))
    b0, b1 = body_span(text)
    if not any(ch.isalnum() for ch in text[b0:b1]):
        raise InputError(f"{path}: has no words to read; give a story with text in it")
    title = author = None
    header = text[:b0] if b0 else text[:2000]
    for m in _META.finditer(header):
        if m.group(1) == "Title" and title is None:
            title = m.group(2).strip()
        elif m.group(1) == "Author" and author is None:
            author = m.group(2).strip()
    return Source(path=str(path), text=text, title=title, author=author)


def _natural_key(p: Path) -> list[object]:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", p.name)]


def story_files(inputs: list[Path]) -> list[Path]:
    """Expand the inputs into story files, directories in natural sort order."""
    files: list[Path] = []
    for inp in inputs:
        if not inp.exists():
            raise InputError(f"{inp}: no such file or directory")
        if inp.is_dir():
            found = sorted(
                (
                    p
                    for p in inp.iterdir()
                    if p.is_file()
                    and p.suffix.lower() in STORY_SUFFIXES
                    and not p.name.startswith(".")
                ),
                key=_natural_key,
            )
            if not found:
                raise InputError(
                    f"{inp}: no stories in this directory; add .txt, .md or .epub files"
                )
            files.extend(found)
        else:
            files.append(inp)
    return files


# --- what is spoken ---------------------------------------------------------------------

_EMPHASIS = re.compile(r"(?<![\w*_])([_*]{1,2})(?=\S)(.+?)(?<=\S)\1(?![\w*_])", re.DOTALL)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^<>\n]{1,200}>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def _drop_unspeakable(text: str) -> str:
    """Keep letters, digits, punctuation and spaces; drop emoji, symbols and control codes."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LNPZ" or ch in "\n" or cat[0] == "S" and ch in "$€£%&+=@":
            out.append(ch)
        else:
            out.append(" ")
    return "".join(out)


def speakable(text: str) -> str:
    """The words of ``text`` as they should be spoken.

    Joins hard-wrapped lines, removes Markdown/Gutenberg emphasis markers, heading hashes,
    links' targets, HTML/SSML-like tags (never interpreted: the engine gets plain text),
    emoji and symbols. Returns "" when nothing is left to say.
    """
    t = _MD_LINK.sub(r"\1", text)
    t = _TAG.sub(" ", t)
    t = _ENTITY.sub(" ", t)
    t = re.sub(r"^[ \t]*#{1,6}[ \t]+", "", t, flags=re.MULTILINE)
    t = re.sub(r"^[ \t]*(?:[-*_][ \t]*){3,}$", " ", t, flags=re.MULTILINE)  # rules / scene breaks
    for _ in range(2):
        t = _EMPHASIS.sub(r"\2", t)
    t = _drop_unspeakable(t)
    t = t.replace("[", " ").replace("]", " ")
    t = re.sub(r"\s+", " ", t).strip()
    if not any(ch.isalnum() for ch in t):
        return ""
    return t


def word_count(text: str) -> int:
    """Words in spoken text (for plausibility checks and statistics)."""
    return len(re.findall(r"\w+", text))


def title_from_text(text: str, start: int, end: int, fallback: str) -> str:
    """A human chapter title for a span without a heading: its first line if it is short
    and looks like a title, else the opening words of its first sentence."""
    body = text[start:end].strip()
    first_line = body.split("\n", 1)[0].strip()
    clean = speakable(first_line)
    if (
        clean
        and len(clean) <= 70
        and len(body.split("\n", 1)) > 1
        and not clean.endswith((".", ",", ";"))
    ):
        return clean
    words = speakable(body[:400]).split()
    if not words:
        return fallback
    sentence = " ".join(words[:8])
    sentence = re.split(r"(?<=[.!?])\s", sentence)[0].rstrip(",;:")
    if len(words) > 8 and not sentence.endswith((".", "!", "?")):
        sentence += "…"
    return sentence


def mask_markup(text: str) -> str:
    """``text`` with HTML/SSML-like tags and entities blanked out, same length (offsets hold).

    Segmentation may cut inside a tag (``<break time="3s"/>`` has quote marks), so tags are
    removed from the whole source before any piece of it is spoken.
    """

    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group(0))

    return _ENTITY.sub(blank, _TAG.sub(blank, text))


_SCRIPT_LANGS = (
    ("GREEK", "el"),
    ("CYRILLIC", "ru"),
    ("CJK", "cmn"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("HANGUL", "ko"),
    ("ARABIC", "ar"),
    ("HEBREW", "he"),
    ("DEVANAGARI", "hi"),
    ("THAI", "th"),
)


def _script_of(ch: str) -> str | None:
    if not ch.isalpha() or ord(ch) < 0x250:
        return None
    name = unicodedata.name(ch, "")
    for prefix, lang in _SCRIPT_LANGS:
        if name.startswith(prefix):
            return lang
    return None


def script_runs(text: str) -> list[tuple[str | None, str]]:
    """Split spoken text into runs by writing system: ``(None, latin text)`` or ``("el", greek)``.

    An English voice reads Greek or Chinese letter by letter (or by their names); each run in
    another script is read with that language's voice instead.
    """
    runs: list[tuple[str | None, str]] = []
    current: str | None = None
    buf: list[str] = []
    for ch in text:
        lang = _script_of(ch)
        if ch.isalpha() and lang != current:
            if buf and "".join(buf).strip():
                runs.append((current, "".join(buf).strip()))
                buf = []
            current = lang
        buf.append(ch)
    if buf and "".join(buf).strip():
        runs.append((current, "".join(buf).strip()))
    return runs
