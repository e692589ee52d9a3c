"""Time SHACL validation at the paper's size and at a synthetic scale-up (default 100x).

    python bench/bench_validate.py [--root DIR] [--scale 100] [--repeat 5] [--no-baseline-at-scale]

Measured: ``kgraph.validate.validate(sources, inferred)`` (assembling the data graph,
pySHACL, enriching every result with label, file and paragraph). Baseline, in the same
process on the same triples: plain ``pyshacl.validate(data, shacl_graph=shapes,
inference='none')`` on an ordinary rdflib Graph holding data + inferred triples + the
class hierarchy. The scale-up copies every data quad and inferred triple N-1 times with
each resource IRI renamed (``…/id/place/seoul`` -> ``…/id/place/seoul-x2``) and labels
suffixed (`` #2``) so that copies stay distinct; the paper's parts, graph names, the
ontology and the shapes stay as they are.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

from pyshacl import validate as pyshacl_validate
from rdflib import RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kgraph import load, reason, settings
from kgraph import validate as kvalidate

ID = "https://w3id.org/kgraph/id/"
KEEP = (ID + "source/", ID + "publication/park-koo-2013")
LABELS = (RDFS.label, SKOS.altLabel)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall and CPU time over ``repeat`` runs, and the last value.

    CPU time (this process only) is the steadier figure on a shared machine.
    """
    walls, cpus, value = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), value


def rename(term: Any, k: int) -> Any:
    if k == 1 or not isinstance(term, URIRef):
        return term
    text = str(term)
    if text.startswith(ID) and not text.startswith(KEEP):
        return URIRef(f"{text}-x{k}")
    return term


def relabel(subject: Any, predicate: Any, obj: Any, k: int) -> Any:
    """Suffix the labels of renamed resources, so the copies stay distinguishable."""
    renamed = rename(subject, k) != subject
    if renamed and predicate in LABELS and isinstance(obj, Literal) and obj.language:
        return Literal(f"{obj} #{k}", lang=obj.language)
    return obj


def scaled(sources: load.Sources, inferred: Graph, factor: int) -> tuple[load.Sources, Graph]:
    """``factor`` renamed copies of every data quad and inferred triple."""
    data = Dataset()
    quads = list(sources.data.quads((None, None, None, None)))
    big_inferred = Graph()
    origins: dict[URIRef, tuple[str, ...]] = {}
    for k in range(1, factor + 1):
        data.addN((rename(s, k), p, relabel(s, p, rename(o, k), k), data.graph(g))
                  for s, p, o, g in quads)
        for s, p, o in inferred:
            big_inferred.add((rename(s, k), p, rename(o, k)))
        for subject, files in sources.origins.items():
            origins[rename(subject, k)] = files
    return (load.Sources(root=sources.root, ontology=sources.ontology, data=data,
                         shapes=sources.shapes, files=sources.files,
                         fingerprint=f"{sources.fingerprint}-x{factor}", origins=origins),
            big_inferred)


def plain_graph(sources: load.Sources, inferred: Graph) -> Graph:
    """The same triples as kgraph validates, in an ordinary rdflib Graph."""
    graph = Graph()
    for triple in kvalidate.data_graph(sources.data, inferred, sources.ontology):
        graph.add(triple)
    return graph


def baseline(sources: load.Sources, inferred: Graph) -> Callable[[], bool]:
    graph = plain_graph(sources, inferred)

    def run() -> bool:
        conforms, _results, _text = pyshacl_validate(graph, shacl_graph=sources.shapes,
                                                     inference="none")
        return bool(conforms)

    return run


def measure(label: str, sources: load.Sources, inferred: Graph, repeat: int,
            with_baseline: bool) -> None:
    triples = sum(1 for _ in sources.data.quads((None, None, None, None))) + len(inferred)
    ours, ours_cpu, report = timed(lambda: kvalidate.validate(sources, inferred), repeat)
    counts = report.counts()
    print(f"{label}: {triples} data+inferred triples, conforms={report.conforms} "
          f"({counts['Violation']} violations, {counts['Warning']} warnings)")
    print(f"  kgraph validate          {ours:8.3f} s wall {ours_cpu:8.3f} s CPU"
          f"  (median of {repeat})")
    if with_baseline:
        plain, plain_cpu, _ = timed(baseline(sources, inferred), repeat)
        print(f"  plain pyshacl validate   {plain:8.3f} s wall {plain_cpu:8.3f} s CPU"
              f"  (median of {repeat})")
        print(f"  ratio kgraph / plain     {ours / plain:8.2f} wall "
              f"{ours_cpu / plain_cpu:8.2f} CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="", help="kgraph root (default: the embedded one)")
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5, help="runs at the paper's size")
    parser.add_argument("--no-baseline-at-scale", action="store_true",
                        help="skip plain pySHACL on the scaled graph (it is slow)")
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)
    sources = load.load(settings.resolve({"root": args.root or None}, environ={}))
    inferred = reason.reason(sources)
    measure("paper", sources, inferred, args.repeat, with_baseline=True)
    if args.scale > 1:
        start = time.perf_counter()
        big, big_inferred = scaled(sources, inferred, args.scale)
        print(f"(scale-up x{args.scale} built in {time.perf_counter() - start:.1f} s)")
        measure(f"x{args.scale}", big, big_inferred, 1,
                with_baseline=not args.no_baseline_at_scale)


if __name__ == "__main__":
    main()
