"""Locate the source folders (ontology/, data/, shapes/, queries/) from a configured root.

Never the working directory: either the configured root, the copy embedded in an
installed wheel, or the repository that holds an editable install.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .settings import Settings

SOURCE_DIRS = ("ontology", "data", "shapes", "queries")


def default_root() -> Path:
    """The embedded sources: package resources in a wheel, else the repository root."""
    here = Path(__file__).resolve().parent
    embedded = here / "resources"
    if (embedded / "ontology").is_dir():
        return embedded
    return here.parent.parent


def root(settings: Settings) -> Path:
    """The configured root, checked to hold the source folders."""
    base = Path(settings.root).expanduser().resolve() if settings.root else default_root()
    missing = [name for name in ("ontology", "data", "shapes") if not (base / name).is_dir()]
    if missing:
        raise InputError(f"{base}: not a kgraph root (missing {', '.join(missing)}/)")
    return base
