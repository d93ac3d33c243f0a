"""Who did what to which record: every chart read and every write."""

from __future__ import annotations

from django.db import models


class AuditAction(models.TextChoices):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    VIEW = "view"
    CREATE = "create"
    UPDATE = "update"
    TOKEN_CREATE = "token_create"  # noqa: S105 - an event name, not a secret


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
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

    class Meta:
        indexes = [models.Index(fields=["patient_id", "at"], name="audit_patient_idx")]

    def __str__(self) -> str:
        return f"{self.at} {self.actor_username} {self.action} {self.entity} {self.entity_id}"
