"""The ontology source files: they parse, carry the agreed header, define every contract term
with the agreed kind and alignments, and the catalog lets Protégé open them offline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib
from ontology_support import (
    KG,
    ONTOLOGY_DIR,
    ONTOLOGY_IRI,
    REPO,
    VERSION_IRI,
    RDFSyntaxError,
    ontology_files,
    parse_into,
)
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

ONTO = rdflib.URIRef(ONTOLOGY_IRI)


@pytest.mark.parametrize("path", ontology_files(), ids=lambda p: p.name)
def test_ontology_file_parses(path: Path) -> None:
    graph = rdflib.Graph()
    parse_into(graph, path)
    assert len(graph) > 0, f"{path} is empty"


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
        "kg:A a kg:B .\n"
        'kg:C kg:d "unterminated .\n', encoding="utf-8")
    with pytest.raises(RDFSyntaxError, match=r"broken\.ttl:3: turtle syntax error"):
        parse_into(rdflib.Graph(), broken)


def test_trig_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.trig"
    broken.write_text(
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
        "<https://w3id.org/kgraph/graph/x> {\n"
        "  kg:A a kg:B .\n"
        "  kg:A a kg:B kg:C .\n"
        "}\n", encoding="utf-8")
    with pytest.raises(RDFSyntaxError, match=r"broken\.trig:4: trig syntax error"):
        parse_into(rdflib.Dataset(), broken)


def test_header(core_graph: rdflib.Graph) -> None:
    g = core_graph
    assert (ONTO, RDF.type, OWL.Ontology) in g
    assert list(g.subjects(RDF.type, OWL.Ontology)) == [ONTO], "exactly one ontology header"
    assert g.value(ONTO, OWL.versionIRI) == rdflib.URIRef(VERSION_IRI)
    assert str(g.value(ONTO, OWL.versionInfo)) == VERSION_IRI.rsplit("/", 1)[1]
    assert g.value(ONTO, DCTERMS.license) == rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/")
    assert g.value(ONTO, DCTERMS.source) == rdflib.URIRef(
        "https://w3id.org/kgraph/id/publication/park-koo-2013")
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.creator):
        value = g.value(ONTO, prop)
        assert isinstance(value, rdflib.Literal) and value.language == "en", prop
    assert "kgraph" in str(g.value(ONTO, DCTERMS.creator))
    for prop in (DCTERMS.created, DCTERMS.modified):
        value = g.value(ONTO, prop)
        assert isinstance(value, rdflib.Literal) and value.datatype == XSD.dateTime, prop
    assert not list(g.objects(ONTO, OWL.imports)), "no owl:imports: Protégé must open offline"


def test_only_kgraph_ttl_has_a_header(ontology_graph: rdflib.Graph) -> None:
    """extensions.ttl and friends add terms to the one ontology; a second header would make
    loaders (and Protégé) see two ontologies."""
    assert list(ontology_graph.subjects(RDF.type, OWL.Ontology)) == [ONTO]


def _contract_terms() -> list[str]:
    """Every kg: term named in docs/conventions.md (the contract with the data and shapes)."""
    text = (REPO / "docs" / "conventions.md").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"\bkg:([A-Za-z][A-Za-z0-9]*)", text)))


@pytest.mark.parametrize("local", _contract_terms())
def test_contract_term_defined_with_the_right_kind(core_graph: rdflib.Graph, local: str) -> None:
    term = rdflib.URIRef(KG + local)
    kinds = set(core_graph.objects(term, RDF.type))
    if local[0].isupper():
        assert OWL.Class in kinds, f"kg:{local} must be an owl:Class in kgraph.ttl"
    else:
        assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, (
            f"kg:{local} must be an object or datatype property in kgraph.ttl")
    assert core_graph.value(term, RDFS.isDefinedBy) == ONTO
    assert core_graph.value(term, SKOS.definition) is not None


OBJECT_PROPERTIES_NAMED_IN_CONTRACT = [
    "statedIn", "locatedIn", "partOf", "memberOf", "participatesIn", "supports", "funds",
    "launchedBy", "administeredBy", "promotedBy", "hasComponent", "componentOf", "hasGoal",
    "reformedInto", "succeeds", "hasPhase", "during", "inPowerDuring", "designatedEntity",
    "designatedTo", "hasRole", "specializesIn", "hubComplex", "collaboratesWith", "establishedBy",
    "heldIn", "affiliatedWith", "measure", "unit", "refArea", "refPeriod", "observedSubject",
    "concerns", "cites", "citedIn", "credits", "author", "publishedIn",
]
DATATYPE_PROPERTIES_NAMED_IN_CONTRACT = [
    "paragraphNumber", "year", "month", "startYear", "endYear", "value", "refYear", "count",
    "designationYear", "designationMonth", "approximate", "comparator", "purpose", "description",
    "pages", "volume", "issue", "languageNote", "statedValue", "recordedValue", "publicationDate",
]


@pytest.mark.parametrize("local", OBJECT_PROPERTIES_NAMED_IN_CONTRACT)
def test_object_properties(core_graph: rdflib.Graph, local: str) -> None:
    assert (rdflib.URIRef(KG + local), RDF.type, OWL.ObjectProperty) in core_graph


@pytest.mark.parametrize("local", DATATYPE_PROPERTIES_NAMED_IN_CONTRACT)
def test_datatype_properties(core_graph: rdflib.Graph, local: str) -> None:
    assert (rdflib.URIRef(KG + local), RDF.type, OWL.DatatypeProperty) in core_graph


ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
SDMX_DIM = rdflib.Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
TIME = rdflib.Namespace("http://www.w3.org/2006/time#")
SCHEMA = rdflib.Namespace("https://schema.org/")
BIBO = rdflib.Namespace("http://purl.org/ontology/bibo/")
CITO = rdflib.Namespace("http://purl.org/spar/cito/")
GEO = rdflib.Namespace("http://www.opengis.net/ont/geosparql#")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")

ALIGNMENTS = [
    ("Organization", RDFS.subClassOf, ORG.FormalOrganization),
    ("Person", RDFS.subClassOf, FOAF.Person),
    ("PolicyInitiative", RDFS.subClassOf, PROV.Activity),
    ("Place", RDFS.subClassOf, GEO.Feature),
    ("Place", RDFS.subClassOf, SCHEMA.Place),
    ("University", RDFS.subClassOf, SCHEMA.CollegeOrUniversity),
    ("GovernmentBody", RDFS.subClassOf, SCHEMA.GovernmentOrganization),
    ("Industry", RDFS.subClassOf, SKOS.Concept),
    ("Unit", RDFS.subClassOf, SKOS.Concept),
    ("Event", RDFS.subClassOf, SCHEMA.Event),
    ("Period", RDFS.subClassOf, TIME.ProperInterval),
    ("Observation", RDFS.subClassOf, QB.Observation),
    ("Publication", RDFS.subClassOf, BIBO.Document),
    ("Article", RDFS.subClassOf, BIBO.AcademicArticle),
    ("statedIn", RDFS.subPropertyOf, PROV.wasDerivedFrom),
    ("statedIn", RDFS.range, rdflib.URIRef(KG + "SourceLocator")),
    ("memberOf", RDFS.subPropertyOf, ORG.memberOf),
    ("refArea", RDFS.subPropertyOf, SDMX_DIM.refArea),
    ("refPeriod", RDFS.subPropertyOf, SDMX_DIM.refPeriod),
    ("cites", RDFS.subPropertyOf, CITO.cites),
    ("value", RDFS.range, XSD.decimal),
    ("year", RDFS.range, XSD.integer),
    ("approximate", RDFS.range, XSD.boolean),
    ("publicationDate", RDFS.range, XSD.dateTime),
]


@pytest.mark.parametrize(("local", "predicate", "target"), ALIGNMENTS,
                         ids=[f"{a[0]}-{a[2].split('#')[-1].split('/')[-1]}" for a in ALIGNMENTS])
def test_alignment(core_graph: rdflib.Graph, local: str, predicate: rdflib.URIRef,
                   target: rdflib.URIRef) -> None:
    assert (rdflib.URIRef(KG + local), predicate, target) in core_graph


def test_external_terms_are_declared_not_imported(core_graph: rdflib.Graph) -> None:
    """Every external class or property the ontology aligns to is declared in the file."""
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    missing = sorted(
        str(target)
        for predicate in (RDFS.subClassOf, RDFS.subPropertyOf)
        for target in core_graph.objects(None, predicate)
        if isinstance(target, rdflib.URIRef)
        and not set(core_graph.objects(target, RDF.type)) & kinds)
    assert not missing, f"undeclared alignment targets: {missing}"


def test_chaebol_alt_labels(core_graph: rdflib.Graph) -> None:
    alts = {str(a) for a in core_graph.objects(rdflib.URIRef(KG + "BusinessGroup"), SKOS.altLabel)}
    assert {"chaebol", "jaebol"} <= alts


CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


def test_catalog_resolves_ontology_and_version_iri_to_local_files() -> None:
    catalog = ONTOLOGY_DIR / "catalog-v001.xml"
    root = ET.parse(catalog).getroot()
    assert root.tag == f"{CATALOG_NS}catalog"
    mapping = {el.get("name"): el.get("uri") for el in root.iter(f"{CATALOG_NS}uri")}
    assert set(mapping) >= {ONTOLOGY_IRI, VERSION_IRI}
    for name, uri in mapping.items():
        target = (catalog.parent / uri).resolve()
        assert target.is_file(), f"catalog maps {name} to missing {target}"
        graph = rdflib.Graph()
        parse_into(graph, target)
        header = rdflib.URIRef(ONTOLOGY_IRI)
        assert (header, RDF.type, OWL.Ontology) in graph, f"{target} lacks the header of {name}"
        assert name in {ONTOLOGY_IRI, str(graph.value(header, OWL.versionIRI))}
