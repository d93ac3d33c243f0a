"""Every write to the patient registry. Each is one transaction: row, change log, audit."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import CLI, Origin, record
from nidaan.clinics.models import Facility
from nidaan.core import changelog, node
from nidaan.patients import merging, names
from nidaan.patients.models import Patient, PatientMerge
from nidaan.patients.search_index import reindex_merged, reindex_patient


class PatientErased(ValueError):
    """The registration's personal data was erased; it is not typed in again."""


class WrongOrganisation(PermissionError):
    pass


def _age_in_years(born: datetime.date) -> int:
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _with_derived_names(values: dict[str, Any]) -> dict[str, Any]:
    if "name" in values:
        values["name_latin"] = names.romanize(values["name"])
        values["name_key"] = names.search_key(values["name"])
    return values


@transaction.atomic
def register_patient(
    *,
    acting_user: User,
    facility: Facility,
    demographics: dict[str, Any],
    origin: Origin = CLI,
) -> Patient:
    """Register a new patient at `facility`, with a fresh UHID from this node's series."""
    if facility.organisation_id != acting_user.organisation_id:
        raise WrongOrganisation("the facility belongs to another organisation")
    patient = Patient(
        organisation_id=facility.organisation_id,
        registered_at=facility,
        uhid=node.next_uhid(),
        **_with_derived_names(dict(demographics)),
    )
    changelog.insert(patient, acting_user=acting_user)
    reindex_patient(patient)
    record(
        AuditAction.CREATE, actor=acting_user, target=patient, patient_id=patient.pk, origin=origin
    )
    return patient


@transaction.atomic
def update_patient(
    patient: Patient,
    *,
    acting_user: User,
    demographics: dict[str, Any],
    origin: Origin = CLI,
) -> list[str]:
    """Apply edited demographics; returns the names of the fields that really changed.

    An age typed again unchanged must not move an estimated birth date to today's
    anniversary, so an estimated date is replaced only when the age itself changed.
    """
    if patient.organisation_id != acting_user.organisation_id:
        raise WrongOrganisation("the patient belongs to another organisation")
    if patient.is_erased:
        raise PatientErased("this registration was erased at the patient's request")
    values = dict(demographics)
    if (
        values.get("date_of_birth_estimated")
        and patient.date_of_birth_estimated
        and _age_in_years(values["date_of_birth"]) == _age_in_years(patient.date_of_birth)
    ):
        values.pop("date_of_birth")
        values.pop("date_of_birth_estimated")
    changed = changelog.changed_fields(patient, _with_derived_names(values))
    if not set(changed) - Patient.local_fields:
        return []
    changelog.update(patient, changed, acting_user=acting_user)
    reindex_patient(patient)
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=patient,
        patient_id=patient.pk,
        origin=origin,
        detail={"fields": changed},
    )
    return changed


class MergeRefused(ValueError):
    """The merge or unmerge cannot be done; the message says why."""


@transaction.atomic
def merge_patients(
    *,
    survivor: Patient,
    merged: Patient,
    reason: str,
    acting_user: User,
    origin: Origin = CLI,
) -> PatientMerge:
    """Show `merged` as part of `survivor` from now on; reversible (unmerge_patients)."""
    org = acting_user.organisation_uuid
    if survivor.organisation_id != org or merged.organisation_id != org:
        raise WrongOrganisation("both patients must belong to your organisation")
    if survivor.pk == merged.pk:
        raise MergeRefused("a record cannot be merged into itself")
    if not reason.strip():
        raise MergeRefused("say why these two records are the same patient")
    if merged.pk in merging.group_of(survivor.pk):
        raise MergeRefused("these records are already merged")
    merge = PatientMerge(
        organisation_id=org,
        merged=merged,
        survivor=survivor,
        reason=reason.strip(),
        merged_by=acting_user,
    )
    changelog.insert(merge, acting_user=acting_user)
    reindex_merged([merge])
    for patient in (survivor, merged):
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=patient,
            patient_id=patient.pk,
            origin=origin,
            detail={"merged": str(merged.pk), "into": str(survivor.pk), "reason": reason},
        )
    return merge


@transaction.atomic
def unmerge_patients(
    merge: PatientMerge, *, reason: str, acting_user: User, origin: Origin = CLI
) -> PatientMerge:
    """Separate a merged record again: its own page, search entry and visits come back."""
    if merge.organisation_id != acting_user.organisation_uuid:
        raise WrongOrganisation("the merge belongs to another organisation")
    if not merge.active:
        raise MergeRefused("these records are already separate")
    if not reason.strip():
        raise MergeRefused("say why these records are different patients")
    merge.active = False
    merge.unmerge_reason = reason.strip()
    changelog.update(merge, ["active", "unmerge_reason"], acting_user=acting_user)
    reindex_merged([merge])
    for patient_id in (merge.merged_id, merge.survivor_id):
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            patient_id=patient_id,
            origin=origin,
            detail={
                "unmerged": str(merge.merged_id),
                "from": str(merge.survivor_id),
                "reason": reason,
            },
        )
    return merge
