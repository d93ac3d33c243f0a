"""The base of every synced model, and the registry that sync reaches models through.

A synced row has a UUIDv7 key, belongs to one organisation, is written only through an
action (which appends to the change log in the same transaction), and declares how
concurrent writes from different nodes merge. Queryset `update()` and `delete()` would
change rows without a change entry, so they are refused.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from django.apps import apps
from django.db import models

from nidaan.core.ids import uuid7


class MergePolicy(enum.StrEnum):
    # Clinical facts: a row is written once; a correction is a new row that supersedes it.
    APPEND_ONLY = "append-only"
    # Demographics and settings: each field is won by its latest writer, by (hlc, node).
    LAST_WRITER_WINS = "lww"


class UnloggedWriteRefused(RuntimeError):
    """A bulk write would bypass the change log."""


_M = TypeVar("_M", bound=models.Model)


class SyncedQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs: Any) -> int:
        raise UnloggedWriteRefused(
            f"{self.model.__name__}: bulk update() bypasses the change log; use an action"
        )

    def delete(self) -> tuple[int, dict[str, int]]:
        raise UnloggedWriteRefused(
            f"{self.model.__name__}: rows are never deleted; record a tombstone through an action"
        )

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise UnloggedWriteRefused(
            f"{self.model.__name__}: bulk_update() bypasses the change log; use an action"
        )


class SyncedModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    # Stamp of each field's last write, compact ({"*": creation, field: later write}; see
    # core/hlc.py `field_stamp`); last-writer-wins merges compare them.
    field_clock = models.JSONField(default=dict, editable=False)

    merge_policy: ClassVar[MergePolicy]
    # Bumped when the shape of this model's change entries changes.
    schema_version: ClassVar[int] = 1
    # Fields that never leave this node (e.g. last_login).
    local_fields: ClassVar[frozenset[str]] = frozenset()
    # The field naming the organisation a row belongs to (sync scopes by it).
    org_field: ClassVar[str] = "organisation"

    objects = SyncedQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise UnloggedWriteRefused(
            f"{type(self).__name__}: rows are never deleted; record a tombstone through an action"
        )

    @property
    def org_scope(self) -> Any:
        """The organisation this row belongs to (sync scopes every change by it)."""
        return getattr(self, "organisation_id", None)

    @classmethod
    def org_filter(cls, org_id: Any) -> models.Q:
        """Rows of one organisation, for the hub's scoped queries and snapshots."""
        return models.Q(**{f"{cls.org_field}_id" if cls.org_field != "id" else "id": org_id})

    def derive_local_fields(self) -> list[str]:
        """Recompute local fields from synced ones on a replicated row; returns their names."""
        return []

    @classmethod
    def after_replicated(cls, rows: list[Any]) -> None:
        """Called after sync wrote `rows` of this model: refresh derived local data."""

    @classmethod
    def entity_name(cls) -> str:
        return cls._meta.label_lower

    @classmethod
    def synced_field_names(cls) -> list[str]:
        excluded = {"id", "field_clock"} | cls.local_fields
        return [f.name for f in cls._meta.concrete_fields if f.name not in excluded]


_registry: dict[str, type[SyncedModel]] = {}


def build_registry() -> None:
    _registry.clear()
    for model in apps.get_models():
        if issubclass(model, SyncedModel):
            _registry[model.entity_name()] = model


def registry() -> dict[str, type[SyncedModel]]:
    """Synced models by entity name (`patients.patient`), for layers above the domains."""
    return dict(_registry)


# Called by sync, inside its transaction, with every change it has just stored (applied or
# held back): a domain may need to act on changes whose values lost the merge, which
# `after_replicated` never sees (privacy: an erased patient's older values must not stay
# in the stored change log).
_stored_hooks: list[Callable[[list[Any]], None]] = []


def on_changes_stored(hook: Callable[[list[Any]], None]) -> None:
    if hook not in _stored_hooks:
        _stored_hooks.append(hook)


def changes_stored(entries: list[Any]) -> None:
    for hook in _stored_hooks:
        hook(entries)
