"""Serve the app under waitress, a production WSGI server (never Flask's development one).

``serve`` opens the store from the cached build (building first when the sources
changed; non-conforming data raises NonConformingError before anything listens), binds
``settings.host``/``settings.port``, and serves until interrupted.

With ``server_processes`` > 1 the process forks that many front ends after loading the
store (they share it copy-on-write) and they accept on the one listening socket, so HTTP
handling is not bound to one interpreter lock. Each front end builds its own app, whose
query workers it forks while still single-threaded. The parent only supervises: it
restarts a front end that dies and stops them all on SIGINT/SIGTERM.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import time

import pyoxigraph as ox
import waitress

from ..settings import Settings
from .app import close, create_app

log = logging.getLogger(__name__)


def _listen(settings: Settings) -> socket.socket:
    info = socket.getaddrinfo(settings.host, settings.port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(info[4])
    sock.listen(1024)
    return sock


def _proxy_options(settings: Settings) -> dict[str, object]:
    """X-Forwarded-* are honoured only with ``trust_proxy``; otherwise they are dropped."""
    if getattr(settings, "trust_proxy", False):
        return {"trusted_proxy": "*", "trusted_proxy_count": 1,
                "trusted_proxy_headers": {"x-forwarded-host", "x-forwarded-proto",
                                          "x-forwarded-port", "x-forwarded-for"},
                "clear_untrusted_proxy_headers": True}
    return {"clear_untrusted_proxy_headers": True}


def _front_end(sock: socket.socket, settings: Settings, store: ox.Store) -> None:
    """Build the app and serve on the shared socket until interrupted."""
    app = create_app(settings, store)
    server = waitress.create_server(
        app, sockets=[sock], threads=settings.threads,
        connection_limit=max(100, settings.threads * 16), channel_timeout=60,
        ident="kgraph", **_proxy_options(settings))
    # Both signals end the front end, even when the shell started us with SIGINT ignored.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        close(app)


def _fork_front_end(sock: socket.socket, settings: Settings, store: ox.Store) -> int:
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            _front_end(sock, settings, store)
        except BaseException:
            log.exception("front end failed")
            code = 1
        finally:
            os._exit(code)
    return pid


def _supervise(sock: socket.socket, settings: Settings, store: ox.Store, count: int) -> None:
    children = {_fork_front_end(sock, settings, store) for _ in range(count)}
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        children.discard(pid)
        if not stopping:
            log.error("front end %d stopped (status %d); starting another", pid, status)
            time.sleep(0.5)
            children.add(_fork_front_end(sock, settings, store))


def serve(settings: Settings, store: ox.Store | None = None) -> None:
    """Open (or build) the store, then serve it; NonConformingError stops the start."""
    logging.basicConfig(level=getattr(logging, str(settings.log_level).upper(), logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if store is None:
        from ..store import open_store  # building pulls in rdflib, owlrl and pyshacl

        store = open_store(settings)
    sock = _listen(settings)
    host, port = sock.getsockname()[:2]
    processes = max(1, settings.server_processes)
    print(f"kgraph: serving on http://{host}:{port}/ (SPARQL at /sparql; "
          f"{processes} server process(es))", file=sys.stderr, flush=True)
    try:
        if processes == 1:
            _front_end(sock, settings, store)
        else:
            _supervise(sock, settings, store, processes)
    finally:
        sock.close()
