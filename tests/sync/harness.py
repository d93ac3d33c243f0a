"""Real processes for sync tests: a hub (`nidaan serve`, PostgreSQL when DATABASE_URL
points at one, else SQLite) and clinic nodes (tests/sync/agent.py, each with its own
SQLite file), all talking real HTTP."""

from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from tests.ports import free_port

AGENT = Path(__file__).with_name("agent.py")
BIN = Path(sys.executable).parent
PASSWORD = "sync-test-pass-9"


# Migrating and setting up the demo clinic takes seconds; every hub and node of the
# session starts from a copy made once (a copied SQLite file, a PostgreSQL template).
_TEMPLATES: dict[str, str] = {}
_TEMPLATE_ROOT = Path(tempfile.mkdtemp(prefix="nidaan-sync-templates-"))


def _run_nidaan(env: dict[str, str], *args: str) -> str:
    """Run a `nidaan` command; its output, or AgentError with the end of its stderr."""
    done = subprocess.run(
        [str(BIN / "nidaan"), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise AgentError(f"nidaan {' '.join(args)}: {done.stderr[-2000:]}")
    return done.stdout


def _node_template() -> Path:
    """A migrated node's data directory: its encrypted database and the key beside it
    (every node of a session starts from a copy, so they share that key)."""
    if "node" not in _TEMPLATES:
        directory = _TEMPLATE_ROOT / "node"
        _run_nidaan(_clean_env(NIDAAN_DATA_DIR=str(directory)), "migrate", "--verbosity", "0")
        # `nidaan migrate` has exited: its WAL is folded in, or copied with the file.
        _TEMPLATES["node"] = str(directory)
    return Path(_TEMPLATES["node"])


def _copy_node_template(data_dir: Path) -> None:
    template = _node_template()
    for name in ("nidaan.sqlite3", "nidaan.sqlite3-wal"):
        if (template / name).exists():
            shutil.copy(template / name, data_dir / name)
    shutil.copytree(template / "keys", data_dir / "keys", dirs_exist_ok=True)


def _hub_template(env: dict[str, str]) -> str:
    """The hub's database after migrate and the demo clinic: a file or a PG database."""
    if "hub" not in _TEMPLATES:
        _run_nidaan(env, "migrate", "--verbosity", "0")
        _run_nidaan(env, "demo", "--password", PASSWORD)
        _run_nidaan(env, "billing_demo")
        _TEMPLATES["hub"] = env.get("DATABASE_URL") or str(
            _checkpointed(Path(env["NIDAAN_DATA_DIR"]) / "nidaan.sqlite3")
        )
    return _TEMPLATES["hub"]


def _checkpointed(database: Path) -> Path:
    """Fold the WAL into the main file, so copying that one file copies everything."""
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return database


def _pg_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def _pg_url(url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))


def _create_database(name: str, template: str | None = None) -> str:
    import psycopg

    url = os.environ["DATABASE_URL"]
    clause = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{clause}')
    return _pg_url(url, name)


def _drop_templates() -> None:
    if "hub" in _TEMPLATES and _TEMPLATES["hub"].startswith("postgres"):
        _drop_database(_pg_name(_TEMPLATES["hub"]))
    shutil.rmtree(_TEMPLATE_ROOT, ignore_errors=True)


atexit.register(_drop_templates)


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def _drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NIDAAN_"))}
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


class Replica:
    """A process running agent.py: a node (or the hub's database, read-only use)."""

    def __init__(self, data_dir: Path, **env: str) -> None:
        self.data_dir = data_dir
        self.env = _clean_env(NIDAAN_DATA_DIR=str(data_dir), **env)
        self.process: subprocess.Popen[str] | None = None
        self.start()

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        database = self.data_dir / "nidaan.sqlite3"
        if "NIDAAN_ROLE" not in self.env and not database.exists():
            _copy_node_template(self.data_dir)
        self.process = subprocess.Popen(
            [sys.executable, str(AGENT)],
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(self.data_dir / "agent.log", "a"),  # noqa: SIM115
            text=True,
        )

    def call(self, op: str, **args: Any) -> Any:
        assert self.process is not None
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps({"op": op, "args": args}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            raise ProcessDied(code)
        answer = json.loads(line)
        if "error" in answer:
            raise AgentError(answer["error"])
        return answer["ok"]

    def restart(self) -> None:
        self.kill()
        self.start()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        if self.process:
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None and self.process.stdin:
            self.process.stdin.close()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


class ProcessDied(RuntimeError):
    def __init__(self, code: int) -> None:
        super().__init__(f"agent exited with {code}")
        self.code = code


class AgentError(RuntimeError):
    pass


class Hub:
    """`nidaan serve` with NIDAAN_ROLE=hub, a demo clinic (admin/doctor/reception)."""

    def __init__(self, root: Path, clinic: str = "Sync Test Clinic") -> None:
        self.root = root
        self.data_dir = root / "hub"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        extra = {"NIDAAN_ROLE": "hub", "NIDAAN_INSECURE_COOKIES": "1"}
        self.database_name: str | None = None
        if _on_postgres():
            if "hub" not in _TEMPLATES:
                template_url = _create_database(f"nidaan_hubtpl_{secrets.token_hex(4)}")
                template_env = _clean_env(
                    NIDAAN_DATA_DIR=str(_TEMPLATE_ROOT / "hub"),
                    DATABASE_URL=template_url,
                    **extra,
                )
                _hub_template(template_env)
            self.database_name = f"nidaan_hub_{secrets.token_hex(4)}"
            extra["DATABASE_URL"] = _create_database(
                self.database_name, template=_pg_name(_TEMPLATES["hub"])
            )
        else:
            extra["NIDAAN_HUB_ALLOW_SQLITE"] = "1"
            if "hub" not in _TEMPLATES:
                _hub_template(_clean_env(NIDAAN_DATA_DIR=str(_TEMPLATE_ROOT / "hub"), **extra))
            shutil.copy(_TEMPLATES["hub"], self.data_dir / "nidaan.sqlite3")
        self.env = _clean_env(NIDAAN_DATA_DIR=str(self.data_dir), **extra)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def nidaan(self, *args: str) -> str:
        return _run_nidaan(self.env, *args)

    def enrolment_code(self, facility: str | None = None) -> str:
        extra = ["--facility", facility] if facility else []
        return self.nidaan("hub", "enrolment-code", *extra).strip().splitlines()[-1]

    def add_clinic(self, name: str, admin: str) -> dict[str, str]:
        lines = self.nidaan("hub", "add-clinic", "--name", name, "--admin", admin).splitlines()
        return {
            "organisation": lines[0].split()[-1],
            "facility": lines[1].split()[-1],
            "password": lines[-1],
        }

    def start(self, **extra_env: str) -> None:
        log = open(self.data_dir / "serve.log", "a")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(BIN / "nidaan"), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env={**self.env, **extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2).read()  # noqa: S310
                return
            except OSError:
                if self.process.poll() is not None:
                    raise AgentError(f"hub exited with {self.process.returncode}") from None
                time.sleep(0.2)
        raise AgentError("hub did not start in 60 s")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def restart(self, **extra_env: str) -> None:
        self.kill()
        self.start(**extra_env)

    def state(self) -> Any:
        """The hub's materialised state, read by an agent on the hub's database."""
        settings = {
            k: v
            for k, v in self.env.items()
            if k.startswith(("NIDAAN_", "DATABASE_URL")) and k != "NIDAAN_DATA_DIR"
        }
        reader = Replica(self.data_dir, **settings)
        try:
            return reader.call("state")
        finally:
            reader.stop()

    def close(self) -> None:
        self.kill()
        if self.database_name:
            _drop_database(self.database_name)


def new_node(
    hub: Hub, root: Path, name: str, skew_ms: int = 0, facility: str | None = None
) -> Replica:
    node = Replica(root / name)
    node.call("setup")
    if skew_ms:
        node.call("skew", ms=skew_ms)
    node.call("enrol", hub=hub.url, code=hub.enrolment_code(facility), name=name)
    first = node.call("sync")
    assert "failed" not in first, first
    return node


def sync_all(nodes: list[Replica], rounds: int = 2) -> None:
    """Everyone pushes, then everyone pulls, twice: quiescence."""
    for _ in range(rounds):
        for node in nodes:
            result = node.call("sync")
            assert "failed" not in result, result


def assert_converged(
    hub: Hub, nodes: list[Replica], bootstrapped: tuple[Replica, ...] = ()
) -> dict[str, Any]:
    """No loss, no duplicates, identical state on every replica.

    A node that started from a snapshot received older changes as rows, not as log
    entries: for it the log need only be a subset; its rows must still be identical.
    """
    hub_state = hub.state()
    node_ids = {node.call("state")["node_id"] for node in nodes}
    states = [(node, node.call("state")) for node in nodes]
    assert hub_state["held"] == [], f"hub held back changes: {hub_state['held']}"

    def ours(changes: list[str]) -> set[str]:
        return {c for c in changes if c.split(":")[0] in node_ids}

    expected = ours(hub_state["changes"])
    for node, state in states:
        assert state["held"] == [], f"node held back changes: {state['held']}"
        if node in bootstrapped:
            assert ours(state["changes"]) <= expected, "a node holds a change the hub lacks"
        else:
            assert ours(state["changes"]) == expected, "a change is missing or extra on a node"
        assert state["rows"] == hub_state["rows"], _row_diff(state["rows"], hub_state["rows"])
    converged: dict[str, Any] = hub_state
    return converged


def _row_diff(a: dict[str, str], b: dict[str, str]) -> str:
    only_a = sorted(set(a) - set(b))[:5]
    only_b = sorted(set(b) - set(a))[:5]
    differ = sorted(k for k in set(a) & set(b) if a[k] != b[k])[:5]
    return f"rows differ: node-only {only_a}, hub-only {only_b}, different {differ}"
