"""Digital signatures on prescription PDFs (PAdES baseline B-B, with pyHanko).

A doctor uploads a PKCS#12 file (.p12/.pfx) and its password once; both are stored
encrypted (Fernet, key derived from SECRET_KEY). Every PDF of that doctor's
prescriptions printed on this PC is then signed as an incremental update: the unsigned
printout is kept byte for byte as the first part of the file, so the verifier can both
check the signature and compare the printout with the record.

Trust: a certificate from a licensed Indian CA chains to the CCA root, which is not
bundled here, so validation reports "trusted: no" for every certificate; what is
checked is that the signature is intact, valid and covers the whole file, and who
signed it when.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import CLI, Origin, record
from nidaan.prescriptions.models import DoctorCertificate


class CertificateError(ValueError):
    pass


def _fernet() -> Any:
    from cryptography.fernet import Fernet

    digest = hashlib.sha256(b"nidaan doctor certificates\0" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    not_after: datetime.datetime


def read_pkcs12(data: bytes, password: str) -> CertificateInfo:
    """Open the file with its password; CertificateError says why it cannot be used."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, cert, _others = pkcs12.load_key_and_certificates(data, password.encode() or None)
    except (ValueError, TypeError) as exc:
        raise CertificateError(_("wrong password, or not a PKCS#12 (.p12/.pfx) file")) from exc
    if key is None or cert is None:
        raise CertificateError(_("the file has no private key and certificate"))
    not_after = cert.not_valid_after_utc
    if not_after <= timezone.now():
        raise CertificateError(_("the certificate has expired"))
    return CertificateInfo(subject=cert.subject.rfc4514_string(), not_after=not_after)


@transaction.atomic
def store_certificate(
    data: bytes, password: str, *, acting_user: User, origin: Origin = CLI
) -> DoctorCertificate:
    """The doctor's new certificate; an earlier one stops being used."""
    info = read_pkcs12(data, password)
    fernet = _fernet()
    DoctorCertificate.objects.filter(doctor=acting_user, active=True).update(active=False)
    row = DoctorCertificate.objects.create(
        organisation_id=acting_user.organisation_uuid,
        doctor=acting_user,
        pkcs12_encrypted=fernet.encrypt(data),
        passphrase_encrypted=fernet.encrypt(password.encode()),
        subject=info.subject,
        not_after=info.not_after,
    )
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=row,
        origin=origin,
        detail={"certificate": info.subject},
    )
    return row


@transaction.atomic
def remove_certificate(*, acting_user: User, origin: Origin = CLI) -> None:
    if DoctorCertificate.objects.filter(doctor=acting_user, active=True).update(active=False):
        record(
            AuditAction.UPDATE, actor=acting_user, origin=origin, detail={"certificate": "removed"}
        )


def active_certificate(doctor_id: Any) -> DoctorCertificate | None:
    return (
        DoctorCertificate.objects.filter(
            doctor_id=doctor_id, active=True, not_after__gt=timezone.now()
        )
        .order_by("-uploaded_at")
        .first()
    )


def sign(pdf: bytes, doctor_id: Any, *, reason: str = "Prescription") -> bytes:
    """`pdf` signed with the doctor's certificate, or unchanged when there is none."""
    row = active_certificate(doctor_id)
    if row is None:
        return pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    fernet = _fernet()
    signer = signers.SimpleSigner.load_pkcs12_data(
        fernet.decrypt(bytes(row.pkcs12_encrypted)),
        other_certs=[],
        passphrase=fernet.decrypt(bytes(row.passphrase_encrypted)) or None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="Doctor", reason=reason)
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


@dataclass(frozen=True)
class SignatureReport:
    signer: str
    signed_at: datetime.datetime | None
    intact: bool
    valid: bool
    covers_whole_file: bool
    trusted: bool

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.covers_whole_file


def signature_of(pdf: bytes) -> SignatureReport | None:
    """The first signature of `pdf`, checked; None for an unsigned file."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any unreadable file is simply "not signed"
        return None
    if not signatures:
        return None
    embedded = signatures[0]
    # Without a trust root pyhanko logs the untrusted chain as an error: expected here.
    quiet = logging.getLogger("pyhanko")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        # No trust roots on purpose (see the module's docstring): never the OS's list.
        status = validate_pdf_signature(
            embedded, signer_validation_context=ValidationContext(trust_roots=[])
        )
    except SignatureValidationError:
        return SignatureReport("", None, False, False, False, False)
    finally:
        quiet.setLevel(level)
    return SignatureReport(
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact),
        valid=bool(status.valid),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        trusted=bool(status.trusted),
    )
