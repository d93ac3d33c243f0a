"""Appending audit events. Called by actions (inside their transaction) and by read views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from nidaan.audit.models import AuditAction, AuditEvent


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
    return AuditEvent.objects.create(
        actor_id=actor.pk if is_user else None,
        actor_username=actor.get_username() if is_user else username,
        org_id=getattr(actor, "organisation_id", None) if is_user else None,
        action=action,
        entity=target._meta.label_lower if target is not None else "",
        entity_id=target.pk if target is not None else None,
        patient_id=patient_id,
        address=origin.address,
        channel=origin.channel,
        detail=detail or {},
    )
