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
from nidaan.patients import names
from nidaan.patients.models import Patient
from nidaan.patients.search_index import reindex_patient


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
