"""What `kgraph export` hands to Protégé users loads through the OWL API in OWL 2 DL, and HermiT
finds it consistent with no unsatisfiable class: the ontology alone and the merged data file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ontology_support import ONTOLOGY_IRI, assert_dl_and_coherent

from kgraph import export, settings

Check = Callable[..., dict[str, Any]]
RDFXML = "RDF/XML Syntax"


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("release")
    config = settings.resolve({"cache_dir": str(base / "cache")}, environ={})
    out = base / "out"
    export.export(config, out)
    return out


def test_exported_ontology_is_dl_and_coherent(owl_check: Check, release: Path) -> None:
    report = owl_check(release / "ontology.owl", RDFXML)
    assert report["ontologyIRI"] == ONTOLOGY_IRI
    assert_dl_and_coherent(report)


def test_exported_merged_data_is_dl_and_coherent(owl_check: Check, release: Path) -> None:
    """The data file imports the ontology, resolved locally from the same folder; its
    individuals must come through as individuals (not as annotation subjects)."""
    report = owl_check(release / "kgraph-merged.owl", RDFXML)
    assert_dl_and_coherent(report)
    assert report["individuals"] > 500, report["individuals"]
    assert report["classes"] > 100, report["classes"]
