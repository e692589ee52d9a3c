"""build: cached N-Quads with provenance graphs, reused while the sources are unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, URIRef

from kgraph import build, reason, store
from kgraph.errors import NonConformingError, ParseError
from kgraph.namespaces import INFERRED_GRAPH, KG, ONTOLOGY_GRAPH

#: rdflib warns about its own deprecated internals while parsing test output.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

ACME = URIRef("https://w3id.org/kgraph/id/organization/acme")
P1 = URIRef("https://w3id.org/kgraph/graph/paragraph-1")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def cached_dataset(path: Path) -> Dataset:
    ds = Dataset()
    ds.parse(path, format="nquads")
    return ds


def test_build_writes_graphs_with_provenance(mini_settings) -> None:
    result = build.build(mini_settings)
    assert not result.reused
    ds = cached_dataset(result.graph_path)
    assert (ACME, RDF_TYPE, KG.LargeFirm) in ds.graph(P1)
    assert (ACME, RDF_TYPE, KG.Firm) in ds.graph(INFERRED_GRAPH)
    assert (ACME, RDF_TYPE, KG.Firm) not in ds.graph(P1)
    assert (KG.Firm, None, None) in ds.graph(ONTOLOGY_GRAPH)
    # source.trig's default graph stays the default graph
    assert (URIRef("https://w3id.org/kgraph/id/source/paragraph-3"), None, None) in \
        ds.default_graph
    counts = result.manifest["counts"]
    assert counts["inferred_triples"] == len(ds.graph(INFERRED_GRAPH))
    assert counts["ontology_triples"] == len(ds.graph(ONTOLOGY_GRAPH))
    assert counts["quads"] == sum(1 for _ in ds.quads())


def test_second_build_reuses_the_cache_without_reasoning(mini_settings, monkeypatch) -> None:
    first = build.build(mini_settings)
    stamp = first.graph_path.stat().st_mtime_ns

    def refuse(*_args, **_kwargs):
        raise AssertionError("reasoned again")

    monkeypatch.setattr(reason, "infer", refuse)
    second = build.build(mini_settings)
    assert second.reused
    assert second.directory == first.directory
    assert second.manifest["built_at"] == first.manifest["built_at"]
    assert second.graph_path.stat().st_mtime_ns == stamp


def test_force_and_changed_sources_rebuild(mini_settings, mini_root) -> None:
    first = build.build(mini_settings)
    assert not build.build(mini_settings, force=True).reused
    path = mini_root / "data" / "facts.trig"
    path.write_text(path.read_text().replace("Acme Electronics", "Acme Electronics Co."))
    changed = build.build(mini_settings)
    assert not changed.reused
    assert changed.fingerprint != first.fingerprint


def test_non_conforming_data_raises_and_caches_nothing(mini_settings, mini_root,
                                                        cache) -> None:
    (mini_root / "data" / "unlabelled.trig").write_text(
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
        "@prefix graph: <https://w3id.org/kgraph/graph/> .\n"
        "graph:paragraph-2 { <https://w3id.org/kgraph/id/organization/nameless> a kg:Firm . }\n")
    with pytest.raises(NonConformingError) as caught:
        build.build(mini_settings)
    assert not caught.value.report.conforms
    assert "nameless" in caught.value.report.to_text()
    assert not cache.exists() or not any(cache.iterdir())


def test_syntax_error_caches_nothing(mini_settings, mini_root, cache) -> None:
    (mini_root / "data" / "zz.trig").write_text("this is not trig\n")
    with pytest.raises(ParseError):
        build.build(mini_settings)
    assert not cache.exists() or not any(cache.iterdir())


def test_damaged_cache_without_manifest_is_rebuilt(mini_settings) -> None:
    first = build.build(mini_settings)
    first.manifest_path.unlink()
    again = build.build(mini_settings)
    assert not again.reused
    assert json.loads(again.manifest_path.read_text())["fingerprint"] == first.fingerprint


def test_open_store_holds_every_quad_of_the_build(mini_settings) -> None:
    result = build.build(mini_settings)
    st = store.open_store(mini_settings)
    assert len(st) == result.manifest["counts"]["quads"]
    firm = ox.NamedNode(str(KG.Firm))
    acme = ox.NamedNode(str(ACME))
    assert list(st.quads_for_pattern(acme, ox.NamedNode(str(RDF_TYPE)), firm,
                                     ox.NamedNode(str(INFERRED_GRAPH))))
