"""Helpers for reading back what a printout says."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    """The text `pdftotext` (poppler) extracts: what a chemist's copy-paste would get."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.pdf"
        path.write_bytes(pdf)
        args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_info(pdf: bytes) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            ["pdfinfo", str(path)], check=True, capture_output=True, text=True
        ).stdout
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in out.splitlines())
    }


def squeeze(text: str) -> str:
    """Without whitespace: pdftotext splits Devanagari clusters with spaces where a
    pre-base vowel sign (ि) is drawn before its consonant."""
    return "".join(text.split())
