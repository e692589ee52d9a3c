"""load -> reason -> validate -> one cached N-Quads file, keyed by the sources' fingerprint.

The cache folder ``<cache_dir>/<fingerprint>/`` holds ``graph.nq`` (every data graph as
written, the ontology in ``graph:ontology``, the entailments in ``graph:inferred``),
``manifest.json`` (counts and timings) and ``validation.txt`` (the SHACL report, which
may list warnings). The folder appears all at once or not at all, and only for data
that conforms, so a restart with unchanged sources skips reasoning and validation.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from . import __version__, load, reason, resources
from .atomic import atomic_dir
from .errors import InputError, NonConformingError
from .namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH
from .settings import Settings, cache_dir

GRAPH_FILE = "graph.nq"
MANIFEST_FILE = "manifest.json"
REPORT_FILE = "validation.txt"
#: How many OWL RL inconsistencies the error message lists before "... and N more".
SHOWN_INCONSISTENCIES = 10


@dataclass(frozen=True)
class BuildResult:
    """Where the build is and what it holds; ``reused`` is True for a cache hit."""

    fingerprint: str
    directory: Path
    reused: bool
    manifest: dict[str, Any]

    @property
    def graph_path(self) -> Path:
        return self.directory / GRAPH_FILE

    @property
    def manifest_path(self) -> Path:
        return self.directory / MANIFEST_FILE


def current_fingerprint(settings: Settings) -> str:
    """The cache key of the sources as they are now, without parsing them."""
    root = resources.root(settings)
    files = load.source_files(root)
    return load.fingerprint(root, [p for group in files.values() for p in group])


def cached(settings: Settings, fingerprint: str) -> BuildResult | None:
    """The cached build for ``fingerprint``, if a complete one exists."""
    directory = cache_dir(settings) / fingerprint
    manifest_path = directory / MANIFEST_FILE
    if not (manifest_path.is_file() and (directory / GRAPH_FILE).is_file()):
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("fingerprint") != fingerprint:
        return None
    return BuildResult(fingerprint, directory, True, manifest)


def _inconsistency_error(messages: tuple[str, ...]) -> NonConformingError:
    shown = list(messages[:SHOWN_INCONSISTENCIES])
    if len(messages) > len(shown):
        shown.append(f"... and {len(messages) - len(shown)} more")
    text = "the data is inconsistent with the ontology (OWL 2 RL):\n  " + "\n  ".join(shown)
    return NonConformingError(text)


class _Terms:
    """rdflib terms to pyoxigraph terms; blank nodes keep one identity across graphs."""

    def __init__(self) -> None:
        self.blank: dict[BNode, ox.BlankNode] = {}

    def __call__(self, term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            node = self.blank.get(term)
            if node is None:
                node = self.blank[term] = ox.BlankNode()
            return node
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
        raise TypeError(f"not an RDF term: {term!r}")


def quads(sources: load.Sources, inferred: Graph) -> Iterator[ox.Quad]:
    """Data graphs as they are, plus the ontology and inferred graphs: what gets cached."""
    term = _Terms()
    for s, p, o, g in sources.data.quads((None, None, None, None)):
        graph = ox.DefaultGraph() if g == DATASET_DEFAULT_GRAPH_ID else term(g)
        yield ox.Quad(term(s), term(p), term(o), graph)
    for name, graph_ in ((ONTOLOGY_GRAPH, sources.ontology), (INFERRED_GRAPH, inferred)):
        graph = ox.NamedNode(str(name))
        for s, p, o in graph_:
            yield ox.Quad(term(s), term(p), term(o), graph)


def _counts(sources: load.Sources, inferred: Graph, quads_written: int) -> dict[str, int]:
    graphs = {g for *_t, g in sources.data.quads((None, None, None, None))}
    return {
        "ontology_triples": len(sources.ontology),
        "data_quads": sum(1 for _ in sources.data.quads((None, None, None, None))),
        "data_graphs": len(graphs - {DATASET_DEFAULT_GRAPH_ID}),
        "inferred_triples": len(inferred),
        "shapes_triples": len(sources.shapes),
        "quads": quads_written,
    }


def write_nquads(path: Path, sources: load.Sources, inferred: Graph) -> int:
    """Write :func:`quads` to ``path`` as N-Quads; returns how many were written."""
    items = list(quads(sources, inferred))
    ox.serialize(items, str(path), format=ox.RdfFormat.N_QUADS)
    return len(items)


def _write_build(folder: Path, sources: load.Sources, inferred: Graph, report: Any,
                 manifest: dict[str, Any], timings: dict[str, float], started: float,
                 mark: float) -> None:
    """graph.nq, validation.txt, then manifest.json (with counts and timings)."""
    written = write_nquads(folder / GRAPH_FILE, sources, inferred)
    manifest["counts"] = _counts(sources, inferred, written)
    (folder / REPORT_FILE).write_text(report.to_text(), encoding="utf-8")
    timings["write"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    manifest["seconds"] = {k: round(v, 3) for k, v in timings.items()}
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def build(settings: Settings, *, force: bool = False) -> BuildResult:
    """Build (or reuse) the cached graph; raises NonConformingError if the data fails."""
    from . import validate  # the SHACL step is its own module

    if not force:
        hit = cached(settings, current_fingerprint(settings))
        if hit is not None:
            return hit
    timings: dict[str, float] = {}
    started = time.perf_counter()
    sources = load.load(settings)
    timings["load"] = time.perf_counter() - started

    mark = time.perf_counter()
    inference = reason.infer(sources)
    timings["reason"] = time.perf_counter() - mark

    mark = time.perf_counter()
    report = validate.validate(sources, inference.triples)
    timings["validate"] = time.perf_counter() - mark
    if not report.conforms:
        raise NonConformingError(report.summary() if hasattr(report, "summary")
                                 else "the data does not conform to the shapes", report)
    if inference.inconsistencies:
        raise _inconsistency_error(inference.inconsistencies)

    mark = time.perf_counter()
    directory = cache_dir(settings) / sources.fingerprint
    manifest: dict[str, Any] = {
        "fingerprint": sources.fingerprint,
        "kgraph_version": __version__,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "root": str(sources.root),
        "files": [p.relative_to(sources.root).as_posix() for p in sources.files],
        "validation": report.counts() if hasattr(report, "counts") else {},
    }
    try:
        with atomic_dir(directory) as tmp:
            _write_build(tmp, sources, inference.triples, report, manifest, timings,
                         started, mark)
    except OSError as exc:
        raise InputError(f"{directory}: cannot write the build cache "
                         f"({exc.strerror or exc}); set --cache-dir") from exc
    return BuildResult(sources.fingerprint, directory, False, manifest)
