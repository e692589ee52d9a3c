"""`kgraph serve`: builds, refuses non-conforming data, serves under the production server."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from kgraph import settings
from kgraph.errors import NonConformingError

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "pipeline" / "fixtures" / "mini"
UNLABELLED = ("@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
              "@prefix graph: <https://w3id.org/kgraph/graph/> .\n"
              "graph:paragraph-2 { <https://w3id.org/kgraph/id/organization/nameless> "
              "a kg:Firm . }\n")


@pytest.fixture
def mini_root(tmp_path: Path) -> Path:
    if not MINI.is_dir():
        pytest.skip(f"{MINI} (the pipeline's small test root) is not in this tree")
    root = tmp_path / "root"
    for name in ("ontology", "data", "shapes"):
        shutil.copytree(MINI / name, root / name)
    shutil.copytree(REPO / "tests" / "web" / "gallery", root / "queries")
    return root


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_refuses_non_conforming_data_before_listening(mini_root: Path,
                                                            tmp_path: Path) -> None:
    (mini_root / "data" / "unlabelled.trig").write_text(UNLABELLED, encoding="utf-8")
    port = free_port()
    resolved = settings.resolve({"root": str(mini_root), "cache_dir": str(tmp_path / "cache"),
                                 "port": port}, environ={})
    from kgraph.web.serve import serve

    with pytest.raises(NonConformingError):
        serve(resolved)
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0  # nothing is listening


def test_kgraph_serve_runs_a_production_server(mini_root: Path, tmp_path: Path) -> None:
    env = dict(os.environ, KGRAPH_ROOT=str(mini_root), KGRAPH_CACHE_DIR=str(tmp_path / "c"),
               KGRAPH_HOST="127.0.0.1", KGRAPH_PORT=str(free_port()))
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from kgraph.cli import main; sys.exit(main())",
         "serve"], env=env, stderr=subprocess.PIPE, start_new_session=True)
    try:
        url = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and url is None:
            line = process.stderr.readline().decode()
            if not line and process.poll() is not None:
                break
            found = re.search(r"serving on (http://[\d.]+:\d+)/", line)
            url = found.group(1) if found else None
        assert url, "the server did not report its address"
        assert requests.get(url + "/health", timeout=5).json()["ok"] is True
        server = requests.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
        assert server.json()["boolean"] is True
        # waitress with our ident, not Werkzeug's development server
        assert requests.get(url + "/health", timeout=5).headers["Server"] == "kgraph"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
    assert process.returncode == 0


@pytest.mark.parametrize("trusted", [False, True])
def test_forwarded_headers_only_behind_a_trusted_proxy(live_factory, trusted: bool) -> None:
    server = live_factory(trust_proxy=str(trusted).lower())
    description = requests.get(server.sparql, timeout=5, headers={
        "Accept": "application/n-triples", "X-Forwarded-Host": "kgraph.example.org",
        "X-Forwarded-Proto": "https"}).text
    public = "<https://kgraph.example.org/sparql>" in description
    assert public is trusted
    assert (f"<{server.sparql}>" in description) is not trusted
