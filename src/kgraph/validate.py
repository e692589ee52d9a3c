"""Check the data against the SHACL shapes and explain each result in the paper's terms.

The reasoner runs before validation, so pySHACL is called with ``inference='none'``
on one plain graph: the union of every named graph, the inferred triples and the
ontology's class hierarchy (which ``sh:targetClass`` and ``sh:class`` need when no
inferred triples are given). Each SHACL result is then enriched with the focus
node's label, the data files that state it and the parts of the paper it is
stated in, so that a reader can go straight to the line to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pyparsing.exceptions import ParseException
from pyshacl import validate as shacl_validate
from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError
from rdflib import PROV, RDF, RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .errors import InputError
from .namespaces import BASE
from .report import Report, Result
from .shacl_parallel import run_split

if TYPE_CHECKING:
    from .load import Sources

KG = Namespace("https://w3id.org/kgraph/ontology#")
#: Namespace of the shapes' own IRIs (``kgsh:``).
KGSH = Namespace("https://w3id.org/kgraph/shapes#")

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def schema_triples(ontology: Graph) -> Iterable[tuple[Node, Node, Node]]:
    """The class hierarchy: what SHACL's class-based targets and sh:class follow."""
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            yield sub, RDFS.subClassOf, sup


@lru_cache(maxsize=512)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class ValidationGraph(Graph):
    """A plain graph that parses each SPARQL text once.

    pySHACL sends the same SHACL-SPARQL query once per focus node with different
    bindings; parsing dominates (about 20 ms a time), evaluation does not.
    """

    def query(self, query_object: str | Query, processor: str = "sparql",  # type: ignore[override]
              result: str = "sparql", initNs: Mapping[str, Any] | None = None,
              initBindings: Mapping[str, Node] | None = None,
              use_store_provided: bool = True, **kwargs: Any) -> Any:
        if isinstance(query_object, str) and not initNs:
            query_object = _prepared(query_object)
        return super().query(query_object, processor, result, initNs, initBindings,
                             use_store_provided, **kwargs)


def kept_inference(subject: Node, predicate: Node) -> bool:
    """Inferred triples worth validating: not types, and only about this dataset's resources.

    Types inferred from rdfs:domain/range would make every sh:class check pass (a misspelt
    object IRI becomes a kg:Place by the range of kg:locatedIn); asserted types plus the class
    hierarchy are what the shapes check. owl:sameAs copies every triple onto the external
    IRI, which is not ours to validate.
    """
    return predicate != RDF.type and str(subject).startswith(BASE)


def data_graph(data: Graph | Dataset, inferred: Graph | None = None,
               ontology: Graph | None = None) -> Graph:
    """One plain graph to validate: pySHACL checks each named graph of a Dataset apart."""
    union = ValidationGraph()
    if isinstance(data, Dataset):
        union.addN((s, p, o, union) for s, p, o, _g in data.quads((None, None, None, None)))
    else:
        union.addN((s, p, o, union) for s, p, o in data)
    if inferred is not None:
        union.addN((s, p, o, union) for s, p, o in inferred if kept_inference(s, p))
    if ontology is not None:
        union.addN((s, p, o, union) for s, p, o in schema_triples(ontology))
    return union


def run_shacl(graph: Graph, shapes: Graph, *, parallel: bool = True) -> Graph:
    """pySHACL on a prepared graph: no inference, no copy of the data.

    ``advanced`` only enables SPARQL-based targets (SHACL-AF), which let three label shapes
    run on the few nodes that need them; it costs nothing measurable here. With ``parallel``
    the shapes are split over two processes (see shacl_parallel).
    """
    if not any(True for _ in shapes.triples((None, RDF.type, None))):
        raise InputError("shapes: the shapes graph is empty")
    if parallel:
        return run_split(shapes, lambda use: _run_shacl_once(graph, shapes, use))
    return _run_shacl_once(graph, shapes, None)


def _run_shacl_once(graph: Graph, shapes: Graph, use_shapes: Sequence[URIRef] | None) -> Graph:
    try:
        _conforms, results, _text = shacl_validate(
            graph, shacl_graph=shapes, inference="none", advanced=True, inplace=True,
            allow_infos=True, allow_warnings=True, meta_shacl=False, js=False,
            use_shapes=list(use_shapes) if use_shapes is not None else None)
    except (ReportableRuntimeError, ShapeLoadError, ConstraintLoadError,
            ParseException) as exc:
        raise InputError(f"shapes: a shape cannot be evaluated: {exc}") from exc
    if not isinstance(results, Graph):
        raise InputError(f"shapes: validation could not run: {results}")
    return results


def path_text(graph: Graph, path: Node | None) -> str | None:
    """A SHACL property path in SPARQL syntax (``kg:value|kg:count``), full IRIs inside."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return f"<{path}>"
    alternative = _first(graph, path, SH.alternativePath)
    if alternative is not None:
        return "|".join(path_text(graph, p) or "?" for p in graph.items(alternative))
    inverse = _first(graph, path, SH.inversePath)
    if inverse is not None:
        return "^" + (path_text(graph, inverse) or "?")
    if (path, RDF.first, None) in graph:
        return "/".join(path_text(graph, p) or "?" for p in graph.items(path))
    return None


def _first(graph: Graph, subject: Node, predicate: Node) -> Node | None:
    return next(iter(graph.objects(subject, predicate)), None)


def english_label(graph: Graph, node: Node) -> str | None:
    """The node's English (else any) rdfs:label, for a readable report."""
    fallback = None
    for label in graph.objects(node, RDFS.label):
        if isinstance(label, Literal):
            if label.language == "en":
                return str(label)
            fallback = fallback or str(label)
    return fallback


def _anchor(graph: Graph, node: Node) -> Node:
    """A blank focus node is reported through the IRI that points at it."""
    seen = {node}
    while isinstance(node, BNode):
        parent = next((s for s in graph.subjects(None, node) if s not in seen), None)
        if parent is None:
            break
        seen.add(parent)
        node = parent
    return node


def _locator_name(graph: Graph, locator: Node) -> str:
    label = english_label(graph, locator)
    if label:
        return label
    return str(locator).rstrip("/").rsplit("/", 1)[-1]


class Context:
    """What the report needs to know about the data besides the SHACL results."""

    def __init__(self, graph: Graph, dataset: Dataset | None = None,
                 origins: Mapping[URIRef, tuple[str, ...]] | None = None) -> None:
        self.graph = graph
        self.dataset = dataset
        self.origins = origins or {}

    def files(self, node: Node) -> tuple[str, ...]:
        return tuple(self.origins.get(node, ())) if isinstance(node, URIRef) else ()

    def stated_in(self, node: Node) -> tuple[str, ...]:
        """Parts of the paper the node is stated in: kg:statedIn and its named graphs."""
        locators: list[Node] = sorted(set(self.graph.objects(node, KG.statedIn)), key=_order)
        if self.dataset is not None:
            graphs = {g for _s, _p, _o, g in self.dataset.quads((node, None, None, None))}
            for name in sorted(graphs, key=_order):
                for derived in self.graph.objects(name, PROV.wasDerivedFrom):
                    if derived not in locators:
                        locators.append(derived)
        return tuple(_locator_name(self.graph, loc) for loc in locators)


def _order(node: Node) -> tuple[str, int, str]:
    """Natural order, so that paragraph 9 comes before paragraph 10."""
    text = str(node)
    head, _, tail = text.rpartition("-")
    if tail.isdigit():
        return head, int(tail), ""
    return text, 0, text


def results_from(report_graph: Graph, context: Context) -> list[Result]:
    """Turn pySHACL's report graph into enriched, de-duplicated, sorted results."""
    found: dict[tuple, Result] = {}
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        focus = _first(report_graph, node, SH.focusNode)
        severity = _first(report_graph, node, SH.resultSeverity)
        path = _first(report_graph, node, SH.resultPath)
        value = _first(report_graph, node, SH.value)
        shape = _first(report_graph, node, SH.sourceShape)
        component = _first(report_graph, node, SH.sourceConstraintComponent)
        messages = sorted(str(m) for m in report_graph.objects(node, SH.resultMessage))
        anchor = _anchor(context.graph, focus) if focus is not None else focus
        result = Result(
            severity=SEVERITIES.get(severity, "Violation"),
            focus=focus,
            focus_label=english_label(context.graph, anchor) if anchor is not None else None,
            path=path if not isinstance(path, BNode) else None,
            path_text=path_text(report_graph, path) if isinstance(path, BNode) else None,
            value=value,
            message=messages[0] if messages else "",
            shape=shape,
            constraint=component,
            files=context.files(anchor),
            paragraphs=context.stated_in(anchor) if anchor is not None else (),
        )
        found.setdefault(result.key(), result)
    return sorted(found.values(), key=Result.sort_key)


def check(graph: Graph, shapes: Graph, context: Context | None = None,
          namespaces: Graph | None = None) -> Report:
    """Validate an already assembled data graph (used by tests and the benchmark)."""
    context = context or Context(graph)
    results = results_from(run_shacl(graph, shapes), context)
    named = [g for g in (namespaces, context.dataset) if g is not None]
    return Report(results=results, namespaces=_namespaces(*named, shapes))


def _namespaces(*graphs: Graph) -> dict[str, str]:
    found: dict[str, str] = {}
    for graph in graphs:
        for prefix, namespace in graph.namespaces():
            if prefix and str(namespace) not in found.values():
                found.setdefault(prefix, str(namespace))
    return found


def validate(sources: Sources, inferred: Graph | None = None) -> Report:
    """Validate the loaded data (plus inferred triples) against the loaded shapes."""
    graph = data_graph(sources.data, inferred, sources.ontology)
    context = Context(graph, sources.data, sources.origins)
    report_graph = run_shacl(graph, sources.shapes)
    return Report(results=results_from(report_graph, context),
                  namespaces=_namespaces(sources.data, sources.shapes, sources.ontology))
