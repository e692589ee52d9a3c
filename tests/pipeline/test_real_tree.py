"""Smoke test: the repository's own ontology, data and shapes build, query and export."""

from __future__ import annotations

import json

import pytest

#: rdflib warns about its own deprecated internals while parsing test output.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def test_the_repository_tree_builds_and_answers(kgraph, repo_root, tmp_path) -> None:
    built = kgraph("--root", repo_root, "build")
    assert built.code == 0, built.err[-3000:]
    answer = kgraph("--root", repo_root, "query",
                    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert answer.code == 0
    assert int(json.loads(answer.out)["results"]["bindings"][0]["n"]["value"]) > 0
    stats = kgraph("--root", repo_root, "stats", "--format", "json")
    assert stats.code == 0
    figures = json.loads(stats.out)
    assert figures["triples"]["asserted"] > 0 and figures["triples"]["inferred"] > 0
    paragraphs = [p for p in figures["coverage"]["parts"] if p["kind"] == "Paragraph"]
    assert [p["number"] for p in paragraphs] == list(range(1, 47))
    assert kgraph("--root", repo_root, "export", "--out", tmp_path / "release").code == 0


def test_stats_report_link_coverage_per_class(kgraph, repo_root) -> None:
    """Every province-level unit is linked, and most places and universities are."""
    stats = kgraph("--root", repo_root, "stats", "--format", "json")
    assert stats.code == 0, stats.err[-2000:]
    rows = {row["class"].rsplit("#", 1)[1]: row
            for row in json.loads(stats.out)["links"]["coverage_by_class"]}
    for name in ("Province", "MetropolitanCity", "SpecialCity", "Country"):
        assert rows[name]["linked"] == rows[name]["entities"] > 0, rows[name]
    for name in ("City", "University"):
        assert rows[name]["linked"] * 2 > rows[name]["entities"], rows[name]
    assert all(0 <= row["linked"] <= row["entities"] for row in rows.values())
    assert "entities with at least one external link" in kgraph("--root", repo_root, "stats").out
