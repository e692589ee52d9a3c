"""Fixtures for the Linked Data tests.

A small store in the project's shape (fixtures/mini.trig), the real sources as written
(ontology in graph:ontology, every data file with its named graphs), and the served app
(kgraph.web.app.create_app) around either. Each app's query workers are stopped after use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask

from kgraph import resources
from kgraph import settings as settings_mod
from kgraph.store import open_store
from kgraph.web.app import close, create_app

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
BASE = "https://w3id.org/kgraph/"


def make_settings(tmp_path: Path, **overrides: object) -> settings_mod.Settings:
    return settings_mod.resolve({"cache_dir": str(tmp_path / "cache"), "query_workers": 1,
                                 **overrides}, environ={})


def source_store(st: settings_mod.Settings) -> ox.Store:
    """The sources exactly as written: ontology files into graph:ontology, data as TriG."""
    root = resources.root(st)
    store = ox.Store()
    onto = ox.NamedNode(BASE + "graph/ontology")
    for path in sorted((root / "ontology").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=onto)
    for path in sorted((root / "data").glob("*.trig")):
        store.load(path=str(path), format=ox.RdfFormat.TRIG)
    return store


MINI_ROOT = FIXTURES / "root"


@pytest.fixture
def mini_settings(tmp_path: Path) -> settings_mod.Settings:
    return make_settings(tmp_path, root=str(MINI_ROOT))


@pytest.fixture
def mini_store(mini_settings: settings_mod.Settings) -> ox.Store:
    """The fixture sources built by the pipeline (load, reason, validate, cache)."""
    return open_store(mini_settings)


@pytest.fixture
def app_factory(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    made: list[Flask] = []

    def factory(store: ox.Store, **overrides: object) -> Flask:
        overrides.setdefault("root", str(MINI_ROOT))
        app = create_app(settings=make_settings(tmp_path, **overrides), store=store,
                         test_config={"TESTING": True})
        made.append(app)
        return app

    yield factory
    for app in made:
        close(app)


@pytest.fixture
def mini_client(mini_store: ox.Store, app_factory: Callable[..., Flask]):
    return app_factory(mini_store).test_client()


@pytest.fixture(scope="session")
def sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, settings_mod.Settings]:
    st = make_settings(tmp_path_factory.mktemp("ld"))
    return source_store(st), st


@pytest.fixture(scope="session")
def real_app(sources: tuple[ox.Store, settings_mod.Settings]) -> Iterator[Flask]:
    store, st = sources
    app = create_app(settings=st, store=store, test_config={"TESTING": True})
    yield app
    close(app)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, settings_mod.Settings]:
    """The real dataset through the pipeline (load, reason, validate), as `kgraph serve` has it."""
    st = make_settings(tmp_path_factory.mktemp("built"))
    return open_store(st), st
