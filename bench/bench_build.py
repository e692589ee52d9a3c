"""Time each build step at the paper's size and at a synthetic 10x scale-up.

    python bench/bench_build.py [--root DIR] [--scale 10]

Baseline: parsing every source file with rdflib alone, measured in the same process, so
the ratios say what each step costs relative to just reading the data. The scale-up
copies every data graph N-1 times with each resource IRI renamed (``…/id/place/seoul``
-> ``…/id/place/seoul-x2``), keeping the paper's parts and graph names, so every named
graph grows N-fold while the ontology and shapes stay as they are.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from kgraph import build, load, reason, resources, settings, store

ID = "https://w3id.org/kgraph/id/"
KEEP = (ID + "source/", ID + "publication/park-koo-2013")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def baseline_parse(root: Path) -> int:
    """rdflib parse of every source file, nothing else."""
    files = load.source_files(root)
    total = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for group, paths in files.items():
            for path in paths:
                target = Dataset() if group == "data" else Graph()
                target.parse(path, format=load.FORMAT_BY_SUFFIX[path.suffix])
                total += len(target) if group != "data" else sum(1 for _ in target.quads())
    return total


def scaled_root(root: Path, factor: int, into: Path) -> Path:
    """A root whose data holds ``factor`` renamed copies of every data quad."""
    for name in ("ontology", "shapes", "data"):
        shutil.copytree(root / name, into / name)
    if (root / "queries").is_dir():
        shutil.copytree(root / "queries", into / "queries")
    sources = load.load(settings.resolve({"root": str(root)}, environ={}))

    def rename(term: Any, k: int) -> Any:
        text = str(term)
        if isinstance(term, URIRef) and text.startswith(ID) and not text.startswith(KEEP):
            return URIRef(f"{text}-x{k}")
        return term

    for k in range(2, factor + 1):
        copy = Dataset()
        copy.addN((rename(s, k), p, rename(o, k), g)
                  for s, p, o, g in sources.data.quads((None, None, None, None)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            copy.serialize(into / "data" / f"zz-scaled-copy-{k}.trig", format="trig")
    return into


def measure(root: Path, cache: Path) -> dict[str, Any]:
    s = settings.resolve({"root": str(root), "cache_dir": str(cache)}, environ={})
    figures: dict[str, Any] = {}
    figures["baseline"], quads = timed(lambda: baseline_parse(root))
    figures["quads"] = quads
    figures["load"], sources = timed(lambda: load.load(s))
    figures["reason"], inference = timed(lambda: reason.infer(sources))
    figures["inferred"] = len(inference.triples)
    try:
        from kgraph import validate

        figures["validate"], report = timed(lambda: validate.validate(sources,
                                                                      inference.triples))
        figures["conforms"] = report.conforms
    except Exception as exc:  # report the step as failed, keep measuring the others
        figures["validate"] = None
        figures["conforms"] = f"validation failed: {type(exc).__name__}: {exc}"[:200]

    def write() -> Path:
        path = cache / "bench-graph.nq"
        cache.mkdir(parents=True, exist_ok=True)
        build.write_nquads(path, sources, inference.triples)
        return path

    figures["write"], path = timed(write)
    figures["store"], st = timed(lambda: store.load_nquads(path))
    figures["store_quads"] = len(st)
    figures["query"], _ = timed(lambda: list(st.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")))
    return figures


STEPS = ("baseline", "load", "reason", "validate", "write", "store", "query")


def report(label: str, f: dict[str, Any]) -> None:
    print(f"\n{label}: {f['quads']} source triples/quads, {f['inferred']} inferred, "
          f"{f['store_quads']} quads in the store; conforms: {f['conforms']}")
    print(f"  {'step':<10}{'seconds':>10}{'x baseline':>12}")
    for step in STEPS:
        value = f[step]
        if value is None:
            print(f"  {step:<10}{'failed':>10}")
            continue
        print(f"  {step:<10}{value:>10.3f}{value / f['baseline']:>12.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="", help="source root (default: the package's)")
    parser.add_argument("--scale", type=int, default=10, help="scale-up factor (default 10)")
    args = parser.parse_args(argv)
    root = resources.root(settings.resolve({"root": args.root}, environ={}))
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as tmp:
        work = Path(tmp)
        paper = measure(root, work / "cache-1")
        report("paper size", paper)
        big_root = scaled_root(root, args.scale, work / "scaled")
        big = measure(big_root, work / f"cache-{args.scale}")
        report(f"{args.scale}x scale-up", big)
        print(f"\ngrowth from paper size to {args.scale}x (seconds ratio; "
              f"{big['quads'] / paper['quads']:.1f}x the triples):")
        for step in STEPS:
            if paper[step] and big[step]:
                print(f"  {step:<10}{big[step] / paper[step]:>8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
