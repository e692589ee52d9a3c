"""`kgraph query` honours a query's own FROM clause instead of the union default graph."""

import pyoxigraph as ox

from kgraph import query

G1 = ox.NamedNode("https://w3id.org/kgraph/graph/paragraph-1")
G2 = ox.NamedNode("https://w3id.org/kgraph/graph/paragraph-2")
S = ox.NamedNode("https://w3id.org/kgraph/id/place/x")
P = ox.NamedNode("https://w3id.org/kgraph/ontology#value")


def store() -> ox.Store:
    s = ox.Store()
    s.add(ox.Quad(S, P, ox.Literal("1"), G1))
    s.add(ox.Quad(S, P, ox.Literal("2"), G2))
    return s


def values(result: query.Result) -> set[str]:
    return {row["v"].value for row in result.value}


def test_default_graph_is_the_union_without_from() -> None:
    assert values(query.run(store(), "SELECT ?v WHERE { ?s ?p ?v }")) == {"1", "2"}


def test_from_restricts_the_default_graph() -> None:
    text = f"SELECT ?v FROM <{G2.value}> WHERE {{ ?s ?p ?v }}"
    assert values(query.run(store(), text)) == {"2"}
