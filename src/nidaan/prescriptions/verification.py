"""Checking a prescription PDF someone hands over: is it one this clinic issued, does
it still stand, and is the file exactly as issued?

Every printout carries its short code in the PDF's Subject and how it was printed
(language, size, verification address) in its Keywords. Rendering is deterministic (the
creation date is the issue time), so re-rendering the stored version the same way gives
the same bytes: any edit to the file, however small, shows as a difference. A digital
signature (PAdES) is not made yet, so none is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from nidaan.prescriptions import records
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

    @property
    def ok(self) -> bool:
        return bool(
            self.verification is not None and self.verification.state == "valid" and self.identical
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
    return FileCheck(
        short_code=code,
        verification=verification,
        identical=again == pdf,
        language=language,
        size=size,
    )


def report_lines(check: FileCheck) -> list[str]:
    """What `nidaan rx verify` prints, one fact per line."""
    if check.short_code is None:
        return ["Not a Nidaan prescription: the file carries no prescription code."]
    v = check.verification
    if v is None:
        return [f"Code {check.short_code}: no such prescription in this clinic's records."]
    states: dict[str, Any] = {
        "valid": "valid (the newest version, not cancelled)",
        "replaced": "REPLACED by a newer version: dispense only from the newer printout",
        "cancelled": "CANCELLED by the doctor: do not dispense",
    }
    lines = [
        f"Prescription {check.short_code}, version {v.rx.version_number}: {states[v.state]}",
        f"Clinic: {v.clinic}" + (f" / {v.clinic_hi}" if v.clinic_hi else ""),
        f"Doctor: {v.doctor}" + (f", Reg. No. {v.registration}" if v.registration else ""),
        f"Issued: {v.rx.recorded_at:%d-%m-%Y %H:%M} UTC",
        "Medicines: " + "; ".join(v.drugs),
    ]
    if check.identical is None:
        lines.append("Integrity: unknown (the file does not say how it was printed)")
    elif check.identical:
        lines.append(f"Integrity: the file is exactly as issued ({check.size}, {check.language})")
    else:
        lines.append("Integrity: the file DIFFERS from the issued prescription: it was altered")
    lines.append("Signature: none (digital signatures are not made yet)")
    return lines
