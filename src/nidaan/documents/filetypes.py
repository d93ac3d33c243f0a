"""What an uploaded file really is, decided by its first bytes.

A file's name and the browser's content type are whatever the sender says: a program
renamed `report.pdf` must not be stored and later served to a doctor's browser as a PDF.
Only the content decides, and only PDF, JPEG and PNG are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

ALLOWED = (PDF, JPEG, PNG)

# The accept attribute of the upload page's file input.
ACCEPT = ",".join(ALLOWED)

EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}

# What a file name claims, for a clearer refusal when the content says otherwise.
_CLAIMED = {".pdf": "PDF", ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}

# Enough to recognise every signature below.
HEAD_BYTES = 16


@dataclass(frozen=True)
class _Signature:
    magic: bytes
    offset: int = 0

    def matches(self, head: bytes) -> bool:
        return head[self.offset : self.offset + len(self.magic)] == self.magic


# PDF: ISO 32000-1 §7.5.2, the file begins with "%PDF-". JPEG: SOI marker FF D8 followed
# by the next marker's FF. PNG: the 8-byte signature of RFC 2083 §3.1.
_ALLOWED_SIGNATURES: tuple[tuple[str, _Signature], ...] = (
    (PDF, _Signature(b"%PDF-")),
    (JPEG, _Signature(b"\xff\xd8\xff")),
    (PNG, _Signature(b"\x89PNG\r\n\x1a\n")),
)

# Files people commonly try to upload instead, named so the refusal can say what it saw.
_KNOWN_OTHERS: tuple[tuple[Promise, _Signature], ...] = (
    (_("a Windows program"), _Signature(b"MZ")),
    (_("a Word, Excel or ZIP file"), _Signature(b"PK\x03\x04")),
    (_("a GIF image"), _Signature(b"GIF8")),
    (_("a WebP image"), _Signature(b"WEBP", offset=8)),
    (_("an HEIC photo (iPhone)"), _Signature(b"ftyphei", offset=4)),
    (_("an HEIC photo (iPhone)"), _Signature(b"ftypmif1", offset=4)),
    (_("a TIFF image"), _Signature(b"II*\x00")),
    (_("a TIFF image"), _Signature(b"MM\x00*")),
    (_("a BMP image"), _Signature(b"BM")),
)


def sniff(head: bytes) -> str | None:
    """The content type of an allowed file from its first bytes, or None."""
    for content_type, signature in _ALLOWED_SIGNATURES:
        if signature.matches(head):
            return content_type
    return None


def describe_other(head: bytes) -> Promise | None:
    """What a refused file looks like, when it is something common."""
    for description, signature in _KNOWN_OTHERS:
        if signature.matches(head):
            return description
    return None


def claimed_by_name(filename: str) -> str | None:
    """ "PDF", "JPEG" or "PNG" when the file's name ends like one."""
    return _CLAIMED.get(PurePath(filename).suffix.lower())


def filename_for(original: str, content_type: str) -> str:
    """The original name with the extension its content really has (scan.pdf that is a
    PNG is served as scan.png, so the phone or PC opens it with the right app)."""
    path = PurePath(original or "document")
    stem = path.stem if path.suffix.lower() in _CLAIMED or not path.suffix else path.name
    extension = EXTENSIONS[content_type]
    if path.suffix.lower() == ".jpeg" and content_type == JPEG:
        extension = ".jpeg"
    return f"{stem or 'document'}{extension}"
