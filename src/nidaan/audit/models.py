"""Who did what to which record: every chart read and every write, hash-chained.

The fields of `AuditEvent` are a stable contract (the hub receives them as they are, see
docs/security.md "Audit log"): never rename or reinterpret one; add new ones at the end
and include them in `chain.CHAINED_FIELDS` only with a new `chain.VERSION`.

Each node keeps one chain: its events are numbered by `seq` (1, 2, 3, … with no gap)
and each carries the SHA-256 of the previous one (`prev_hash`) and of itself (`hash`),
so editing or deleting a row breaks the chain where it happened (`nidaan audit verify`).
`AuditHead` remembers the last link, so cutting events off the end is found too.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    TOKEN_CREATE = "token_create", _("Made an API token")  # noqa: S105 - an event name
    PRINT = "print", _("Printed")
    EXPORT = "export", _("Exported")
    DENIED = "denied", _("Refused access")
    EMERGENCY = "emergency", _("Emergency access")
    SESSION_END = "session_end", _("Ended sessions")


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    actor_id = models.UUIDField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    org_id = models.UUIDField(null=True, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    entity = models.CharField(max_length=64, blank=True)
    entity_id = models.UUIDField(null=True, blank=True)
    patient_id = models.UUIDField(null=True, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=10, blank=True)  # web, api, cli
    detail = models.JSONField(default=dict, blank=True)
    # The chain: the node that wrote the event, its place in that node's chain, the
    # previous event's hash ("" for the first) and this event's hash (chain.py).
    node_id = models.UUIDField()
    seq = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["patient_id", "at"], name="audit_patient_idx")]
        constraints = [
            models.UniqueConstraint(fields=["node_id", "seq"], name="audit_node_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.at} {self.actor_username} {self.action} {self.entity} {self.entity_id}"


class AuditHead(models.Model):
    """The last link of one node's chain, moved in the same transaction as the event.

    `local` marks this node's own chain (the one `record()` appends to), so appending
    needs one locked read instead of looking the node's id up first.
    """

    node_id = models.UUIDField(primary_key=True)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    local = models.BooleanField(default=False)
    # Events 1..pruned_through were purged after their year (audit/purge.py); the chain
    # continues from the last purged event's hash.
    pruned_through = models.PositiveBigIntegerField(default=0)
    pruned_hash = models.CharField(max_length=64, blank=True)
    # On a PC that ships its chain: the hub holds it through this seq (nothing beyond it
    # may be purged: the hub copy is what makes the chain tamper-evident).
    shipping = models.BooleanField(default=False)
    shipped_through = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local"], condition=models.Q(local=True), name="audit_one_local_head"
            )
        ]

    def __str__(self) -> str:
        return f"{self.node_id} at {self.seq}"


class NodeChain(models.Model):
    """On the hub: a clinic PC's audit chain received here (its events are `AuditEvent`
    rows with that PC's `node_id`, stored as sent, not re-chained; `AuditHead` holds the
    last link received). Says whose chain it is, so the hub's pages scope events by
    organisation, and keeps the last refusal so the hub's admin sees a rewritten log."""

    node_id = models.UUIDField(primary_key=True)
    organisation_id = models.UUIDField(db_index=True)
    # How the hub's pages name the PC (its enrolment name, else its token series).
    name = models.CharField(max_length=100, blank=True)
    last_received_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    refused_reason = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"audit chain of {self.node_id} ({self.name})"
