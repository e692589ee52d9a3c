"""Fixtures of the shapes tests: a private copy of the source tree to plant defects in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .shapes_support import ROOT


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """ontology/, data/, shapes/ and queries/ copied to tmp_path (never edit the real tree)."""
    for name in ("ontology", "data", "shapes", "queries"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def plant(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of ``old``; fail loudly if the data changed shape."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
