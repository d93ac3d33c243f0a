"""A wrong passphrase, typed or given to a service, opens nothing and says so plainly;
so does a recovery key from another PC."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import termios
import time
from collections.abc import Callable
from pathlib import Path

from nidaan import keys
from tests.keys.nodes import NIDAAN, PASSPHRASE, nidaan, node_env

PROMPT = b"Nidaan's passphrase"


def _own_terminal() -> None:
    """In the child: a new session whose controlling terminal is the pseudo-terminal on
    stdin, so getpass reads it with echo off, as at a real console."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _at_terminal(data_dir: Path, typed: list[str], *args: str) -> tuple[int, str]:
    """Run `nidaan ARGS` on a pseudo-terminal, typing one line at each passphrase prompt."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [NIDAAN, *args],
        env=node_env(data_dir),
        stdin=follower,
        stdout=follower,
        stderr=follower,
        preexec_fn=_own_terminal,  # noqa: PLW1509 - no threads started by this test
    )
    os.close(follower)
    seen, answered, deadline = b"", 0, time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        chunk = b""
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the process is done
                break
            seen += chunk
            if seen.count(PROMPT) > answered and answered < len(typed):
                os.write(leader, typed[answered].encode() + b"\n")
                answered += 1
        if not chunk and process.poll() is not None:
            break
    code = process.wait(timeout=30)
    os.close(leader)
    return code, seen.decode(errors="replace")


def test_wrong_passphrase_from_the_service_environment(
    protected_node: Callable[[str], Path],
) -> None:
    node = protected_node("clinic-pc")
    refused = nidaan(node, "audit", "verify", NIDAAN_KEY_PASSPHRASE="monsoon-clinic-ledger-43")
    assert refused.returncode == 3
    assert "wrong passphrase" in refused.stderr
    assert "NIDAAN_KEY_PASSPHRASE does not open" in refused.stderr
    assert "Traceback" not in refused.stderr
    opened = nidaan(node, "audit", "verify", NIDAAN_KEY_PASSPHRASE=PASSPHRASE)
    assert opened.returncode == 0, opened.stderr


def test_wrong_passphrase_typed_three_times_then_the_right_one(
    protected_node: Callable[[str], Path],
) -> None:
    node = protected_node("clinic-pc")
    code, screen = _at_terminal(
        node, ["guess-one-xxxx", "guess-two-xxxx", "guess-3-xxxx"], "audit", "verify"
    )
    assert code == 3, screen
    assert screen.count("Wrong passphrase, try again.") == 2
    assert "wrong passphrase, three times" in screen
    assert "nidaan keys recover" in screen

    code, screen = _at_terminal(node, ["not-it-at-all", PASSPHRASE], "audit", "verify")
    assert code == 0, screen
    assert "Wrong passphrase, try again." in screen
    assert "the chain is intact" in screen
    assert PASSPHRASE not in screen  # typed without echo


def test_a_recovery_key_from_another_pc_is_named_as_such(
    protected_node: Callable[[str], Path],
) -> None:
    node = protected_node("clinic-pc")
    other = keys.recovery_text(os.urandom(32))
    refused = nidaan(node, "audit", "verify", NIDAAN_MASTER_KEY=other)
    assert refused.returncode == 3
    assert "belongs to another node" in refused.stderr
    garbled = nidaan(node, "audit", "verify", NIDAAN_MASTER_KEY="ABCD-EFGH")
    assert garbled.returncode == 3
    assert "52 letters" in garbled.stderr
