"""Run pySHACL on both cores: the targeted shapes split in two, one half in a forked child.

pySHACL is pure Python and single-threaded; at the paper's size most of validation is spent
checking values shape by shape. Shapes are independent, so two processes (fork shares the
prepared data graph copy-on-write) halve the wall time. The child's results come back as
N-Triples and are merged into the parent's report graph.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .errors import InputError

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

Runner = Callable[[Sequence[URIRef] | None], Graph]


def targeted_shapes(shapes: Graph) -> list[URIRef]:
    """Shapes that select their own focus nodes (the only ones pySHACL starts from)."""
    found = {s for p in TARGETS for s in shapes.subjects(p, None) if isinstance(s, URIRef)}
    return sorted(found)


def helper_shapes(shapes: Graph, targeted: Sequence[URIRef]) -> list[URIRef]:
    """Named shapes without targets (reused through sh:property / sh:node): pySHACL only builds
    the shapes it is given by IRI, so every group must carry all of these."""
    named = {s for kind in (SH.NodeShape, SH.PropertyShape)
             for s in shapes.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    named |= {s for s in shapes.subjects(SH.path, None) if isinstance(s, URIRef)}
    return sorted(named - set(targeted))


def can_fork() -> bool:
    """Forking is only safe from a single-threaded process (no lock held by another thread)."""
    return hasattr(os, "fork") and threading.active_count() == 1 and (os.cpu_count() or 1) > 1


def run_split(shapes: Graph, run: Runner) -> Graph:
    """``run(use_shapes)`` on two halves of the targeted shapes, concurrently when possible.

    Falls back to one ``run(None)`` (all shapes) when forking is unsafe or pointless.
    """
    names = targeted_shapes(shapes)
    if len(names) < 2 or not can_fork():
        return run(None)
    shared = helper_shapes(shapes, names)
    mine, theirs = names[0::2] + shared, names[1::2] + shared
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: validate its half, send the results, exit without cleanup handlers
        os.close(read_end)
        code = 0
        try:
            payload = b"ok\n" + run(theirs).serialize(format="nt", encoding="utf-8")
        except BaseException as exc:  # reported to the parent, which raises it
            payload = b"error\n" + str(exc).encode("utf-8", "replace")
            code = 1
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
        os._exit(code)
    os.close(write_end)
    try:
        report = run(mine)
    finally:
        with os.fdopen(read_end, "rb") as incoming:
            payload = incoming.read()
        os.waitpid(pid, 0)
    status, _, body = payload.partition(b"\n")
    if status != b"ok":
        raise InputError(body.decode("utf-8", "replace") or "shapes: validation child failed")
    report.parse(data=body.decode("utf-8"), format="nt")
    return report
