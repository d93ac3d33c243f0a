"""With an OS keyring, a node's key lives there and nothing on the disk opens the
records; after a power cut `nidaan serve` comes back by itself. Without the keyring it
stops with a plain reason, or falls back to the passphrase slot.

The keyring is keyrings.alt's file backend (a real `keyring` backend; on a clinic PC it
would be Windows Credential Manager, macOS Keychain or the desktop's Secret Service)."""

from __future__ import annotations

import base64
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from nidaan import keys
from tests.keys.nodes import NIDAAN, PASSPHRASE, nidaan, node_env


def _keyring_env(home: Path) -> dict[str, str]:
    return {
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(home),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _boot(node: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """`nidaan serve` as a service starts it at boot: no terminal, no passphrase."""
    port = _free_port()
    process = subprocess.Popen(
        [NIDAAN, "serve", "--port", str(port)],
        env=node_env(node, **env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                break
        except OSError:
            assert process.poll() is None, process.communicate()[0]
            time.sleep(0.3)
    return process, f"http://127.0.0.1:{port}"


def _power_cut(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGKILL)
    output, _ = process.communicate(timeout=30)
    return output


def test_keyring_node_restarts_unattended_and_its_disk_holds_no_key(tmp_path: Path) -> None:
    node, keyring_home = tmp_path / "clinic-pc", tmp_path / "user-keyring"
    env = _keyring_env(keyring_home)
    made = nidaan(node, "migrate", "--verbosity", "0", **env)
    assert made.returncode == 0, made.stderr

    key_file = (node / "keys" / "master.key").read_text()
    assert key_file.startswith("NIDAAN-KEY-2")
    recovery = nidaan(node, "keys", "recovery", **env).stdout.strip().splitlines()[-1]
    # The key is in the keyring's store (base64 there), not in the data directory.
    stored = (keyring_home / "python_keyring" / "keyring_pass.cfg").read_text()
    assert base64.b64encode(recovery.encode()).decode()[:40] in stored.replace("\n\t", "")
    raw = keys.from_recovery_text(recovery)
    for path in node.rglob("*"):
        if path.is_file():
            assert recovery.encode() not in path.read_bytes(), path
            assert raw not in path.read_bytes(), path

    for _ in range(2):  # first boot, then a power cut and the next boot
        process, _url = _boot(node, env)
        output = _power_cut(process)
        assert "Patient records unlocked (OS keyring)" in output
        assert "NOT protected" not in output

    # The keyring is not there (another user, a headless box): a plain reason, no hang.
    started = time.monotonic()
    refused = nidaan(
        node, "audit", "verify", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"
    )
    assert refused.returncode == 3
    assert "kept in the OS keyring only" in refused.stderr
    assert "recovery key" in refused.stderr
    assert time.monotonic() - started < 60

    # A passphrase slot beside the keyring slot: the fallback when the keyring is closed.
    added = nidaan(node, "keys", "protect", NIDAAN_KEY_PASSPHRASE=PASSPHRASE, **env)
    assert added.returncode == 0, added.stderr
    assert "and the OS keyring, first" in added.stdout
    fallback = nidaan(
        node,
        "audit",
        "verify",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        NIDAAN_KEY_PASSPHRASE=PASSPHRASE,
    )
    assert fallback.returncode == 0, fallback.stderr
    assert "trying the passphrase" in fallback.stderr
    status = nidaan(node, "keys", "status", **env)
    assert "Master key from: OS keyring" in status.stdout
    assert "Slots in the key file: OS keyring, passphrase" in status.stdout
