"""The serialization formats kgraph speaks, in one registry shared by the CLI and the server.

Each :class:`Format` names the short name used on the command line and in ``?format=``,
its media types (the first is the one to send), a file suffix, the pyoxigraph format
that writes it, the rdflib plugin name (for exports) and which query results it fits:
``"results"`` (SELECT/ASK solutions) or ``"graph"`` (CONSTRUCT/DESCRIBE triples, dumps).
"""

from __future__ import annotations

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


def negotiate(accept: str | None, kind: str) -> Format | None:
    """Best format of ``kind`` for an HTTP ``Accept`` header.

    Returns the first format of the kind when the header is empty or accepts anything,
    and None when nothing acceptable is offered (the caller answers 406).
    """
    offered = [f for f in FORMATS if f.kind == kind]
    if not accept or not accept.strip():
        return offered[0]
    ranges: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((quality, position, media))
    best: tuple[float, int, int, Format] | None = None
    for quality, position, media in ranges:
        if quality <= 0:
            continue
        for order, fmt in enumerate(offered):
            if media in fmt.media_types:
                specificity = 2
            elif media == "*/*" or (media.endswith("/*")
                                    and fmt.media_type.startswith(media[:-1])):
                specificity = 0 if media == "*/*" else 1
            else:
                continue
            # Higher quality wins, then the more specific range, then server order.
            key = (quality, specificity, -position * 100 - order, fmt)
            if best is None or key[:3] > best[:3]:
                best = key
    return None if best is None else best[3]
