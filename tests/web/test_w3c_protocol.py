"""The W3C SPARQL 1.1 Protocol test suite (query side), ported case by case.

Source: the ``mf:ProtocolTest`` entries of w3c/rdf-tests, sparql/sparql11/protocol/
manifest.ttl. Each case keeps the manifest's method, path, headers and body byte for
byte and checks what the manifest expects (status class, result kind, boolean value).
Every case runs twice: as a raw WSGI request into the app (exact environ, no client
library in between) and as raw bytes over a socket to a real server process.

Adaptations, each for a stated reason:

* Graph data: the manifest's ``ut:graphData`` loads data1/data2/data3 into graphs named
  ``http://kasei.us/2009/09/sparql/data/dataN.rdf``. The store below holds graphs of
  exactly those names (our own small content: each graph says its document is a
  foaf:Document), so the requests are unchanged. The endpoint never fetches graphs, and
  it refuses dataset IRIs that are not graphs it holds; the manifest names ``data0.rdf``
  without loading it, so the store holds a graph of that name too.
* ``query_multiple_dataset``: the manifest's URL percent-encodes the ``&`` between its two
  ``named-graph-uri`` parameters (``%26``), which makes one parameter whose value is not an
  IRI of any graph; the case is ported as the two parameters it means.
* Update cases: this endpoint is read-only by design, so every ``update_*`` case that
  expects 2xx on a read-write service is ported as "refused with 4xx, data unchanged"
  (its follow-up query then answers as if the update never happened).
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.client import HTTPResponse
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
import pytest

from kgraph.web.app import close, create_app

HERE = Path(__file__).resolve().parent
DATA = "http://kasei.us/2009/09/sparql/data/"
TRIG = f"""
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{DATA}data0.rdf> {{ <{DATA}data0.rdf> a foaf:Document ; dcterms:title "zero" . }}
<{DATA}data1.rdf> {{ <{DATA}data1.rdf> a foaf:Document ; dcterms:title "one" . }}
<{DATA}data2.rdf> {{ <{DATA}data2.rdf> a foaf:Document ; dcterms:title "two" . }}
<{DATA}data3.rdf> {{ <{DATA}data3.rdf> a foaf:Document ; dcterms:title "three" . }}
"""
G0 = "default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata0.rdf"
D1 = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
D2 = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf"
D3 = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata3.rdf"
FORM = ("content-type", "application/x-www-form-urlencoded")
DIRECT = ("content-type", "application/sparql-query")
UPDATE = ("content-type", "application/sparql-update")

BOOLEAN_TYPES = {"application/sparql-results+xml", "application/sparql-results+json"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples",
             "application/ld+json"}
SRX = "{http://www.w3.org/2005/sparql-results#}"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]   # lower-case names
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class Case:
    """One request of the manifest and what its ``ht:resp`` expects."""

    name: str
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    expect: str = "ok"                       # ok (2xx/3xx) | client-error (4xx)
    kind: str | None = None                  # boolean | tabular | RDF
    boolean: bool | None = None
    extra: dict = field(default_factory=dict)


def _text(text: str) -> bytes:
    return text.encode("utf-8")


FULL = """ASK {
  <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?type
  GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type }
  GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type }
}"""
TWO_DEFAULT = ("ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type . "
               "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type . }")
TWO_NAMED = ("ASK { GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } "
             "GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }")

#: The manifest's query-side cases, in its order (update cases follow separately).
W3C_CASES = [
    Case("query_post_form", "POST", f"/sparql/?{G0}", (FORM,), b"query=ASK%20%7B%7D",
         kind="boolean", boolean=True),
    Case("query_dataset_default_graphs_get", "GET",
         "/sparql/?query=" + quote(TWO_DEFAULT, safe="")
         + f"&default-graph-uri={D1}&default-graph-uri={D2}",
         kind="boolean", boolean=True),
    Case("query_dataset_default_graphs_post", "POST",
         f"/sparql/?default-graph-uri={D1}&default-graph-uri={D2}", (DIRECT,),
         _text(TWO_DEFAULT), kind="boolean", boolean=True),
    Case("query_dataset_named_graphs_post", "POST",
         f"/sparql/?named-graph-uri={D1}&named-graph-uri={D2}", (DIRECT,),
         _text(TWO_NAMED), kind="boolean", boolean=True),
    Case("query_dataset_named_graphs_get", "GET",
         "/sparql/?query=" + quote(TWO_NAMED, safe="")
         + f"&named-graph-uri={D1}&named-graph-uri={D2}",
         kind="boolean", boolean=True),
    Case("query_dataset_full", "POST",
         f"/sparql/?default-graph-uri={D3}&named-graph-uri={D1}&named-graph-uri={D2}",
         (DIRECT,), _text(FULL), kind="boolean", boolean=True),
    # Adapted: the manifest writes %26named-graph-uri%3D (see the module docstring).
    Case("query_multiple_dataset", "POST",
         f"/sparql/?named-graph-uri={D1}&named-graph-uri={D2}", (DIRECT,),
         _text(f"ASK FROM <{DATA}data3.rdf> "
               "{ GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } "
               "GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }"),
         kind="boolean", boolean=True),
    Case("query_get", "GET", f"/sparql/?query=ASK%20%7B%7D&{G0}", kind="boolean",
         boolean=True),
    Case("query_content_type_select", "POST", f"/sparql/?{G0}", (DIRECT,),
         b"SELECT (1 AS ?value) {}", kind="tabular"),
    Case("query_content_type_ask", "POST", f"/sparql/?{G0}", (DIRECT,), b"ASK {}",
         kind="boolean"),
    Case("query_content_type_describe", "POST", f"/sparql/?{G0}", (DIRECT,),
         b"DESCRIBE <http://example.org/>", kind="RDF"),
    Case("query_content_type_construct", "POST", f"/sparql/?{G0}", (DIRECT,),
         b"CONSTRUCT { <s> <p> 1 } WHERE {}", kind="RDF"),
    Case("query_post_direct", "POST", "/sparql/", (DIRECT,), b"ASK {}", kind="boolean",
         boolean=True),
    Case("bad_query_method", "PUT", f"/sparql/?query=ASK%20%7B%7D&{G0}", (FORM,),
         expect="client-error"),
    Case("bad_multiple_queries", "GET", "/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D",
         expect="client-error"),
    Case("bad_query_wrong_media_type", "POST", "/sparql/", (("content-type", "text/plain"),),
         b"ASK {}", expect="client-error"),
    Case("bad_query_missing_form_type", "POST", "/sparql/", (), b"query=ASK%20%7B%7D",
         expect="client-error"),
    Case("bad_query_missing_direct_type", "POST", "/sparql/", (), b"ASK {}",
         expect="client-error"),
    # UTF-16 with a byte order mark, as the manifest's comment says.
    Case("bad_query_non_utf8", "POST", "/sparql/",
         (("content-type", "application/sparql-query; charset=UTF-16"),),
         "ASK {}".encode("utf-16"), expect="client-error"),
    Case("bad_query_syntax", "GET", "/sparql/?query=ASK%20%7B", expect="client-error"),
    Case("bad_update_get", "GET", "/sparql/?update=CLEAR%20ALL", expect="client-error"),
    Case("bad_multiple_updates", "POST", "/sparql/", (FORM,),
         b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", expect="client-error"),
    Case("bad_update_wrong_media_type", "POST", "/sparql/",
         (("content-type", "text/plain"),), b"CLEAR NAMED", expect="client-error"),
    Case("bad_update_missing_form_type", "POST", "/sparql/", (), b"update=CLEAR%20NAMED",
         expect="client-error"),
    Case("bad_update_non_utf8", "POST", "/sparql/",
         (("content-type", "application/sparql-update; charset=UTF-16"),),
         "CLEAR NAMED".encode("utf-16"), expect="client-error"),
    Case("bad_update_syntax", "POST", "/sparql/", (FORM,), b"update=CLEAR%20XYZ",
         expect="client-error"),
    Case("bad_update_dataset_conflict", "POST",
         "/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople", (UPDATE,),
         _text("PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
               "DELETE { ?person foaf:givenName 'Bill' }\n"
               "INSERT { ?person foaf:givenName 'William' }\n"
               "WHERE {\n    ?person foaf:givenName 'Bill'\n}"),
         expect="client-error"),
]

UPDATE_DEFAULT = """PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
CLEAR ALL ;
INSERT DATA {
    GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> {
        <http://kasei.us/2009/09/sparql/data/data1.rdf> a foaf:Document
    }
} ;
INSERT {
    GRAPH <http://example.org/protocol-update-dataset-test/> {
        ?s a dc:BibliographicResource
    }
}
WHERE {
    ?s a foaf:Document
}"""
UPDATE_CHECK = """ASK {
    GRAPH <http://example.org/protocol-update-dataset-test/> {
        <http://kasei.us/2009/09/sparql/data/data1.rdf> a <http://purl.org/dc/terms/BibliographicResource>
    }
}"""
BASE_UPDATE = ("CLEAR GRAPH <http://example.org/protocol-base-test/> ;\n"
               "INSERT DATA { GRAPH <http://example.org/protocol-base-test/> "
               "{ <http://example.org/s> <http://example.org/p> <test> } }")
BASE_CHECK = """SELECT ?o WHERE {
    GRAPH <http://example.org/protocol-base-test/> {
        <http://example.org/s> <http://example.org/p> ?o
    }
}"""

#: The manifest's update cases, refused here (read-only), each with its follow-up query.
UPDATE_CASES = [
    ("update_dataset_default_graph", f"/sparql/?using-graph-uri={D1}", UPDATE,
     _text(UPDATE_DEFAULT), UPDATE_CHECK),
    ("update_dataset_default_graphs",
     f"/sparql/?using-graph-uri={D1}&using-graph-uri={D2}", UPDATE,
     _text(UPDATE_DEFAULT.replace("dataset-test", "dataset-graphs-test")),
     UPDATE_CHECK.replace("dataset-test", "dataset-graphs-test")),
    ("update_dataset_named_graphs",
     f"/sparql/?using-named-graph-uri={D1}&using-named-graph-uri={D2}", UPDATE,
     _text(UPDATE_DEFAULT.replace("dataset-test", "dataset-named-graphs-test")),
     UPDATE_CHECK.replace("dataset-test", "dataset-named-graphs-test")),
    ("update_dataset_full",
     f"/sparql/?using-graph-uri={D1}&using-named-graph-uri={D2}", UPDATE,
     _text(UPDATE_DEFAULT.replace("dataset-test", "dataset-full-test")),
     UPDATE_CHECK.replace("dataset-test", "dataset-full-test")),
    ("update_post_form", "/sparql/", FORM, b"update=CLEAR+ALL", None),
    ("update_post_direct", "/sparql/", UPDATE, b"CLEAR ALL", None),
    ("update_base_uri", "/sparql/", UPDATE, _text(BASE_UPDATE), BASE_CHECK),
]


# --- transports ---------------------------------------------------------------------


def _wsgi_sender(app) -> Callable[..., Answer]:
    def send(method: str, path: str, headers=(), body: bytes = b"") -> Answer:
        path_info, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path_info, "QUERY_STRING": query,
            "SCRIPT_NAME": "", "SERVER_NAME": "www.example", "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "www.example",
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http", "wsgi.version": (1, 0), "wsgi.multithread": True,
            "wsgi.multiprocess": False, "wsgi.run_once": False}
        if body or method in ("POST", "PUT"):
            environ["CONTENT_LENGTH"] = str(len(body))
        for name, value in headers:
            key = name.upper().replace("-", "_")
            environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key] = value
        started: dict = {}

        def start_response(status: str, response_headers: list, exc_info=None) -> None:
            started["status"] = int(status.split()[0])
            started["headers"] = {k.lower(): v for k, v in response_headers}

        chunks = app(environ, start_response)
        try:
            data = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return Answer(started["status"], started["headers"], data)
    return send


def _http_sender(url: str) -> Callable[..., Answer]:
    """Raw bytes over a socket: exactly the manifest's request, nothing added but Host,
    Content-Length and Connection: close."""
    parts = urlsplit(url)

    def send(method: str, path: str, headers=(), body: bytes = b"") -> Answer:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in headers]
        if body or method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(body)}")
        lines.append("Connection: close")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
            sock.sendall(raw)
            response = HTTPResponse(sock, method=method)
            response.begin()
            data = response.read()
            found = {k.lower(): v for k, v in response.getheaders()}
            response.close()
        return Answer(response.status, found, data)
    return send


def _conftest(config: pytest.Config):
    """This folder's conftest module (LiveServer, make_root), as pytest loaded it."""
    for plugin in config.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) == str(HERE / "conftest.py"):
            return plugin
    raise LookupError("tests/web/conftest.py is not loaded")


@pytest.fixture(scope="module")
def w3c_trig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("w3c") / "w3c.trig"
    path.write_text(TRIG, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def w3c_app(w3c_trig: Path, tmp_path_factory: pytest.TempPathFactory,
            pytestconfig: pytest.Config):
    store = ox.Store()
    store.load(input=w3c_trig.read_bytes(), format=ox.RdfFormat.TRIG)
    root = _conftest(pytestconfig).make_root(tmp_path_factory.mktemp("w3c-root") / "root")
    app = create_app(store=store, test_config={
        "root": str(root), "query_timeout": 5.0, "max_rows": 50, "query_workers": 1,
        "federation_allowlist": ()})
    yield app
    close(app)


@pytest.fixture(scope="module")
def w3c_server(w3c_trig: Path, tmp_path_factory: pytest.TempPathFactory,
               pytestconfig: pytest.Config) -> Iterator:
    server = _start(_conftest(pytestconfig), tmp_path_factory.mktemp("w3c-live"), w3c_trig)
    yield server
    server.stop()


def _start(conftest, tmp: Path, data: Path):
    """A conftest LiveServer process serving ``data`` instead of the shared fixture."""
    server = conftest.LiveServer.__new__(conftest.LiveServer)
    env = dict(os.environ)
    env.update({"KGRAPH_HOST": "127.0.0.1", "KGRAPH_PORT": "0",
                "KGRAPH_ROOT": str(conftest.make_root(tmp / "root")), "KGRAPH_LOG_LEVEL": "WARNING",
                "KGRAPH_QUERY_WORKERS": "1", "KGRAPH_FEDERATION_ALLOWLIST": ""})
    server.log = open(tmp / "server.log", "w+b")  # noqa: SIM115 - closed in stop()
    server.process = subprocess.Popen(
        [sys.executable, str(HERE / "serve_fixture.py"), str(data)],
        env=env, stdout=server.log, stderr=server.log, start_new_session=True)
    server.url = server._wait_for_address()
    return server


@pytest.fixture(params=["wsgi", "http"])
def send(request) -> Callable[..., Answer]:
    if request.param == "wsgi":
        return _wsgi_sender(request.getfixturevalue("w3c_app"))
    return _http_sender(request.getfixturevalue("w3c_server").url)


# --- checks -----------------------------------------------------------------------


def boolean_of(answer: Answer) -> bool:
    if answer.media_type == "application/sparql-results+json":
        value = json.loads(answer.body)["boolean"]
        assert isinstance(value, bool)
        return value
    assert answer.media_type == "application/sparql-results+xml", answer.headers
    node = ET.fromstring(answer.body).find(f"{SRX}boolean")
    assert node is not None and node.text in ("true", "false")
    return node.text == "true"


def check(case: Case, answer: Answer) -> None:
    if case.expect == "client-error":
        # 4xx from the protocol handler itself (a 404 would mean the request never
        # reached it), in the endpoint's error shape.
        assert 400 <= answer.status < 500 and answer.status != 404, (
            case.name, answer.status, answer.body[:300])
        assert json.loads(answer.body)["status"] == answer.status
        return
    assert 200 <= answer.status < 400, (case.name, answer.status, answer.body[:300])
    if case.kind == "boolean":
        assert answer.media_type in BOOLEAN_TYPES, answer.headers
        value = boolean_of(answer)
        if case.boolean is not None:
            assert value is case.boolean, case.name
    elif case.kind == "tabular":
        assert answer.media_type in TABULAR_TYPES, answer.headers
        document = json.loads(answer.body)  # our default for SELECT is SPARQL JSON
        assert document["head"]["vars"] == ["value"]
        assert document["results"]["bindings"][0]["value"]["value"] == "1"
    elif case.kind == "RDF":
        assert answer.media_type in RDF_TYPES, answer.headers
        fmt = ox.RdfFormat.from_media_type(answer.media_type)
        triples = list(ox.parse(answer.body, format=fmt))
        if case.name == "query_content_type_construct":
            # Relative IRIs resolve against the endpoint's URL (the service's base IRI).
            assert len(triples) == 1 and triples[0].subject.value.endswith("/s")


@pytest.mark.parametrize("case", W3C_CASES, ids=lambda c: c.name)
def test_w3c_protocol_case(send, case: Case) -> None:
    check(case, send(case.method, case.path, case.headers, case.body))


@pytest.mark.parametrize(("name", "path", "content_type", "body", "follow_up"),
                         UPDATE_CASES, ids=[c[0] for c in UPDATE_CASES])
def test_w3c_update_case_is_refused_and_changes_nothing(
        send, name: str, path: str, content_type: tuple[str, str], body: bytes,
        follow_up: str | None) -> None:
    answer = send("POST", path, (content_type,), body)
    assert answer.status == 403, (name, answer.status, answer.body[:300])
    assert "read-only" in json.loads(answer.body)["error"]
    every = send("GET", "/sparql?query=" + quote("SELECT ?g (COUNT(*) AS ?n) "
                                                 "{ GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"))
    counts = {b["g"]["value"]: b["n"]["value"]
              for b in json.loads(every.body)["results"]["bindings"]}
    assert counts == {f"{DATA}data{n}.rdf": "2" for n in range(4)}   # nothing cleared
    if follow_up is None:
        return
    answer = send("POST", "/sparql/", (DIRECT,), _text(follow_up))
    assert answer.status == 200
    document = json.loads(answer.body)
    if "boolean" in document:
        assert document["boolean"] is False          # the INSERT never happened
    else:
        assert document["results"]["bindings"] == []


# --- the dataset cases must also be able to fail: graphs outside the dataset -----------

CONTROLS = [
    # Only data1 as the default graph: data2's triple is invisible.
    Case("default_graph_hides_others", "GET",
         "/sparql?query=" + quote(TWO_DEFAULT, safe="") + f"&default-graph-uri={D1}",
         kind="boolean", boolean=False),
    # Only data1 named: the GRAPH ?g2 pattern for data2 finds nothing.
    Case("named_graph_hides_others", "POST", f"/sparql?named-graph-uri={D1}", (DIRECT,),
         _text(TWO_NAMED), kind="boolean", boolean=False),
    # Named graphs only: the default graph is empty, the query's FROM is ignored.
    Case("protocol_dataset_replaces_from", "POST", f"/sparql?named-graph-uri={D1}",
         (DIRECT,), _text(f"ASK FROM <{DATA}data3.rdf> {{ ?s ?p ?o }}"),
         kind="boolean", boolean=False),
    # The same with a FROM naming a foreign graph: replaced, so never read, so no refusal.
    Case("foreign_from_replaced_by_protocol_dataset", "POST",
         f"/sparql?default-graph-uri={D1}", (DIRECT,),
         _text(f"ASK FROM <http://example.org/remote.rdf> {{ <{DATA}data1.rdf> ?p ?o }}"),
         kind="boolean", boolean=True),
    # Without protocol parameters the query's FROM is the dataset.
    Case("from_without_protocol_dataset", "POST", "/sparql", (DIRECT,),
         _text(f"ASK FROM <{DATA}data3.rdf> {{ <{DATA}data3.rdf> ?p ?o }}"),
         kind="boolean", boolean=True),
    # A FROM of a foreign graph with no protocol dataset to replace it: refused by design.
    Case("remote_from_refused", "POST", "/sparql", (DIRECT,),
         b"ASK FROM <http://example.org/remote.rdf> { ?s ?p ?o }", expect="client-error"),
    # The manifest's literal query_multiple_dataset URL: one parameter naming no graph.
    Case("query_multiple_dataset_as_written", "POST",
         f"/sparql/?named-graph-uri={D1}%26named-graph-uri%3D{D2}", (DIRECT,),
         _text(TWO_NAMED), expect="client-error"),
]


@pytest.mark.parametrize("case", CONTROLS, ids=lambda c: c.name)
def test_dataset_controls(send, case: Case) -> None:
    check(case, send(case.method, case.path, case.headers, case.body))


# --- protocol details beyond the manifest -------------------------------------------

ASK = "/sparql?query=ASK%20%7B%7D"
SELECT_ONE = "/sparql?query=" + quote("SELECT (1 AS ?value) {}", safe="")
CONSTRUCT_ONE = "/sparql?query=" + quote(
    "CONSTRUCT { <http://example.org/s> <http://example.org/p> 1 } WHERE {}", safe="")


@pytest.mark.parametrize(("path", "accept", "expected"), [
    # q=0 excludes a type even when a wildcard would admit it.
    (ASK, "application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
    (SELECT_ONE, "application/sparql-results+json;q=0, application/sparql-results+xml;q=0, "
     "*/*;q=0.1", "text/csv"),
    (CONSTRUCT_ONE, "text/turtle;q=0, */*", "application/n-triples"),
    # A low-q wildcard never beats an explicit type, wherever it stands in the header.
    (SELECT_ONE, "*/*;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
    (SELECT_ONE, "text/csv;q=0.5, */*;q=0.1", "text/csv"),
    (ASK, "application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.8",
     "application/sparql-results+xml"),
    (CONSTRUCT_ONE, "application/rdf+xml;q=0.5, text/*;q=0.4", "application/rdf+xml"),
    # Two names of one format: the one the client accepts counts, in either order.
    (ASK, "application/json;q=0, application/sparql-results+json",
     "application/sparql-results+json"),
    (ASK, "application/sparql-results+xml, text/xml;q=0", "application/sparql-results+xml"),
    (ASK, "text/xml;q=0, application/sparql-results+xml", "application/sparql-results+xml"),
    # Media types are case-insensitive; parameters other than q do not matter.
    (ASK, "Application/SPARQL-Results+XML", "application/sparql-results+xml"),
    (SELECT_ONE, "TEXT/CSV; charset=UTF-8", "text/csv"),
    (CONSTRUCT_ONE, "Text/Turtle;Q=1", "text/turtle"),
    # No Accept, or anything: JSON for results, Turtle for graphs.
    (ASK, "", "application/sparql-results+json"),
    (CONSTRUCT_ONE, "*/*", "text/turtle"),
])
def test_accept_negotiation(send, path: str, accept: str, expected: str) -> None:
    headers = (("Accept", accept),) if accept else ()
    answer = send("GET", path, headers)
    assert answer.status == 200, answer.body[:300]
    assert answer.media_type == expected
    # Every result is UTF-8 and says so.
    assert answer.headers["content-type"].lower().replace(" ", "").endswith(";charset=utf-8")


@pytest.mark.parametrize(("path", "accept"), [
    (ASK, "application/sparql-results+json;q=0"),
    (ASK, "text/turtle"),
    (CONSTRUCT_ONE, "application/sparql-results+json"),
    (SELECT_ONE, "*/*;q=0"),
])
def test_nothing_acceptable_is_406(send, path: str, accept: str) -> None:
    answer = send("GET", path, (("Accept", accept),))
    assert answer.status == 406
    assert "offered" in json.loads(answer.body)["error"]


@pytest.mark.parametrize("content_type", [
    "application/x-www-form-urlencoded; charset=UTF-8",
    "application/x-www-form-urlencoded;charset=utf-8",
    "APPLICATION/X-WWW-FORM-URLENCODED",
    'application/x-www-form-urlencoded; charset="utf-8"',
])
def test_form_content_type_parameters(send, content_type: str) -> None:
    answer = send("POST", "/sparql", (("Content-Type", content_type),), b"query=ASK%20%7B%7D")
    assert answer.status == 200 and boolean_of(answer) is True


@pytest.mark.parametrize("content_type", [
    "application/sparql-query;charset=utf-8",
    "application/sparql-query; charset=UTF-8",
    "Application/SPARQL-Query",
])
def test_direct_content_type_parameters(send, content_type: str) -> None:
    answer = send("POST", "/sparql", (("Content-Type", content_type),), b"ASK {}")
    assert answer.status == 200 and boolean_of(answer) is True


@pytest.mark.parametrize("content_type", [
    "application/sparql-query; charset=ISO-8859-1",
    "application/x-www-form-urlencoded; charset=UTF-16",
])
def test_other_charsets_are_refused(send, content_type: str) -> None:
    answer = send("POST", "/sparql", (("Content-Type", content_type),), b"ASK {}")
    assert answer.status == 400 and "UTF-8" in json.loads(answer.body)["error"]


def test_head_has_the_headers_of_get_and_no_body(send) -> None:
    got = send("GET", SELECT_ONE)
    head = send("HEAD", SELECT_ONE)
    assert head.status == got.status == 200 and head.body == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.body))
    description = send("HEAD", "/sparql", (("Accept", "text/turtle"),))
    assert description.status == 200 and description.body == b""


@pytest.mark.parametrize(("path", "content_type", "body"), [
    # Form POST: the query belongs in the body; one in the URL too makes two queries.
    ("/sparql?query=ASK%20%7B%7D", FORM[1], b"query=ASK%20%7B%7D"),
    # Direct POST: the body is the query; a query in the URL too makes two.
    ("/sparql?query=ASK%20%7B%7D", DIRECT[1], b"ASK {}"),
    # Two in one form body.
    ("/sparql", FORM[1], b"query=ASK%20%7B%7D&query=ASK%20%7B%7D"),
])
def test_two_queries_in_one_request_are_400(send, path: str, content_type: str,
                                            body: bytes) -> None:
    answer = send("POST", path, (("Content-Type", content_type),), body)
    assert answer.status == 400 and "2 queries" in json.loads(answer.body)["error"]


def test_dataset_parameters_in_a_form_body(send) -> None:
    # Form POST carries default-graph-uri in the body, repeated for two graphs.
    body = ("query=" + quote(TWO_DEFAULT, safe="")
            + f"&default-graph-uri={D1}&default-graph-uri={D2}").encode()
    answer = send("POST", "/sparql", (FORM,), body)
    assert answer.status == 200 and boolean_of(answer) is True
    one = send("POST", "/sparql", (FORM,), body.rsplit(b"&", 1)[0])
    assert one.status == 200 and boolean_of(one) is False


UTF8_QUERY = 'ASK { ?s ?p "three" . FILTER("구미시" != "") }'


def test_percent_encoded_utf8_queries(send) -> None:
    encoded = quote(UTF8_QUERY, safe="")
    assert "%EA%B5%AC" in encoded
    assert boolean_of(send("GET", "/sparql?query=" + encoded)) is True
    form = send("POST", "/sparql", (FORM,), b"query=" + encoded.encode())
    assert boolean_of(form) is True
    direct = send("POST", "/sparql", (DIRECT,), UTF8_QUERY.encode("utf-8"))
    assert boolean_of(direct) is True
    # A literal round-trips through the results unchanged.
    echo = "/sparql?query=" + quote('SELECT ("구미시"@ko AS ?v) {}', safe="")
    value = json.loads(send("GET", echo).body)["results"]["bindings"][0]["v"]
    assert value == {"type": "literal", "value": "구미시", "xml:lang": "ko"}


@pytest.mark.parametrize(("method", "path", "headers", "body"), [
    ("GET", "/sparql?query=ASK%20%7B%20%22%FF%22%20%7D", (), b""),
    ("POST", "/sparql", (FORM,), b"query=ASK%20%7B%20%22%FF%22%20%7D"),
    ("POST", "/sparql", (DIRECT,), b'ASK { "\xff" }'),
])
def test_invalid_utf8_is_400(send, method: str, path: str, headers, body: bytes) -> None:
    answer = send(method, path, headers, body)
    assert answer.status == 400 and "UTF-8" in json.loads(answer.body)["error"]


def test_service_description_names_the_endpoint_it_was_fetched_from(send) -> None:
    # W3C service-description tests: GET on the endpoint returns RDF with an
    # sd:endpoint triple matching the URL used, and sd:Service/sd:supportedLanguage.
    for path in ("/sparql", "/sparql/"):
        for accept, fmt in (("text/turtle", ox.RdfFormat.TURTLE),
                            ("application/rdf+xml", ox.RdfFormat.RDF_XML)):
            answer = send("GET", path, (("Accept", accept),))
            assert answer.status == 200 and answer.media_type == accept
            triples = list(ox.parse(answer.body, format=fmt))
            endpoints = [t.object.value for t in triples if t.predicate.value.endswith(
                "sparql-service-description#endpoint")]
            assert len(endpoints) == 1 and urlsplit(endpoints[0]).path == path
            objects = {t.object.value for t in triples}
            assert "http://www.w3.org/ns/sparql-service-description#Service" in objects
            assert "http://www.w3.org/ns/sparql-service-description#SPARQL11Query" in objects
            assert "http://www.w3.org/ns/formats/JSON-LD" in objects
            assert not any("SPARQL11Update" in o for o in objects)
            names = {t.object.value for t in triples if t.predicate.value.endswith("#name")}
            assert names == {f"{DATA}data{n}.rdf" for n in range(4)}


# --- SPARQLWrapper as it is used out of the box --------------------------------------


def test_sparqlwrapper_defaults(w3c_server) -> None:
    from SPARQLWrapper import JSON, POST, POSTDIRECTLY, SPARQLWrapper

    # No return format set: SPARQLWrapper asks for XML (format=xml plus an Accept list).
    client = SPARQLWrapper(w3c_server.url + "/sparql")
    client.setQuery(f"SELECT ?t WHERE {{ <{DATA}data1.rdf> <http://purl.org/dc/terms/title> ?t }}")
    document = client.query().convert()
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == ["one"]
    # CONSTRUCT with the same default: RDF/XML, converted to an rdflib graph.
    client.setQuery(f"CONSTRUCT {{ ?s a ?t }} WHERE {{ GRAPH <{DATA}data2.rdf> {{ ?s a ?t }} }}")
    graph = client.query().convert()
    assert {str(s) for s in graph.subjects()} == {f"{DATA}data2.rdf"}
    # POST as a form, then POST directly, with dataset parameters added by the client.
    client = SPARQLWrapper(w3c_server.url + "/sparql")
    client.setReturnFormat(JSON)
    client.setMethod(POST)
    client.addDefaultGraph(f"{DATA}data1.rdf")
    client.setQuery("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 1")
    rows = client.query().convert()["results"]["bindings"]
    assert [r["s"]["value"] for r in rows] == [f"{DATA}data1.rdf"]
    client.setRequestMethod(POSTDIRECTLY)
    rows = client.query().convert()["results"]["bindings"]
    assert [r["s"]["value"] for r in rows] == [f"{DATA}data1.rdf"]


def test_chunked_request_body(w3c_server) -> None:
    """HTTP/1.1 clients may stream a body without Content-Length."""
    parts = urlsplit(w3c_server.url)
    body = f"ASK {{ <{DATA}data1.rdf> ?p ?o }}".encode()
    raw = (f"POST /sparql HTTP/1.1\r\nHost: {parts.netloc}\r\n"
           "Content-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n"
           "Connection: close\r\n\r\n").encode()
    raw += f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(raw)
        response = HTTPResponse(sock, method="POST")
        response.begin()
        answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                        response.read())
    assert answer.status == 200 and boolean_of(answer) is True
