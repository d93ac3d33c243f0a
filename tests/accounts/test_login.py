from __future__ import annotations

from django.test import Client

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core.permissions import Role
from tests.factories import PASSWORD, ClinicWorld

LOGIN = "/accounts/login/"


def test_staff_log_in_with_their_password(world: ClinicWorld) -> None:
    user = world.user(Role.RECEPTIONIST)
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor_id=user.pk).exists()


def test_passwords_are_stored_as_argon2(world: ClinicWorld) -> None:
    user = world.user(Role.DOCTOR)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


def test_wrong_password_is_refused_and_recorded(world: ClinicWorld) -> None:
    user = world.user(Role.NURSE)
    response = Client().post(LOGIN, {"username": user.username, "password": "nope"})
    assert response.status_code == 401
    assert "Wrong username or password." in response.content.decode()
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.LOGIN_FAILED, actor_username=user.username
        ).count()
        == 1
    )


def test_repeated_failures_lock_the_username_even_for_the_right_password(
    world: ClinicWorld, settings: object
) -> None:
    user = world.user(Role.BILLING)
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": user.username, "password": "guess"})
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert client.get("/").status_code == 302  # still logged out
    # Another user on the same PC is not locked out by it.
    other = world.user(Role.DOCTOR)
    assert client.post(LOGIN, {"username": other.username, "password": PASSWORD}).status_code == 302


def test_a_successful_login_clears_earlier_failures(world: ClinicWorld) -> None:
    user = world.user(Role.PHARMACIST)
    client = Client()
    for _ in range(4):
        client.post(LOGIN, {"username": user.username, "password": "guess"})
    assert client.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        client.post(LOGIN, {"username": user.username, "password": "guess"})
    assert client.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302


def test_sessions_expire_after_idle_time(world: ClinicWorld) -> None:
    client = Client()
    client.post(LOGIN, {"username": world.user(Role.DOCTOR).username, "password": PASSWORD})
    assert client.session.get_expiry_age() == 30 * 60
    client.get("/")
    # Every request pushes the expiry forward (idle timeout, not absolute).
    assert client.session.get_expiry_age() == 30 * 60


def test_logout_needs_post_and_ends_the_session(world: ClinicWorld) -> None:
    client = world.client(Role.DOCTOR)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_login_redirect_stays_on_this_site(world: ClinicWorld) -> None:
    response = Client().post(
        LOGIN + "?next=https://evil.example/",
        {"username": world.user(Role.DOCTOR).username, "password": PASSWORD},
    )
    assert response["Location"] == "/"
