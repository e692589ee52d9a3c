"""The SPARQL 1.1 Protocol, query side, at /sparql (read-only).

Request parsing (GET, POST form, POST application/sparql-query), dataset parameters,
safety checks and content negotiation happen here in the server process; evaluation and
serialization happen in a worker (:mod:`kgraph.web.executor`) under the time limit.

The protocol is implemented on the plain WSGI environ (:func:`handle`), without Flask's
request machinery: /sparql is the hot path, and :class:`FastPath` routes it straight
to :func:`handle` while every other path goes through Flask. The Flask route of the same
name exists too (for ``url_for`` and apps that mount it elsewhere) and calls the same code.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Response, current_app, request

from .. import formats, scan
from ..formats import GRAPH, RESULTS
from ..namespaces import PREFIXES
from ..settings import Settings
from . import errors, negotiation
from .errors import ApiError
from .executor import Busy, Executor, QueryTimeout, WorkerLost
from .runner import DEFAULT_GRAPH, Job
from .service_description import ServiceDescription

log = logging.getLogger(__name__)

bp = Blueprint("sparql", __name__)

PATH = "/sparql"
#: Paths answered by the protocol handler (the W3C protocol tests write ``/sparql/``).
PATHS = frozenset((PATH, PATH + "/"))
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
READ_ONLY = ("This endpoint is read-only: SPARQL Update is not accepted here. "
             "Download the dumps and load them into a store of your own to change the data.")
CORS = [("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Expose-Headers", "Kgraph-Truncated, Kgraph-Rows, Content-Type")]
ALLOWED = "GET, HEAD, POST, OPTIONS"

Params = dict[str, list[str]]
Answer = tuple[int, list[tuple[str, str]], bytes]


@dataclass
class Endpoint:
    """Everything the /sparql handler needs, built once by the app factory."""

    settings: Settings
    executor: Executor
    description: ServiceDescription
    graphs: frozenset[str]
    asserted_iri: str
    inferred_iri: str
    allowlist: frozenset[str] = field(default_factory=frozenset)

    def local_graph(self, iri: str) -> bool:
        """Our own graphs (present or not), which are never fetched from anywhere."""
        return iri in self.graphs or iri.startswith(self.settings.base_iri)

    def asserted(self) -> tuple[str, ...]:
        """The default graph made of asserted triples only (no reasoner output)."""
        return (DEFAULT_GRAPH, *sorted(g for g in self.graphs if g != self.inferred_iri))


@lru_cache(maxsize=2048)
def _scan_cached(text: str) -> scan.Scan:
    return scan.scan(text, PREFIXES)


def _scan(text: str) -> scan.Scan:
    """Scan results, cached for the usual short queries that come again and again.

    Long texts are scanned afresh, so the cache stays small. Never mutate the result.
    """
    return _scan_cached(text) if len(text) <= 4096 else scan.scan(text, PREFIXES)


def _check_graph(ep: Endpoint, iri: str | None, where: str) -> None:
    if iri is None:
        raise ApiError(400, f"{where}: only absolute IRIs of this dataset's graphs are allowed")
    if not (ep.local_graph(iri) or iri in ep.allowlist):
        raise ApiError(400, f"{where} <{iri}> is not a graph of this dataset; this endpoint "
                       "never fetches remote graphs (see the service description at /sparql "
                       "for the graphs it holds)")


def _check(ep: Endpoint, found: scan.Scan, protocol_dataset: bool) -> None:
    """Refuse updates, SERVICE to hosts not allowlisted, and FROM of foreign graphs.

    A dataset given by ``default-graph-uri``/``named-graph-uri`` replaces the query's
    FROM/FROM NAMED (SPARQL 1.1 Protocol 2.1.4), so those are then never read and not
    checked.
    """
    if found.update:
        raise ApiError(400, f"{found.update} is a SPARQL Update operation. " + READ_ONLY)
    for iri in found.services:
        if iri is None:
            raise ApiError(400, "SERVICE needs a fixed absolute endpoint IRI (no variables, "
                           "relative IRIs or escapes)")
        if iri not in ep.allowlist:
            allowed = ", ".join(sorted(ep.allowlist)) or "none"
            raise ApiError(400, f"SERVICE <{iri}> is not allowed: this endpoint only calls "
                           f"allowlisted endpoints (federation_allowlist: {allowed})")
    for iri in () if protocol_dataset else found.from_graphs:
        _check_graph(ep, iri, "FROM")
        if iri == ep.asserted_iri:
            raise ApiError(400, f"<{iri}> is virtual: pass it as default-graph-uri, not FROM")


def _dataset(ep: Endpoint, params: Params) -> tuple[tuple[str, ...] | None,
                                                    tuple[str, ...] | None]:
    default = [i.strip() for i in params.get("default-graph-uri", ())]
    named = [i.strip() for i in params.get("named-graph-uri", ())]
    if not default and not named:
        return None, None
    expanded: list[str] = []
    for iri in default:
        _check_graph(ep, iri, "default-graph-uri")
        expanded.extend(ep.asserted() if iri == ep.asserted_iri else (iri,))
    for iri in named:
        _check_graph(ep, iri, "named-graph-uri")
    return tuple(expanded), tuple(named)


def _parse_qs(text: str, what: str) -> Params:
    params: Params = {}
    try:
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise ApiError(400, f"{what} is not valid UTF-8 once percent-decoded") from None
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


def _read_body(ep: Endpoint, environ: dict[str, Any]) -> bytes:
    limit = ep.settings.max_body_bytes
    try:
        length = int(environ.get("CONTENT_LENGTH") or -1)
    except ValueError:
        raise ApiError(400, "Content-Length is not a number") from None
    if length > limit:
        raise ApiError(413, f"request body of {length} bytes exceeds the {limit}-byte limit")
    stream = environ["wsgi.input"]
    data = stream.read(length) if length >= 0 else stream.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, f"request body exceeds the {limit}-byte limit")
    return data


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"{what} is not valid UTF-8 ({exc.reason} at byte {exc.start})") \
            from None


def _request_params(ep: Endpoint, environ: dict[str, Any], method: str
                    ) -> tuple[list[str], Params]:
    """The query texts sent and the other protocol parameters."""
    try:
        raw = environ.get("QUERY_STRING", "").encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise ApiError(400, "the URL's query string is not valid UTF-8") from None
    args = _parse_qs(raw, "the URL's query string") if raw else {}
    if "update" in args:
        raise ApiError(403, READ_ONLY)
    if method in ("GET", "HEAD"):
        return args.get("query", []), args
    mimetype, _, content_params = environ.get("CONTENT_TYPE", "").partition(";")
    mimetype = mimetype.strip().lower()
    charset = re.search(r"charset\s*=\s*\"?([\w.:-]+)", content_params, re.I)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        raise ApiError(400, f"request bodies must be UTF-8 (got charset={charset.group(1)})")
    if mimetype == FORM:
        form = _parse_qs(_decode(_read_body(ep, environ), "form body"), "form body")
        if "update" in form:
            raise ApiError(403, READ_ONLY)
        for key, values in form.items():
            args.setdefault(key, []).extend(values)
        return args.get("query", []), args
    if mimetype == QUERY:
        text = _decode(_read_body(ep, environ), "query body")
        return [*args.get("query", []), text], args
    if mimetype == UPDATE:
        raise ApiError(403, READ_ONLY)
    raise ApiError(415, f"POST needs Content-Type {FORM} or {QUERY} (got {mimetype or 'none'})")


def _base_url(environ: dict[str, Any]) -> str:
    host = environ.get("HTTP_HOST") or (
        environ.get("SERVER_NAME", "localhost") + ":" + environ.get("SERVER_PORT", "80"))
    return (f"{environ.get('wsgi.url_scheme', 'http')}://{host}"
            f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', PATH)}")


def _service_description(ep: Endpoint, environ: dict[str, Any], params: Params) -> Answer:
    accept = environ.get("HTTP_ACCEPT", "")
    values = tuple(params.get("format", ()))
    if not values and negotiation.prefers_html(accept):
        return 303, [("Location", environ.get("SCRIPT_NAME", "") + "/")], b""
    fmt = negotiation.choose(values, accept, GRAPH)
    if fmt is None:
        raise ApiError(406, "no acceptable format for the service description; "
                       f"offered: {', '.join(negotiation.names(GRAPH))}")
    data = ep.description.serialize(_base_url(environ), fmt)
    return 200, [("Content-Type", fmt.content_type), ("Vary", "Accept")], data


def _not_acceptable(kind: str, values: tuple[str, ...]) -> ApiError:
    what = "SELECT/ASK results" if kind == RESULTS else "CONSTRUCT/DESCRIBE results"
    asked = f"format={','.join(values)}" if values else "the Accept header"
    return ApiError(406, f"none of the formats asked for ({asked}) can hold {what}; "
                    f"offered: {', '.join(negotiation.names(kind))}")


def _formats(found: scan.Scan, values: tuple[str, ...], accept: str
             ) -> tuple[str | None, str | None]:
    if found.form in ("SELECT", "ASK"):
        kinds = (RESULTS,)
    elif found.form in ("CONSTRUCT", "DESCRIBE"):
        kinds = (GRAPH,)
    else:  # unknown form: offer both and let the parser speak
        kinds = ()
    chosen = {kind: negotiation.choose(values, accept, kind) for kind in (RESULTS, GRAPH)}
    for kind in kinds:
        if chosen[kind] is None:
            raise _not_acceptable(kind, values)
    results, graph = chosen[RESULTS], chosen[GRAPH]
    return (results.name if results else None, graph.name if graph else None)


def _query(ep: Endpoint, environ: dict[str, Any]) -> Answer:
    method = environ["REQUEST_METHOD"]
    if method == "OPTIONS":
        headers = [("Access-Control-Allow-Methods", ALLOWED),
                   ("Access-Control-Allow-Headers", environ.get(
                       "HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "Accept, Content-Type")),
                   ("Access-Control-Max-Age", "86400"), ("Allow", ALLOWED)]
        return 204, headers, b""
    if method not in ("GET", "HEAD", "POST"):
        raise ApiError(405, f"{method} is not a SPARQL Protocol query method; use GET or POST",
                       {"Allow": ALLOWED})
    queries, params = _request_params(ep, environ, method)
    if not queries:
        if method != "POST":
            return _service_description(ep, environ, params)
        raise ApiError(400, "missing query: send it as the 'query' parameter or as an "
                       f"{QUERY} body")
    if len(queries) > 1:
        raise ApiError(400, f"{len(queries)} queries sent; send exactly one")
    text = queries[0]
    limit = ep.settings.max_query_length
    if len(text) > limit:
        raise ApiError(413, f"query of {len(text)} characters exceeds the {limit}-character "
                       "limit")
    if not text.strip():
        raise ApiError(400, "empty query")
    found = _scan(text)
    _check(ep, found, "default-graph-uri" in params or "named-graph-uri" in params)
    default_graphs, named_graphs = _dataset(ep, params)
    values = tuple(params.get("format", ()))
    results_format, graph_format = _formats(found, values, environ.get("HTTP_ACCEPT", ""))
    native = (found.form == "SELECT" and found.limit is not None
              and found.limit <= ep.settings.max_rows)
    job = Job(text, results_format, graph_format, ep.settings.max_rows,
              union=not found.has_dataset, default_graphs=default_graphs,
              named_graphs=named_graphs, native=native, base_iri=_base_url(environ))
    try:
        reply = ep.executor.run(job)
    except QueryTimeout as exc:
        log.warning("query stopped at the time limit: %.200r", text)
        raise ApiError(503, f"query timeout: {exc}") from None
    except Busy as exc:
        raise ApiError(503, f"server busy: {exc}; try again shortly") from None
    except WorkerLost:
        log.exception("query worker lost")
        raise ApiError(500, "the query worker failed; the fault is logged") from None
    if reply.status == "ok":
        fmt = formats.BY_NAME[reply.format]
        headers = [("Content-Type", fmt.content_type), ("Vary", "Accept")]
        if reply.count >= 0:
            headers.append(("Kgraph-Rows", str(reply.count)))
        if reply.truncated:
            headers.append(("Kgraph-Truncated", f"true; max-rows={ep.settings.max_rows}"))
        return 200, headers, reply.body
    if reply.status == "syntax":
        raise ApiError(400, f"SPARQL syntax error: {reply.message}")
    if reply.status == "not-acceptable":
        raise _not_acceptable(RESULTS if reply.message == "results" else GRAPH, values)
    if reply.status == "service" and found.services:
        raise ApiError(502, f"the federated SERVICE call failed: {reply.message}")
    log.error("query failed in worker: %s\nquery: %s", reply.message, text)
    raise ApiError(500, "the query failed inside the server; the fault is logged")


def handle(ep: Endpoint, environ: dict[str, Any]) -> Answer:
    """Answer one /sparql request: ``(status, headers, body)``, CORS headers included."""
    try:
        status, headers, data = _query(ep, environ)
    except ApiError as exc:
        content_type, data = errors.render_parts(exc.status, exc.message,
                                                 environ.get("HTTP_ACCEPT", ""),
                                                 environ.get("SCRIPT_NAME", ""))
        status = exc.status
        headers = [("Content-Type", content_type), ("Vary", "Accept"),
                   *exc.headers.items()]
    except Exception:
        log.exception("server fault on %s %s", environ.get("REQUEST_METHOD"), PATH)
        content_type, data = errors.render_parts(
            500, "The server failed to handle this request; the fault is logged.",
            environ.get("HTTP_ACCEPT", ""), environ.get("SCRIPT_NAME", ""))
        status, headers = 500, [("Content-Type", content_type), ("Vary", "Accept")]
    headers.extend(CORS)
    if environ["REQUEST_METHOD"] == "HEAD":
        headers.append(("Content-Length", str(len(data))))
        data = b""
    return status, headers, data


_STATUS = {s.value: f"{s.value} {s.phrase}" for s in HTTPStatus}


class FastPath:
    """WSGI middleware: /sparql straight to :func:`handle`, everything else to Flask."""

    def __init__(self, app: Callable, ep: Endpoint) -> None:
        self.app = app
        self.ep = ep

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") not in PATHS:
            return self.app(environ, start_response)
        status, headers, data = handle(self.ep, environ)
        if environ["REQUEST_METHOD"] != "HEAD":
            headers.append(("Content-Length", str(len(data))))
        start_response(_STATUS[status], headers)
        return [data]


def endpoint() -> Endpoint:
    return current_app.extensions["kgraph.sparql"]


@bp.route(PATH, methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def sparql() -> Response:
    """The same protocol through Flask (when the fast path is not in front)."""
    status, headers, data = handle(endpoint(), request.environ)
    return Response(data, status, headers=headers)


@bp.after_app_request
def cors(response: Response) -> Response:
    """Let browser clients on any origin (YASGUI, notebooks) read every answer."""
    for key, value in CORS:
        response.headers.setdefault(key, value)
    return response
