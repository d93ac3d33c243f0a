from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from nidaan.clinics.demo import demo_counts
from nidaan.core.models import ChangeLogEntry


@pytest.mark.django_db
def test_demo_creates_a_clinic_with_three_logins_once() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    passwords = dict(line.split() for line in text.splitlines() if line.startswith("  "))
    assert set(passwords) == {"admin", "doctor", "reception"}
    for username, password in passwords.items():
        assert authenticate(username=username, password=password) is not None
    counts = demo_counts()
    assert counts["facilities"] == 1
    assert counts["staff"] == 3
    assert counts["patients"] >= 5
    entries = ChangeLogEntry.objects.count()

    again = StringIO()
    call_command("demo", stdout=again)
    assert "already set up" in again.getvalue()
    assert demo_counts() == counts
    assert ChangeLogEntry.objects.count() == entries


@pytest.mark.django_db
def test_demo_password_sets_all_three() -> None:
    call_command("demo", password="Scripted-Setup-1", stdout=StringIO())
    call_command("demo", password="Scripted-Setup-2", stdout=StringIO())
    for username in ("admin", "doctor", "reception"):
        assert authenticate(username=username, password="Scripted-Setup-2") is not None
