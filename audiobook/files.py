"""Writing files safely: whole or not at all, one build per output directory, safe names.

Every output the tool writes goes through here, so a build that fails or is interrupted never
leaves a half-written file, and a title can never name a path outside the output directory.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from .errors import BusyError, OutputError

LOCK_NAME = ".audiobook.lock"
"""The lock file a build holds in its output directory."""


def safe_filename(name: str) -> str:
    """A file name from a title: no path separators, no leading dots, never empty."""
    cleaned = re.sub(r"[^\w\s\-,'()&]+", " ", name, flags=re.UNICODE)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .-")
    return cleaned[:80] or "audiobook"


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8, or bytes as they are) to ``path`` through a temporary file and a
    rename."""
    tmp = path.with_name(f".{path.name}.part")
    try:
        if isinstance(text, bytes):
            tmp.write_bytes(text)
        else:
            tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if exc.errno == 28:
            raise OutputError(
                f"no space left on the disk while writing {path}; free some space"
            ) from None
        raise OutputError(f"cannot write {path} ({exc.strerror})") from None


@contextlib.contextmanager
def output_lock(outdir: Path) -> Iterator[None]:
    """Only one build writes into an output directory at a time; a second one refuses."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        fd = os.open(outdir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError:
        raise OutputError(
            f"{outdir}: permission denied; choose another output directory with -o"
        ) from None
    except FileExistsError:
        raise OutputError(f"{outdir}: exists and is not a directory; choose another -o") from None
    except OSError as exc:
        raise OutputError(
            f"{outdir}: cannot write there ({exc.strerror}); choose another -o"
        ) from None
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # Windows: no advisory locks; builds are not guarded
            pass
        except BlockingIOError:
            raise BusyError(
                f"another build is writing into {outdir}; wait for it to finish or choose another -o"
            ) from None
        yield
    finally:
        os.close(fd)
