"""Prescription templates: one click fills several lines ("Fever – adult").

Built in for now; each entry is a list of lines as the form takes them (a formulary
code, dose, frequency, food, duration). The doctor edits the lines before issuing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

TEMPLATES: dict[str, tuple[Any, list[dict[str, str]]]] = {
    "fever-adult": (
        _("Fever – adult"),
        [
            {"drug_code": "PCM650", "frequency": "1-1-1", "food": "after", "duration": "3"},
            {"drug_code": "CTZ10", "frequency": "0-0-1", "food": "", "duration": "5"},
            {"drug_code": "PAN40", "frequency": "1-0-0", "food": "before", "duration": "5"},
        ],
    ),
    "age-child": (
        _("AGE (loose motions) – child"),
        [
            {
                "drug_code": "ORS",
                "frequency": "SOS",
                "food": "",
                "duration": "",
                "quantity": "10",
                "note": "after every loose stool",
                "note_hi": "हर पतले दस्त के बाद",
            },
            {"drug_code": "ZNC20", "frequency": "OD", "food": "after", "duration": "14"},
            {
                "drug_code": "PCMS250",
                "dose": "5",
                "frequency": "SOS",
                "food": "after",
                "duration": "",
                "quantity": "1",
                "note": "for fever",
                "note_hi": "बुख़ार होने पर",
            },
        ],
    ),
    "urti-adult": (
        _("Cold and cough – adult"),
        [
            {
                "drug_code": "PCM500",
                "frequency": "SOS",
                "food": "after",
                "duration": "",
                "quantity": "6",
                "note": "for fever or body ache",
                "note_hi": "बुख़ार या बदन दर्द होने पर",
            },
            {"drug_code": "LCZ5", "frequency": "0-0-1", "food": "", "duration": "5"},
            {"drug_code": "MON10", "frequency": "0-0-1", "food": "", "duration": "5"},
        ],
    ),
    "acidity": (
        _("Acidity"),
        [
            {"drug_code": "PAN40", "frequency": "1-0-0", "food": "before", "duration": "14"},
            {"drug_code": "DOM10", "frequency": "1-0-1", "food": "before", "duration": "5"},
        ],
    ),
    "uti-adult": (
        _("Urine infection – adult"),
        [
            {"drug_code": "NFT100", "frequency": "1-0-1", "food": "after", "duration": "5"},
            {
                "drug_code": "PCM500",
                "frequency": "SOS",
                "food": "after",
                "duration": "",
                "quantity": "6",
            },
        ],
    ),
}
