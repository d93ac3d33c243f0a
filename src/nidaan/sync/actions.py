"""Writes of the sync layer, on the hub (enrolment, pushes) and on a node (pulls).

Each is one transaction: a push is stored, applied and acknowledged together, and a
pulled batch is applied together with the cursor that covers it, so a process killed
at any instant leaves either all of a batch or none of it.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import string
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nidaan.audit.models import AuditAction
from nidaan.audit.record import record
from nidaan.clinics.models import Facility
from nidaan.core import node
from nidaan.core.models import ChangeLogEntry, NodeState
from nidaan.sync.faults import crash_point
from nidaan.sync.merge import ApplyResult, apply_changes
from nidaan.sync.models import EnrolledNode, EnrolmentCode, SyncState

ENROLMENT_CODE_LIFETIME = datetime.timedelta(hours=24)
# Unambiguous letters and digits (no 0/O, 1/I/L) for a code read out over the phone.
_CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "0O1IL")
SERIES_LETTERS = string.ascii_uppercase


class EnrolmentRefused(ValueError):
    """The code or node cannot be enrolled; the message says why."""


class PushGap(Exception):
    """A push does not continue where the hub's copy of that node's log ends."""

    def __init__(self, high_water: int) -> None:
        super().__init__(f"expected changes from node_seq {high_water + 1}")
        self.high_water = high_water


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


@transaction.atomic
def create_enrolment_code(
    *, facility: Facility, acting_user: Any, lifetime: datetime.timedelta = ENROLMENT_CODE_LIFETIME
) -> str:
    """A one-time code for enrolling one node at `facility`; only its hash is stored."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    EnrolmentCode.objects.create(
        code_hash=_hash(raw),
        organisation_id=facility.organisation_id,
        facility=facility,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        expires_at=timezone.now() + lifetime,
    )
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=facility,
        detail={"enrolment_code_for": str(facility.pk)},
    )
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


@dataclass(frozen=True)
class Enrolment:
    node: EnrolledNode
    credential: str


@transaction.atomic
def enrol_node(*, code: str, node_id: uuid.UUID, uhid_prefix: str, name: str) -> Enrolment:
    """Exchange a one-time code for a node credential bound to one organisation."""
    found = (
        EnrolmentCode.objects.select_for_update()
        .filter(code_hash=_hash(normalise_code(code)))
        .first()
    )
    if found is None:
        raise EnrolmentRefused(
            "unknown enrolment code: check it, or ask the hub admin for a new one"
        )
    if found.used_at is not None:
        if found.used_by_node == node_id:
            raise EnrolmentRefused("this node is already enrolled with this code")
        raise EnrolmentRefused(
            f"this enrolment code was already used on {found.used_at:%d %b %Y %H:%M}; "
            "ask the hub admin for a new one"
        )
    if found.expires_at <= timezone.now():
        raise EnrolmentRefused(
            f"this enrolment code expired on {found.expires_at:%d %b %Y %H:%M}; "
            "ask the hub admin for a new one"
        )
    existing = EnrolledNode.objects.filter(node_id=node_id).first()
    if existing is not None and existing.revoked_at is not None:
        raise EnrolmentRefused("this node was revoked; set it up again from a new data directory")
    if existing is not None:
        raise EnrolmentRefused("this node is already enrolled")
    taken = EnrolledNode.objects.filter(organisation_id=found.organisation_id)
    if taken.filter(uhid_prefix=uhid_prefix).exists():
        raise EnrolmentRefused(
            f"another node of this clinic already uses UHID prefix {uhid_prefix}; "
            "enrol a fresh data directory"
        )
    used_series = set(
        EnrolledNode.objects.filter(facility_id=found.facility_id).values_list("series", flat=True)
    )
    series = next((s for s in SERIES_LETTERS if s not in used_series), None)
    if series is None:
        raise EnrolmentRefused("this facility already has 26 nodes")
    credential = secrets.token_urlsafe(32)
    enrolled = EnrolledNode.objects.create(
        node_id=node_id,
        organisation_id=found.organisation_id,
        facility_id=found.facility_id,
        name=name[:100],
        credential_hash=_hash(credential),
        uhid_prefix=uhid_prefix,
        series=series,
    )
    found.used_at = timezone.now()
    found.used_by_node = node_id
    found.save(update_fields=["used_at", "used_by_node"])
    return Enrolment(enrolled, credential)


def authenticate_node(credential: str) -> EnrolledNode | None:
    return (
        EnrolledNode.objects.select_related("organisation")
        .filter(credential_hash=_hash(credential))
        .first()
    )


@transaction.atomic
def revoke_node(*, enrolled: EnrolledNode, acting_user: Any) -> None:
    enrolled.revoked_at = timezone.now()
    enrolled.save(update_fields=["revoked_at"])
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=enrolled.facility,
        detail={"revoked_node": str(enrolled.node_id)},
    )


@dataclass(frozen=True)
class PushOutcome:
    acked_through: int
    result: ApplyResult


@transaction.atomic
def receive_push(
    *, enrolled: EnrolledNode, from_seq: int, changes: list[ChangeLogEntry]
) -> PushOutcome:
    """Store, check and apply a contiguous run of one node's log (idempotent)."""
    # Taking the organisation's feed lock first serialises pushes of one clinic, so the
    # high-water check below and the rows added after it cannot interleave.
    node.next_server_seqs(enrolled.organisation_id, 0)
    locked = EnrolledNode.objects.select_for_update().get(pk=enrolled.pk)
    high_water = locked.pushed_through
    if from_seq > high_water + 1:
        raise PushGap(high_water)
    expected = from_seq
    for change in changes:
        if change.node_id != locked.node_id:
            raise ValueError(
                f"change {change.node_id}:{change.node_seq} was not made by the pushing node"
            )
        if change.node_seq != expected:
            raise ValueError(
                f"changes must be contiguous from node_seq {from_seq}: "
                f"found {change.node_seq} where {expected} was expected"
            )
        expected += 1
    new = [c for c in changes if c.node_seq > high_water]
    result = apply_changes(new, scope_org=locked.organisation_id, assign_server_seq=True)
    crash_point("hub.push.applied")  # mid-transaction: nothing of this push may survive
    if new:
        locked.pushed_through = new[-1].node_seq
    locked.last_seen_at = timezone.now()
    locked.save(update_fields=["pushed_through", "last_seen_at"])
    return PushOutcome(locked.pushed_through, result)


@transaction.atomic
def note_pull(*, enrolled: EnrolledNode, after: int) -> None:
    EnrolledNode.objects.filter(pk=enrolled.pk).update(
        pulled_after=after, last_seen_at=timezone.now()
    )


@transaction.atomic
def release_quarantined(*, entry: ChangeLogEntry, acting_user: Any) -> ApplyResult:
    """Apply a held change as it is, after an admin has looked at it (newer schema
    installed, clock fixed). It joins the feed as a new change would."""
    held = ChangeLogEntry.objects.select_for_update().get(pk=entry.pk)
    if not held.quarantine_reason:
        raise ValueError("this change is not held back")
    # apply_changes skips changes it already holds, so the held copy is set aside first.
    retry = ChangeLogEntry(
        node_id=held.node_id,
        node_seq=held.node_seq,
        hlc=held.hlc,
        org_id=held.org_id,
        entity=held.entity,
        entity_id=held.entity_id,
        op=held.op,
        fields=held.fields,
        schema_version=held.schema_version,
        actor_id=held.actor_id,
    )
    ChangeLogEntry.objects.filter(pk=held.pk).delete()
    is_hub = settings.NIDAAN_ROLE == "hub"
    result = apply_changes(
        [retry],
        scope_org=held.org_id if is_hub else None,
        assign_server_seq=is_hub,
        wall_ms=2**62 if is_hub else None,  # the admin accepts the clock as it is
    )
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        detail={"released_change": f"{held.node_id}:{held.node_seq}"},
    )
    return result


# ---- on a node ------------------------------------------------------------------------


@transaction.atomic
def record_enrolment(
    *,
    hub_url: str,
    credential: str,
    organisation_id: uuid.UUID,
    facility_id: uuid.UUID,
    series: str,
    hub_time_ms: int,
) -> SyncState:
    state = node.identity()
    state = NodeState.objects.select_for_update().get(pk=state.pk)
    state.series = series
    state.save(update_fields=["series"])
    sync_state, _ = SyncState.objects.update_or_create(
        pk=SyncState.SINGLETON_ID,
        defaults={
            "hub_url": hub_url,
            "credential": credential,
            "organisation_id": organisation_id,
            "facility_id": facility_id,
        },
    )
    set_clock_offset(hub_time_ms)
    return sync_state


def set_clock_offset(hub_time_ms: int) -> None:
    """Remember how far this PC's clock is from the hub's (one network trip's error)."""
    from nidaan.core.hlc import wall_clock_ms

    NodeState.objects.filter(pk=NodeState.SINGLETON_ID).update(
        clock_offset_ms=hub_time_ms - wall_clock_ms()
    )


@transaction.atomic
def apply_pulled(*, changes: list[ChangeLogEntry], next_after: int) -> ApplyResult:
    """Apply a pulled batch and move the cursor past it, together."""
    state = SyncState.objects.select_for_update().get(pk=SyncState.SINGLETON_ID)
    own = node.identity().node_id
    result = apply_changes([c for c in changes if c.node_id != own])
    state.pulled_through = max(state.pulled_through, next_after)
    state.save(update_fields=["pulled_through"])
    return result


@transaction.atomic
def acknowledge_push(*, acked_through: int) -> None:
    state = SyncState.objects.select_for_update().get(pk=SyncState.SINGLETON_ID)
    if acked_through > state.pushed_through:
        state.pushed_through = acked_through
        state.save(update_fields=["pushed_through"])


def note_attempt(*, error: str = "", success: bool = False, batch_size: int | None = None) -> None:
    """Progress shown in the status strip (not clinical data: written without a lock)."""
    now = timezone.now()
    values: dict[str, Any] = {"last_attempt_at": now, "last_error": error[:500]}
    if success:
        values["last_success_at"] = now
    if batch_size is not None:
        values["batch_size"] = batch_size
    SyncState.objects.filter(pk=SyncState.SINGLETON_ID).update(**values)


NEWER_SCHEMA = "made by a newer Nidaan"


def retry_held(*, only_newer_schema: bool = False) -> tuple[int, int]:
    """Try the changes this replica holds back again (after an upgrade, a clock fix).

    Returns (applied, still held). Each is retried in its own transaction.
    """
    held = ChangeLogEntry.objects.exclude(quarantine_reason="").order_by("node_id", "node_seq")
    if only_newer_schema:
        held = held.filter(quarantine_reason__startswith=NEWER_SCHEMA)
    applied = still = 0
    for entry in list(held):
        result = release_quarantined(entry=entry, acting_user=None)
        if result.quarantined:
            still += 1
        else:
            applied += 1
    return applied, still
