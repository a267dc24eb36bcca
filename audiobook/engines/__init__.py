"""Speech engines, found by name through the ``audiobook.engines`` entry-point group.

An entry names a class that follows :class:`~audiobook.engines.base.EngineClass`: its name,
sample rate, version and voice catalog are known without starting it; calling it starts an
:class:`~audiobook.engines.base.Engine`. The built-in engines (pyttsx3, fake, piper) are
registered in ``pyproject.toml`` exactly as a plugin registers its own.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING

from ..errors import EngineError
from .base import Audio, Catalog, Engine, EngineClass, EngineVoice, VoiceSettings

__all__ = [
    "DEFAULT_ENGINE",
    "GROUP",
    "Audio",
    "Catalog",
    "Engine",
    "EngineClass",
    "EngineVoice",
    "VoiceSettings",
    "create_engine",
    "engine_catalog",
    "engine_class",
    "engine_names",
    "engine_sample_rate",
    "engine_version",
]

if TYPE_CHECKING:  # mypy holds the built-in engines to the contract
    from .fake import FakeEngine
    from .piper_engine import PiperEngine
    from .pyttsx3_engine import Pyttsx3Engine

    _BUILT_IN: tuple[EngineClass, ...] = (FakeEngine, Pyttsx3Engine, PiperEngine)

DEFAULT_ENGINE = "pyttsx3"
"""The engine used when none is named (``--engine``)."""
GROUP = "audiobook.engines"
"""The entry-point group engines are registered in."""


def _registry() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def engine_names() -> list[str]:
    """Names of the installed engines."""
    return sorted(_registry())


def engine_class(name: str) -> EngineClass:
    """The class registered as engine ``name``."""
    registry = _registry()
    entry = registry.get(name)
    if entry is None:
        if not registry:
            raise EngineError(
                f"no speech engine is registered (the {GROUP} entry points are missing); "
                "reinstall audiobook with pip"
            )
        raise EngineError(f"unknown engine {name!r}; choose one of: {', '.join(sorted(registry))}")
    found: EngineClass = entry.load()
    return found


def engine_version(name: str) -> str:
    """The engine's version for cache keys, without starting it."""
    return engine_class(name).static_version()


def engine_catalog(name: str) -> Catalog | None:
    """(base voices, variants) the engine accepts, or None when it cannot tell without starting."""
    return engine_class(name).catalog()


def engine_sample_rate(name: str) -> int:
    """The sample rate of the engine's audio, without starting it."""
    return engine_class(name).sample_rate


def create_engine(name: str) -> Engine:
    """Build the engine called ``name`` (call this inside the process that will use it)."""
    return engine_class(name)()
