"""Writing synced rows: the row and its change entry in one transaction.

Actions call `insert` and `update` instead of `Model.save()`. Each call appends exactly
one change-log entry naming the fields it wrote and their new values, stamped with the
node's next sequence number and clock tick.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from nidaan.core import node
from nidaan.core.hlc import CREATED, set_field_stamp, stamp_key
from nidaan.core.models import ChangeLogEntry, ChangeOp
from nidaan.core.synced import MergePolicy, SyncedModel

_S = TypeVar("_S", bound=SyncedModel)


class ChangeEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds: a replica must store the
    very value the origin stored, or their rows would differ."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class NothingChanged(ValueError):
    pass


class AppendOnly(RuntimeError):
    """A clinical fact was about to be changed in place."""


def _payload(instance: SyncedModel, fields: Iterable[str]) -> dict[str, Any]:
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        values[field.attname] = field.value_from_object(instance)  # type: ignore[union-attr]
    # Round-trip through JSON so dates, UUIDs and decimals are stored as text that
    # every replica (SQLite or PostgreSQL) reads back the same way.
    result: dict[str, Any] = json.loads(json.dumps(values, cls=ChangeEncoder))
    return result


def _actor_id(acting_user: Any) -> uuid.UUID | None:
    return getattr(acting_user, "pk", None) if acting_user is not None else None


def _append(
    instance: SyncedModel, op: ChangeOp, fields: list[str], acting_user: Any
) -> ChangeLogEntry:
    (stamp,) = node.next_change_stamps(1)
    key = stamp_key(stamp.hlc, stamp.node_id)
    if op == ChangeOp.INSERT:
        instance.field_clock = {CREATED: key}
    else:
        for name in fields:
            set_field_stamp(instance.field_clock, name, key)
    org = instance.org_scope
    entry = ChangeLogEntry(
        node_id=stamp.node_id,
        node_seq=stamp.node_seq,
        hlc=stamp.hlc,
        org_id=org,
        entity=instance.entity_name(),
        entity_id=instance.pk,
        op=op,
        fields={},
        schema_version=instance.schema_version,
        actor_id=_actor_id(acting_user),
    )
    if settings.NIDAAN_ROLE == "hub" and org is not None:
        # The hub's own writes (an admin editing the clinic there) join the feed too.
        entry.server_seq = node.next_server_seqs(org, 1)
    return entry


@transaction.atomic
def insert(instance: _S, *, acting_user: Any) -> _S:
    """Save a new synced row and log every synced field of it."""
    fields = instance.synced_field_names()
    entry = _append(instance, ChangeOp.INSERT, fields, acting_user)
    instance.save(force_insert=True)
    # Taken after save() so values Django fills in (auto_now_add times) are the ones
    # every replica receives, not its own arrival time.
    entry.fields = _payload(instance, fields)
    entry.save()
    return instance


@transaction.atomic
def update(instance: _S, fields: Iterable[str], *, acting_user: Any) -> _S:
    """Save the named fields of an existing synced row; log the synced ones.

    Local fields (derived data such as search keys) may be saved alongside, but a write
    must change at least one synced field: otherwise it is no change to replicate.
    """
    names = list(dict.fromkeys(fields))
    if instance.merge_policy == MergePolicy.APPEND_ONLY:
        raise AppendOnly(f"{type(instance).__name__} rows are never changed: add a new version")
    synced = set(instance.synced_field_names())
    unknown = set(names) - synced - instance.local_fields
    if unknown:
        raise ValueError(f"not fields of {type(instance).__name__}: {sorted(unknown)}")
    logged = [name for name in names if name in synced]
    if not logged:
        raise NothingChanged(
            f"{type(instance).__name__}: {names} are not synced fields; nothing to log"
        )
    entry = _append(instance, ChangeOp.UPDATE, logged, acting_user)
    instance.save(update_fields=[*names, "field_clock"])
    entry.fields = _payload(instance, logged)
    entry.save()
    return instance


def changed_fields(instance: SyncedModel, new_values: dict[str, Any]) -> list[str]:
    """Assign `new_values` onto `instance`; return the names whose value really changed."""
    changed = []
    for name, value in new_values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed
