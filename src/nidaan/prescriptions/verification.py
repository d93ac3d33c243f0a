"""Checking a prescription PDF someone hands over: is it one this clinic issued, does
it still stand, and is the file exactly as issued?

Every printout carries its short code in the PDF's Subject and how it was printed
(language, size, verification address) in its Keywords. Rendering is deterministic (the
creation date is the issue time), so re-rendering the stored version the same way gives
the same bytes: any edit to the file, however small, shows as a difference. A signed
file is the printout followed by the signature's incremental update: the signature is
validated, and the part before it compared with the re-rendered printout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from nidaan.prescriptions import records, signing
from nidaan.prescriptions.printout import STAMP_PREFIX, render
from nidaan.printing import LANGUAGES, page_size

_SUBJECT = re.compile(rb"/Subject \(" + re.escape(STAMP_PREFIX.encode()) + rb"([0-9A-Z]{6,12})\)")
_KEYWORDS = re.compile(rb"/Keywords \(lang=(\w+) size=(\w+) url=([^)\s]+)\)")


@dataclass(frozen=True)
class FileCheck:
    short_code: str | None
    verification: records.Verification | None
    identical: bool | None
    language: str = ""
    size: str = ""
    signature: signing.SignatureReport | None = None

    @property
    def ok(self) -> bool:
        return bool(
            self.verification is not None
            and self.verification.state == "valid"
            and self.identical
            and (self.signature is None or self.signature.ok)
        )


def check_file(pdf: bytes) -> FileCheck:
    subject = _SUBJECT.search(pdf)
    if subject is None:
        return FileCheck(short_code=None, verification=None, identical=None)
    code = subject.group(1).decode()
    verification = records.verify(code)
    keywords = _KEYWORDS.search(pdf)
    if verification is None or keywords is None:
        return FileCheck(short_code=code, verification=verification, identical=None)
    language, size, url = (part.decode() for part in keywords.groups())
    if language not in LANGUAGES:
        return FileCheck(short_code=code, verification=verification, identical=False)
    base = url.removesuffix(f"/v/{code}")
    printout = records.printout_for(verification.rx, base)
    again = render(printout, language, page_size(size))
    signature = signing.signature_of(pdf)
    # Signed: the printout is the file's first part, the signature's update the rest.
    identical = pdf.startswith(again) if signature is not None else again == pdf
    return FileCheck(
        short_code=code,
        verification=verification,
        identical=identical,
        language=language,
        size=size,
        signature=signature,
    )


def report_lines(check: FileCheck) -> list[str]:
    """What `nidaan rx verify` and the verification page say, one fact per line."""
    if check.short_code is None:
        return [_("Not a Nidaan prescription: the file carries no prescription code.")]
    v = check.verification
    if v is None:
        return [
            _("Code %(code)s: no such prescription in this clinic's records.")
            % {"code": check.short_code}
        ]
    states: dict[str, Any] = {
        "valid": _("valid (the newest version, not cancelled)"),
        "replaced": _("REPLACED by a newer version: dispense only from the newer printout"),
        "cancelled": _("CANCELLED by the doctor: do not dispense"),
    }
    clinic = f"{v.clinic} / {v.clinic_hi}" if v.clinic_hi else v.clinic
    doctor = f"{v.doctor}, {v.registration}" if v.registration else v.doctor
    lines = [
        _("Prescription %(code)s, version %(number)s: %(state)s")
        % {"code": check.short_code, "number": v.rx.version_number, "state": states[v.state]},
        _("Clinic: %(clinic)s") % {"clinic": clinic},
        _("Doctor: %(doctor)s") % {"doctor": doctor},
        _("Issued: %(when)s UTC") % {"when": f"{v.rx.recorded_at:%d-%m-%Y %H:%M}"},
        _("Medicines: %(drugs)s") % {"drugs": "; ".join(v.drugs)},
    ]
    if check.identical is None:
        lines.append(_("Integrity: unknown (the file does not say how it was printed)"))
    elif check.identical:
        lines.append(
            _("Integrity: the file is exactly as issued (%(size)s, %(language)s)")
            % {"size": check.size, "language": check.language}
        )
    else:
        lines.append(_("Integrity: the file DIFFERS from the issued prescription: it was altered"))
    sig = check.signature
    if sig is None:
        lines.append(_("Signature: none (the doctor has no signing certificate on this PC)"))
    elif sig.ok:
        when = f"{sig.signed_at:%d-%m-%Y %H:%M %Z}" if sig.signed_at else "?"
        lines.append(
            _("Signature: valid, intact, signed by %(signer)s at %(when)s")
            % {"signer": sig.signer, "when": when}
        )
        if not sig.trusted:
            lines.append(_("(The certificate was not checked against a trusted root.)"))
    else:
        lines.append(_("Signature: BROKEN: the file was changed after it was signed"))
    return lines
