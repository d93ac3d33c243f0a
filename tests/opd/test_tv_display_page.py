"""The waiting hall's TV: token numbers per doctor in both languages, never a name, and
it refreshes itself."""

from __future__ import annotations

from nidaan.core.permissions import Role
from nidaan.opd import actions
from nidaan.opd.models import QueueEntry
from tests.factories import ClinicWorld


def _token(world: ClinicWorld, name: str) -> QueueEntry:
    return actions.issue_token(
        acting_user=world.user(Role.RECEPTIONIST),
        patient=world.register(name=name),
        doctor=world.user(Role.DOCTOR),
        facility=world.facility,
    )


def test_the_tv_shows_the_called_token_and_the_next_ones_without_names(
    world: ClinicWorld,
) -> None:
    for name in ("Sunita Devi", "Ramesh Kumar", "Fatima Khan"):
        _token(world, name)
    actions.call_next(doctor=world.user(Role.DOCTOR), facility=world.facility)

    page = world.client(Role.RECEPTIONIST).get("/opd/display/").content.decode()

    assert "अब बुलाया गया" in page
    assert "Now calling" in page
    assert "अगले" in page
    assert '<p class="tv-now mono"><span>1</span></p>' in page
    assert '<p class="tv-next mono"><span>2</span><span>3</span></p>' in page
    for name in ("Sunita", "Ramesh", "Fatima"):
        assert name not in page
    assert "Doctor of Shanti Clinic" in page
    assert 'class="topbar"' not in page


def test_the_tv_polls_a_partial_every_five_seconds(world: ClinicWorld) -> None:
    client = world.client(Role.PHARMACIST)
    page = client.get("/opd/display/").content.decode()
    assert 'hx-get="/opd/display/board/"' in page
    assert 'hx-trigger="every 5s"' in page

    _token(world, "Sunita Devi")
    partial = client.get("/opd/display/board/").content.decode()
    assert "<html" not in partial
    assert '<p class="tv-next mono"><span>1</span></p>' in partial


def test_the_tv_with_no_tokens_says_so_in_both_languages(world: ClinicWorld) -> None:
    page = world.client(Role.RECEPTIONIST).get("/opd/display/board/").content.decode()

    assert "No tokens waiting." in page
    assert "कोई टोकन इंतज़ार में नहीं है।" in page
