"""EPUB input: chapters from the contents, publisher matter left out, what inside is not read."""

from __future__ import annotations

import itertools
import re
import time
import zipfile
from pathlib import Path

import pytest
from epubkit import Doc, Toc, chapter, make_epub
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiobook.epub import is_epub, read_epub
from audiobook.errors import InputError

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "epub"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/epub")
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="the development EPUBs in ../shared/epub are not here"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _chapters(ep: object) -> list[tuple[str | None, str]]:
    text = ep.source.text  # type: ignore[attr-defined]
    return [(c.title, text[c.start : c.end]) for c in ep.chapters]  # type: ignore[attr-defined]


def _tiles(ep: object) -> None:
    text = ep.source.text  # type: ignore[attr-defined]
    spans = ep.chapters  # type: ignore[attr-defined]
    assert spans[0].start == 0 and spans[-1].end == len(text)
    for a, b in itertools.pairwise(spans):
        assert a.end == b.start


def test_epub3_nav_titles_semantics_and_front_matter(tmp_path: Path) -> None:
    docs = [
        Doc(
            "title.xhtml",
            '<section epub:type="titlepage"><h1>A Test Book</h1><p>Ann Author</p></section>',
        ),
        Doc(
            "imprint.xhtml",
            '<section epub:type="imprint"><p>Published by Big House Press.</p></section>',
        ),
        Doc(
            "dedication.xhtml",
            '<section epub:type="dedication"><p>For my mother, who read to me.</p></section>',
        ),
        Doc(
            "preface.xhtml",
            '<section epub:type="preface"><h2>Preface</h2><p>I wrote this book in a cold winter by the sea.</p></section>',
        ),
        Doc("c1.xhtml", chapter(1)),
        Doc("c2.xhtml", chapter(2)),
        Doc(
            "colophon.xhtml",
            '<section epub:type="colophon"><p>Set in Garamond by robots.</p></section>',
        ),
        Doc(
            "copyright.xhtml",
            '<section epub:type="copyright-page"><p>Copyright 2020, all rights reserved.</p></section>',
        ),
    ]
    toc = [
        Toc("Title Page", "title.xhtml"),
        Toc("Imprint", "imprint.xhtml"),
        Toc("Dedication", "dedication.xhtml"),
        Toc("Preface", "preface.xhtml"),
        Toc("One: The <i>Mill</i>", "c1.xhtml"),
        Toc("Two: The River", "c2.xhtml"),
        Toc("Colophon", "colophon.xhtml"),
        Toc("Copyright", "copyright.xhtml"),
    ]
    ep = read_epub(make_epub(tmp_path / "b.epub", docs, toc, cover=("cover.png", PNG, "image/png")))
    titles = [t for t, _ in _chapters(ep)]
    assert titles == ["Dedication", "Preface", "One: The Mill", "Two: The River"]
    text = ep.source.text
    for gone in ("Big House", "Garamond", "rights reserved", "Ann Author"):
        assert gone not in text
    assert "For my mother" in text and "cold winter" in text
    assert ep.source.title == "A Test Book" and ep.source.author == "Ann Author"
    assert ep.language == "en-GB"
    assert ep.cover is not None and ep.cover.data == PNG
    _tiles(ep)


def test_inside_chapters_marks_captions_alt_and_headings(tmp_path: Path) -> None:
    body = """
    <section epub:type="chapter">
      <hgroup><h2><span epub:type="label">Stave</span> <span epub:type="ordinal">I</span></h2>
        <p epub:type="title">Marley’s Ghost</p></hgroup>
      <p>Marley was dead.<a href="notes.xhtml#n1" epub:type="noteref">1</a> Old Marley was dead
      as a door-nail.<sup><a href="#fn2">2</a></sup> See the picture.<a class="fnanchor" href="#f3">[3]</a></p>
      <figure><img src="i.png" alt="A ghost in chains rattling"/><figcaption>The ghost appears.</figcaption></figure>
      <div class="figcenter"><img src="j.png" alt="door knocker"/><p class="caption">The knocker.</p></div>
      <span epub:type="pagebreak" id="p12" title="12"/><span class="pagenum">[Pg 12]</span>
      <blockquote epub:type="z3998:poem"><p><span>The wind blew cold,</span><br/><span>the night was old.</span></p></blockquote>
      <blockquote><p>A letter, quoted whole.</p></blockquote>
      <table><tr><th>Item</th><th>Cost</th></tr><tr><td>Coal</td><td>2s.</td></tr></table>
      <hr/>
      <p>After the break the <abbr>Mr.</abbr> came back.</p>
      <aside epub:type="footnote" id="fn2"><p>A footnote body nobody hears.</p></aside>
    </section>"""
    ep = read_epub(
        make_epub(
            tmp_path / "b.epub",
            [Doc("c1.xhtml", body)],
            [Toc("Stave I: Marley’s Ghost", "c1.xhtml")],
        )
    )
    text = ep.source.text
    paras = text.strip().split("\n\n")
    assert paras[0] == "Stave I: Marley’s Ghost"
    assert text.count("Marley’s Ghost") == 1
    assert "Marley was dead. Old Marley was dead as a door-nail. See the picture." in text
    assert not re.search(r"dead\.?\s*\[?\d|door-nail\.\s*\d|\[3\]", text)
    for gone in ("chains", "ghost appears", "knocker", "Pg 12", "12", "footnote body"):
        assert gone not in text, gone
    assert "The wind blew cold,\nthe night was old." in paras
    assert "A letter, quoted whole." in paras
    assert "Item, Cost" in paras and "Coal, 2s." in paras
    assert "* * *" in paras
    assert paras[-1] == "After the break the Mr. came back."


def test_epub2_ncx_guide_and_gutenberg_boilerplate(tmp_path: Path) -> None:
    pg_head = (
        '<div class="pgheader"><p>The Project Gutenberg EBook of X</p>'
        "<p>*** START OF THIS PROJECT GUTENBERG EBOOK X ***</p></div>"
    )
    docs = [
        Doc("cover.html", '<div><img src="c.jpg" alt="Cover"/></div>'),
        Doc(
            "front.html",
            "<p>*** START OF THE PROJECT GUTENBERG EBOOK TEST ***</p><p>Produced by volunteers.</p>",
        ),
        Doc(
            "toc.html",
            "<h2>Contents</h2>"
            + "".join(f'<p><a href="c{i}.html">Chapter {i}</a></p>' for i in range(1, 7)),
        ),
        *(Doc(f"c{i}.html", (pg_head if i == 1 else "") + chapter(i)) for i in range(1, 4)),
        Doc(
            "end.html",
            "<p>End of the Project Gutenberg EBook of Test</p><p>This eBook is for the use of anyone anywhere.</p>",
        ),
    ]
    toc = [Toc(f"Chapter {i}", f"c{i}.html") for i in range(1, 4)]
    path = make_epub(
        tmp_path / "b.epub", docs, toc, version=2,
        guide=[("cover", "cover.html"), ("toc", "toc.html")],
        cover=("c.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
    )  # fmt: skip
    ep = read_epub(path)
    assert [t for t, _ in _chapters(ep)] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    assert "Gutenberg" not in ep.source.text and "volunteers" not in ep.source.text
    assert "toc.html" in " ".join(ep.skipped)
    assert ep.cover is not None and ep.cover.media_type == "image/jpeg"
    _tiles(ep)


def test_contents_page_without_semantics_is_skipped(tmp_path: Path) -> None:
    links = "".join(f'<li><a href="c{i}.xhtml">Chapter {i}</a></li>' for i in range(1, 9))
    docs = [
        Doc("contents.xhtml", f"<h1>My Book</h1><ul>{links}</ul>"),
        Doc("c1.xhtml", chapter(1)),
        Doc("c2.xhtml", chapter(2)),
    ]
    toc = [
        Toc("My Book", "contents.xhtml"),
        Toc("Chapter 1", "c1.xhtml"),
        Toc("Chapter 2", "c2.xhtml"),
    ]
    ep = read_epub(make_epub(tmp_path / "b.epub", docs, toc))
    assert [t for t, _ in _chapters(ep)] == ["Chapter 1", "Chapter 2"]


def test_parts_holding_chapters(tmp_path: Path) -> None:
    docs = [
        Doc("p1.xhtml", "<h1>Book One</h1>"),
        Doc("c1.xhtml", chapter(1)),
        Doc("c2.xhtml", chapter(2)),
        Doc(
            "p2.xhtml",
            "<h1>Book Two</h1>" + "<p>" + "An introduction of some length. " * 30 + "</p>",
        ),
        Doc("c3.xhtml", chapter(3)),
    ]
    toc = [
        Toc("Book One", "p1.xhtml", [Toc("Chapter 1", "c1.xhtml"), Toc("Chapter 2", "c2.xhtml")]),
        Toc("Book Two", "p2.xhtml", [Toc("I", "c3.xhtml")]),
    ]
    ep = read_epub(make_epub(tmp_path / "b.epub", docs, toc))
    got = _chapters(ep)
    assert [t for t, _ in got] == ["Chapter 1", "Chapter 2", "Book Two", "Book Two: I"]
    assert got[0][1].startswith(
        "Book One\n\nChapter 1\n\n"
    )  # a bare part page opens its first chapter
    _tiles(ep)


def test_sections_of_a_story_and_a_single_file_book(tmp_path: Path) -> None:
    story = (
        '<article><h2>The Curse</h2><section id="s1"><h3>I</h3><p>Short part one.</p></section>'
        '<section id="s2"><h3>II</h3><p>Short part two.</p></section></article>'
    )
    long_sections = "".join(
        f'<section id="b{i}"><h3>Branch {i}</h3>' + "<p>" + "word " * 1600 + "</p></section>"
        for i in (1, 2)
    )
    docs = [Doc("story.xhtml", story), Doc("long.xhtml", "<h2>Roads</h2>" + long_sections)]
    toc = [
        Toc("The Curse", "story.xhtml", [Toc("I", "story.xhtml#s1"), Toc("II", "story.xhtml#s2")]),
        Toc(
            "Roads",
            "long.xhtml",
            [Toc("Branch 1", "long.xhtml#b1"), Toc("Branch 2", "long.xhtml#b2")],
        ),
    ]
    ep = read_epub(make_epub(tmp_path / "b.epub", docs, toc))
    got = _chapters(ep)
    assert [t for t, _ in got] == ["The Curse", "Roads: Branch 1", "Roads: Branch 2"]
    assert "Short part two." in got[0][1]
    assert got[1][1].startswith("Roads\n\nBranch 1")
    one_file = "".join(f'<div id="ch{i}">{chapter(i, 80)}</div>' for i in (1, 2, 3))
    ep = read_epub(
        make_epub(
            tmp_path / "one.epub",
            [Doc("all.xhtml", one_file)],
            [Toc(f"Chapter {i}", f"all.xhtml#ch{i}") for i in (1, 2, 3)],
        )
    )
    assert [t for t, _ in _chapters(ep)] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    assert all(body.startswith(f"Chapter {i}\n") for i, (_, body) in enumerate(_chapters(ep), 1))


def test_without_contents_documents_then_headings_make_chapters(tmp_path: Path) -> None:
    ep = read_epub(
        make_epub(
            tmp_path / "a.epub", [Doc("a.xhtml", chapter(1)), Doc("b.xhtml", chapter(2))], None
        )
    )
    assert [t for t, _ in _chapters(ep)] == ["Chapter 1", "Chapter 2"]
    one = "".join(
        f"<h2>CHAPTER {r}.</h2>" + "<p>" + "Plenty of words here. " * 20 + "</p>"
        for r in ("I", "II")
    )
    ep = read_epub(make_epub(tmp_path / "b.epub", [Doc("a.xhtml", one)], None))
    assert [t for t, _ in _chapters(ep)] == ["CHAPTER I", "CHAPTER II"]


def test_entities_and_sloppy_markup_are_read(tmp_path: Path) -> None:
    body = "<p>Caf&eacute; &amp; cr&egrave;me&nbsp;br&ucirc;l&eacute;e<p>Second para &mdash; unclosed<br>next line"
    ep = read_epub(make_epub(tmp_path / "b.epub", [Doc("a.xhtml", body)], [Toc("One", "a.xhtml")]))
    assert "Café & crème brûlée" in ep.source.text
    assert "Second para — unclosed\nnext line" in ep.source.text


def test_drm_broken_zip_and_missing_opf_are_one_clear_line(tmp_path: Path) -> None:
    docs = [Doc("a.xhtml", chapter(1))]
    enc = (
        b'<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        b'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
        b'<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
        b'<enc:CipherData><enc:CipherReference URI="OEBPS/a.xhtml"/></enc:CipherData>'
        b"</enc:EncryptedData></encryption>"
    )
    drm = make_epub(tmp_path / "drm.epub", docs, None, extra={"META-INF/encryption.xml": enc})
    with pytest.raises(InputError, match="DRM-protected") as info:
        read_epub(drm)
    assert "\n" not in str(info.value)
    fonts = enc.replace(
        b"http://www.w3.org/2001/04/xmlenc#aes128-cbc", b"http://www.idpf.org/2008/embedding"
    )
    fonts = fonts.replace(b"OEBPS/a.xhtml", b"OEBPS/fonts/f.otf")
    assert read_epub(
        make_epub(tmp_path / "f.epub", docs, None, extra={"META-INF/encryption.xml": fonts})
    )
    good = make_epub(tmp_path / "good.epub", docs, None)
    broken = tmp_path / "broken.epub"
    broken.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(InputError, match="damaged"):
        read_epub(broken)
    (tmp_path / "text.epub").write_text("just text", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable EPUB"):
        read_epub(tmp_path / "text.epub")
    no_opf = tmp_path / "noopf.epub"
    with zipfile.ZipFile(no_opf, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("OEBPS/a.xhtml", "<html><body><p>hi</p></body></html>")
    with pytest.raises(InputError, match="no package document"):
        read_epub(no_opf)
    with pytest.raises(InputError, match="no text"):
        read_epub(
            make_epub(
                tmp_path / "empty.epub",
                [Doc("a.xhtml", '<img src="x.png" alt="all pictures"/>')],
                None,
            )
        )


def test_svg_cover_is_not_used_and_is_epub(tmp_path: Path) -> None:
    path = make_epub(
        tmp_path / "b.epub",
        [Doc("a.xhtml", chapter(1))],
        None,
        cover=("c.svg", b"<svg/>", "image/svg+xml"),
    )
    ep = read_epub(path)
    assert ep.cover is None and ep.warnings == ()
    assert is_epub(path)
    renamed = tmp_path / "book.zip"
    renamed.write_bytes(path.read_bytes())
    assert is_epub(renamed) and not is_epub(tmp_path / "nothing.txt")


_WORD = st.text(alphabet="abcdefghij", min_size=1, max_size=8)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    chapters=st.lists(st.lists(_WORD, min_size=1, max_size=40), min_size=1, max_size=6),
    nested=st.booleans(),
)
def test_chapters_always_tile_the_text(
    tmp_path: Path, chapters: list[list[str]], nested: bool
) -> None:
    docs = [
        Doc(f"c{i}.xhtml", f"<h2>Part {i}</h2><p>{' '.join(w)}</p>") for i, w in enumerate(chapters)
    ]
    entries = [Toc(f"Part {i}", f"c{i}.xhtml") for i in range(len(chapters))]
    toc = [Toc("All", None, entries)] if nested else entries
    ep = read_epub(make_epub(tmp_path / "h.epub", docs, toc))
    _tiles(ep)
    assert len(ep.chapters) == len(chapters) or len(chapters) == 1
    for words in chapters:
        assert " ".join(words) in ep.source.text


# --- the development books -----------------------------------------------------------------


@needs_shared
def test_pride_and_prejudice_epub2() -> None:
    ep = read_epub(SHARED / "pg-pride-and-prejudice.epub")
    got = _chapters(ep)
    assert [t for t, _ in got] == [f"Chapter {i}" for i in range(1, 62)]
    assert got[0][1].startswith("Chapter 1\n\nIt is a truth universally acknowledged")
    assert got[-1][1].rstrip().endswith("had been the means of uniting them.")
    assert not re.search(
        r"(?i:gutenberg|license|ebook)|\bCONTENTS\b|ILLUSTRATED EDITION|Produced by", ep.source.text
    )
    assert ep.source.title == "Pride and Prejudice" and ep.source.author == "Jane Austen"
    assert ep.cover is not None and ep.cover.data[:3] == b"\xff\xd8\xff"
    _tiles(ep)


@needs_shared
def test_christmas_carol_epub3() -> None:
    ep = read_epub(SHARED / "se-a-christmas-carol.epub")
    assert [t for t, _ in _chapters(ep)] == [
        "Preface",
        "Stave I: Marley’s Ghost",
        "Stave II: The First of the Three Spirits",
        "Stave III: The Second of the Three Spirits",
        "Stave IV: The Last of the Spirits",
        "Stave V: The End of It",
    ]
    text = ep.source.text
    assert not re.search(r"Standard Ebooks|Gutenberg|CC0|Uncopyright|Imprint|Colophon", text)
    assert text.count("Stave I: Marley’s Ghost") == 1 and "Stave\n" not in text
    assert ep.language == "en-GB" and ep.source.author == "Charles Dickens"


@needs_shared
def test_o_henry_hundreds_of_stories_nested_contents() -> None:
    t0 = time.monotonic()
    ep = read_epub(SHARED / "se-o-henry-short-fiction.epub")
    took = time.monotonic() - t0
    titles = [c.title for c in ep.chapters]
    assert len(titles) == 416, len(titles)  # 413 stories, one of them read as its 4 parts
    assert titles[0] == "Lord Oakhurst’s Curse" and titles[-1] == "The Dream"
    assert "Roads of Destiny: The Left Branch" in titles
    assert not re.search(r"Standard Ebooks|Uncopyright|Endnotes|↩", ep.source.text)
    assert "dine at ⸻ at least once" in ep.source.text  # the endnote mark is not read
    assert took < 60, took
    _tiles(ep)
