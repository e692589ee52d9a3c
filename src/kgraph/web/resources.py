"""Linked Data: every IRI of our namespace dereferences on the served app (Cool URIs).

``/id/…`` resources, the ontology ``/ontology`` (and a page per term at
``/ontology/<Term>``) and the named graphs ``/graph/…`` answer with an HTML page or
their RDF description, chosen by ``Accept`` (``Vary: Accept``) or by a suffix
(``.html .ttl .jsonld .nt .rdf``). The bare IRI answers 200 with ``Content-Location``
naming the document served. The configured ``base_iri`` is mapped onto the host the
app runs on, so every link works on localhost and behind a proxy alike.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, render_template, request

from .. import formats, resources
from ..namespaces import BASE, PREFIXES
from ..settings import Settings
from . import errors

bp = Blueprint("ld", __name__, template_folder="templates")

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
GEO = "http://www.opengis.net/ont/geosparql#"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
KG = "ontology#"  # relative to base_iri

LABEL_PROPS = {RDFS + "label", SKOS + "prefLabel"}
ALT_PROPS = {SKOS + "altLabel"}
DEFINITION_PROPS = {SKOS + "definition", RDFS + "comment"}
LINK_PROPS = {OWL + "sameAs", SKOS + "exactMatch", SKOS + "closeMatch"}

#: Suffix of a document URL -> format short name in the shared registry (None = HTML).
SUFFIXES: dict[str, str | None] = {
    ".html": None, ".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples", ".rdf": "rdfxml",
}
#: The RDF formats a resource is offered in, in the server's order of preference.
RDF_FORMATS = ("turtle", "jsonld", "ntriples", "rdfxml")

#: Prefixes written into Turtle and RDF/XML documents (docs/conventions.md).
KINDS = ("organization", "person", "program", "place", "complex", "industry", "concept",
         "event", "period", "fact", "source", "publication")

#: How many incoming statements of one property a page lists before pointing to SPARQL.
INCOMING_SHOWN = 100


# --------------------------------------------------------------------------- context

def settings() -> Settings:
    """The app's resolved settings (create_app puts them in app.extensions)."""
    return current_app.extensions["kgraph.settings"]


def store() -> ox.Store:
    """The app's pyoxigraph store (read only)."""
    return current_app.extensions["kgraph.store"]


def base_iri() -> str:
    return settings().base_iri


def prefixes(base: str) -> dict[str, str]:
    """The shared prefixes, with our own namespaces under the configured base IRI."""
    found = {k: v for k, v in PREFIXES.items() if not v.startswith(BASE)}
    found.update({kind: f"{base}id/{kind}/" for kind in KINDS})
    found.update({"kg": base + KG, "graph": base + "graph/", "geo": GEO, "wgs84": WGS84,
                  "wd": "http://www.wikidata.org/entity/", "dbr": "http://dbpedia.org/resource/"})
    return found


def query_text(name: str) -> str:
    """queries/ld/<name>.rq of the package itself (cached per app).

    These are the views' own queries, not user data: they come from the embedded copy,
    whatever root the data is read from.
    """
    cache = current_app.extensions.setdefault("kgraph_ld_queries", {})
    if name not in cache:
        path = resources.default_root() / "queries" / "ld" / f"{name}.rq"
        cache[name] = path.read_text(encoding="utf-8")
    return cache[name]


def run(name: str, union: bool = True, **bindings: ox.NamedNode | ox.Literal) -> Any:
    """Run a query of queries/ld with values bound to its variables."""
    subs = {ox.Variable(k): v for k, v in bindings.items()}
    return store().query(query_text(name), use_default_graph_as_union=union,
                         substitutions=subs)


def local_url(iri: str) -> str:
    """Where an IRI of ours answers on this host; other IRIs are returned as they are."""
    base = base_iri()
    if not iri.startswith(base):
        return iri
    rest = iri[len(base):]
    if rest.startswith(KG):
        return f"{request.script_root}/ontology/{quote(rest[len(KG):])}"
    return f"{request.script_root}/{quote(rest, safe='/#')}"


def here() -> str:
    """The requested path as the client sees it (under the app's mount point)."""
    return request.script_root + request.path


def public_base() -> str:
    """The externally visible root of this app (X-Forwarded-* only when proxies are trusted)."""
    scheme, host = request.scheme, request.host
    if settings().trust_proxy:
        scheme = request.headers.get("X-Forwarded-Proto", scheme).split(",")[0].strip()
        host = request.headers.get("X-Forwarded-Host", host).split(",")[0].strip()
    return f"{scheme}://{host}{request.script_root}/"


def sparql_link(query: str) -> str:
    return f"{request.script_root}/sparql?{urlencode({'query': query})}"


# --------------------------------------------------------------------------- labels

@dataclass
class Labels:
    """Labels of many IRIs in every language, and the choice for this request."""

    by_iri: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, iri: str, literal: ox.Literal) -> None:
        self.by_iri[iri].setdefault(literal.language or "", literal.value)

    def pick(self, iri: str) -> str | None:
        found = self.by_iri.get(iri)
        if not found:
            return None
        for lang in preferred_languages():
            if lang in found:
                return found[lang]
        return found.get("en") or found.get("") or next(iter(found.values()))

    def korean(self, iri: str) -> str | None:
        return self.by_iri.get(iri, {}).get("ko")

    def text(self, iri: str) -> str:
        return self.pick(iri) or short_name(iri)


def preferred_languages() -> list[str]:
    """Primary language tags of Accept-Language in order of preference, then English."""
    langs: list[str] = []
    for value, quality in request.accept_languages:
        tag = value.split("-")[0].lower()
        if quality > 0 and tag != "*" and tag not in langs:
            langs.append(tag)
    if "en" not in langs:
        langs.append("en")
    return langs


def short_name(iri: str) -> str:
    """A readable stand-in for an unlabelled IRI: prefix:local or its last segment."""
    for prefix, ns in prefixes(base_iri()).items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return re.split(r"[/#]", iri.rstrip("/"))[-1] or iri


def locator_text(graph_iri: str) -> str:
    """How a provenance graph is shown: graph:paragraph-35 -> ¶35, graph:table-1 -> Table 1."""
    name = graph_iri.rsplit("/", 1)[-1]
    match = re.fullmatch(r"(paragraph|table|figure|footnote|section)-([\w-]+)", name)
    if match:
        kind, number = match.groups()
        return {"paragraph": "¶", "table": "Table ", "figure": "Fig. ", "footnote": "fn. ",
                "section": "§"}[kind] + number.replace("-", ".")
    return name.replace("-", " ")


def locator_iri(graph_iri: str) -> str:
    """The source locator a provenance graph was derived from (graph:x -> source:x)."""
    base = base_iri()
    if graph_iri.startswith(base + "graph/"):
        name = graph_iri[len(base + "graph/"):]
        if name not in ("links", "inferred", "ontology"):
            return f"{base}id/source/{name}"
    return graph_iri


# --------------------------------------------------------------------------- page model

@dataclass
class Value:
    """One object shown on a page: an IRI (with label and link) or a literal."""

    text: str
    href: str | None = None
    lang: str | None = None
    datatype: str | None = None
    korean: str | None = None
    iri: str | None = None


@dataclass
class Row:
    value: Value
    sources: list[Value]


@dataclass
class Group:
    prop: Value
    rows: list[Row]
    total: int = 0
    more_query: str | None = None


def value_of(term: Any, labels: Labels) -> Value:
    if isinstance(term, ox.NamedNode):
        iri = term.value
        return Value(labels.text(iri), local_url(iri), korean=labels.korean(iri), iri=iri,
                     lang=None)
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value if term.datatype else None
        dtype_name = short_name(dtype) if dtype and not term.language else None
        if dtype_name in ("xsd:string", "rdf:langString"):
            dtype_name = None
        return Value(term.value, lang=term.language, datatype=dtype_name)
    return Value(anonymous_text(term, labels))


def anonymous_text(node: Any, labels: Labels) -> str:
    """A blank node (e.g. a geometry) shown by its literal values, one level deep."""
    parts = []
    for quad in store().quads_for_pattern(node, None, None):
        if isinstance(quad.object, ox.Literal):
            parts.append(f"{labels.text(quad.predicate.value)}: {quad.object.value}")
    return "; ".join(sorted(set(parts))) or "(anonymous node)"


def sources_of(graphs: Iterable[str], labels: Labels) -> list[Value]:
    shown = []
    for g in sorted(set(graphs), key=_locator_order):
        target = locator_iri(g)
        shown.append(Value(locator_text(g), local_url(target), iri=target))
    return shown


def _locator_order(graph_iri: str) -> tuple[int, str]:
    number = re.search(r"-(\d+)$", graph_iri)
    return (int(number.group(1)) if number else 10_000, graph_iri)


def exists(iri: str) -> bool:
    return bool(run("exists", s=ox.NamedNode(iri)))


def page_model(iri: str) -> dict[str, Any]:
    """Everything the resource page shows, from a handful of queries."""
    node = ox.NamedNode(iri)
    labels = Labels()
    for row in run("neighbour-labels", s=node):
        if isinstance(row["label"], ox.Literal):
            labels.add(row["x"].value, row["label"])

    outgoing: dict[str, dict[tuple, list[str]]] = defaultdict(lambda: defaultdict(list))
    terms: dict[tuple, Any] = {}
    for row in run("outgoing", union=False, s=node):
        p, o, g = row["p"].value, row["o"], row["g"]
        key = (type(o).__name__, str(o))
        terms[key] = o
        graphs = outgoing[p][key]
        if g is not None:
            graphs.append(g.value)

    own_labels: dict[str, str] = {}
    alt: list[Value] = []
    definitions: list[Value] = []
    types: list[Value] = []
    links: list[Row] = []
    coordinates: list[Row] = []
    groups: list[Group] = []
    for p in sorted(outgoing, key=lambda x: labels.text(x).lower()):
        rows = [Row(value_of(terms[k], labels), sources_of(gs, labels))
                for k, gs in sorted(outgoing[p].items(), key=lambda kv: kv[0][1])]
        if p in LABEL_PROPS:
            for k in outgoing[p]:
                lit = terms[k]
                if isinstance(lit, ox.Literal):
                    own_labels.setdefault(lit.language or "", lit.value)
            continue
        if p in ALT_PROPS:
            alt.extend(r.value for r in rows)
        elif p in DEFINITION_PROPS:
            definitions.extend(r.value for r in rows)
        elif p == RDF_TYPE:
            types.extend(r.value for r in rows)
        elif p in LINK_PROPS:
            for r in rows:
                r.value.text = r.value.iri or r.value.text
                links.append(Row(r.value, [Value(labels.text(p), local_url(p))]))
        elif p.startswith((GEO, WGS84)):
            coordinates.extend(rows)
            groups.append(Group(value_of(ox.NamedNode(p), labels), rows, len(rows)))
        else:
            groups.append(Group(value_of(ox.NamedNode(p), labels), rows, len(rows)))

    incoming_rows: dict[str, dict[Any, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in run("incoming", union=False, s=node):
        graphs = incoming_rows[row["p"].value][row["x"]]
        if row["g"] is not None:
            graphs.append(row["g"].value)
    incoming: list[Group] = []
    for p, subjects in sorted(incoming_rows.items(), key=lambda kv: labels.text(kv[0]).lower()):
        ordered = sorted(subjects.items(), key=lambda kv: labels.text(str(kv[0].value)).lower())
        rows = [Row(value_of(x, labels), sources_of(gs, labels))
                for x, gs in ordered[:INCOMING_SHOWN]]
        more = None
        if len(ordered) > INCOMING_SHOWN:
            more = sparql_link(f"SELECT ?x WHERE {{ ?x <{p}> <{iri}> }}")
        incoming.append(Group(value_of(ox.NamedNode(p), labels), rows, len(ordered), more))

    observations = []
    for row in run("observations", s=node):
        observations.append({
            "node": value_of(row["obs"], labels),
            "measure": value_of(row["measure"], labels) if row["measure"] else None,
            "value": row["value"].value if row["value"] is not None else "",
            "unit": value_of(row["unit"], labels) if row["unit"] else None,
            "year": row["year"].value if row["year"] is not None else "",
            "comparator": row["comparator"].value if row["comparator"] is not None else "",
            "approximate": (row["approximate"] is not None
                            and row["approximate"].value in ("true", "1")),
            "source": value_of(row["g"], labels) if row["g"] is not None else None,
        })

    label = None
    for lang in preferred_languages():
        if lang in own_labels:
            label = own_labels[lang]
            break
    label = label or own_labels.get("en") or own_labels.get("") or short_name(iri)
    paragraphs = sorted({g for p in outgoing.values() for gs in p.values() for g in gs},
                        key=_locator_order)
    return {
        "iri": iri,
        "label": label,
        "label_lang": next((k for k, v in own_labels.items() if v == label), "en") or None,
        "korean": own_labels.get("ko") if label != own_labels.get("ko") else None,
        "other_labels": [Value(v, lang=k or None) for k, v in sorted(own_labels.items())
                         if v != label and k != "ko"],
        "alt_labels": alt,
        "types": types,
        "definitions": definitions,
        "groups": groups,
        "incoming": incoming,
        "incoming_total": sum(g.total for g in incoming),
        "observations": observations,
        "links": links,
        "coordinates": coordinates,
        "stated_in": sources_of(paragraphs, labels),
        "describe_query": sparql_link(f"DESCRIBE <{iri}>"),
        "select_query": sparql_link(
            "SELECT ?p ?o ?g WHERE {\n"
            f"  {{ GRAPH ?g {{ <{iri}> ?p ?o }} }} UNION {{ <{iri}> ?p ?o }}\n}}"),
        "alternates": alternates(here()),
    }


def alternates(path: str) -> list[tuple[str, str]]:
    stem = strip_suffix(path)[0]
    return [(formats.by_name(name).label, stem + formats.by_name(name).suffix)
            for name in RDF_FORMATS]


# --------------------------------------------------------------------------- negotiation

def strip_suffix(path: str) -> tuple[str, str | None, bool]:
    """(path without a document suffix, format name or None for HTML, whether one was given)."""
    for suffix, name in SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], name, True
    return path, None, False


def negotiate() -> str | None:
    """The format asked for by Accept: a short RDF format name, or None for HTML."""
    accept = request.headers.get("Accept", "")
    if not accept.strip():
        return None
    html = request.accept_mimetypes
    best_rdf = formats.negotiate(accept, formats.GRAPH)
    if best_rdf is not None and best_rdf.name not in RDF_FORMATS:
        best_rdf = next((formats.by_name(n) for n in RDF_FORMATS
                         if html[formats.by_name(n).media_type] > 0), None)
    q_html = max(html["text/html"], html["application/xhtml+xml"])
    if best_rdf is None:
        return None
    q_rdf = html[best_rdf.media_type]
    # A browser's */* never beats its explicit text/html (ties go to HTML); an RDF
    # client's explicit type beats a lower-quality text/html.
    if q_html >= q_rdf:
        return None
    return best_rdf.name


def rdf_response(triples: list[ox.Triple], fmt_name: str, location: str) -> Response:
    fmt = formats.by_name(fmt_name)
    kwargs: dict[str, Any] = {"format": fmt.oxigraph}
    if fmt_name in ("turtle", "rdfxml"):
        kwargs["prefixes"] = prefixes(base_iri())
    body = ox.serialize(_sorted(triples), **kwargs)
    resp = Response(body, content_type=fmt.content_type)
    return document_headers(resp, location)


def _sorted(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Subjects together (so Turtle groups them), blank nodes last, stable order."""
    return sorted(set(triples), key=lambda t: (isinstance(t.subject, ox.BlankNode),
                                               str(t.subject), str(t.predicate), str(t.object)))


def document_headers(resp: Response, location: str) -> Response:
    resp.headers["Content-Location"] = location
    resp.vary.add("Accept")
    links = [f'<{href}>; rel="alternate"; type="{formats.by_name(n).media_type}"'
             for n in RDF_FORMATS for href in [strip_suffix(location)[0]
                                               + formats.by_name(n).suffix]]
    resp.headers["Link"] = ", ".join(links)
    return resp


def serve(path: str, iri: str, html: Any, rdf: Any) -> Response:
    """Answer for ``iri`` requested at ``path``: suffix first, else content negotiation."""
    stem, fmt_name, forced = strip_suffix(path)
    if not forced:
        fmt_name = negotiate()
    if fmt_name is None:
        resp = Response(html(), content_type="text/html; charset=utf-8")
        resp.vary.add("Accept-Language")  # the label shown follows the reader's language
        return document_headers(resp, stem + ".html")
    return rdf_response(rdf(), fmt_name, stem + formats.by_name(fmt_name).suffix)


# --------------------------------------------------------------------------- views

def describe_triples(iri: str) -> list[ox.Triple]:
    return list(run("describe", s=ox.NamedNode(iri)))


@bp.route("/id/<path:rest>")
def resource(rest: str) -> Response:
    stem = strip_suffix(rest)[0]
    iri = base_iri() + "id/" + stem
    if not exists(iri):
        return not_found(iri)
    return serve(here(), iri,
                 lambda: render_template("ld_resource.html", m=page_model(iri)),
                 lambda: describe_triples(iri))


@bp.route("/graph/<path:rest>")
def named_graph(rest: str) -> Response:
    stem = strip_suffix(rest)[0]
    iri = base_iri() + "graph/" + stem
    node = ox.NamedNode(iri)
    contents = list(run("graph-triples", union=False, g=node))
    if not contents and not exists(iri):
        return not_found(iri)

    def html() -> str:
        model = page_model(iri)
        labels = Labels()
        for row in run("graph-labels", g=node):
            if isinstance(row["label"], ox.Literal):
                labels.add(row["x"].value, row["label"])
        model["graph_triples"] = [
            (value_of(t.subject, labels), value_of(t.predicate, labels),
             value_of(t.object, labels)) for t in _sorted(contents)[:2000]]
        model["graph_size"] = len(contents)
        return render_template("ld_resource.html", m=model)

    return serve(here(), iri, html, lambda: contents + describe_triples(iri))


def ontology_iri() -> str:
    return base_iri() + "ontology"


def ontology_terms() -> list[dict[str, Any]]:
    kinds = {"Class": "Classes", "ObjectProperty": "Object properties",
             "DatatypeProperty": "Datatype properties",
             "AnnotationProperty": "Annotation properties"}
    terms = []
    for row in run("ontology-terms", ns=ox.Literal(base_iri() + KG)):
        t = row["t"].value
        local = t[len(base_iri() + KG):]
        terms.append({"local": local, "iri": t, "kind": kinds[row["kind"].value.split("#")[1]],
                      "label": row["label"].value if row["label"] is not None else local,
                      "href": local_url(t)})
    return terms


@bp.route("/ontology")
@bp.route("/ontology<any('.html', '.ttl', '.jsonld', '.nt', '.rdf'):suffix>")
def ontology(suffix: str = "") -> Response:
    term = request.args.get("term")
    if term:
        return redirect(f"{request.script_root}/ontology/{quote(term)}", 303)
    iri = ontology_iri()
    graph = ox.NamedNode(base_iri() + "graph/ontology")

    def html() -> str:
        model = page_model(iri)
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for t in ontology_terms():
            grouped[t["kind"]].append(t)
        model["terms"] = grouped
        return render_template("ld_ontology.html", m=model)

    return serve(here(), iri, html,
                 lambda: list(run("graph-triples", union=False, g=graph)))


@bp.route("/ontology/<term>")
def ontology_term(term: str) -> Response:
    stem = strip_suffix(term)[0]
    iri = base_iri() + KG + stem
    if not exists(iri):
        version = base_iri() + "ontology/" + stem
        if exists(version):  # a version IRI (owl:versionIRI) answers with the ontology
            return ontology()
        return not_found(iri)

    def html() -> str:
        model = page_model(iri)
        node = ox.NamedNode(iri)
        labels = Labels()
        hierarchy: dict[str, list[Value]] = defaultdict(list)
        rows = list(run("term-hierarchy", t=node))
        for row in rows:
            for lab in run("labels-of", x=row["other"]):
                labels.add(row["other"].value, lab["label"])
        for row in rows:
            hierarchy[row["rel"].value].append(value_of(row["other"], labels))
        usage = next(iter(run("term-usage", t=node)), None)
        model["hierarchy"] = hierarchy
        model["instances"] = int(usage["instances"].value) if usage else 0
        model["uses"] = int(usage["uses"].value) if usage else 0
        model["term_anchor"] = f"{request.script_root}/ontology#{stem}"
        return render_template("ld_term.html", m=model)

    return serve(here(), iri, html, lambda: describe_triples(iri))


# --------------------------------------------------------------------------- 404

def suggestion_index() -> list[tuple[str, str]]:
    """(text, IRI) pairs to match an unknown IRI against: slugs and labels (cached)."""
    cache = current_app.extensions.setdefault("kgraph_ld_suggest", {})
    key = id(store())
    if key not in cache:
        base = base_iri()
        pairs: list[tuple[str, str]] = []
        for row in run("resources", base=ox.Literal(base)):
            iri = row["s"].value
            pairs.append((iri[len(base):].lower(), iri))
        for row in run("labelled-resources", base=ox.Literal(base)):
            pairs.append((row["label"].value.lower(), row["s"].value))
        cache.clear()
        cache[key] = pairs
    return cache[key]


def suggestions(iri: str, limit: int = 8) -> list[Value]:
    """Close matches of an unknown IRI among our resources (difflib over slugs and labels)."""
    base = base_iri()
    rest = iri[len(base):].lower() if iri.startswith(base) else iri.lower()
    slug = rest.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    index = suggestion_index()
    texts = [t for t, _ in index]
    found: list[str] = []
    for probe, cutoff in ((rest, 0.75), (slug.replace("-", " "), 0.6), (slug, 0.6)):
        for match in difflib.get_close_matches(probe, texts, n=limit * 3, cutoff=cutoff):
            for text, target in index:
                if text == match and target not in found:
                    found.append(target)
    for text, target in index:  # a slug or label containing the asked slug
        if len(slug) >= 3 and slug in text and target not in found:
            found.append(target)
    labels = Labels()
    for target in found[:limit]:
        for row in run("labels-of", x=ox.NamedNode(target)):
            labels.add(target, row["label"])
    return [value_of(ox.NamedNode(t), labels) for t in found[:limit]]


def not_found(iri: str) -> Response:
    """404: an HTML page suggesting close matches, or a short text for RDF clients."""
    found = suggestions(iri)
    fmt_name = strip_suffix(request.path)[1] if strip_suffix(request.path)[2] else negotiate()
    if fmt_name is not None:  # a program: the app's one error shape (JSON)
        message = f"<{iri}> is not described in this dataset"
        if found:
            message += "; close matches: " + ", ".join(f"<{v.iri}>" for v in found)
        resp = Response(json.dumps(errors.body(404, message)), status=404,
                        content_type="application/json; charset=utf-8")
    else:
        body = render_template("ld_404.html", iri=iri, suggestions=found,
                               search=sparql_link(
                                   "SELECT ?s ?label WHERE { ?s rdfs:label ?label "
                                   f"FILTER(CONTAINS(LCASE(STR(?label)), \"{_safe(iri)}\")) }}"
                                   " LIMIT 50"))
        resp = Response(body, status=404, content_type="text/html; charset=utf-8")
    resp.vary.add("Accept")
    return resp


def _safe(iri: str) -> str:
    """The last IRI segment, reduced to characters safe inside a SPARQL string."""
    slug = re.split(r"[/#]", iri.rstrip("/"))[-1].lower()
    return re.sub(r"[^a-z0-9]+", " ", slug).strip()
