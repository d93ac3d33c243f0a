"""The sync pages: the hub admin enrols and revokes PCs; a node shows its status strip."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.utils import timezone

from nidaan.core.permissions import Role
from nidaan.sync import actions
from nidaan.sync.models import EnrolledNode, SyncState
from tests.factories import ClinicWorld


def test_hub_admin_creates_a_code_that_enrols_once_and_can_revoke_the_pc(
    world: ClinicWorld, settings: Any
) -> None:
    settings.NIDAAN_ROLE = "hub"
    admin = world.client(Role.ADMIN)
    page = admin.post("/sync/nodes/", {"facility": str(world.facility.pk)}).content.decode()
    found = re.search(r'id="enrolment-code">([A-Z0-9-]+)<', page)
    assert found, "the code is shown once on the page"
    enrolment = actions.enrol_node(
        code=found.group(1), node_id=uuid.uuid4(), uhid_prefix="ZZ9Z", name="Reception PC"
    )
    assert enrolment.node.series == "A"
    listing = admin.get("/sync/nodes/").content.decode()
    assert "Reception PC" in listing
    admin.post("/sync/nodes/", {"revoke": str(enrolment.node.pk)})
    assert EnrolledNode.objects.get().revoked_at is not None
    assert "Revoked" in admin.get("/sync/nodes/").content.decode()
    assert world.client(Role.RECEPTIONIST).get("/sync/nodes/").status_code == 403


def test_sync_endpoints_are_not_served_by_a_node(world: ClinicWorld) -> None:
    response = world.client(Role.ADMIN).post("/sync/v1/push", {}, content_type="application/json")
    assert response.status_code == 404


def test_an_enrolled_node_shows_its_sync_status_on_every_page(world: ClinicWorld) -> None:
    home = world.client(Role.RECEPTIONIST).get("/").content.decode()
    assert "sync-strip" not in home  # a lone PC has nothing to report
    SyncState.objects.create(
        hub_url="https://hub.example.in",
        credential="x",
        organisation_id=world.organisation.pk,
        facility_id=world.facility.pk,
        last_success_at=timezone.now(),
    )
    world.register(name="Waiting To Send")
    home = world.client(Role.RECEPTIONIST).get("/").content.decode()
    assert "sync-strip online" in home
    assert re.search(r"\d+ changes waiting to be sent", home)
    actions.note_attempt(error="hub unreachable: connection refused")
    home = world.client(Role.RECEPTIONIST).get("/").content.decode()
    assert "sync-strip offline" in home
    assert "connection refused" in home
    status = world.client(Role.ADMIN).get("/sync/").content.decode()
    assert "https://hub.example.in" in status
