"""Realistic fake patients of UP and Bihar, in Devanagari and Latin."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from typing import Any

FIRST = [
    ("सुनीता", "Sunita", "F"),
    ("रमेश", "Ramesh", "M"),
    ("अनीता", "Anita", "F"),
    ("संजय", "Sanjay", "M"),
    ("पूजा", "Pooja", "F"),
    ("राकेश", "Rakesh", "M"),
    ("प्रियंका", "Priyanka", "F"),
    ("अमित", "Amit", "M"),
    ("रीता", "Rita", "F"),
    ("मनोज", "Manoj", "M"),
    ("फ़ातिमा", "Fatima", "F"),
    ("आरिफ़", "Arif", "M"),
    ("गीता", "Geeta", "F"),
    ("सुरेश", "Suresh", "M"),
    ("नेहा", "Neha", "F"),
    ("विनोद", "Vinod", "M"),
    ("शबनम", "Shabnam", "F"),
    ("राजेश", "Rajesh", "M"),
]
LAST = [
    ("कुमार", "Kumar"),
    ("देवी", "Devi"),
    ("यादव", "Yadav"),
    ("सिंह", "Singh"),
    ("श्रीवास्तव", "Srivastava"),
    ("गुप्ता", "Gupta"),
    ("खान", "Khan"),
    ("मिश्रा", "Mishra"),
    ("पासवान", "Paswan"),
    ("वर्मा", "Verma"),
    ("पांडेय", "Pandey"),
    ("अंसारी", "Ansari"),
]
PLACES = [
    "Kankarbagh",
    "Boring Road",
    "Alambagh",
    "Gomti Nagar",
    "Aminabad",
    "Chinhat",
    "Bodh Gaya",
    "Rajendra Nagar",
    "Hazratganj",
    "Danapur",
]


def generated_patients(count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    today = datetime.date.today()  # noqa: DTZ011 - fake data
    for i in range(count):
        first_hi, first_en, sex = rng.choice(FIRST)
        last_hi, last_en = rng.choice(LAST)
        devanagari = rng.random() < 0.5
        yield {
            "name": f"{first_hi} {last_hi}" if devanagari else f"{first_en} {last_en}",
            "sex": sex,
            "date_of_birth": today - datetime.timedelta(days=rng.randint(0, 85 * 365)),
            "date_of_birth_estimated": rng.random() < 0.6,
            "mobile": f"{rng.choice('6789')}{rng.randint(0, 999_999_999):09d}",
            "locality": rng.choice(PLACES),
            "guardian_name": f"{rng.choice(FIRST)[1]} {last_en}",
            "guardian_relation": "father",
            "abha_number": f"{91_000_000_000_000 + i}" if rng.random() < 0.2 else "",
        }
