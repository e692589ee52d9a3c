"""The serialization formats kgraph speaks, in one registry shared by the CLI and the server.

Each :class:`Format` names the short name used on the command line and in ``?format=``,
its media types (the first is the one to send), a file suffix, the pyoxigraph format
that writes it, the rdflib plugin name (for exports) and which query results it fits:
``"results"`` (SELECT/ASK solutions) or ``"graph"`` (CONSTRUCT/DESCRIBE triples, dumps).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat

from .errors import InputError

RESULTS = "results"
GRAPH = "graph"


@dataclass(frozen=True)
class Format:
    """One serialization format."""

    name: str
    label: str
    kind: str
    media_types: tuple[str, ...]
    suffix: str
    oxigraph: RdfFormat | QueryResultsFormat
    rdflib: str | None = None
    datasets: bool = False

    @property
    def media_type(self) -> str:
        """The media type to send (first of :attr:`media_types`)."""
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        """``Content-Type`` header value, with the charset every format here uses."""
        return f"{self.media_type}; charset=utf-8"


FORMATS: tuple[Format, ...] = (
    Format("json", "SPARQL JSON", RESULTS,
           ("application/sparql-results+json", "application/json"), ".srj",
           QueryResultsFormat.JSON),
    Format("xml", "SPARQL XML", RESULTS,
           ("application/sparql-results+xml", "application/xml", "text/xml"), ".srx",
           QueryResultsFormat.XML),
    Format("csv", "CSV", RESULTS, ("text/csv",), ".csv", QueryResultsFormat.CSV),
    Format("tsv", "TSV", RESULTS, ("text/tab-separated-values",), ".tsv",
           QueryResultsFormat.TSV),
    Format("turtle", "Turtle", GRAPH, ("text/turtle", "application/x-turtle"), ".ttl",
           RdfFormat.TURTLE, "turtle"),
    Format("ntriples", "N-Triples", GRAPH, ("application/n-triples",), ".nt",
           RdfFormat.N_TRIPLES, "nt"),
    Format("jsonld", "JSON-LD", GRAPH, ("application/ld+json",), ".jsonld",
           RdfFormat.JSON_LD, "json-ld", datasets=True),
    Format("rdfxml", "RDF/XML", GRAPH, ("application/rdf+xml",), ".rdf",
           RdfFormat.RDF_XML, "xml"),
    Format("trig", "TriG", GRAPH, ("application/trig",), ".trig", RdfFormat.TRIG, "trig",
           datasets=True),
    Format("nquads", "N-Quads", GRAPH, ("application/n-quads",), ".nq", RdfFormat.N_QUADS,
           "nquads", datasets=True),
)

BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
BY_MEDIA_TYPE: dict[str, Format] = {m: f for f in FORMATS for m in f.media_types}


def names(kind: str | None = None) -> list[str]:
    """Short names, optionally only those of one kind."""
    return [f.name for f in FORMATS if kind is None or f.kind == kind]


def by_name(name: str, kind: str | None = None) -> Format:
    """Look a format up by short name; a wrong name or kind is an input error."""
    fmt = BY_NAME.get(name.lower())
    if fmt is None:
        raise InputError(f"unknown format {name!r}; choose one of {', '.join(names(kind))}")
    if kind is not None and fmt.kind != kind:
        what = "SELECT/ASK results" if kind == RESULTS else "CONSTRUCT/DESCRIBE results"
        raise InputError(f"format {name!r} cannot hold {what}; "
                         f"choose one of {', '.join(names(kind))}")
    return fmt


def by_suffix(suffix: str, kind: str | None = None) -> Format | None:
    """The format written to files ending in ``suffix`` (e.g. ".csv"), or None."""
    suffix = suffix.lower()
    extra = {".json": "json", ".xml": "xml", ".n3": None, ".owl": "rdfxml"}
    name = extra.get(suffix) or next((f.name for f in FORMATS if f.suffix == suffix), None)
    fmt = BY_NAME.get(name) if name else None
    return fmt if fmt is not None and (kind is None or fmt.kind == kind) else None


def by_media_type(media_type: str) -> Format | None:
    """The format of a media type (parameters such as charset ignored), or None."""
    return BY_MEDIA_TYPE.get(media_type.split(";", 1)[0].strip().lower())


def accept_ranges(accept: str) -> list[tuple[str, float, int]]:
    """``(media range, q, position)`` for each item of an HTTP ``Accept`` header."""
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


def negotiate(accept: str | None, kind: str,
              extra_media: Mapping[str, str] | None = None) -> Format | None:
    """Best format of ``kind`` for an HTTP ``Accept`` header; None means 406.

    An empty header gets the first format of the kind. ``extra_media`` maps further media
    types to format names (aliases clients send). The q-value of the most specific range
    that matches a format is its q (so ``text/csv;q=0, */*`` excludes CSV; among equally
    specific ranges, such as two media types of one format, the highest q counts); highest
    q wins, then the more specific range, then the client's order, then ours.
    """
    offered = [f for f in FORMATS if f.kind == kind]
    if not accept or not accept.strip():
        return offered[0]
    aliases = extra_media or {}
    ranges = accept_ranges(accept)
    best_key: tuple[float, int, int, int] | None = None
    best: Format | None = None
    for order, fmt in enumerate(offered):
        media_types = fmt.media_types + tuple(m for m, n in aliases.items() if n == fmt.name)
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
