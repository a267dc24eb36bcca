"""The errors a user can meet. Each message says what went wrong and what to do.

Library code raises these; only ``cli.py`` prints them (one line, exit code 1).
"""

from __future__ import annotations


class AudiobookError(Exception):
    """Base class: a problem the user can fix. ``str(err)`` is the whole message."""

    exit_code = 1


class InputError(AudiobookError):
    """A story file or directory that cannot be read as a story."""


class OutputError(AudiobookError):
    """The output directory or file cannot be written."""


class VoiceMapError(AudiobookError):
    """A mistake in a voice map (TOML) file."""


class EngineError(AudiobookError):
    """The speech engine failed or is not available."""


class EncodeError(AudiobookError):
    """ffmpeg could not encode the audio."""


class BusyError(AudiobookError):
    """Another build is writing into the same output directory."""


class UsageError(AudiobookError):
    """A bad option value (exit code 2, like other usage errors)."""

    exit_code = 2
