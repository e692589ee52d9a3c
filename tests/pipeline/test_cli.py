"""Every CLI verb through ``kgraph.cli.main``: success paths, error paths, exit codes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib import Dataset, Graph, URIRef

from kgraph import cli, export

#: rdflib warns about its own deprecated internals while parsing test output.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

ACME = "https://w3id.org/kgraph/id/organization/acme"
FIRMS = "SELECT ?firm WHERE { ?firm a kg:Firm }"
PLACES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a kg:Place ; ?p ?o }"

NAMELESS_FIRM = (
    "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
    "@prefix graph: <https://w3id.org/kgraph/graph/> .\n"
    "graph:paragraph-2 { <https://w3id.org/kgraph/id/organization/nameless> a kg:Firm . }\n")


def nothing_in(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


# --- build -------------------------------------------------------------------------------

def test_build_then_reuse(kgraph, mini_root) -> None:
    first = kgraph("--root", mini_root, "build")
    assert first.code == 0, first.err
    assert first.out.startswith("built ")
    second = kgraph("build", "--root", mini_root)  # settings also accepted after the verb
    assert second.code == 0
    assert second.out.startswith("reused cached build")
    assert kgraph("--root", mini_root, "build", "--force").out.startswith("built ")


@pytest.mark.parametrize(("folder", "name", "text", "where"), [
    ("ontology", "zz-broken.ttl", "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
     "kg:A a kg:B kg:C .\n", "ontology/zz-broken.ttl:2:13"),
    ("data", "aa-broken.trig", "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n\n"
     "kg:g { kg:a kg:b }\n", "data/aa-broken.trig:3:"),
    ("shapes", "zz-broken.ttl", "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
     "sh:a sh:b sh:c\n", "shapes/zz-broken.ttl:"),
])
def test_syntax_error_in_the_repository_tree_exits_2_naming_file_and_line(
        kgraph, repo_root, cache, folder, name, text, where) -> None:
    (repo_root / folder / name).write_text(text)
    outcome = kgraph("--root", repo_root, "build")
    assert outcome.code == 2
    assert where in outcome.err
    assert "Traceback" not in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1
    assert nothing_in(cache)


def test_non_conforming_build_exits_1_with_the_report(kgraph, mini_root, cache) -> None:
    (mini_root / "data" / "nameless.trig").write_text(NAMELESS_FIRM)
    outcome = kgraph("--root", mini_root, "build")
    assert outcome.code == 1
    assert "organization:nameless" in outcome.err or "nameless" in outcome.err
    assert "does NOT conform" in outcome.err
    assert nothing_in(cache)


def test_missing_root_exits_2(kgraph, tmp_path) -> None:
    outcome = kgraph("--root", tmp_path / "absent", "build")
    assert outcome.code == 2
    assert "absent" in outcome.err


# --- validate ----------------------------------------------------------------------------

def test_validate_conforming_in_every_format(kgraph, mini_root) -> None:
    text = kgraph("--root", mini_root, "validate")
    assert text.code == 0
    assert "conforms" in text.out
    as_json = kgraph("--root", mini_root, "validate", "--format", "json")
    assert as_json.code == 0
    assert json.loads(as_json.out)["conforms"] is True
    as_turtle = kgraph("--root", mini_root, "validate", "--format", "turtle")
    assert as_turtle.code == 0
    report = Graph().parse(data=as_turtle.out, format="turtle")
    shacl = "http://www.w3.org/ns/shacl#"
    assert (None, URIRef(shacl + "conforms"), None) in report


def test_validate_non_conforming_exits_1_and_names_the_file(kgraph, mini_root) -> None:
    (mini_root / "data" / "nameless.trig").write_text(NAMELESS_FIRM)
    outcome = kgraph("--root", mini_root, "validate", "--format", "json")
    assert outcome.code == 1
    report = json.loads(outcome.out)
    assert report["conforms"] is False
    focus = [r for r in report["results"] if r["focus"].endswith("/nameless")]
    assert focus and focus[0]["files"] == ["data/nameless.trig"]


def test_validate_reports_owl_inconsistency_with_exit_1(kgraph, disjoint_clash) -> None:
    outcome = kgraph("--root", disjoint_clash, "validate")
    assert outcome.code == 1
    assert "inconsistency" in outcome.err and "acme" in outcome.err
    assert kgraph("--root", disjoint_clash, "build").code == 1


def test_validate_syntax_error_exits_2(kgraph, mini_root) -> None:
    (mini_root / "shapes" / "broken.ttl").write_text("@prefix sh: <x> .\nsh:a sh:b ;; .\n")
    outcome = kgraph("--root", mini_root, "validate")
    assert outcome.code == 2
    assert "shapes/broken.ttl:2:" in outcome.err


# --- query -------------------------------------------------------------------------------

def test_query_string_default_json(kgraph, mini_root) -> None:
    outcome = kgraph("--root", mini_root, "query", FIRMS)
    assert outcome.code == 0, outcome.err
    rows = json.loads(outcome.out)["results"]["bindings"]
    assert [r["firm"]["value"] for r in rows] == [ACME]  # found through inference


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_in_each_results_format(kgraph, mini_root, fmt) -> None:
    outcome = kgraph("--root", mini_root, "query", FIRMS, "--format", fmt)
    assert outcome.code == 0, outcome.err
    if fmt == "json":
        values = [b["firm"]["value"] for b in json.loads(outcome.out)["results"]["bindings"]]
    elif fmt == "xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        root = ElementTree.fromstring(outcome.out)
        values = [uri.text for uri in root.iter(ns + "uri")]
        assert root.find(f"{ns}head/{ns}variable").get("name") == "firm"
    elif fmt == "csv":
        table = list(csv.reader(io.StringIO(outcome.out)))
        assert table[0] == ["firm"]
        values = [row[0] for row in table[1:]]
    else:
        lines = outcome.out.splitlines()
        assert lines[0] == "?firm"
        values = [line.strip("<>") for line in lines[1:]]
    assert values == [ACME]


@pytest.mark.parametrize(("fmt", "rdflib_format"), [
    ("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml"),
    ("trig", "trig"), ("nquads", "nquads")])
def test_construct_in_each_rdf_format(kgraph, mini_root, fmt, rdflib_format) -> None:
    outcome = kgraph("--root", mini_root, "query", PLACES, "--format", fmt)
    assert outcome.code == 0, outcome.err
    parsed = Dataset().parse(data=outcome.out, format=rdflib_format)
    reference = kgraph("--root", mini_root, "query", PLACES, "--format", "ntriples").out
    expected = Graph().parse(data=reference, format="nt")
    got = {(s, p, o) for s, p, o, _g in parsed.quads()}
    assert got == set(expected)
    assert len(expected) == 6  # type (inferred), label, statedIn, WKT, two links


def test_query_from_rq_file_to_out_file(kgraph, mini_root, tmp_path) -> None:
    rq = tmp_path / "firms.rq"
    rq.write_text("# firms\n" + FIRMS + "\n")
    out = tmp_path / "answers" / "firms.csv"
    outcome = kgraph("--root", mini_root, "query", rq, "--format", "csv", "--out", out)
    assert outcome.code == 0, outcome.err
    assert outcome.out == ""
    assert out.read_text().splitlines() == ["firm", ACME]


def test_ask_query(kgraph, mini_root) -> None:
    outcome = kgraph("--root", mini_root, "query", f"ASK {{ <{ACME}> a kg:Organization }}")
    assert json.loads(outcome.out)["boolean"] is True


def test_graph_clause_finds_the_paragraph(kgraph, mini_root) -> None:
    query = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{ACME}> a kg:LargeFirm }} }}"
    outcome = kgraph("--root", mini_root, "query", query, "--format", "csv")
    assert outcome.out.splitlines()[1:] == ["https://w3id.org/kgraph/graph/paragraph-1"]


def test_malformed_query_exits_2_with_the_parser_message(kgraph, mini_root) -> None:
    outcome = kgraph("--root", mini_root, "query", "SELECT ?x WHERE { ?x ?y }")
    assert outcome.code == 2
    assert "SPARQL syntax error at 1:" in outcome.err
    assert "Traceback" not in outcome.err


def test_malformed_rq_file_is_named(kgraph, mini_root, tmp_path) -> None:
    rq = tmp_path / "bad.rq"
    rq.write_text("SELECT WHERE\n")
    outcome = kgraph("--root", mini_root, "query", rq)
    assert outcome.code == 2
    assert "bad.rq" in outcome.err


def test_update_is_refused(kgraph, mini_root) -> None:
    outcome = kgraph("--root", mini_root, "query", "INSERT DATA { <a:b> <a:c> <a:d> }")
    assert outcome.code == 2


def test_missing_rq_file_exits_2(kgraph, mini_root, tmp_path) -> None:
    outcome = kgraph("--root", mini_root, "query", tmp_path / "none.rq")
    assert outcome.code == 2
    assert "none.rq" in outcome.err


def test_format_that_cannot_hold_the_result_exits_2(kgraph, mini_root) -> None:
    outcome = kgraph("--root", mini_root, "query", FIRMS, "--format", "turtle")
    assert outcome.code == 2
    assert "json" in outcome.err  # lists the formats that fit
    assert kgraph("--root", mini_root, "query", PLACES, "--format", "csv").code == 2


def test_unknown_format_is_a_usage_error(kgraph, mini_root) -> None:
    assert kgraph("--root", mini_root, "query", FIRMS, "--format", "yaml").code == 2


# --- export ------------------------------------------------------------------------------

def test_export_writes_every_file_and_they_parse_back(kgraph, mini_root, tmp_path,
                                                      cache) -> None:
    out = tmp_path / "release"
    outcome = kgraph("--root", mini_root, "export", "--out", out)
    assert outcome.code == 0, outcome.err
    names = {p.name for p in out.iterdir()}
    assert names == {"ontology.ttl", "ontology.owl", "kgraph.trig", "kgraph.nq",
                     "kgraph.jsonld", "kgraph.ttl", "kgraph.nt", "kgraph-merged.owl",
                     "catalog-v001.xml", "void.ttl", "SHA256SUMS"}
    [build_dir] = [p for p in cache.iterdir() if p.is_dir()]
    built = Dataset().parse(build_dir / "graph.nq", format="nquads")
    quads = sum(1 for _ in built.quads())
    for name, fmt in (("kgraph.trig", "trig"), ("kgraph.nq", "nquads"),
                      ("kgraph.jsonld", "json-ld")):
        dumped = Dataset().parse(out / name, format=fmt)
        assert sum(1 for _ in dumped.quads()) == quads, name
        assert {g.identifier for g in dumped.graphs()} >= {
            URIRef("https://w3id.org/kgraph/graph/paragraph-1"),
            URIRef("https://w3id.org/kgraph/graph/inferred"),
            URIRef("https://w3id.org/kgraph/graph/ontology")}
    union = {(s, p, o) for s, p, o, _g in built.quads()}
    for name, fmt in (("kgraph.ttl", "turtle"), ("kgraph.nt", "nt")):
        assert len(Graph().parse(out / name, format=fmt)) == len(union), name
    ontology = Graph().parse(out / "ontology.ttl", format="turtle")
    assert ontology.isomorphic(Graph().parse(out / "ontology.owl", format="xml"))
    assert ontology.isomorphic(built.graph(URIRef("https://w3id.org/kgraph/graph/ontology")))
    sums = dict(reversed(line.split("  ")) for line in
                (out / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == names - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


def test_merged_owl_imports_the_ontology_and_declares_what_it_uses(kgraph, mini_root,
                                                                    tmp_path) -> None:
    out = tmp_path / "release"
    assert kgraph("--root", mini_root, "export", "--out", out).code == 0
    merged = Graph().parse(out / "kgraph-merged.owl", format="xml")
    owl = "http://www.w3.org/2002/07/owl#"
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert (URIRef(export.MERGED_IRI), URIRef(owl + "imports"),
            URIRef("https://w3id.org/kgraph/ontology")) in merged
    # prov:wasDerivedFrom and skos matches are used but not declared by the test ontology
    assert (URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), rdf_type,
            URIRef(owl + "ObjectProperty")) in merged
    assert (URIRef(ACME), URIRef("https://w3id.org/kgraph/ontology#locatedIn"),
            URIRef("https://w3id.org/kgraph/id/place/testville")) in merged
    # asserted statements only: the reasoner's output is not in the Protégé file
    assert (URIRef(ACME), rdf_type, URIRef("https://w3id.org/kgraph/ontology#Firm")) \
        not in merged
    catalog = (out / "catalog-v001.xml").read_text()
    assert 'name="https://w3id.org/kgraph/ontology" uri="ontology.owl"' in catalog
    assert 'name="https://w3id.org/kgraph/ontology/1.0.0" uri="ontology.owl"' in catalog


def test_failing_export_leaves_the_target_untouched(kgraph, mini_root, tmp_path,
                                                    monkeypatch) -> None:
    out = tmp_path / "release"
    assert kgraph("--root", mini_root, "export", "--out", out).code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*_args, **_kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(export.void, "write", broken)
    outcome = kgraph("--root", mini_root, "export", "--out", out)
    assert outcome.code == cli.BUG
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".release")] == []
    fresh = tmp_path / "fresh"
    assert kgraph("--root", mini_root, "export", "--out", fresh).code == cli.BUG
    assert not fresh.exists()


def test_export_refuses_a_folder_of_other_files(kgraph, mini_root, tmp_path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    outcome = kgraph("--root", mini_root, "export", "--out", out)
    assert outcome.code == 2
    assert (out / "notes.txt").read_text() == "keep me"


def test_export_needs_out(kgraph, mini_root) -> None:
    assert kgraph("--root", mini_root, "export").code == 2


# --- stats -------------------------------------------------------------------------------

def test_stats_json(kgraph, mini_root) -> None:
    outcome = kgraph("--root", mini_root, "stats", "--format", "json")
    assert outcome.code == 0, outcome.err
    figures = json.loads(outcome.out)
    assert figures["triples"]["inferred"] > 0
    assert figures["triples"]["total"] == sum(
        figures["triples"][k] for k in ("asserted", "inferred", "ontology"))
    classes = {c["class"].rsplit("#", 1)[1]: c["entities"] for c in figures["classes"]}
    assert classes["Firm"] == 1 and classes["Organization"] == 1 and classes["Paragraph"] == 3
    assert figures["observations"]["total"] == 1
    assert figures["links"]["total"] == 3
    targets = {link["target"] for link in figures["links"]["by_target"]}
    assert targets == {"http://www.wikidata.org/", "https://sws.geonames.org/",
                       "http://dbpedia.org/"}
    parts = {p["label"]: p["triples"] for p in figures["coverage"]["parts"]}
    assert parts == {"Paragraph 1": 7, "Paragraph 2": 10, "Paragraph 3": 0, "Table 1": 1}
    assert figures["coverage"]["without_facts"] == ["Paragraph 3"]


def test_stats_text_lists_parts_without_facts(kgraph, mini_root) -> None:
    (mini_root / "data" / "p3.trig").write_text(
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
        "@prefix graph: <https://w3id.org/kgraph/graph/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "graph:paragraph-3 { <https://w3id.org/kgraph/id/program/plan> "
        "kg:statedIn <https://w3id.org/kgraph/id/source/paragraph-3> . }\n")
    outcome = kgraph("--root", mini_root, "stats")
    assert outcome.code == 0, outcome.err
    tail = outcome.out.split("parts without facts:")[1]
    assert tail.startswith(" 0")
    assert "Paragraph 3" not in tail


# --- settings, usage, serve ----------------------------------------------------------------

def test_settings_lists_every_registry_setting(kgraph) -> None:
    from kgraph.settings import REGISTRY

    outcome = kgraph("settings", "--port", "9999")
    assert outcome.code == 0
    for setting in REGISTRY:
        assert setting.env_var in outcome.out
    port_line = next(line for line in outcome.out.splitlines() if line.startswith("--port "))
    assert "9999" in port_line


def test_every_registry_setting_is_a_flag() -> None:
    from kgraph.settings import REGISTRY

    help_text = cli.build_parser().format_help()
    for setting in REGISTRY:
        assert "--" + setting.name.replace("_", "-") in help_text


def test_bad_setting_value_is_a_usage_error(kgraph) -> None:
    assert kgraph("--port", "eighty", "settings").code == 2


def test_bad_environment_value_exits_2(kgraph, monkeypatch) -> None:
    monkeypatch.setenv("KGRAPH_MAX_ROWS", "many")
    outcome = kgraph("settings")
    assert outcome.code == 2
    assert "KGRAPH_MAX_ROWS" in outcome.err


def test_no_verb_is_a_usage_error(kgraph) -> None:
    assert kgraph().code == 2


def test_unexpected_error_is_a_bug_with_traceback(kgraph, mini_root, monkeypatch) -> None:
    import kgraph.build as build_module

    def crash(*_args, **_kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(build_module, "build", crash)
    outcome = kgraph("--root", mini_root, "build")
    assert outcome.code == cli.BUG
    assert "Traceback" in outcome.err and "ZeroDivisionError" in outcome.err


def test_serve_get_answers_without_a_port(kgraph, mini_root) -> None:
    pytest.importorskip("kgraph.web.app", reason="the web app is not part of this tree yet")
    outcome = kgraph("--root", mini_root, "serve", "--get",
                     "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D")
    assert outcome.code == 0, outcome.err
    assert "true" in outcome.out
    missing = kgraph("--root", mini_root, "serve", "--get", "/no/such/page")
    assert missing.code == 2


def test_bad_log_level_exits_2(kgraph) -> None:
    outcome = kgraph("--log-level", "LOUD", "settings")
    assert outcome.code == 2
    assert "LOUD" in outcome.err


def test_serve_hands_the_resolved_settings_to_the_server(kgraph, mini_root,
                                                         monkeypatch) -> None:
    import kgraph.web.serve as web_serve

    seen = {}
    monkeypatch.setattr(web_serve, "serve", lambda settings, *a, **k: seen.update(
        host=settings.host, port=settings.port, root=settings.root))
    outcome = kgraph("--root", mini_root, "serve", "--host", "127.0.0.2", "--port", "8123")
    assert outcome.code == 0
    assert seen == {"host": "127.0.0.2", "port": 8123, "root": str(mini_root)}


def test_failed_query_writes_no_out_file(kgraph, mini_root, tmp_path) -> None:
    out = tmp_path / "answer.json"
    assert kgraph("--root", mini_root, "query", "SELECT", "--out", out).code == 2
    assert not out.exists()


def test_merged_owl_is_read_as_owl_with_typed_property_assertions(kgraph, mini_root,
                                                                   tmp_path) -> None:
    pyhornedowl = pytest.importorskip("pyhornedowl")
    out = tmp_path / "release"
    assert kgraph("--root", mini_root, "export", "--out", out).code == 0
    merged = pyhornedowl.open_ontology(str(out / "kgraph-merged.owl"), "rdf")
    kinds: dict[str, set[str]] = {}
    for axiom in merged.get_axioms():
        component = axiom.component
        name = type(component).__name__
        if name == "DataPropertyAssertion":
            kinds.setdefault(name, set()).add(str(component.dp))
        elif name == "ObjectPropertyAssertion":
            kinds.setdefault(name, set()).add(str(component.ope))
    kg = "https://w3id.org/kgraph/ontology#"
    assert {kg + "value", kg + "paragraphNumber"} <= kinds["DataPropertyAssertion"]
    assert {kg + "locatedIn", kg + "statedIn", kg + "hasComponent"} <= \
        kinds["ObjectPropertyAssertion"]
    declared = {str(a.component.first) for a in merged.get_axioms()
                if type(a.component).__name__ == "DeclareDatatype"}
    assert declared == {"http://www.opengis.net/ont/geosparql#wktLiteral"}
    ontology = pyhornedowl.open_ontology(str(out / "ontology.owl"), "rdf")
    assert kg + "LargeFirm" in ontology.get_classes()


@pytest.mark.parametrize(("name", "query", "check"), [
    ("firms.csv", FIRMS, lambda text: text.splitlines() == ["firm", ACME]),
    ("firms.srj", FIRMS, lambda text: json.loads(text)["head"]["vars"] == ["firm"]),
    ("places.nt", PLACES, lambda text: len(Graph().parse(data=text, format="nt")) == 6),
    ("places.rq.ttl", PLACES, lambda text: len(Graph().parse(data=text, format="turtle")) == 6),
])
def test_out_suffix_picks_the_format(kgraph, mini_root, tmp_path, name, query, check) -> None:
    out = tmp_path / name
    assert kgraph("--root", mini_root, "query", query, "--out", out).code == 0
    assert check(out.read_text())


def test_unwritable_export_target_exits_2(kgraph, mini_root, tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    outcome = kgraph("--root", mini_root, "export", "--out", blocker / "release")
    assert outcome.code == 2
    assert "a-file" in outcome.err and "Traceback" not in outcome.err


def test_unwritable_cache_exits_2(capsys, mini_root, tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code = cli.main(["--root", str(mini_root), "--cache-dir", str(blocker / "cache"), "build"])
    assert code == 2
    assert "cache" in capsys.readouterr().err


def test_query_from_stdin(kgraph, mini_root, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(FIRMS))
    outcome = kgraph("--root", mini_root, "query", "-", "--format", "csv")
    assert outcome.code == 0, outcome.err
    assert outcome.out.splitlines() == ["firm", ACME]


def test_stats_on_broken_sources_exits_2(kgraph, mini_root) -> None:
    (mini_root / "data" / "broken.trig").write_text("graph:x {\n")
    outcome = kgraph("--root", mini_root, "stats")
    assert outcome.code == 2
    assert "data/broken.trig:1" in outcome.err


def test_stats_on_non_conforming_data_exits_1(kgraph, mini_root) -> None:
    (mini_root / "data" / "nameless.trig").write_text(NAMELESS_FIRM)
    assert kgraph("--root", mini_root, "stats").code == 1


def test_serve_get_needs_an_absolute_path(kgraph, mini_root) -> None:
    pytest.importorskip("kgraph.web.app", reason="the web app is not part of this tree yet")
    outcome = kgraph("--root", mini_root, "serve", "--get", "sparql")
    assert outcome.code == 2
    assert "must start with '/'" in outcome.err
