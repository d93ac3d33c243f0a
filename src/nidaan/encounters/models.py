"""The consultation: a visit and what was recorded in it. Every row is append-only.

A correction is a new version (core.versioned); the first version of each record is
never changed, so the chart always shows who wrote what, when, and why it changed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nidaan.clinics.models import Facility, Organisation
from nidaan.core.synced import MergePolicy, SyncedModel
from nidaan.core.versioned import VersionedRecord
from nidaan.patients.models import Patient


class Encounter(SyncedModel):
    """One visit of a patient to a doctor. The fact of the visit never changes; what was
    found and done is in its versioned records."""

    merge_policy = MergePolicy.APPEND_ONLY

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    # Indexed by encounter_patient_idx (patient, -started_at), which serves lookups by patient.
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="encounters", db_index=False
    )
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The queue entry the visit came from, if any (opd.QueueEntry id; no FK so that the
    # clinical record does not depend on the queue app).
    queue_entry_id = models.UUIDField(null=True, blank=True)
    started_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["patient", "-started_at"], name="encounter_patient_idx")]

    def __str__(self) -> str:
        return f"visit of {self.patient_id} on {self.started_at:%d-%m-%Y}"


class DurationUnit(models.TextChoices):
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")


class ConsultationNote(VersionedRecord):
    """What the doctor wrote: complaints, history, examination, advice, follow-up.

    Saving a draft adds a version too (so a half-done consultation survives and nobody's
    work is overwritten); once `complete`, a change needs a reason.
    """

    content_fields = (
        "complaints",
        "history_illness",
        "history_surgical",
        "history_family",
        "history_personal",
        "examination",
        "advice",
        "follow_up_date",
        "complete",
    )

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="notes")
    # [{"text": "fever", "duration": 3, "unit": "days"}, ...]
    complaints = models.JSONField(_("complaints"), default=list, blank=True)
    history_illness = models.TextField(_("past illness"), blank=True)
    history_surgical = models.TextField(_("surgery"), blank=True)
    history_family = models.TextField(_("family history"), blank=True)
    history_personal = models.TextField(_("personal habits"), blank=True)
    examination = models.TextField(_("examination findings"), blank=True)
    advice = models.TextField(_("advice"), blank=True)
    follow_up_date = models.DateField(_("follow-up date"), null=True, blank=True)
    complete = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"note {self.lineage} v{self.recorded_at:%H:%M}"


class SugarTest(models.TextChoices):
    FASTING = "fasting", _("fasting")
    RANDOM = "random", _("random")
    POST_MEAL = "pp", _("after a meal")


class VitalSigns(VersionedRecord):
    """One set of measurements. Temperature is stored in °C; the clinic chooses the
    unit it is typed and shown in."""

    content_fields = (
        "bp_systolic",
        "bp_diastolic",
        "pulse",
        "temperature_c",
        "spo2",
        "respiratory_rate",
        "weight_kg",
        "height_cm",
        "blood_sugar",
        "blood_sugar_test",
        "head_circumference_cm",
    )

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="vitals")
    bp_systolic = models.PositiveSmallIntegerField(_("BP systolic (mmHg)"), null=True, blank=True)
    bp_diastolic = models.PositiveSmallIntegerField(_("BP diastolic (mmHg)"), null=True, blank=True)
    pulse = models.PositiveSmallIntegerField(_("pulse (/min)"), null=True, blank=True)
    temperature_c = models.DecimalField(
        _("temperature (°C)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    spo2 = models.PositiveSmallIntegerField(_("SpO₂ (%)"), null=True, blank=True)
    respiratory_rate = models.PositiveSmallIntegerField(
        _("respiratory rate (/min)"), null=True, blank=True
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    height_cm = models.DecimalField(
        _("height (cm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    blood_sugar = models.PositiveSmallIntegerField(_("blood sugar (mg/dL)"), null=True, blank=True)
    blood_sugar_test = models.CharField(
        _("sugar test"), max_length=10, choices=SugarTest.choices, blank=True
    )
    head_circumference_cm = models.DecimalField(
        _("head circumference (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name_plural = "vital signs"

    def __str__(self) -> str:
        return f"vitals {self.lineage}"

    @property
    def bmi(self) -> Decimal | None:
        if not self.weight_kg or not self.height_cm:
            return None
        metres = Decimal(self.height_cm) / 100
        return (Decimal(self.weight_kg) / (metres * metres)).quantize(Decimal("0.1"))


class Certainty(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    FINAL = "final", _("Final")


class Diagnosis(VersionedRecord):
    """A diagnosis made in a visit: a WHO ICD-10 code, or free text when none fits."""

    content_fields = ("icd10_code", "text", "certainty", "active")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="diagnoses")
    icd10_code = models.CharField(_("ICD-10 code"), max_length=8, blank=True)
    text = models.CharField(_("diagnosis"), max_length=300)
    certainty = models.CharField(
        _("certainty"), max_length=12, choices=Certainty.choices, default=Certainty.PROVISIONAL
    )
    # On the problem list until a later version marks it resolved.
    active = models.BooleanField(_("active problem"), default=True)

    class Meta:
        verbose_name_plural = "diagnoses"

    def __str__(self) -> str:
        return f"{self.icd10_code} {self.text}".strip()


class AllergyCategory(models.TextChoices):
    DRUG = "drug", _("Drug")
    FOOD = "food", _("Food")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")


class Allergy(VersionedRecord):
    """A patient's allergy, shown in red on every clinical screen and prescription."""

    content_fields = ("category", "substance", "reaction", "severity", "active")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("type"), max_length=10, choices=AllergyCategory.choices)
    substance = models.CharField(_("substance"), max_length=200)
    reaction = models.CharField(_("reaction"), max_length=300, blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MODERATE
    )
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "allergies"

    def __str__(self) -> str:
        return self.substance
