"""A member of staff sees their logged-in browsers and logs out of all the others."""

from __future__ import annotations

from django.test import Client

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core.permissions import Role
from tests.factories import PASSWORD, ClinicWorld

LOGIN = "/accounts/login/"


def _logged_in(username: str, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 302
    client.get("/")
    return client


def test_log_out_everywhere_else(world: ClinicWorld) -> None:
    username = world.user(Role.RECEPTIONIST).username
    home = _logged_in(username, "Reception PC")
    phone = _logged_in(username, "Shared phone")
    page = home.get("/accounts/sessions/").content.decode()
    assert "Reception PC" in page
    assert "Shared phone" in page
    response = home.post("/accounts/sessions/")
    assert response.status_code == 302
    assert phone.get("/").status_code == 302  # that browser is logged out
    assert home.get("/").status_code == 200  # this one is not
    page = home.get("/accounts/sessions/").content.decode()
    assert "Shared phone" not in page
    event = AuditEvent.objects.get(action=AuditAction.SESSION_END)
    assert event.detail == {"sessions": 1}
