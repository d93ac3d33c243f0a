"""The key file (`DATA_DIR/keys/master.key`): what it holds, in three forms.

- **plain**: the master key's recovery text. Unprotected: whoever copies the data
  directory copies the key. What `make run` makes on a PC with no OS keyring.
- **sealed** (written by Nidaan before the keyring existed): `NIDAAN-SEALED-KEY-1`, then
  the key sealed with a passphrase. Still read.
- **slots** (`NIDAAN-KEY-2`, then JSON): no key in the file, only how to get it: the key's
  id (a hash, to tell a wrong key from a right one before touching the database), the
  OS keyring entry that holds it, and/or the key sealed with a passphrase (scrypt
  n=2¹⁵ + AES-256-GCM). Like LUKS key slots: either slot opens the same master key, and
  the printed recovery key *is* the master key, so it opens everything without the file.

Files are replaced atomically (temporary name, fsync, rename), and made with a hard link
so that two processes starting together never read a half-written file.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

PLAIN, SEALED, SLOTS = "plain", "sealed", "slots"
SEALED_MAGIC = b"NIDAAN-SEALED-KEY-1\n"
SLOTS_MAGIC = b"NIDAAN-KEY-2\n"


@dataclass(frozen=True)
class KeyFile:
    form: str
    plain_text: str = ""  # PLAIN: the recovery text
    key_id: str = ""  # SLOTS
    keyring_entry: str = ""  # SLOTS: the OS keyring entry (service "nidaan")
    sealed: bytes = b""  # SEALED and SLOTS: salt ‖ nonce ‖ AES-GCM box

    @property
    def protected(self) -> bool:
        return self.form != PLAIN


def parse(content: bytes) -> KeyFile:
    if content.startswith(SEALED_MAGIC):
        return KeyFile(SEALED, sealed=content[len(SEALED_MAGIC) :])
    if content.startswith(SLOTS_MAGIC):
        fields = json.loads(content[len(SLOTS_MAGIC) :])
        return KeyFile(
            SLOTS,
            key_id=fields["key_id"],
            keyring_entry=fields.get("keyring") or "",
            sealed=base64.b64decode(fields.get("sealed") or ""),
        )
    return KeyFile(PLAIN, plain_text=content.decode().strip())


def render(key_file: KeyFile) -> bytes:
    if key_file.form == PLAIN:
        return key_file.plain_text.encode() + b"\n"
    fields = {
        "key_id": key_file.key_id,
        "keyring": key_file.keyring_entry or None,
        "sealed": base64.b64encode(key_file.sealed).decode() if key_file.sealed else None,
    }
    return SLOTS_MAGIC + json.dumps(fields, indent=1).encode() + b"\n"


def read(path: Path) -> KeyFile | None:
    try:
        return parse(path.read_bytes())
    except FileNotFoundError:
        return None


def _write_temporary(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    return temporary


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create(path: Path, key_file: KeyFile) -> bool:
    """Write a new key file; False (and nothing written) when one already exists."""
    temporary = _write_temporary(path, render(key_file))
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink()
    _fsync_directory(path.parent)
    return True


def replace(path: Path, key_file: KeyFile) -> None:
    os.replace(_write_temporary(path, render(key_file)), path)
    _fsync_directory(path.parent)
