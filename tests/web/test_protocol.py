"""SPARQL 1.1 Protocol edge cases, through the app (Flask test client)."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

BASE = "https://w3id.org/kgraph/"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
LABELS = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "SELECT ?label WHERE { <https://w3id.org/kgraph/id/place/gumi> rdfs:label ?label } "
          "ORDER BY ?label")
FORM = "application/x-www-form-urlencoded"


def bindings(response) -> list[dict]:
    assert response.status_code == 200, response.data
    return response.get_json(force=True)["results"]["bindings"]


def error(response, status: int) -> str:
    assert response.status_code == status, response.data
    body = json.loads(response.data)
    assert body["ok"] is False and body["status"] == status and body["title"]
    return body["error"]


def test_get_post_form_and_post_direct_give_the_same_answer(client) -> None:
    get = bindings(client.get("/sparql", query_string={"query": LABELS}))
    form = bindings(client.post("/sparql", data={"query": LABELS}))
    direct = bindings(client.post("/sparql", data=LABELS.encode(),
                                  content_type="application/sparql-query"))
    assert get == form == direct
    assert {b["label"]["value"] for b in get} == {"Gumi", "구미시"}


def test_missing_query_is_400(client) -> None:
    assert "missing query" in error(client.post("/sparql", data={"format": "json"}), 400)
    assert "empty" in error(client.get("/sparql", query_string={"query": " "}), 400)


def test_two_queries_are_400(client) -> None:
    response = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert "2 queries" in error(response, 400)
    response = client.post("/sparql?query=ASK%7B%7D", data=b"ASK {}",
                           content_type="application/sparql-query")
    assert "2 queries" in error(response, 400)


def test_malformed_query_is_400_with_the_parser_message(client) -> None:
    message = error(client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x"}), 400)
    assert "syntax error" in message and "1:" in message


def test_wrong_content_type_and_method(client) -> None:
    assert "Content-Type" in error(client.post("/sparql", data=b"ASK {}",
                                               content_type="text/plain"), 415)
    response = client.put("/sparql", data=b"ASK {}")
    error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_non_utf8_body_is_400(client) -> None:
    response = client.post("/sparql", data=b"ASK { \xff }",
                           content_type="application/sparql-query")
    assert "UTF-8" in error(response, 400)
    latin = client.post("/sparql", data="ASK { ?s ?p \"é\" }".encode("latin-1"),
                        content_type="application/sparql-query; charset=ISO-8859-1")
    assert "UTF-8" in error(latin, 400)
    utf8 = client.post("/sparql", data="ASK { ?s ?p \"é\" }".encode(),
                       content_type="application/sparql-query; charset=UTF-8")
    assert utf8.status_code == 200


def test_default_graph_is_the_union_of_asserted_and_inferred(client) -> None:
    query = ("ASK { <https://w3id.org/kgraph/id/complex/gumi> a "
             "<https://w3id.org/kgraph/ontology#Place> }")
    assert client.get("/sparql", query_string={"query": query}).get_json()["boolean"] is True
    asserted = client.get("/sparql", query_string={
        "query": query, "default-graph-uri": BASE + "graph/asserted"})
    assert asserted.get_json()["boolean"] is False
    stated = ("ASK { <https://w3id.org/kgraph/id/complex/gumi> a "
              "<https://w3id.org/kgraph/ontology#IndustrialComplex> }")
    asserted = client.get("/sparql", query_string={
        "query": stated, "default-graph-uri": BASE + "graph/asserted"})
    assert asserted.get_json()["boolean"] is True


def test_dataset_parameters_hide_graphs_outside_the_dataset(client) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    every = {b["g"]["value"] for b in bindings(client.get("/sparql",
                                                          query_string={"query": query}))}
    assert BASE + "graph/paragraph-1" in every and BASE + "graph/inferred" in every
    one = bindings(client.get("/sparql", query_string={
        "query": query, "named-graph-uri": BASE + "graph/paragraph-2"}))
    assert [b["g"]["value"] for b in one] == [BASE + "graph/paragraph-2"]
    # default-graph-uri alone: the default graph is that graph, no named graphs at all.
    only = client.post("/sparql", data={"query": ALL,
                                        "default-graph-uri": BASE + "graph/inferred"})
    assert len(bindings(only)) == 3
    none = client.get("/sparql", query_string={
        "query": query, "default-graph-uri": BASE + "graph/inferred"})
    assert bindings(none) == []


def test_from_clause_chooses_the_default_graph(client) -> None:
    query = f"SELECT ?s FROM <{BASE}graph/inferred> WHERE {{ ?s ?p ?o }}"
    assert len(bindings(client.get("/sparql", query_string={"query": query}))) == 3


def test_from_a_remote_graph_is_refused(client) -> None:
    query = "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }"
    message = error(client.get("/sparql", query_string={"query": query}), 400)
    assert "never fetches remote graphs" in message
    message = error(client.get("/sparql", query_string={
        "query": ALL, "named-graph-uri": "http://example.org/g"}), 400)
    assert "not a graph of this dataset" in message


@pytest.mark.parametrize(("accept", "expected"), [
    ("", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    ("text/*", "text/csv"),
    ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
    ("text/html, application/xhtml+xml, */*;q=0.8", "application/sparql-results+json"),
])
def test_accept_negotiation_for_results(client, accept: str, expected: str) -> None:
    response = client.get("/sparql", query_string={"query": LABELS},
                          headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == expected
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize(("accept", "expected", "rdf_format"), [
    ("", "text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.2", "application/rdf+xml",
     ox.RdfFormat.RDF_XML),
    ("application/trig", "application/trig", ox.RdfFormat.TRIG),
    ("application/n-quads", "application/n-quads", ox.RdfFormat.N_QUADS),
])
def test_graph_results_in_each_rdf_format(client, accept: str, expected: str,
                                          rdf_format: ox.RdfFormat) -> None:
    query = ("CONSTRUCT { ?s <http://example.org/in> ?o } WHERE { ?s "
             "<https://w3id.org/kgraph/ontology#locatedIn> ?o }")
    response = client.get("/sparql", query_string={"query": query},
                          headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == expected
    parsed = list(ox.parse(response.data, format=rdf_format))
    assert len(parsed) == 3


def test_nothing_acceptable_is_406(client) -> None:
    message = error(client.get("/sparql", query_string={"query": LABELS},
                               headers={"Accept": "image/png"}), 406)
    assert "json" in message
    error(client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                     headers={"Accept": "text/csv"}), 406)


def test_format_parameter_overrides_accept(client) -> None:
    response = client.get("/sparql", query_string={"query": LABELS, "format": "csv"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.mimetype == "text/csv"
    assert response.data.decode().splitlines()[0] == "label"
    response = client.get("/sparql", query_string={
        "query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "xml"})
    assert response.mimetype == "application/rdf+xml"
    error(client.get("/sparql", query_string={"query": LABELS, "format": "turtle"}), 406)


def test_result_formats_follow_the_w3c_specs(client) -> None:
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "SELECT ?s ?label ?missing WHERE { ?s rdfs:label ?label "
             "FILTER(?s = <https://w3id.org/kgraph/id/place/ulsan>) } ORDER BY ?label")
    csv = client.get("/sparql", query_string={"query": query, "format": "csv"}).data.decode()
    assert csv.split("\r\n")[0] == "s,label,missing"
    assert "https://w3id.org/kgraph/id/place/ulsan,Ulsan," in csv
    tsv = client.get("/sparql", query_string={"query": query, "format": "tsv"}).data.decode()
    assert tsv.splitlines()[0] == "?s\t?label\t?missing"
    assert '<https://w3id.org/kgraph/id/place/ulsan>\t"Ulsan"@en\t' in tsv
    xml = client.get("/sparql", query_string={"query": query, "format": "xml"}).data
    parsed = ox.parse_query_results(xml, format=ox.QueryResultsFormat.XML)
    assert [str(row["label"]) for row in parsed] == ['"Ulsan"@en', '"울산광역시"@ko']
    js = client.get("/sparql", query_string={"query": query}).data
    parsed = ox.parse_query_results(js, format=ox.QueryResultsFormat.JSON)
    assert [v.value for v in parsed.variables] == ["s", "label", "missing"]


def test_row_cap_is_signalled(client) -> None:
    response = client.get("/sparql", query_string={"query": ALL})
    assert response.headers["Kgraph-Truncated"].startswith("true")
    body = response.get_json(force=True)
    assert body["truncated"] is True
    assert len(body["results"]["bindings"]) == 20
    xml = client.get("/sparql", query_string={"query": ALL, "format": "xml"}).data.decode()
    assert "truncated" in xml
    turtle = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert turtle.headers["Kgraph-Truncated"].startswith("true")
    assert len(list(ox.parse(turtle.data, format=ox.RdfFormat.TURTLE))) == 20
    small = client.get("/sparql", query_string={"query": LABELS})
    assert "Kgraph-Truncated" not in small.headers
    assert "truncated" not in small.get_json(force=True)


def test_long_query_and_body_are_413(client) -> None:
    long_query = "ASK {}" + " " * 2100
    assert "limit" in error(client.get("/sparql", query_string={"query": long_query}), 413)
    body = b"ASK {}" + b" " * 5000
    error(client.post("/sparql", data=body, content_type="application/sparql-query"), 413)


def test_updates_are_refused_and_never_run(client, store) -> None:
    before = len(store)
    insert = ("INSERT DATA { <https://w3id.org/kgraph/id/place/x> "
              "<http://www.w3.org/2000/01/rdf-schema#label> \"x\" }")
    assert "read-only" in error(client.get("/sparql", query_string={"update": insert}), 403)
    assert "read-only" in error(client.post("/sparql", data={"update": insert}), 403)
    error(client.post("/sparql", data=insert.encode(),
                      content_type="application/sparql-update"), 403)
    assert "Update" in error(client.post("/sparql", data={"query": insert}), 400)
    clear = "CLEAR ALL"
    error(client.get("/sparql", query_string={"query": clear}), 400)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    n = bindings(client.get("/sparql", query_string={"query": count}))[0]["n"]["value"]
    assert int(n) == before == len(store)
    gone = client.get("/sparql", query_string={
        "query": "ASK { <https://w3id.org/kgraph/id/place/x> ?p ?o }"})
    assert gone.get_json()["boolean"] is False


def test_service_to_a_host_not_allowlisted_is_refused(client) -> None:
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    assert "not allowed" in error(client.get("/sparql", query_string={"query": query}), 400)


def test_service_description(client) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    store = ox.Store()
    store.load(input=response.data, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    rows = list(store.query(f"""
        PREFIX sd: <{sd}>
        SELECT ?endpoint ?name WHERE {{
          ?service a sd:Service ; sd:endpoint ?endpoint ;
                   sd:supportedLanguage sd:SPARQL11Query ;
                   sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON> ;
                   sd:defaultDataset/sd:defaultGraph ?default ;
                   sd:defaultDataset/sd:namedGraph [ sd:name ?name ; sd:graph ?g ] .
        }}"""))
    names = {row["name"].value for row in rows}
    assert names == {BASE + "graph/ontology", BASE + "graph/paragraph-1",
                     BASE + "graph/paragraph-2", BASE + "graph/inferred"}
    assert rows[0]["endpoint"].value == "http://localhost/sparql"
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert jsonld.mimetype == "application/ld+json"
    browser = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 303 and browser.headers["Location"].endswith("/")


def test_cors(client) -> None:
    response = client.get("/sparql", query_string={"query": LABELS},
                          headers={"Origin": "https://yasgui.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/sparql", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


def test_errors_are_html_for_browsers(client) -> None:
    response = client.get("/sparql", query_string={"query": "SELEC"},
                          headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    page = response.data.decode()
    assert "400 Bad Request" in page and "syntax error" in page
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and missing.get_json()["status"] == 404


def test_server_fault_is_a_logged_500(app, client, caplog) -> None:
    endpoint = app.extensions["kgraph.sparql"]

    def broken(job, timeout=None):
        raise RuntimeError("boom")

    endpoint.executor.run = broken
    response = client.get("/sparql", query_string={"query": LABELS})
    assert response.status_code == 500
    assert response.get_json()["status"] == 500
    assert "boom" in caplog.text


def test_health(client, store) -> None:
    body = client.get("/health").get_json()
    assert body["ok"] is True and body["triples"] == len(store) and body["workers"] == 2


def test_query_page_lists_the_gallery(client) -> None:
    page = client.get("/").data.decode()
    assert "Which industrial complexes are there, and where are they?" in page
    assert "¶ 1, 2" in page
    assert "calls https://query.wikidata.org/sparql (not allowlisted here)" in page
    assert 'id="query"' in page and "PREFIX kg: &lt;https://w3id.org/kgraph/ontology#&gt;" in page


def test_flask_route_speaks_the_same_protocol(app) -> None:
    from werkzeug.test import Client

    flask_only = Client(app.wsgi_app.app)  # behind the /sparql fast path
    response = flask_only.get("/sparql", query_string={"query": LABELS})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert len(response.get_json(force=True)["results"]["bindings"]) == 2
    bad = flask_only.get("/sparql", query_string={"query": "SELEC"})
    assert bad.status_code == 400 and json.loads(bad.data)["status"] == 400


def test_head_request(client) -> None:
    response = client.head("/sparql", query_string={"query": LABELS})
    assert response.status_code == 200 and response.data == b""
    assert int(response.headers["Content-Length"]) > 0


def test_a_dead_worker_is_replaced(app, client) -> None:
    import os
    import signal
    import time

    executor = app.extensions["kgraph.sparql"].executor
    victim = next(iter(executor._all))
    os.kill(victim, signal.SIGKILL)
    time.sleep(0.2)
    statuses = [client.get("/sparql", query_string={"query": LABELS}).status_code
                for _ in range(6)]
    assert statuses == [200] * 6
    assert victim not in executor._all and executor.alive() == 2


def test_awkward_values_survive_every_results_format(client) -> None:
    query = ('SELECT ?x ?b WHERE { VALUES ?x { "tab\\there" "comma, and \\"quote\\"" '
             '"line\\nbreak" "5"^^<http://www.w3.org/2001/XMLSchema#integer> } '
             'BIND(BNODE() AS ?b) }')
    expected = ['"tab\\there"', '"comma, and \\"quote\\""', '"line\\nbreak"',
                '"5"^^<http://www.w3.org/2001/XMLSchema#integer>']
    for name, fmt in (("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                      ("tsv", ox.QueryResultsFormat.TSV)):
        data = client.get("/sparql", query_string={"query": query, "format": name}).data
        rows = list(ox.parse_query_results(data, format=fmt))
        assert [str(row["x"]) for row in rows] == expected, name
        assert all(isinstance(row["b"], ox.BlankNode) for row in rows), name
    import csv
    import io

    text = client.get("/sparql", query_string={"query": query, "format": "csv"}).data.decode()
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["x"] for row in rows] == ["tab\there", 'comma, and "quote"', "line\nbreak", "5"]
    assert all(row["b"].startswith("_:") for row in rows)


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_query_limited_below_the_cap_gives_the_same_rows(client, fmt: str) -> None:
    ordered = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    limited = client.get("/sparql", query_string={"query": ordered + " LIMIT 20",
                                                  "format": fmt})
    capped = client.get("/sparql", query_string={"query": ordered, "format": fmt})
    assert "Kgraph-Truncated" not in limited.headers
    assert "Kgraph-Truncated" in capped.headers
    results_format = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                      "tsv": ox.QueryResultsFormat.TSV}[fmt]

    def rows(response) -> list[tuple[str, ...]]:
        parsed = ox.parse_query_results(response.data, format=results_format)
        return [tuple(str(t) for t in row) for row in parsed]

    assert rows(limited) == rows(capped)
    assert len(rows(limited)) == 20
