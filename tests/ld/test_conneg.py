"""Dereferencing on the fixture dataset: content negotiation, suffixes, pages, 404s."""

from __future__ import annotations

import json
import re

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDFS
from werkzeug.middleware.dispatcher import DispatcherMiddleware

BASE = "https://w3id.org/kgraph/"
ULSAN = URIRef(BASE + "id/place/ulsan")
COMPLEX = URIRef(BASE + "id/complex/ulsan")
KG = rdflib.Namespace(BASE + "ontology#")

RDF_TYPES = {  # media type -> (suffix, rdflib parser)
    "text/turtle": (".ttl", "turtle"),
    "application/ld+json": (".jsonld", "json-ld"),
    "application/n-triples": (".nt", "nt"),
    "application/rdf+xml": (".rdf", "xml"),
}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def parse(body: bytes, fmt: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=body, format=fmt)
    return graph


@pytest.mark.parametrize("media", sorted(RDF_TYPES))
def test_accept_selects_the_rdf_format(mini_client, media: str) -> None:
    resp = mini_client.get("/id/place/ulsan", headers={"Accept": media})
    assert resp.status_code == 200
    assert resp.mimetype == media
    assert "Accept" in resp.headers["Vary"]
    suffix, fmt = RDF_TYPES[media]
    assert resp.headers["Content-Location"] == "/id/place/ulsan" + suffix
    graph = parse(resp.data, fmt)
    assert (ULSAN, RDFS.label, Literal("Ulsan", lang="en")) in graph
    assert (ULSAN, RDFS.label, Literal("울산광역시", lang="ko")) in graph
    # incoming links travel with the description
    assert (COMPLEX, KG.locatedIn, ULSAN) in graph


@pytest.mark.parametrize("media", sorted(RDF_TYPES))
def test_suffix_forces_the_format_whatever_accept_says(mini_client, media: str) -> None:
    suffix, fmt = RDF_TYPES[media]
    resp = mini_client.get("/id/complex/ulsan" + suffix, headers={"Accept": "text/html"})
    assert resp.status_code == 200
    assert resp.mimetype == media
    graph = parse(resp.data, fmt)
    assert (COMPLEX, KG.locatedIn, ULSAN) in graph


@pytest.mark.parametrize("accept", [BROWSER, "*/*", "text/html", ""])
def test_browsers_and_wildcards_get_html(mini_client, accept: str) -> None:
    resp = mini_client.get("/id/place/ulsan", headers={"Accept": accept} if accept else {})
    assert resp.status_code == 200
    assert resp.mimetype == "text/html"
    assert resp.headers["Content-Location"] == "/id/place/ulsan.html"
    assert "Accept" in resp.headers["Vary"]


def test_explicit_rdf_preference_beats_lower_html(mini_client) -> None:
    resp = mini_client.get("/id/place/ulsan",
                           headers={"Accept": "text/html;q=0.5, text/turtle;q=0.9"})
    assert resp.mimetype == "text/turtle"
    resp = mini_client.get("/id/place/ulsan",
                           headers={"Accept": "text/html, text/turtle;q=0.9"})
    assert resp.mimetype == "text/html"


def test_html_page_shows_what_the_resource_is_and_where_it_is_stated(mini_client) -> None:
    html = mini_client.get("/id/complex/ulsan", headers={"Accept": "text/html"}).get_data(
        as_text=True)
    assert "<h1" in html and "Ulsan Industrial Complex" in html
    assert 'href="/ontology/IndustrialComplex"' in html  # its type, linked
    assert 'href="/id/place/ulsan"' in html  # outgoing relation, linked
    # the fact is stated in two paragraphs: both shown and linked to the paragraph
    assert re.search(r'href="/id/source/paragraph-35"[^>]*>¶35<', html)
    assert re.search(r'href="/id/source/paragraph-36"[^>]*>¶36<', html)
    # statistics whose subject it is
    assert "number of firms" in html and "2010" in html
    # a query prefilled for it
    assert "/sparql?query=DESCRIBE+%3Chttps%3A%2F%2Fw3id.org%2Fkgraph%2Fid%2Fcomplex%2Fulsan%3E" \
        in html


def test_incoming_relations_are_grouped_with_counts(mini_client) -> None:
    html = mini_client.get("/id/place/ulsan", headers={"Accept": "text/html"}).get_data(
        as_text=True)
    incoming = html.split("Referred to by", 1)[1]
    assert re.search(r">located in</a> <span class=\"count\">\(1\)</span>", incoming)
    assert 'href="/id/complex/ulsan"' in incoming
    links = html.split("Links to other datasets", 1)[1].split("<h2>", 1)[0]
    assert "http://www.wikidata.org/entity/Q41000001" in links
    assert "https://sws.geonames.org/1833747/" in links


def test_label_follows_accept_language_and_korean_is_marked(mini_client) -> None:
    en = mini_client.get("/id/place/ulsan", headers={"Accept": "text/html",
                                                     "Accept-Language": "en-GB,en;q=0.8"})
    html = en.get_data(as_text=True)
    assert re.search(r'<h1 lang="en">Ulsan</h1>', html)
    assert '<div class="ko" lang="ko">울산광역시</div>' in html
    ko = mini_client.get("/id/place/ulsan", headers={"Accept": "text/html",
                                                     "Accept-Language": "ko-KR,ko;q=0.9"})
    assert re.search(r'<h1 lang="ko">울산광역시</h1>', ko.get_data(as_text=True))
    # a language we have no label in falls back to English
    fr = mini_client.get("/id/place/ulsan", headers={"Accept": "text/html",
                                                     "Accept-Language": "fr"})
    assert re.search(r'<h1 lang="en">Ulsan</h1>', fr.get_data(as_text=True))


def test_links_follow_the_mount_point(mini_store, app_factory) -> None:
    """The base IRI is mapped onto wherever the app is served, e.g. under /kg behind a proxy."""
    app = app_factory(mini_store)
    app.wsgi_app = DispatcherMiddleware(lambda e, s: [], {"/kg": app.wsgi_app})
    resp = app.test_client().get("/kg/id/complex/ulsan", headers={"Accept": "text/html"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'href="/kg/id/place/ulsan"' in html
    assert 'href="/id/place/ulsan"' not in html
    assert resp.headers["Content-Location"] == "/kg/id/complex/ulsan.html"


def test_forwarded_host_is_used_only_when_trusted(mini_store, app_factory) -> None:
    headers = {"X-Forwarded-Host": "kg.example.org", "X-Forwarded-Proto": "https",
               "Accept": "text/turtle"}
    for trusted, expected in ((False, "http://localhost/sparql"),
                              (True, "https://kg.example.org/sparql")):
        client = app_factory(mini_store, trust_proxy=trusted).test_client()
        graph = parse(client.get("/.well-known/void", headers=headers).data, "turtle")
        endpoints = set(graph.objects(None, URIRef("http://rdfs.org/ns/void#sparqlEndpoint")))
        assert endpoints == {URIRef(expected)}


def test_unknown_iri_is_404_with_close_matches(mini_client) -> None:
    resp = mini_client.get("/id/place/ulsn", headers={"Accept": "text/html"})
    assert resp.status_code == 404
    html = resp.get_data(as_text=True)
    assert "Did you mean" in html
    assert 'href="/id/place/ulsan"' in html
    resp = mini_client.get("/id/place/ulsn", headers={"Accept": "text/turtle"})
    assert resp.status_code == 404
    error = json.loads(resp.data)
    assert error["status"] == 404 and BASE + "id/place/ulsan" in error["error"]
    nothing = mini_client.get("/id/place/zzzzzz-qqqq", headers={"Accept": "text/html"})
    assert nothing.status_code == 404
    assert "Did you mean" not in nothing.get_data(as_text=True)


def test_ontology_iri_serves_the_ontology_in_each_format(mini_client) -> None:
    for media, (suffix, fmt) in RDF_TYPES.items():
        for resp in (mini_client.get("/ontology", headers={"Accept": media}),
                     mini_client.get("/ontology" + suffix)):
            assert resp.status_code == 200 and resp.mimetype == media
            graph = parse(resp.data, fmt)
            assert (URIRef(BASE + "ontology"), rdflib.RDF.type, OWL.Ontology) in graph
            assert (KG.MetropolitanCity, RDFS.subClassOf, KG.Place) in graph
    html = mini_client.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    # hash IRIs: the browser asks for /ontology, whose page holds an anchor per term
    assert 'id="MetropolitanCity"' in html
    assert 'href="/ontology/MetropolitanCity"' in html


def test_term_pages_show_hierarchy_domain_range_and_use(mini_client) -> None:
    html = mini_client.get("/ontology/MetropolitanCity",
                           headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "A city with the rank of a province." in html
    broader = html.split("Broader", 1)[1].split("</tr>", 1)[0]
    assert 'href="/ontology/Place"' in broader
    assert re.search(r"<th>Instances</th><td>1</td>", html)
    place = mini_client.get("/ontology/Place", headers={"Accept": "text/html"}).get_data(
        as_text=True)
    narrower = place.split("Narrower", 1)[1].split("</tr>", 1)[0]
    assert 'href="/ontology/MetropolitanCity"' in narrower
    prop = mini_client.get("/ontology/locatedIn", headers={"Accept": "text/html"}).get_data(
        as_text=True)
    assert 'href="/ontology/Place"' in prop.split("<th>Domain</th>", 1)[1].split("</tr>", 1)[0]
    assert re.search(r"<th>Statements using it</th><td>1</td>", prop)
    turtle = parse(mini_client.get("/ontology/MetropolitanCity.ttl").data, "turtle")
    assert (KG.MetropolitanCity, RDFS.subClassOf, KG.Place) in turtle
    query = mini_client.get("/ontology?term=Place")
    assert query.status_code == 303 and query.headers["Location"].endswith("/ontology/Place")
    assert mini_client.get("/ontology/NoSuchTerm",
                           headers={"Accept": "text/html"}).status_code == 404


def test_graph_iris_serve_their_statements(mini_client) -> None:
    resp = mini_client.get("/graph/paragraph-36", headers={"Accept": "text/turtle"})
    assert resp.status_code == 200
    graph = parse(resp.data, "turtle")
    assert (COMPLEX, KG.locatedIn, ULSAN) in graph
    assert (URIRef(BASE + "graph/paragraph-36"), URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"),
            URIRef(BASE + "id/source/paragraph-36")) in graph
    html = mini_client.get("/graph/paragraph-36", headers={"Accept": "text/html"}).get_data(
        as_text=True)
    assert "Statements in this graph" in html and 'href="/id/complex/ulsan"' in html
    assert mini_client.get("/graph/paragraph-99").status_code == 404


def test_head_requests_answer_like_get(mini_client) -> None:
    resp = mini_client.head("/id/place/ulsan", headers={"Accept": "text/turtle"})
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
