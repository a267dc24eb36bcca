"""Speech engines, found by name through the ``audiobook.engines`` entry-point group."""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from ..errors import EngineError
from .base import Audio, Engine, EngineVoice, VoiceSettings

__all__ = [
    "DEFAULT_ENGINE",
    "Audio",
    "Engine",
    "EngineVoice",
    "VoiceSettings",
    "create_engine",
    "engine_catalog",
    "engine_names",
    "engine_version",
]

DEFAULT_ENGINE = "pyttsx3"
"""The engine used when none is named (``--engine``)."""

_BUILTIN = {
    "pyttsx3": "audiobook.engines.pyttsx3_engine:Pyttsx3Engine",
    "fake": "audiobook.engines.fake:FakeEngine",
}


def _registry() -> dict[str, str]:
    found = dict(_BUILTIN)
    for ep in entry_points(group="audiobook.engines"):
        found[ep.name] = ep.value
    return found


def engine_names() -> list[str]:
    """Names of the installed engines."""
    return sorted(_registry())


def _factory(name: str) -> type:
    target = _registry().get(name)
    if target is None:
        raise EngineError(f"unknown engine {name!r}; choose one of: {', '.join(engine_names())}")
    module, _, attr = target.partition(":")
    factory: type = getattr(importlib.import_module(module), attr)
    return factory


def engine_version(name: str) -> str:
    """The engine's version for cache keys, without starting it."""
    factory = _factory(name)
    version = getattr(factory, "static_version", None)
    return str(version()) if callable(version) else str(getattr(factory, "version", "0"))


def engine_catalog(name: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(base voices, variants) the engine accepts, or None when it cannot tell without starting."""
    catalog = getattr(_factory(name), "catalog", None)
    if not callable(catalog):
        return None
    result: tuple[frozenset[str], frozenset[str]] | None = catalog()
    return result


def create_engine(name: str) -> Engine:
    """Build the engine called ``name`` (call this inside the process that will use it)."""
    engine: Engine = _factory(name)()
    return engine
