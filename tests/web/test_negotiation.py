"""Accept and ?format= decisions, independent of any request."""

from __future__ import annotations

import pytest

from kgraph.formats import GRAPH, RESULTS
from kgraph.web import negotiation


@pytest.mark.parametrize(("accept", "kind", "name"), [
    ("", RESULTS, "json"),
    ("", GRAPH, "turtle"),
    ("*/*", GRAPH, "turtle"),
    ("application/*", GRAPH, "ntriples"),
    ("text/csv;q=0.4, application/sparql-results+xml;q=0.5", RESULTS, "xml"),
    ("application/json", GRAPH, "jsonld"),
    ("application/xml", GRAPH, "rdfxml"),
    ("text/turtle;q=0, */*", GRAPH, "ntriples"),
    ("text/tab-separated-values, text/csv", RESULTS, "tsv"),
    ("TEXT/CSV", RESULTS, "csv"),
])
def test_accept(accept: str, kind: str, name: str) -> None:
    fmt = negotiation.from_accept(accept, kind)
    assert fmt is not None and fmt.name == name


def test_nothing_acceptable() -> None:
    assert negotiation.from_accept("image/png, text/html", RESULTS) is None
    assert negotiation.from_accept("text/csv", GRAPH) is None


@pytest.mark.parametrize(("values", "kind", "name"), [
    (("xml",), RESULTS, "xml"),
    (("xml",), GRAPH, "rdfxml"),
    (("json",), GRAPH, "jsonld"),
    (("tsv", "text/tab-separated-values"), RESULTS, "tsv"),
    (("json-ld",), GRAPH, "jsonld"),
    (("n3",), GRAPH, "turtle"),
    (("text/turtle",), GRAPH, "turtle"),
])
def test_format_names(values: tuple[str, ...], kind: str, name: str) -> None:
    fmt = negotiation.from_name(values, kind)
    assert fmt is not None and fmt.name == name


def test_browser_preference() -> None:
    assert negotiation.prefers_html("text/html,application/xhtml+xml,*/*;q=0.8")
    assert not negotiation.prefers_html("application/json")
    assert not negotiation.prefers_html("*/*")
