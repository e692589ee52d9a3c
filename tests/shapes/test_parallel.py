"""Validation split over two processes reports exactly what one process reports."""

from __future__ import annotations

from rdflib import RDF, Dataset, Graph
from rdflib.namespace import SH

from kgraph import shacl_parallel, validate

from .shapes_support import BASE, FIXTURES, ontology_graph, shapes_graph


def outcomes(report: Graph) -> set[tuple]:
    """Each result as (severity, focus, path, value, shape, component, message); a complex path
    is a blank node local to its process, so it is compared in SPARQL syntax."""
    keys = (SH.resultSeverity, SH.focusNode, SH.value, SH.sourceShape,
            SH.sourceConstraintComponent, SH.resultMessage)
    return {(validate.path_text(report, report.value(node, SH.resultPath)),
             *(report.value(node, key) for key in keys))
            for node in report.subjects(RDF.type, SH.ValidationResult)}


def test_split_run_matches_single_run_on_every_planted_defect() -> None:
    dataset = Dataset()
    for path in [BASE, *sorted(FIXTURES.glob("*.trig"))]:
        dataset.parse(path, format="trig")
    shapes = shapes_graph()
    graph = validate.data_graph(dataset, None, ontology_graph())
    assert shacl_parallel.can_fork(), "the split path is what this test is about"
    single = outcomes(validate.run_shacl(graph, shapes, parallel=False))
    split = outcomes(validate.run_shacl(graph, shapes, parallel=True))
    assert split == single
    reported = {key[4] for key in single}
    assert len(reported) >= len(list(FIXTURES.glob("*.trig"))) // 2


def test_every_targeted_shape_lands_in_exactly_one_half() -> None:
    shapes = shapes_graph()
    targeted = shacl_parallel.targeted_shapes(shapes)
    shared = shacl_parallel.helper_shapes(shapes, targeted)
    assert len(targeted) > 20
    assert not set(targeted) & set(shared)
    assert set(targeted[0::2]) | set(targeted[1::2]) == set(targeted)
