"""GSTIN of a registered buyer: format, state code and check character (gst.md §3c–3d).

The checks themselves live in `nidaan.clinics.gstin` (the clinic's own GSTIN uses them
too); this is the plain-Python face other parts and tests call.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from nidaan.clinics.gstin import normalise_gstin


def validate_gstin(value: str) -> str:
    """The GSTIN upper-cased without spaces; `ValueError` saying what is wrong otherwise."""
    try:
        return normalise_gstin(value)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from error
