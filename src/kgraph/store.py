"""The query store: an in-memory pyoxigraph Store bulk-loaded from the cached build."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .build import build
from .errors import InputError
from .settings import Settings


def load_nquads(path: Path) -> ox.Store:
    """A fresh in-memory store holding the quads of ``path``."""
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    except SyntaxError as exc:  # a cache file damaged after it was written
        raise InputError(f"{path}: damaged build cache ({exc}); rebuild with --force") from None
    return store


def open_store(settings: Settings, *, force: bool = False) -> ox.Store:
    """Build if needed (or if ``force``), then load the cached graph into memory."""
    return load_nquads(build(settings, force=force).graph_path)
