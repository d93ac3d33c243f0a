"""The data fiduciary's records under the DPDP Act: erasure requests and what was decided,
personal-data breaches and their notices, emergency ("break-the-glass") access, and
erasures carried out.

Requests, incidents and grants are node-local for now. An erasure carried out is a
synced, append-only fact (`PatientErasure`): every replica that receives it erases the
same data the same way (privacy/erasure.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from nidaan.accounts.models import User
from nidaan.clinics.models import Organisation
from nidaan.core.synced import MergePolicy, SyncedModel
from nidaan.patients.models import Patient


class ErasureDecision(models.TextChoices):
    RETAINED = "retained", _("Kept: the law requires it")
    ERASABLE = "erasable", _("May be erased: no record the law requires")


class ErasureRequest(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation_id = models.UUIDField()
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=ErasureDecision.choices)
    # Why, in words shown to the patient, and until when the records must be kept.
    retention_reason = models.TextField()
    retained_until = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"erasure request for {self.patient_id} ({self.decision})"


class BreachIncident(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation_id = models.UUIDField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    became_aware_at = models.DateTimeField()
    what_happened = models.TextField()
    # The window and (optionally) the account the audit log is searched with, to find
    # whose records were touched.
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    suspect_username = models.CharField(max_length=150, blank=True)
    likely_consequences = models.TextField()
    mitigation = models.TextField()
    contact = models.CharField(max_length=300)

    def __str__(self) -> str:
        return f"incident of {self.became_aware_at:%Y-%m-%d}"


class EmergencyAccess(models.Model):
    """A clinician's reasoned access to a patient of another branch, for some hours."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "patient", "expires_at"], name="emergency_idx")]

    def __str__(self) -> str:
        return f"emergency access of {self.user_id} to {self.patient_id}"


class PatientErasure(SyncedModel):
    """A patient's personal data erased at their request, where no law required keeping it.

    Append-only and replicated: a replica holding this row keeps the patient's personal
    fields redacted, whatever older or concurrent changes to them arrive later, and keeps
    no copy of the erased values in its change log, search index or document store.
    """

    merge_policy = MergePolicy.APPEND_ONLY

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    erased_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    erased_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"erasure of {self.patient_id}"

    @classmethod
    def after_replicated(cls, rows: list[Any]) -> None:
        from nidaan.privacy.erasure import erase_on_this_replica

        erase_on_this_replica({row.patient_id for row in rows})
