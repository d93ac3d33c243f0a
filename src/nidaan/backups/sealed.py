"""An encrypted, append-only stream file: what a backup is written in.

    b"NIDAAN-BACKUP-1\n" | u32 header length | header JSON | chunk*

Each chunk is `u32 length | AES-256-GCM(chunk)` with the nonce `prefix(8) || counter(4)`
and as associated data the header, the counter and whether it is the last chunk. So a
chunk cannot be moved, repeated or dropped, and a file cut short (a USB stick pulled out)
fails to open instead of restoring half a clinic (the STREAM construction of Hoang,
Reyhanitabar, Rogaway and Vizár, 2015).
"""

from __future__ import annotations

import io
import json
import os
import struct
from collections.abc import Iterator
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"NIDAAN-BACKUP-1\n"
CHUNK = 1024 * 1024
_LENGTH = struct.Struct(">I")


class SealBroken(Exception):
    """The file was changed, cut short, or needs another key."""


def _aad(header: bytes, counter: int, last: bool) -> bytes:
    return header + struct.pack(">I?", counter, last)


class SealedWriter(io.RawIOBase):
    """A writable file object; `close()` seals the last chunk."""

    def __init__(self, out: BinaryIO, key: bytes, header: dict[str, Any]) -> None:
        self._out = out
        self._aead = AESGCM(key)
        self._prefix = os.urandom(8)
        self._header = json.dumps({**header, "nonce_prefix": self._prefix.hex()}).encode()
        self._buffer = bytearray()
        self._counter = 0
        out.write(MAGIC + _LENGTH.pack(len(self._header)) + self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, last: bool) -> None:
        nonce = self._prefix + struct.pack(">I", self._counter)
        box = self._aead.encrypt(nonce, plain, _aad(self._header, self._counter, last))
        self._out.write(_LENGTH.pack(len(box)) + box)
        self._counter += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


def read_header(source: BinaryIO) -> tuple[bytes, dict[str, Any]]:
    if source.read(len(MAGIC)) != MAGIC:
        raise SealBroken("not a Nidaan backup")
    (length,) = _LENGTH.unpack(source.read(_LENGTH.size))
    header = source.read(length)
    parsed: dict[str, Any] = json.loads(header)
    return header, parsed


def chunks(source: BinaryIO, key: bytes) -> Iterator[bytes]:
    header, parsed = read_header(source)
    aead, prefix = AESGCM(key), bytes.fromhex(parsed["nonce_prefix"])
    counter = 0
    while True:
        raw = source.read(_LENGTH.size)
        if len(raw) < _LENGTH.size:
            raise SealBroken("the backup is cut short (its last part is missing)")
        (length,) = _LENGTH.unpack(raw)
        box = source.read(length)
        nonce = prefix + struct.pack(">I", counter)
        for last in (False, True):
            try:
                plain = aead.decrypt(nonce, box, _aad(header, counter, last))
            except InvalidTag:
                continue
            break
        else:
            raise SealBroken(
                f"part {counter} of the backup does not open: it was changed, or this is "
                "not the key it was made with"
            )
        yield plain
        counter += 1
        if last:
            if source.read(1):
                raise SealBroken("the backup has data after its end")
            return


class SealedReader(io.RawIOBase):
    """A readable file object over the decrypted content (for tarfile's stream mode)."""

    def __init__(self, source: BinaryIO, key: bytes) -> None:
        self._chunks = chunks(source, key)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
