"""This node's identity and counters, advanced inside the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from nidaan.core import uhid
from nidaan.core.hlc import HybridLogicalClock, wall_clock_ms
from nidaan.core.ids import uuid7
from nidaan.core.models import NodeState, OrgSequence


class NotInTransaction(RuntimeError):
    """Counters may only move inside the transaction that writes the change."""


@dataclass(frozen=True)
class ChangeStamp:
    node_id: uuid.UUID
    node_seq: int
    hlc: int


def _state(*, locked: bool) -> NodeState:
    """The singleton row, created on first use: one query once it exists (sync reads it
    several times per pulled batch)."""
    rows = NodeState.objects.select_for_update() if locked else NodeState.objects
    try:
        return rows.get(pk=NodeState.SINGLETON_ID)
    except NodeState.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            NodeState.objects.create(
                pk=NodeState.SINGLETON_ID, node_id=uuid7(), uhid_prefix=uhid.new_prefix()
            )
    except IntegrityError:
        pass  # another thread created it first: theirs stands
    return rows.get(pk=NodeState.SINGLETON_ID)


def identity() -> NodeState:
    """This node's state (created on first use), read without locking."""
    return _state(locked=False)


def locked_identity() -> NodeState:
    """This node's state, locked for the rest of the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction("node counters must advance inside the action's transaction")
    # On SQLite the IMMEDIATE transaction already holds the write lock; on PostgreSQL
    # this row lock serialises the sequence so it stays gapless and commit-ordered.
    return _state(locked=True)


def serialise_writes() -> None:
    """Hold this node's write lock for the rest of the transaction.

    For counters kept in domain tables (tokens of the day): read the last number only
    after this, so two concurrent writers on PostgreSQL never take the same one.
    """
    locked_identity()


def corrected_wall_clock(offset_ms: int) -> Callable[[], int]:
    return lambda: wall_clock_ms() + offset_ms


def next_change_stamps(count: int) -> list[ChangeStamp]:
    """Reserve `count` consecutive change numbers and clock ticks."""
    state = locked_identity()
    clock = HybridLogicalClock(state.last_hlc, corrected_wall_clock(state.clock_offset_ms))
    stamps = [ChangeStamp(state.node_id, state.last_seq + i + 1, clock.now()) for i in range(count)]
    state.last_seq += count
    state.last_hlc = clock.last
    state.save(update_fields=["last_seq", "last_hlc"])
    return stamps


def next_uhid() -> str:
    state = locked_identity()
    state.last_uhid_seq += 1
    state.save(update_fields=["last_uhid_seq"])
    return uhid.make(state.uhid_prefix, state.last_uhid_seq)


def next_server_seqs(org_id: uuid.UUID, count: int) -> int:
    """On the hub: reserve `count` feed numbers for `org_id`; returns the first.

    The row lock is held to the end of the caller's transaction (see `OrgSequence`).
    """
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction("feed numbers are taken inside the transaction that adds the rows")
    OrgSequence.objects.get_or_create(org_id=org_id)
    row = OrgSequence.objects.select_for_update().get(org_id=org_id)
    first = row.last_server_seq + 1
    row.last_server_seq += count
    row.save(update_fields=["last_server_seq"])
    return first
