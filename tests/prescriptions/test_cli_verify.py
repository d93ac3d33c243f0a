"""`nidaan rx verify FILE.pdf`: genuine and unaltered, altered, replaced, unknown."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from nidaan.encounters.models import Encounter
from nidaan.prescriptions import actions
from tests.factories import ClinicWorld
from tests.prescriptions.conftest import draft


def _verify(path: Path) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("rx", "verify", str(path), stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_printed_pdf_verifies_and_an_edited_one_does_not(
    world: ClinicWorld, visit: Encounter, tmp_path: Path
) -> None:
    rx = actions.issue_prescription(visit, draft(), acting_user=world.user("doctor"))
    pdf = world.client("doctor").get(f"/rx/{rx.pk}/pdf/?lang=both&size=A5").content
    good = tmp_path / "rx.pdf"
    good.write_bytes(pdf)
    status, out = _verify(good)
    assert status == 0, out
    assert f"Prescription {rx.short_code}, version 1: valid" in out
    assert "BMC 1234" in out
    assert "TAB. PARACETAMOL 650 mg" in out
    assert "exactly as issued (A5, both)" in out

    # One changed byte anywhere in the file is enough.
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(pdf.replace(b"/Creator", b"/Creatox", 1))
    status, out = _verify(tampered)
    assert status == 1
    assert "DIFFERS" in out


def test_replaced_version_is_reported(world: ClinicWorld, visit: Encounter, tmp_path: Path) -> None:
    doctor = world.user("doctor")
    rx = actions.issue_prescription(visit, draft(), acting_user=doctor)
    pdf = world.client("doctor").get(f"/rx/{rx.pk}/pdf/?lang=hi&size=A4").content
    actions.revise_prescription(rx, draft(advice="Rest"), acting_user=doctor, reason="advice")
    path = tmp_path / "old.pdf"
    path.write_bytes(pdf)
    status, out = _verify(path)
    assert status == 1
    assert "REPLACED" in out


@pytest.mark.django_db
def test_a_pdf_from_elsewhere_is_not_a_prescription(tmp_path: Path) -> None:
    path = tmp_path / "other.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    status, out = _verify(path)
    assert status == 1
    assert "Not a Nidaan prescription" in out
