"""Code systems and identifier namespaces the FHIR resources use.

ABDM names no single normative system for the ABHA number: NHA's fhir-mapper uses
`https://healthid.abdm.gov.in`, the NRCeS IG examples `https://healthid.ndhm.gov.in`.
We follow the mapper (shared/reference/abdm.md §f). The identifier types come from
NRCeS's `ndhm-identifier-type-code`: `HIN` is defined there as the 14-digit health id
(the ABHA number), `ABHA` is what the IG's examples put on the ABHA address.
"""

from __future__ import annotations

import uuid

# Terminologies.
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ICD10_WHO = "http://hl7.org/fhir/sid/icd-10"
V2_IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"

# Identifiers.
ABDM_IDENTIFIER_TYPE = "https://nrces.in/ndhm/fhir/r4/CodeSystem/ndhm-identifier-type-code"
ABHA = "https://healthid.abdm.gov.in"
# An RFC 3986 URI as the value (`urn:uuid:…`, or `ni:///sha-256;…` for a file's hash,
# RFC 6920): the identifier needs no namespace of its own.
URI = "urn:ietf:rfc:3986"
# The Indian Medical Council / NMC registration of a doctor (ABDM's consent artefact uses
# this system for a requester's REGNO).
MEDICAL_REGISTRATION = "https://www.mciindia.org"


def uhid_system(organisation_id: uuid.UUID) -> str:
    """UHIDs are unique within one organisation: its id names their namespace."""
    return f"urn:uuid:{organisation_id}"
