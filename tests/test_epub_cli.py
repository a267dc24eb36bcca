"""EPUB books and what is said, through the commands: build, script, lint, voices, preview."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from epubkit import Doc, Toc, make_epub
from imageio_ffmpeg import get_ffmpeg_exe
from mutagen.mp4 import MP4
from typer.testing import CliRunner

from audiobook.cli import app

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "epub"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/epub")
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="the development EPUBs in ../shared/epub are not here"
)

CHAPTERS = [
    (
        "The Mill",
        (
            "<p>Old Lefevre kept the mill by the river in 1813.</p>"
            "<p>“We grind at 10:30,” Lefevre said to the boy.</p>"
        ),
    ),
    (
        "The River",
        (
            "<p>Roux came down the river with £5,000 in a sack.</p>"
            "<p>“Where is Lefevre?” Roux asked.</p><p>“At the mill,” said the boy.</p>"
        ),
    ),
    (
        "The Storm",
        (
            "<p>The storm broke over the mill and Lefevre laughed.</p>"
            "<p>“Let it blow,” Lefevre said.</p>"
        ),
    ),
]


def _png(path: Path) -> Path:
    subprocess.run(
        [get_ffmpeg_exe(), "-loglevel", "error", "-f", "lavfi", "-i", "color=c=red:s=32x32"]
        + ["-frames:v", "1", str(path)],
        check=True,
    )
    return path


def _book(tmp_path: Path, cover: bool = True) -> Path:
    docs = [
        Doc("title.xhtml", '<section epub:type="titlepage"><h1>Mill Tales</h1></section>'),
        *(Doc(f"c{i}.xhtml", f"<h2>{t}</h2>{body}") for i, (t, body) in enumerate(CHAPTERS, 1)),
        Doc("colophon.xhtml", '<section epub:type="colophon"><p>Set by Quill Press.</p></section>'),
    ]
    toc = [Toc("Title", "title.xhtml")]
    toc += [Toc(t, f"c{i}.xhtml") for i, (t, _) in enumerate(CHAPTERS, 1)]
    toc += [Toc("Colophon", "colophon.xhtml")]
    png = ("cover.png", _png(tmp_path / "c.png").read_bytes(), "image/png") if cover else None
    return make_epub(
        tmp_path / "mill.epub", docs, toc, title="Mill Tales", author="A. Miller", cover=png
    )


def _build(runner: CliRunner, *args: str) -> dict:  # type: ignore[type-arg]
    res = runner.invoke(app, ["build", *args, "--engine", "fake", "-q"])
    assert res.exit_code == 0, res.output
    return json.loads(next(Path(args[args.index("-o") + 1]).glob("*.build.json")).read_text())  # type: ignore[no-any-return]


def _segments(out: Path) -> list[dict]:  # type: ignore[type-arg]
    script = json.loads(next(out.glob("*.script.json")).read_text())
    return [s for ch in script["chapters"] for s in ch["segments"]]


def test_build_an_epub(runner: CliRunner, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    report = _build(runner, str(_book(tmp_path)), "-o", str(out), "--cache", str(cache))
    assert [c["title"] for c in report["chapters"]] == ["The Mill", "The River", "The Storm"]
    m4b = MP4(out / "Mill Tales.m4b")
    assert [c.title for c in m4b.chapters] == ["The Mill", "The River", "The Storm"]
    assert m4b.tags["\xa9nam"] == ["Mill Tales"] and m4b.tags["\xa9ART"] == ["A. Miller"]
    assert bytes(m4b.tags["covr"][0])[:8] == b"\x89PNG\r\n\x1a\n"  # the EPUB's own cover
    segs = _segments(out)
    said = " ".join(s["spoken"] for s in segs)
    assert "Quill Press" not in said and "Mill Tales" not in said
    assert "in eighteen thirteen" in said and "ten thirty" in said
    assert "five thousand pounds" in said
    assert any("1813" in s["text"] for s in segs)  # the source is kept as it is


def test_chapters_option_by_number_and_title_words(runner: CliRunner, tmp_path: Path) -> None:
    book, cache = _book(tmp_path), tmp_path / "cache"
    report = _build(
        runner, str(book), "-o", str(tmp_path / "a"), "--cache", str(cache), "--chapters", "2-3"
    )
    assert [c["title"] for c in report["chapters"]] == ["The River", "The Storm"]
    report = _build(
        runner,
        str(book),
        "-o",
        str(tmp_path / "b"),
        "--cache",
        str(cache),
        "--chapters",
        "storm, 1",
    )
    assert [c["title"] for c in report["chapters"]] == ["The Mill", "The Storm"]
    for bad, message in (("4-9", "chapters 1 to 3"), ("volcano", "no chapter title has")):
        res = runner.invoke(
            app,
            ["build", str(book), "-o", str(tmp_path / "c"), "--engine", "fake", "--chapters", bad],
        )
        assert res.exit_code == 2 and message in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    res = runner.invoke(
        app,
        [
            "preview",
            str(book),
            "--chapters",
            "river",
            "--engine",
            "fake",
            "--cache",
            str(cache),
            "-o",
            str(tmp_path / "p.wav"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert (
        "Roux" in res.stdout
        and "Lefevre kept" not in res.stdout
        and (tmp_path / "p.wav").stat().st_size > 1000
    )


def test_bad_epubs_are_one_line_and_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    good = _book(tmp_path, cover=False)
    broken = tmp_path / "broken.epub"
    broken.write_bytes(good.read_bytes()[:300])
    enc = (
        b'<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        b'<EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#"><EncryptionMethod '
        b'Algorithm="http://ns.adobe.com/adept"/><CipherData><CipherReference URI="OEBPS/c1.xhtml"/>'
        b"</CipherData></EncryptedData></encryption>"
    )
    drm = make_epub(
        tmp_path / "drm.epub",
        [Doc("c1.xhtml", "<p>x</p>")],
        None,
        extra={"META-INF/encryption.xml": enc},
    )
    for path, message in ((broken, "damaged"), (drm, "DRM-protected")):
        for cmd in (
            ["build", str(path), "-o", str(tmp_path / "o"), "--engine", "fake"],
            ["script", str(path)],
            ["lint", str(path)],
            ["voices", "cast", str(path)],
        ):
            res = runner.invoke(app, cmd)
            assert res.exit_code == 1, (cmd, res.output)
            assert res.stderr.startswith("error: ") and message in res.stderr
            assert len(res.stderr.strip().splitlines()) == 1


def test_script_says_the_issues_examples(runner: CliRunner, tmp_path: Path) -> None:
    story = tmp_path / "numbers.txt"
    story.write_text(
        "In 1813 the rent was £5,000 and the hat cost $12.50. We met at 10:30 and read pages "
        "12–14 about Henry VIII, who lived near Baker St. and St. Paul's, with Dr. Watson and "
        "Mrs. Hudson at No. 5 in the 1990s, etc. Then I left.\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["script", str(story), "--format", "json"])
    assert res.exit_code == 0, res.output
    seg = json.loads(res.stdout)["chapters"][0]["segments"][0]
    assert seg["text"].startswith("In 1813 the rent")
    assert seg["spoken"] == (
        "In eighteen thirteen the rent was five thousand pounds and the hat cost twelve dollars "
        "and fifty cents. We met at ten thirty and read pages twelve to fourteen about Henry the "
        "Eighth, who lived near Baker Street and Saint Paul's, with Doctor Watson and Missus "
        "Hudson at number five in the nineteen nineties, et cetera. Then I left."
    )


def test_a_pronunciation_resynthesizes_exactly_the_lines_it_changes(
    runner: CliRunner, tmp_path: Path
) -> None:
    book, out, cache = _book(tmp_path), tmp_path / "out", tmp_path / "cache"
    first = _build(runner, str(book), "-o", str(out), "--cache", str(cache))
    assert first["synthesized"] == first["segments"]
    before = {s["id"]: s for s in _segments(out)}
    with_lefevre = {i for i, s in before.items() if "Lefevre" in s["text"]}
    assert len(with_lefevre) >= 4
    vm = tmp_path / "map.toml"
    vm.write_text('[pronounce]\n"lefevre" = "Le-fev-ruh"\n', encoding="utf-8")
    second = _build(runner, str(book), "-o", str(out), "--cache", str(cache), "--voices", str(vm))
    after = {s["id"]: s for s in _segments(out)}
    changed = {i for i in after if after[i]["spoken"] != before[i]["spoken"]}
    assert changed == with_lefevre
    assert all(
        "Le-fev-ruh" in after[i]["spoken"] and "Lefevre" in after[i]["text"] for i in changed
    )
    assert second["synthesized"] == len(changed)
    assert second["reused"] == second["segments"] - len(changed)
    # only in the narrator's voice: the lines a character says go back to what they were
    vm.write_text(
        '[pronounce]\n"Lefevre" = { say = "Le-fev-ruh", for = ["narrator"] }\n', encoding="utf-8"
    )
    third = _build(runner, str(book), "-o", str(out), "--cache", str(cache), "--voices", str(vm))
    final = {s["id"]: s for s in _segments(out)}
    spoken_by_others = {i for i in changed if final[i]["speaker"] != "narrator"}
    assert spoken_by_others and all(
        final[i]["spoken"] == before[i]["spoken"] for i in spoken_by_others
    )
    assert third["synthesized"] == 0  # both spellings are in the cache already


def test_lint_lists_proper_names_and_voices_cast_reads_an_epub(
    runner: CliRunner, tmp_path: Path
) -> None:
    book = _book(tmp_path, cover=False)
    res = runner.invoke(app, ["lint", str(book), "--below", "0"])
    assert res.exit_code == 0, res.output
    names = re.findall(r"^  (\w+)\s+(\d+)x  first in (.+?):", res.stdout, re.MULTILINE)
    assert names[0] == ("Lefevre", "5", "The Mill") and ("Roux", "2", "The River") in names
    vm = tmp_path / "map.toml"
    vm.write_text('[pronounce]\n"Roux" = { phonemes = "r\'u:" }\n', encoding="utf-8")
    res = runner.invoke(app, ["lint", str(book), "--below", "0", "--voices", str(vm)])
    assert "Roux" not in re.findall(r"^  (\w+)\s+\d+x", res.stdout, re.MULTILINE)
    res = runner.invoke(app, ["voices", "cast", str(book), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert {"Lefevre", "Roux"} <= {r["character"] for r in json.loads(res.stdout)}


def test_pronounce_mistakes_are_reported_like_the_rest_of_the_voice_map(
    runner: CliRunner, tmp_path: Path
) -> None:
    book = _book(tmp_path, cover=False)
    vm = tmp_path / "map.toml"
    vm.write_text('[pronounce]\n"Roux" = { phonemes = "r[u" }\n', encoding="utf-8")
    res = runner.invoke(app, ["script", str(book), "--voices", str(vm)])
    assert res.exit_code == 1 and res.stderr.startswith(f"error: {vm}: pronounce.'Roux'.phonemes")
    vm.write_text('[pronounce]\n"Roux" = { say = "Roo", for = ["Nobody"] }\n', encoding="utf-8")
    res = runner.invoke(app, ["script", str(book), "--voices", str(vm), "--format", "json"])
    assert res.exit_code == 0 and "[pronounce] for = 'nobody'" in res.stderr


@needs_shared
def test_development_epubs_through_script(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["script", str(SHARED / "se-a-christmas-carol.epub"), "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [c["title"] for c in data["chapters"]] == [
        "Preface",
        "Stave I: Marley’s Ghost",
        "Stave II: The First of the Three Spirits",
        "Stave III: The Second of the Three Spirits",
        "Stave IV: The Last of the Spirits",
        "Stave V: The End of It",
    ]
    segs = [s for ch in data["chapters"] for s in ch["segments"]]
    assert segs[0]["spoken"] == "Preface"
    assert any(s["spoken"] == "Stave one: Marley’s Ghost" for s in segs)
    res = runner.invoke(
        app, ["script", str(SHARED / "pg-pride-and-prejudice.epub"), "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data["chapters"]) == 61 and data["title"] == "Pride and Prejudice"
    everything = " ".join(
        s["text"] + s["spoken"] for ch in data["chapters"] for s in ch["segments"]
    )
    assert not re.search(r"(?i:gutenberg|license|ebook)|Produced by", everything)


def test_a_directory_may_hold_epubs(runner: CliRunner, tmp_path: Path) -> None:
    book_dir = tmp_path / "shelf"
    book_dir.mkdir()
    _book(book_dir, cover=False)
    (book_dir / "zz-afterword.txt").write_text(
        "Afterword\n\nThe mill still stands by the river today.\n", encoding="utf-8"
    )
    res = runner.invoke(app, ["script", str(book_dir), "--format", "json"])
    assert res.exit_code == 0, res.output
    titles = [c["title"] for c in json.loads(res.stdout)["chapters"]]
    assert titles == ["The Mill", "The River", "The Storm", "Afterword"]
