"""Hub-built snapshots: how a new node starts without replaying years of changes.

The snapshot is every row of one organisation with its per-field clocks, as gzip'd
JSON lines, preceded by the feed position it covers. The feed position is read first,
so every change up to it is already in the rows that follow; rows may also carry
newer changes, which is harmless because the node merges them by their clocks.
"""

from __future__ import annotations

import json
import uuid
import zlib
from collections.abc import Iterator
from typing import Any

from nidaan.core import fastjson
from nidaan.core.models import OrgSequence
from nidaan.core.synced import registry
from nidaan.sync.merge import row_to_wire

_ROWS_PER_QUERY = 2000


def _lines(org_id: uuid.UUID) -> Iterator[bytes]:
    position = (
        OrgSequence.objects.filter(org_id=org_id).values_list("last_server_seq", flat=True).first()
    ) or 0
    yield json.dumps({"server_seq": position}).encode() + b"\n"
    count = 0
    for model in registry().values():
        rows = model._base_manager.filter(model.org_filter(org_id)).order_by("pk")
        last: Any = None
        while True:
            page = rows if last is None else rows.filter(pk__gt=last)
            chunk = list(page[:_ROWS_PER_QUERY])
            if not chunk:
                break
            for obj in chunk:
                yield fastjson.dumps_bytes(row_to_wire(obj)) + b"\n"
            count += len(chunk)
            last = chunk[-1].pk
    yield json.dumps({"end": True, "rows": count}).encode() + b"\n"


def stream(org_id: uuid.UUID) -> Iterator[bytes]:
    """The snapshot as gzip chunks, built while it is sent."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: gzip framing
    pending: list[bytes] = []
    size = 0
    for line in _lines(org_id):
        pending.append(line)
        size += len(line)
        if size >= 256 * 1024:
            out = compressor.compress(b"".join(pending))
            pending, size = [], 0
            if out:
                yield out
    yield compressor.compress(b"".join(pending)) + compressor.flush()
