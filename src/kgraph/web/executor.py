"""Run queries in worker processes so that a time limit really stops a query.

pyoxigraph cannot interrupt a running query, so each query runs in a worker process;
on timeout the worker is killed (its CPU and memory are freed at once) and a fresh one
takes its place, while the other workers keep serving.

Workers are forked, so they share the loaded store copy-on-write. Forking from a
multi-threaded server is unsafe, so right after the store is loaded (before any server
thread exists) one single-threaded *zygote* process is forked; every worker, including
replacements, is forked by the zygote and handed to the server over a Unix socket.
When the server exits, the zygote sees end-of-file and exits; workers die with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import queue
import signal
import socket
import struct
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from . import runner
from .runner import Job, Reply

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


class QueryTimeout(Exception):
    """The query ran past the time limit and its worker was killed."""


class Busy(Exception):
    """No worker became free within the time limit."""


class WorkerLost(Exception):
    """A worker died while running a query (a crash, not the query's fault)."""


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (best effort elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _close_other_fds(keep: int) -> None:
    """Drop every inherited descriptor but stdio and ``keep`` (sockets of other servers)."""
    os.closerange(3, keep)
    os.closerange(keep + 1, 65536)


def _worker_main(conn: Connection, store: ox.Store) -> None:
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(runner.run(store, job))


def _zygote_main(ctl: socket.socket, store: ox.Store) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps killed workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            request = ctl.recv(1)
        except OSError:
            return
        if not request:
            return
        mine, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            try:
                ctl.close()
                theirs.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _die_with_parent()
                _worker_main(Connection(mine.detach()), store)
            finally:
                os._exit(0)
        mine.close()
        socket.send_fds(ctl, [struct.pack("i", pid)], [theirs.fileno()])
        theirs.close()


@dataclass
class _Worker:
    pid: int
    conn: Connection

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.conn.close()


class Executor:
    """A pool of query workers with a per-query time limit."""

    def __init__(self, store: ox.Store, size: int, timeout: float) -> None:
        self.size = max(1, size)
        self.timeout = timeout
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._spawn_lock = threading.Lock()
        self._closed = False
        self._all: dict[int, _Worker] = {}
        ctl_server, ctl_zygote = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            try:
                ctl_server.close()
                _close_other_fds(ctl_zygote.fileno())
                _die_with_parent()
                _zygote_main(ctl_zygote, store)
            finally:
                os._exit(0)
        ctl_zygote.close()
        self._zygote_pid = pid
        self._ctl = ctl_server
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        with self._spawn_lock:
            self._ctl.sendall(b"w")
            data, fds, _flags, _addr = socket.recv_fds(self._ctl, 4, 1)
        if not data or not fds:
            raise RuntimeError("query worker factory has stopped")
        worker = _Worker(struct.unpack("i", data)[0], Connection(fds[0]))
        self._all[worker.pid] = worker
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.pop(worker.pid, None)
        if not self._closed:
            self._idle.put(self._spawn())

    def run(self, job: Job, timeout: float | None = None) -> Reply:
        """Run ``job`` within ``timeout`` seconds (waiting for a worker counts too)."""
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            raise Busy(f"every query worker stayed busy for {limit:g} s") from None
        try:
            worker.conn.send(job)
        except OSError:  # the worker died while idle: the job never reached it, so retry
            self._replace(worker)
            try:
                worker = self._idle.get(timeout=max(0.001, deadline - time.monotonic()))
            except queue.Empty:
                raise Busy(f"every query worker stayed busy for {limit:g} s") from None
            worker.conn.send(job)
        try:
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than the {limit:g} s limit "
                                   "and was stopped")
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise WorkerLost(f"query worker {worker.pid} died: {exc!r}") from exc
        self._idle.put(worker)
        return reply

    def alive(self) -> int:
        """How many workers exist (idle or busy)."""
        return len(self._all)

    def close(self) -> None:
        """Stop the zygote and every worker."""
        if self._closed:
            return
        self._closed = True
        for worker in list(self._all.values()):
            worker.kill()
        self._all.clear()
        self._ctl.close()
        with contextlib.suppress(ChildProcessError, ProcessLookupError):
            os.kill(self._zygote_pid, signal.SIGKILL)
            os.waitpid(self._zygote_pid, 0)
