"""The query page at /: an editor, the competency queries as a gallery, a results table.

The gallery is read at request time from ``queries/*.rq`` of the configured root (so a
new query file shows up without a restart). Each file opens with comment lines
``# Question: ...`` and ``# Paragraphs: ...``; other leading comments are kept as notes.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import Blueprint, current_app, render_template, url_for

from .. import formats, resources
from ..errors import InputError
from ..namespaces import PREFIXES
from ..scan import scan

log = logging.getLogger(__name__)

bp = Blueprint("query_page", __name__)

#: Prefixes written at the top of the editor (the server knows them all anyway).
EDITOR_PREFIXES = ("kg", "rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "organization",
                   "program", "place", "complex", "industry", "source", "graph")
EXAMPLE = ("SELECT ?complex ?label WHERE {\n  ?complex a kg:IndustrialComplex ;\n"
           "           rdfs:label ?label .\n  FILTER(LANG(?label) = \"en\")\n}\n"
           "ORDER BY ?label\nLIMIT 50\n")


@dataclass(frozen=True)
class GalleryQuery:
    """One competency query as the page shows it."""

    name: str
    question: str
    paragraphs: str
    query: str
    services: tuple[str, ...] = ()   # remote endpoints the query calls (federation)


def parse_query_file(path: Path) -> GalleryQuery:
    """Read a gallery query; the question defaults to the file name when not stated."""
    text = path.read_text(encoding="utf-8")
    question = paragraphs = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        body = stripped.lstrip("#").strip()
        key, sep, value = body.partition(":")
        if sep and key.strip().lower() == "question":
            question = value.strip()
        elif sep and key.strip().lower() == "paragraphs":
            paragraphs = value.strip()
    name = path.stem
    services = tuple(iri or "?" for iri in scan(text).services)
    return GalleryQuery(name, question or name.replace("-", " "), paragraphs, text, services)


def gallery() -> list[GalleryQuery]:
    """Every ``queries/*.rq`` of the configured root, by file name."""
    settings = current_app.extensions["kgraph.settings"]
    try:
        folder = resources.root(settings) / "queries"
    except InputError as exc:
        log.warning("no query gallery: %s", exc)
        return []
    out = []
    for path in sorted(folder.glob("*.rq")):
        try:
            out.append(parse_query_file(path))
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("%s: skipped in the gallery (%s)", path, exc)
    return out


def editor_text() -> str:
    """Prefix declarations and an example query for the empty editor."""
    lines = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in EDITOR_PREFIXES if p in PREFIXES]
    return "\n".join(lines) + "\n\n" + EXAMPLE


@bp.get("/")
def index() -> str:
    settings = current_app.extensions["kgraph.settings"]
    endpoint = current_app.extensions["kgraph.sparql"]
    downloads = [{"name": f.name, "label": f.label, "kind": f.kind, "suffix": f.suffix}
                 for f in formats.FORMATS]
    return render_template(
        "index.html",
        editor=editor_text(),
        gallery=[asdict(q) for q in gallery()],
        downloads=downloads,
        base_iri=settings.base_iri,
        local_root=url_for("query_page.index"),
        endpoint=url_for("sparql.sparql"),
        asserted_iri=endpoint.asserted_iri,
        allowlist=endpoint.allowlist,
        prefixes=PREFIXES,
        max_rows=settings.max_rows,
        timeout=settings.query_timeout,
    )
