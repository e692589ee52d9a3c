"""The IRIs the pipeline itself relies on (docs/conventions.md), defined once."""

from __future__ import annotations

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/kgraph/"
KG = Namespace(BASE + "ontology#")
GRAPH = Namespace(BASE + "graph/")
SOURCE = Namespace(BASE + "id/source/")

ONTOLOGY_IRI = URIRef(BASE + "ontology")
ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED_GRAPH = GRAPH["inferred"]

#: Prefixes every query may use without declaring them (docs/conventions.md, plus the
#: W3C and common vocabularies the ontology aligns to).
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    **{kind: f"{BASE}id/{kind}/" for kind in (
        "organization", "person", "program", "place", "complex", "industry", "concept",
        "event", "period", "fact", "source", "publication")},
    "graph": str(GRAPH),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "qb": "http://purl.org/linked-data/cube#",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "bibo": "http://purl.org/ontology/bibo/",
    "cito": "http://purl.org/spar/cito/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "wgs": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "sh": "http://www.w3.org/ns/shacl#",
}
