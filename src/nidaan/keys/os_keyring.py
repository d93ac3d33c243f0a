"""The operating system's keyring (Windows Credential Manager, macOS Keychain, a Linux
desktop's Secret Service) through the `keyring` library, as one place the master key can
live so that a clinic PC restarted after a power cut unlocks without anyone typing.

Two traps this module guards against:

- a headless Linux PC has no Secret Service: `keyring` then picks its `fail` backend, or,
  when `keyrings.alt` happens to be installed, a *plain-text file* in the home folder.
  Only backends `keyring` itself rates as real stores (priority ≥ 1) are used unless the
  operator named one explicitly (`PYTHON_KEYRING_BACKEND` or keyring's keyringrc.cfg);
- a locked keyring can pop up an unlock dialog nobody answers, and a D-Bus call can wait
  for a service that never comes: every call runs in a helper thread and is abandoned
  after NIDAAN_KEYRING_TIMEOUT seconds (default 5), so the caller moves on to the next
  source instead of hanging at boot.

`NIDAAN_KEYRING=off` switches the keyring off altogether.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar

SERVICE = "nidaan"

T = TypeVar("T")


class KeyringUnavailable(Exception):
    """No usable OS keyring, or it did not answer in time (the message says which)."""


def _timeout() -> float:
    return float(os.environ.get("NIDAAN_KEYRING_TIMEOUT", "5"))


def _in_thread(call: Callable[[], T]) -> T:
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as error:  # handed to the caller's thread below
            box["error"] = error

    worker = threading.Thread(target=run, name="nidaan-keyring", daemon=True)
    worker.start()
    worker.join(_timeout())
    if worker.is_alive():
        raise KeyringUnavailable(
            f"the OS keyring did not answer within {_timeout():g} s (locked, or no service)"
        )
    if "error" in box:
        error = box["error"]
        assert isinstance(error, BaseException)  # noqa: S101 - set only to exceptions
        raise error
    return box["value"]  # type: ignore[return-value]


def _backend() -> object:
    if os.environ.get("NIDAAN_KEYRING", "").lower() == "off":
        raise KeyringUnavailable("the OS keyring is switched off (NIDAAN_KEYRING=off)")
    import keyring
    import keyring.core

    chosen = keyring.get_keyring()
    priority = float(getattr(chosen, "priority", 0))
    explicit = bool(os.environ.get("PYTHON_KEYRING_BACKEND")) or (
        keyring.core.load_config() is not None
    )
    if priority <= 0 or (priority < 1 and not explicit):
        raise KeyringUnavailable(
            "no OS keyring on this computer (keyring offers only "
            f"{type(chosen).__module__}.{type(chosen).__name__}, not a protected store)"
        )
    return chosen


def backend_name() -> str:
    """The keyring in use, for `nidaan keys status`; raises KeyringUnavailable."""
    chosen = _in_thread(_backend)
    return f"{type(chosen).__module__}.{type(chosen).__name__}"


def get(entry: str) -> str | None:
    """The secret stored under `entry`, None when there is none."""

    def call() -> str | None:
        import keyring.errors

        chosen = _backend()
        try:
            return chosen.get_password(SERVICE, entry)  # type: ignore[attr-defined, no-any-return]
        except keyring.errors.KeyringError as error:
            raise KeyringUnavailable(f"the OS keyring refused: {error}") from error

    return _in_thread(call)


def put(entry: str, secret: str) -> None:
    """Store `secret` under `entry` and read it back (a keyring that drops it is refused)."""

    def call() -> None:
        import keyring.errors

        chosen = _backend()
        try:
            chosen.set_password(SERVICE, entry, secret)  # type: ignore[attr-defined]
            stored = chosen.get_password(SERVICE, entry)  # type: ignore[attr-defined]
        except keyring.errors.KeyringError as error:
            raise KeyringUnavailable(f"the OS keyring refused: {error}") from error
        if stored != secret:
            raise KeyringUnavailable("the OS keyring did not keep the key")

    _in_thread(call)


def delete(entry: str) -> None:
    def call() -> None:
        import keyring.errors

        chosen = _backend()
        try:
            chosen.delete_password(SERVICE, entry)  # type: ignore[attr-defined]
        except keyring.errors.PasswordDeleteError:
            pass  # already gone

    _in_thread(call)
