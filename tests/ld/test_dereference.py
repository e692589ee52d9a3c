"""Every IRI of our namespace in the data, as written, dereferences in HTML and in RDF."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

BASE = "https://w3id.org/kgraph/"
KG = BASE + "ontology#"


def our_iris(store: ox.Store) -> set[str]:
    found = set()
    for quad in store:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
                found.add(term.value)
    return found


def local_path(iri: str) -> str:
    rest = iri[len(BASE):]
    if rest.startswith("ontology#"):
        return "/ontology/" + rest[len("ontology#"):]
    return "/" + rest


def own_triples(store: ox.Store, iri: str) -> rdflib.Graph:
    node = ox.NamedNode(iri)
    triples = {ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(node, None, None)}
    graph = rdflib.Graph()
    if triples:
        graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def missing_from(expected: rdflib.Graph, got: rdflib.Graph) -> list:
    missing = []
    for s, p, o in expected:
        if isinstance(o, rdflib.BNode):
            if (s, p, None) not in got:
                missing.append((s, p, "[]"))
        elif (s, p, o) not in got:
            missing.append((s, p, o))
    return missing


@pytest.fixture(scope="module")
def iris(sources) -> list[str]:
    store, _ = sources
    found = sorted(our_iris(store))
    assert len(found) > 100, "the data should hold far more than 100 of our IRIs"
    return found


def test_every_iri_answers_html(iris, real_app) -> None:
    client = real_app.test_client()
    failures = []
    for iri in iris:
        resp = client.get(local_path(iri), headers={"Accept": "text/html"},
                          follow_redirects=True)
        if resp.status_code != 200 or resp.mimetype != "text/html":
            failures.append((iri, resp.status_code))
    assert failures == []


def test_every_resource_answers_turtle_with_its_own_triples(iris, sources, real_app) -> None:
    store, _ = sources
    client = real_app.test_client()
    failures = []
    for iri in iris:
        if not iri.startswith(BASE + "id/") and not iri.startswith(KG):
            continue
        resp = client.get(local_path(iri), headers={"Accept": "text/turtle"})
        if resp.status_code != 200:
            failures.append((iri, resp.status_code))
            continue
        got = rdflib.Graph()
        got.parse(data=resp.data, format="turtle")
        missing = missing_from(own_triples(store, iri), got)
        if missing:
            failures.append((iri, missing[:3]))
    assert failures == []


def test_korean_labels_reach_the_pages(sources, real_app) -> None:
    store, _ = sources
    rows = list(store.query(
        'SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l '
        'FILTER(LANG(?l) = "ko" && STRSTARTS(STR(?s), "https://w3id.org/kgraph/id/")) } LIMIT 20',
        use_default_graph_as_union=True))
    assert rows, "the data carries Korean labels"
    client = real_app.test_client()
    for row in rows:
        html = client.get(local_path(row["s"].value), headers={"Accept": "text/html"}).get_data(
            as_text=True)
        assert f'lang="ko">{row["l"].value}<' in html, row["s"].value
