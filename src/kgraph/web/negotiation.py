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


def _offered(kind: str) -> list[tuple[Format, tuple[str, ...]]]:
    """Formats of ``kind`` in server preference order, each with every media type it answers."""
    extra = _EXTRA_MEDIA[kind]
    return [(f, f.media_types + tuple(m for m, n in extra.items() if n == f.name))
            for f in formats.FORMATS if f.kind == kind]


_OFFERED = {kind: _offered(kind) for kind in (RESULTS, GRAPH)}


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    """``(media range, q, position)`` for each item of an Accept header."""
    out = []
    for position, item in enumerate(accept.split(",")):
        media, *params = item.split(";")
        media = media.strip().lower()
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((media, q, position))
    return out


def _match(media_range: str, media_types: tuple[str, ...]) -> int:
    """Specificity of the match of a range against a format (-1: no match)."""
    if media_range in media_types:
        return 2
    if media_range == "*/*":
        return 0
    if media_range.endswith("/*") and media_types[0].startswith(media_range[:-1]):
        return 1
    return -1


@lru_cache(maxsize=1024)
def from_accept(accept: str, kind: str) -> Format | None:
    """Best format of ``kind`` for an Accept header; None means 406.

    The q-value of the most specific range that matches a format is its q (so
    ``text/csv;q=0, */*`` excludes CSV; among equally specific ranges, such as two media
    types of one format, the highest q counts); highest q wins, then the more specific
    range, then the client's order, then ours.
    """
    if not accept.strip():
        return formats.BY_NAME[DEFAULT[kind]]
    ranges = _ranges(accept)
    best_key: tuple[float, int, int, int] | None = None
    best: Format | None = None
    for order, (fmt, media_types) in enumerate(_OFFERED[kind]):
        found: tuple[int, float, int] | None = None
        for media, q, position in ranges:
            spec = _match(media, media_types)
            if spec >= 0 and (found is None or (spec, q) > found[:2]):
                found = (spec, q, position)
        if found is None or found[1] <= 0:
            continue
        key = (found[1], found[0], -found[2], -order)
        if best_key is None or key > best_key:
            best_key, best = key, fmt
    return best


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
    for media, q, position in _ranges(accept):
        if media in ("text/html", "application/xhtml+xml") and q > html:
            html, html_pos = q, position
        elif media in ("application/json", "application/problem+json") and q > json:
            json, json_pos = q, position
    return html > json or (html == json and html > 0 and html_pos < json_pos)
