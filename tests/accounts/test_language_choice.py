from __future__ import annotations

from nidaan.core.permissions import Role
from tests.factories import ClinicWorld


def test_a_user_switches_the_whole_ui_to_hindi_and_back(world: ClinicWorld) -> None:
    user = world.user(Role.RECEPTIONIST)
    client = world.client(Role.RECEPTIONIST)
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page

    response = client.post("/accounts/language/", {"language": "hi", "next": "/patients/new/"})
    assert response["Location"] == "/patients/new/"
    user.refresh_from_db()
    assert user.language == "hi"
    page = client.get("/patients/new/").content.decode()
    assert '<html lang="hi">' in page
    assert "नया मरीज़" in page

    client.post("/accounts/language/", {"language": "en"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_an_unknown_language_is_ignored(world: ClinicWorld) -> None:
    client = world.client(Role.NURSE)
    client.post("/accounts/language/", {"language": "xx"})
    user = world.user(Role.NURSE)
    user.refresh_from_db()
    assert user.language == "en"
