"""Fixtures for the ontology tests (helpers live in ontology_support.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ontology_support import (
    INSTALL_HINT,
    JAVA_SOURCE,
    ONTOLOGY_DIR,
    REQUIRE_ENV,
    OwlTool,
    data_files,
    fetch_jars,
    load_union,
    ontology_files,
    parse_into,
    tools_dir,
)


@pytest.fixture(scope="module")
def ontology_graph() -> rdflib.Graph:
    """All ontology/*.ttl files merged; read-only by convention (tests must not add to it)."""
    graph = rdflib.Graph()
    for path in ontology_files():
        parse_into(graph, path)
    return graph


@pytest.fixture(scope="module")
def core_graph() -> rdflib.Graph:
    """ontology/kgraph.ttl alone."""
    graph = rdflib.Graph()
    parse_into(graph, ONTOLOGY_DIR / "kgraph.ttl")
    return graph


@pytest.fixture(scope="module")
def union_dataset() -> rdflib.Dataset:
    """Ontology plus all data present now; read-only by convention."""
    return load_union(ontology_files(), data_files())


def _unavailable(reason: str) -> None:
    """Skip on a developer machine; fail in CI (KGRAPH_REQUIRE_OWL_TOOLS=1) so that a missing
    tool can never pass as green."""
    message = f"{reason}. {INSTALL_HINT}"
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def owl_tool(tmp_path_factory: pytest.TempPathFactory) -> OwlTool:
    java, javac = shutil.which("java"), shutil.which("javac")
    if not java:
        _unavailable("java not found")
    try:
        jar_dir = fetch_jars(tools_dir())
    except (OSError, subprocess.SubprocessError) as error:
        _unavailable(f"OWL API/HermiT jars unavailable ({error})")
    jars = sorted(str(p) for p in jar_dir.glob("*.jar"))
    if not any("hermit" in Path(j).name.lower() for j in jars):
        _unavailable(f"no HermiT jar in {jar_dir}")
    classpath = os.pathsep.join(jars)
    if not javac:  # a JRE: Java 11+ compiles and runs a single source file itself
        return OwlTool(command=(java, "-Xmx2g", "-cp", classpath, str(JAVA_SOURCE)))
    classes = tmp_path_factory.mktemp("owlcheck-classes")
    result = subprocess.run(
        [javac, "-nowarn", "-d", str(classes), "-cp", classpath, str(JAVA_SOURCE)],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"OwlCheck.java does not compile:\n{result.stderr}"
    return OwlTool(command=(java, "-Xmx2g", "-cp", os.pathsep.join([str(classes), classpath]),
                            "OwlCheck"))


@pytest.fixture
def owl_check(owl_tool: OwlTool) -> Callable[..., dict[str, Any]]:
    """Run OwlCheck and insist the OWL API used the expected parser and found axioms: the OWL
    API otherwise reads a broken file as an empty ontology in some other format."""

    def check(document: Path, expected_format: str, *, reasoner: bool = True) -> dict[str, Any]:
        report = owl_tool.run(document, reasoner=reasoner)
        if report["format"] != expected_format or report["axioms"] == 0:
            raise AssertionError(
                f"{document}: OWL API read it as {report['format']!r} with {report['axioms']} "
                f"axioms, expected {expected_format!r} with axioms (a syntax error?)")
        return report

    return check
