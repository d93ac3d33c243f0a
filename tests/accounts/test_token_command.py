from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from nidaan.accounts.models import ApiToken
from nidaan.core.permissions import Role
from tests.factories import ClinicWorld


def test_token_create_prints_a_working_token_on_its_last_line(world: ClinicWorld) -> None:
    out = StringIO()
    call_command("token", "create", world.user(Role.DOCTOR).username, stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    response = Client().get("/api/v1/patients?q=x", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    # Only the digest is stored.
    assert not ApiToken.objects.filter(digest=token).exists()


def test_unknown_user_is_a_clear_error(world: ClinicWorld) -> None:
    with pytest.raises(CommandError, match="no active user named 'ghost'"):
        call_command("token", "create", "ghost")


def test_a_wrong_token_is_refused(world: ClinicWorld) -> None:
    response = Client().get("/api/v1/patients?q=x", HTTP_AUTHORIZATION="Bearer ndn_forged")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]
