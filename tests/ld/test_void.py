"""The VoID/DCAT description counts what the store holds; its dumps are the files served."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import URIRef
from rdflib.namespace import RDF

from kgraph import void

BASE = "https://w3id.org/kgraph/"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
DATASET = URIRef(BASE + "dataset")


def fetch_void(client, accept: str = "text/turtle", fmt: str = "turtle") -> rdflib.Graph:
    resp = client.get("/.well-known/void", headers={"Accept": accept})
    assert resp.status_code == 200, resp.data[:500]
    graph = rdflib.Graph()
    graph.parse(data=resp.data, format=fmt)
    return graph


def number(graph: rdflib.Graph, subject, prop) -> int:
    values = list(graph.objects(subject, prop))
    assert len(values) == 1, (subject, prop, values)
    return int(values[0])


def independent_counts(store: ox.Store) -> dict:
    """The figures recomputed by walking every quad, without SPARQL."""
    triples = {(q.subject, q.predicate, q.object) for q in store}
    typed: dict[str, set] = {}
    for s, p, o in triples:
        if p.value == str(RDF.type) and isinstance(o, ox.NamedNode):
            typed.setdefault(o.value, set()).add(s)
    links: dict[tuple[str, str], int] = {}
    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(BASE + "graph/links")):
        if isinstance(q.object, ox.NamedNode) and q.subject.value.startswith(BASE + "id/"):
            for target in void.TARGETS:
                if q.object.value.startswith(target.prefix):
                    key = (target.name, q.predicate.value)
                    links[key] = links.get(key, 0) + 1
    return {
        "triples": len(triples),
        "entities": len({s for s, _, _ in triples
                         if isinstance(s, ox.NamedNode) and s.value.startswith(BASE + "id/")}),
        "properties": len({p for _, p, _ in triples}),
        "subjects": len({s for s, _, _ in triples}),
        "objects": len({o for _, _, o in triples}),
        "classes": typed,
        "links": links,
    }


def check_counts(graph: rdflib.Graph, store: ox.Store) -> None:
    expected = independent_counts(store)
    assert number(graph, DATASET, VOID.triples) == expected["triples"]
    assert number(graph, DATASET, VOID.entities) == expected["entities"]
    assert number(graph, DATASET, VOID.properties) == expected["properties"]
    assert number(graph, DATASET, VOID.distinctSubjects) == expected["subjects"]
    assert number(graph, DATASET, VOID.distinctObjects) == expected["objects"]
    assert number(graph, DATASET, VOID.classes) == len(expected["classes"])
    partitions = {str(graph.value(node, VOID["class"])): int(graph.value(node, VOID.entities))
                  for node in graph.objects(DATASET, VOID.classPartition)}
    assert partitions == {c: len(s) for c, s in expected["classes"].items()}
    found = {}
    for ls in graph.subjects(RDF.type, VOID.Linkset):
        target = str(graph.value(ls, VOID.objectsTarget)).rsplit("#", 1)[1]
        found[(target, str(graph.value(ls, VOID.linkPredicate)))] = int(
            graph.value(ls, VOID.triples))
        assert (ls, VOID.subjectsTarget, DATASET) in graph
    assert found == expected["links"]


def test_served_description_matches_the_store(mini_store, mini_client) -> None:
    graph = fetch_void(mini_client)
    assert (DATASET, RDF.type, VOID.Dataset) in graph
    assert (DATASET, RDF.type, DCAT.Dataset) in graph
    check_counts(graph, mini_store)
    assert (DATASET, VOID.sparqlEndpoint, URIRef("http://localhost/sparql")) in graph
    assert (DATASET, URIRef("http://purl.org/dc/terms/source"),
            URIRef(BASE + "id/publication/park-koo-2013")) in graph
    assert graph.value(DATASET, URIRef("http://purl.org/dc/terms/license")) is not None
    assert str(graph.value(DATASET, DCAT.version)) == "1.0.0"  # from the ontology header
    assert graph.value(DATASET, URIRef("http://purl.org/dc/terms/modified")) is not None


def test_the_fixture_has_linksets_to_count(mini_client) -> None:
    graph = fetch_void(mini_client)
    targets = {str(graph.value(ls, VOID.objectsTarget))
               for ls in graph.subjects(RDF.type, VOID.Linkset)}
    assert targets == {BASE + "dataset#wikidata", BASE + "dataset#geonames"}


def test_dumps_are_listed_with_checksums_that_match_the_downloads(mini_client) -> None:
    graph = fetch_void(mini_client)
    dumps = set(graph.objects(DATASET, VOID.dataDump))
    names = {str(d).rsplit("/", 1)[1] for d in dumps}
    assert {"kgraph.ttl", "kgraph.nt", "kgraph.jsonld", "kgraph.trig", "ontology.owl"} <= names
    for dump in dumps:
        resp = mini_client.get(str(dump).replace("http://localhost", ""))
        assert resp.status_code == 200
        digest = hashlib.sha256(resp.data).hexdigest()
        checksum = graph.value(dump, SPDX.checksum)
        assert str(graph.value(checksum, SPDX.checksumValue)) == digest
        assert resp.headers["ETag"].strip('"') == digest
        assert int(graph.value(dump, DCAT.byteSize)) == len(resp.data)
        assert set(graph.objects(dump, DCAT.mediaType)) == {
            URIRef("https://www.iana.org/assignments/media-types/" + resp.mimetype)}
    sums = mini_client.get("/dumps/SHA256SUMS").get_data(as_text=True)
    assert all(f"  {n}" in sums for n in names)


def test_trig_dump_keeps_the_provenance_graphs(mini_client) -> None:
    data = rdflib.Dataset()
    data.parse(data=mini_client.get("/dumps/kgraph.trig").data, format="trig")
    graphs = {str(g.identifier) for g in data.graphs()}
    assert {BASE + "graph/paragraph-35", BASE + "graph/paragraph-36",
            BASE + "graph/links"} <= graphs


def test_exported_description_agrees_with_the_served_one(mini_client) -> None:
    served = fetch_void(mini_client)
    exported = rdflib.Graph()
    exported.parse(data=mini_client.get("/dumps/void.ttl").data, format="turtle")
    for prop in (VOID.triples, VOID.entities, VOID.classes, VOID.properties):
        assert number(exported, DATASET, prop) == number(served, DATASET, prop)


def test_unknown_dump_is_404(mini_client) -> None:
    assert mini_client.get("/dumps/../settings.py").status_code == 404
    assert mini_client.get("/dumps/nope.ttl").status_code == 404


@pytest.mark.parametrize("accept,fmt", [("application/ld+json", "json-ld"),
                                        ("application/n-triples", "nt"),
                                        ("application/rdf+xml", "xml")])
def test_description_negotiates_formats(mini_client, accept: str, fmt: str) -> None:
    graph = fetch_void(mini_client, accept, fmt)
    assert (DATASET, RDF.type, VOID.Dataset) in graph


def test_description_defaults_to_turtle_and_browsers_get_a_page(mini_client) -> None:
    assert mini_client.get("/.well-known/void").mimetype == "text/turtle"
    assert mini_client.get("/.well-known/void", headers={"Accept": "*/*"}).mimetype == \
        "text/turtle"
    page = mini_client.get("/.well-known/void", headers={"Accept": "text/html"})
    assert page.mimetype == "text/html" and "void:Dataset" in page.get_data(as_text=True)
    assert mini_client.get("/dataset").status_code == 303


def test_real_sources_description_matches(sources, real_app) -> None:
    """On the data as written (no dumps needed for the counts)."""
    store, st = sources
    graph = rdflib.Graph()
    graph.parse(data=void.serialize(void.describe(store, st)), format="turtle")
    check_counts(graph, store)


def test_built_dataset_description_and_dumps(built) -> None:
    """What `kgraph serve` shows: the build's store described, the export's dumps listed."""
    from kgraph.web.app import close, create_app

    store, st = built
    app = create_app(settings=st, store=store, test_config={"TESTING": True})
    try:
        client = app.test_client()
        graph = fetch_void(client)
        check_counts(graph, store)
        dumps = {str(d).rsplit("/", 1)[1] for d in graph.objects(DATASET, VOID.dataDump)}
        assert {"kgraph.ttl", "kgraph.nt", "kgraph.jsonld", "kgraph.trig", "ontology.owl"} <= dumps
        targets = {str(graph.value(ls, VOID.objectsTarget)).rsplit("#", 1)[1]
                   for ls in graph.subjects(RDF.type, VOID.Linkset)}
        assert targets == {"wikidata", "dbpedia", "geonames"}
    finally:
        close(app)
