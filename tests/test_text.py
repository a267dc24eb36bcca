"""Reading stories: encodings, newlines, Gutenberg boilerplate, headings, spoken text."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from audiobook.errors import InputError
from audiobook.text import (
    body_span,
    decode,
    find_chapters,
    read_source,
    speakable,
    story_files,
    title_from_text,
)


def test_decodes_bom_crlf_and_cp1252() -> None:
    assert (
        decode("\ufeffCaf\u00e9\r\nline two\rthree".encode("utf-8")) == "Caf\u00e9\nline two\nthree"
    )
    assert (
        decode("na\u00efve \u2014 \u201cquoted\u201d".encode("cp1252"))
        == "na\u00efve \u2014 \u201cquoted\u201d"
    )
    assert decode("\u00e9t\u00e9".encode("latin-1")) == "\u00e9t\u00e9"
    assert decode("hi there".encode("utf-16")) == "hi there"


def test_binary_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(InputError, match="binary"):
        read_source(p)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_text("   \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="no words"):
        read_source(p)


def test_hard_wrapped_lines_are_joined_and_emphasis_dropped() -> None:
    text = "It was _very_ late, and the\nrain *would not* stop falling on\nthe **old** roof."
    assert (
        speakable(text) == "It was very late, and the rain would not stop falling on the old roof."
    )


def test_markup_emoji_and_tags_are_not_spoken() -> None:
    assert speakable('<break time="3s"/> Hello \U0001f600 [there](http://x.y)!') == "Hello there!"
    assert speakable("\U0001f600 \U0001f389 *** ---") == ""
    assert speakable("### The End") == "The End"


def test_gutenberg_header_and_footer_are_not_read() -> None:
    text = (
        "The Project Gutenberg eBook of Tales\n\nTitle: Tales\nAuthor: Some One\n\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK TALES ***\n\nOnce upon a time.\n\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK TALES ***\n\nLicence text here.\n"
    )
    s, e = body_span(text)
    assert text[s:e] == "Once upon a time."


def test_gutenberg_title_and_author_are_found(tmp_path: Path) -> None:
    p = tmp_path / "pg.txt"
    p.write_text(
        "Title: Tales of Snow\nAuthor: Ann Example\n\n*** START OF THE PROJECT GUTENBERG EBOOK ***\n\nOnce.\n"
    )
    src = read_source(p)
    assert (src.title, src.author) == ("Tales of Snow", "Ann Example")


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("CHAPTER I.", "CHAPTER I"),
        ("Chapter 3", "Chapter 3"),
        ("# The Storm", "The Storm"),
        ("XIV", "XIV"),
        ("CHAPTER II.\nThe Pool of Tears", "CHAPTER II: The Pool of Tears"),
        ("BOOK THE FIRST", "BOOK THE FIRST"),
    ],
)
def test_chapter_headings_start_chapters(heading: str, title: str) -> None:
    words = " ".join(["word"] * 30)
    text = f"Opening {words}.\n\n{heading}\n\nBody of the chapter, {words}.\n"
    spans = find_chapters(text)
    assert [s.title for s in spans][-1] == title
    assert spans[0].start == 0 and spans[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))


def test_sentence_with_roman_numeral_word_is_not_a_heading() -> None:
    text = "I\nwent home. " + "word " * 40 + "\n\nMore text here.\n"
    assert len(find_chapters(text)) == 1


def test_contents_lines_are_not_chapters() -> None:
    body = " ".join(["word"] * 40)
    text = f"CHAPTER I.\n\nCHAPTER II.\n\nCHAPTER I.\n\n{body}\n\nCHAPTER II.\n\n{body}\n"
    spans = find_chapters(text)
    assert [s.title for s in spans] == ["CHAPTER I", "CHAPTER II"]


def test_directory_is_natural_sorted(tmp_path: Path) -> None:
    for name in ("ch10.txt", "ch2.txt", "ch1.md", "notes.pdf", ".hidden.txt"):
        (tmp_path / name).write_text("Some words.")
    assert [p.name for p in story_files([tmp_path])] == ["ch1.md", "ch2.txt", "ch10.txt"]


def test_directory_without_stories_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    with pytest.raises(InputError, match="no stories"):
        story_files([tmp_path])


def test_title_from_text_is_human() -> None:
    text = "Marta Vidal pushed open the bakery door and shook the snow from her scarf."
    assert (
        title_from_text(text, 0, len(text), "x") == "Marta Vidal pushed open the bakery door and…"
    )
    assert title_from_text("The Last Train\n\nAt dawn.", 0, 24, "x") == "The Last Train"
