"""Checking every node's audit chain held in this database (`nidaan audit verify`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from nidaan.audit import chain
from nidaan.audit.models import AuditEvent, AuditHead


@dataclass
class Report:
    events: int = 0
    nodes: int = 0
    breaks: list[chain.Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks


def verify_all() -> Report:
    report = Report()
    all_heads = list(AuditHead.objects.all())
    heads = {head.node_id: (head.seq, head.hash) for head in all_heads}
    starts = {head.node_id: (head.pruned_through, head.pruned_hash) for head in all_heads}
    node_ids: set[uuid.UUID] = set(
        AuditEvent.objects.values_list("node_id", flat=True).distinct()
    ) | set(heads)
    for node_id in sorted(node_ids, key=str):
        report.nodes += 1
        events = AuditEvent.objects.filter(node_id=node_id).order_by("seq")
        counted = _Counting(events.iterator(chunk_size=2000))
        start = starts.get(node_id, (0, ""))
        report.breaks.extend(chain.check(node_id, counted, heads.get(node_id), start))
        report.events += counted.count
    return report


class _Counting:
    def __init__(self, events: Iterator[AuditEvent]) -> None:
        self._events = events
        self.count = 0

    def __iter__(self) -> _Counting:
        return self

    def __next__(self) -> AuditEvent:
        event = next(self._events)
        self.count += 1
        return event
