"""Corrections that stick, and rebuilds that redo only what changed."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from conftest import BuildBook
from typer.testing import CliRunner

from audiobook.cli import app

STORY = """\
Nadia Petrova set the kettle on the stove and waited for the knock.

"You are late again," Nadia said when the door finally opened.

Her brother Ivan shrugged off his wet coat. "The trains," Ivan said. "Always the trains."

"Sit down," she said. "The tea is nearly ready."

The sign on the wall read "Home Sweet Home." Nobody had ever taken it down.

"Thank you," he murmured, and reached for a cup.
"""


def _setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    story = tmp_path / "kitchen.txt"
    story.write_text(STORY, encoding="utf-8")
    return story, tmp_path / "out", tmp_path / "cache"


def test_changing_one_voice_resynthesizes_exactly_that_characters_lines(
    build_book: BuildBook, tmp_path: Path
) -> None:
    story, out, cache = _setup(tmp_path)
    built = build_book(story, out=out, cache=cache)
    first = built.report()
    assert first["synthesized"] == first["segments"]
    script = built.script()
    ivan = next(c for c in script["cast"] if c["name"].startswith("Ivan"))
    ivan_lines = sum(
        1 for ch in script["chapters"] for s in ch["segments"] if s["speaker"] == ivan["id"]
    )
    assert ivan_lines >= 2
    vm = tmp_path / "map.toml"
    vm.write_text('[characters]\n"Ivan" = "Gordon"\n', encoding="utf-8")
    second = build_book(story, out=out, cache=cache, extra=["--voices", str(vm)]).report()
    assert second["synthesized"] == ivan_lines
    assert second["reused"] == second["segments"] - ivan_lines
    assert next(s for s in second["speakers"] if s["id"] == ivan["id"])["voice"] == "Gordon"


def test_a_correction_sticks_and_resynthesizes_one_line(
    runner: CliRunner, build_book: BuildBook, tmp_path: Path
) -> None:
    story, out, cache = _setup(tmp_path)
    build_book(story, out=out, cache=cache)
    vm = tmp_path / "map.toml"
    vm.write_text(
        '[[line]]\ntext = "Thank you,"\nspeaker = "Nadia"\n\n'
        '[[line]]\ntext = "Home Sweet Home."\nkind = "narration"\n',
        encoding="utf-8",
    )
    built = build_book(story, out=out, cache=cache, extra=["--voices", str(vm)])
    report = built.report()
    segs = {s["text"]: s for ch in built.script()["chapters"] for s in ch["segments"]}
    nadia = next(c["id"] for c in built.script()["cast"] if c["name"].startswith("Nadia"))
    assert (
        segs['"Thank you,"']["speaker"] == nadia
        and segs['"Thank you,"']["evidence"] == "correction"
    )
    assert report["corrections"] == {"applied": 2, "unmatched": []}
    sign = next(s for t, s in segs.items() if "Home Sweet Home" in t)
    assert sign["speaker"] == "narrator"
    # one line changed voice (the sign was narration already, or is now read by the narrator)
    assert 1 <= report["synthesized"] <= 2
    # the fix survives an edit elsewhere in the story
    story.write_text(
        STORY.replace("waited for the knock", "waited, and waited, for the knock"), encoding="utf-8"
    )
    res = runner.invoke(app, ["script", str(story), "--format", "json", "--voices", str(vm)])
    assert res.exit_code == 0 and res.stderr == ""
    data = json.loads(res.stdout)
    fixed = next(
        s for ch in data["chapters"] for s in ch["segments"] if s["text"] == '"Thank you,"'
    )
    assert fixed["evidence"] == "correction" and fixed["speaker"] == nadia


def test_a_fix_whose_text_is_gone_is_reported(
    runner: CliRunner, build_book: BuildBook, tmp_path: Path
) -> None:
    story, out, cache = _setup(tmp_path)
    vm = tmp_path / "map.toml"
    vm.write_text(
        '[[line]]\ntext = "Words that are not there"\nspeaker = "Ivan"\n', encoding="utf-8"
    )
    res = runner.invoke(app, ["script", str(story), "--voices", str(vm)])
    assert res.exit_code == 0
    assert (
        "warning:" in res.stderr
        and "'Words that are not there' is not in the book any more" in res.stderr
    )
    report = build_book(story, out=out, cache=cache, extra=["--voices", str(vm)]).report()
    assert report["corrections"]["unmatched"] == ["[[line]] #1 text 'Words that are not there'"]


def test_narration_made_dialogue_with_a_new_character(
    build_book: BuildBook, tmp_path: Path
) -> None:
    story, out, cache = _setup(tmp_path)
    vm = tmp_path / "map.toml"
    vm.write_text(
        '[[line]]\ntext = "Nobody had ever taken it down."\nkind = "dialogue"\n'
        'speaker = "the old clock"\ngender = "male"\n',
        encoding="utf-8",
    )
    script = build_book(story, out=out, cache=cache, extra=["--voices", str(vm)]).script()
    clock = next(c for c in script["cast"] if c["name"] == "the old clock")
    assert clock["gender"] == "male" and clock["lines"] == 1
    seg = next(
        s for ch in script["chapters"] for s in ch["segments"] if s["speaker"] == clock["id"]
    )
    assert seg["kind"] == "dialogue" and "Nobody had ever taken it down." in seg["text"]
    segs = [s for ch in script["chapters"] for s in ch["segments"]]
    assert all(a["end"] == b["start"] for a, b in itertools.pairwise(segs))


def test_editing_one_paragraph_resynthesizes_only_its_segments(
    build_book: BuildBook, tmp_path: Path
) -> None:
    story, out, cache = _setup(tmp_path)
    build_book(story, out=out, cache=cache)
    story.write_text(
        STORY.replace("Nobody had ever taken it down.", "Nobody had dared to take it down."),
        encoding="utf-8",
    )
    report = build_book(story, out=out, cache=cache).report()
    assert report["synthesized"] == 1


def test_lint_lists_doubtful_lines_with_a_fix(runner: CliRunner, tmp_path: Path) -> None:
    story, _, _ = _setup(tmp_path)
    res = runner.invoke(app, ["lint", str(story), "--below", "1.01"])
    assert res.exit_code == 0
    assert "[[line]]" in res.stdout and "text = " in res.stdout and "speaker = " in res.stdout
    confs = [float(x) for x in __import__("re").findall(r"\]\s+confidence (\d\.\d\d)", res.stdout)]
    assert confs == sorted(confs) and confs
