"""The node's master key, and the keys derived from it for the database, documents and
backups.

Where the master key comes from, in this order (docs/security.md, "Unlocking"):

1. `NIDAAN_MASTER_KEY`: the recovery key itself, given by a service manager that holds
   secrets, or typed to recover. An operator who sets it means it, so it wins; it is
   checked against the key file's key id, so a wrong one is named as wrong.
2. The key file (`NIDAAN_KEY_FILE`, default `DATA_DIR/keys/master.key`, keyfile.py):
   a. its OS keyring slot: no one types anything, so a clinic PC that restarts after a
      power cut comes back by itself wherever the keyring is open to the service's user
      (Windows Credential Manager, macOS Keychain, a Linux desktop session's keyring);
   b. its passphrase slot: `NIDAAN_KEY_PASSPHRASE`, else asked on the terminal
      (`nidaan serve`/`worker` started by hand; three tries);
   c. a plain key file: works unattended but protects nothing (`make run` on a PC with
      no keyring); the UI and `nidaan serve` say so and how to fix it.
   The keyring comes before the passphrase because it needs no person at the PC; when it
   is locked or absent (a headless Linux box) it is skipped within seconds, never waited on.
3. No key file: a new key is made, sealed with `NIDAAN_KEY_PASSPHRASE` if set, else put
   in the OS keyring if there is one, else written plain (and reported as unprotected).
   Never when the database already exists encrypted: that needs `nidaan keys recover`.

Losing every slot and the printed recovery key loses the data: print it at set-up
(`nidaan keys recovery`) and keep it in the clinic's safe.

Keys for a purpose are derived with HKDF-SHA256 (RFC 5869): one for the database, one per
organisation for its documents, one for backups, so one derived key never opens another's
data.
"""

from __future__ import annotations

import base64
import functools
import getpass
import hashlib
import os
import sys
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings

from nidaan.keys import keyfile, os_keyring

KEY_BYTES = 32
# scrypt at n=2**15, r=8: ~32 MiB and ~0.1 s on a clinic PC, once per start.
_SCRYPT_N = 2**15
MIN_PASSPHRASE = 12

# Where the key came from (`nidaan keys status`, the UI's warning).
FROM_ENVIRONMENT = "NIDAAN_MASTER_KEY"
FROM_KEYRING = "OS keyring"
FROM_PASSPHRASE = "passphrase"  # noqa: S105 - a label, not a secret
FROM_PLAIN_FILE = "plain key file"

SQLCIPHER_ENGINE = "nidaan.keys.sqlcipher"
_SQLITE_HEADER = b"SQLite format 3\x00"


class KeyUnavailable(Exception):
    """The master key cannot be had: a wrong passphrase or key, a locked keyring, a
    damaged or missing key file. The message says what was tried and what to do."""


@dataclass(frozen=True)
class Unlocked:
    key: bytes
    source: str
    # False when the key sits in plain beside the data (a stolen disk opens).
    protected: bool
    path: Path


def recovery_text(key: bytes) -> str:
    """The key as 13 groups of 4 base32 letters (no 0/1/8 confusion), for paper."""
    text = base64.b32encode(key).decode().rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def from_recovery_text(text: str) -> bytes:
    cleaned = "".join(text.split()).replace("-", "").upper()
    cleaned += "=" * (-len(cleaned) % 8)
    try:
        key = base64.b32decode(cleaned)
    except ValueError:
        raise KeyUnavailable("that is not a recovery key (13 groups of 4 letters)") from None
    if len(key) != KEY_BYTES:
        raise KeyUnavailable("a recovery key has 52 letters (13 groups of 4)")
    return key


def fingerprint(key: bytes) -> str:
    """A short public name for a key, to say which key a file needs."""
    return hashlib.sha256(b"nidaan-key-id" + key).hexdigest()[:16]


def key_file() -> Path:
    configured = os.environ.get("NIDAAN_KEY_FILE")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "keys" / "master.key"


def _kek(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=KEY_BYTES, n=_SCRYPT_N, r=8, p=1).derive(passphrase.encode())


def seal(key: bytes, passphrase: str) -> bytes:
    """salt ‖ nonce ‖ AES-256-GCM(key) under a key stretched from the passphrase."""
    salt, nonce = os.urandom(16), os.urandom(12)
    return salt + nonce + AESGCM(_kek(passphrase, salt)).encrypt(nonce, key, None)


def unseal(sealed: bytes, passphrase: str) -> bytes:
    salt, nonce, box = sealed[:16], sealed[16:28], sealed[28:]
    try:
        return AESGCM(_kek(passphrase, salt)).decrypt(nonce, box, None)
    except Exception:  # InvalidTag: wrong passphrase or damaged file
        raise KeyUnavailable("wrong passphrase (or the key file is damaged)") from None


def keyring_entry(key: bytes) -> str:
    return f"master-key-{fingerprint(key)}"


def slots_for(key: bytes, *, keyring: bool, passphrase: str | None) -> keyfile.KeyFile:
    """A key file holding no key: the keyring slot (stored now) and/or a passphrase slot."""
    entry = ""
    if keyring:
        entry = keyring_entry(key)
        os_keyring.put(entry, recovery_text(key))
    return keyfile.KeyFile(
        keyfile.SLOTS,
        key_id=fingerprint(key),
        keyring_entry=entry,
        sealed=seal(key, passphrase) if passphrase else b"",
    )


def plain_for(key: bytes) -> keyfile.KeyFile:
    return keyfile.KeyFile(keyfile.PLAIN, plain_text=recovery_text(key))


# --- the database file ----------------------------------------------------------------


def database_path() -> Path | None:
    """The node's SQLite file, when the database is one (not PostgreSQL, not in memory)."""
    database = settings.DATABASES["default"]
    name = str(database.get("NAME", ""))
    if "sqlite" not in database["ENGINE"] and database["ENGINE"] != SQLCIPHER_ENGINE:
        return None
    if not name or name.startswith("file:") or name == ":memory:":
        return None
    return Path(name)


def database_encrypted_by_default() -> bool:
    return bool(settings.DATABASES["default"]["ENGINE"] == SQLCIPHER_ENGINE)


def database_file_state(path: Path) -> str:
    """'missing', 'empty', 'plain' (an SQLite file anyone can read) or 'encrypted'."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return "missing"
    if not head:
        return "empty"
    return "plain" if head == _SQLITE_HEADER else "encrypted"


# --- unlocking -------------------------------------------------------------------------


def _may_prompt() -> bool:
    """Ask on the terminal only when a person is there: `nidaan serve` started by hand,
    never a service, a test or a web request's thread."""
    if os.environ.get("NIDAAN_NO_PROMPT") == "1":
        return False
    stdin = sys.stdin
    return bool(
        stdin is not None
        and stdin.isatty()
        and threading.current_thread() is threading.main_thread()
    )


def _check_id(key: bytes, key_id: str, where: str) -> bytes:
    if key_id and fingerprint(key) != key_id:
        raise KeyUnavailable(
            f"{where} holds key {fingerprint(key)}, but this node's key is {key_id}: "
            "it belongs to another node or another installation"
        )
    return key


def _from_passphrase(stored: keyfile.KeyFile, passphrase: str, path: Path) -> bytes:
    if passphrase:
        try:
            return _check_id(unseal(stored.sealed, passphrase), stored.key_id, "the passphrase")
        except KeyUnavailable as error:
            raise KeyUnavailable(f"{error}: NIDAAN_KEY_PASSPHRASE does not open {path}") from None
    if not _may_prompt():
        raise KeyUnavailable(
            f"{path} needs its passphrase and nobody is at the terminal to type it: "
            "start `nidaan serve` by hand, or set NIDAAN_KEY_PASSPHRASE for the service"
        )
    for attempt in range(3):
        typed = getpass.getpass("Nidaan's passphrase (unlocks the patient records): ")
        try:
            return _check_id(unseal(stored.sealed, typed), stored.key_id, "the passphrase")
        except KeyUnavailable:
            if attempt < 2:
                print("Wrong passphrase, try again.", file=sys.stderr)  # noqa: T201
    raise KeyUnavailable(
        "wrong passphrase, three times. Forgotten it? `nidaan keys recover` with the "
        "printed recovery key sets a new one"
    )


def _open_existing(path: Path, stored: keyfile.KeyFile, passphrase: str) -> Unlocked:
    if stored.form == keyfile.PLAIN:
        return Unlocked(from_recovery_text(stored.plain_text), FROM_PLAIN_FILE, False, path)
    if stored.form == keyfile.SEALED:
        key = _from_passphrase(stored, passphrase, path)
        return Unlocked(key, FROM_PASSPHRASE, True, path)
    tried: list[str] = []
    if stored.keyring_entry:
        try:
            text = os_keyring.get(stored.keyring_entry)
        except os_keyring.KeyringUnavailable as error:
            tried.append(str(error))
        else:
            if text:
                key = _check_id(from_recovery_text(text), stored.key_id, "the OS keyring")
                return Unlocked(key, FROM_KEYRING, True, path)
            tried.append(f"the OS keyring has no entry {stored.keyring_entry!r}")
    if stored.sealed:
        if tried:
            print(f"Nidaan: {tried[0]}; trying the passphrase.", file=sys.stderr)  # noqa: T201
        return Unlocked(_from_passphrase(stored, passphrase, path), FROM_PASSPHRASE, True, path)
    raise KeyUnavailable(
        f"the key is kept in the OS keyring only, and {'; '.join(tried)}. Log in to the "
        "desktop session that holds the keyring, or give the printed recovery key "
        "(NIDAAN_MASTER_KEY, or `nidaan keys recover`)"
    )


def _first_key(path: Path, passphrase: str) -> Unlocked:
    database = database_path()
    if database is not None and database_file_state(database) == "encrypted":
        raise KeyUnavailable(
            f"{database} is encrypted but its key file {path} is missing: give the printed "
            "recovery key with `nidaan keys recover` (or NIDAAN_MASTER_KEY)"
        )
    key = os.urandom(KEY_BYTES)
    if passphrase:
        if len(passphrase) < MIN_PASSPHRASE:
            raise KeyUnavailable(f"NIDAAN_KEY_PASSPHRASE needs {MIN_PASSPHRASE}+ characters")
        stored, source = slots_for(key, keyring=False, passphrase=passphrase), FROM_PASSPHRASE
    else:
        try:
            stored, source = slots_for(key, keyring=True, passphrase=None), FROM_KEYRING
        except os_keyring.KeyringUnavailable:
            stored, source = plain_for(key), FROM_PLAIN_FILE
    if keyfile.create(path, stored):
        return Unlocked(key, source, stored.protected, path)
    # Another process made the key first: forget ours, use theirs.
    if stored.keyring_entry:
        try:
            os_keyring.delete(stored.keyring_entry)
        except os_keyring.KeyringUnavailable:
            pass
    existing = keyfile.read(path)
    assert existing is not None  # noqa: S101 - create() found it
    return _open_existing(path, existing, passphrase)


@functools.cache
def _unlock(path_text: str, given_key: str, passphrase: str) -> Unlocked:
    path = Path(path_text)
    try:
        stored = keyfile.read(path)
    except (ValueError, KeyError) as error:
        raise KeyUnavailable(f"{path} is damaged ({error}): `nidaan keys recover`") from None
    if given_key:
        key = from_recovery_text(given_key)
        if stored is not None and stored.form == keyfile.PLAIN:
            if from_recovery_text(stored.plain_text) != key:
                raise KeyUnavailable(f"NIDAAN_MASTER_KEY is not the key in {path}")
        elif stored is not None:
            _check_id(key, stored.key_id, "NIDAAN_MASTER_KEY")
        return Unlocked(key, FROM_ENVIRONMENT, True, path)
    if stored is None:
        return _first_key(path, passphrase)
    return _open_existing(path, stored, passphrase)


def unlock() -> Unlocked:
    """The master key and where it came from (cached per key file and environment: tests
    give each run its own data directory; a failed unlock is tried again next time)."""
    return _unlock(
        str(key_file()),
        os.environ.get("NIDAAN_MASTER_KEY", ""),
        os.environ.get("NIDAAN_KEY_PASSPHRASE", ""),
    )


def forget_unlocked() -> None:
    """After the key file changed (`nidaan keys protect|keyring|recover`)."""
    _unlock.cache_clear()


def master_key() -> bytes:
    return unlock().key


def derive(purpose: str, master: bytes | None = None) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()
    ).derive(master if master is not None else master_key())


def organisation_key(organisation_id: uuid.UUID | None) -> bytes:
    """The key of one organisation's documents (None: documents of no organisation)."""
    scope = str(organisation_id) if organisation_id is not None else "node"
    return derive(f"nidaan/blobs/v1/{scope}")


def backup_key(master: bytes | None = None) -> bytes:
    return derive("nidaan/backups/v1", master)
