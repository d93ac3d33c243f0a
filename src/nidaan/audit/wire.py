"""Audit events as they travel from a node to the hub: every chained field and the hash,
as JSON. An event from outside is untrusted: `parse_event` refuses anything malformed
with a message naming the event and the field, and the hub recomputes every hash."""

from __future__ import annotations

import datetime
import ipaddress
import uuid
from typing import Any

from nidaan.audit import chain
from nidaan.audit.models import AuditEvent
from nidaan.core.request_text import contains_nul

AT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_TEXT_LIMITS = {"actor_username": 150, "action": 20, "entity": 64, "channel": 10}
_ID_FIELDS = ("actor_id", "org_id", "entity_id", "patient_id")


class BadEvent(ValueError):
    """An event that cannot be read; the whole batch is refused."""


def event_to_wire(event: AuditEvent) -> dict[str, Any]:
    values = chain.values_of(event)
    wire = {name: chain._text(value) for name, value in values.items()}
    wire["hash"] = event.hash
    return wire


def _uuid(raw: Any, name: str, where: str, *, optional: bool = True) -> uuid.UUID | None:
    if raw is None and optional:
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise BadEvent(f"{where}: {name} is not a UUID: {str(raw)[:60]!r}") from None


def parse_event(raw: Any, index: int) -> AuditEvent:
    """One wire event → an unsaved AuditEvent, its fields checked (not yet its hash)."""
    where = f"event {index}"
    if not isinstance(raw, dict):
        raise BadEvent(f"{where}: expected an object")
    if contains_nul(raw):
        raise BadEvent(f"{where}: text contains a NUL character")
    missing = [name for name in (*chain.CHAINED_FIELDS, "hash") if name not in raw]
    if missing:
        raise BadEvent(f"{where}: missing {', '.join(missing)}")
    seq = raw["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise BadEvent(f"{where}: seq must be a positive integer")
    where = f"event {seq}"
    try:
        at = datetime.datetime.strptime(str(raw["at"]), AT_FORMAT).replace(tzinfo=datetime.UTC)
    except ValueError:
        raise BadEvent(f"{where}: at must look like 2026-11-27T09:30:00.000000Z") from None
    texts: dict[str, str] = {}
    for name, limit in _TEXT_LIMITS.items():
        value = raw[name]
        if not isinstance(value, str) or len(value) > limit:
            raise BadEvent(f"{where}: {name} must be text of at most {limit} characters")
        texts[name] = value
    for name in ("prev_hash", "hash"):
        value = raw[name]
        if not isinstance(value, str) or len(value) > 64:
            raise BadEvent(f"{where}: {name} must be a hex SHA-256")
    address = raw["address"]
    if address is not None:
        try:
            ipaddress.ip_address(str(address))
        except ValueError:
            raise BadEvent(f"{where}: address is not an IP address") from None
        # As the node stored it (the same normalisation), so the hash can match.
        address = str(AuditEvent._meta.get_field("address").get_prep_value(str(address)))
    if not isinstance(raw["detail"], dict):
        raise BadEvent(f"{where}: detail must be an object")
    ids = {name: _uuid(raw[name], name, where) for name in _ID_FIELDS}
    node_id = _uuid(raw["node_id"], "node_id", where, optional=False)
    assert node_id is not None  # noqa: S101 - optional=False never gives None
    event = AuditEvent(
        node_id=node_id,
        seq=seq,
        prev_hash=raw["prev_hash"],
        hash=raw["hash"],
        at=at,
        address=address,
        detail=raw["detail"],
        **texts,
        **ids,
    )
    return event


def parse_events(raw: Any) -> list[AuditEvent]:
    if not isinstance(raw, list):
        raise BadEvent("events must be a list")
    return [parse_event(item, index) for index, item in enumerate(raw)]
