"""Dask as the distributed engine: a real scheduler and two workers, started as separate
processes with the ``dask scheduler`` and ``dask worker`` commands on 127.0.0.1, build a small
library; each book matches its local build, and losing a worker mid-build costs only its tasks.

Skipped without the ``dask`` extra (``pip install 'audiobook[dask]'``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import TWO_VOICES
from mutagen.mp4 import MP4
from typer.testing import CliRunner

from audiobook.cli import app

pytest.importorskip("distributed", reason="the dask extra is not installed")

REPO = Path(__file__).resolve().parent.parent
DASK = Path(sys.executable).with_name("dask")


@dataclass
class Cluster:
    """A scheduler and its workers, each in its own process group."""

    tmp: Path
    address: str = ""
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, *args: str) -> None:
        log = (self.tmp / f"{name}.log").open("wb")
        self.procs[name] = subprocess.Popen(
            [str(DASK), *args], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)

    def close(self) -> None:
        for name in [n for n in self.procs if n != "scheduler"] + ["scheduler"]:
            if name in self.procs:
                self.kill(name)

    def workers(self) -> int:
        from distributed import Client

        with Client(self.address, timeout="20s") as c:
            return len(c.scheduler_info()["workers"])


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """``dask scheduler`` on a random port and two ``dask worker`` (one process, one thread
    each); every process is killed at the end, whatever happened."""
    if not DASK.exists():
        pytest.skip("the dask command is not installed next to this Python")
    tmp = tmp_path_factory.mktemp("dask")
    c = Cluster(tmp)
    sched_file = tmp / "scheduler.json"
    try:
        c.start(
            "scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(sched_file),
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        c.address = json.loads(sched_file.read_text())["address"]
        for w in ("w1", "w2"):
            c.start(
                w, "worker", c.address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                "--host", "127.0.0.1", "--name", w, "--local-directory", str(tmp / w),
            )  # fmt: skip
        while c.workers() < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
        assert c.workers() == 2, (tmp / "w1.log").read_text()
        yield c
    finally:
        c.close()


def _tiny_books(tmp_path: Path) -> list[Path]:
    """Three tiny books: two stories as a folder, and two single files."""
    d = tmp_path / "tiny"
    (d / "pair").mkdir(parents=True)
    (d / "pair" / "a.txt").write_text(TWO_VOICES, encoding="utf-8")
    (d / "pair" / "b.txt").write_text('"Stay inside," Paul said. The rain went on.\n')
    (d / "harbour.txt").write_text('The boats came in.\n\n"Rope!" Ana shouted to Luis.\n')
    (d / "snow.txt").write_text("Snow fell on the valley all night, and the river froze.\n")
    return [d / "pair", d / "harbour.txt", d / "snow.txt"]


def _books(tmp_path: Path, n: int) -> list[Path]:
    """``n`` small books from the seed stories (two files as a folder book, the rest single)."""
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    d = tmp_path / "in"
    (d / "pair").mkdir(parents=True)
    shutil.copy(seeds[0], d / "pair" / "a.txt")
    shutil.copy(seeds[1], d / "pair" / "b.txt")
    books = [d / "pair"]
    for s in seeds[2 : 2 + n - 1]:
        books.append(Path(shutil.copy(s, d / s.name)))
    return books


def _library(
    runner: CliRunner, books: list[Path], out: Path, cache: Path, *extra: str
) -> dict[str, dict[str, object]]:
    args = ["library", *map(str, books), "-o", str(out), "--cache", str(cache), "-q", *extra]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output + repr(res.exception)
    return {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/*.build.json")}


def _same_books(local: dict[str, dict[str, object]], dask: dict[str, dict[str, object]]) -> None:
    assert local.keys() == dask.keys() and len(local) == 3
    for name, rep in dask.items():
        assert rep["executor"] == "dask" and rep["workers"] >= 1
        assert local[name]["executor"] == "local"
        assert rep["segments"] == local[name]["segments"]
        d, ld = float(rep["duration_ms"]), float(local[name]["duration_ms"])  # type: ignore[arg-type]
        assert abs(d - ld) <= 0.01 * ld
        assert len(rep["chapters"]) == len(local[name]["chapters"])  # type: ignore[arg-type]


@pytest.mark.parametrize("shared", ["auto", "no"], ids=["shared-cache", "by-value"])
def test_library_on_a_dask_cluster_matches_the_local_build(
    cluster: Cluster, runner: CliRunner, tmp_path: Path, shared: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    books = _tiny_books(tmp_path)
    local = _library(runner, books, tmp_path / "local", tmp_path / "c1", "--engine", "fake")
    monkeypatch.setenv("AUDIOBOOK_SHARED_CACHE", shared)
    dask = _library(
        runner, books, tmp_path / "dask", tmp_path / "c2", "--engine", "fake",
        "--scheduler", cluster.address,
    )  # fmt: skip
    _same_books(local, dask)
    for name, rep in dask.items():
        assert rep["workers"] == 2
        m4b = tmp_path / "dask" / name / f"{name}.m4b"
        assert abs(MP4(m4b).info.length * 1000 - float(rep["duration_ms"])) < 100  # type: ignore[arg-type]
        # the same pieces, joined the same way: the same audio, byte for byte
        assert m4b.read_bytes() == (tmp_path / "local" / name / f"{name}.m4b").read_bytes()
    # the pieces came back into this machine's cache (by value, or written there by workers)
    assert list((tmp_path / "c2").glob("??/*.opus"))
    # $AUDIOBOOK_SCHEDULER is --scheduler's default; a rerun finds every book current
    monkeypatch.setenv("AUDIOBOOK_SCHEDULER", cluster.address)
    args = ["library", *map(str, books), "-o", str(tmp_path / "dask"), "--engine", "fake"]
    res = runner.invoke(app, [*args, "--cache", str(tmp_path / "c2")])
    assert res.exit_code == 0 and res.stdout.count("current") == 3, res.output


def test_unreachable_scheduler_is_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("audiobook.cluster.CONNECT_TIMEOUT_S", 2)
    books = _tiny_books(tmp_path)
    args = ["build", str(books[0]), "-o", str(tmp_path / "o"), "--engine", "fake", "-q"]
    res = runner.invoke(app, [*args, "--scheduler", "tcp://127.0.0.1:9", "--cache", str(tmp_path)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in res.stderr


def test_a_worker_killed_mid_build_costs_only_its_pieces(
    cluster: Cluster, runner: CliRunner, tmp_path: Path
) -> None:
    """Real speech (long enough to kill a worker while it works): the library completes, and
    each book still matches its local build. Runs last: it leaves the cluster one worker."""
    books = _books(tmp_path, 3)
    local = _library(runner, books, tmp_path / "local", tmp_path / "c1")
    cache = tmp_path / "c2"
    args = ["library", *map(str, books), "-o", str(tmp_path / "dask"), "--cache", str(cache)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "audiobook.cli", *args, "-q", "--scheduler", cluster.address],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while len(list(cache.glob("??/*.*"))) < 4 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        assert proc.poll() is None, "the build ended before a worker could be killed"
        cluster.kill("w2")
        stdout, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, stdout.decode() + stderr.decode()
    dask = {
        p.parent.name: json.loads(p.read_text()) for p in (tmp_path / "dask").glob("*/*.build.json")
    }
    _same_books(local, dask)
