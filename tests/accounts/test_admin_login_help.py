"""The admin helps a member of staff: unlocks a locked login, switches off two-step login
after a lost phone, and logs a stolen password out everywhere; each step is audited."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from nidaan.accounts import throttle, two_factor
from nidaan.accounts.models import TwoFactorDevice
from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core.permissions import Role
from tests.factories import PASSWORD, ClinicWorld

LOGIN = "/accounts/login/"


def test_admin_unlocks_switches_off_two_step_and_ends_sessions(world: ClinicWorld) -> None:
    doctor = world.user(Role.DOCTOR)
    url = f"/accounts/staff/{doctor.pk}/"
    for _ in range(5):
        Client().post(LOGIN, {"username": doctor.username, "password": "guess"})
    assert throttle.is_locked(doctor.username, None)
    device = two_factor.pending_device(doctor)
    TwoFactorDevice.objects.filter(pk=device.pk).update(confirmed_at="2026-01-01T00:00:00Z")
    admin = world.client(Role.ADMIN)
    page = admin.get(url).content.decode()
    assert "Locked after failed attempts" in page
    assert "Switch off two-step login" in page

    admin.post(url, {"what": "unlock"})
    assert not throttle.is_locked(doctor.username, None)
    admin.post(url, {"what": "two_factor"})
    assert not two_factor.is_enabled(doctor)
    browser = Client()
    assert (
        browser.post(LOGIN, {"username": doctor.username, "password": PASSWORD}).status_code == 302
    )
    admin.post(url, {"what": "sessions"})
    assert browser.get("/").status_code == 302
    details = list(
        AuditEvent.objects.filter(entity_id=doctor.pk, actor_id=world.user(Role.ADMIN).pk)
        .exclude(action=AuditAction.CREATE)
        .values_list("action", flat=True)
    )
    assert details.count(AuditAction.UPDATE) == 2
    assert details.count(AuditAction.SESSION_END) == 1


def test_only_the_admin_helps(world: ClinicWorld) -> None:
    doctor = world.user(Role.DOCTOR)
    assert world.client(Role.NURSE).get(f"/accounts/staff/{doctor.pk}/").status_code == 403


def test_another_organisations_staff_are_not_found(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    other = other_world()
    url = f"/accounts/staff/{world.user(Role.DOCTOR).pk}/"
    assert other.client(Role.ADMIN).get(url).status_code == 404
