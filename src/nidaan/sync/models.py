"""Sync bookkeeping: the node's link to its hub, and the hub's enrolled nodes.

These rows are local to the replica that holds them and never replicate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from nidaan.clinics.models import Facility, Organisation


class SyncState(models.Model):
    """On a node: which hub it syncs with, as whom, and how far it has got."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    hub_url = models.URLField(max_length=300)
    # The node credential the hub gave at enrolment (the hub keeps only its hash).
    credential = models.CharField(max_length=100)
    organisation_id = models.UUIDField()
    facility_id = models.UUIDField()
    # Own changes the hub has acknowledged, through this node_seq.
    pushed_through = models.BigIntegerField(default=0)
    # The hub's feed position applied here; saved in the transaction that applies it.
    pulled_through = models.BigIntegerField(default=0)
    batch_size = models.PositiveIntegerField(default=200)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"synced with {self.hub_url}"


class EnrolmentCode(models.Model):
    """On the hub: a one-time code an admin hands to the person setting up a node."""

    code_hash = models.CharField(max_length=64, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by_node = models.UUIDField(null=True, blank=True)

    def __str__(self) -> str:
        return f"enrolment code for {self.facility_id} (expires {self.expires_at:%Y-%m-%d %H:%M})"


class EnrolledNode(models.Model):
    """On the hub: a clinic PC allowed to sync one organisation, and where it stands."""

    node_id = models.UUIDField(unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100, blank=True)
    credential_hash = models.CharField(max_length=64, unique=True)
    uhid_prefix = models.CharField(max_length=4)
    series = models.CharField(max_length=2)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The node's own changes held here, through this node_seq (no gaps below it).
    pushed_through = models.BigIntegerField(default=0)
    # The feed position the node last asked from (how far behind it is).
    pulled_after = models.BigIntegerField(default=0)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "uhid_prefix"], name="enrolled_uhid_prefix_uniq"
            ),
            models.UniqueConstraint(fields=["facility", "series"], name="enrolled_series_uniq"),
        ]

    def __str__(self) -> str:
        return f"node {self.node_id} ({self.name or self.series})"
