"""Hypothesis fuzzing of every parser that takes outside text or bytes: each either
answers or refuses with its own error, never crashes.

    NIDAAN_FUZZ_EXAMPLES=5000 pytest tests/security/test_parsers_fuzz.py   # long mode
"""

from __future__ import annotations

import os

import pytest
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nidaan.core import uhid
from nidaan.documents import filetypes
from nidaan.documents.uploads import check_upload
from nidaan.patients import identifiers, names
from nidaan.patients.forms import PatientForm
from nidaan.patients.search import search_patients
from tests.factories import ClinicWorld

EXAMPLES = int(os.environ.get("NIDAAN_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text as it arrives from a keyboard, a paste or a QR scanner: any script, controls too.
TEXT = st.text(st.characters(codec="utf-8"), max_size=80) | st.sampled_from(
    ["", " ", "\x00", "९८७६५४३२१०", "+91 98765 43210", "../../etc/passwd", "रमेश\u200dकुमार"]
)


@FUZZ
@given(TEXT)
def test_mobile_number(text: str) -> None:
    try:
        digits = identifiers.normalise_mobile(text)
    except ValidationError:
        return
    assert len(digits) == 10
    assert digits.isdigit()


@FUZZ
@given(TEXT)
def test_abha_number_and_address(text: str) -> None:
    for parse in (identifiers.normalise_abha_number, identifiers.normalise_abha_address):
        try:
            parse(text)
        except ValidationError:
            pass


@FUZZ
@given(TEXT)
def test_uhid(text: str) -> None:
    try:
        value = uhid.parse(text)
    except uhid.InvalidUHID:
        return
    assert uhid.parse(value) == value


@FUZZ
@given(TEXT)
def test_names_romanise(text: str) -> None:
    assert isinstance(names.romanize(names.clean(text)), str)


@FUZZ
@given(st.binary(max_size=64), TEXT)
def test_upload_type_by_content(head: bytes, filename: str) -> None:
    kind = filetypes.sniff(head)
    assert kind in (None, filetypes.PDF, filetypes.JPEG, filetypes.PNG)
    filetypes.describe_other(head)
    filetypes.claimed_by_name(filename)
    if kind is not None:
        # The name a download is offered under never carries a directory (traversal).
        name = filetypes.filename_for(filename, kind)
        assert "/" not in name
        assert name not in ("", ".", "..")


@FUZZ
@given(st.binary(max_size=2048), TEXT)
def test_upload_checks(content: bytes, filename: str) -> None:
    try:
        upload = SimpleUploadedFile(filename.replace("\x00", "") or "x", content)
    except SuspiciousFileOperation:
        return  # Django refuses such a name (e.g. "/") before any of our code sees it
    try:
        check_upload(upload)
    except ValidationError:
        pass


@pytest.mark.django_db
@FUZZ
@given(
    st.fixed_dictionaries(
        {},
        optional={
            field: TEXT
            for field in ("name", "sex", "age", "date_of_birth", "mobile", "pin", "abha_number")
        },
    )
)
def test_registration_form(data: dict[str, str]) -> None:
    form = PatientForm(data)
    if form.is_valid():
        assert form.demographics()
    else:
        assert form.errors


@pytest.mark.django_db
def test_search_box(world: ClinicWorld) -> None:
    world.register(name="Ramesh Kumar")

    @FUZZ
    @given(TEXT)
    def search(text: str) -> None:
        hits = search_patients(world.organisation.pk, text)
        assert isinstance(hits, list)

    search()
