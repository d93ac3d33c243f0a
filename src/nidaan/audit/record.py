"""Appending audit events. Called by actions (inside their transaction) and by read views.

Every event is a new link of this node's hash chain (chain.py): the next `seq` and the
previous hash are read under a lock on the chain's head row, so two requests writing at
once never take the same place, on SQLite (whose IMMEDIATE transaction already holds the
write lock) or PostgreSQL (the row lock).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from nidaan.audit import chain
from nidaan.audit.models import AuditAction, AuditEvent, AuditHead
from nidaan.core import node


@dataclass(frozen=True)
class Origin:
    """Where a request came from: the audit trail's "from where"."""

    channel: str = "web"  # web, api, cli
    address: str | None = None

    @classmethod
    def of(cls, request: Any, channel: str = "web") -> Origin:
        address = request.META.get("REMOTE_ADDR") if request is not None else None
        return cls(channel=channel, address=str(address) if address else None)


CLI = Origin(channel="cli")


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(local=True).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditHead.objects.create(node_id=node.identity().node_id, seq=0, hash="", local=True)
    except IntegrityError:
        pass  # another request made it first
    return AuditHead.objects.select_for_update().get(local=True)


def _address(address: str | None) -> str | None:
    # Stored as the database will give it back (IPv6 normalised), for the hash.
    prepared = AuditEvent._meta.get_field("address").get_prep_value(address)
    return str(prepared) if prepared else None


def record(
    action: AuditAction,
    *,
    actor: Any,
    target: Model | None = None,
    patient_id: Any = None,
    origin: Origin = CLI,
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    # Joins the caller's transaction when there is one (no savepoint: an action's audit
    # row stands or falls with the action).
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        event = AuditEvent(
            node_id=head.node_id,
            seq=head.seq + 1,
            prev_hash=head.hash,
            at=timezone.now(),
            actor_id=actor.pk if is_user else None,
            actor_username=actor.get_username() if is_user else username,
            org_id=getattr(actor, "organisation_id", None) if is_user else None,
            action=str(action),
            entity=target._meta.label_lower if target is not None else "",
            entity_id=target.pk if target is not None else None,
            patient_id=patient_id,
            address=_address(origin.address),
            channel=origin.channel,
            # Stored as it will read back, so the hash is computed over what is kept.
            detail=json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder)),
        )
        event.hash = chain.event_hash(chain.values_of(event))
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event
