"""Append-only clinical records: a correction is a new version, the original stays.

Every version is its own row and is never changed. Versions of one record share a
`lineage` (the id of the first version); each later version names the one it
`supersedes`. The current version is the one no other version supersedes. Two versions
made concurrently from the same parent (two doctors, or two offline PCs) are both kept
and both current: nothing is silently overwritten, and the UI shows them side by side.
Removing a record is a version with status `entered-in-error`.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from nidaan.core import changelog, node
from nidaan.core.synced import MergePolicy, SyncedModel, SyncedQuerySet

_V = TypeVar("_V", bound="VersionedRecord")


class RecordStatus(models.TextChoices):
    FINAL = "final", _("Final")
    ENTERED_IN_ERROR = "entered-in-error", _("Entered in error")


class VersionConflict(Exception):
    """Someone else saved a newer version since this one was read."""

    def __init__(self, current: VersionedRecord) -> None:
        super().__init__(f"{type(current).__name__} {current.lineage} has a newer version")
        self.current = current


class ReasonRequired(ValueError):
    """Amending a finished record needs a reason."""


class AlreadyEnteredInError(ValueError):
    """A record marked entered-in-error is not amended or marked again."""


class VersionedQuerySet(SyncedQuerySet[_V]):
    def current(self) -> VersionedQuerySet[_V]:
        """Versions that no other version supersedes (entered-in-error ones included)."""
        newer = self.model._default_manager.filter(supersedes=OuterRef("pk"))
        return self.filter(~Exists(newer))

    def in_use(self) -> VersionedQuerySet[_V]:
        """Current versions that are not entered in error: what a clinician should see."""
        return self.current().exclude(status=RecordStatus.ENTERED_IN_ERROR)


class VersionedRecord(SyncedModel):
    merge_policy = MergePolicy.APPEND_ONLY
    # Fields copied into a new version unless changed (subclasses list their content).
    content_fields: ClassVar[tuple[str, ...]] = ()

    lineage = models.UUIDField(db_index=True, editable=False)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    status = models.CharField(
        max_length=20, choices=RecordStatus.choices, default=RecordStatus.FINAL
    )
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    # Not indexed: nothing looks records up by who wrote them, users are never deleted
    # (synced rows), and the index cost a write per record on every replica.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = VersionedQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        abstract = True

    @property
    def is_entered_in_error(self) -> bool:
        return self.status == RecordStatus.ENTERED_IN_ERROR

    def versions(self) -> list[Any]:
        """Every version of this record, oldest first."""
        return list(
            type(self)._default_manager.filter(lineage=self.lineage).order_by("recorded_at", "id")
        )


def is_current(record: VersionedRecord) -> bool:
    return not type(record)._default_manager.filter(supersedes=record).exists()


@transaction.atomic
def record_first(record: _V, *, acting_user: Any) -> _V:
    """Store the first version of a new record."""
    record.lineage = record.id
    record.recorded_by = acting_user
    return changelog.insert(record, acting_user=acting_user)


@transaction.atomic
def record_next(
    previous: _V,
    changes: dict[str, Any],
    *,
    acting_user: Any,
    reason: str = "",
    status: str = RecordStatus.FINAL,
    require_reason: bool = True,
) -> _V:
    """Store a new version of `previous` with `changes`; `previous` stays as it was.

    Refuses when `previous` is no longer current (someone saved in between): the caller
    shows the newer version instead of overwriting it.
    """
    model = type(previous)
    # Checked under this node's write lock, so two saves of one version at the same time
    # cannot both pass the check (on PostgreSQL; SQLite's write lock already serialises).
    node.serialise_writes()
    if model._default_manager.filter(supersedes=previous).exists():
        newest = (
            model._default_manager.filter(lineage=previous.lineage)
            .current()
            .order_by("-recorded_at")
            .first()
        )
        raise VersionConflict(newest or previous)
    if previous.is_entered_in_error:
        raise AlreadyEnteredInError("this record was entered in error")
    if require_reason and not reason.strip():
        raise ReasonRequired("a changed record needs a reason")
    values = {name: getattr(previous, name) for name in previous.content_fields}
    values.update(changes)
    foreign = {
        f.name: getattr(previous, f.attname)
        for f in model._meta.concrete_fields
        if f.is_relation and f.name not in ("supersedes", "recorded_by") and f.name not in values
    }
    version = model(
        lineage=previous.lineage,
        supersedes=previous,
        status=status,
        reason=reason.strip(),
        recorded_by=acting_user,
        **{f"{name}_id": value for name, value in foreign.items()},
        **values,
    )
    return changelog.insert(version, acting_user=acting_user)


def mark_entered_in_error(previous: _V, *, acting_user: Any, reason: str) -> _V:
    return record_next(
        previous, {}, acting_user=acting_user, reason=reason, status=RecordStatus.ENTERED_IN_ERROR
    )
