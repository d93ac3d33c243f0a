"""The reception board lists today's tokens per doctor, as the front desk sees them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from nidaan.core.permissions import Role
from nidaan.opd import actions
from nidaan.opd.models import Priority, QueueEntry
from tests.factories import ClinicWorld


def _give(world: ClinicWorld, name: str, priority: str = "") -> QueueEntry:
    return actions.issue_token(
        acting_user=world.user(Role.RECEPTIONIST),
        patient=world.register(name=name),
        doctor=world.user(Role.DOCTOR),
        facility=world.facility,
        priority=priority,
    )


def test_the_board_shows_todays_tokens_with_names_priority_and_status(
    world: ClinicWorld,
) -> None:
    _give(world, "सुनीता देवी")
    _give(world, "Ramesh Kumar", priority=Priority.ELDERLY)

    page = world.client(Role.RECEPTIONIST).get("/opd/").content.decode()

    assert "Doctor of Shanti Clinic" in page
    assert "2 waiting" in page
    assert "सुनीता देवी" in page
    assert "Sunita Devi" in page  # the Latin spelling beside the Devanagari name
    assert '<span class="badge priority-elderly">Elderly</span>' in page
    assert "Waiting" in page
    # Elderly first in the line, though given the later token.
    assert page.index("Ramesh Kumar") < page.index("सुनीता देवी")
    assert 'href="/opd/token/new/"' in page
    assert "nidaan/opd" in page.split("</head>")[0]  # the OPD stylesheet, in the head


def test_yesterdays_tokens_are_not_on_the_board(
    world: ClinicWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *args: yesterday)
        _give(world, "Old Token")

    page = world.client(Role.RECEPTIONIST).get("/opd/").content.decode()

    assert "Old Token" not in page
    assert "No tokens yet today." in page


def test_a_pharmacist_sees_the_board_but_cannot_change_it(world: ClinicWorld) -> None:
    _give(world, "Sunita Devi")

    page = world.client(Role.PHARMACIST).get("/opd/").content.decode()

    assert "Sunita Devi" in page
    assert "Give token" not in page
    assert "Did not come" not in page


def test_the_board_in_hindi(world: ClinicWorld) -> None:
    _give(world, "Sunita Devi", priority=Priority.EMERGENCY)
    client = world.client(Role.RECEPTIONIST)
    client.post("/accounts/language/", {"language": "hi"})

    page = client.get("/opd/").content.decode()

    assert "आज के टोकन" in page
    assert "टोकन दें" in page
    assert "इमरजेंसी" in page
