"""Shared fixtures (the data they make is built in tests/factories.py)."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from nidaan.core.permissions import Role
from tests.factories import CLINIC, PASSWORD, ClinicWorld, make_world

# Tests, and the nidaan processes they start, never touch the developer's own keyring:
# the `fail` backend is "no keyring" (a node then keeps its key beside its data). The
# keyring tests choose a real file-backed keyring of their own.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.fixture
def world(db: None) -> ClinicWorld:
    return make_world()


@pytest.fixture
def other_world(db: None) -> Callable[[], ClinicWorld]:
    """A second, unrelated clinic (made on demand: set-up refuses a second clinic)."""

    def make() -> ClinicWorld:
        # set_up_clinic is the first-run action and refuses when a clinic exists, so the
        # second tenant (as on the hub) is made through the same actions it calls.
        from nidaan.accounts.actions import create_staff_user as create_user
        from nidaan.clinics.actions import create_organisation

        org, facility = create_organisation(
            clinic={**CLINIC, "clinic_name": "Other Clinic", "state": "09", "pin": "226001"},
            acting_user=None,
        )
        admin = create_user(
            acting_user=None,
            facility=facility,
            username="other-admin",
            password=PASSWORD,
            role=Role.ADMIN,
            full_name="Other Admin",
        )
        return ClinicWorld(org, facility, admin)

    return make
