"""The shapes graph itself: valid SHACL, complete, explained, and aimed at real terms."""

from __future__ import annotations

import pytest
from pyshacl.entrypoints import meta_validate
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery

from kgraph import load, settings

from .shapes_support import (
    ROOT,
    constraining_shapes,
    is_shape,
    named_shapes,
    ontology_graph,
    shapes_graph,
)

SHAPES = shapes_graph()
ONTOLOGY = ontology_graph()
BUILTIN = (str(RDF), str(RDFS), str(OWL), str(SH))
CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                  RDF.Property)


def declared(term: URIRef, types: tuple[URIRef, ...]) -> bool:
    return str(term).startswith(BUILTIN) or any(
        (term, RDF.type, kind) in ONTOLOGY for kind in types)


def path_properties(path: object) -> list[URIRef]:
    """Every property IRI inside a SHACL path (plain, alternative, sequence, inverse)."""
    if isinstance(path, URIRef):
        return [path]
    found: list[URIRef] = []
    if isinstance(path, BNode):
        for alternative in SHAPES.objects(path, SH.alternativePath):
            for member in SHAPES.items(alternative):
                found += path_properties(member)
        for inverse in SHAPES.objects(path, SH.inversePath):
            found += path_properties(inverse)
        if (path, RDF.first, None) in SHAPES:
            for member in SHAPES.items(path):
                found += path_properties(member)
    return found


def test_shapes_are_valid_shacl() -> None:
    conforms, _graph, text = meta_validate(SHAPES)
    assert conforms, text


def test_meta_validation_catches_a_broken_shape() -> None:
    broken = Graph()
    for triple in SHAPES:
        broken.add(triple)
    shape = URIRef("https://w3id.org/kgraph/shapes#label-english")
    broken.add((shape, SH.minCount, Literal("one")))
    conforms, _graph, _text = meta_validate(broken)
    assert not conforms


def test_every_shape_has_a_label_message_and_severity() -> None:
    lacking = []
    for shape in constraining_shapes(SHAPES):
        messages = list(SHAPES.objects(shape, SH.message)) + [
            m for c in SHAPES.objects(shape, SH.sparql) for m in SHAPES.objects(c, SH.message)]
        severity = SHAPES.value(shape, SH.severity)
        if not messages or severity not in (SH.Violation, SH.Warning, SH.Info):
            lacking.append(str(shape))
        if not SHAPES.value(shape, RDFS.label):
            lacking.append(f"{shape} (label)")
    assert lacking == []


def test_messages_name_a_fix() -> None:
    """A message says what to do: it contains an imperative or names the property to use."""
    vague = []
    verbs = ("add", "fix", "write", "tag", "keep", "check", "correct", "move", "make",
             "give", "rewrite", "remove", "merge", "trim", "copy", "split", "turn", "declare",
             "designate", "describe", "say", "use", "name", "must")
    for message in set(SHAPES.objects(None, SH.message)):
        words = {w.strip(".,:;()\"'").lower() for w in str(message).split()}
        if not words & set(verbs):
            vague.append(str(message))
    assert vague == []


def test_every_shape_is_named_and_typed() -> None:
    """Blank nodes only inside other shapes (sh:or lists, qualified shapes), never as targets."""
    for shape in named_shapes(SHAPES):
        if (shape, RDF.type, OWL.Ontology) in SHAPES:
            continue
        assert is_shape(SHAPES, shape), shape
    targeted = {s for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf,
                            SH.targetNode, SH.target) for s in SHAPES.subjects(p, None)}
    assert all(isinstance(s, URIRef) for s in targeted)
    for parent, child in SHAPES.subject_objects(SH.property):
        assert isinstance(child, URIRef), f"{parent} has a blank property shape"


def test_every_targeted_class_exists_in_the_ontology() -> None:
    classes = set(SHAPES.objects(None, SH.targetClass)) | set(SHAPES.objects(None, SH["class"]))
    missing = sorted(str(c) for c in classes if not declared(c, CLASS_TYPES))
    assert missing == []


def test_every_targeted_or_constrained_property_exists_in_the_ontology() -> None:
    props: set[URIRef] = set()
    for predicate in (SH.targetSubjectsOf, SH.targetObjectsOf, SH.disjoint, SH.equals,
                      SH.lessThan):
        props |= {p for p in SHAPES.objects(None, predicate) if isinstance(p, URIRef)}
    for path in SHAPES.objects(None, SH.path):
        props |= set(path_properties(path))
    missing = sorted(str(p) for p in props if not declared(p, PROPERTY_TYPES))
    assert missing == []


def test_sparql_in_shapes_parses() -> None:
    prefixes = "\n".join(
        f"PREFIX {SHAPES.value(d, SH.prefix)}: <{SHAPES.value(d, SH.namespace)}>"
        for d in SHAPES.objects(None, SH.declare))
    for query in SHAPES.objects(None, SH.select):
        prepareQuery(prefixes + "\n" + str(query).replace("$PATH", "rdfs:label"))


@pytest.fixture(scope="module")
def data_classes() -> set[URIRef]:
    sources = load.load(settings.resolve({"root": str(ROOT)}, environ={}))
    return {o for _s, _p, o, _g in sources.data.quads((None, RDF.type, None))
            if isinstance(o, URIRef)}


def test_every_class_with_instances_has_a_node_shape(data_classes: set[URIRef]) -> None:
    targeted = set(SHAPES.objects(None, SH.targetClass))
    untargeted = sorted(str(c) for c in data_classes - targeted
                        if declared(c, CLASS_TYPES) and not str(c).startswith(BUILTIN))
    assert untargeted == [], "classes with instances in data/ that no node shape targets"


def test_contract_classes_of_the_ontology_are_all_targeted() -> None:
    kg = "https://w3id.org/kgraph/ontology#"
    classes = {c for c in ONTOLOGY.subjects(RDF.type, OWL.Class)
               if str(c).startswith(kg) and c != URIRef(kg + "Agent")}
    targeted = set(SHAPES.objects(None, SH.targetClass))
    assert sorted(str(c) for c in classes - targeted) == []
