"""A doctor switches two-step login on; then a password alone no longer logs in."""

from __future__ import annotations

import re

import pyotp
from django.test import Client

from nidaan.accounts import two_factor
from nidaan.accounts.models import TwoFactorDevice
from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core.permissions import Role
from tests.factories import PASSWORD, ClinicWorld

LOGIN = "/accounts/login/"


def _switch_on(world: ClinicWorld) -> pyotp.TOTP:
    client = world.client(Role.DOCTOR)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Recommended for your role" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page  # the QR code to scan
    key = re.search(r'id="two-factor-key">([A-Z2-7 ]+)<', page)
    assert key is not None
    totp = pyotp.TOTP(key.group(1).replace(" ", ""))
    assert client.post("/accounts/two-factor/", {"code": "000000"}).status_code == 200
    assert not two_factor.is_enabled(world.user(Role.DOCTOR))
    response = client.post("/accounts/two-factor/", {"code": totp.now()})
    assert response.status_code == 302
    assert two_factor.is_enabled(world.user(Role.DOCTOR))
    return totp


def test_password_then_code_logs_in(world: ClinicWorld) -> None:
    totp = _switch_on(world)
    TwoFactorDevice.objects.update(last_step=0)  # the set-up code may be reused here
    doctor = world.user(Role.DOCTOR)
    client = Client()
    response = client.post(LOGIN, {"username": doctor.username, "password": PASSWORD})
    assert response["Location"] == "/accounts/login/code/"
    assert client.get("/").status_code == 302  # not logged in by the password alone
    assert client.post("/accounts/login/code/", {"code": "123456"}).status_code == 401
    assert client.post("/accounts/login/code/", {"code": totp.now()}).status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN, actor_id=doctor.pk, detail__two_factor=True
    ).exists()


def test_a_code_works_only_once(world: ClinicWorld) -> None:
    totp = _switch_on(world)
    doctor = world.user(Role.DOCTOR)
    client = Client()
    client.post(LOGIN, {"username": doctor.username, "password": PASSWORD})
    # The code that confirmed the set-up cannot be replayed to log in.
    assert client.post("/accounts/login/code/", {"code": totp.now()}).status_code == 401


def test_the_secret_is_not_stored_in_clear(world: ClinicWorld) -> None:
    _switch_on(world)
    device = TwoFactorDevice.objects.get(user=world.user(Role.DOCTOR))
    assert two_factor.secret_of(device) not in device.sealed_secret


def test_code_page_without_a_password_goes_back_to_login(world: ClinicWorld) -> None:
    response = Client().get("/accounts/login/code/")
    assert response["Location"] == "/accounts/login/"
