"""reason: OWL 2 RL entailments only, in graph:inferred, without trivial noise."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef

from kgraph import load, reason
from kgraph.namespaces import INFERRED_GRAPH, KG

#: rdflib warns about its own deprecated internals while parsing test output.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

ACME = URIRef("https://w3id.org/kgraph/id/organization/acme")
WIKIDATA_Q1 = URIRef("http://www.wikidata.org/entity/Q1")
PLAN = URIRef("https://w3id.org/kgraph/id/program/plan")
STEP = URIRef("https://w3id.org/kgraph/id/program/step")


def test_subclass_entailed_types_are_inferred_not_asserted(mini_settings) -> None:
    sources = load.load(mini_settings)
    inferred = reason.reason(sources)
    assert inferred.identifier == INFERRED_GRAPH
    assert (ACME, RDF.type, KG.Firm) in inferred
    assert (ACME, RDF.type, KG.Organization) in inferred
    # the asserted type stays asserted only
    assert (ACME, RDF.type, KG.LargeFirm) not in inferred
    assert (ACME, RDF.type, KG.Organization) not in sources.data


def test_inverse_and_range_entailments(mini_settings) -> None:
    inferred = reason.reason(load.load(mini_settings))
    assert (STEP, KG.componentOf, PLAN) in inferred
    assert (URIRef("https://w3id.org/kgraph/id/place/testville"), RDF.type, KG.Place) in inferred


def test_nothing_already_asserted_is_returned(mini_settings) -> None:
    sources = load.load(mini_settings)
    inferred = reason.reason(sources)
    asserted = {(s, p, o) for s, p, o, _g in sources.data.quads()} | set(sources.ontology)
    assert not set(inferred) & asserted


def test_trivial_entailments_are_left_out(mini_settings) -> None:
    inferred = reason.reason(load.load(mini_settings))
    for s, p, o in inferred:
        assert not (p == OWL.sameAs and s == o)
        assert not (p == RDF.type and o in (OWL.Thing, RDFS.Resource))
        assert not str(s).startswith(str(OWL))
        assert not (p in (RDFS.subClassOf, RDFS.range, RDFS.domain) and o == OWL.Thing)
    # sameAs copies of our statements onto Wikidata's item are not kept either
    assert not list(inferred.triples((WIKIDATA_Q1, None, None)))
    assert not list(inferred.triples((None, None, WIKIDATA_Q1)))


def test_is_noise_rules() -> None:
    assert reason.is_noise((ACME, OWL.sameAs, ACME))
    assert reason.is_noise((ACME, RDF.type, OWL.Thing))
    assert reason.is_noise((KG.Firm, RDFS.subClassOf, KG.Firm))
    assert reason.is_noise((OWL.Nothing, RDFS.subClassOf, KG.Firm))
    assert not reason.is_noise((ACME, RDF.type, KG.Firm))
    assert not reason.is_noise((ACME, RDFS.label, Literal("x")))


def test_inconsistency_is_reported_not_returned_as_triples(mini_settings,
                                                           disjoint_clash) -> None:
    inference = reason.infer(load.load(mini_settings))
    assert any("acme" in m and "Disjoint" in m for m in inference.inconsistencies)
    err = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
    assert (None, RDF.type, err) not in inference.triples


def test_memberships_of_anonymous_class_expressions_are_left_out(mini_settings,
                                                                  mini_root) -> None:
    (mini_root / "ontology" / "union.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
        "kg:locatedIn rdfs:domain [ a owl:Class ; owl:unionOf ( kg:Organization kg:Place ) ] .\n")
    sources = load.load(mini_settings)
    inferred = reason.reason(sources)
    assert (ACME, RDF.type, KG.Firm) in inferred
    assert not [t for t in inferred if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
