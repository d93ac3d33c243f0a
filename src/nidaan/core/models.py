"""Core tables: this node's identity and clock, and the change log."""

from __future__ import annotations

from django.db import models


class NodeState(models.Model):
    """The one row that says who this node is and where its counters stand.

    Every action locks and advances it inside its own transaction, so the change
    sequence is gapless (a rolled-back action gives its number back) and the clock's
    last value survives a restart.
    """

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    node_id = models.UUIDField(unique=True)
    uhid_prefix = models.CharField(max_length=4, unique=True)
    last_seq = models.BigIntegerField(default=0)
    last_hlc = models.BigIntegerField(default=0)
    last_uhid_seq = models.BigIntegerField(default=0)
    # Hub time minus this PC's clock, learnt at every sync: a clinic PC whose clock is
    # years off still stamps changes near the hub's time (see core.node).
    clock_offset_ms = models.BigIntegerField(default=0)
    # This node's letter within its facility (given at enrolment): token numbers of two
    # offline reception PCs stay distinct (A7 and B7). Empty on a single-machine clinic.
    series = models.CharField(max_length=2, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"node {self.node_id} ({self.uhid_prefix})"


class ChangeOp(models.TextChoices):
    INSERT = "insert"
    UPDATE = "update"


class ChangeLogEntry(models.Model):
    """One write to one synced row, in the order this node made it.

    `(node_id, node_seq)` names the change everywhere; the sync layer pushes contiguous
    runs of it. `fields` holds the new values of the fields the write changed, enough
    for any replica to replay the write.
    """

    node_id = models.UUIDField()
    node_seq = models.BigIntegerField()
    hlc = models.BigIntegerField()
    org_id = models.UUIDField(null=True, blank=True)
    entity = models.CharField(max_length=64)
    entity_id = models.UUIDField()
    op = models.CharField(max_length=8, choices=ChangeOp.choices)
    fields = models.JSONField()
    schema_version = models.PositiveIntegerField()
    actor_id = models.UUIDField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # On the hub: this change's place in its organisation's commit-ordered feed, which
    # nodes pull from. On a node: the hub's number for a change pulled from it.
    server_seq = models.BigIntegerField(null=True, blank=True)
    # Why this replica could not apply the change. It is kept (never dropped), shown to
    # admins, and left out of the feed until released.
    quarantine_reason = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node_id", "node_seq"], name="change_node_seq_uniq"),
            models.UniqueConstraint(fields=["org_id", "server_seq"], name="change_server_seq_uniq"),
        ]
        indexes = [
            # entity_id alone: ids are UUIDv7s, unique across every entity, so the entity's
            # name (20-odd bytes in every entry) adds nothing to a lookup.
            models.Index(fields=["entity_id"], name="change_entity_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.node_id}:{self.node_seq} {self.op} {self.entity} {self.entity_id}"


class OrgSequence(models.Model):
    """The hub's last `server_seq` per organisation.

    Taken under a row lock by every transaction that adds to the organisation's feed and
    held until commit, so numbers become visible in commit order: a puller at cursor N
    can never later find a change numbered below N (a plain database sequence allows it).
    """

    org_id = models.UUIDField(primary_key=True)
    last_server_seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.org_id} @ {self.last_server_seq}"
