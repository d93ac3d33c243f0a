"""Finding a patient: by mobile, UHID, ABHA number or address, or by name in either script.

One implementation for the node (SQLite) and the hub (PostgreSQL). Results are ranked:
an exact identifier first, then an exact name, then word-prefix matches; the most
recently registered patient breaks ties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from nidaan.core import uhid
from nidaan.patients import identifiers, names
from nidaan.patients.models import Patient

DEFAULT_LIMIT = 20
MIN_MOBILE_DIGITS = 4


@dataclass(frozen=True)
class Hit:
    patient: Patient
    rank: int  # lower is better
    matched: str  # what matched: uhid, abha_number, abha_address, mobile, name


def _visible(organisation_id: Any) -> QuerySet[Patient]:
    return Patient.objects.filter(organisation_id=organisation_id, entered_in_error=False)


def _identifier_hits(organisation_id: Any, query: str) -> list[Hit]:
    hits: list[Hit] = []
    compact = re.sub(r"[\s\-()+]", "", query)
    if uhid.looks_like_uhid(query):
        try:
            canonical = uhid.parse(query)
        except uhid.InvalidUHID:
            canonical = ""
        hits += [Hit(p, 0, "uhid") for p in _visible(organisation_id).filter(uhid=canonical)]
    if "@" in query:
        address = query.strip().lower()
        hits += [
            Hit(p, 0, "abha_address")
            for p in _visible(organisation_id).filter(abha_address=address)
        ]
    if compact.isdigit():
        if len(compact) == 14:
            hits += [
                Hit(p, 0, "abha_number")
                for p in _visible(organisation_id).filter(abha_number=compact)
            ]
        if len(compact) >= MIN_MOBILE_DIGITS:
            try:
                full = identifiers.normalise_mobile(compact)
            except Exception:  # noqa: BLE001 - not a whole number: search by its tail
                full = ""
            if full:
                hits += [Hit(p, 1, "mobile") for p in _visible(organisation_id).filter(mobile=full)]
            else:
                hits += [
                    Hit(p, 2, "mobile")
                    for p in _visible(organisation_id).filter(mobile__endswith=compact[-10:])
                ]
    return hits


def _name_hits(organisation_id: Any, query: str, limit: int) -> list[Hit]:
    words = names.search_words(query)
    if not words:
        return []
    matches = _visible(organisation_id)
    for word in words:
        matches = matches.filter(name_key__contains=" " + word)
    exact_key = " " + " ".join(words) + " "
    hits = []
    for patient in matches.order_by("-created_at")[: limit * 5]:
        if patient.name_key == exact_key:
            rank = 3
        elif all(f" {word} " in patient.name_key for word in words):
            rank = 4
        else:
            rank = 5
        hits.append(Hit(patient, rank, "name"))
    return hits


def search_patients(organisation_id: Any, query: str, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    """Ranked matches for what a receptionist typed, within one organisation."""
    query = query.strip()
    if not query:
        return []
    hits = _identifier_hits(organisation_id, query)
    if not re.fullmatch(r"[\d\s\-+()]+", query):
        hits += _name_hits(organisation_id, query, limit)
    best: dict[Any, Hit] = {}
    for hit in hits:
        if hit.patient.pk not in best or hit.rank < best[hit.patient.pk].rank:
            best[hit.patient.pk] = hit
    ordered = sorted(best.values(), key=lambda h: (h.rank, -h.patient.created_at.timestamp()))
    return ordered[:limit]
