"""Every printout writes exactly one `print` audit event naming the document printed,
and the patient's "who saw my record" report lists it."""

from __future__ import annotations

import pytest
from django.test import Client

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core.permissions import Role
from tests.factories import ClinicWorld
from tests.records_chart import Chart, make_chart

# The chart stores a report: its file goes to this test's own directory.
pytestmark = pytest.mark.usefixtures("data_dir")


@pytest.fixture
def chart(world: ClinicWorld) -> Chart:
    return make_chart(world, with_bill=True)


def _printed_once(chart: Chart, client: Client, url: str, **headers: str) -> AuditEvent:
    before = set(AuditEvent.objects.filter(action=AuditAction.PRINT).values_list("pk", flat=True))
    response = client.get(url, **headers)  # type: ignore[arg-type]
    assert response.status_code == 200, url
    new = AuditEvent.objects.filter(action=AuditAction.PRINT).exclude(pk__in=before)
    assert new.count() == 1, url
    event = new.get()
    assert event.patient_id == chart.patient.pk
    return event


@pytest.mark.parametrize("size", ["A5", "A4"])
def test_prescription_pdf(world: ClinicWorld, chart: Chart, size: str) -> None:
    url = f"/rx/{chart.rx.pk}/pdf/?lang=both&size={size}"
    event = _printed_once(chart, world.client(Role.DOCTOR), url)
    assert event.entity == "prescriptions.prescription"
    assert event.entity_id == chart.rx.pk
    assert event.detail == {
        "printed": "prescription",
        "number": chart.rx.short_code,
        "version": 1,
        "format": "pdf",
        "language": "both",
        "size": size,
    }
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, entity_id=chart.rx.pk).exists()


def test_prescription_browser_print_view(world: ClinicWorld, chart: Chart) -> None:
    url = f"/rx/{chart.rx.pk}/print/?lang=hi"
    event = _printed_once(chart, world.client(Role.PHARMACIST), url)
    assert event.detail["format"] == "browser"
    assert event.detail["number"] == chart.rx.short_code


def test_prescription_pdf_through_the_api(world: ClinicWorld, chart: Chart) -> None:
    url = f"/api/v1/prescriptions/{chart.rx.pk}/pdf"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.token(Role.DOCTOR)}"}
    event = _printed_once(chart, Client(), url, **auth)
    assert event.channel == "api"
    assert event.detail["number"] == chart.rx.short_code


@pytest.mark.parametrize("size", ["A4", "A5", "80mm"])
def test_bill_pdf_every_size(world: ClinicWorld, chart: Chart, size: str) -> None:
    assert chart.bill is not None
    url = f"/billing/{chart.bill.pk}/pdf/?size={size}&lang=hi"
    event = _printed_once(chart, world.client(Role.RECEPTIONIST), url)
    assert event.entity == "billing.bill"
    assert event.detail == {
        "printed": "bill",
        "number": chart.bill.number,
        "format": "pdf",
        "language": "hi",
        "size": size,
    }


def test_bill_pdf_through_the_api(world: ClinicWorld, chart: Chart) -> None:
    assert chart.bill is not None
    url = f"/api/v1/bills/{chart.bill.pk}/pdf?size=80mm"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.token(Role.BILLING)}"}
    event = _printed_once(chart, Client(), url, **auth)
    assert event.channel == "api"
    assert event.detail["number"] == chart.bill.number


def test_records_summary(world: ClinicWorld, chart: Chart) -> None:
    url = f"/privacy/patient/{chart.patient.pk}/records/pdf/"
    event = _printed_once(chart, world.client(Role.ADMIN), url)
    assert event.detail["printed"] == "records-summary"


def test_a_refused_or_failed_printout_writes_no_print_event(
    world: ClinicWorld, chart: Chart
) -> None:
    assert chart.bill is not None
    world.client(Role.RECEPTIONIST).get(f"/rx/{chart.rx.pk}/pdf/")  # 403
    world.client(Role.RECEPTIONIST).get(f"/billing/{chart.bill.pk}/pdf/?size=A3")  # 404
    assert not AuditEvent.objects.filter(action=AuditAction.PRINT).exists()


def test_who_saw_my_record_lists_each_printout(world: ClinicWorld, chart: Chart) -> None:
    assert chart.bill is not None
    world.client(Role.DOCTOR).get(f"/rx/{chart.rx.pk}/pdf/")
    world.client(Role.RECEPTIONIST).get(f"/billing/{chart.bill.pk}/pdf/")
    world.client(Role.DOCTOR).get(f"/privacy/patient/{chart.patient.pk}/records/pdf/")
    page = world.client(Role.ADMIN).get(f"/audit/patient/{chart.patient.pk}/")
    text = page.content.decode()
    assert text.count("Printed") == 3
    assert f"Prescription {chart.rx.short_code}" in text
    assert f"Bill {chart.bill.number}" in text
    assert "Records summary (PDF)" in text
    assert world.user(Role.RECEPTIONIST).get_full_name() in text
