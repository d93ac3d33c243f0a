"""Changes as they travel: one JSON object per change, checked field by field on arrival.

A batch from outside is untrusted; `parse_change` refuses anything malformed with a
message naming the change and the field, before a single row is touched.
"""

from __future__ import annotations

import uuid
from typing import Any

from nidaan.core.models import ChangeLogEntry, ChangeOp


class BadChange(ValueError):
    """A change that cannot even be read; the whole batch is refused."""


_INT_FIELDS = ("node_seq", "hlc", "schema_version")


def change_to_wire(entry: ChangeLogEntry) -> dict[str, Any]:
    return {
        "node_id": str(entry.node_id),
        "node_seq": entry.node_seq,
        "hlc": entry.hlc,
        "org_id": str(entry.org_id) if entry.org_id else None,
        "entity": entry.entity,
        "entity_id": str(entry.entity_id),
        "op": entry.op,
        "fields": entry.fields,
        "schema_version": entry.schema_version,
        "actor_id": str(entry.actor_id) if entry.actor_id else None,
        "server_seq": entry.server_seq,
    }


def _optional_uuid(raw: Any, name: str, where: str) -> uuid.UUID | None:
    return None if raw is None else _uuid(raw, name, where)


def _uuid(raw: Any, name: str, where: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise BadChange(f"{where}: {name} is not a UUID: {raw!r}") from None


def _nul_in(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_nul_in(k) or _nul_in(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_nul_in(item) for item in value)
    return False


def parse_change(raw: Any, index: int) -> ChangeLogEntry:
    where = f"change {index}"
    if not isinstance(raw, dict):
        raise BadChange(f"{where}: expected an object")
    for name in _INT_FIELDS:
        value = raw.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise BadChange(f"{where}: {name} must be a non-negative integer")
    if raw["node_seq"] < 1:
        raise BadChange(f"{where}: node_seq starts at 1")
    if raw.get("op") not in ChangeOp.values:
        raise BadChange(f"{where}: op must be one of {', '.join(ChangeOp.values)}")
    entity = raw.get("entity")
    if not isinstance(entity, str) or not entity or len(entity) > 64:
        raise BadChange(f"{where}: entity must be a model name such as patients.patient")
    fields = raw.get("fields")
    if not isinstance(fields, dict) or not all(isinstance(k, str) for k in fields):
        raise BadChange(f"{where}: fields must be an object of field values")
    for name, value in fields.items():
        # PostgreSQL can store NUL in neither text nor JSON, so such a change could not
        # even be quarantined on the hub; it is refused here, by name.
        if _nul_in(name) or _nul_in(value):
            raise BadChange(f"{where}: field {name[:64]!r} contains a NUL character")
    server_seq = raw.get("server_seq")
    if server_seq is not None and (not isinstance(server_seq, int) or server_seq < 1):
        raise BadChange(f"{where}: server_seq must be a positive integer")
    node_id = _uuid(raw.get("node_id"), "node_id", where)
    entity_id = _uuid(raw.get("entity_id"), "entity_id", where)
    entry = ChangeLogEntry(
        node_id=node_id,
        node_seq=raw["node_seq"],
        hlc=raw["hlc"],
        org_id=_optional_uuid(raw.get("org_id"), "org_id", where),
        entity=entity,
        entity_id=entity_id,
        op=raw["op"],
        fields=fields,
        schema_version=raw["schema_version"],
        actor_id=_optional_uuid(raw.get("actor_id"), "actor_id", where),
        server_seq=server_seq,
    )
    return entry


def parse_changes(raw: Any) -> list[ChangeLogEntry]:
    if not isinstance(raw, list):
        raise BadChange("changes must be a list")
    return [parse_change(item, i) for i, item in enumerate(raw)]
