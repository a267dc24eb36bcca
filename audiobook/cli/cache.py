"""The ``cache`` commands: how big the audio cache is, what the last build took from it, and
pruning it to a size."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .core import friendly, out

cache_app = typer.Typer(
    help="The audio cache: its size and hit rate, and pruning it.\n\n"
    "Example: audiobook cache prune --max-size 500MB",
    no_args_is_help=True,
)

CacheDir = Annotated[
    Path | None,
    typer.Option("--cache", help="Audio cache directory [default: ~/.cache/audiobook]."),
]


def _root(cache: Path | None) -> Path:
    from ..synth import default_cache_dir

    return cache or default_cache_dir()


def _rate(hit: int, total: int) -> str:
    return f"{hit}/{total} ({100 * hit / total:.0f}%)" if total else "none"


@cache_app.command("info")
@friendly
def cache_info(cache: CacheDir = None) -> None:
    """Size and entries of the audio cache, and the hit rate of the last build that used it.

    Example: audiobook cache info --cache /shared/audiobook-cache
    """
    from ..cachestore import human_size, info

    i = info(_root(cache))
    out.print(f"cache:     {i.root}", markup=False)
    out.print(f"size:      {human_size(i.size)} ({i.size} bytes)", markup=False)
    acx = f", {i.acx} ACX files" if i.acx else ""
    out.print(f"entries:   {i.pieces} pieces, {i.chapters} encoded chapters{acx}", markup=False)
    last = i.last_build
    if not last:
        out.print("last build: none recorded", markup=False)
        return
    out.print(f"last build: {last.get('title')!r} at {last.get('finished')}", markup=False)
    out.print(
        f"hit rate:  pieces {_rate(last['pieces_reused'], last['pieces'])}, "
        f"chapters {_rate(last['chapters_reused'], last['chapters'])}",
        markup=False,
    )


@cache_app.command("prune")
@friendly
def cache_prune(
    max_size: Annotated[
        str,
        typer.Option("--max-size", help="Keep at most this much: 500MB, 2GB, 1.5G, 1048576."),
    ],
    cache: CacheDir = None,
) -> None:
    """Remove the least recently used entries until the cache fits in --max-size.

    Whatever is removed is synthesized or encoded again by the next build that needs it.

    Example: audiobook cache prune --max-size 1GB
    """
    from ..cachestore import human_size, parse_size, prune

    limit = parse_size(max_size)
    root = _root(cache)
    if not root.is_dir():
        out.print(f"{root}: no cache there; nothing to prune", markup=False)
        return
    done = prune(root, limit)
    out.print(
        f"removed {done.removed} entries ({human_size(done.freed)}); "
        f"the cache now holds {human_size(done.size)}",
        markup=False,
    )
