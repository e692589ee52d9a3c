"""The SPARQL 1.1 Service Description answered on GET /sparql without a query.

Built from the store's actual graphs (names and triple counts) once, then serialized per
endpoint URL and format on demand and cached, since the endpoint IRI depends on the host
the request came to.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from .. import formats

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCTERMS = "http://purl.org/dc/terms/"
FORMATS_NS = "http://www.w3.org/ns/formats/"
PREFIXES = {"sd": SD, "void": VOID, "dcterms": DCTERMS, "formats": FORMATS_NS}
#: W3C format IRIs where pyoxigraph's own differ (it names JSON-LD under .../data/).
_FORMAT_IRIS = {"jsonld": FORMATS_NS + "JSON-LD"}


def format_iri(fmt: formats.Format) -> str:
    """The format's IRI in the W3C formats namespace, as sd:resultFormat expects."""
    return _FORMAT_IRIS.get(fmt.name, fmt.oxigraph.iri)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def graph_sizes(store: ox.Store) -> dict[str, int]:
    """Triples per named graph, counted once at start-up."""
    sizes: dict[str, int] = {}
    for graph in store.named_graphs():
        if isinstance(graph, ox.NamedNode):
            sizes[graph.value] = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
    return dict(sorted(sizes.items()))


class ServiceDescription:
    """Describes the endpoint: languages, formats, features and the default dataset."""

    def __init__(self, sizes: dict[str, int], total: int, base_iri: str, asserted_iri: str,
                 federation: bool) -> None:
        self.prefixes = {**PREFIXES, "graph": base_iri + "graph/"}
        self.sizes = sizes
        self.total = total
        self.asserted_iri = asserted_iri
        self.federation = federation
        self._cached = lru_cache(maxsize=64)(self._serialize)

    def triples(self, endpoint: str) -> list[ox.Triple]:
        service = ox.BlankNode("service")
        dataset = ox.BlankNode("dataset")
        default = ox.BlankNode("default")
        out = [
            ox.Triple(service, RDF_TYPE, _n(SD + "Service")),
            ox.Triple(service, _n(SD + "endpoint"), _n(endpoint)),
            ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
            ox.Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
            ox.Triple(service, _n(SD + "defaultDataset"), dataset),
            ox.Triple(dataset, RDF_TYPE, _n(SD + "Dataset")),
            ox.Triple(dataset, _n(SD + "defaultGraph"), default),
            ox.Triple(default, RDF_TYPE, _n(SD + "Graph")),
            ox.Triple(default, _n(VOID + "triples"), ox.Literal(str(self.total), datatype=_n(
                "http://www.w3.org/2001/XMLSchema#integer"))),
            ox.Triple(default, _n(DCTERMS + "description"), ox.Literal(
                "The union of every graph: asserted triples and the reasoner's entailments. "
                f"Pass default-graph-uri={self.asserted_iri} to query the asserted triples "
                "only.", language="en")),
        ]
        if self.federation:
            out.append(ox.Triple(service, _n(SD + "feature"), _n(SD + "BasicFederatedQuery")))
        for fmt in formats.FORMATS:
            out.append(ox.Triple(service, _n(SD + "resultFormat"), _n(format_iri(fmt))))
        for number, (name, size) in enumerate(self.sizes.items()):
            named = ox.BlankNode(f"g{number}")
            graph = ox.BlankNode(f"g{number}graph")
            out += [
                ox.Triple(dataset, _n(SD + "namedGraph"), named),
                ox.Triple(named, RDF_TYPE, _n(SD + "NamedGraph")),
                ox.Triple(named, _n(SD + "name"), _n(name)),
                ox.Triple(named, _n(SD + "graph"), graph),
                ox.Triple(graph, RDF_TYPE, _n(SD + "Graph")),
                ox.Triple(graph, _n(VOID + "triples"), ox.Literal(str(size), datatype=_n(
                    "http://www.w3.org/2001/XMLSchema#integer"))),
            ]
        return out

    def _serialize(self, endpoint: str, fmt_name: str) -> bytes:
        fmt = formats.BY_NAME[fmt_name]
        items: list = self.triples(endpoint)
        if fmt.datasets and fmt.name != "jsonld":
            items = [ox.Quad(t.subject, t.predicate, t.object) for t in items]
        return ox.serialize(items, format=fmt.oxigraph, prefixes=self.prefixes)

    def serialize(self, endpoint: str, fmt: formats.Format) -> bytes:
        """The description in ``fmt`` for the endpoint at ``endpoint`` (cached)."""
        return self._cached(endpoint, fmt.name)
