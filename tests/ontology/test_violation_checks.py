"""The closed-world checks in checks/*-violation.rq: each returns no rows on the real ontology and
data, and each catches a defect planted in a small fixture that is otherwise clean."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from ontology_support import CHECKS_DIR, ONTOLOGY_GRAPH, check_files, load_union

PREFIXES = """\
@prefix kg:   <https://w3id.org/kgraph/ontology#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id:   <https://w3id.org/kgraph/id/thing/> .
"""

BASE_ONTOLOGY = PREFIXES + """
<https://w3id.org/kgraph/ontology> a owl:Ontology .
skos:definition a owl:AnnotationProperty .
kg:Site a owl:Class ;
    rdfs:label "site"@en , "장소"@ko ;
    skos:definition "A place for testing."@en ;
    rdfs:isDefinedBy <https://w3id.org/kgraph/ontology> .
kg:near a owl:ObjectProperty ;
    rdfs:label "near"@en ;
    skos:definition "Links two sites close to each other."@en ;
    rdfs:isDefinedBy <https://w3id.org/kgraph/ontology> .
kg:year a owl:DatatypeProperty ;
    rdfs:range xsd:integer ;
    rdfs:label "year"@en ;
    skos:definition "A calendar year."@en ;
    rdfs:isDefinedBy <https://w3id.org/kgraph/ontology> .
kg:comparator a owl:DatatypeProperty ;
    rdfs:range xsd:string ;
    rdfs:label "comparator"@en ;
    skos:definition "A qualifier string."@en ;
    rdfs:isDefinedBy <https://w3id.org/kgraph/ontology> .
"""

BASE_DATA = PREFIXES + """
<https://w3id.org/kgraph/graph/paragraph-1> {
    id:a a kg:Site ;
        rdfs:label "A"@en ;
        kg:near id:b ;
        kg:year 2005 ;
        kg:comparator "about" .
    id:b a kg:Site ;
        rdfs:label "B"@en .
}
"""

# check file -> [(ontology addition, data addition inside the graph, text a row must contain)]
PLANTED: dict[str, list[tuple[str, str, str]]] = {
    "undeclared-term-violation.rq": [
        ("", "id:a kg:locatedln id:b .", "locatedln"),
        ("", "id:a a kg:Stie .", "Stie"),
    ],
    "undeclared-external-term-violation.rq": [
        ("", "id:a dcterms:isPartOf id:b .", "http://purl.org/dc/terms/isPartOf"),
        ("kg:Site rdfs:subClassOf <http://www.w3.org/ns/org#Site> .", "",
         "http://www.w3.org/ns/org#Site"),
    ],
    "label-violation.rq": [
        ('kg:Bare a owl:Class ; skos:definition "x"@en ; '
         'rdfs:isDefinedBy <https://w3id.org/kgraph/ontology> .', "", "Bare"),
        ('kg:near rdfs:label "close to"@en .', "", "near"),
        ('kg:Site rdfs:label "현장"@ko .', "", "Site"),
    ],
    "definition-violation.rq": [
        ('kg:Vague a owl:Class ; rdfs:label "vague"@en ; '
         'rdfs:isDefinedBy <https://w3id.org/kgraph/ontology> .', "", "Vague"),
        ('kg:year skos:definition "A year of the calendar."@en .', "", "year"),
    ],
    "isdefinedby-violation.rq": [
        ('kg:Stray a owl:DatatypeProperty ; rdfs:label "stray"@en ; '
         'skos:definition "x"@en .', "", "Stray"),
    ],
    "object-property-literal-violation.rq": [
        ("", 'id:a kg:near "id:b" .', "near"),
    ],
    "datatype-property-resource-violation.rq": [
        ("", "id:a kg:year id:b .", "year"),
    ],
    "punning-violation.rq": [
        ("kg:near a owl:DatatypeProperty .", "", "near"),
        ("", "kg:Site a kg:Site .", "Site"),
    ],
    "forbidden-datatype-violation.rq": [
        ("", 'id:a kg:year "2005"^^xsd:gYear .', "gYear"),
        ("", 'id:b kg:comparator "2005-04-01"^^xsd:date .', "#date"),
        ("kg:year rdfs:range xsd:gYear .", "", "gYear"),
        ("", 'id:b kg:comparator "POINT(1 2)"^^<http://www.opengis.net/ont/geosparql#wktLiteral> .',
         "wktLiteral"),
    ],
    "term-declared-outside-ontology-violation.rq": [
        ("", 'kg:Sneaky a owl:Class ; rdfs:label "sneaky"@en ; skos:definition "x"@en ; '
         'rdfs:isDefinedBy <https://w3id.org/kgraph/ontology> .', "Sneaky"),
    ],
    "wrong-kind-violation.rq": [
        ("", "id:a a kg:near .", "near"),
        ("", "id:a kg:Site id:b .", "Site"),
    ],
    "literal-range-violation.rq": [
        ("", 'id:b kg:year "2007" .', "year"),
        ("", 'id:b kg:comparator "about"@en .', "comparator"),
        ("", 'id:b kg:year "2007.5"^^xsd:decimal .', "year"),
    ],
}


def _run(check: Path, dataset: rdflib.Dataset) -> list[list[str]]:
    result = dataset.query(check.read_text(encoding="utf-8"))
    return [[str(value) for value in row if value is not None] for row in result]


def _run_oxigraph(check: Path, ontology: Path, data: Path) -> list[list[str]]:
    """The same query on Oxigraph, the store the server uses: the checks are plain SPARQL 1.1
    and must answer alike on both engines."""
    store = pyoxigraph.Store()
    store.load(path=str(ontology), format=pyoxigraph.RdfFormat.TURTLE,
               to_graph=pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH)))
    store.load(path=str(data), format=pyoxigraph.RdfFormat.TRIG)
    solutions = store.query(check.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    return [[term.value for term in solution if term is not None] for solution in solutions]


def _write_fixture(tmp_path: Path, ontology_extra: str = "",
                   data_extra: str = "") -> tuple[Path, Path]:
    onto = tmp_path / "fixture-ontology.ttl"
    onto.write_text(BASE_ONTOLOGY + "\n" + ontology_extra + "\n", encoding="utf-8")
    data = tmp_path / "fixture-data.trig"
    body = BASE_DATA.rstrip().removesuffix("}") + "    " + data_extra + "\n}\n"
    data.write_text(body, encoding="utf-8")
    return onto, data


def _fixture(tmp_path: Path, ontology_extra: str = "", data_extra: str = "") -> rdflib.Dataset:
    onto, data = _write_fixture(tmp_path, ontology_extra, data_extra)
    return load_union([onto], [data])


def test_every_check_has_a_planted_defect() -> None:
    names = {path.name for path in check_files()}
    assert names, f"no *-violation.rq files in {CHECKS_DIR}"
    assert names == set(PLANTED), (
        f"checks without a planted defect: {sorted(names - set(PLANTED))}; "
        f"planted defects for missing checks: {sorted(set(PLANTED) - names)}")


@pytest.mark.parametrize("check", check_files(), ids=lambda p: p.name)
def test_check_opens_with_a_header_comment(check: Path) -> None:
    lines = check.read_text(encoding="utf-8").splitlines()
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    assert header and header[0].startswith(f"# {check.stem}:"), (
        f"{check.name} must open with '# {check.stem}: <what it detects>'")
    text = "\n".join(header)
    assert "Why:" in text and "Run on:" in text and "no rows" in text


@pytest.mark.parametrize("check", check_files(), ids=lambda p: p.name)
def test_check_passes_on_ontology_and_data(check: Path, union_dataset: rdflib.Dataset) -> None:
    rows = _run(check, union_dataset)
    shown = "\n".join("  " + " | ".join(row) for row in rows[:30])
    assert not rows, f"{check.name} found {len(rows)} violation(s):\n{shown}"


@pytest.mark.parametrize("check", check_files(), ids=lambda p: p.name)
def test_check_passes_on_clean_fixture(check: Path, tmp_path: Path) -> None:
    assert _run(check, _fixture(tmp_path)) == []


CASES = [(name, *case) for name, cases in PLANTED.items() for case in cases]


@pytest.mark.parametrize(("name", "ontology_extra", "data_extra", "expected"), CASES,
                         ids=[f"{c[0].removesuffix('-violation.rq')}-{c[3]}" for c in CASES])
def test_check_catches_planted_defect(name: str, ontology_extra: str, data_extra: str,
                                      expected: str, tmp_path: Path) -> None:
    rows = _run(CHECKS_DIR / name, _fixture(tmp_path, ontology_extra, data_extra))
    assert any(expected in value for row in rows for value in row), (
        f"{name} missed the planted defect {ontology_extra or data_extra!r}; rows: {rows}")


@pytest.mark.parametrize(("name", "ontology_extra", "data_extra", "expected"), CASES,
                         ids=[f"{c[0].removesuffix('-violation.rq')}-{c[3]}" for c in CASES])
def test_check_catches_planted_defect_on_oxigraph(name: str, ontology_extra: str,
                                                  data_extra: str, expected: str,
                                                  tmp_path: Path) -> None:
    onto, data = _write_fixture(tmp_path, ontology_extra, data_extra)
    rows = _run_oxigraph(CHECKS_DIR / name, onto, data)
    assert any(expected in value for row in rows for value in row), (name, rows)


@pytest.mark.parametrize("check", check_files(), ids=lambda p: p.name)
def test_check_clean_fixture_on_oxigraph(check: Path, tmp_path: Path) -> None:
    assert _run_oxigraph(check, *_write_fixture(tmp_path)) == []
