"""The validation report: plain values, rendered as text for people, JSON or Turtle for tools."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.term import Node

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
SEVERITY_IRI = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}
PLURAL = {"Violation": "violations", "Warning": "warnings", "Info": "notes"}


@dataclass(frozen=True)
class Result:
    """One SHACL result, with where in the data and in the paper its focus node comes from."""

    severity: str
    focus: Node | None
    focus_label: str | None
    path: Node | None
    value: Node | None
    message: str
    shape: Node | None
    constraint: Node | None
    files: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    #: A complex property path (alternative, inverse, sequence) in SPARQL syntax.
    path_text: str | None = None

    def key(self) -> tuple:
        return (self.severity, self.focus, self.path, self.value, self.shape, self.constraint,
                self.message)

    @staticmethod
    def sort_key(result: Result) -> tuple:
        return (SEVERITY_ORDER.get(result.severity, 0), result.files[:1], str(result.focus),
                str(result.path), str(result.shape), str(result.value))


def _compact(node: Node | None, namespaces: dict[str, str]) -> str | None:
    """prefix:local for IRIs in a known namespace, N-Triples-like otherwise."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        text = str(node)
        best = ""
        for prefix, ns in namespaces.items():
            if text.startswith(ns) and len(ns) > len(namespaces.get(best, "")):
                local = text[len(ns):]
                if local and all(c.isalnum() or c in "-_." for c in local):
                    best = prefix
        if best:
            return f"{best}:{text[len(namespaces[best]):]}"
        return f"<{text}>"
    if isinstance(node, Literal):
        return node.n3()
    if isinstance(node, BNode):
        return "[]"
    return str(node)


def _compact_path(text: str, namespaces: dict[str, str]) -> str:
    """Compact every <IRI> inside a SPARQL property path."""
    return re.sub(r"<([^>]+)>", lambda m: _compact(URIRef(m.group(1)), namespaces) or "",
                  text)


@dataclass
class Report:
    """All results; conforms iff none is a violation (warnings and notes are shown only)."""

    results: list[Result]
    namespaces: dict[str, str] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    def counts(self) -> dict[str, int]:
        tally = Counter(r.severity for r in self.results)
        return {name: tally.get(name, 0) for name in SEVERITY_ORDER}

    def summary(self) -> str:
        counts = self.counts()
        parts = ", ".join(f"{n} {PLURAL[k] if n != 1 else k.lower() if k != 'Info' else 'note'}"
                          for k, n in counts.items())
        verdict = "conforms" if self.conforms else "does NOT conform"
        return f"The data {verdict} to the shapes: {parts}."

    def to_text(self) -> str:
        """One block per result: focus and label, path, value, message, file and paragraph."""
        lines = [self.summary()]
        for r in self.results:
            focus = _compact(r.focus, self.namespaces) or "(no focus node)"
            label = f' "{r.focus_label}"' if r.focus_label else ""
            lines.append("")
            lines.append(f"{r.severity}: {focus}{label}")
            if r.path is not None:
                lines.append(f"  path:    {_compact(r.path, self.namespaces)}")
            elif r.path_text:
                lines.append(f"  path:    {_compact_path(r.path_text, self.namespaces)}")
            if r.value is not None:
                lines.append(f"  value:   {_compact(r.value, self.namespaces)}")
            lines.append(f"  problem: {r.message}")
            where = ", ".join(r.files) if r.files else "(no data file states it)"
            stated = "; stated in " + ", ".join(r.paragraphs) if r.paragraphs else ""
            lines.append(f"  where:   {where}{stated}")
            if r.shape is not None:
                lines.append(f"  shape:   {_compact(r.shape, self.namespaces)}")
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict:
        def term(node: Node | None) -> str | None:
            if node is None:
                return None
            return str(node) if isinstance(node, URIRef) else node.n3()

        return {
            "conforms": self.conforms,
            "counts": self.counts(),
            "results": [
                {
                    "severity": r.severity,
                    "focus": term(r.focus),
                    "focusLabel": r.focus_label,
                    "path": term(r.path) if r.path is not None else r.path_text,
                    "value": term(r.value),
                    "message": r.message,
                    "shape": term(r.shape),
                    "constraint": term(r.constraint),
                    "files": list(r.files),
                    "statedIn": list(r.paragraphs),
                }
                for r in self.results
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_graph(self) -> Graph:
        """A standard sh:ValidationReport (files and paragraphs as rdfs:comment notes)."""
        graph = Graph()
        for prefix, ns in self.namespaces.items():
            graph.bind(prefix, ns)
        graph.bind("sh", SH)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms, datatype=XSD.boolean)))
        for r in self.results:
            node = BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.resultSeverity, SEVERITY_IRI.get(r.severity, SH.Violation)))
            for predicate, obj in ((SH.focusNode, r.focus), (SH.resultPath, r.path),
                                   (SH.value, r.value), (SH.sourceShape, r.shape),
                                   (SH.sourceConstraintComponent, r.constraint)):
                if obj is not None and not isinstance(obj, BNode):
                    graph.add((node, predicate, obj))
            graph.add((node, SH.resultMessage, Literal(r.message)))
            where = ", ".join(r.files + r.paragraphs)
            if where:
                graph.add((node, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
                           Literal(f"stated in {where}")))
        return graph

    def to_turtle(self) -> str:
        return self.to_graph().serialize(format="turtle")
