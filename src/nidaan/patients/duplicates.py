"""Likely duplicates at registration: the same mobile and a similar name.

A warning only. Families share one phone, so the same mobile alone is not enough, and
two real patients may share both, so registration is never blocked.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from nidaan.patients import names
from nidaan.patients.models import Patient

SIMILARITY = 0.75


def similar_names(a: str, b: str) -> bool:
    key_a, key_b = names.search_key(a).strip(), names.search_key(b).strip()
    if not key_a or not key_b:
        return False
    if key_a.split()[0] == key_b.split()[0]:
        return True
    return SequenceMatcher(None, key_a, key_b).ratio() >= SIMILARITY


def likely_duplicates(
    organisation_id: Any, *, name: str, mobile: str, exclude: Any = None
) -> list[Patient]:
    if not mobile or not name.strip():
        return []
    candidates = Patient.objects.filter(
        organisation_id=organisation_id, mobile=mobile, entered_in_error=False
    ).exclude(pk=exclude)
    return [patient for patient in candidates if similar_names(patient.name, name)]


def duplicate_pairs(organisation_id: Any, limit: int = 100) -> list[tuple[Patient, Patient]]:
    """Pairs sharing a mobile with similar names, not already merged: for review."""
    from django.db.models import Count

    from nidaan.patients import merging

    shared = (
        Patient.objects.filter(organisation_id=organisation_id, entered_in_error=False)
        .exclude(mobile="")
        .values("mobile")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("mobile", flat=True)[: limit * 2]
    )
    patients = Patient.objects.filter(
        organisation_id=organisation_id, entered_in_error=False, mobile__in=list(shared)
    ).order_by("mobile", "created_at")
    by_mobile: dict[str, list[Patient]] = {}
    for patient in patients:
        by_mobile.setdefault(patient.mobile, []).append(patient)
    pairs = []
    for group in by_mobile.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if similar_names(first.name, second.name) and second.pk not in (
                    merging.group_of(first.pk)
                ):
                    pairs.append((first, second))
    return pairs[:limit]
