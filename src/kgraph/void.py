"""VoID + DCAT description of the dataset, counted from the store at build or serve time.

Used by the server (/.well-known/void) and by `kgraph export` (void.ttl beside the dumps),
so both describe the same figures. Nothing here is hard-coded but the vocabulary: the
counts, the linksets' sizes and the dump checksums all come from the store or the files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import __version__, resources
from .settings import Settings

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
SD = "http://www.w3.org/ns/sparql-service-description#"
SPDX = "http://spdx.org/rdf/terms#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

PREFIXES = {
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "void": VOID, "dcat": DCAT, "dcterms": DCTERMS,
    "foaf": FOAF, "sd": SD, "spdx": SPDX, "owl": OWL, "skos": SKOS,
}

#: Default licence of the data (the package is published under CC BY 4.0).
LICENSE = "http://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Target:
    """A dataset we link to: name (IRI fragment), title, home page, IRI prefix of its items."""

    name: str
    title: str
    homepage: str
    prefix: str


TARGETS: tuple[Target, ...] = (
    Target("wikidata", "Wikidata", "https://www.wikidata.org/",
           "http://www.wikidata.org/entity/"),
    Target("dbpedia", "DBpedia", "https://www.dbpedia.org/", "http://dbpedia.org/resource/"),
    Target("geonames", "GeoNames", "https://www.geonames.org/", "https://sws.geonames.org/"),
)


@dataclass(frozen=True)
class Dump:
    """A downloadable file: its name in the dump folder, media type, size and SHA-256."""

    name: str
    media_type: str
    size: int
    sha256: str
    title: str = ""


def dataset_iri(settings: Settings) -> str:
    return settings.base_iri + "dataset"


def links_graph(settings: Settings) -> str:
    return settings.base_iri + "graph/links"


def _query(settings: Settings, name: str) -> str:
    path = resources.default_root() / "queries" / "ld" / f"{name}.rq"
    return path.read_text(encoding="utf-8")


def select(store: ox.Store, settings: Settings, name: str,
           union: bool = True, **bindings: ox.NamedNode | ox.Literal) -> list[ox.QuerySolution]:
    """Run queries/ld/<name>.rq with values bound to its variables."""
    subs = {ox.Variable(k): v for k, v in bindings.items()}
    return list(store.query(_query(settings, name), use_default_graph_as_union=union,
                            substitutions=subs))


def _int(term: ox.Literal | None) -> int:
    return int(term.value) if term is not None else 0


class _Builder:
    """Collects triples with terse helpers."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, s: str | ox.BlankNode, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode
            | str) -> None:
        subj = s if isinstance(s, ox.BlankNode) else ox.NamedNode(s)
        obj = ox.NamedNode(o) if isinstance(o, str) else o
        self.triples.append(ox.Triple(subj, ox.NamedNode(p), obj))

    def lit(self, s: str | ox.BlankNode, p: str, value: object, datatype: str | None = None,
            language: str | None = None) -> None:
        if language:
            obj = ox.Literal(str(value), language=language)
        elif datatype:
            obj = ox.Literal(str(value), datatype=ox.NamedNode(datatype))
        elif isinstance(value, bool):
            obj = ox.Literal(str(value).lower(), datatype=ox.NamedNode(XSD + "boolean"))
        elif isinstance(value, int):
            obj = ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
        else:
            obj = ox.Literal(str(value))
        self.add(s, p, obj)


def describe(store: ox.Store, settings: Settings, public_base: str | None = None,
             dumps: Sequence[Dump] = (), generated: dt.datetime | None = None) -> list[ox.Triple]:
    """The VoID/DCAT triples for the dataset held in ``store``.

    ``public_base`` is where the service answers (the SPARQL endpoint and dump URLs hang
    under it); it defaults to the configured base IRI.
    """
    base = settings.base_iri
    public = public_base or base
    ds = dataset_iri(settings)
    b = _Builder()
    b.add(ds, RDF + "type", VOID + "Dataset")
    b.add(ds, RDF + "type", DCAT + "Dataset")
    b.lit(ds, DCTERMS + "title",
          "kgraph: Korea's innovation-driven industrial cluster policy", language="en")
    b.lit(ds, DCTERMS + "description",
          "A knowledge graph of the actors, programs, places, industrial complexes and "
          "statistics of Korean cluster policy, each statement tied to the paragraph of the "
          "source paper that states it.", language="en")
    b.add(ds, DCTERMS + "source", base + "id/publication/park-koo-2013")
    b.add(ds, VOID + "uriSpace", ox.Literal(base + "id/"))
    b.add(ds, VOID + "uriRegexPattern", ox.Literal("^" + base.replace(".", r"\.") + "id/"))
    b.add(ds, VOID + "vocabulary", base + "ontology")
    b.add(ds, VOID + "sparqlEndpoint", public + "sparql")
    b.add(ds, VOID + "rootResource", base + "id/publication/park-koo-2013")
    b.add(ds, FOAF + "homepage", public)
    for fmt in ("text/turtle", "application/n-triples", "application/ld+json",
                "application/rdf+xml", "application/trig"):
        b.add(ds, VOID + "feature", _FEATURES.get(fmt, ox.Literal(fmt)))
    _header(b, store, settings, ds, generated)
    _totals(b, store, settings, ds)
    _partitions(b, store, settings, ds)
    _linksets(b, store, settings, ds)
    _service(b, ds, public)
    _dumps(b, ds, public, dumps)
    return b.triples


_FEATURES = {
    "text/turtle": ox.NamedNode("http://www.w3.org/ns/formats/Turtle"),
    "application/n-triples": ox.NamedNode("http://www.w3.org/ns/formats/N-Triples"),
    "application/ld+json": ox.NamedNode("http://www.w3.org/ns/formats/JSON-LD"),
    "application/rdf+xml": ox.NamedNode("http://www.w3.org/ns/formats/RDF_XML"),
    "application/trig": ox.NamedNode("http://www.w3.org/ns/formats/TriG"),
}


def _header(b: _Builder, store: ox.Store, settings: Settings, ds: str,
            generated: dt.datetime | None) -> None:
    """Version, licence and dates: from the ontology header where it states them."""
    onto = ox.NamedNode(settings.base_iri + "ontology")
    stated = {str(r["p"].value): r["o"] for r in select(store, settings, "void-source",
                                                        ontology=onto)}
    version = stated.get(OWL + "versionInfo")
    b.add(ds, OWL + "versionInfo", version if version is not None else ox.Literal(__version__))
    b.lit(ds, DCAT + "version", version.value if version is not None else __version__)
    lic = stated.get(DCTERMS + "license")
    b.add(ds, DCTERMS + "license", lic if isinstance(lic, ox.NamedNode) else ox.NamedNode(LICENSE))
    for key in ("created", "issued"):
        if DCTERMS + key in stated:
            b.add(ds, DCTERMS + key, stated[DCTERMS + key])
    when = (generated or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    b.lit(ds, DCTERMS + "modified", when.isoformat().replace("+00:00", "Z"), XSD + "dateTime")


def _totals(b: _Builder, store: ox.Store, settings: Settings, ds: str) -> None:
    row = select(store, settings, "void-totals",
                 base=ox.Literal(settings.base_iri + "id/"))[0]
    b.lit(ds, VOID + "triples", _int(row["triples"]))
    b.lit(ds, VOID + "entities", _int(row["entities"]))
    b.lit(ds, VOID + "distinctSubjects", _int(row["subjects"]))
    b.lit(ds, VOID + "distinctObjects", _int(row["objects"]))
    b.lit(ds, VOID + "properties", _int(row["properties"]))


def _partitions(b: _Builder, store: ox.Store, settings: Settings, ds: str) -> None:
    classes = select(store, settings, "void-classes")
    b.lit(ds, VOID + "classes", len(classes))
    for row in classes:
        node = ox.BlankNode()
        b.add(ds, VOID + "classPartition", node)
        b.add(node, VOID + "class", row["class"])
        b.lit(node, VOID + "entities", _int(row["entities"]))
    for row in select(store, settings, "void-properties"):
        node = ox.BlankNode()
        b.add(ds, VOID + "propertyPartition", node)
        b.add(node, VOID + "property", row["property"])
        b.lit(node, VOID + "triples", _int(row["triples"]))


def linkset_counts(store: ox.Store, settings: Settings, target: Target) -> dict[str, int]:
    """Links (per linking property IRI) from our resources to ``target`` in graph:links."""
    rows = select(store, settings, "void-linkset", union=False,
                  g=ox.NamedNode(links_graph(settings)),
                  target=ox.Literal(target.prefix), base=ox.Literal(settings.base_iri + "id/"))
    return {str(r["p"].value): _int(r["links"]) for r in rows}


def _linksets(b: _Builder, store: ox.Store, settings: Settings, ds: str) -> None:
    for target in TARGETS:
        counts = linkset_counts(store, settings, target)
        if not counts:
            continue
        other = f"{ds}#{target.name}"
        b.add(other, RDF + "type", VOID + "Dataset")
        b.lit(other, DCTERMS + "title", target.title, language="en")
        b.add(other, FOAF + "homepage", target.homepage)
        b.add(other, VOID + "uriSpace", ox.Literal(target.prefix))
        for predicate, count in sorted(counts.items()):
            local = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            ls = f"{ds}#links-{target.name}-{local}"
            b.add(ds, VOID + "subset", ls)
            b.add(ls, RDF + "type", VOID + "Linkset")
            b.add(ls, VOID + "subjectsTarget", ds)
            b.add(ls, VOID + "objectsTarget", other)
            b.add(ls, VOID + "target", ds)
            b.add(ls, VOID + "target", other)
            b.add(ls, VOID + "linkPredicate", predicate)
            b.lit(ls, VOID + "triples", count)
            b.lit(ls, DCTERMS + "title", f"Links to {target.title} ({local})", language="en")


def _service(b: _Builder, ds: str, public: str) -> None:
    svc = public + "sparql"
    b.add(svc, RDF + "type", SD + "Service")
    b.add(svc, SD + "endpoint", svc)
    b.add(svc, SD + "supportedLanguage", SD + "SPARQL11Query")
    b.add(svc, RDF + "type", DCAT + "DataService")
    b.add(svc, DCAT + "endpointURL", svc)
    b.add(svc, DCAT + "servesDataset", ds)
    b.add(ds, DCAT + "distribution", _distribution_for_service(b, svc))


def _distribution_for_service(b: _Builder, svc: str) -> ox.BlankNode:
    node = ox.BlankNode()
    b.add(node, RDF + "type", DCAT + "Distribution")
    b.add(node, DCAT + "accessService", svc)
    b.add(node, DCAT + "accessURL", svc)
    b.lit(node, DCTERMS + "title", "SPARQL 1.1 endpoint", language="en")
    return node


def _dumps(b: _Builder, ds: str, public: str, dumps: Iterable[Dump]) -> None:
    for dump in dumps:
        url = public + "dumps/" + dump.name
        b.add(ds, VOID + "dataDump", url)
        b.add(ds, DCAT + "distribution", url)
        b.add(url, RDF + "type", DCAT + "Distribution")
        b.add(url, DCAT + "downloadURL", url)
        b.add(url, DCAT + "mediaType",
              ox.NamedNode("https://www.iana.org/assignments/media-types/" + dump.media_type))
        b.lit(url, DCAT + "byteSize", dump.size, XSD + "nonNegativeInteger")
        if dump.title:
            b.lit(url, DCTERMS + "title", dump.title, language="en")
        checksum = ox.BlankNode()
        b.add(url, SPDX + "checksum", checksum)
        b.add(checksum, RDF + "type", SPDX + "Checksum")
        b.add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        b.lit(checksum, SPDX + "checksumValue", dump.sha256, XSD + "hexBinary")


def serialize(triples: Iterable[ox.Triple], fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> bytes:
    """Bytes of the description in ``fmt``, with readable prefixes where the format has them."""
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML):
        return ox.serialize(triples, format=fmt, prefixes=PREFIXES)
    return ox.serialize(triples, format=fmt)


def write(store: ox.Store, settings: Settings, out_dir: Path, dumps: Sequence[Dump] = (),
          name: str = "void.ttl") -> Path:
    """Write the description as Turtle into ``out_dir`` (atomically); return its path."""
    from .atomic import write_bytes

    path = Path(out_dir) / name
    write_bytes(path, serialize(describe(store, settings, dumps=dumps)))
    return path
