"""What a query worker does with one job: evaluate, cap, serialize.

Runs inside a worker process (see :mod:`kgraph.web.executor`); everything it receives and
returns is plain picklable data, so the parent never touches pyoxigraph objects.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from .. import formats
from ..namespaces import PREFIXES
from . import serialize

#: Stands for the store's own default graph in a graph list.
DEFAULT_GRAPH = ""


@dataclass(frozen=True)
class Job:
    """One query to run; graph lists are IRIs (``DEFAULT_GRAPH`` for the default graph)."""

    query: str
    results_format: str | None     # format name for SELECT/ASK, None: not acceptable
    graph_format: str | None       # format name for CONSTRUCT/DESCRIBE, None: not acceptable
    max_rows: int
    union: bool = True             # default graph = union of all graphs
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    native: bool = False           # the query's own LIMIT keeps it under max_rows
    base_iri: str | None = None    # resolves relative IRIs (the endpoint's URL)


@dataclass(frozen=True)
class Reply:
    """The outcome: ``status`` ok | syntax | not-acceptable | service | fault."""

    status: str
    format: str = ""
    body: bytes = b""
    truncated: bool = False
    count: int = -1                # rows or triples; -1 when not counted
    message: str = ""


def _graph(iri: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if iri == DEFAULT_GRAPH else ox.NamedNode(iri)


def _evaluate(store: ox.Store, job: Job) -> Reply:
    kwargs: dict[str, object] = {"prefixes": PREFIXES}
    if job.base_iri:
        kwargs["base_iri"] = job.base_iri
    if job.default_graphs is not None:
        kwargs["default_graph"] = [_graph(g) for g in job.default_graphs]
    elif job.union:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    result = store.query(job.query, **kwargs)
    if isinstance(result, ox.QueryTriples):
        if job.graph_format is None:
            return Reply("not-acceptable", message="graph")
        fmt = formats.BY_NAME[job.graph_format]
        items = list(islice(result, job.max_rows + 1))
        truncated = len(items) > job.max_rows
        del items[job.max_rows:]
        body = serialize.triples(fmt, items, truncated, job.max_rows, PREFIXES)
        return Reply("ok", fmt.name, body, truncated, len(items))
    if job.results_format is None:
        return Reply("not-acceptable", message="results")
    fmt = formats.BY_NAME[job.results_format]
    if isinstance(result, ox.QueryBoolean):
        return Reply("ok", fmt.name, serialize.boolean(fmt, bool(result)), False, 1)
    if job.native:  # cannot exceed the cap: pyoxigraph's own (faster) writer
        return Reply("ok", fmt.name, result.serialize(format=fmt.oxigraph))
    variables = [v.value for v in result.variables]
    rows = [tuple(s) for s in islice(result, job.max_rows + 1)]
    truncated = len(rows) > job.max_rows
    del rows[job.max_rows:]
    body = serialize.solutions(fmt, variables, rows, truncated, job.max_rows)
    return Reply("ok", fmt.name, body, truncated, len(rows))


def run(store: ox.Store, job: Job) -> Reply:
    """Evaluate ``job``; every failure becomes a Reply, the worker never dies of one."""
    try:
        return _evaluate(store, job)
    except SyntaxError as exc:
        return Reply("syntax", message=str(exc))
    except OSError as exc:
        # Oxigraph reports failures of a (allowlisted) SERVICE call as OSError.
        return Reply("service", message=str(exc))
    except Exception:
        return Reply("fault", message=traceback.format_exc())
