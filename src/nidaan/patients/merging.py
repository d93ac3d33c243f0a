"""Which record stands for a patient registered more than once (read-only queries).

Active merges join patients into groups. Each group is shown as one record: the member
registered first by its registration clock (then by id), a rule every replica computes
the same way whatever order the merges reached it in, so even two opposite merges made
on two offline PCs settle on the same record everywhere.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q

from nidaan.core.hlc import field_stamp
from nidaan.patients.models import Patient, PatientMerge


def group_of(patient_id: Any) -> set[uuid.UUID]:
    """Every patient id joined to `patient_id` by active merges (itself included)."""
    group = {uuid.UUID(str(patient_id))}
    frontier = set(group)
    while frontier:
        links = PatientMerge.objects.filter(
            Q(merged_id__in=frontier) | Q(survivor_id__in=frontier), active=True
        ).values_list("merged_id", "survivor_id")
        found = {pid for pair in links for pid in pair} - group
        group |= found
        frontier = found
    return group


def _registration_order(patient: Patient) -> tuple[str, str]:
    # The uhid field is written once, at registration: its clock is the registration's.
    return (field_stamp(patient.field_clock, "uhid"), str(patient.pk))


def resolve(patient: Patient) -> tuple[Patient, set[uuid.UUID]]:
    """The record shown for `patient`'s group (itself when never merged), and the group."""
    group = group_of(patient.pk)
    if len(group) == 1:
        return patient, group
    members = Patient.objects.filter(pk__in=group)
    return min(members, key=_registration_order), group


def representative(patient: Patient) -> Patient:
    return resolve(patient)[0]


def is_merged_away(patient: Patient) -> bool:
    touching = Q(merged_id=patient.pk) | Q(survivor_id=patient.pk)
    if not PatientMerge.objects.filter(touching, active=True).exists():
        return False
    return representative(patient).pk != patient.pk


def merged_into(patient: Patient) -> list[PatientMerge]:
    """Active merges of other records into this one (for its page and unmerging)."""
    return list(
        PatientMerge.objects.filter(survivor=patient, active=True)
        .select_related("merged", "merged_by")
        .order_by("created_at")
    )
