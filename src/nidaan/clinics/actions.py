"""Creating and changing the clinic itself."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from nidaan.accounts.actions import create_staff_user
from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import CLI, Origin, record
from nidaan.clinics.models import Facility, Organisation, TemperatureUnit
from nidaan.core import changelog


class AlreadySetUp(RuntimeError):
    pass


@transaction.atomic
def create_organisation(
    *, clinic: dict[str, Any], acting_user: User | None
) -> tuple[Organisation, Facility]:
    """An organisation with its main branch (on a hub, one of many tenants)."""
    organisation = Organisation(
        name=clinic["clinic_name"],
        name_hi=clinic.get("clinic_name_hi", ""),
        gstin=clinic.get("gstin", ""),
        temperature_unit=clinic.get("temperature_unit", TemperatureUnit.FAHRENHEIT),
    )
    changelog.insert(organisation, acting_user=acting_user)
    facility = Facility(
        organisation=organisation,
        name=clinic["clinic_name"],
        name_hi=clinic.get("clinic_name_hi", ""),
        address_line=clinic["address_line"],
        city=clinic["city"],
        district=clinic.get("district", ""),
        state=clinic["state"],
        pin=clinic["pin"],
        phone=clinic["phone"],
        timings=clinic.get("timings", ""),
    )
    changelog.insert(facility, acting_user=acting_user)
    return organisation, facility


def clinic_form_values(facility: Facility) -> dict[str, Any]:
    """The clinic's current settings in the set-up form's terms."""
    organisation = facility.organisation
    return {
        "clinic_name": organisation.name,
        "clinic_name_hi": organisation.name_hi,
        "gstin": organisation.gstin,
        "temperature_unit": organisation.temperature_unit,
        **{name: getattr(facility, name) for name in _FACILITY_FIELDS},
    }


_FACILITY_FIELDS = ("address_line", "city", "district", "state", "pin", "phone", "timings")


@transaction.atomic
def update_clinic(
    facility: Facility, values: dict[str, Any], *, acting_user: User, origin: Origin = CLI
) -> list[str]:
    """Change the clinic's name, GSTIN and this branch's address; returns what changed."""
    organisation = facility.organisation
    if organisation.pk != acting_user.organisation_id:
        raise PermissionError("the branch belongs to another organisation")
    org_changed = changelog.changed_fields(
        organisation,
        {
            "name": values["clinic_name"],
            "name_hi": values["clinic_name_hi"],
            "gstin": values["gstin"],
            "temperature_unit": values["temperature_unit"],
        },
    )
    if org_changed:
        changelog.update(organisation, org_changed, acting_user=acting_user)
    facility_changed = changelog.changed_fields(
        facility, {name: values[name] for name in _FACILITY_FIELDS}
    )
    if facility_changed:
        changelog.update(facility, facility_changed, acting_user=acting_user)
    changed = org_changed + facility_changed
    if changed:
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=organisation,
            origin=origin,
            detail={"fields": changed},
        )
    return changed


@transaction.atomic
def set_up_clinic(
    *, clinic: dict[str, Any], admin: dict[str, Any], origin: Origin = CLI
) -> tuple[Organisation, Facility, User]:
    """First run: the organisation, its main branch and the first admin, all or nothing."""
    if Organisation.objects.exists():
        raise AlreadySetUp("this node already has a clinic")
    organisation, facility = create_organisation(clinic=clinic, acting_user=None)
    user = create_staff_user(acting_user=None, facility=facility, origin=origin, **admin)
    record(AuditAction.CREATE, actor=user, target=organisation, origin=origin)
    return organisation, facility, user
