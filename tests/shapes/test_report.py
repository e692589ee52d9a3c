"""The report tells a person where to fix a defect: data file, paragraph, focus, path, value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kgraph import cli, load, reason, settings, validate

from .conftest import append, plant
from .shapes_support import BASE, FIXTURES, validate_files

PLANTED = """
graph:paragraph-35 {
    complex:planted-test-complex a kg:IndustrialComplex ;
        rdfs:label "Planted test complex"@en ;
        skos:definition "A complex planted by the tests, located in a misspelt place."@en ;
        kg:locatedIn place:misspelt-nowhere ;
        kg:statedIn source:paragraph-35 .
}
"""
FOCUS = URIRef("https://w3id.org/kgraph/id/complex/planted-test-complex")
SHAPE = URIRef("https://w3id.org/kgraph/shapes#located-in-object")


def data_file_stating(tree: Path, paragraph: int) -> Path:
    """The data file that holds the named graph of a paragraph (whichever file owns it)."""
    marker = f"graph:paragraph-{paragraph} {{"
    for path in sorted((tree / "data").glob("*.trig")):
        if marker in path.read_text(encoding="utf-8"):
            return path
    pytest.skip(f"no data file states paragraph {paragraph} yet")


def run(tree: Path, *args: str) -> int:
    return cli.main(["--root", str(tree), "validate", *args])


def validate_tree(tree: Path, with_inference: bool = True) -> validate.Report:
    sources = load.load(settings.resolve({"root": str(tree)}, environ={}))
    return validate.validate(sources, reason.reason(sources) if with_inference else None)


def test_text_report_names_file_paragraph_focus_path_and_value(tree: Path) -> None:
    target = data_file_stating(tree, 35)
    append(target, PLANTED)
    report = validate_tree(tree)
    assert not report.conforms
    [result] = [r for r in report.results if r.focus == FOCUS]
    assert result.shape == SHAPE
    assert result.files == (f"data/{target.name}",)
    assert result.paragraphs == ("Paragraph 35",)
    block = report.to_text().split("\n\n")
    [text] = [b for b in block if "complex:planted-test-complex" in b]
    assert '"Planted test complex"' in text
    assert "kg:locatedIn" in text
    assert "place:misspelt-nowhere" in text
    assert f"data/{target.name}" in text and "Paragraph 35" in text
    assert "fix a misspelt IRI" in text


def test_types_inferred_from_ranges_do_not_hide_a_dangling_object(tree: Path) -> None:
    """owlrl makes place:misspelt-nowhere a kg:Place by the range of kg:locatedIn."""
    append(data_file_stating(tree, 35), PLANTED)
    sources = load.load(settings.resolve({"root": str(tree)}, environ={}))
    inferred = reason.reason(sources)
    nowhere = URIRef("https://w3id.org/kgraph/id/place/misspelt-nowhere")
    assert any(True for _ in inferred.triples((nowhere, None, None)))
    report = validate.validate(sources, inferred)
    assert any(r.focus == FOCUS and r.shape == SHAPE for r in report.results)


def test_defect_in_an_existing_statement_is_traced_to_its_file(tree: Path) -> None:
    plant(tree / "data" / "source.trig", "kg:paragraphNumber 35 ;", "kg:paragraphNumber 350 ;")
    report = validate_tree(tree, with_inference=False)
    [result] = [r for r in report.results
                if r.focus == URIRef("https://w3id.org/kgraph/id/source/paragraph-35")]
    assert result.files == ("data/source.trig",)
    assert str(result.value) == "350"
    assert "1 to 46" in result.message


def test_cli_exit_0_on_the_real_data(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tree) == 0
    assert "conforms" in capsys.readouterr().out


def test_cli_json_and_turtle_on_a_defect(tree: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    append(data_file_stating(tree, 35), PLANTED)
    assert run(tree, "--format", "json") == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["conforms"] is False
    [entry] = [r for r in payload["results"] if r["focus"] == str(FOCUS)]
    assert entry["path"] == "https://w3id.org/kgraph/ontology#locatedIn"
    assert entry["statedIn"] == ["Paragraph 35"]
    assert entry["files"][0].startswith("data/")
    assert run(tree, "--format", "turtle") == 1
    graph = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert (None, SH.conforms, None) in graph
    assert (None, SH.focusNode, FOCUS) in graph


def test_shapes_syntax_error_exits_2_naming_file_and_line(
        tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = tree / "shapes" / "labels.ttl"
    lines_before = shapes.read_text(encoding="utf-8").count("\n")
    append(shapes, "\nkgsh:broken a sh:NodeShape ;\n    sh:targetClass kg:Firm\n"
                   "    sh:property kgsh:label-english .\n")
    assert run(tree) == 2
    err = capsys.readouterr().err
    assert f"shapes/labels.ttl:{lines_before + 4}" in err


def test_unevaluable_shape_is_an_input_error(tree: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A SPARQL constraint that does not parse is a defect of the shapes (2), not a bug (3)."""
    append(tree / "shapes" / "rules.ttl", '''
kgsh:broken-query a sh:NodeShape ;
    sh:targetSubjectsOf kg:endYear ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "never shown"@en ;
                sh:select "SELECT $this WHERE { $this kg:endYear ?y FILTER (?y > }" ] .
''')
    assert run(tree) == 2
    assert "shapes" in capsys.readouterr().err


def test_alternative_paths_are_shown_in_sparql_syntax() -> None:
    report = validate_files(BASE, FIXTURES / "observation-time.trig")
    [result] = report.results
    assert result.path_text is not None
    text = report.to_text()
    assert "path:    kg:refYear|kg:refPeriod" in text
    assert "fact:obs-no-time" in text and "Paragraph 2" in text
    assert json.loads(report.to_json())["results"][0]["path"] == (
        "<https://w3id.org/kgraph/ontology#refYear>|<https://w3id.org/kgraph/ontology#refPeriod>")
