"""Purging audit events after their retention period (`nidaan audit purge --before DATE`).

DPDP Rules 2025 r.6 asks for logs to be kept for at least one year: no event younger than
a year is ever purged, whatever date is given. Events go only from the oldest end of each
chain, and the chain's head remembers the last one purged (`pruned_through`,
`pruned_hash`), so `nidaan audit verify` still proves the rest and still reports any
deletion in the middle. On a PC that ships its chain, only events the hub already holds
may go: the hub's copy is what keeps them tamper-evident.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from nidaan.audit.models import AuditEvent, AuditHead

RETENTION_YEARS = 1


class PurgeRefused(ValueError):
    """The date asked for would purge events younger than the retention period."""


def latest_cutoff(today: datetime.date) -> datetime.date:
    """The latest `--before` date allowed: one year before today."""
    try:
        return today.replace(year=today.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - RETENTION_YEARS, day=28)


@transaction.atomic
def purge_before(
    before: datetime.date, *, today: datetime.date | None = None
) -> dict[uuid.UUID, int]:
    """Delete, from the oldest end of every chain held here, events written before
    `before` (midnight UTC); returns how many went, per chain."""
    today = today or timezone.now().date()
    if before > latest_cutoff(today):
        raise PurgeRefused(
            f"audit events are kept for at least one year (DPDP Rules r.6): the latest "
            f"date to purge before is {latest_cutoff(today):%Y-%m-%d}"
        )
    cutoff = datetime.datetime.combine(before, datetime.time(), tzinfo=datetime.UTC)
    purged: dict[uuid.UUID, int] = {}
    for head in AuditHead.objects.select_for_update().order_by("node_id"):
        limit = head.seq
        if head.local and head.shipping:
            limit = min(limit, head.shipped_through)
        events = AuditEvent.objects.filter(
            node_id=head.node_id, seq__gt=head.pruned_through, seq__lte=limit
        ).order_by("seq")
        last: AuditEvent | None = None
        expected = head.pruned_through + 1
        for event in events.only("id", "seq", "at", "hash").iterator(chunk_size=2000):
            if event.seq != expected or event.at >= cutoff:
                break  # only a contiguous run from the oldest end, all older than the date
            last, expected = event, expected + 1
        if last is None:
            continue
        count, _ = AuditEvent.objects.filter(
            node_id=head.node_id, seq__gt=head.pruned_through, seq__lte=last.seq
        ).delete()
        purged[head.node_id] = count
        head.pruned_through, head.pruned_hash = last.seq, last.hash
        head.save(update_fields=["pruned_through", "pruned_hash"])
    return purged


@transaction.atomic
def note_shipped(*, node_id: uuid.UUID, through: int) -> None:
    """On a PC: the hub holds this PC's chain through `through` (sync client)."""
    AuditHead.objects.filter(node_id=node_id, local=True).update(
        shipping=True, shipped_through=through
    )
