"""The format registry and content negotiation shared by the CLI and the server."""

from __future__ import annotations

import pytest

from kgraph import formats
from kgraph.errors import InputError


def test_every_format_has_a_unique_name_suffix_and_media_types() -> None:
    assert len({f.name for f in formats.FORMATS}) == len(formats.FORMATS)
    assert len({f.suffix for f in formats.FORMATS}) == len(formats.FORMATS)
    media = [m for f in formats.FORMATS for m in f.media_types]
    assert len(media) == len(set(media))


def test_lookup_by_name_checks_the_kind() -> None:
    assert formats.by_name("TURTLE").media_type == "text/turtle"
    with pytest.raises(InputError, match="json, xml, csv, tsv"):
        formats.by_name("turtle", formats.RESULTS)
    with pytest.raises(InputError, match="unknown format"):
        formats.by_name("yaml")


def test_lookup_by_media_type_ignores_parameters() -> None:
    assert formats.by_media_type("application/n-quads; charset=utf-8").name == "nquads"
    assert formats.by_media_type("image/png") is None


@pytest.mark.parametrize(("accept", "kind", "expected"), [
    (None, formats.RESULTS, "json"),
    ("", formats.GRAPH, "turtle"),
    ("*/*", formats.GRAPH, "turtle"),
    ("text/csv", formats.RESULTS, "csv"),
    ("application/sparql-results+xml;q=0.5, text/tab-separated-values", formats.RESULTS,
     "tsv"),
    ("text/html, application/ld+json;q=0.9, */*;q=0.1", formats.GRAPH, "jsonld"),
    ("application/*", formats.GRAPH, "ntriples"),
    ("text/turtle;q=0, application/rdf+xml", formats.GRAPH, "rdfxml"),
    ("text/html", formats.RESULTS, None),
    ("text/turtle", formats.RESULTS, None),
])
def test_negotiate(accept, kind, expected) -> None:
    chosen = formats.negotiate(accept, kind)
    assert (chosen.name if chosen else None) == expected
