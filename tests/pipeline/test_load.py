"""load: parsed sources, provenance of subjects, cache key, and errors naming file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from kgraph import load, settings
from kgraph.errors import InputError, ParseError

#: rdflib warns about its own deprecated internals while parsing test output.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

ACME = URIRef("https://w3id.org/kgraph/id/organization/acme")
P1 = URIRef("https://w3id.org/kgraph/graph/paragraph-1")


def test_named_graphs_are_kept_and_default_graph_is_separate(mini_settings) -> None:
    sources = load.load(mini_settings)
    graphs = {g.identifier for g in sources.data.graphs()}
    assert P1 in graphs
    assert (ACME, None, None) in sources.data.graph(P1)
    # the default graph holds source.trig's descriptions, not paragraph 1's triples
    assert (ACME, None, None) not in sources.data.default_graph
    assert len(sources.data.default_graph) > 0
    assert len(sources.ontology) > 0 and len(sources.shapes) > 0


def test_origins_name_the_data_files_of_each_subject(mini_settings) -> None:
    sources = load.load(mini_settings)
    assert sources.origins[ACME] == ("data/facts.trig", "data/links.trig")
    assert sources.origins[URIRef("https://w3id.org/kgraph/id/source/paragraph-3")] == (
        "data/source.trig",)


def test_fingerprint_changes_with_content_and_only_with_it(mini_settings, mini_root) -> None:
    first = load.load(mini_settings).fingerprint
    assert load.load(mini_settings).fingerprint == first
    path = mini_root / "data" / "facts.trig"
    path.write_text(path.read_text() + "\n# a comment\n")
    assert load.load(mini_settings).fingerprint != first


@pytest.mark.parametrize(("folder", "name", "text", "line", "column"), [
    ("ontology", "broken.ttl",
     "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n\nkg:A a kg:B kg:C .\n", 3, 13),
    ("data", "broken.trig",
     "@prefix kg: <https://w3id.org/kgraph/ontology#> .\nkg:g {\n  kg:a kg:b \"open .\n}\n",
     3, 20),
    ("shapes", "broken.ttl", "@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y ;; .\n",
     2, 10),
])
def test_syntax_error_names_file_line_and_column(mini_settings, mini_root, folder, name, text,
                                                 line, column) -> None:
    (mini_root / folder / name).write_text(text)
    with pytest.raises(ParseError) as caught:
        load.load(mini_settings)
    error = caught.value
    assert error.path == f"{folder}/{name}"
    assert error.line == line
    assert error.column == column
    assert str(error).startswith(f"{folder}/{name}:{line}:{column}: ")


def test_unbound_prefix_is_a_parse_error_naming_file_and_line(mini_settings,
                                                                mini_root) -> None:
    (mini_root / "data" / "unbound.trig").write_text("\n\nfoo:a <http://e/p> <http://e/o> .\n")
    with pytest.raises(ParseError, match=r"^data/unbound\.trig:3:\d+: .*foo"):
        load.load(mini_settings)


@pytest.mark.parametrize("folder", ["ontology", "data", "shapes"])
def test_empty_folder_is_an_input_error_naming_it(mini_settings, mini_root, folder) -> None:
    for path in (mini_root / folder).iterdir():
        path.unlink()
    with pytest.raises(InputError, match=str(mini_root / folder)):
        load.load(mini_settings)


def test_missing_root_folder_is_an_input_error(tmp_path: Path) -> None:
    s = settings.resolve({"root": str(tmp_path / "nowhere")}, environ={})
    with pytest.raises(InputError, match="nowhere"):
        load.load(s)


def test_ill_typed_literal_names_file_and_line(mini_settings, mini_root, caplog) -> None:
    (mini_root / "data" / "typo.trig").write_text(
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix graph: <https://w3id.org/kgraph/graph/> .\n"
        "graph:paragraph-2 {\n"
        "  <https://w3id.org/kgraph/id/fact/x> kg:count \"twelve\"^^xsd:integer .\n}\n")
    with pytest.raises(ParseError) as caught:
        load.load(mini_settings)
    assert str(caught.value) == "data/typo.trig:5: literal 'twelve' is not a valid xsd:integer"
    assert "Failed to convert" not in caplog.text
