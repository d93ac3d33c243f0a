"""A patient's whole chart as one FHIR R4 `collection` Bundle.

`patient_bundle(patient)` is what a records request (MCI 1.3.2, DPDP s.11) hands over,
and what ABDM's consent-based sharing will cut per visit (`chart_resources` gives the
resources by record type for that). Every bundle is validated against the R4B models
before it leaves: a record that would make invalid FHIR fails the export loudly instead
of producing a file no other system reads.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from fhir.resources.R4B.bundle import Bundle

from nidaan.documents.models import Document
from nidaan.fhir import resources, systems
from nidaan.fhir.chart import ChartRecords, chart_records
from nidaan.patients.models import Patient

Resource = dict[str, Any]


@dataclass
class ChartResources:
    """The chart's resources by record type, each list oldest first."""

    patient: Resource
    organization: Resource
    practitioners: list[Resource] = field(default_factory=list)
    encounters: list[Resource] = field(default_factory=list)
    conditions: list[Resource] = field(default_factory=list)
    observations: list[Resource] = field(default_factory=list)
    allergies: list[Resource] = field(default_factory=list)
    medication_requests: list[Resource] = field(default_factory=list)
    document_references: list[Resource] = field(default_factory=list)

    def all(self) -> list[Resource]:
        return [
            self.patient,
            self.organization,
            *self.practitioners,
            *self.encounters,
            *self.conditions,
            *self.observations,
            *self.allergies,
            *self.medication_requests,
            *self.document_references,
        ]


def chart_resources(
    chart: ChartRecords, *, document_data: Callable[[Document], bytes | None] | None = None
) -> ChartResources:
    """Map every record of `chart`; `document_data` gives a document's bytes to embed
    (None: content type, size and SHA-256 only)."""
    patient_id = chart.patient.pk
    facility = chart.facilities.get(chart.patient.registered_at_id)
    found = ChartResources(
        patient=resources.patient_resource(chart.patient),
        organization=resources.organization_resource(chart.organisation, facility),
    )
    found.practitioners = [
        resources.practitioner_resource(doctor)
        for doctor in sorted(chart.doctors.values(), key=lambda d: str(d.pk))
    ]
    started = {}
    for encounter in chart.encounters:
        started[encounter.pk] = encounter.started_at
        found.encounters.append(
            resources.encounter_resource(
                encounter, patient_id=patient_id, note=chart.notes.get(encounter.pk)
            )
        )
    found.conditions = [
        resources.condition_resource(d, patient_id=patient_id, version=chart.version_of(d))
        for d in chart.diagnoses
    ]
    for vitals in chart.vitals:
        found.observations += resources.vitals_observations(
            vitals,
            patient_id=patient_id,
            taken_at=started.get(vitals.encounter_id, vitals.recorded_at),
            version=chart.version_of(vitals),
        )
    found.allergies = [
        resources.allergy_resource(a, patient_id=patient_id, version=chart.version_of(a))
        for a in chart.allergies
    ]
    for rx in chart.prescriptions:
        found.medication_requests += resources.medication_requests(rx, patient_id=patient_id)
    found.document_references = [
        resources.document_reference(
            document,
            patient_id=patient_id,
            version=chart.version_of(document),
            data=document_data(document) if document_data else None,
        )
        for document in chart.documents
    ]
    return found


def bundle_of(
    entries: list[Resource], *, timestamp: datetime.datetime | None = None
) -> dict[str, Any]:
    """A `collection` Bundle of `entries`, each with its `urn:uuid:` fullUrl, validated."""
    bundle_id = uuid.uuid4()
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": str(bundle_id),
        "identifier": {"system": systems.URI, "value": f"urn:uuid:{bundle_id}"},
        "type": "collection",
        "timestamp": resources.instant(timestamp or timezone.now()),
        "entry": [
            {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource} for resource in entries
        ],
    }
    Bundle.model_validate(bundle)
    return bundle


def patient_bundle(
    patient: Patient,
    *,
    entered_in_error: bool = False,
    document_data: Callable[[Document], bytes | None] | None = None,
) -> dict[str, Any]:
    """Everything about `patient` (and duplicates merged into them) as a FHIR Bundle.

    Amended records appear as their current version. Records entered in error are left
    out, or with `entered_in_error` included with that status (FHIR's way of saying a
    record should not have existed).
    """
    # Coded texts (kinds of document, states) are English in a FHIR document, whatever
    # language the person exporting uses.
    with translation.override("en"):
        chart = chart_records(patient, entered_in_error=entered_in_error)
        found = chart_resources(chart, document_data=document_data)
        return bundle_of(found.all())
