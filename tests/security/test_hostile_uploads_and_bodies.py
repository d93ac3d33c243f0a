"""Hostile input at the edges: an HTML page or a program named .pdf, a file name that
climbs out of its folder, and bodies larger than allowed."""

from __future__ import annotations

import json

from django.test import Client

from nidaan.core.models import ChangeLogEntry
from nidaan.core.permissions import Role
from nidaan.documents.models import Document
from tests.documents.files import pdf_bytes, uploaded
from tests.factories import ClinicWorld


def _upload(world: ClinicWorld, name: str, content: bytes) -> int:
    patient = world.register(name="Upload Target")
    client = world.client(Role.RECEPTIONIST)
    response = client.post(
        f"/documents/patient/{patient.pk}/upload/", {"file": uploaded(name, content)}
    )
    return int(response.status_code)


def test_html_and_programs_named_pdf_are_refused(world: ClinicWorld) -> None:
    for content in (
        b"<!doctype html><script>alert(1)</script>",
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
        b"\x7fELF\x02\x01\x01",  # a Linux program
        b"#!/bin/sh\nrm -rf /\n",
    ):
        assert _upload(world, "report.pdf", content) == 200  # the form, with an error
    assert Document.objects.count() == 0


def test_a_climbing_file_name_stays_a_name(world: ClinicWorld) -> None:
    assert _upload(world, "../../../secret_key.pdf", pdf_bytes()) == 302
    document = Document.objects.get()
    response = world.client(Role.DOCTOR).get(f"/documents/{document.pk}/file")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "/" not in disposition
    assert ".." not in disposition.replace("...", "")


def test_an_oversize_json_body_is_refused_without_a_write(world: ClinicWorld) -> None:
    token = world.token(Role.RECEPTIONIST)
    before = ChangeLogEntry.objects.count()
    body = json.dumps({"name": "x" * (12 * 1024 * 1024), "sex": "F", "age": 30})
    response = Client().post(
        "/api/v1/patients",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert 400 <= response.status_code < 500
    assert ChangeLogEntry.objects.count() == before


def test_an_oversize_form_post_is_refused(world: ClinicWorld) -> None:
    client = world.client(Role.RECEPTIONIST)
    response = client.post(
        "/patients/new/", {"name": "y" * (12 * 1024 * 1024), "sex": "F", "age": "30"}
    )
    assert 400 <= response.status_code < 500
