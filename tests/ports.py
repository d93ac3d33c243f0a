"""Ports for the servers tests start (a sync hub, the browser tests' node, a keyring node).

Asking the kernel for a free port (bind to 0) and starting the server on it later leaves
a window in which another pytest-xdist worker may be handed the same port; its server
then fails to bind, or, worse, a health check reaches the other worker's server. Each
worker therefore takes ports from its own slice of a range below Linux's ephemeral ports
(32768-60999, where outgoing connections get theirs), starting at a random point so
that two test runs on one machine (CI's SQLite and PostgreSQL suites) rarely meet, and
never handing out the same port twice in a row within a worker.
"""

from __future__ import annotations

import itertools
import os
import random
import socket

_FIRST, _END = 20000, 32768


def _worker_ports() -> range:
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    size = (_END - _FIRST) // max(workers, 1)
    return range(_FIRST + worker * size, _FIRST + (worker + 1) * size)


_PORTS = _worker_ports()
_NEXT = itertools.count(random.randrange(len(_PORTS)))


def free_port() -> int:
    """A port of this worker's slice that nothing listens on now."""
    for _ in range(len(_PORTS)):
        port = _PORTS[next(_NEXT) % len(_PORTS)]
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {_PORTS}")
