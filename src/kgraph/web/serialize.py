"""Write capped query results in the SPARQL result formats and the RDF formats.

pyoxigraph can only serialize a whole result iterator, so row caps need our own writers
for solutions (JSON, XML, CSV, TSV, following the W3C result-format specs); capped
triples go through ``pyoxigraph.serialize``. A truncated result says so in the body
where the format has room (a JSON member, an XML or Turtle comment) and always in the
``Kgraph-Truncated`` header set by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from json import dumps

import pyoxigraph as ox

from .. import formats

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Row = Sequence[object]


def _json_term(term: object) -> str:
    cls = type(term)
    if cls is ox.NamedNode:
        return '{"type":"uri","value":' + dumps(term.value) + "}"
    if cls is ox.Literal:
        value = dumps(term.value)
        if term.language:
            return ('{"type":"literal","value":' + value + ',"xml:lang":'
                    + dumps(term.language) + "}")
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return '{"type":"literal","value":' + value + "}"
        return '{"type":"literal","value":' + value + ',"datatype":' + dumps(datatype) + "}"
    if cls is ox.BlankNode:
        return '{"type":"bnode","value":' + dumps(term.value) + "}"
    if cls is ox.Triple:
        return ('{"type":"triple","value":{"subject":' + _json_term(term.subject)
                + ',"predicate":' + _json_term(term.predicate)
                + ',"object":' + _json_term(term.object) + "}}")
    raise TypeError(f"unexpected RDF term {term!r}")


def _json(variables: list[str], rows: list[Row], truncated: bool, max_rows: int) -> bytes:
    names = [dumps(v) + ":" for v in variables]
    out = ['{"head":{"vars":[', ",".join(dumps(v) for v in variables), ']},']
    if truncated:
        out.append(f'"truncated":true,"maxRows":{max_rows},')
    out.append('"results":{"bindings":[')
    memo: dict[object, str] = {}  # results repeat terms a lot; render each once
    rendered = []
    for row in rows:
        cells = []
        for name, term in zip(names, row, strict=True):
            if term is None:
                continue
            text = memo.get(term)
            if text is None:
                text = memo[term] = _json_term(term)
            cells.append(name + text)
        rendered.append("{" + ",".join(cells) + "}")
    out.append(",".join(rendered))
    out.append("]}}")
    return "".join(out).encode()


def _xml_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _xml_term(term: object) -> str:
    cls = type(term)
    if cls is ox.NamedNode:
        return "<uri>" + _xml_escape(term.value) + "</uri>"
    if cls is ox.Literal:
        value = _xml_escape(term.value)
        if term.language:
            return f'<literal xml:lang="{_xml_escape(term.language)}">{value}</literal>'
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return f"<literal>{value}</literal>"
        return f'<literal datatype="{_xml_escape(datatype)}">{value}</literal>'
    if cls is ox.BlankNode:
        return "<bnode>" + _xml_escape(term.value) + "</bnode>"
    if cls is ox.Triple:
        return ("<triple><subject>" + _xml_term(term.subject) + "</subject><predicate>"
                + _xml_term(term.predicate) + "</predicate><object>"
                + _xml_term(term.object) + "</object></triple>")
    raise TypeError(f"unexpected RDF term {term!r}")


_XML_HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n'
             '<sparql xmlns="http://www.w3.org/2005/sparql-results#">')


def _xml(variables: list[str], rows: list[Row], truncated: bool, max_rows: int) -> bytes:
    out = [_XML_HEAD, "<head>"]
    out.extend(f'<variable name="{_xml_escape(v)}"/>' for v in variables)
    out.append("</head>")
    if truncated:
        out.append(f"<!-- truncated: only the first {max_rows} rows are given -->")
    out.append("<results>")
    for row in rows:
        out.append("<result>")
        out.extend(f'<binding name="{_xml_escape(variables[i])}">{_xml_term(t)}</binding>'
                   for i, t in enumerate(row) if t is not None)
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv_field(term: object) -> str:
    if term is None:
        return ""
    cls = type(term)
    if cls is ox.NamedNode or cls is ox.Literal:
        text = term.value
    elif cls is ox.BlankNode:
        text = "_:" + term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(variables: list[str], rows: list[Row], truncated: bool, max_rows: int) -> bytes:
    lines = [",".join(variables)]
    lines.extend(",".join(_csv_field(t) for t in row) for row in rows)
    return ("\r\n".join(lines) + "\r\n").encode()


def _tsv_field(term: object) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t")


def _tsv(variables: list[str], rows: list[Row], truncated: bool, max_rows: int) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    lines.extend("\t".join(_tsv_field(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode()


_SOLUTION_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}


def solutions(fmt: formats.Format, variables: list[str], rows: list[Row], truncated: bool,
              max_rows: int) -> bytes:
    """SELECT results in ``fmt`` (one of json, xml, csv, tsv)."""
    return _SOLUTION_WRITERS[fmt.name](variables, rows, truncated, max_rows)


def boolean(fmt: formats.Format, value: bool) -> bytes:
    """ASK results in ``fmt``; CSV/TSV carry one column, as common servers do."""
    word = "true" if value else "false"
    if fmt.name == "json":
        return ('{"head":{},"boolean":' + word + "}").encode()
    if fmt.name == "xml":
        return (_XML_HEAD + "<head/><boolean>" + word + "</boolean></sparql>\n").encode()
    if fmt.name == "csv":
        return ("_askResult\r\n" + word + "\r\n").encode()
    return ("?_askResult\n" + word + "\n").encode()


_COMMENTED = {"turtle", "ntriples", "trig", "nquads"}
_ABBREVIATING = {"turtle", "trig", "jsonld", "rdfxml"}


def _used_prefixes(items: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes whose namespace the triples use, so small answers stay small."""
    spaces = set()
    for t in items:
        for term in (t.subject, t.predicate, t.object):
            iri = term.value if type(term) is ox.NamedNode else (
                term.datatype.value if type(term) is ox.Literal else "")
            cut = max(iri.rfind("/"), iri.rfind("#"))
            if cut > 0:
                spaces.add(iri[:cut + 1])
    return {p: ns for p, ns in prefixes.items() if ns in spaces}


def triples(fmt: formats.Format, items: list[ox.Triple], truncated: bool, max_rows: int,
            prefixes: dict[str, str]) -> bytes:
    """CONSTRUCT/DESCRIBE results in ``fmt`` (dataset formats put them in the default graph)."""
    prefixes = _used_prefixes(items, prefixes) if fmt.name in _ABBREVIATING else {}
    if fmt.datasets and fmt.name != "jsonld":
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in items]
        body = ox.serialize(quads, format=fmt.oxigraph, prefixes=prefixes)
    else:
        body = ox.serialize(items, format=fmt.oxigraph, prefixes=prefixes)
    if truncated and fmt.name in _COMMENTED:
        body = f"# truncated: only the first {max_rows} triples are given\n".encode() + body
    return body
