"""Read the source folders (ontology/, data/, shapes/) into graphs, with a cache key.

Syntax errors become :class:`ParseError` naming the file, line and column, so a
user can jump straight to the defect; so do literals that do not fit their XSD
datatype (``"twelve"^^xsd:integer``), which rdflib itself only logs.
Hidden files (editor backups such as ``.#kgraph.ttl``) are not sources.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import MappingProxyType

from rdflib import XSD, Dataset, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from . import __version__, resources
from .errors import InputError, ParseError
from .settings import Settings

#: Bumped when the layout of cached builds changes, so old caches are not reused.
CACHE_FORMAT = "1"

FORMAT_BY_SUFFIX = {".ttl": "turtle", ".trig": "trig"}


@dataclass(frozen=True, eq=False)
class Sources:
    """Everything the pipeline reads, parsed once."""

    root: Path
    ontology: Graph
    data: Dataset
    shapes: Graph
    files: tuple[Path, ...]
    fingerprint: str
    origins: Mapping[URIRef, tuple[str, ...]]


def source_files(root: Path) -> dict[str, list[Path]]:
    """The files of each source folder, sorted; an empty folder is an input error."""
    found: dict[str, list[Path]] = {}
    for folder, suffixes in (("ontology", (".ttl",)), ("data", (".trig", ".ttl")),
                             ("shapes", (".ttl",))):
        base = root / folder
        if not base.is_dir():
            raise InputError(f"{base}: folder missing")
        files = sorted(p for p in base.iterdir()
                       if p.is_file() and p.suffix in suffixes and not p.name.startswith("."))
        if not files:
            raise InputError(f"{base}: no {' or '.join('*' + s for s in suffixes)} files")
        found[folder] = files
    return found


#: Modules whose code shapes a build's output; their bytes are part of the cache key so
#: that editing them (without bumping the version) does not serve a stale build.
BUILD_MODULES = ("load.py", "reason.py", "build.py", "validate.py", "report.py",
                 "namespaces.py")


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """sha256 of the build modules and the versions of the libraries doing the work."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in BUILD_MODULES:
        path = here / name
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b""))
    for dist in ("rdflib", "owlrl", "pyshacl"):
        try:
            digest.update(f"{dist} {metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(dist.encode())
    return digest.hexdigest()


def fingerprint(root: Path, files: list[Path] | tuple[Path, ...]) -> str:
    """sha256 over relative path and bytes of every file, the package version and code."""
    digest = hashlib.sha256()
    digest.update(f"kgraph {__version__} cache {CACHE_FORMAT} {code_digest()}\n".encode())
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        data = path.read_bytes()
        rel = path.relative_to(root).as_posix().encode("utf-8")
        digest.update(len(rel).to_bytes(8, "big") + rel)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _position(exc: BadSyntax) -> tuple[int, int | None]:
    """Line and column (1-based) of a notation3 parser error."""
    text = exc._str.decode("utf-8", errors="replace")
    index = exc._i
    if 0 <= index <= len(text):
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        return line, column
    return exc.lines + 1, None


class _QuietLiteralWarnings(logging.Filter):
    """Drops rdflib's per-literal conversion warnings; :func:`_check_literals` reports them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal")


def _line_of(text: str, lexical: str) -> int | None:
    """Line of the first quoted occurrence of ``lexical`` in ``text`` (1-based), if any."""
    for quote in ('"', "'"):
        index = text.find(f"{quote}{lexical}{quote}")
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return None


def _check_literals(parsed: Graph, rel: str, data: bytes) -> None:
    """A literal whose lexical form does not fit its XSD datatype is a ParseError."""
    triples = (q[:3] for q in parsed.quads((None, None, None, None))) \
        if isinstance(parsed, Dataset) else iter(parsed)
    for _s, _p, node in triples:
        if isinstance(node, Literal) and node.ill_typed:
            text = data.decode("utf-8", errors="replace")
            datatype = str(node.datatype).replace(str(XSD), "xsd:")
            raise ParseError(rel, f"literal {str(node)!r} is not a valid {datatype}",
                             _line_of(text, str(node)))


def parse_file(path: Path, root: Path, *, dataset: bool = False) -> Graph:
    """Parse one file into a fresh Graph (or Dataset); any failure becomes a ParseError."""
    rel = path.relative_to(root).as_posix()
    fmt = FORMAT_BY_SUFFIX[path.suffix]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{rel}: cannot read ({exc.strerror})") from exc
    parsed: Graph = Dataset(default_union=False) if dataset else Graph()
    quiet = _QuietLiteralWarnings()
    term_log = logging.getLogger("rdflib.term")
    term_log.addFilter(quiet)
    try:
        with warnings.catch_warnings():  # rdflib's own use of its deprecated names
            warnings.simplefilter("ignore", DeprecationWarning)
            parsed.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        line, column = _position(exc)
        raise ParseError(rel, f"bad {fmt} syntax: {exc._why}", line, column) from None
    except UnicodeDecodeError as exc:
        raise ParseError(rel, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except Exception as exc:  # rdflib raises many types for malformed input
        raise ParseError(rel, f"{type(exc).__name__}: {exc}") from None
    finally:
        term_log.removeFilter(quiet)
    _check_literals(parsed, rel, data)
    return parsed


def parse_into(target: Graph, path: Path, root: Path) -> None:
    """Parse one file and add its triples (and prefixes) to ``target``."""
    parsed = parse_file(path, root)
    target.addN((s, p, o, target) for s, p, o in parsed)
    for prefix, namespace in parsed.namespaces():
        target.bind(prefix, namespace, override=False)


def _load_data(
    root: Path, data_files: list[Path]
) -> tuple[Dataset, Mapping[URIRef, tuple[str, ...]]]:
    """Parse each data file on its own (to know which file states which subject), then merge."""
    data = Dataset(default_union=False)
    found: dict[URIRef, list[str]] = {}
    for path in data_files:
        rel = path.relative_to(root).as_posix()
        per_file = parse_file(path, root, dataset=True)
        for subject in {quad[0] for quad in per_file.quads()}:
            if isinstance(subject, URIRef):
                found.setdefault(subject, []).append(rel)
        data.addN(per_file.quads())
        for prefix, namespace in per_file.namespaces():
            data.bind(prefix, namespace, override=False)
    return data, MappingProxyType({s: tuple(files) for s, files in found.items()})


def load(settings: Settings) -> Sources:
    """Parse every source file under the configured root."""
    root = resources.root(settings)
    files = source_files(root)
    ontology = Graph()
    for path in files["ontology"]:
        parse_into(ontology, path, root)
    shapes = Graph()
    for path in files["shapes"]:
        parse_into(shapes, path, root)
    data, origins = _load_data(root, files["data"])
    every = tuple(files["ontology"] + files["data"] + files["shapes"])
    return Sources(root=root, ontology=ontology, data=data, shapes=shapes, files=every,
                   fingerprint=fingerprint(root, every), origins=origins)
