"""Shared code of the shapes tests: read the repository's shapes, ontology and fixtures."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.namespace import SH

from kgraph import validate
from kgraph.report import Report

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
BASE = HERE / "base.trig"
KGSH = str(validate.KGSH)

#: Shape parameters that select or describe, rather than constrain.
NOT_CONSTRAINTS = {SH.property, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf,
                   SH.targetNode, SH.target, SH.path, SH.message, SH.severity,
                   SH.qualifiedValueShape, SH.qualifiedValueShapesDisjoint, SH.flags,
                   SH.declare, SH.prefixes, SH.deactivated, SH.name, SH.description, SH.order,
                   SH.group, SH.ignoredProperties}


def read_turtle_folder(folder: Path) -> Graph:
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def shapes_graph() -> Graph:
    return read_turtle_folder(ROOT / "shapes")


def ontology_graph() -> Graph:
    return read_turtle_folder(ROOT / "ontology")


def named_shapes(shapes: Graph) -> list[URIRef]:
    """Every shape IRI in the kgsh: namespace."""
    found = {s for s in shapes.subjects() if isinstance(s, URIRef)
             and str(s).startswith(KGSH) and str(s) != KGSH}
    return sorted(found)


def constraint_components(shapes: Graph, shape: URIRef) -> set[URIRef]:
    """The constraint components a shape declares itself (not through sh:property)."""
    found = set()
    for predicate in set(shapes.predicates(shape)):
        if not str(predicate).startswith(str(SH)) or predicate in NOT_CONSTRAINTS:
            continue
        local = str(predicate)[len(str(SH)):]
        if local == "sparql":
            found.add(SH.SPARQLConstraintComponent)
        else:
            found.add(SH[local[0].upper() + local[1:] + "ConstraintComponent"])
    return found


def constraining_shapes(shapes: Graph) -> list[URIRef]:
    """Shapes that can report a result themselves, so each needs a fixture."""
    return [s for s in named_shapes(shapes) if constraint_components(shapes, s)]


def is_shape(shapes: Graph, node: URIRef) -> bool:
    return ((node, RDF.type, SH.NodeShape) in shapes
            or (node, RDF.type, SH.PropertyShape) in shapes)


def validate_files(*paths: Path, shapes: Graph | None = None,
                   ontology: Graph | None = None) -> Report:
    """Validate TriG files (base world plus fixtures) the way the pipeline does."""
    dataset = Dataset()
    for path in paths:
        dataset.parse(path, format="trig")
    graph = validate.data_graph(dataset, None, ontology if ontology is not None
                                else ontology_graph())
    shapes = shapes if shapes is not None else shapes_graph()
    return validate.check(graph, shapes, validate.Context(graph, dataset))
