"""The node's master key, and the keys derived from it for blobs and backups.

Where the master key comes from, first found wins:

1. `NIDAAN_MASTER_KEY`: the recovery key itself (the form `nidaan keys recovery` prints),
   for a service manager that holds secrets, or to restore a backup on a new PC;
2. `NIDAAN_KEY_FILE` (default `DATA_DIR/keys/master.key`), either the plain key or,
   after `nidaan keys protect`, the key sealed with a passphrase (scrypt + AES-GCM),
   which must then be in `NIDAAN_KEY_PASSPHRASE`;
3. otherwise a new key is made and written to the key file (mode 0600), so that
   `make run`, `make test` and a node started by the service manager work unattended.

The trade-off of 3 is stated in docs/security.md: a key file on the same disk protects
backups and copied blob folders, not a stolen disk; keep the key file on a USB key or use
a passphrase or the environment to protect against that. Whatever the source, losing the
key loses the encrypted blobs and backups: print the recovery key at set-up and keep it
in the clinic's safe.

Keys for a purpose are derived with HKDF-SHA256 (RFC 5869): one per organisation for its
documents, one for backups, so one derived key never opens another's data.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import uuid
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings

KEY_BYTES = 32
_SEALED_MAGIC = b"NIDAAN-SEALED-KEY-1\n"
# scrypt at n=2**15, r=8: ~32 MiB and ~0.1 s on a clinic PC, once per start.
_SCRYPT_N = 2**15


class KeyUnavailable(Exception):
    """The master key cannot be had: a wrong passphrase, a damaged key file."""


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
        raise KeyUnavailable("not a recovery key") from None
    if len(key) != KEY_BYTES:
        raise KeyUnavailable("a recovery key has 52 letters")
    return key


def key_file() -> Path:
    configured = os.environ.get("NIDAAN_KEY_FILE")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "keys" / "master.key"


def _kek(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=KEY_BYTES, n=_SCRYPT_N, r=8, p=1).derive(passphrase.encode())


def seal(key: bytes, passphrase: str) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    return _SEALED_MAGIC + salt + nonce + AESGCM(_kek(passphrase, salt)).encrypt(nonce, key, None)


def unseal(sealed: bytes, passphrase: str) -> bytes:
    body = sealed[len(_SEALED_MAGIC) :]
    salt, nonce, box = body[:16], body[16:28], body[28:]
    try:
        return AESGCM(_kek(passphrase, salt)).decrypt(nonce, box, None)
    except Exception:  # InvalidTag: wrong passphrase or damaged file
        raise KeyUnavailable("wrong passphrase, or the key file is damaged") from None


def _write_new(path: Path) -> bytes:
    key = os.urandom(KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)  # another process made it first
    with os.fdopen(fd, "w") as handle:
        handle.write(recovery_text(key) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return key


def _read(path: Path) -> bytes:
    content = path.read_bytes()
    if content.startswith(_SEALED_MAGIC):
        passphrase = os.environ.get("NIDAAN_KEY_PASSPHRASE")
        if not passphrase:
            raise KeyUnavailable(f"{path} is sealed with a passphrase: set NIDAAN_KEY_PASSPHRASE")
        return unseal(content, passphrase)
    return from_recovery_text(content.decode())


@functools.cache
def _master_for(source: str, env: str) -> bytes:
    if env:
        return from_recovery_text(env)
    path = Path(source)
    if path.exists():
        return _read(path)
    return _write_new(path)


def master_key() -> bytes:
    # Cached per key-file path (tests give each run its own data directory).
    return _master_for(str(key_file()), os.environ.get("NIDAAN_MASTER_KEY", ""))


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


def fingerprint(key: bytes) -> str:
    """A short public name for a key, to say which key a file needs."""
    return hashlib.sha256(b"nidaan-key-id" + key).hexdigest()[:16]
