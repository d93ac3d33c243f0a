"""The PDF a patient walks out with: registration number, generic names in capitals,
instructions in Hindi and English, on A4 or A5; and the public verification page."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from nidaan.encounters.models import Encounter
from nidaan.prescriptions import actions
from tests.factories import ClinicWorld
from tests.prescriptions.conftest import draft
from tests.printing.conftest import pdf_info, pdf_text, squeeze


@pytest.mark.parametrize(
    ("lang", "english", "hindi"), [("both", True, True), ("en", True, False), ("hi", False, True)]
)
def test_pdf_in_each_language(
    world: ClinicWorld, visit: Encounter, lang: str, english: bool, hindi: bool
) -> None:
    rx = actions.issue_prescription(visit, draft(), acting_user=world.user("doctor"))
    response = world.client("doctor").get(f"/rx/{rx.pk}/pdf/?lang={lang}&size=A5")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "BMC 1234" in text  # the doctor's registration number (MCI 1.4.1)
    assert "TAB. PARACETAMOL 650 mg" in text  # generic in capitals (MCI 1.5)
    assert rx.short_code in text
    assert ("1 morning, 1 afternoon, 1 night, after food, 3 days" in text) == english
    assert (squeeze("सुबह 1, दोपहर 1, रात 1, खाने के बाद, 3 दिन") in squeeze(text)) == hindi
    assert pdf_info(response.content)["Page size"].startswith("419.53 x 595.28")


def test_a4_and_bad_options(world: ClinicWorld, visit: Encounter) -> None:
    rx = actions.issue_prescription(visit, draft(), acting_user=world.user("doctor"))
    client = world.client("pharmacist")
    a4 = client.get(f"/rx/{rx.pk}/pdf/?lang=en&size=A4")
    assert pdf_info(a4.content)["Page size"].startswith("595.28 x 841.89")
    assert client.get(f"/rx/{rx.pk}/pdf/?lang=fr").status_code == 404
    assert client.get(f"/rx/{rx.pk}/pdf/?size=80mm").status_code == 404


def test_browser_print_view_has_the_same_content(world: ClinicWorld, visit: Encounter) -> None:
    rx = actions.issue_prescription(visit, draft(), acting_user=world.user("doctor"))
    page = world.client("doctor").get(f"/rx/{rx.pk}/print/?lang=both").content.decode()
    for expected in ("BMC 1234", "TAB. PARACETAMOL 650 mg", "खाने के बाद", rx.short_code):
        assert expected in page


def test_verification_page_shows_clinic_doctor_date_drugs_and_no_patient(
    world: ClinicWorld, visit: Encounter
) -> None:
    from django.test import Client

    rx = actions.issue_prescription(visit, draft(), acting_user=world.user("doctor"))
    page = Client().get(f"/v/{rx.short_code.lower()}").content.decode()
    assert "Genuine" in page
    assert world.organisation.name in page
    assert "TAB. CETIRIZINE 10 mg" in page
    assert "Ramesh" not in page
    assert visit.patient.uhid not in page
    assert Client().get("/v/NOSUCH00").status_code == 404


def test_other_organisation_gets_404(
    world: ClinicWorld, visit: Encounter, other_world: Callable[[], ClinicWorld]
) -> None:
    rx = actions.issue_prescription(visit, draft(), acting_user=world.user("doctor"))
    stranger = other_world().client("admin")
    assert stranger.get(f"/rx/{rx.pk}/pdf/").status_code == 404
    assert stranger.get(f"/rx/{rx.pk}/print/").status_code == 404


def test_qr_points_at_the_hub_when_its_address_is_set(
    world: ClinicWorld, visit: Encounter, settings: object
) -> None:
    settings.NIDAAN_PUBLIC_URL = "https://hub.nidaan.example/"  # type: ignore[attr-defined]
    rx = actions.issue_prescription(visit, draft(), acting_user=world.user("doctor"))
    text = pdf_text(world.client("doctor").get(f"/rx/{rx.pk}/pdf/").content)
    assert f"https://hub.nidaan.example/v/{rx.short_code}" in text


def test_printed_qr_code_scans_to_the_verification_page(
    world: ClinicWorld, visit: Encounter, tmp_path: Path
) -> None:
    rx = actions.issue_prescription(visit, draft(), acting_user=world.user("doctor"))
    pdf = tmp_path / "rx.pdf"
    pdf.write_bytes(world.client("doctor").get(f"/rx/{rx.pk}/pdf/?size=A5").content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert scanned == f"http://testserver/v/{rx.short_code}"
    assert Client().get(scanned.removeprefix("http://testserver")).status_code == 200
