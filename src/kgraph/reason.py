"""OWL 2 RL entailment with owlrl: only what the closure adds, without trivial noise.

The closure of the ontology plus the union of every data graph is computed; the
triples already asserted are removed, and so are entailments that carry no
information about this dataset (documented in :func:`is_noise`), copies of our
statements onto other datasets' IRIs through ``owl:sameAs`` (:func:`linked_externals`)
and statements about the ontology's anonymous class expressions
(:func:`ontology_blank_nodes`). The remaining
triples are meant for the named graph ``graph:inferred``.

owlrl also detects inconsistencies (members of disjoint classes, literals that do not
match their datatype, ...). It writes them as ``err:ErrorMessage`` nodes into the
graph; here they are taken out of the triples and returned as messages instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import owlrl
from owlrl import DatatypeHandling
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .load import Sources
from .namespaces import BASE, INFERRED_GRAPH

ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")

#: Namespaces whose terms the closure describes with axioms (``owl:Thing a owl:Class``).
BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))
#: Properties that owlrl makes reflexive for every class/property/individual.
REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf,
             OWL.equivalentProperty}
#: Classes every resource belongs to in OWL RL; saying so adds nothing.
UNIVERSAL = {OWL.Thing, RDFS.Resource}

__all__ = ["INFERRED_GRAPH", "Inference", "infer", "is_noise", "linked_externals",
           "ontology_blank_nodes", "reason"]


@dataclass(frozen=True, eq=False)
class Inference:
    """The entailed triples and the inconsistencies owlrl reported."""

    triples: Graph
    inconsistencies: tuple[str, ...]


def is_noise(triple: tuple[Node, Node, Node]) -> bool:
    """True for entailments that hold for any dataset, so they are left out.

    - literal subjects, and any triple about an RDF/RDFS/OWL/XSD term
      (``owl:Nothing rdfs:subClassOf kg:Firm``, ``rdf:type a rdf:Property``);
    - reflexive ``owl:sameAs``, ``rdfs:subClassOf``, ``owl:equivalentClass``,
      ``rdfs:subPropertyOf``, ``owl:equivalentProperty``;
    - ``rdf:type owl:Thing`` / ``rdfs:Resource``; ``rdfs:subClassOf``, ``rdfs:domain``
      or ``rdfs:range`` ``owl:Thing``;
    - literal typing: ``rdf:type`` an XSD datatype, ``rdfs:Literal`` or ``rdfs:Datatype``.
    """
    s, p, o = triple
    if isinstance(s, Literal) or str(s).startswith(BUILTIN):
        return True
    if p in REFLEXIVE and s == o:
        return True
    if p == RDF.type and (o in UNIVERSAL or o in (RDFS.Literal, RDFS.Datatype)
                          or str(o).startswith(str(XSD))):
        return True
    return p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range) \
        and o in UNIVERSAL


def linked_externals(graph: Graph) -> set[Node]:
    """IRIs outside kgraph that an ``owl:sameAs`` ties to something.

    OWL RL copies every statement about an entity onto each IRI it is the same as;
    those copies (about Wikidata, DBpedia ... items) restate our data under other
    datasets' names, so :func:`infer` leaves out entailments that mention these IRIs.
    """
    found: set[Node] = set()
    for s, o in graph.subject_objects(OWL.sameAs):
        for node in (s, o):
            if isinstance(node, URIRef) and not str(node).startswith(BASE):
                found.add(node)
    return found


def ontology_blank_nodes(ontology: Graph) -> set[Node]:
    """Blank nodes of the ontology: anonymous class expressions, restrictions, lists.

    Entailments about them (``:acme a [ owl:unionOf (...) ]``, ``kg:Firm rdfs:subClassOf
    [ a owl:Restriction ... ]``) restate the axioms and name nothing a user can look up,
    so :func:`infer` leaves them out.
    """
    return {node for triple in ontology for node in triple if isinstance(node, BNode)}


def _combined(sources: Sources) -> Graph:
    """The ontology plus the union of every data graph, as one plain graph."""
    graph = Graph()
    for triple in sources.ontology:
        graph.add(triple)
    for s, p, o, _ in sources.data.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def infer(sources: Sources) -> Inference:
    """Run the OWL 2 RL closure and keep only the informative new triples."""
    graph = _combined(sources)
    asserted = set(graph)
    excluded = linked_externals(graph) | ontology_blank_nodes(sources.ontology)
    closure = owlrl.OWLRL_Semantics(graph, False, False, rdfs=False)
    # Same stricter lexical checks as owlrl.DeductiveClosure.expand, restored afterwards
    # because they patch rdflib's global literal conversions.
    DatatypeHandling.use_Alt_lexical_conversions()
    try:
        closure.closure()
    finally:
        DatatypeHandling.use_RDFLib_lexical_conversions()
    messages = tuple(sorted(closure.error_messages))
    error_nodes = set(graph.subjects(RDF.type, ERR.ErrorMessage))
    inferred = Graph(identifier=INFERRED_GRAPH)
    for prefix, namespace in sources.ontology.namespaces():
        inferred.bind(prefix, namespace)
    for triple in graph:
        if triple in asserted or triple[0] in error_nodes or is_noise(triple):
            continue
        if triple[0] in excluded or triple[2] in excluded:
            continue
        inferred.add(triple)
    return Inference(inferred, messages)


def reason(sources: Sources) -> Graph:
    """The OWL 2 RL entailments of ontology + data, minus asserted triples and noise."""
    return infer(sources).triples
