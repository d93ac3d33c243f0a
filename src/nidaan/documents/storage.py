"""Report PDFs and images on disk, named by the SHA-256 of their content.

    DATA_DIR/blobs/<first two hex digits>/<sha256>

A blob's name is its content, so the same report uploaded twice (or arriving from
another node) is stored once, and a read can prove the bytes are the ones recorded.

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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1024 * 1024
TEMPORARY_PREFIX = ".incoming-"


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


def store(upload: File[bytes]) -> StoredBlob:
    """Store `upload` under its SHA-256 and return it; content already stored intact is
    not written again."""
    sha256 = sha256_of(upload)
    final = blob_path(sha256)
    if state_of(sha256) == BlobState.INTACT:
        return StoredBlob(sha256, final.stat().st_size)
    # Absent, or damaged on disk: (re)write it. Uploading a report again repairs it.
    _make_directory(final.parent)
    digest = hashlib.sha256()
    size = 0
    fd, temporary = tempfile.mkstemp(dir=final.parent, prefix=TEMPORARY_PREFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _chunks(upload):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise BlobChanged(f"upload changed while being stored (expected {sha256})")
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(final.parent)
    return StoredBlob(sha256, size)


def read(sha256: str) -> bytes:
    """The stored content, proven to match its SHA-256; a damaged file is never served."""
    path = blob_path(sha256)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise BlobMissing(f"no file for {sha256} on this node") from None
    actual = hashlib.sha256(content).hexdigest()
    if actual != sha256:
        raise BlobCorrupted(f"{path} has SHA-256 {actual}, expected {sha256}")
    return content


def state_of(sha256: str) -> BlobState:
    """Whether the file for `sha256` is here and intact (reads and hashes it)."""
    path = blob_path(sha256)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        return BlobState.MISSING
    return BlobState.INTACT if digest.hexdigest() == sha256 else BlobState.CORRUPTED
