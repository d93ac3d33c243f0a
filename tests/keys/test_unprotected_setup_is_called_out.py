"""While the key sits in plain beside the data (`make run` on a PC with no keyring), every
page and `nidaan keys status` say the set-up is not protected and how to fix it; a
protected node shows nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from nidaan import keys
from nidaan.core.permissions import Role
from tests.factories import ClinicWorld
from tests.keys.nodes import nidaan


def test_every_page_warns_while_the_key_is_beside_the_data(world: ClinicWorld) -> None:
    assert keys.unlock().protected is False  # the test run's node: no keyring, plain file
    page = world.client(Role.RECEPTIONIST).get("/patients/?q=ram", follow=True)
    assert page.status_code == 200
    assert "This set-up is NOT protected" in page.content.decode()
    assert "nidaan keys protect" in page.content.decode()


def test_no_warning_once_the_key_is_given_from_outside(
    world: ClinicWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIDAAN_MASTER_KEY", keys.recovery_text(keys.master_key()))
    page = world.client(Role.ADMIN).get("/", follow=True)
    assert page.status_code == 200
    assert "NOT protected" not in page.content.decode()


def test_keys_status_says_it(tmp_path: Path) -> None:
    status = nidaan(tmp_path, "keys", "status")
    assert status.returncode == 0, status.stderr
    assert "Master key from: plain key file" in status.stdout
    assert "This set-up is NOT protected" in status.stdout
    assert "OS keyring: none" in status.stdout
