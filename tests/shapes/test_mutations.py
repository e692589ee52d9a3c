"""Mutation coverage: every shape rejects a fixture holding one planted defect per constraint.

``fixtures/<shape>.trig`` is added to the valid world of ``base.trig``; the shape named by
the file must then report, through every constraint component it declares, and no other
shape may object unless the fixture lists it on an ``# also: kgsh:...`` line.
"""

from __future__ import annotations

import re

import pytest
from rdflib import URIRef

from .shapes_support import (
    BASE,
    FIXTURES,
    KGSH,
    constraining_shapes,
    constraint_components,
    ontology_graph,
    shapes_graph,
    validate_files,
)

SHAPES = shapes_graph()
ONTOLOGY = ontology_graph()
NAMES = [str(s)[len(KGSH):] for s in constraining_shapes(SHAPES)]


def local(node: object) -> str:
    return str(node).rsplit("#", 1)[-1]


def test_base_world_conforms_without_any_result() -> None:
    report = validate_files(BASE, shapes=SHAPES, ontology=ONTOLOGY)
    assert report.results == [], report.to_text()


def test_every_shape_has_a_fixture() -> None:
    missing = [name for name in NAMES if not (FIXTURES / f"{name}.trig").is_file()]
    assert missing == [], f"shapes without a fixture in {FIXTURES}: {missing}"


def test_every_fixture_belongs_to_a_shape() -> None:
    orphans = sorted(p.stem for p in FIXTURES.glob("*.trig") if p.stem not in NAMES)
    assert orphans == [], f"fixtures naming no shape: {orphans}"


@pytest.mark.parametrize("name", NAMES)
def test_shape_rejects_its_fixture(name: str) -> None:
    fixture = FIXTURES / f"{name}.trig"
    if not fixture.is_file():
        pytest.fail(f"no fixture {fixture.name} for kgsh:{name}")
    shape = URIRef(KGSH + name)
    expected_companions = set(re.findall(r"^# also: kgsh:(\S+)$", fixture.read_text(),
                                         flags=re.M))
    report = validate_files(BASE, fixture, shapes=SHAPES, ontology=ONTOLOGY)
    mine = [r for r in report.results if r.shape == shape]
    assert mine, f"kgsh:{name} did not report its planted defect:\n{report.to_text()}"
    others = {local(r.shape) for r in report.results if r.shape != shape}
    assert others <= expected_companions, (
        f"other shapes objected to the fixture of kgsh:{name}:\n{report.to_text()}")
    declared = constraint_components(SHAPES, shape)
    reported = {r.constraint for r in mine}
    assert declared <= reported, (
        f"constraints of kgsh:{name} never triggered: "
        f"{sorted(local(c) for c in declared - reported)}")
    assert all(r.message for r in mine)
