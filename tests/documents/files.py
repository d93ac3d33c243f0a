"""Real, tiny PDF, PNG and JPEG files built byte by byte (no imaging library needed)."""

from __future__ import annotations

import struct
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from nidaan.documents import actions
from nidaan.documents.models import Document
from nidaan.patients.models import Patient
from tests.factories import ClinicWorld


def pdf_bytes(text: str = "Haemoglobin 13.2 g/dL") -> bytes:
    """A one-page PDF (ISO 32000-1) with a line of text and a correct xref table."""
    stream = f"BT /F1 14 Tf 36 150 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(
    width: int = 24, height: int = 16, colour: tuple[int, int, int] = (11, 110, 110)
) -> bytes:
    """An RGB PNG (RFC 2083) of one colour with a white diagonal, so it is visibly real."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type 0 for every scanline
        for x in range(width):
            rows += bytes((255, 255, 255)) if x == y else bytes(colour)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(rows)))
        + _png_chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    """An 8x8 mid-grey baseline JPEG (ITU T.81): one block whose DC and AC are all zero,
    coded with one-symbol Huffman tables."""

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload

    quantisation = segment(0xDB, b"\x00" + b"\x01" * 64)
    frame = segment(0xC0, struct.pack(">BHHB", 8, 8, 8, 1) + b"\x01\x11\x00")
    one_code_of_length_one = b"\x01" + b"\x00" * 15
    dc_table = segment(0xC4, b"\x00" + one_code_of_length_one + b"\x00")  # category 0
    ac_table = segment(0xC4, b"\x10" + one_code_of_length_one + b"\x00")  # end of block
    scan = segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    # DC "0" (difference 0), AC "0" (end of block), padded with 1-bits.
    entropy = b"\x3f"
    return b"\xff\xd8" + quantisation + frame + dc_table + ac_table + scan + entropy + b"\xff\xd9"


def exe_bytes() -> bytes:
    """The start of a Windows program (DOS header "MZ", then the PE stub's message)."""
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 52 + b"This program cannot be run in DOS mode."


def uploaded(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def a_document(
    world: ClinicWorld, patient: Patient, *, by: str = "receptionist", title: str = "CBC"
) -> Document:
    """A stored PDF report for `patient`, uploaded through the action."""
    return actions.upload_document(
        acting_user=world.user(by),
        patient=patient,
        upload=uploaded("cbc.pdf", pdf_bytes()),
        title=title,
    )
