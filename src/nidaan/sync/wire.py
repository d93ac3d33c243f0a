"""Changes as they travel: one JSON object per change, checked field by field on arrival.

A batch from outside is untrusted; `parse_change` refuses anything malformed with a
message naming the change and the field, before a single row is touched.
"""

from __future__ import annotations

import uuid
from typing import Any

from nidaan.core.bulk import new_instance
from nidaan.core.ids import known_uuid, uuid_from_text
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
    """One change off the wire, every field checked; `BadChange` names what is wrong."""
    if raw.__class__ is not dict:
        return _parse_change_carefully(raw, index)
    get = raw.get
    node_seq, hlc, version, op, entity, fields, server_seq, node_id, org_id, entity_id, actor = (
        get("node_seq"),
        get("hlc"),
        get("schema_version"),
        get("op"),
        get("entity"),
        get("fields"),
        get("server_seq"),
        get("node_id"),
        get("org_id"),
        get("entity_id"),
        get("actor_id"),
    )
    # The shape every change from a Nidaan has, tested in one expression: a batch holds
    # a thousand changes. Anything else goes through the careful checks for its message.
    if not (
        node_seq.__class__ is int
        and 1 <= node_seq < _INT_LIMIT
        and hlc.__class__ is int
        and 0 <= hlc < _INT_LIMIT
        and version.__class__ is int
        and 0 <= version < _INT_LIMIT
        and op.__class__ is str
        and op in _OPS
        and entity.__class__ is str
        and 0 < len(entity) <= 64
        and fields.__class__ is dict
        and (server_seq is None or (server_seq.__class__ is int and 1 <= server_seq < _INT_LIMIT))
        and node_id.__class__ is str
        and entity_id.__class__ is str
        and (org_id is None or org_id.__class__ is str)
        and (actor is None or actor.__class__ is str)
        and not _has_nul(fields)
    ):
        return _parse_change_carefully(raw, index)
    node = known_uuid(node_id)
    org = None if org_id is None else known_uuid(org_id)
    by = None if actor is None else known_uuid(actor)
    if node is None or (org is None and org_id is not None) or (by is None and actor is not None):
        return _parse_change_carefully(raw, index)  # parses (and remembers) the ids
    try:
        row = uuid_from_text(entity_id)
    except ValueError:
        return _parse_change_carefully(raw, index)
    return _entry(raw, node, org, row, by)


def _has_nul(fields: dict[str, Any]) -> bool:
    """Whether a name or value (at any depth) holds NUL, which PostgreSQL can store in
    neither text nor JSON, so such a change could not even be quarantined on the hub."""
    for name, value in fields.items():
        kind = value.__class__
        if kind is str:
            if "\x00" not in value and "\x00" not in name:
                continue
        elif value is None or kind is int or kind is bool or kind is float:
            if "\x00" not in name:
                continue
        elif not contains_nul(name) and not contains_nul(value):
            continue
        return True
    return False


def _parse_change_carefully(raw: Any, index: int) -> ChangeLogEntry:
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
    if _has_nul(fields):
        for name, value in fields.items():
            if _has_nul({name: value}):
                raise BadChange(f"{where}: field {name[:64]!r} contains a NUL character")
    server_seq = raw.get("server_seq")
    if server_seq is not None and (
        server_seq.__class__ is not int or not 1 <= server_seq < _INT_LIMIT
    ):
        raise BadChange(f"{where}: server_seq must be a positive integer")
    return _entry(
        raw,
        _uuid(raw.get("node_id"), "node_id", where),
        _optional_uuid(raw.get("org_id"), "org_id", where),
        _uuid(raw.get("entity_id"), "entity_id", where),
        _optional_uuid(raw.get("actor_id"), "actor_id", where),
    )


def _entry(
    raw: dict[str, Any],
    node_id: uuid.UUID,
    org_id: uuid.UUID | None,
    entity_id: uuid.UUID,
    actor_id: uuid.UUID | None,
) -> ChangeLogEntry:
    """The entry of a checked change, its ids already parsed."""
    return new_instance(
        ChangeLogEntry,
        {
            "id": None,
            "node_id": node_id,
            "node_seq": raw["node_seq"],
            "hlc": raw["hlc"],
            "org_id": org_id,
            "entity": raw["entity"],
            "entity_id": entity_id,
            "op": raw["op"],
            "fields": raw["fields"],
            "schema_version": raw["schema_version"],
            "actor_id": actor_id,
            "recorded_at": None,
            "server_seq": raw.get("server_seq"),
            "quarantine_reason": "",
        },
    )


def parse_changes(raw: Any) -> list[ChangeLogEntry]:
    if not isinstance(raw, list):
        raise BadChange("changes must be a list")
    return [parse_change(item, i) for i, item in enumerate(raw)]
