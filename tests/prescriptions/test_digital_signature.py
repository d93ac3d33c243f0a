"""A doctor's PKCS#12 certificate signs their prescription PDFs (PAdES); the verifier
reports signer, time and integrity, and a changed byte breaks the signature."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from nidaan.encounters.models import Encounter
from nidaan.prescriptions import actions
from nidaan.prescriptions.models import DoctorCertificate
from tests.factories import ClinicWorld
from tests.prescriptions.conftest import draft


def a_pkcs12(name: str, password: bytes, days: int = 365) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=2))
        .not_valid_after(now + dt.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"doctor", key, cert, None, serialization.BestAvailableEncryption(password)
    )


def _verify(path: Path) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("rx", "verify", str(path), stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_uploaded_certificate_signs_pdfs_and_verify_reports_it(
    world: ClinicWorld, visit: Encounter, tmp_path: Path
) -> None:
    client = world.client("doctor")
    p12 = a_pkcs12("Dr. Test Doctor", b"s3cret")
    refused = client.post(
        "/rx/certificate/",
        {"pkcs12": SimpleUploadedFile("me.p12", p12), "password": "wrong"},
    )
    assert refused.status_code == 400
    assert "wrong password" in refused.content.decode()
    saved = client.post(
        "/rx/certificate/",
        {"pkcs12": SimpleUploadedFile("me.p12", p12), "password": "s3cret"},
    )
    assert saved.status_code == 302
    stored = DoctorCertificate.objects.get()
    assert p12 not in bytes(stored.pkcs12_encrypted)  # encrypted at rest
    assert b"s3cret" not in bytes(stored.passphrase_encrypted)

    rx = actions.issue_prescription(visit, draft(), acting_user=world.user("doctor"))
    pdf = client.get(f"/rx/{rx.pk}/pdf/?lang=both&size=A5").content
    assert b"/ByteRange" in pdf
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    status, out = _verify(path)
    assert status == 0, out
    assert "Signature: valid, intact, signed by Common Name: Dr. Test Doctor" in out
    assert "exactly as issued" in out

    flipped = bytearray(pdf)
    at = pdf.index(b"TAB. ") if b"TAB. " in pdf else len(pdf) // 3
    flipped[at] ^= 0x01
    path.write_bytes(bytes(flipped))
    status, out = _verify(path)
    assert status == 1
    assert "BROKEN" in out or "DIFFERS" in out


def test_expired_certificate_is_refused(world: ClinicWorld) -> None:
    p12 = a_pkcs12("Dr. Old", b"pw", days=-1)
    response = world.client("doctor").post(
        "/rx/certificate/", {"pkcs12": SimpleUploadedFile("old.p12", p12), "password": "pw"}
    )
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not DoctorCertificate.objects.exists()


def test_chemist_uploads_the_pdf_on_the_verification_page(
    world: ClinicWorld, visit: Encounter
) -> None:
    from django.test import Client

    rx = actions.issue_prescription(visit, draft(), acting_user=world.user("doctor"))
    pdf = world.client("doctor").get(f"/rx/{rx.pk}/pdf/?lang=en&size=A4").content
    page = Client().post(
        f"/v/{rx.short_code}", {"pdf": SimpleUploadedFile("rx.pdf", pdf, "application/pdf")}
    )
    text = page.content.decode()
    assert "exactly as issued (A4, en)" in text
    assert "Signature: none" in text
