"""Release files: the ontology for Protégé, whole-graph dumps, a merged OWL file, checksums.

Everything is written into a temporary folder beside ``out_dir`` and moved into place
only when complete; a failure leaves ``out_dir`` as it was. An existing ``out_dir`` is
replaced only if it is empty or a previous export (it holds ``SHA256SUMS``), so a
mistyped path never wipes unrelated files.

Files (all generated from the cached build):

- ``ontology.ttl``, ``ontology.owl`` (RDF/XML): the ontology alone;
- ``kgraph.trig``, ``kgraph.nq``, ``kgraph.jsonld``: every named graph (one per part of
  the paper, ``graph:links``, ``graph:ontology``, ``graph:inferred``) plus the default
  graph describing them;
- ``kgraph.ttl``, ``kgraph.nt``: the union of all graphs as one flat graph;
- ``kgraph-merged.owl`` (RDF/XML): the asserted data as an OWL ontology that imports the
  ontology and declares every property and class it uses, so Protégé reads the
  property assertions; ``catalog-v001.xml`` resolves the import to ``ontology.owl`` in
  the same folder;
- ``void.ttl``: the VoID/DCAT description, with the dumps' sizes and checksums;
- ``SHA256SUMS``: checksums of all the above, in ``sha256sum -c`` format.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from . import formats, void
from .atomic import atomic_dir
from .errors import InputError
from .namespaces import BASE, INFERRED_GRAPH, ONTOLOGY_GRAPH, ONTOLOGY_IRI, PREFIXES
from .query import select_internal
from .settings import Settings
from .store import open_store

CHECKSUMS = "SHA256SUMS"
CATALOG = "catalog-v001.xml"
MERGED = "kgraph-merged.owl"
#: IRI of the merged data ontology (distinct from the vocabulary's own IRI).
MERGED_IRI = BASE + "data"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"

#: (file name, format short name, title) of the whole-graph dumps.
DUMPS: tuple[tuple[str, str, str], ...] = (
    ("kgraph.trig", "trig", "All named graphs (TriG)"),
    ("kgraph.nq", "nquads", "All named graphs (N-Quads)"),
    ("kgraph.jsonld", "jsonld", "All named graphs (JSON-LD)"),
    ("kgraph.ttl", "turtle", "Union of all graphs (Turtle)"),
    ("kgraph.nt", "ntriples", "Union of all graphs (N-Triples)"),
)

_ONTO = ox.NamedNode(str(ONTOLOGY_GRAPH))
_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))


def _iri(text: str) -> ox.NamedNode:
    return ox.NamedNode(text)


def _serialize(items: Iterable[ox.Triple] | Iterable[ox.Quad], fmt: formats.Format) -> bytes:
    """pyoxigraph writer, with readable prefixes where the format has them."""
    if fmt.name in ("turtle", "trig", "rdfxml"):
        return ox.serialize(items, format=fmt.oxigraph, prefixes=PREFIXES)
    return ox.serialize(items, format=fmt.oxigraph)


def _union(store: ox.Store) -> list[ox.Triple]:
    """Every distinct triple of every graph."""
    return list(dict.fromkeys(q.triple for q in store))


def ontology_triples(store: ox.Store) -> list[ox.Triple]:
    return [q.triple for q in store.quads_for_pattern(None, None, None, _ONTO)]


def asserted_triples(store: ox.Store) -> list[ox.Triple]:
    """The data as written: default graph and named graphs, minus ontology and inferred."""
    skip = {_ONTO, _INFERRED}
    return list(dict.fromkeys(q.triple for q in store if q.graph_name not in skip))


def merged_triples(store: ox.Store) -> list[ox.Triple]:
    """The asserted data as an OWL ontology importing the vocabulary, with declarations.

    Every property, class and non-XSD datatype the data uses is declared (properties as
    the ontology declares them, or by the shape of their values when it does not), so
    the file is read correctly even by a tool that does not follow the import.
    """
    header = _iri(MERGED_IRI)
    triples = [
        ox.Triple(header, _iri(RDF + "type"), _iri(OWL + "Ontology")),
        ox.Triple(header, _iri(OWL + "imports"), _iri(str(ONTOLOGY_IRI))),
        ox.Triple(header, _iri(RDFS + "label"),
                  ox.Literal("kgraph data (asserted statements)", language="en")),
    ]
    for row in select_internal(store, "export-properties", union=False):
        if row["kind"] is not None:
            kind = str(row["kind"].value)
        elif int(row["resources"].value) and not int(row["literals"].value):
            kind = OWL + "ObjectProperty"
        else:  # literal values (labels, titles ...) or a mix: annotations in OWL 2 DL
            kind = OWL + "AnnotationProperty"
        triples.append(ox.Triple(row["p"], _iri(RDF + "type"), _iri(kind)))
    for row in select_internal(store, "export-classes", union=False):
        triples.append(ox.Triple(row["class"], _iri(RDF + "type"), _iri(OWL + "Class")))
    for row in select_internal(store, "export-datatypes", union=False):
        triples.append(ox.Triple(row["datatype"], _iri(RDF + "type"),
                                 _iri(RDFS + "Datatype")))
    return triples + asserted_triples(store)


def catalog_xml(names: Iterable[str], ontology_file: str) -> str:
    """An XML catalog (Protégé's catalog-v001.xml) mapping each IRI onto the local file."""
    entries = "\n".join(
        f'        <uri id="kgraph-{i}" name={quoteattr(name)} uri={quoteattr(ontology_file)}/>'
        for i, name in enumerate(dict.fromkeys(names)))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
            '    <group id="kgraph" prefer="public" xml:base="">\n'
            f"{entries}\n"
            "    </group>\n"
            "</catalog>\n")


def _version_iris(store: ox.Store) -> list[str]:
    return [str(q.object.value) for q in store.quads_for_pattern(
        _iri(str(ONTOLOGY_IRI)), _iri(OWL + "versionIRI"), None, _ONTO)]


def _checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_target(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / CHECKSUMS).is_file():
        raise InputError(f"{out_dir}: folder is not empty and holds no previous export "
                         f"({CHECKSUMS}); choose an empty or new folder")


def write_release(store: ox.Store, settings: Settings, folder: Path) -> list[Path]:
    """Write every release file into ``folder`` (already existing and empty)."""
    written: list[Path] = []

    def put(name: str, data: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        written.append(path)
        return path

    onto = ontology_triples(store)
    put("ontology.ttl", _serialize(onto, formats.BY_NAME["turtle"]))
    put("ontology.owl", _serialize(onto, formats.BY_NAME["rdfxml"]))
    dumps: list[void.Dump] = []
    union = _union(store)
    for name, fmt_name, title in DUMPS:
        fmt = formats.BY_NAME[fmt_name]
        data = _serialize(store, fmt) if fmt.datasets else _serialize(union, fmt)
        path = put(name, data)
        dumps.append(void.Dump(name, fmt.media_type, len(data), _checksum(path), title))
    put(MERGED, _serialize(merged_triples(store), formats.BY_NAME["rdfxml"]))
    names = [str(ONTOLOGY_IRI), *_version_iris(store)]
    put(CATALOG, catalog_xml(names, "ontology.owl").encode("utf-8"))
    written.append(void.write(store, settings, folder, dumps))
    sums = "".join(f"{_checksum(p)}  {p.name}\n" for p in sorted(written))
    put(CHECKSUMS, sums.encode("utf-8"))
    return written


def export(settings: Settings, out_dir: Path | str) -> list[Path]:
    """Build if needed, then write the release files into ``out_dir`` all at once."""
    out_dir = Path(out_dir).expanduser().resolve()
    _check_target(out_dir)
    store = open_store(settings)
    try:
        with atomic_dir(out_dir) as tmp:
            names = [p.name for p in write_release(store, settings, tmp)]
    except OSError as exc:
        raise InputError(f"{out_dir}: cannot write the export ({exc.strerror or exc})") from exc
    return [out_dir / name for name in names]
