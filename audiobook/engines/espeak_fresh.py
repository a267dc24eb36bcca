"""eSpeak NG speech that depends only on its text and voice: one fresh engine state per utterance.

Measured (see the notes of issue 10): libespeak-ng keeps synthesis state from one utterance to
the next inside a process. Its wave generator holds function-level statics that no API resets:
the pitch-flutter phase (``Flutter_ix``), the glottal cycle counter that times roughness, the
automatic gain, and breath and Klatt noise come from the C library's ``rand()``. So the same
text in the same voice comes out a few samples longer or shorter, spoken a little differently,
depending on everything said before it in that process; only the first utterance of a process
is reproducible (which is why the ``espeak-ng`` command, one process per call, is). Calling the
library directly in synchronous mode gives the very same sequence of differing outputs as
pyttsx3's driver, so neither the driver's threads nor its buffering cause it. Worse, eSpeak NG
1.52 seeds that noise generator from the clock when it starts, so breathy voices (variants f2,
f3, f5, ...) differed between processes started in different seconds, even as a first
utterance: we seed it with a constant.

The cure is to give every utterance the state of a freshly initialised library: a small
single-threaded *zygote* process loads and initialises libespeak-ng once, through pyttsx3's
own eSpeak binding (``pyttsx3.drivers._espeak``) in synchronous mode, so it starts no thread,
and forks a child for each utterance; the child sets the voice and prosody, speaks, sends the
samples back and exits. The fork costs about a millisecond, and the child's state is the
zygote's, whatever was said before. Nothing of one voice (pitch, rate, range, flutter phase)
can reach the next utterance, because the next one never sees it.

Run as ``python -m audiobook.engines.espeak_fresh``; :class:`FreshEspeak` is the client.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import select
import signal
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any, BinaryIO

from ..errors import EngineError

_LEN = struct.Struct("<I")
_OK, _NO_VOICE, _FAILED = 0, 1, 2

# speak_lib.h constants
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_RATE, _VOLUME, _PITCH, _RANGE = 1, 2, 3, 4
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_PHONEMES = 0x100  # [[...]] is phoneme mnemonics ([pronounce] phonemes entries)
_RAND_SEED = 1


@dataclass(frozen=True)
class Utterance:
    """One request to the zygote."""

    text: str
    """Plain text to speak (never empty)."""
    voice: str
    """eSpeak voice name, ``base+variant``."""
    rate: int
    """Words per minute."""
    pitch: int
    """Base pitch 0..99."""
    range: int
    """Pitch range 0..99."""
    volume: int
    """Amplitude 0..200 (eSpeak's scale; 100 is normal)."""


def library_location() -> tuple[str, str | None]:
    """(shared library to load, eSpeak data path or None for the library's default)."""
    try:
        import espeakng_loader
    except ImportError:
        return "libespeak-ng.so.1", None
    return str(espeakng_loader.get_library_path()), str(espeakng_loader.get_data_path())


# --- the zygote (its own process) -------------------------------------------------------


class _Library:
    """pyttsx3's own eSpeak NG binding (``pyttsx3.drivers._espeak``), driven in synchronous mode.

    pyttsx3's driver initialises eSpeak in retrieval mode, where the library runs a thread of
    its own, and a process must not fork once that thread exists (field notes, defect 8). The
    binding module underneath it offers every call we need without that thread: initialise in
    synchronous mode, then set voice and prosody and speak, as the driver does.
    """

    def __init__(self) -> None:
        path, data = library_location()
        if data is not None:
            os.environ["ESPEAK_DATA_PATH"] = data
        # The binding opens the library by soname; the bundled copy loaded first is the one it
        # finds (this process never loads Piper, so a global load cannot clash with it).
        ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
        with contextlib.redirect_stdout(sys.stderr):
            from pyttsx3.drivers import _espeak
        self.sample_rate = int(
            _espeak.Initialize(
                _espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000, data.encode() if data else None, 0
            )
        )
        if self.sample_rate <= 0:
            raise RuntimeError("espeak_Initialize failed")
        # eSpeak NG 1.52 seeds its own noise generator (breath, Klatt) with the time of day at
        # initialisation: breathy voices changed from one second to the next. A fixed seed
        # makes them reproducible. (A library without this function is left as it is.)
        seed: Any = getattr(_espeak.dll, "espeak_ng_SetRandSeed", None)
        if seed is not None:
            seed.argtypes = [ctypes.c_long]
            seed.restype = None
            seed(_RAND_SEED)
        self.espeak: Any = _espeak
        self._pieces: list[bytes] = []
        _espeak.SetSynthCallback(self._collect)  # the binding keeps the C callback alive

    def _collect(self, wav: Any, count: int, _events: Any) -> int:
        if count > 0 and wav:
            self._pieces.append(ctypes.string_at(wav, count * 2))
        return 0

    def speak(self, u: Utterance) -> tuple[int, bytes]:
        """(status, PCM or an error message): what one child sends back."""
        es = self.espeak
        if es.SetVoiceByName(u.voice.encode("utf-8")) != 0:
            return _NO_VOICE, u.voice.encode("utf-8")
        for param, value in ((_RATE, u.rate), (_PITCH, u.pitch), (_RANGE, u.range)):
            es.SetParameter(param, int(value), 0)
        es.SetParameter(_VOLUME, int(u.volume), 0)
        text = u.text.encode("utf-8") + b"\0"
        flags = _CHARS_UTF8 | _ENDPAUSE | _PHONEMES
        # cSynth, not the binding's Synth: Synth passes len(text) * 10 as the buffer size, which
        # makes eSpeak read past the text (field notes, defect 4).
        err = es.cSynth(text, len(text), 0, _POS_CHARACTER, 0, flags, None, None)
        es.Synchronize()
        if err != 0:
            return _FAILED, f"espeak_Synth returned {err}".encode()
        return _OK, b"".join(self._pieces)


def _read_exact(f: BinaryIO, n: int) -> bytes | None:
    data = f.read(n)
    return data if data is not None and len(data) == n else None


def _send(out: BinaryIO, status: int, payload: bytes) -> None:
    out.write(bytes([status]) + _LEN.pack(len(payload)) + payload)
    out.flush()


def _serve_one(lib: _Library, u: Utterance) -> tuple[int, bytes]:
    """Fork a child with the zygote's untouched state; it speaks ``u`` into a pipe."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: speak once, report, vanish
        os.close(r)
        try:
            status, payload = lib.speak(u)
            blob = bytes([status]) + payload
            view = memoryview(blob)
            while view:
                view = view[os.write(w, view) :]
        finally:
            os._exit(0)
    os.close(w)
    chunks = []
    while True:
        block = os.read(r, 1 << 20)
        if not block:
            break
        chunks.append(block)
    os.close(r)
    _, wait_status = os.waitpid(pid, 0)
    blob = b"".join(chunks)
    if not blob:
        sig = os.WTERMSIG(wait_status) if os.WIFSIGNALED(wait_status) else 0
        return _FAILED, f"eSpeak NG crashed (signal {sig})".encode()
    return blob[0], blob[1:]


def main() -> None:
    """The zygote: answer length-prefixed JSON requests on stdin, framed replies on stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the client decides when we stop
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # nothing printed by accident can corrupt the replies
    inp = os.fdopen(0, "rb")
    try:
        _serve(out, inp)
    except BrokenPipeError:
        pass  # the client is gone (a Ctrl-C ended it): nobody is left to tell
    finally:
        with contextlib.suppress(OSError):
            out.close()


def _serve(out: BinaryIO, inp: BinaryIO) -> None:
    try:
        lib = _Library()
    except (OSError, RuntimeError) as exc:
        _send(out, _FAILED, str(exc).encode())
        return
    _send(out, _OK, _LEN.pack(lib.sample_rate))
    while True:
        head = _read_exact(inp, _LEN.size)
        if head is None:
            return  # the client is gone
        body = _read_exact(inp, _LEN.unpack(head)[0])
        if body is None:
            return
        status, payload = _serve_one(lib, Utterance(**json.loads(body)))
        _send(out, status, payload)


# --- the client ---------------------------------------------------------------------------


class FreshEspeak:
    """Speaks through a zygote process; each utterance starts from the same engine state."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self.sample_rate = 22050
        self._start()

    def _start(self) -> None:
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "audiobook.engines.espeak_fresh"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                start_new_session=True,  # Ctrl-C reaches the build, which stops us cleanly
            )
        except OSError as exc:
            raise EngineError(f"cannot start the speech engine ({exc.strerror})") from None
        status, payload = self._reply(deadline=time.monotonic() + 60)
        if status != _OK or len(payload) != _LEN.size:
            self.close()
            raise EngineError(
                f"cannot start eSpeak NG ({payload.decode('utf-8', 'replace')}); "
                "reinstall with `pip install espeakng-loader`, or install eSpeak NG"
            )
        self.sample_rate = _LEN.unpack(payload)[0]

    def speak(self, u: Utterance, timeout: float) -> tuple[int, bytes]:
        """(status, payload) for one utterance; a dead or stuck zygote is replaced."""
        if self._proc is None or self._proc.poll() is not None:
            self._start()
        assert self._proc is not None and self._proc.stdin is not None
        body = json.dumps(u.__dict__, ensure_ascii=False).encode("utf-8")
        try:
            self._proc.stdin.write(_LEN.pack(len(body)) + body)
            self._proc.stdin.flush()
            return self._reply(deadline=time.monotonic() + timeout)
        except (BrokenPipeError, EngineError) as exc:
            self.close()
            return _FAILED, str(exc).encode()

    def _reply(self, deadline: float) -> tuple[int, bytes]:
        head = self._read(1 + _LEN.size, deadline)
        status, length = head[0], _LEN.unpack(head[1:])[0]
        return status, self._read(length, deadline)

    def _read(self, n: int, deadline: float) -> bytes:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        parts: list[bytes] = []
        while n > 0:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise EngineError("timed out waiting for eSpeak NG")
            block = os.read(fd, min(n, 1 << 20))
            if not block:
                raise EngineError("eSpeak NG stopped unexpectedly")
            parts.append(block)
            n -= len(block)
        return b"".join(parts)

    def close(self) -> None:
        """Stop the zygote and anything it is running."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            proc.wait(timeout=5)
        for stream in (proc.stdin, proc.stdout):
            with contextlib.suppress(Exception):
                if stream is not None:
                    stream.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


NO_VOICE = _NO_VOICE
FAILED = _FAILED
OK = _OK

if __name__ == "__main__":
    main()
