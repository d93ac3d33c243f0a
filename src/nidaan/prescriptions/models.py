"""Prescriptions: issued once, never changed; a change is a new version with a reason.

A prescription is one record holding its drug lines (structured, JSON) so that a
version is the whole document a patient walked out with, exactly as printed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nidaan.clinics.models import Organisation
from nidaan.core.synced import MergePolicy, SyncedModel
from nidaan.core.versioned import VersionedRecord
from nidaan.encounters.models import Encounter
from nidaan.patients.models import Patient


class PrintLanguage(models.TextChoices):
    BOTH = "both", _("Hindi and English")
    HINDI = "hi", _("Hindi")
    ENGLISH = "en", _("English")


class Prescription(VersionedRecord):
    """What the doctor prescribed in a visit, as issued.

    `lines` is a list of drug lines (see `lines.RxLine.as_json`); `overrides` the safety
    warnings the doctor overrode, each with its reason. `short_code` (per version) is
    what the printed QR code and the verification page `/v/<code>` carry.
    """

    content_fields = (
        "lines",
        "investigations",
        "advice",
        "diet",
        "follow_up_date",
        "language",
        "teleconsultation",
        "weight_kg",
        "overrides",
    )

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="prescriptions")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lines = models.JSONField(_("medicines"), default=list)
    investigations = models.TextField(_("investigations advised"), blank=True)
    advice = models.TextField(_("advice"), blank=True)
    diet = models.TextField(_("diet"), blank=True)
    follow_up_date = models.DateField(_("follow-up date"), null=True, blank=True)
    language = models.CharField(
        _("print language"), max_length=4, choices=PrintLanguage.choices, default="both"
    )
    teleconsultation = models.BooleanField(_("teleconsultation"), default=False)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    overrides = models.JSONField(default=list, blank=True)
    version_number = models.PositiveSmallIntegerField(default=1)
    short_code = models.CharField(max_length=12, unique=True)

    class Meta:
        indexes = [models.Index(fields=["doctor", "-recorded_at"], name="rx_doctor_idx")]

    def __str__(self) -> str:
        return f"Rx {self.short_code} v{self.version_number}"

    @property
    def drug_names(self) -> list[str]:
        return [str(line.get("generic", "")).upper() for line in self.lines]

    @property
    def printed_names(self) -> list[str]:
        """`TAB. PARACETAMOL 650 mg` …, as the printout names them."""
        from nidaan.prescriptions.lines import RxLine

        return [RxLine.from_json(line).printed_name for line in self.lines]


class ClinicDrug(SyncedModel):
    """A medicine the clinic added to its formulary (beside the starter list)."""

    merge_policy = MergePolicy.LAST_WRITER_WINS

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=20)
    generic = models.CharField(_("generic name"), max_length=200)
    brand = models.CharField(_("brand"), max_length=200, blank=True)
    form = models.CharField(_("form"), max_length=20)
    strength = models.CharField(_("strength"), max_length=60)
    strength_mg = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    classes = models.CharField(_("drug classes"), max_length=200, blank=True)
    schedule = models.CharField(_("schedule"), max_length=4, default="H")
    ndps = models.BooleanField(_("NDPS Act drug"), default=False)
    telemedicine = models.CharField(_("telemedicine list"), max_length=12, default="A")
    max_dose_mg = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    max_daily_mg = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="clinic_drug_code_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.generic} {self.strength}"

    def as_formulary(self) -> Any:
        from nidaan.prescriptions.formulary import FormularyDrug

        return FormularyDrug(
            code=self.code,
            generic=self.generic,
            form=self.form,
            strength=self.strength,
            strength_mg=self.strength_mg,
            classes=frozenset(c.strip().lower() for c in self.classes.split(",") if c.strip()),
            schedule=self.schedule,
            ndps=self.ndps,
            telemedicine=self.telemedicine,
            max_dose_mg=self.max_dose_mg,
            max_daily_mg=self.max_daily_mg,
        )


class RxTemplate(SyncedModel):
    """A clinic's own prescription template ("Typhoid – adult"): lines the form fills."""

    merge_policy = MergePolicy.LAST_WRITER_WINS

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("template name"), max_length=100)
    # Rows as the form takes them: {"drug_code" or "generic", "dose", "frequency", ...}.
    lines = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class DoctorCertificate(models.Model):
    """A doctor's signing certificate (PKCS#12), encrypted at rest with a key derived
    from this installation's secret key. Deliberately not synced: the private key stays
    on the PC it was uploaded to, and PDFs printed elsewhere are simply unsigned."""

    organisation_id = models.UUIDField()
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pkcs12_encrypted = models.BinaryField()
    passphrase_encrypted = models.BinaryField()
    subject = models.CharField(max_length=300)
    not_after = models.DateTimeField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"certificate of {self.doctor_id}: {self.subject}"
