"""Fixtures: throw-away source roots (a small planted one, or a copy of the repository's)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kgraph import cli, settings

REPO = Path(__file__).resolve().parents[2]
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def copy_root(target: Path, *sources: tuple[Path, str]) -> Path:
    for base, name in sources:
        if (base / name).is_dir():
            shutil.copytree(base / name, target / name)
    return target


@pytest.fixture
def mini_root(tmp_path: Path) -> Path:
    """A small root whose content the tests control, with the repository's queries."""
    return copy_root(tmp_path / "root", (MINI, "ontology"), (MINI, "data"), (MINI, "shapes"),
                     (REPO, "queries"))


@pytest.fixture
def disjoint_clash(mini_root: Path) -> Path:
    """``mini_root`` planted with an OWL inconsistency: the firm acme typed as a disjoint Place."""
    (mini_root / "ontology" / "disjoint.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
        "kg:Firm owl:disjointWith kg:Place .\n")
    (mini_root / "data" / "clash.trig").write_text(
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
        "@prefix graph: <https://w3id.org/kgraph/graph/> .\n"
        "graph:paragraph-2 { <https://w3id.org/kgraph/id/organization/acme> a kg:Place . }\n")
    return mini_root


@pytest.fixture
def repo_root(tmp_path: Path) -> Path:
    """A copy of the repository's sources, safe to plant defects in."""
    return copy_root(tmp_path / "repo", *((REPO, n) for n in
                                          ("ontology", "data", "shapes", "queries")))


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture
def kgraph(capsysbinary: pytest.CaptureFixture[bytes],
           cache: Path) -> Callable[..., Outcome]:
    """Run ``kgraph --cache-dir <tmp> ARGS`` in-process; returns exit code and output."""

    def run(*args: str | Path) -> Outcome:
        code = cli.main(["--cache-dir", str(cache), *map(str, args)])
        captured = capsysbinary.readouterr()
        return Outcome(code, captured.out.decode("utf-8"), captured.err.decode("utf-8"))

    return run


@pytest.fixture
def mini_settings(mini_root: Path, cache: Path) -> settings.Settings:
    return settings.resolve({"root": str(mini_root), "cache_dir": str(cache)}, environ={})
