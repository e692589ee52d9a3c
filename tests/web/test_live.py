"""Against a real server process: SPARQL clients, concurrency, time limit, federation."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest
import requests
from SPARQLWrapper import CSV, JSON, JSONLD, N3, TSV, TURTLE, XML, SPARQLWrapper

SELECT = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "PREFIX kg: <https://w3id.org/kgraph/ontology#> "
          "SELECT ?c ?label WHERE { ?c a kg:IndustrialComplex ; rdfs:label ?label } "
          "ORDER BY ?label")
CONSTRUCT = ("PREFIX kg: <https://w3id.org/kgraph/ontology#> "
             "CONSTRUCT { ?c kg:locatedIn ?p } WHERE { ?c kg:locatedIn ?p }")
CARTESIAN = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
             "?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }")
LABELS = ["Changwon National Industrial Complex", "Gumi National Industrial Complex",
          "Ulsan Mipo National Industrial Complex"]


def wrapper(live, fmt: str, query: str) -> SPARQLWrapper:
    client = SPARQLWrapper(live.sparql)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_json(live) -> None:
    result = wrapper(live, JSON, SELECT).query().convert()
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == LABELS


def test_sparqlwrapper_xml(live) -> None:
    document = wrapper(live, XML, SELECT).query().convert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == LABELS


@pytest.mark.parametrize(("fmt", "separator"), [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_csv_tsv(live, fmt: str, separator: str) -> None:
    text = wrapper(live, fmt, SELECT).query().convert().decode()
    lines = text.splitlines()
    assert lines[0].replace("?", "") == f"c{separator}label"
    assert len(lines) == 4 and "Gumi National Industrial Complex" in lines[2]


def test_sparqlwrapper_ask(live) -> None:
    result = wrapper(live, JSON, "ASK { ?s ?p ?o }").query().convert()
    assert result["boolean"] is True


@pytest.mark.parametrize("fmt", [TURTLE, N3, XML, JSONLD])
def test_sparqlwrapper_graph_formats(live, fmt: str) -> None:
    answer = wrapper(live, fmt, CONSTRUCT).query().convert()
    if isinstance(answer, bytes):  # SPARQLWrapper hands Turtle/N3 over unparsed
        answer = list(ox.parse(answer, format=ox.RdfFormat.TURTLE))
    assert len(answer) == 3


def test_sparqlwrapper_post(live) -> None:
    client = wrapper(live, JSON, SELECT)
    client.setMethod("POST")
    result = client.query().convert()
    assert len(result["results"]["bindings"]) == 3


def test_eight_concurrent_clients(live) -> None:
    queries = [SELECT, "ASK { ?s ?p ?o }", CONSTRUCT, "SELECT * WHERE { ?s ?p ?o } LIMIT 5"]

    def client(number: int) -> list[int]:
        statuses = []
        with requests.Session() as session:
            for i in range(25):
                response = session.post(live.sparql, data={"query": queries[(number + i) % 4]})
                statuses.append(response.status_code)
                assert response.content
        return statuses

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(client, range(8)))
    assert all(status == 200 for statuses in results for status in statuses)


def test_timeout_stops_the_query_and_the_next_one_runs(live) -> None:
    started = time.monotonic()
    response = requests.get(live.sparql, params={"query": CARTESIAN}, timeout=30)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "timeout" in response.json()["error"]
    assert elapsed < 1.0 + 1.0  # the configured limit is 1 s
    after = requests.get(live.sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
    assert after.status_code == 200 and after.json()["boolean"] is True
    assert requests.get(live.url + "/health", timeout=5).json()["workers"] == 2


def test_other_clients_are_served_during_a_long_query(live) -> None:
    slow: dict[str, int] = {}
    thread = threading.Thread(target=lambda: slow.update(status=requests.get(
        live.sparql, params={"query": CARTESIAN}, timeout=30).status_code))
    thread.start()
    time.sleep(0.2)
    fast = requests.get(live.sparql, params={"query": SELECT}, timeout=5)
    assert fast.status_code == 200
    thread.join()
    assert slow["status"] == 503


class Listener:
    """A TCP port on loopback that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stopped = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stopped = True
        self.thread.join()
        self.sock.close()


def test_service_to_a_host_not_allowlisted_makes_no_connection(live) -> None:
    listener = Listener()
    try:
        target = f"http://127.0.0.1:{listener.port}/sparql"
        for query in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ SERVICESILENT<{target}>{{ ?s ?p ?o }} }}",
                      f"PREFIX x: <http://127.0.0.1:{listener.port}/> "
                      "SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }"):
            response = requests.get(live.sparql, params={"query": query}, timeout=10)
            assert response.status_code == 400
            assert "not allowed" in response.json()["error"]
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()


def test_federated_query_to_an_allowlisted_endpoint(live, live_factory) -> None:
    remote = live  # a second endpoint standing in for Wikidata
    local = live_factory(federation_allowlist=(remote.sparql,), query_timeout=10)
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "SELECT ?label WHERE { SERVICE <" + remote.sparql + "> { "
             "<https://w3id.org/kgraph/id/place/ulsan> rdfs:label ?label } } ORDER BY ?label")
    response = requests.get(local.sparql, params={"query": query}, timeout=20)
    assert response.status_code == 200, response.text
    values = [b["label"]["value"] for b in response.json()["results"]["bindings"]]
    assert values == ["Ulsan", "울산광역시"]
    description = requests.get(local.sparql, headers={"Accept": "application/n-triples"})
    graph = list(ox.parse(description.content, format=ox.RdfFormat.N_TRIPLES))
    assert any(t.object.value.endswith("#BasicFederatedQuery") for t in graph)
    other = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    assert requests.get(local.sparql, params={"query": other}).status_code == 400


def test_update_is_refused_by_the_server(live) -> None:
    insert = "INSERT DATA { <http://a/s> <http://a/p> <http://a/o> }"
    assert requests.post(live.sparql, data={"update": insert}).status_code == 403
    assert requests.post(live.sparql, data=insert,
                         headers={"Content-Type": "application/sparql-update"}).status_code == 403
    check = requests.get(live.sparql, params={"query": "ASK { <http://a/s> ?p ?o }"})
    assert check.json()["boolean"] is False
