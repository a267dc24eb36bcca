"""audiobook library: a book per input, a summary, failures reported, current books skipped;
and the cache commands (info, prune, --cache-max) with the cache's size per hour of audio."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import REPO, TWO_VOICES
from mutagen.mp4 import MP4
from typer.testing import CliRunner

from audiobook.cachestore import entries, parse_size
from audiobook.cli import app

SEEDS = REPO / "seeds"


def _inputs(tmp_path: Path) -> list[Path]:
    """Two single-file books and a folder book."""
    d = tmp_path / "in"
    (d / "folder").mkdir(parents=True)
    one, two = d / "bakery.txt", d / "harbour.txt"
    one.write_text(TWO_VOICES, encoding="utf-8")
    two.write_text(
        'The Harbour\n\nThe boats came in at dusk.\n\n"Rope!" Ana shouted to her brother.\n',
        encoding="utf-8",
    )
    (d / "folder" / "a.txt").write_text("The rain kept on all morning.\n", encoding="utf-8")
    (d / "folder" / "b.txt").write_text('"Stay inside," Paul said.\n', encoding="utf-8")
    return [one, two, d / "folder"]


def test_library_builds_each_input_as_its_own_book_and_reports_failures(
    runner: CliRunner, tmp_path: Path
) -> None:
    books = _inputs(tmp_path)
    empty = tmp_path / "in" / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    out, cache = tmp_path / "lib", tmp_path / "cache"
    args = ["library", str(books[0]), str(empty), *map(str, books[1:]), "-o", str(out)]
    args += ["--cache", str(cache), "--engine", "fake"]
    res = runner.invoke(app, args)
    assert res.exit_code == 1, res.output  # one book failed, the others were built
    assert "[2/4] empty.txt: failed" in res.stderr and "library: 4/4 done, 1 failed" in res.stderr
    assert "failed: " in res.stdout and "empty.txt" in res.stdout
    folders = sorted(p.name for p in out.iterdir())
    assert folders == ["Bakery", "Folder", "Harbour"]
    for name in folders:
        report = json.loads((out / name / f"{name}.build.json").read_text())
        assert report["executor"] == "local" and report["workers"] >= 1
        audio = MP4(out / name / f"{name}.m4b")
        assert abs(audio.info.length * 1000 - report["duration_ms"]) < 100
        assert (out / name / f"{name}.vtt").is_file()
        assert name in res.stdout  # the summary table names every book
    assert len(MP4(out / "Folder" / "Folder.m4b").chapters) == 2
    for col in ("book", "chapters", "duration", "speakers", "wall time", "status"):
        assert col in res.stdout

    # a rerun skips every current book; a changed input is rebuilt, from the cache
    books[1].write_text(books[1].read_text() + "\nThe lights went out.\n", encoding="utf-8")
    res = runner.invoke(app, [a for a in args if a != str(empty)])
    assert res.exit_code == 0, res.output
    assert res.stdout.count("current") == 2 and res.stdout.count("built") == 1
    report = json.loads((out / "Harbour" / "Harbour.build.json").read_text())
    assert report["reused"] > 0 and report["synthesized"] < report["segments"]


def test_sizes_are_read_in_decimal_and_binary_units() -> None:
    assert parse_size("1MB") == 1_000_000 and parse_size("1.5 GiB") == 1.5 * 2**30
    assert parse_size("2048") == 2048 and parse_size("64k") == 64_000


def test_seeds_cache_is_under_60_mb_per_hour_and_prunes_to_1_mb(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Real speech: a fresh build of the seeds leaves at most 60 MB of cache per hour of audio;
    `cache prune --max-size 1MB` brings it under 1 MB and the next build still succeeds."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    res = runner.invoke(app, ["build", str(seeds), "-o", str(out), "--cache", str(cache), "-q"])
    assert res.exit_code == 0, res.output
    report = json.loads(next(out.glob("*.build.json")).read_text())
    size = sum(e.size for e in entries(cache))
    per_hour = size / (report["duration_ms"] / 3_600_000)
    assert per_hour <= 60e6, f"{per_hour / 1e6:.1f} MB per hour of audio"
    info = runner.invoke(app, ["cache", "info", "--cache", str(cache)])
    chapters = len(report["chapters"])
    assert info.exit_code == 0 and f"pieces, {chapters} encoded chapters" in info.stdout
    assert f"pieces 0/{report['segments']} (0%)" in info.stdout

    res = runner.invoke(app, ["cache", "prune", "--max-size", "1MB", "--cache", str(cache)])
    assert res.exit_code == 0, res.output
    assert 0 < sum(e.size for e in entries(cache)) < 1_000_000
    # the most recently used entries stayed: some of the book is still cached
    res = runner.invoke(app, ["build", str(seeds), "-o", str(out), "--cache", str(cache), "-q"])
    assert res.exit_code == 0, res.output
    again = json.loads(next(out.glob("*.build.json")).read_text())
    assert again["duration_ms"] == report["duration_ms"]
    assert 0 < again["synthesized"] < again["segments"]


def test_cache_max_prunes_after_the_build(runner: CliRunner, tmp_path: Path) -> None:
    books = _inputs(tmp_path)
    cache = tmp_path / "cache"
    args = ["library", *map(str, books), "-o", str(tmp_path / "lib"), "--cache", str(cache)]
    res = runner.invoke(app, [*args, "--engine", "fake", "-q", "--cache-max", "200kB"])
    assert res.exit_code == 0, res.output
    assert sum(e.size for e in entries(cache)) <= 200_000
    res = runner.invoke(app, ["cache", "prune", "--max-size", "lots", "--cache", str(cache)])
    assert res.exit_code == 2 and "500MB" in res.stderr and "Traceback" not in res.output


def test_help_has_examples(runner: CliRunner) -> None:
    for cmd in (["library"], ["cache", "info"], ["cache", "prune"]):
        res = runner.invoke(app, [*cmd, "--help"])
        assert res.exit_code == 0 and "Example:" in res.output
    res = runner.invoke(app, ["build", "--help"])
    assert "--scheduler" in res.output and "--cache-max" in res.output
