"""Primary keys for synced rows: UUIDv7 (RFC 9562 §5.7).

Made offline on any node without coordination, and time-ordered so that new rows land
at the end of B-tree indexes instead of scattering across a spinning disk.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_last_counter = 0


def uuid7() -> uuid.UUID:
    """A new UUIDv7, strictly increasing within this process.

    Within one millisecond the 12-bit `rand_a` field is a counter seeded at random
    (RFC 9562 §6.2, method 1), so ids made in a tight loop still sort in creation order.
    """
    global _last_ms, _last_counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms = ms
            _last_counter = int.from_bytes(os.urandom(2), "big") & 0x7FF
        else:
            _last_counter += 1
            if _last_counter > 0xFFF:
                # Counter exhausted: borrow the next millisecond rather than repeat.
                _last_ms += 1
                _last_counter = 0
        ms, counter = _last_ms, _last_counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return uuid.UUID(int=value)


def uuid7_timestamp_ms(value: uuid.UUID) -> int:
    """The Unix time in milliseconds carried by a UUIDv7."""
    return value.int >> 80


_PARSED: dict[str, uuid.UUID] = {}


# The UUID parsed before from this exact text, or None: what uuid_from_text answers
# without a call of its own, for loops that parse thousands of ids (sync's merge).
known_uuid = _PARSED.get


def uuid_from_text(text: str) -> uuid.UUID:
    """UUID text → UUID, remembered: a sync batch names the same node, organisation,
    patient and doctor many times. Raises ValueError like `uuid.UUID`."""
    value = _PARSED.get(text)
    if value is None:
        value = uuid.UUID(text)
        if len(_PARSED) >= 50_000:
            _PARSED.clear()
        _PARSED[text] = value
    return value
