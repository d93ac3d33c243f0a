"""The patient registry."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nidaan.clinics.models import Facility, Organisation
from nidaan.clinics.states import State
from nidaan.core.synced import MergePolicy, SyncedModel
from nidaan.patients.identifiers import format_abha_number


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    OTHER = "O", _("Other")


class Relation(models.TextChoices):
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    HUSBAND = "husband", _("Husband")
    WIFE = "wife", _("Wife")
    GUARDIAN = "guardian", _("Guardian")


# What an erased registration's name reads as on every replica (privacy/erasure.py).
ERASED_NAME = "[erased]"


class Patient(SyncedModel):
    """Demographics merge per field (last writer wins); identifiers are never keys."""

    merge_policy = MergePolicy.LAST_WRITER_WINS
    # Derived on every replica from `name` by the replica's own code (patients.names).
    local_fields: ClassVar[frozenset[str]] = frozenset({"name_key"})

    # No index of its own: patient_uhid_uniq (organisation, uhid) starts with it, and every
    # index is one more write for each patient a pull brings.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="patients", db_index=False
    )
    registered_at = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    uhid = models.CharField(_("UHID"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    name_latin = models.CharField(_("name in English letters"), max_length=200)
    # Normalised words of the name for search (see patients.names.search_key).
    name_key = models.CharField(max_length=400, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"))
    date_of_birth_estimated = models.BooleanField(default=False)
    mobile = models.CharField(_("mobile number"), max_length=10, blank=True)
    address_line = models.CharField(_("house, street"), max_length=300, blank=True)
    locality = models.CharField(_("village / locality"), max_length=150, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, choices=State.choices, blank=True)
    pin = models.CharField(_("PIN code"), max_length=6, blank=True)
    guardian_name = models.CharField(_("father's / husband's name"), max_length=200, blank=True)
    guardian_relation = models.CharField(
        _("relation"), max_length=10, choices=Relation.choices, blank=True
    )
    abha_number = models.CharField(_("ABHA number"), max_length=14, blank=True)
    abha_address = models.CharField(_("ABHA address"), max_length=100, blank=True)
    # Tombstone: a patient registered in error is hidden, never removed.
    entered_in_error = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "uhid"], name="patient_uhid_uniq"),
        ]
        indexes = [
            models.Index(fields=["organisation", "mobile"], name="patient_mobile_idx"),
            models.Index(fields=["organisation", "abha_number"], name="patient_abha_idx"),
            models.Index(fields=["organisation", "abha_address"], name="patient_abha_addr_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.uhid})"

    def derive_local_fields(self) -> list[str]:
        from nidaan.patients.names import search_key

        self.name_key = search_key(self.name)
        return ["name_key"]

    @classmethod
    def after_replicated(cls, rows: list[Any]) -> None:
        # Derived, replica-local data (search keys and index) follows the synced name.
        from nidaan.patients.search_index import refresh_replicated

        refresh_replicated(rows)

    def age_on(self, day: datetime.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def abha_number_display(self) -> str:
        """XX-XXXX-XXXX-XXXX, as printed on ABHA cards."""
        return format_abha_number(self.abha_number)

    @property
    def is_erased(self) -> bool:
        """The patient's personal data was erased at their request (DPDP s.12)."""
        return self.name == ERASED_NAME

    @property
    def name_differs_in_latin(self) -> bool:
        return self.name != self.name_latin


class TermKind(models.IntegerChoices):
    NAME_WORD = 1
    MOBILE_REVERSED = 2


class SearchTerm(models.Model):
    """Inverted index for patient search: one row per normalised name word or mobile.

    Local to each replica and rebuilt from the patient row in the same transaction as
    every write to it (patients.search_index). A patient entered in error has no rows.
    The (kind, term, patient) index is read newest-first, so the most recent matches of
    a term come off the index without sorting (patient ids are time-ordered UUIDv7).
    """

    organisation_id = models.UUIDField()
    kind = models.PositiveSmallIntegerField(choices=TermKind.choices)
    term = models.CharField(max_length=64)
    # No index of its own: search_term_patient_idx starts with it (one B-tree fewer per
    # word, and a replicated batch indexes thousands).
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["organisation_id", "kind", "term", "patient"], name="search_term_idx"
            ),
            models.Index(fields=["patient", "kind", "term"], name="search_term_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.patient_id}"


class SearchVocabulary(models.Model):
    """Distinct name words of an organisation, with how many patients carry each.

    Prefix expansion reads it ("sun" → sunit, sunil, sundar) and the count picks the
    rarest query word to drive the search.
    """

    organisation_id = models.UUIDField()
    term = models.CharField(max_length=64)
    patients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation_id", "term"], name="search_vocab_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.patients})"


class SearchTermVariant(models.Model):
    """Each vocabulary word and its one-letter deletions, for one-typo matching.

    Two words are one edit apart exactly when their deletion sets meet (the SymSpell
    method), so a typo is found with a handful of index lookups instead of a scan.
    """

    organisation_id = models.UUIDField()
    variant = models.CharField(max_length=64)
    term = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_id", "variant", "term"], name="search_variant_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} ~ {self.term}"


class PatientMerge(SyncedModel):
    """One patient registered twice, joined: `merged` is shown as part of `survivor`.

    A replicated alias rather than moving records: visits recorded later under the merged
    id (by a PC that was offline) still land, and show under the survivor. Unmerging sets
    `active` off (per-field last writer wins). When merges chain or cross (A→B on one PC,
    B→A on another), every replica picks the same record to show (patients.merging).
    """

    merge_policy = MergePolicy.LAST_WRITER_WINS

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    survivor = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)
    reason = models.CharField(_("reason for merging"), max_length=300)
    unmerge_reason = models.CharField(_("reason for unmerging"), max_length=300, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["merged", "active"], name="patient_merge_merged_idx"),
            models.Index(fields=["survivor", "active"], name="patient_merge_survivor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"

    @classmethod
    def after_replicated(cls, rows: list[Any]) -> None:
        from nidaan.patients.search_index import reindex_merged

        reindex_merged(rows)
