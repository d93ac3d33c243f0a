"""Changes as they travel: one JSON object per change, checked field by field on arrival.

A batch from outside is untrusted; `parse_change` refuses anything malformed with a
message naming the change and the field, before a single row is touched.
"""

from __future__ import annotations

import uuid
from typing import Any

from nidaan.core.bulk import new_instance
from nidaan.core.ids import uuid_from_text
from nidaan.core.models import ChangeLogEntry, ChangeOp
from nidaan.core.request_text import contains_nul


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


_OPS = frozenset(ChangeOp.values)
_INT_LIMIT = 2**63  # what a 64-bit signed column (SQLite INTEGER, PostgreSQL bigint) holds


def _uuid(raw: Any, name: str, where: str) -> uuid.UUID:
    try:
        return uuid_from_text(raw) if isinstance(raw, str) else uuid.UUID(str(raw))
    except ValueError:
        raise BadChange(f"{where}: {name} is not a UUID: {raw!r}") from None


def _optional_uuid(raw: Any, name: str, where: str) -> uuid.UUID | None:
    return None if raw is None else _uuid(raw, name, where)


def parse_change(raw: Any, index: int) -> ChangeLogEntry:
    where = f"change {index}"
    if not isinstance(raw, dict):
        raise BadChange(f"{where}: expected an object")
    for name in _INT_FIELDS:
        value = raw.get(name)
        if value.__class__ is not int or not 0 <= value < _INT_LIMIT:  # bool is not int here
            raise BadChange(f"{where}: {name} must be a non-negative 64-bit integer")
    if raw["node_seq"] < 1:
        raise BadChange(f"{where}: node_seq starts at 1")
    op = raw.get("op")
    if not isinstance(op, str) or op not in _OPS:
        raise BadChange(f"{where}: op must be one of {', '.join(ChangeOp.values)}")
    entity = raw.get("entity")
    if not isinstance(entity, str) or not entity or len(entity) > 64:
        raise BadChange(f"{where}: entity must be a model name such as patients.patient")
    fields = raw.get("fields")
    if not isinstance(fields, dict):
        raise BadChange(f"{where}: fields must be an object of field values")
    for name, value in fields.items():
        # PostgreSQL can store NUL in neither text nor JSON, so such a change could not
        # even be quarantined on the hub; it is refused here, by name.
        kind = value.__class__
        if kind is str:
            if "\x00" not in value and "\x00" not in name:
                continue
        elif value is None or kind is int or kind is bool or kind is float:
            if "\x00" not in name:
                continue
        elif not contains_nul(name) and not contains_nul(value):
            continue
        raise BadChange(f"{where}: field {name[:64]!r} contains a NUL character")
    server_seq = raw.get("server_seq")
    if server_seq is not None and (
        server_seq.__class__ is not int or not 1 <= server_seq < _INT_LIMIT
    ):
        raise BadChange(f"{where}: server_seq must be a positive integer")
    return new_instance(
        ChangeLogEntry,
        {
            "id": None,
            "node_id": _uuid(raw.get("node_id"), "node_id", where),
            "node_seq": raw["node_seq"],
            "hlc": raw["hlc"],
            "org_id": _optional_uuid(raw.get("org_id"), "org_id", where),
            "entity": entity,
            "entity_id": _uuid(raw.get("entity_id"), "entity_id", where),
            "op": raw["op"],
            "fields": fields,
            "schema_version": raw["schema_version"],
            "actor_id": _optional_uuid(raw.get("actor_id"), "actor_id", where),
            "recorded_at": None,
            "server_seq": server_seq,
            "quarantine_reason": "",
        },
    )


def parse_changes(raw: Any) -> list[ChangeLogEntry]:
    if not isinstance(raw, list):
        raise BadChange("changes must be a list")
    return [parse_change(item, i) for i, item in enumerate(raw)]
