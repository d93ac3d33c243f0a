"""Writes of the audit app beyond `record()`: the hub keeping clinic PCs' chains.

Each clinic PC ships its own chain to the hub (`POST /sync/v1/audit`). The hub stores the
events as they were written (never re-chained: the PC's hashes stay checkable), checks
that each one matches its hash and links to the one before, and that the first new one
links to the last event it already holds of that PC. So a PC cannot delete or rewrite
an event after shipping it without the hub refusing what follows and saying why.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from nidaan.audit import chain
from nidaan.audit.models import AuditEvent, AuditHead, NodeChain


class ChainGap(Exception):
    """The events do not continue where the hub's copy of the chain ends."""

    def __init__(self, received_through: int) -> None:
        super().__init__(f"expected audit events from seq {received_through + 1}")
        self.received_through = received_through


class ChainRefused(ValueError):
    """The events are not a faithful continuation of the chain; the message says where."""


@dataclass(frozen=True)
class Received:
    received_through: int
    stored: int


def received_position(node_id: uuid.UUID) -> tuple[int, str]:
    head = AuditHead.objects.filter(node_id=node_id, local=False).first()
    return (head.seq, head.hash) if head is not None else (0, "")


def _locked_chain(node_id: uuid.UUID, organisation_id: uuid.UUID, name: str) -> NodeChain:
    found = NodeChain.objects.select_for_update().filter(node_id=node_id).first()
    if found is None:
        try:
            with transaction.atomic():
                NodeChain.objects.create(
                    node_id=node_id, organisation_id=organisation_id, name=name[:100]
                )
        except IntegrityError:
            pass  # another request of the same PC made it first
        found = NodeChain.objects.select_for_update().get(node_id=node_id)
    if found.organisation_id != organisation_id:
        raise ChainRefused("this PC's audit chain belongs to another organisation")
    return found


@transaction.atomic
def receive_node_events(
    *,
    node_id: uuid.UUID,
    organisation_id: uuid.UUID,
    name: str,
    from_seq: int,
    events: list[AuditEvent],
) -> Received:
    """Store a contiguous run of one PC's chain from `from_seq` (idempotent)."""
    node_chain = _locked_chain(node_id, organisation_id, name)
    head = AuditHead.objects.select_for_update().filter(node_id=node_id).first()
    if head is not None and head.local:
        raise ChainRefused("that is the hub's own audit chain")
    held_seq, held_hash = (head.seq, head.hash) if head is not None else (0, "")
    if from_seq > held_seq + 1:
        raise ChainGap(held_seq)
    expected = from_seq
    for event in events:
        if event.node_id != node_id:
            raise ChainRefused(f"event {event.seq} was not written by this PC")
        if event.seq != expected:
            raise ChainRefused(
                f"events must be contiguous from seq {from_seq}: "
                f"found {event.seq} where {expected} was expected"
            )
        expected += 1
        if event.org_id is not None and event.org_id != organisation_id:
            raise ChainRefused(f"event {event.seq} names another organisation")
        if chain.event_hash(chain.values_of(event)) != event.hash:
            raise ChainRefused(f"event {event.seq}: its content does not match its hash")
    # Events purged here after their year cannot be compared any more (audit/purge.py).
    pruned = head.pruned_through if head is not None else 0
    already = [e for e in events if pruned < e.seq <= held_seq]
    if already:
        kept = dict(
            AuditEvent.objects.filter(
                node_id=node_id, seq__gte=already[0].seq, seq__lte=already[-1].seq
            ).values_list("seq", "hash")
        )
        for event in already:
            if kept.get(event.seq) != event.hash:
                raise ChainRefused(
                    f"event {event.seq} differs from the copy the hub received: "
                    "this PC's audit log was rewritten after it was shipped"
                )
    new = [e for e in events if e.seq > held_seq]
    previous = held_hash
    for event in new:
        if event.prev_hash != previous:
            raise ChainRefused(
                f"event {event.seq} does not link to event {event.seq - 1} "
                "held by the hub: this PC's audit log was rewritten after it was shipped"
            )
        previous = event.hash
    if new:
        AuditEvent.objects.bulk_create(new, batch_size=500)
        if head is None:
            head = AuditHead(node_id=node_id, seq=0, hash="", local=False)
        head.seq, head.hash = new[-1].seq, new[-1].hash
        head.save()
    node_chain.last_received_at = timezone.now()
    node_chain.save(update_fields=["last_received_at"])
    return Received(received_through=head.seq if head is not None else 0, stored=len(new))


@transaction.atomic
def note_refused_chain(
    *, node_id: uuid.UUID, organisation_id: uuid.UUID, name: str, reason: str
) -> None:
    """Keep the refusal where the hub's admin sees it (the audit log page)."""
    try:
        node_chain = _locked_chain(node_id, organisation_id, name)
    except ChainRefused:
        return  # another organisation's chain: nothing of this one to mark
    node_chain.refused_at = timezone.now()
    node_chain.refused_reason = reason[:500]
    node_chain.save(update_fields=["refused_at", "refused_reason"])
