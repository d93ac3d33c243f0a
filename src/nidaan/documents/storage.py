"""Report PDFs and images on disk, named by the SHA-256 of their content.

    DATA_DIR/blobs/<first two hex digits>/<sha256>

A blob's name is its content, so the same report uploaded twice (or arriving from
another node) is stored once, and a read can prove the bytes are the ones recorded.

Encrypted at rest (issue 8): the file holds

    b"NIDAAN-BLOB-1\n" | organisation id (16 bytes; zeros: none) | nonce (12) | AES-256-GCM

with the key of that organisation (keys.organisation_key, derived from the node's master
key) and the magic, the organisation id and the SHA-256 name as associated data, so a
file renamed to another blob's name, or moved to another organisation, fails to open.
The name stays the SHA-256 of the *plain* content: sync and every caller keep moving and
opening blobs by it through `store()` and `read()`, never by copying files (a copied
file opens only on a node with the same master key). A file written before encryption
(no magic) is still read, and checked against its name the same way.

Power cuts are normal where this runs (design.md §1). A blob is written to a temporary
file in its final directory, fsync'd, then renamed over the final name, and the
directory is fsync'd so the rename itself survives: after a crash the final name holds
either nothing or the whole file, never part of one. A left-over temporary file is
harmless (it has a name no reader looks up).
"""

from __future__ import annotations

import enum
import hashlib
import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.files import File

from nidaan import keys

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1024 * 1024
TEMPORARY_PREFIX = ".incoming-"
MAGIC = b"NIDAAN-BLOB-1\n"
_NO_ORGANISATION = uuid.UUID(int=0)


class BlobError(Exception):
    """A stored file cannot be served."""


class BlobMissing(BlobError):
    """The record is here but its file is not (e.g. not yet transferred from another node)."""


class BlobCorrupted(BlobError):
    """The file on disk no longer has the content its name (SHA-256) promises."""


class BlobChanged(BlobError):
    """The upload changed while it was being stored."""


class BlobState(enum.StrEnum):
    INTACT = "intact"
    MISSING = "missing"
    CORRUPTED = "corrupted"


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int


def blob_root() -> Path:
    return Path(settings.DATA_DIR) / "blobs"


def blob_path(sha256: str) -> Path:
    if not _SHA256_HEX.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 in lower-case hex: {sha256!r}")
    return blob_root() / sha256[:2] / sha256


def _chunks(upload: File[bytes]) -> Iterator[bytes]:
    upload.seek(0)
    yield from upload.chunks(_CHUNK)


def sha256_of(upload: File[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in _chunks(upload):
        digest.update(chunk)
    return digest.hexdigest()


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_directory(directory: Path) -> None:
    if directory.is_dir():
        return
    directory.mkdir(parents=True, exist_ok=True)
    # The new directory's own entry must survive a power cut too.
    _fsync_directory(directory.parent)


def _seal(plain: bytes, sha256: str, organisation_id: uuid.UUID | None) -> bytes:
    scope = organisation_id or _NO_ORGANISATION
    nonce = os.urandom(12)
    aad = MAGIC + scope.bytes + sha256.encode()
    box = AESGCM(keys.organisation_key(organisation_id)).encrypt(nonce, plain, aad)
    return MAGIC + scope.bytes + nonce + box


def _open_sealed(content: bytes, sha256: str) -> bytes:
    """The plain content of a stored file (raises BlobCorrupted if it does not open)."""
    if not content.startswith(MAGIC):
        return content  # written before encryption at rest; still checked by its hash
    head = len(MAGIC)
    scope = uuid.UUID(bytes=content[head : head + 16])
    nonce, box = content[head + 16 : head + 28], content[head + 28 :]
    organisation_id = None if scope == _NO_ORGANISATION else scope
    try:
        return AESGCM(keys.organisation_key(organisation_id)).decrypt(
            nonce, box, MAGIC + scope.bytes + sha256.encode()
        )
    except (InvalidTag, ValueError):
        raise BlobCorrupted(f"{sha256} does not open: changed on disk, or another key") from None


def store(upload: File[bytes], *, organisation_id: uuid.UUID | None = None) -> StoredBlob:
    """Store `upload` under its SHA-256 (encrypted with `organisation_id`'s key) and
    return it; content already stored intact is not written again."""
    sha256 = sha256_of(upload)
    final = blob_path(sha256)
    plain = b"".join(_chunks(upload))
    if hashlib.sha256(plain).hexdigest() != sha256:
        raise BlobChanged(f"upload changed while being stored (expected {sha256})")
    if state_of(sha256) == BlobState.INTACT:
        return StoredBlob(sha256, len(plain))
    # Absent, or damaged on disk: (re)write it. Uploading a report again repairs it.
    _make_directory(final.parent)
    fd, temporary = tempfile.mkstemp(dir=final.parent, prefix=TEMPORARY_PREFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_seal(plain, sha256, organisation_id))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(final.parent)
    return StoredBlob(sha256, len(plain))


def read(sha256: str) -> bytes:
    """The stored content, proven to match its SHA-256; a damaged file is never served."""
    if not sha256:
        raise BlobMissing("this document's file was erased at the patient's request")
    path = blob_path(sha256)
    try:
        content = _open_sealed(path.read_bytes(), sha256)
    except FileNotFoundError:
        raise BlobMissing(f"no file for {sha256} on this node") from None
    actual = hashlib.sha256(content).hexdigest()
    if actual != sha256:
        raise BlobCorrupted(f"{path} has SHA-256 {actual}, expected {sha256}")
    return content


def state_of(sha256: str) -> BlobState:
    """Whether the file for `sha256` is here and intact (opens and hashes it)."""
    try:
        read(sha256)
    except BlobMissing:
        return BlobState.MISSING
    except BlobCorrupted:
        return BlobState.CORRUPTED
    return BlobState.INTACT
