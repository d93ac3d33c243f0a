"""Divergence check: per-bucket checksums of materialised rows, compared with the hub.

Rows fall into 256 buckets by the last byte of their id (random in a UUIDv7). A
bucket's checksum combines every row's digest by XOR, so it does not depend on the
order rows were written. Node and hub compare checksums and repair only the buckets
that differ, by merging the hub's rows of those buckets field by field.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from typing import Any

from django.db.models import CharField
from django.db.models.functions import Cast

from nidaan.core.hlc import expanded_clock
from nidaan.core.synced import SyncedModel, registry
from nidaan.sync.merge import row_to_wire

BUCKETS = 256


def bucket_of(pk: uuid.UUID) -> int:
    return pk.int & 0xFF


def _digest(obj: SyncedModel) -> int:
    wire = row_to_wire(obj)
    # Compared by each field's stamp, not by how the clock is written down: a row
    # replicated before field clocks were compacted lists every field.
    wire["c"] = expanded_clock(wire["c"], type(obj).synced_field_names())
    text = json.dumps(wire, sort_keys=True, separators=(",", ":"))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "big")


def buckets(org_id: uuid.UUID | None) -> dict[int, str]:
    """Checksum of every non-empty bucket of the organisation's rows."""
    sums: dict[int, int] = defaultdict(int)
    for model in registry().values():
        rows = model._base_manager.all()
        if org_id is not None:
            rows = rows.filter(model.org_filter(org_id))
        for obj in rows.iterator(chunk_size=2000):
            sums[bucket_of(obj.pk)] ^= _digest(obj)
    return {bucket: f"{value:032x}" for bucket, value in sums.items()}


def bucket_rows(org_id: uuid.UUID, bucket: int) -> list[dict[str, Any]]:
    suffix = f"{bucket % BUCKETS:02x}"
    rows: list[dict[str, Any]] = []
    for model in registry().values():
        found = (
            model._base_manager.filter(model.org_filter(org_id))
            .annotate(id_text=Cast("id", output_field=CharField()))
            .filter(id_text__endswith=suffix)
        )
        rows.extend(row_to_wire(obj) for obj in found)
    return rows
