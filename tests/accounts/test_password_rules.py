"""Passwords: at least 8 characters, not common, not all digits, not the username."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nidaan.accounts.actions import create_staff_user
from nidaan.core.permissions import Role
from tests.factories import ClinicWorld


@pytest.mark.parametrize(
    "password", ["short1!", "password123", "12345678901", "ramesh-kumar", "Ramesh Kumar"]
)
def test_weak_passwords_are_refused(world: ClinicWorld, password: str) -> None:
    with pytest.raises(ValidationError):
        create_staff_user(
            acting_user=world.user(Role.ADMIN),
            facility=world.facility,
            username="ramesh-kumar",
            password=password,
            role=Role.NURSE,
            full_name="Ramesh Kumar",
        )


def test_a_long_unusual_password_is_accepted(world: ClinicWorld) -> None:
    user = create_staff_user(
        acting_user=world.user(Role.ADMIN),
        facility=world.facility,
        username="ramesh-kumar",
        password="neem-tree-by-the-well-7",
        role=Role.NURSE,
        full_name="Ramesh Kumar",
    )
    assert user.check_password("neem-tree-by-the-well-7")
