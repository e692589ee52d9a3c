"""Choosing a response format from ``Accept`` or ``?format=``, cheaply.

The format registry is :mod:`kgraph.formats`; this module adds the extra names and media
types that SPARQL clients send (SPARQLWrapper's ``format=xml`` means SPARQL XML for
SELECT but RDF/XML for CONSTRUCT) and caches every decision, because the same few
``Accept`` headers arrive again and again.
"""

from __future__ import annotations

from functools import lru_cache

from .. import formats
from ..formats import GRAPH, RESULTS, Format

#: Extra ``Accept`` media types, per kind, beyond the registry's own.
_EXTRA_MEDIA: dict[str, dict[str, str]] = {
    RESULTS: {"application/json": "json", "text/javascript": "json",
              "application/javascript": "json", "text/xml": "xml"},
    GRAPH: {"application/json": "jsonld", "application/x-json+ld": "jsonld",
            "application/xml": "rdfxml", "text/xml": "rdfxml", "application/turtle": "turtle",
            "text/n3": "turtle", "text/rdf+n3": "turtle", "application/n3": "turtle",
            "text/plain": "ntriples", "text/x-nquads": "nquads"},
}

#: Extra ``?format=`` values, per kind (short names and media types also work).
_EXTRA_NAMES: dict[str, dict[str, str]] = {
    RESULTS: {"srj": "json", "srx": "xml", "sparql-results+json": "json",
              "sparql-results+xml": "xml"},
    GRAPH: {"ttl": "turtle", "n3": "turtle", "nt": "ntriples", "n-triples": "ntriples",
            "json-ld": "jsonld", "json": "jsonld", "rdf": "rdfxml", "rdf+xml": "rdfxml",
            "xml": "rdfxml", "nq": "nquads", "n-quads": "nquads"},
}

DEFAULT: dict[str, str] = {RESULTS: "json", GRAPH: "turtle"}


@lru_cache(maxsize=1024)
def from_accept(accept: str, kind: str) -> Format | None:
    """Best format of ``kind`` for an Accept header (None means 406), with the aliases
    SPARQL clients send; the rules are :func:`kgraph.formats.negotiate`'s."""
    if not accept.strip():
        return formats.BY_NAME[DEFAULT[kind]]
    return formats.negotiate(accept, kind, _EXTRA_MEDIA[kind])


@lru_cache(maxsize=256)
def from_name(values: tuple[str, ...], kind: str) -> Format | None:
    """The first ``?format=`` value that names a format of ``kind`` (None: none does)."""
    for value in values:
        key = value.strip().lower()
        name = _EXTRA_NAMES[kind].get(key) or _EXTRA_MEDIA[kind].get(key)
        fmt = formats.BY_NAME.get(name or key) or formats.by_media_type(key)
        if fmt is not None and fmt.kind == kind:
            return fmt
    return None


def choose(format_values: tuple[str, ...], accept: str, kind: str) -> Format | None:
    """``?format=`` wins over Accept; None means nothing acceptable (406)."""
    if format_values:
        return from_name(format_values, kind)
    return from_accept(accept, kind)


def names(kind: str) -> list[str]:
    """Short names of the formats of ``kind``, for messages."""
    return formats.names(kind)


@lru_cache(maxsize=256)
def prefers_html(accept: str) -> bool:
    """Whether a client asks for HTML before JSON (a browser rather than a program)."""
    html = json = 0.0
    html_pos = json_pos = 1 << 30
    for media, q, position in formats.accept_ranges(accept):
        if media in ("text/html", "application/xhtml+xml") and q > html:
            html, html_pos = q, position
        elif media in ("application/json", "application/problem+json") and q > json:
            json, json_pos = q, position
    return html > json or (html == json and html > 0 and html_pos < json_pos)
