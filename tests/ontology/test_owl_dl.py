"""OWL 2 DL profile and HermiT consistency, checked through the OWL API as Protégé loads files:
the ontology as Turtle and as RDF/XML, and the ontology merged with all data (so individuals
are checked too). Planted defects prove the harness reports what it should."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import rdflib
from ontology_support import (
    KG,
    ONTOLOGY_DIR,
    ONTOLOGY_IRI,
    VERSION_IRI,
    assert_dl_and_coherent,
    data_files,
    flat_graph,
    load_union,
    ontology_files,
    parse_into,
)
from rdflib.namespace import OWL, RDF, RDFS, XSD

Check = Callable[..., dict[str, Any]]
TURTLE = "Turtle Syntax"
RDFXML = "RDF/XML Syntax"
OWL_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def _ontology_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in ontology_files():
        parse_into(graph, path)
    return graph


def _export(graph: rdflib.Graph, path: Path) -> Path:
    graph.serialize(destination=path, format="xml")
    return path


def _declared_iris(graph: rdflib.Graph, kind: rdflib.URIRef) -> set[rdflib.URIRef]:
    return {s for s in graph.subjects(RDF.type, kind) if isinstance(s, rdflib.URIRef)}


def test_kgraph_ttl_as_protege_opens_it(owl_check: Check) -> None:
    """Protégé opens the hand-written Turtle directly: it must be read as Turtle (not as an
    empty ontology in another syntax), be in OWL 2 DL, consistent and coherent."""
    report = owl_check(ONTOLOGY_DIR / "kgraph.ttl", TURTLE)
    assert report["ontologyIRI"] == ONTOLOGY_IRI
    assert report["versionIRI"] == VERSION_IRI
    assert_dl_and_coherent(report)


def test_ontology_rdfxml_export(owl_check: Check, tmp_path: Path) -> None:
    """All ontology/*.ttl merged and exported to RDF/XML, as users receive it."""
    graph = _ontology_graph()
    report = owl_check(_export(graph, tmp_path / "kgraph.owl"), RDFXML)
    assert_dl_and_coherent(report)
    assert report["ontologyIRI"] == ONTOLOGY_IRI
    for kind, key in ((OWL.Class, "classes"), (OWL.ObjectProperty, "objectProperties"),
                      (OWL.DatatypeProperty, "dataProperties")):
        declared = _declared_iris(graph, kind)
        # the OWL API adds owl:Thing / owl:topObjectProperty-style built-ins at most
        assert len(declared) <= report[key] <= len(declared) + 2, (key, len(declared), report)


def test_turtle_and_rdfxml_give_the_same_axioms(owl_check: Check, tmp_path: Path) -> None:
    """The RDF/XML export loses nothing: the OWL API sees as many axioms as in the Turtle."""
    graph = rdflib.Graph()
    parse_into(graph, ONTOLOGY_DIR / "kgraph.ttl")
    from_turtle = owl_check(ONTOLOGY_DIR / "kgraph.ttl", TURTLE, reasoner=False)
    from_xml = owl_check(_export(graph, tmp_path / "kgraph.owl"), RDFXML, reasoner=False)
    for key in ("axioms", "logicalAxioms", "declarations", "classes", "objectProperties",
                "dataProperties"):
        assert from_turtle[key] == from_xml[key], key


def test_ontology_with_all_data(owl_check: Check, tmp_path: Path) -> None:
    """Every individual of the data, merged with the ontology, in OWL 2 DL and consistent."""
    files = data_files()
    if not files:
        pytest.skip("no data files yet")
    graph = flat_graph(load_union(ontology_files(), files))
    report = owl_check(_export(graph, tmp_path / "kgraph-merged.owl"), RDFXML)
    assert_dl_and_coherent(report)
    assert report["individuals"] > 0 and report["classAssertions"] > 0


def _planted(tmp_path: Path, *triples: tuple[rdflib.term.Node, ...]) -> Path:
    graph = _ontology_graph()
    for triple in triples:
        graph.add(triple)
    return _export(graph, tmp_path / "planted.owl")


ID = rdflib.Namespace("https://w3id.org/kgraph/id/test/")
K = rdflib.Namespace(KG)


def test_harness_reports_inconsistency(owl_check: Check, tmp_path: Path) -> None:
    """An individual that is both a place and an organization breaks the disjointness axiom."""
    report = owl_check(_planted(tmp_path, (ID.x, RDF.type, K.Place),
                                (ID.x, RDF.type, K.Organization)), RDFXML)
    assert report["consistent"] is False


def test_harness_reports_inconsistency_from_a_range(owl_check: Check, tmp_path: Path) -> None:
    """A program 'launched by' a place: the range kg:Agent meets the disjoint kg:Place."""
    report = owl_check(_planted(tmp_path, (ID.p, RDF.type, K.Program),
                                (ID.seoul, RDF.type, K.City),
                                (ID.p, K.launchedBy, ID.seoul)), RDFXML)
    assert report["consistent"] is False
    explanation = "\n".join(report["inconsistencyExplanation"])
    assert f"ObjectPropertyAssertion(<{KG}launchedBy> <{ID.p}> <{ID.seoul}>)" in explanation
    assert f"ClassAssertion(<{KG}City> <{ID.seoul}>)" in explanation


def test_harness_reports_unsatisfiable_class(owl_check: Check, tmp_path: Path) -> None:
    report = owl_check(_planted(tmp_path, (K.Firm, RDFS.subClassOf, K.Place)), RDFXML)
    assert KG + "Firm" in report["unsatisfiable"]


@pytest.mark.parametrize(("triple", "expected"), [
    ((ID.x, K.year, ID.y), "Cannot pun between properties"),
    ((ID.x, K.locatedIn, rdflib.Literal("Seoul")), "Cannot pun between properties"),
    ((ID.x, K.year, rdflib.Literal("2005", datatype=XSD.gYear)), "xsd:gYear"),
    ((ID.x, rdflib.URIRef("http://example.org/undeclared"), ID.y), "undeclared"),
], ids=["datatype-property-with-iri", "object-property-with-literal", "gyear", "undeclared"])
def test_harness_reports_dl_violation(owl_check: Check, tmp_path: Path,
                                      triple: tuple[rdflib.term.Node, ...], expected: str) -> None:
    report = owl_check(_planted(tmp_path, triple), RDFXML, reasoner=False)
    assert any(expected in v for v in report["dlViolations"]), report["dlViolations"]


BROKEN_SMALL = (
    "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
    "<https://w3id.org/kgraph/ontology> a <http://www.w3.org/2002/07/owl#Ontology> .\n"
    'kg:A a kg:B "unterminated .\n')


@pytest.mark.parametrize("variant", ["small-file-read-as-obo", "whole-ontology"])
def test_broken_turtle_is_not_read_as_an_empty_ontology(owl_check: Check, tmp_path: Path,
                                                        variant: str) -> None:
    """On a Turtle syntax error the OWL API tries its other parsers and may return an (almost)
    empty ontology in OBO format without complaint; the harness must turn that into a failure."""
    broken = tmp_path / "broken.ttl"
    if variant == "whole-ontology":
        text = (ONTOLOGY_DIR / "kgraph.ttl").read_text(encoding="utf-8")
        text = text.replace("kg:Firm a owl:Class ;", "kg:Firm a owl:Class ;;; ]", 1)
    else:
        text = BROKEN_SMALL
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(AssertionError, match=r"syntax error|could not load"):
        owl_check(broken, TURTLE, reasoner=False)
