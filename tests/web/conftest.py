"""Fixtures for the web tests: a small store, an app around it, and real server processes."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from kgraph.web.app import close, create_app

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixture.trig"
BASE = "https://w3id.org/kgraph/"


def load_fixture() -> ox.Store:
    store = ox.Store()
    store.load(input=FIXTURE.read_bytes(), format=ox.RdfFormat.TRIG)
    return store


def make_root(folder: Path) -> Path:
    """A kgraph root holding only the gallery queries (the store is passed directly)."""
    for name in ("ontology", "data", "shapes"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    shutil.copytree(HERE / "gallery", folder / "queries", dirs_exist_ok=True)
    return folder


@pytest.fixture
def store() -> ox.Store:
    return load_fixture()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path / "root")


@pytest.fixture
def app(store: ox.Store, root: Path):
    app = create_app(store=store, test_config={
        "root": str(root), "query_timeout": 5.0, "max_rows": 20, "max_query_length": 2000,
        "max_body_bytes": 4096, "query_workers": 2, "federation_allowlist": (),
        "TESTING": True})
    yield app
    close(app)


@pytest.fixture
def client(app):
    return app.test_client()


class LiveServer:
    """A `kgraph` server process on 127.0.0.1 with a free port."""

    def __init__(self, tmp: Path, **overrides: object) -> None:
        env = dict(os.environ)
        env.update({"KGRAPH_HOST": "127.0.0.1", "KGRAPH_PORT": "0",
                    "KGRAPH_ROOT": str(make_root(tmp / "root")),
                    "KGRAPH_LOG_LEVEL": "WARNING"})
        for key, value in overrides.items():
            if isinstance(value, tuple | list):
                value = ",".join(value)
            env["KGRAPH_" + key.upper()] = str(value)
        self.log = open(tmp / "server.log", "w+b")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "serve_fixture.py"), str(FIXTURE)],
            env=env, stdout=self.log, stderr=self.log, start_new_session=True)
        self.url = self._wait_for_address()

    def _wait_for_address(self) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early: {self.output()}")
            found = re.search(rb"serving on (http://[\d.]+:\d+)/", self.output().encode())
            if found:
                url = found.group(1).decode()
                requests.get(url + "/health", timeout=5).raise_for_status()
                return url
            time.sleep(0.05)
        raise RuntimeError(f"server did not start: {self.output()}")

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("live"), query_timeout=1.0, max_rows=20,
                        query_workers=2)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def live_factory(tmp_path_factory: pytest.TempPathFactory):
    """Start extra servers with their own settings; all are stopped at the end."""
    started: list[LiveServer] = []

    def start(**overrides: object) -> LiveServer:
        server = LiveServer(tmp_path_factory.mktemp("live"), **overrides)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
