"""The real data, whatever data/ holds at run time, conforms to the shapes."""

from __future__ import annotations

import pytest
from rdflib import RDF
from rdflib.namespace import SH

from kgraph import load, reason, settings, validate

from .shapes_support import ROOT


@pytest.fixture(scope="module")
def sources() -> load.Sources:
    return load.load(settings.resolve({"root": str(ROOT)}, environ={}))


def test_real_data_conforms_with_inferred_triples(sources: load.Sources) -> None:
    report = validate.validate(sources, reason.reason(sources))
    assert report.conforms, report.to_text()


def test_real_data_conforms_without_inferred_triples(sources: load.Sources) -> None:
    """The shapes check what is asserted; they must not rely on the reasoner having run."""
    report = validate.validate(sources)
    assert report.conforms, report.to_text()


def test_real_data_has_no_warnings(sources: load.Sources) -> None:
    """Warnings are not fatal, but each one in the published data should have been looked at."""
    report = validate.validate(sources)
    warnings = [r for r in report.results if r.severity == "Warning"]
    assert warnings == [], report.to_text()


def test_every_data_file_is_checked(sources: load.Sources) -> None:
    """Each data file contributes focus nodes: no file escapes the shapes unnoticed."""
    graph = validate.data_graph(sources.data, None, sources.ontology)
    targeted_classes = set(sources.shapes.objects(None, SH.targetClass))
    files_with_targets = {f for s in graph.subjects(RDF.type, None)
                          if any((s, RDF.type, c) in graph for c in targeted_classes)
                          for f in sources.origins.get(s, ())}
    data_files = {p.relative_to(sources.root).as_posix() for p in sources.files
                  if p.parent.name == "data"}
    assert data_files - files_with_targets == set()
