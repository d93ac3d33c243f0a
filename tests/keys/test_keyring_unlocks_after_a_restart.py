"""With an OS keyring, a node's key lives there and nothing on the disk opens the
records; after a power cut `nidaan serve` comes back by itself. Without the keyring it
falls back to the passphrase slot, or stops with a plain reason.

The keyring is keyrings.alt's file backend (a real `keyring` backend; on a clinic PC it
would be Windows Credential Manager, macOS Keychain or the desktop's Secret Service)."""

from __future__ import annotations

import base64
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from nidaan import keys
from tests.keys.nodes import NIDAAN, PASSPHRASE, master_of, nidaan, node_env
from tests.ports import free_port


def _keyring_env(home: Path) -> dict[str, str]:
    return {
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(home),
    }


def _boot(node: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """`nidaan serve` as a service starts it at boot: no terminal, no passphrase."""
    port = free_port()
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


def test_keyring_node_restarts_unattended_and_its_disk_holds_no_key(
    protected_node: Callable[[str], Path], tmp_path: Path
) -> None:
    node, keyring_home = protected_node("clinic-pc"), tmp_path / "user-keyring"
    env = _keyring_env(keyring_home)
    moved = nidaan(node, "keys", "keyring", NIDAAN_KEY_PASSPHRASE=PASSPHRASE, **env)
    assert moved.returncode == 0, moved.stderr
    assert "holds no key" in moved.stdout

    recovery = keys.recovery_text(master_of(node))
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

    # No keyring (another user, a headless box): the passphrase slot, else a plain reason.
    no_keyring = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    fallback = nidaan(node, "audit", "verify", NIDAAN_KEY_PASSPHRASE=PASSPHRASE, **no_keyring)
    assert fallback.returncode == 0, fallback.stderr
    assert "no OS keyring on this computer" in fallback.stderr
    assert "trying the passphrase" in fallback.stderr
    refused = nidaan(node, "audit", "verify", **no_keyring)
    assert refused.returncode == 3
    assert "needs its passphrase and nobody is at the terminal" in refused.stderr
