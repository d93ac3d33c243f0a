"""Creating and changing the clinic itself."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from nidaan.accounts.actions import create_staff_user
from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import CLI, Origin, record
from nidaan.clinics.models import Facility, Organisation
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
