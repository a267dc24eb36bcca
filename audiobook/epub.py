"""Reading EPUB 2 and EPUB 3 books into the same source text a story file gives.

An EPUB is a zip of XHTML documents in a reading order (the spine), a table of contents
(EPUB 3 navigation document or EPUB 2 NCX) and package metadata. Everything downstream works on
one plain text with chapter spans (see :mod:`audiobook.text`), so this module renders the spine
into such a text: one paragraph per block element, separated by blank lines, and the chapters
where the table of contents puts them. What a listener should not hear is left out of the text
altogether: publisher matter (title pages, imprint, contents, colophon, copyright and licence
pages, endnotes, index, lists of illustrations, the Project Gutenberg header and licence),
footnote reference marks, page numbers, image alt text and captions. The author's own front
matter (preface, foreword, dedication, epigraph, introduction) stays, as chapters of its own.

Only the standard library is used (``zipfile``, ``xml.etree`` for the package files, and
``html.parser`` for content documents, which tolerates the HTML entities and sloppy markup
real EPUBs carry).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree as ET

from .errors import InputError
from .model import Source
from .text import ChapterSpan, find_chapters

__all__ = ["Cover", "Epub", "TocEntry", "is_epub", "read_epub"]

MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""A document larger than this once decompressed is refused (zip bombs)."""
MAX_EPUB_BYTES = 512 * 1024 * 1024
SECTION_WORDS = 1500
"""Entries of a table of contents pointing inside their parent's own document are sections of
one chapter (a story in parts I, II, III) when they average fewer words than this."""
LONE_WORDS = 60
"""Text before the first chapter, or a part's own page, becomes a chapter past this many words."""

# EPUB 3 structural semantics (epub:type, and the matching DPUB-ARIA roles without "doc-")
# of what is not read: publisher matter, notes and their marks, page breaks.
SKIP_TYPES = frozenset(
    {
        "titlepage", "halftitlepage", "halftitle", "imprint", "toc", "toc-brief", "landmarks",
        "page-list", "loi", "lot", "loa", "lov", "colophon", "copyright-page", "copyright",
        "index", "endnotes", "endnote", "rearnotes", "rearnote", "footnotes", "footnote", "note",
        "noteref", "pagebreak", "backlink", "cover", "seriespage", "other-credits", "credits",
        "errata", "contributors", "publisher-logo", "z3998:publisher-logo",
    }
)  # fmt: skip
# EPUB 2 <guide> reference types of the same kind.
SKIP_GUIDE = frozenset(
    {
        "cover", "title-page", "toc", "index", "colophon", "copyright-page", "loi", "lot",
        "notes", "other.titlepage", "other.imprint", "other.halftitlepage",
    }
)  # fmt: skip
_SKIP_TAGS = frozenset(
    {
        "head", "script", "style", "svg", "math", "img", "image", "figcaption", "nav", "audio",
        "video", "object", "iframe", "noscript", "template", "button", "input", "select",
        "textarea", "rt", "rp", "title",
    }
)  # fmt: skip
_SKIP_CLASSES = frozenset(
    {
        "pgheader", "pgfooter", "pg-boilerplate", "pagenum", "pageno", "page-number",
        "pagenumber", "fnanchor", "footnote", "footnotes", "caption", "figcaption", "transnote",
        "tnote", "noteref", "endnote", "endnotes", "x-ebookmaker-coverpage",
    }
)  # fmt: skip
_SKIP_IDS = frozenset({"pg-header", "pg-footer", "pg-machine-header"})
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figure", "footer", "form", "header", "hr", "li", "main",
        "ol", "p", "pre", "section", "summary", "ul", "caption", "html", "table", "tbody",
        "thead", "tfoot", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup",
        "poem", "stanza", "line",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "hgroup"})
_VOID = frozenset(
    {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source",
     "track", "wbr", "param", "image"}
)  # fmt: skip
# Labels in a table of contents that name publisher matter when the book has no semantics.
_PUBLISHER_LABEL = re.compile(
    r"(?i)^\s*(?:cover(?: page| image)?|title ?page|half[- ]?title(?: page)?|copyright(?: page)?|"
    r"colophon|imprint|(?:table of )?contents|index|list of (?:illustrations|figures|plates|"
    r"tables|maps)|illustrations|endnotes|footnotes|uncopyright|licen[cs]e|"
    r"the full project gutenberg licen[cs]e|project gutenberg licen[cs]e)\s*[.:]?\s*$"
)
_MARKER = re.compile(
    r"^[\[(]?(?:\d{1,3}[a-z]?|[a-z]|[ivxlc]{1,6}|[*\u2020\u2021\u00a7\u00b6#]+)[\])]?$",
    re.IGNORECASE,
)
_GUTENBERG_START = re.compile(r"\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG", re.IGNORECASE)
_GUTENBERG_END = re.compile(
    r"\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG|^End of (?:the )?Project Gutenberg",
    re.IGNORECASE,
)
_CREDITS = re.compile(r"(?i)^(?:produced|prepared|transcribed|e-?text prepared)\b.{0,300}\bby\b")
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\u200c\u200d]")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_SCENE_BREAK = "* * *"
_FONT_OBFUSCATION = frozenset(
    {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
)
_FULLY_NUMERAL = re.compile(r"(?i)^(?:[ivxlcdm]+|\d+)\.?$")


@dataclass(frozen=True)
class Cover:
    """The cover image named by the package metadata."""

    media_type: str
    """``image/jpeg``, ``image/png``, ... as the manifest says."""
    data: bytes
    """The image file's bytes."""
    name: str
    """Its path inside the EPUB."""


@dataclass(frozen=True)
class TocEntry:
    """One entry of the table of contents (NCX navPoint or nav ``li``)."""

    title: str
    """The label as the contents show it, whitespace collapsed."""
    path: str | None
    """The document it points to (path inside the zip), None for a heading without a link."""
    fragment: str | None
    """The ``#id`` inside that document, if any."""
    children: tuple[TocEntry, ...] = ()
    """Nested entries (a part's chapters, a story's sections)."""


@dataclass(frozen=True)
class Epub:
    """An EPUB read as one source text with chapter spans, plus its metadata."""

    source: Source
    """The rendered text (paragraphs separated by blank lines), title and author."""
    chapters: tuple[ChapterSpan, ...]
    """Chapters in reading order; they tile ``source.text`` exactly."""
    language: str | None = None
    """``dc:language`` of the package (``en-GB``), if given."""
    cover: Cover | None = None
    """The cover image, if the package names one."""
    toc: tuple[TocEntry, ...] = ()
    """The table of contents as the book gives it."""
    skipped: tuple[str, ...] = ()
    """Spine documents left out entirely (publisher matter), by path."""
    warnings: tuple[str, ...] = ()
    """Things the reader should know (a missing document, an unusable cover)."""


def is_epub(path: Path) -> bool:
    """True for a ``.epub`` file name, or a zip whose ``mimetype`` says EPUB."""
    if path.suffix.lower() == ".epub":
        return True
    try:
        with path.open("rb") as f:
            head = f.read(58)
    except OSError:
        return False
    return head.startswith(b"PK\x03\x04") and b"mimetypeapplication/epub+zip" in head


# --- a small lenient HTML tree ------------------------------------------------------------


@dataclass(eq=False)
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """Builds a tree of :class:`_Node`; unknown end tags are ignored, open ones closed at end."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _parse_html(text: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def _iter(node: _Node) -> Iterator[_Node]:
    yield node
    for c in node.children:
        if isinstance(c, _Node):
            yield from _iter(c)


def _types(node: _Node) -> set[str]:
    """epub:type values and DPUB-ARIA roles (``doc-noteref`` -> ``noteref``)."""
    found = set(node.attrs.get("epub:type", "").lower().split())
    for role in node.attrs.get("role", "").lower().split():
        found.add(role.removeprefix("doc-"))
    return found


def _all_text(node: _Node) -> str:
    parts: list[str] = []
    for c in node.children:
        parts.append(c if isinstance(c, str) else _all_text(c))
    return "".join(parts)


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", _INVISIBLE.sub("", text)).strip()


def _is_note_mark(node: _Node, parent: _Node | None) -> bool:
    """A footnote/endnote reference mark: a short link like ``[1]``, ``*`` or a superscript."""
    if node.tag not in ("a", "sup"):
        return False
    text = _collapse(_all_text(node))
    if not text or not _MARKER.match(text):
        return False
    if node.tag == "sup":
        return any(c.tag == "a" for c in _iter(node) if c is not node) or text.isdigit()
    href = node.attrs.get("href", "")
    if "#" not in href:
        return False
    cls = node.attrs.get("class", "").lower()
    return bool(
        (parent is not None and parent.tag == "sup")
        or any(c.tag == "sup" for c in _iter(node) if c is not node)
        or text[0] in "[(*\u2020\u2021"
        or re.search(r"(?i)note|fn|foot", href + " " + cls)
    )


def _skipped(node: _Node, parent: _Node | None) -> bool:
    """True for an element whose whole subtree is not read."""
    if node.tag in _SKIP_TAGS:
        return True
    if _types(node) & SKIP_TYPES:
        return True
    if set(node.attrs.get("class", "").lower().split()) & _SKIP_CLASSES:
        return True
    if node.attrs.get("id", "").lower() in _SKIP_IDS or "hidden" in node.attrs:
        return True
    if "display:none" in node.attrs.get("style", "").replace(" ", "").lower():
        return True
    return _is_note_mark(node, parent)


# --- rendering a content document ---------------------------------------------------------


@dataclass
class _Doc:
    """One spine document rendered into paragraphs."""

    path: str
    blocks: list[str] = field(default_factory=list)
    anchors: dict[str, int] = field(default_factory=dict)
    """Element id -> index of the first paragraph at or after it."""
    hidden_ids: set[str] = field(default_factory=set)
    """Ids inside subtrees that are not read."""
    heading: str | None = None
    """The first heading's text."""

    def words(self, start: int = 0, end: int | None = None) -> int:
        return sum(len(b.split()) for b in self.blocks[start:end])


def _link_stats(
    node: _Node, memo: dict[int, tuple[int, int, int]], inside_link: bool = False
) -> tuple[int, int, int]:
    """(characters of text, characters inside links, links) of a subtree, for every node."""
    total = linked = links = 0
    is_link = node.tag == "a" and "href" in node.attrs
    links += is_link
    for c in node.children:
        if isinstance(c, str):
            n = len(c.strip())
            total += n
            linked += n if (inside_link or is_link) else 0
        elif not _skipped(c, node):
            t, lk, n = _link_stats(c, memo, inside_link or is_link)
            total, linked, links = total + t, linked + lk, links + n
    memo[id(node)] = (total, linked, links)
    return total, linked, links


def _is_contents(node: _Node, memo: dict[int, tuple[int, int, int]]) -> bool:
    """A block that is mostly links (five or more): a table of contents without semantics."""
    if node.tag not in ("body", "div", "section", "ol", "ul", "table", "blockquote", "dl"):
        return False
    total, linked, links = memo.get(id(node), (0, 0, 0))
    return links >= 5 and linked >= 0.6 * max(total, 1)


class _Renderer:
    """Walks a content document's tree into paragraphs, recording where each id lands."""

    def __init__(self, doc: _Doc, root: _Node) -> None:
        self.doc = doc
        self.stats: dict[int, tuple[int, int, int]] = {}
        _link_stats(root, self.stats)
        self.cur: list[str] = []
        self.pending: list[str] = []  # ids that belong to the next paragraph
        self.deferred: list[str] = []  # ids met inside the current paragraph's text

    def note_id(self, node: _Node) -> None:
        for key in ("id", "name") if node.tag == "a" else ("id",):
            ident = node.attrs.get(key)
            if ident:
                (self.deferred if "".join(self.cur).strip() else self.pending).append(ident)

    def hide_ids(self, node: _Node) -> None:
        for n in _iter(node):
            if n.attrs.get("id"):
                self.doc.hidden_ids.add(n.attrs["id"])

    def emit(self, text: str) -> None:
        if text == _SCENE_BREAK and (not self.doc.blocks or self.doc.blocks[-1] == text):
            return  # a rule opening the page, or a second one in a row: decoration
        if text:
            index = len(self.doc.blocks)
            self.doc.blocks.append(text)
            for ident in self.pending:
                self.doc.anchors.setdefault(ident, index)
            self.pending = []
        self.pending += self.deferred
        self.deferred = []

    def flush(self) -> None:
        raw = _INVISIBLE.sub("", "".join(self.cur).replace("\xa0", " "))
        self.cur = []
        raw = _SPACES.sub(" ", raw)
        raw = re.sub(r" ?\x00 ?", "\x00", raw).strip(" \x00")
        for para in re.split(r"\x00{2,}", raw):
            self.emit(para.replace("\x00", "\n").strip())
        if not raw:
            self.emit("")

    def walk(self, node: _Node, parent: _Node | None = None) -> None:
        if _skipped(node, parent) or _is_contents(node, self.stats):
            self.hide_ids(node)
            return
        self.note_id(node)
        tag = node.tag
        if tag in _HEADINGS:
            self.flush()
            self.heading(node)
            return
        if tag == "tr":
            self.flush()
            self.table_row(node)
            return
        if tag == "br":
            self.cur.append("\x00")
            return
        if tag == "hr":
            self.flush()
            self.emit(_SCENE_BREAK)
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        for c in node.children:
            if isinstance(c, str):
                self.cur.append(c)
            else:
                self.walk(c, node)
        if block:
            self.flush()

    def lines_of(self, node: _Node, out: list[str], parent: _Node | None = None) -> None:
        """Text of a subtree as lines (block children and ``<br>`` start new lines)."""
        for c in node.children:
            if isinstance(c, str):
                out[-1] += c
            elif _skipped(c, node):
                self.hide_ids(c)
            else:
                self.note_id(c)
                if c.tag == "br" or c.tag in _BLOCK_TAGS:
                    out.append("")
                self.lines_of(c, out, node)
                if c.tag in _BLOCK_TAGS:
                    out.append("")

    def heading(self, node: _Node) -> None:
        """A heading (or heading group) is one paragraph, read once: ``Stave I: Marley's Ghost``."""
        lines: list[str] = [""]
        self.lines_of(node, lines)
        text = ""
        for line in (_collapse(x) for x in lines):
            if not line:
                continue
            if text and not text.endswith((".", ":", ";", "!", "?", "\u2014", "-")):
                text += ":"
            text = f"{text} {line}" if text else line
        if text and self.doc.heading is None:
            self.doc.heading = text
        self.emit(text)

    def table_row(self, node: _Node) -> None:
        """A table row is one paragraph, its cells separated by commas."""
        cells: list[str] = []
        for c in node.children:
            if isinstance(c, _Node) and c.tag in ("td", "th") and not _skipped(c, node):
                self.note_id(c)
                lines: list[str] = [""]
                self.lines_of(c, lines)
                cell = " ".join(x for x in (_collapse(x) for x in lines) if x)
                if cell:
                    cells.append(cell)
        text = ""
        for cell in cells:
            text = (
                f"{text}, {cell}"
                if text and not text.endswith((".", ",", ";", ":"))
                else (f"{text} {cell}".strip())
            )
        self.emit(text)


def _render(path: str, markup: str) -> _Doc:
    doc = _Doc(path)
    root = _parse_html(markup)
    body = next((n for n in _iter(root) if n.tag == "body"), root)
    r = _Renderer(doc, body)
    r.walk(body)
    r.flush()
    for ident in r.pending + r.deferred:
        doc.anchors.setdefault(ident, len(doc.blocks))
    while doc.blocks and doc.blocks[-1] == _SCENE_BREAK:  # a rule closing the page: decoration
        doc.blocks.pop()
    doc.anchors = {k: min(v, len(doc.blocks)) for k, v in doc.anchors.items()}
    return doc


# --- the package --------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(el: ET.Element, name: str) -> str | None:
    for k, v in el.attrib.items():
        if _local(k) == name:
            return v
    return None


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _find(el: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in el.iter() if _local(c.tag) == name), None)


@dataclass(frozen=True)
class _Item:
    id: str
    path: str
    media_type: str
    properties: frozenset[str]


class _Zip:
    """The EPUB's zip, with every failure turned into one clear :class:`InputError`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zf = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file or directory") from None
        except PermissionError:
            raise InputError(f"{path}: permission denied; check the file's permissions") from None
        except IsADirectoryError:
            raise InputError(f"{path}: is a directory, not an EPUB file") from None
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise InputError(
                f"{path}: is not a readable EPUB (the zip archive is damaged or truncated); "
                "export or download it again"
            ) from None
        self.names = {info.filename: info for info in self.zf.infolist()}
        self.lower = {n.lower(): n for n in self.names}
        if sum(i.file_size for i in self.names.values()) > MAX_EPUB_BYTES:
            raise InputError(f"{path}: unpacks to more than 512 MB; this is not a normal EPUB")

    def has(self, name: str) -> bool:
        return name in self.names or name.lower() in self.lower

    def read(self, name: str) -> bytes:
        real = name if name in self.names else self.lower.get(name.lower())
        if real is None:
            raise KeyError(name)
        if self.names[real].file_size > MAX_ENTRY_BYTES:
            raise InputError(f"{self.path}: {real} is larger than 64 MB once unpacked; refused")
        try:
            return self.zf.read(real)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise InputError(
                f"{self.path}: {real} cannot be unpacked ({exc}); the EPUB is damaged, "
                "export or download it again"
            ) from None

    def xml(self, name: str) -> ET.Element:
        try:
            return ET.fromstring(self.read(name))
        except ET.ParseError as exc:
            raise InputError(
                f"{self.path}: {name} is not well-formed XML ({exc}); the EPUB is damaged"
            ) from None

    def text(self, name: str) -> str:
        data = self.read(name)
        m = re.search(rb"""^<\?xml[^>]*encoding=["']([\w.:-]+)["']""", data[:200])
        m = m or re.search(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", data[:2048], re.IGNORECASE)
        enc = m.group(1).decode("ascii") if m else "utf-8"
        if data.startswith(b"\xef\xbb\xbf"):
            data, enc = data[3:], "utf-8"
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
            enc = "utf-16"
        try:
            return data.decode(enc, errors="replace")
        except LookupError:
            return data.decode("utf-8", errors="replace")


def _check_drm(z: _Zip) -> None:
    """Refuse encrypted content (font obfuscation alone is harmless and allowed)."""
    if not z.has("META-INF/encryption.xml"):
        return
    try:
        root = ET.fromstring(z.read("META-INF/encryption.xml"))
    except ET.ParseError:
        raise InputError(
            f"{z.path}: is DRM-protected (META-INF/encryption.xml); only DRM-free EPUBs can be read"
        ) from None
    for data in (e for e in root.iter() if _local(e.tag) == "EncryptedData"):
        method = _find(data, "EncryptionMethod")
        algorithm = (_attr(method, "Algorithm") if method is not None else None) or ""
        ref = _find(data, "CipherReference")
        uri = (_attr(ref, "URI") if ref is not None else None) or ""
        font = re.search(r"(?i)\.(ttf|otf|woff2?|fnt)$", uri)
        if algorithm not in _FONT_OBFUSCATION or not font:
            raise InputError(
                f"{z.path}: is DRM-protected (its content is encrypted); only DRM-free EPUBs "
                "can be read"
            )


def _opf_path(z: _Zip) -> str:
    if z.has("META-INF/container.xml"):
        root = z.xml("META-INF/container.xml")
        for rf in (e for e in root.iter() if _local(e.tag) == "rootfile"):
            full = _attr(rf, "full-path")
            media = _attr(rf, "media-type") or "application/oebps-package+xml"
            if full and media == "application/oebps-package+xml" and z.has(unquote(full)):
                return unquote(full)
    opfs = sorted(n for n in z.names if n.lower().endswith(".opf"))
    if len(opfs) == 1:
        return opfs[0]
    raise InputError(
        f"{z.path}: has no package document (OPF); it is not a valid EPUB, export it again"
    )


def _resolve(base: str, href: str) -> tuple[str, str | None]:
    """A href relative to document ``base`` -> (path inside the zip, fragment or None)."""
    href, _, frag = href.partition("#")
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
        return "", None  # an external link
    path = (
        posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(href))) if href else base
    )
    return path.lstrip("/"), unquote(frag) or None


@dataclass(frozen=True)
class _Package:
    opf: str
    items: dict[str, _Item]
    spine: tuple[tuple[str, bool], ...]
    """(path, linear) in reading order."""
    title: str | None
    authors: tuple[str, ...]
    language: str | None
    cover_id: str | None
    toc_id: str | None
    guide: tuple[tuple[str, str], ...]
    """(type, path) of EPUB 2 guide references."""


def _metadata(meta: ET.Element) -> tuple[str | None, tuple[str, ...], str | None, str | None]:
    title = language = cover_id = None
    roles: dict[str, set[str]] = {}
    for m in _children(meta, "meta"):
        ref = (m.get("refines") or "").lstrip("#")
        if m.get("property") == "role" and ref:
            roles.setdefault(ref, set()).add((m.text or "").strip())
        if m.get("name") == "cover":
            cover_id = m.get("content")
    creators: list[str] = []
    for el in meta:
        name = _local(el.tag)
        text = _collapse(el.text or "")
        if name == "title" and title is None and text:
            title = text
        elif name == "language" and language is None and text:
            language = text
        elif name == "creator" and text:
            role = _attr(el, "role")
            refined = roles.get(el.get("id") or "", {"aut"})
            if role == "aut" or (role is None and "aut" in refined):
                creators.append(text)
    return title, tuple(dict.fromkeys(creators)), language, cover_id


def _package(z: _Zip) -> _Package:
    opf = _opf_path(z)
    root = z.xml(opf)
    meta = _find(root, "metadata")
    title, authors, language, cover_id = (
        _metadata(meta) if meta is not None else (None, (), None, None)
    )
    items: dict[str, _Item] = {}
    manifest = _find(root, "manifest")
    for it in _children(manifest, "item") if manifest is not None else []:
        ident, href = it.get("id"), it.get("href")
        if ident and href:
            props = frozenset((it.get("properties") or "").split())
            items[ident] = _Item(ident, _resolve(opf, href)[0], it.get("media-type") or "", props)
            if "cover-image" in props:
                cover_id = ident
    spine_el = _find(root, "spine")
    spine: list[tuple[str, bool]] = []
    for ref in _children(spine_el, "itemref") if spine_el is not None else []:
        item = items.get(ref.get("idref") or "")
        if item is not None:
            spine.append((item.path, (ref.get("linear") or "yes") != "no"))
    if not spine:
        raise InputError(f"{z.path}: its package document lists no documents to read (empty spine)")
    guide_el = _find(root, "guide")
    guide = tuple(
        ((r.get("type") or "").lower(), _resolve(opf, r.get("href") or "")[0])
        for r in (_children(guide_el, "reference") if guide_el is not None else [])
    )
    toc_id = spine_el.get("toc") if spine_el is not None else None
    return _Package(opf, items, tuple(spine), title, authors, language, cover_id, toc_id, guide)


# --- the table of contents ----------------------------------------------------------------


def _nav_entries(ol: _Node, base: str) -> tuple[TocEntry, ...]:
    entries: list[TocEntry] = []
    for li in (c for c in ol.children if isinstance(c, _Node) and c.tag == "li"):
        label = next(
            (c for c in li.children if isinstance(c, _Node) and c.tag in ("a", "span")), None
        )
        sub = next((c for c in li.children if isinstance(c, _Node) and c.tag == "ol"), None)
        kids = _nav_entries(sub, base) if sub is not None else ()
        if label is None:
            entries.extend(kids)
            continue
        href = label.attrs.get("href") if label.tag == "a" else None
        path, frag = _resolve(base, href) if href else (None, None)
        entries.append(TocEntry(_collapse(_all_text(label)), path or None, frag, kids))
    return tuple(entries)


def _nav(z: _Zip, path: str) -> tuple[tuple[TocEntry, ...], tuple[tuple[str, str], ...]]:
    """Entries of an EPUB 3 navigation document and its landmarks as (type, path)."""
    root = _parse_html(z.text(path))
    navs = [n for n in _iter(root) if n.tag == "nav"]
    toc_nav = next((n for n in navs if "toc" in _types(n)), navs[0] if navs else None)
    entries: tuple[TocEntry, ...] = ()
    if toc_nav is not None:
        ol = next((n for n in _iter(toc_nav) if n.tag == "ol"), None)
        entries = _nav_entries(ol, path) if ol is not None else ()
    landmarks: list[tuple[str, str]] = []
    for nav in (n for n in navs if "landmarks" in _types(n)):
        for a in (n for n in _iter(nav) if n.tag == "a" and n.attrs.get("href")):
            target, frag = _resolve(path, a.attrs["href"])
            if frag is None:
                for t in _types(a):
                    landmarks.append((t, target))
    return entries, tuple(landmarks)


def _ncx_entries(el: ET.Element, base: str) -> tuple[TocEntry, ...]:
    entries: list[TocEntry] = []
    for np in _children(el, "navPoint"):
        label_el = _find(np, "text")
        content = next((c for c in np if _local(c.tag) == "content"), None)
        src = content.get("src") if content is not None else None
        path, frag = _resolve(base, src) if src else (None, None)
        title = _collapse("".join(label_el.itertext())) if label_el is not None else ""
        entries.append(TocEntry(title, path or None, frag, _ncx_entries(np, base)))
    return tuple(entries)


def _toc(z: _Zip, pkg: _Package) -> tuple[tuple[TocEntry, ...], tuple[tuple[str, str], ...]]:
    nav = next((i for i in pkg.items.values() if "nav" in i.properties), None)
    entries: tuple[TocEntry, ...] = ()
    landmarks: tuple[tuple[str, str], ...] = ()
    if nav is not None and z.has(nav.path):
        entries, landmarks = _nav(z, nav.path)
    if not entries:
        ncx = pkg.items.get(pkg.toc_id or "") or next(
            (i for i in pkg.items.values() if i.media_type == "application/x-dtbncx+xml"), None
        )
        if ncx is not None and z.has(ncx.path):
            nav_map = _find(z.xml(ncx.path), "navMap")
            entries = _ncx_entries(nav_map, ncx.path) if nav_map is not None else ()
    return entries, landmarks


def _cover(z: _Zip, pkg: _Package) -> Cover | None:
    """The cover image named by the package, if it is a JPEG or PNG (an SVG cover cannot go
    into an audiobook)."""
    item = pkg.items.get(pkg.cover_id or "")
    if item is None:
        for kind, path in pkg.guide:
            if kind == "cover" and z.has(path) and not path.lower().endswith(_IMAGE_SUFFIXES):
                item = _first_image(z, pkg, path)
    if item is None or not z.has(item.path):
        return None
    data = z.read(item.path)
    if not data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return None
    return Cover(item.media_type, data, item.path)


def _first_image(z: _Zip, pkg: _Package, page: str) -> _Item | None:
    """The manifest item of the first image on a cover page."""
    img = next((n for n in _iter(_parse_html(z.text(page))) if n.tag in ("img", "image")), None)
    if img is None:
        return None
    src = img.attrs.get("src") or img.attrs.get("xlink:href")
    if not src:
        return None
    target = _resolve(page, src)[0]
    return next((i for i in pkg.items.values() if i.path == target), None)


_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".svg")


# --- chapters -----------------------------------------------------------------------------


@dataclass
class _Book:
    """The rendered spine: every document's paragraphs, numbered across the book."""

    docs: dict[str, _Doc]
    """Document path -> the rendered document, in reading order."""
    base: dict[str, int]
    """Document path -> global index of its first paragraph."""
    blocks: list[str]

    def at(self, path: str | None, frag: str | None) -> int | None:
        """Global paragraph index of a link target, or None when it is not read."""
        if path is None or path not in self.base:
            return None
        doc = self.docs[path]
        if not doc.blocks:
            return None
        if frag is None:
            return self.base[path]
        if frag in doc.anchors:
            local = doc.anchors[frag]
            return self.base[path] + local if local < len(doc.blocks) else None
        if frag in doc.hidden_ids:
            return None
        return self.base[path]

    def doc_of(self, path: str | None) -> _Doc | None:
        return self.docs.get(path) if path is not None else None

    def words(self, start: int, end: int) -> int:
        return sum(len(b.split()) for b in self.blocks[start:end])


def _descendants(e: TocEntry) -> Iterator[TocEntry]:
    for c in e.children:
        yield c
        yield from _descendants(c)


def _points(
    entries: tuple[TocEntry, ...], book: _Book, part: str | None = None, sections: bool = False
) -> list[tuple[int, str]]:
    """Where each chapter starts (global paragraph index) and its title, from the contents.

    ``part`` is the enclosing entry's title: it prefixes a bare numeral (``II``), or every
    title when ``sections`` says the entries are sections of one long story.
    """
    out: list[tuple[int, str]] = []
    for e in entries:
        if _PUBLISHER_LABEL.match(e.title):
            continue
        start = book.at(e.path, e.fragment)
        title = e.title
        if part and (sections or _FULLY_NUMERAL.match(title)):
            title = f"{part}: {title}"
        if not e.children:
            if start is not None:
                out.append((start, title))
            continue
        doc = book.doc_of(e.path)
        inside = (
            doc is not None
            and e.fragment is None
            and all(k.path == e.path and k.fragment for k in _descendants(e))
        )
        if (
            inside
            and start is not None
            and doc is not None
            and doc.words() / len(e.children) < SECTION_WORDS
        ):
            out.append((start, title))  # a story told in sections: one chapter
            continue
        inner = _points(e.children, book, title, inside)
        if start is not None:
            first = min((p for p, _ in inner), default=None)
            if first is None or (first > start and book.words(start, first) > LONE_WORDS):
                out.append((start, title))  # a part with words of its own
            elif first > start:  # the part's heading is read at the start of its first chapter
                k = next(i for i, (p, _) in enumerate(inner) if p == first)
                inner[k] = (start, inner[k][1])
        out.extend(inner)
    return out


def _gutenberg_cuts(blocks: list[str]) -> tuple[int, int]:
    """The paragraphs between a Project Gutenberg header and licence (all when there are none)."""
    start, end = 0, len(blocks)
    for i, b in enumerate(blocks[: max(1, len(blocks) // 2)]):
        if _GUTENBERG_START.search(b):
            start = i + 1
    while start and start < len(blocks) and _CREDITS.match(blocks[start]):
        start += 1  # "Produced by ..." right after the header is the transcribers' credit
    for i in range(start, len(blocks)):
        if _GUTENBERG_END.search(blocks[i]):
            end = i
            break
    return start, end


def _assemble(book: _Book, points: list[tuple[int, str | None]]) -> tuple[str, list[ChapterSpan]]:
    """The book's text (paragraphs joined by blank lines) and chapter spans tiling it."""
    lo, hi = _gutenberg_cuts(book.blocks)
    starts: dict[int, str | None] = {}
    for p, title in points:
        if lo <= p < hi:
            starts[p] = title  # several entries at one place: the last (innermost) names it
    order = sorted(starts)
    if order and order[0] > lo and book.words(lo, order[0]) <= LONE_WORDS:
        starts[lo] = starts.pop(order[0])  # a short title block joins the first chapter
    elif not order or order[0] > lo:
        starts[lo] = None
    pieces: list[str] = []
    offsets: dict[int, int] = {}
    pos = 0
    for i in range(lo, hi):
        offsets[i] = pos
        pieces.append(book.blocks[i])
        pos += len(book.blocks[i]) + 2
    text = "\n\n".join(pieces) + "\n"
    spans: list[ChapterSpan] = []
    order = sorted(starts)
    for k, p in enumerate(order):
        a = offsets[p]
        b = offsets[order[k + 1]] if k + 1 < len(order) else len(text)
        spans.append(ChapterSpan(starts[p], a, b))
    return text, spans


def _fallback_points(book: _Book) -> list[tuple[int, str | None]]:
    """Without a usable table of contents: a chapter per document with text."""
    return [(book.base[d.path], d.heading) for d in book.docs.values() if d.blocks]


def _render_spine(z: _Zip, pkg: _Package, skip: set[str]) -> tuple[_Book, list[str], list[str]]:
    docs: list[_Doc] = []
    skipped: list[str] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for path, linear in pkg.spine:
        if path in seen:
            continue
        seen.add(path)
        if not linear or path in skip:
            skipped.append(path)
            docs.append(_Doc(path))
            continue
        if not z.has(path):
            warnings.append(
                f"{z.path}: {path} is in the reading order but not in the EPUB; skipped"
            )
            docs.append(_Doc(path))
            continue
        doc = _render(path, z.text(path))
        if not doc.blocks:
            skipped.append(path)
        docs.append(doc)
    base: dict[str, int] = {}
    blocks: list[str] = []
    for d in docs:
        base[d.path] = len(blocks)
        blocks.extend(d.blocks)
    return _Book({d.path: d for d in docs}, base, blocks), skipped, warnings


def read_epub(path: Path) -> Epub:
    """Read an EPUB 2 or 3 file into a source text with chapters and its metadata.

    Raises :class:`InputError` (one line) for a damaged zip, a missing package document,
    DRM-protected content, or a book with nothing to read.
    """
    z = _Zip(path)
    with z.zf:
        _check_drm(z)
        pkg = _package(z)
        entries, landmarks = _toc(z, pkg)
        skip = {p for t, p in landmarks if t in SKIP_TYPES}
        skip |= {p for t, p in pkg.guide if t in SKIP_GUIDE}
        skip |= {
            e.path for e in entries if e.path and not e.fragment and _PUBLISHER_LABEL.match(e.title)
        }
        book, skipped, warnings = _render_spine(z, pkg, skip)
        cover = _cover(z, pkg)
    if not any(any(ch.isalnum() for ch in b) for b in book.blocks):
        raise InputError(f"{path}: has no text to read (only publisher pages, images or nothing)")
    points: list[tuple[int, str | None]] = list(_points(entries, book))
    if len({p for p, _ in points}) < 2:
        points = _fallback_points(book)
    text, spans = _assemble(book, points)
    if len(spans) == 1:  # one document and no contents: chapter headings inside the text
        found = find_chapters(text, 0, len(text))
        spans = found if len(found) > 1 else spans
    title = pkg.title
    author = ", ".join(pkg.authors[:3]) if pkg.authors else None
    source = Source(path=str(path), text=text, title=title, author=author)
    return Epub(
        source,
        tuple(spans),
        pkg.language,
        cover,
        entries,
        tuple(skipped),
        tuple(warnings),
    )
