"""Benchmark the SPARQL endpoint over loopback HTTP against the bare engine in-process.

    .venv/bin/python bench/bench_endpoint.py [--duration 2] [--no-build]

Serves one store (the built kgraph graph when it builds, plus a synthetic 10k-triple
organization/program graph in a named graph of its own) with the production server in a
child process on 127.0.0.1, then for each query (the competency queries of queries/*.rq
and the synthetic lookup / group-by / three-way join of bench/endpoint-queries/) drives it
with 1, 4 and 8 concurrent client processes (keep-alive connections) for a fixed time,
printing p50/p99 latency and throughput. The same queries run in this process on bare
pyoxigraph (query + SPARQL JSON serialization) as the baseline; the HTTP overhead at p50
is the difference. Loopback only; every cell is time-bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import multiprocessing as mp
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BENCH = "http://example.org/bench/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SYNTHETIC_GRAPH = "https://w3id.org/kgraph/graph/bench-synthetic"
#: Reference figures of the issue (requests/s, 2 cores, 10k triples, loopback).
REFERENCE = {
    "lookup": {"Virtuoso 7.2": 3800, "rdflib-endpoint 0.6": None, "Flask+pyoxigraph": 4800},
    "group-by": {"Virtuoso 7.2": 600, "rdflib-endpoint 0.6": 13, "Flask+pyoxigraph": 1500},
    "join": {"Virtuoso 7.2": 820, "rdflib-endpoint 0.6": 1, "Flask+pyoxigraph": 2400},
}


def synthetic_quads() -> list[ox.Quad]:
    """About 10k triples: organizations in regions taking part in programs of agencies."""
    g = ox.NamedNode(SYNTHETIC_GRAPH)
    n = ox.NamedNode
    quads = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(n(BENCH + s), n(p), o, g))

    for a in range(20):
        add(f"agency-{a}", RDF_TYPE, n(BENCH + "Agency"))
        add(f"agency-{a}", RDFS_LABEL, ox.Literal(f"Agency {a}", language="en"))
    for p in range(200):
        add(f"program-{p}", RDF_TYPE, n(BENCH + "Program"))
        add(f"program-{p}", RDFS_LABEL, ox.Literal(f"Program {p}", language="en"))
        add(f"program-{p}", BENCH + "launchedBy", n(BENCH + f"agency-{p % 20}"))
        add(f"program-{p}", BENCH + "startYear", ox.Literal(str(1990 + p % 25),
                                                           datatype=n(
                                                               "http://www.w3.org/2001/"
                                                               "XMLSchema#integer")))
    for o in range(1300):
        add(f"org-{o}", RDF_TYPE, n(BENCH + "Organization"))
        add(f"org-{o}", RDFS_LABEL, ox.Literal(f"Organization {o}", language="en"))
        add(f"org-{o}", BENCH + "locatedIn", n(BENCH + f"region-{(o * 7) % 17}"))
        for k in range(4):
            program = n(BENCH + f"program-{(o * 13 + k * 37) % 200}")
            add(f"org-{o}", BENCH + "participatesIn", program)
    return quads


def make_store(build: bool) -> tuple[ox.Store, str]:
    store = ox.Store()
    note = "synthetic graph only"
    if build:
        try:
            from kgraph import settings
            from kgraph.store import open_store

            store = open_store(settings.resolve())
            note = f"kgraph build ({len(store)} quads) + synthetic graph"
        except Exception as exc:  # the benchmark still measures the synthetic graph
            note = f"synthetic graph only (build failed: {exc})"
    store.extend(synthetic_quads())
    return store, note


def queries() -> dict[str, str]:
    """Competency queries (those calling remote SERVICEs left out: loopback only), then ours."""
    from kgraph.scan import scan

    found = {}
    for path in sorted((ROOT / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        if not scan(text).services:
            found[path.stem] = text
    for path in sorted((ROOT / "bench" / "endpoint-queries").glob("*.rq")):
        found[path.stem] = path.read_text(encoding="utf-8")
    return found


def serve_child(nq_path: str, minimal: bool) -> None:
    """Child process: load the N-Quads dump and serve it under waitress.

    ``minimal`` serves the baseline instead: a bare Flask view that runs the query in the
    request thread and returns pyoxigraph's JSON (no limits, no negotiation, no checks).
    """
    from kgraph import settings
    from kgraph.web.serve import serve

    store = ox.Store()
    store.bulk_load(path=nq_path, format=ox.RdfFormat.N_QUADS)
    if not minimal:
        serve(settings.resolve({"host": "127.0.0.1", "port": 0, "log_level": "WARNING",
                                "max_rows": 100000}), store)
        return
    import waitress
    from flask import Flask, Response, request

    app = Flask("minimal")

    @app.get("/sparql")
    def sparql() -> Response:
        result = store.query(request.args["query"], use_default_graph_as_union=True)
        return Response(result.serialize(format=ox.QueryResultsFormat.JSON),
                        content_type="application/sparql-results+json")

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    print(f"minimal: serving on http://127.0.0.1:{server.effective_port}/", file=sys.stderr,
          flush=True)
    server.run()


def start_server(dump: str, minimal: bool) -> tuple[subprocess.Popen, str, int]:
    flag = "--serve-minimal" if minimal else "--serve-child"
    child = subprocess.Popen([sys.executable, __file__, flag, dump],
                             stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = child.stderr.readline()
        found = re.search(rb"http://([\d.]+):(\d+)/", line)
        if found:
            return child, found.group(1).decode(), int(found.group(2))
        if not line and child.poll() is not None:
            break
    stop_server(child)
    raise SystemExit("server did not start")


def stop_server(child: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGINT)
    try:
        child.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(5)


def client_loop(host: str, port: int, path: str, start_at: float, stop_at: float,
                out: mp.Queue) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.connect()
    headers = {"Accept": "application/sparql-results+json"}
    latencies = []
    errors = 0
    time.sleep(max(0.0, start_at - time.perf_counter()))
    while time.perf_counter() < stop_at:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        if response.status != 200:
            errors += 1
    conn.close()
    out.put((latencies, errors))


def drive(host: str, port: int, query: str, clients: int, duration: float) -> dict:
    """Throughput and latency of ``clients`` keep-alive clients over the same time window."""
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    start_at = time.perf_counter() + 0.2 + 0.05 * clients  # after every client is ready
    stop_at = start_at + duration
    procs = [ctx.Process(target=client_loop, args=(host, port, path, start_at, stop_at, out))
             for _ in range(clients)]
    for p in procs:
        p.start()
    results = [out.get(timeout=duration + 60) for _ in procs]
    for p in procs:
        p.join()
    latencies = sorted(x for r, _ in results for x in r)
    errors = sum(e for _, e in results)
    return {"n": len(latencies), "errors": errors, "rps": len(latencies) / duration,
            "p50": statistics.median(latencies) * 1000,
            "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000}


def bare(store: ox.Store, query: str, duration: float) -> float:
    """p50 in ms of query + JSON serialization in-process (no HTTP, no workers)."""
    times = []
    stop_at = time.perf_counter() + duration
    while time.perf_counter() < stop_at or len(times) < 20:
        started = time.perf_counter()
        result = store.query(query, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            ox.serialize(result, format=ox.RdfFormat.TURTLE)
        else:
            result.serialize(format=ox.QueryResultsFormat.JSON)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=2.0,
                        help="seconds per cell for the synthetic queries")
    parser.add_argument("--competency-duration", type=float, default=0.3,
                        help="seconds per cell for each competency query")
    parser.add_argument("--no-build", action="store_true", help="skip the kgraph build")
    parser.add_argument("--server-processes", type=int, default=None,
                        help="kgraph server processes (default: the setting's value)")
    parser.add_argument("--synthetic-only", action="store_true",
                        help="only the synthetic lookup / group-by / join queries")
    parser.add_argument("--serve-child", help=argparse.SUPPRESS)
    parser.add_argument("--serve-minimal", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_child or args.serve_minimal:
        serve_child(args.serve_child or args.serve_minimal, bool(args.serve_minimal))
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still stop the servers
    if args.server_processes:
        os.environ["KGRAPH_SERVER_PROCESSES"] = str(args.server_processes)

    store, note = make_store(not args.no_build)
    synthetic = {p.stem for p in (ROOT / "bench" / "endpoint-queries").glob("*.rq")}
    with tempfile.TemporaryDirectory() as tmp:
        dump = os.path.join(tmp, "bench.nq")
        store.dump(dump, format=ox.RdfFormat.N_QUADS)
        ours, host, port = start_server(dump, minimal=False)
        try:
            minimal, mhost, mport = start_server(dump, minimal=True)
        except BaseException:
            stop_server(ours)
            raise
        try:
            load = os.getloadavg()[0]
            print(f"store: {len(store)} quads ({note}); {os.cpu_count()} CPUs, load average "
                  f"{load:.1f} at start\n"
                  f"kgraph at http://{host}:{port}/, minimal Flask+pyoxigraph baseline at "
                  f"http://{mhost}:{mport}/\n")
            print(f"{'query':28} {'bare p50':>9} | {'c':>2} {'p50 ms':>8} {'p99 ms':>8} "
                  f"{'req/s':>7} {'err':>3} | {'minimal req/s':>13} {'ratio':>6} | "
                  f"{'HTTP overhead p50':>17}")
            summary: dict[str, dict[int, tuple[dict, dict | None]]] = {}
            for name, text in queries().items():
                is_synthetic = name in synthetic
                if args.synthetic_only and not is_synthetic:
                    continue
                duration = args.duration if is_synthetic else args.competency_duration
                base = bare(store, text, min(1.0, duration))
                for clients in (1, 4, 8):
                    r = drive(host, port, text, clients, duration)
                    m = drive(mhost, mport, text, clients, duration) if is_synthetic else None
                    overhead = f"{r['p50'] - base:+.3f} ms" if clients == 1 else ""
                    mtext = f"{m['rps']:13.0f} {r['rps'] / m['rps']:6.2f}" if m else " " * 20
                    print(f"{name[:28]:28} {base:8.3f}m | {clients:>2} {r['p50']:8.3f} "
                          f"{r['p99']:8.3f} {r['rps']:7.0f} {r['errors']:>3} | {mtext} | "
                          f"{overhead:>17}", flush=True)
                    summary.setdefault(name, {})[clients] = (r, m)
            print("\nrequests/s, best of 1/4/8 clients, with the issue's reference figures:")
            for name, refs in REFERENCE.items():
                if name not in summary:
                    continue
                best = max(r["rps"] for r, _ in summary[name].values())
                mbest = max(m["rps"] for _, m in summary[name].values() if m)
                shown = ", ".join(f"{k} {v if v is not None else '-'}" for k, v in refs.items())
                print(f"  {name:9} kgraph {best:6.0f} | minimal Flask+pyoxigraph measured now "
                      f"{mbest:6.0f} | issue: {shown}")
        finally:
            stop_server(ours)
            stop_server(minimal)


if __name__ == "__main__":
    main()
