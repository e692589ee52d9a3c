"""The app factory: no module-level app, no global graph.

``create_app`` takes resolved settings (defaults -> ``KGRAPH_*`` environment -> overrides,
see :mod:`kgraph.settings`) and a store; tests pass a small store and a mapping of
overrides, the server passes the store opened from the cached build.

Extensions other blueprints may use: ``app.extensions["kgraph.settings"]`` (Settings),
``["kgraph.store"]`` (the pyoxigraph Store; read it, never write it) and
``["kgraph.sparql"]`` (the :class:`~kgraph.web.sparql.Endpoint`, whose ``executor`` runs
a query under the time limit).
"""

from __future__ import annotations

import atexit
import importlib
import logging
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox
from flask import Flask, Response

from .. import settings as settings_mod
from ..settings import Settings
from . import errors, query_page, sparql
from .executor import Executor
from .service_description import ServiceDescription, graph_sizes

log = logging.getLogger(__name__)

#: Blueprints of the Linked Data part, registered when their modules exist.
LINKED_DATA_MODULES = ("kgraph.web.resources", "kgraph.web.dataset")


def _split_config(test_config: Mapping[str, Any] | None) -> tuple[dict, dict]:
    """Setting overrides (registry names) apart from plain Flask config keys."""
    ours, flask_config = {}, {}
    for key, value in (test_config or {}).items():
        (ours if key in settings_mod.BY_NAME else flask_config)[key] = value
    return ours, flask_config


def _open_store(settings: Settings) -> ox.Store:
    from ..store import open_store  # imported here: building pulls in rdflib, owlrl, pyshacl

    return open_store(settings)


def _register_linked_data(app: Flask) -> None:
    # --- Linked Data blueprints: pages for /id/... and /ontology (kgraph.web.resources),
    # /.well-known/void and /dumps (kgraph.web.dataset). Each module exposes ``bp``. ---
    for name in LINKED_DATA_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        app.register_blueprint(module.bp)


def create_app(settings: Settings | None = None, store: ox.Store | None = None,
               test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web app around ``store`` (opened from the build when None)."""
    overrides, flask_config = _split_config(test_config)
    if settings is None:
        settings = settings_mod.resolve(overrides)
    elif overrides:
        settings = settings.replace(**overrides)
    if store is None:
        store = _open_store(settings)

    app = Flask(__name__)
    app.config.update(JSON_SORT_KEYS=False, MAX_CONTENT_LENGTH=settings.max_body_bytes)
    app.config.update(flask_config)

    base = settings.base_iri
    sizes = graph_sizes(store)
    total = len(store)
    allowlist = frozenset(settings.federation_allowlist)
    asserted_iri = base + "graph/asserted"
    description = ServiceDescription(sizes, total, base, asserted_iri, bool(allowlist))
    # Fork the query workers now, while this process has a single thread.
    executor = Executor(store, settings.query_workers, settings.query_timeout)
    atexit.register(executor.close)
    app.extensions["kgraph.settings"] = settings
    app.extensions["kgraph.store"] = store
    endpoint = sparql.Endpoint(
        settings=settings, executor=executor, description=description,
        graphs=frozenset(sizes), asserted_iri=asserted_iri,
        inferred_iri=base + "graph/inferred", allowlist=allowlist)
    app.extensions["kgraph.sparql"] = endpoint
    app.wsgi_app = sparql.FastPath(app.wsgi_app, endpoint)  # type: ignore[method-assign]

    errors.register(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(query_page.bp)
    _register_linked_data(app)

    @app.get("/health")
    def health() -> Response:
        return Response(f'{{"ok":true,"triples":{total},"graphs":{len(sizes)},'
                        f'"workers":{executor.alive()}}}', content_type="application/json")

    return app


def close(app: Flask) -> None:
    """Stop the app's query workers (tests call this; a server stops them at exit)."""
    app.extensions["kgraph.sparql"].executor.close()
