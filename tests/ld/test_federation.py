"""Federated queries: our graph joined with a second endpoint through SERVICE.

A tiny pyoxigraph-backed SPARQL endpoint on 127.0.0.1 stands in for Wikidata; it is
allowlisted for the test app, and the federated example queries 71-74 are checked for
shape (they name the real Wikidata endpoint and are marked for the offline runner to skip).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

ROOT = Path(__file__).resolve().parents[2]
WIKIDATA = "https://query.wikidata.org/sparql"
STAND_IN_DATA = """
<http://www.wikidata.org/entity/Q41000001> <http://www.wikidata.org/prop/direct/P1082>
    "1100000"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<http://www.wikidata.org/entity/Q41000001> <http://www.wikidata.org/prop/direct/P2046>
    "1062.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .
"""


def federated_queries() -> list[Path]:
    return sorted(p for p in (ROOT / "queries").glob("7[1-4]-*.rq"))


class _Handler(BaseHTTPRequestHandler):
    store: ox.Store

    def _answer(self, query: str) -> None:
        try:
            result = self.store.query(query)
            body = result.serialize(format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            self.send_error(400, str(exc))
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer(parse_qs(urlparse(self.path).query)["query"][0])

    def do_POST(self) -> None:
        data = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
        if self.headers.get("Content-Type", "").startswith("application/sparql-query"):
            self._answer(data)
        else:
            self._answer(parse_qs(data)["query"][0])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def stand_in() -> Iterator[str]:
    store = ox.Store()
    store.load(STAND_IN_DATA.encode(), format=ox.RdfFormat.TURTLE)
    handler = type("Handler", (_Handler,), {"store": store})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def as_local(query: str, endpoint: str) -> str:
    return query.replace(f"<{WIKIDATA}>", f"<{endpoint}>")


def run_allowed(store, app_factory, endpoint: str, name: str) -> list[dict]:
    """Run queries/NAME against the app with ENDPOINT allowlisted; the result bindings."""
    query = as_local((ROOT / "queries" / name).read_text(), endpoint)
    client = app_factory(store, federation_allowlist=(endpoint,)).test_client()
    resp = client.post("/sparql", data={"query": query},
                       headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.data[:800]
    return json.loads(resp.data)["results"]["bindings"]


def test_example_query_joins_our_graph_with_the_allowlisted_endpoint(
        mini_store, app_factory, stand_in) -> None:
    rows = run_allowed(mini_store, app_factory, stand_in, "71-complex-regions-population.rq")
    assert [(r["complexLabel"]["value"], r["regionLabel"]["value"], r["population"]["value"])
            for r in rows] == [("Ulsan Industrial Complex", "Ulsan", "1100000")]


def test_area_query_counts_locally_and_asks_remotely(mini_store, app_factory, stand_in) -> None:
    rows = run_allowed(mini_store, app_factory, stand_in, "74-regions-complexes-area.rq")
    assert [(int(r["complexes"]["value"]), float(r["area"]["value"])) for r in rows] == [
        (1, 1062.0)]


def test_service_outside_the_allowlist_is_refused(mini_store, app_factory, stand_in) -> None:
    query = as_local((ROOT / "queries" / "71-complex-regions-population.rq").read_text(), stand_in)
    client = app_factory(mini_store).test_client()  # empty allowlist
    resp = client.post("/sparql", data={"query": query},
                       headers={"Accept": "application/sparql-results+json"})
    assert 400 <= resp.status_code < 500
    assert "allowlist" in json.loads(resp.data)["error"]


@pytest.mark.parametrize("path", federated_queries(), ids=lambda p: p.name)
def test_federated_examples_are_marked_and_parse(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any(line.startswith("# Question: ") and line.endswith("?") for line in header)
    paragraphs = next(line for line in header if line.startswith("# Paragraphs: "))
    assert re.fullmatch(r"# Paragraphs: \d+(, \d+)*", paragraphs)
    assert "# Federated: yes" in header
    assert f"SERVICE <{WIKIDATA}>" in text
    prepareQuery(text)


def test_there_are_four_federated_examples() -> None:
    assert [p.name[:2] for p in federated_queries()] == ["71", "72", "73", "74"]
