"""The audit hash chain: how an event's hash is computed and how a chain is checked.

    hash = SHA-256( "nidaan-audit-v1\n" + canonical JSON of CHAINED_FIELDS )

Canonical JSON: keys sorted, no spaces, UTF-8, UUIDs as lower-case hex with dashes,
`at` as UTC ISO 8601 with microseconds. `prev_hash` is one of the chained fields, so
each event vouches for the whole chain before it (RFC 6962-style append-only log, in its
simplest linear form).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

VERSION = "nidaan-audit-v1"
CHAINED_FIELDS = (
    "node_id",
    "seq",
    "prev_hash",
    "at",
    "actor_id",
    "actor_username",
    "org_id",
    "action",
    "entity",
    "entity_id",
    "patient_id",
    "address",
    "channel",
    "detail",
)


def _text(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def event_hash(values: dict[str, Any]) -> str:
    """The hash of an event given its chained fields (model attributes or a dict)."""
    canonical = {name: _text(values.get(name)) for name in CHAINED_FIELDS}
    for name in ("actor_id", "org_id", "entity_id", "patient_id", "node_id"):
        if isinstance(values.get(name), str):  # an id given as text: its canonical form
            canonical[name] = str(uuid.UUID(canonical[name]))
    body = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{VERSION}\n{body}".encode()).hexdigest()


def values_of(event: Any) -> dict[str, Any]:
    return {name: getattr(event, name) for name in CHAINED_FIELDS}


@dataclass(frozen=True)
class Break:
    """One place where a chain is not what it was written as."""

    node_id: uuid.UUID
    seq: int
    kind: str  # edited, deleted, relinked, truncated
    message: str


def check(
    node_id: uuid.UUID,
    events: Iterable[Any],
    head: tuple[int, str] | None,
    start: tuple[int, str] = (0, ""),
) -> Iterator[Break]:
    """Walk one node's events in `seq` order and yield every break found.

    - a row whose content no longer matches its own hash was **edited**;
    - a missing `seq` means rows were **deleted**;
    - a row whose `prev_hash` is not the previous row's hash, with no gap, means the
      previous row was replaced by one with a recomputed hash (**relinked**);
    - a head beyond the last row means the newest rows were cut off (**truncated**).

    `start` is the last event purged after its retention period (seq, hash), if any.
    """
    expected_seq = start[0] + 1
    previous_hash = start[1]
    for event in events:
        if event.seq > expected_seq:
            first, last = expected_seq, event.seq - 1
            span = f"{first}" if first == last else f"{first}–{last}"
            yield Break(node_id, first, "deleted", f"events {span} are missing (deleted)")
        elif event.prev_hash != previous_hash:
            yield Break(
                node_id,
                event.seq,
                "relinked",
                f"event {event.seq} does not follow event {event.seq - 1}: "
                f"{event.seq - 1} was replaced or edited and re-hashed",
            )
        if event_hash(values_of(event)) != event.hash:
            yield Break(
                node_id,
                event.seq,
                "edited",
                f"event {event.seq} (id {event.pk}) was edited: its content no longer "
                "matches its hash",
            )
        expected_seq = event.seq + 1
        previous_hash = event.hash
    if head is not None:
        head_seq, head_hash = head
        if head_seq >= expected_seq:
            yield Break(
                node_id,
                expected_seq,
                "truncated",
                f"events {expected_seq}–{head_seq} are missing from the end (deleted)",
            )
        elif head_seq == expected_seq - 1 and head_hash != previous_hash:
            yield Break(
                node_id, head_seq, "relinked", f"event {head_seq} is not the one last written"
            )
