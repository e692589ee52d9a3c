"""Figures about the built graph: sizes, entities per class, observations, links, coverage.

Link coverage tells which of our places, agents, events and programmes are joined to
another dataset, per class.

Coverage answers "which parts of the paper has nobody modelled yet?": for every
paragraph, table, figure, footnote and the front matter (and any other part a graph
is derived from), the triples of the named graph(s) derived from it. Parts with none
are listed. All counting is SPARQL in ``queries/internal/stats-*.rq``.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from .namespaces import GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES
from .query import select_internal

#: Named graphs that hold no statement of the paper.
SPECIAL_GRAPHS = {str(INFERRED_GRAPH), str(ONTOLOGY_GRAPH), str(GRAPH["links"])}


def _int(term: ox.Literal | None) -> int:
    return int(term.value) if term is not None else 0


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str | None:
    return None if term is None else str(term.value)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def graph_sizes(store: ox.Store) -> dict[str, int]:
    """Triples per named graph."""
    return {str(r["graph"].value): _int(r["triples"])
            for r in select_internal(store, "stats-graph-sizes", union=False)}


def coverage(store: ox.Store, sizes: dict[str, int]) -> dict[str, Any]:
    """Triples contributed by each part of the paper, and the parts contributing none."""
    graphs_of: dict[str, list[str]] = {}
    attributed: set[str] = set()
    for row in select_internal(store, "stats-graph-sources"):
        graphs_of.setdefault(str(row["part"].value), []).append(str(row["graph"].value))
        attributed.add(str(row["graph"].value))
    parts: dict[str, dict[str, Any]] = {}
    for row in select_internal(store, "stats-parts"):
        iri = str(row["part"].value)
        entry = parts.setdefault(iri, {"part": iri, "label": None, "kind": None,
                                       "number": None})
        if entry["kind"] is None and row["kind"] is not None:
            entry["kind"] = _local(str(row["kind"].value))
        if entry["number"] is None and row["number"] is not None:
            try:
                entry["number"] = int(row["number"].value)
            except ValueError:
                entry["number"] = None
        if entry["label"] is None and row["label"] is not None:
            entry["label"] = row["label"].value
    for entry in parts.values():
        graphs = sorted(set(graphs_of.get(entry["part"], [])))
        entry["label"] = entry["label"] or _local(entry["part"])
        entry["kind"] = entry["kind"] or "Part"
        entry["graphs"] = graphs
        entry["triples"] = sum(sizes.get(g, 0) for g in graphs)
    ordered = sorted(parts.values(), key=lambda e: (
        e["kind"] != "Paragraph", e["number"] if e["number"] is not None else 0, e["label"]))
    unattributed = sorted(g for g in sizes if g not in attributed and g not in SPECIAL_GRAPHS)
    return {
        "parts": ordered,
        "without_facts": [e["label"] for e in ordered if e["triples"] == 0],
        "unattributed_graphs": unattributed,
    }


def stats(store: ox.Store) -> dict[str, Any]:
    """Every figure, as plain JSON-ready values."""
    sizes = graph_sizes(store)
    default = _int(select_internal(store, "stats-default-size", union=False)[0]["triples"])
    inferred = sizes.get(str(INFERRED_GRAPH), 0)
    ontology = sizes.get(str(ONTOLOGY_GRAPH), 0)
    asserted = default + sum(n for g, n in sizes.items()
                             if g not in (str(INFERRED_GRAPH), str(ONTOLOGY_GRAPH)))
    classes = [{"class": str(r["class"].value), "entities": _int(r["entities"])}
               for r in select_internal(store, "stats-classes")]
    entities = _int(select_internal(store, "stats-entities")[0]["entities"])
    observations = [{"measure": _value(r["measure"]), "observations": _int(r["observations"])}
                    for r in select_internal(store, "stats-observations")]
    links = [{"property": str(r["property"].value), "target": str(r["target"].value),
              "links": _int(r["links"])} for r in select_internal(store, "stats-links")]
    linked = [{"class": str(r["class"].value), "entities": _int(r["entities"]),
               "linked": _int(r["linked"])}
              for r in select_internal(store, "stats-link-coverage")]
    return {
        "triples": {"asserted": asserted, "inferred": inferred, "ontology": ontology,
                    "total": asserted + inferred + ontology},
        "named_graphs": len([g for g in sizes if g not in SPECIAL_GRAPHS]),
        "entities": entities,
        "classes": classes,
        "observations": {"total": sum(o["observations"] for o in observations),
                         "by_measure": observations},
        "links": {"total": sum(link["links"] for link in links), "by_target": links,
                  "coverage_by_class": linked},
        "coverage": coverage(store, sizes),
    }


def compact(iri: str | None) -> str:
    """``prefix:local`` for IRIs under a known prefix (longest namespace wins)."""
    if iri is None:
        return "(none)"
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


def to_text(figures: dict[str, Any]) -> str:
    """A readable summary of :func:`stats`."""
    t = figures["triples"]
    lines = [
        f"triples: {t['asserted']} asserted, {t['inferred']} inferred, "
        f"{t['ontology']} ontology, {t['total']} in all",
        f"named graphs of the paper: {figures['named_graphs']}",
        f"entities: {figures['entities']}",
        "",
        "entities per class:",
    ]
    lines += [f"  {c['entities']:>6}  {compact(c['class'])}" for c in figures["classes"]]
    obs = figures["observations"]
    lines += ["", f"observations: {obs['total']}"]
    lines += [f"  {o['observations']:>6}  "
              + (compact(o["measure"]) if o["measure"] else "(no measure)")
              for o in obs["by_measure"]]
    links = figures["links"]
    lines += ["", f"external links: {links['total']}"]
    lines += [f"  {link['links']:>6}  {compact(link['property'])} -> {link['target']}"
              for link in links["by_target"]]
    lines += ["", "entities with at least one external link, per class:"]
    lines += [f"  {c['linked']:>6} of {c['entities']:<4} {compact(c['class'])}"
              for c in links["coverage_by_class"]]
    cov = figures["coverage"]
    lines += ["", "coverage (triples per part of the paper):"]
    lines += [f"  {p['triples']:>6}  {p['label']}" for p in cov["parts"]]
    missing = cov["without_facts"]
    lines += ["", f"parts without facts: {len(missing)}"]
    lines += [f"  {label}" for label in missing]
    if cov["unattributed_graphs"]:
        lines += ["", "named graphs not derived from any part:"]
        lines += [f"  {g}" for g in cov["unattributed_graphs"]]
    return "\n".join(lines) + "\n"
