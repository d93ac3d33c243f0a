"""What the status strip and the sync pages show (read-only queries)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from nidaan.core import node
from nidaan.core.models import ChangeLogEntry, OrgSequence
from nidaan.sync.models import EnrolledNode, SyncState

# The worker syncs every few seconds; a node silent for longer than this is offline.
ONLINE_WITHIN = datetime.timedelta(minutes=2)


@dataclass(frozen=True)
class NodeSyncStatus:
    state: SyncState
    pending: int
    online: bool


def node_status() -> NodeSyncStatus | None:
    """Two queries: shown on every page of an enrolled node."""
    state = SyncState.objects.filter(pk=SyncState.SINGLETON_ID).first()
    if state is None:
        return None
    identity = node.identity()
    online = bool(
        state.last_success_at
        and not state.last_error
        and timezone.now() - state.last_success_at < ONLINE_WITHIN
    )
    return NodeSyncStatus(
        state=state,
        pending=max(0, identity.last_seq - state.pushed_through),
        online=online,
    )


@dataclass(frozen=True)
class EnrolledNodeRow:
    node: EnrolledNode
    behind: int


def enrolled_nodes(org_id: uuid.UUID) -> list[EnrolledNodeRow]:
    head = (
        OrgSequence.objects.filter(org_id=org_id).values_list("last_server_seq", flat=True).first()
        or 0
    )
    return [
        EnrolledNodeRow(enrolled, max(0, head - enrolled.pulled_after))
        for enrolled in EnrolledNode.objects.filter(organisation_id=org_id)
        .select_related("facility")
        .order_by("facility__name", "series")
    ]


def held_back(org_id: uuid.UUID | None) -> QuerySet[ChangeLogEntry]:
    rows = ChangeLogEntry.objects.exclude(quarantine_reason="")
    if org_id is not None:
        rows = rows.filter(org_id=org_id)
    return rows.order_by("-id")
