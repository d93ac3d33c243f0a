"""Amounts in words in Indian numbering (lakh, crore), in English and Hindi.

English words come from num2words' `en_IN` (lakh/crore) below one crore; crores are
counted recursively so 10^10 reads "one thousand crore". num2words has no Hindi, and
Hindi 0–99 are irregular words, so they are a table here.
"""

from __future__ import annotations

from decimal import Decimal

from num2words import num2words

from nidaan.billing.money import paise

_CRORE = 10**7

HINDI_0_99 = (
    "शून्य एक दो तीन चार पाँच छह सात आठ नौ "
    "दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह उन्नीस "
    "बीस इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस "
    "तीस इकतीस बत्तीस तैंतीस चौंतीस पैंतीस छत्तीस सैंतीस अड़तीस उनतालीस "
    "चालीस इकतालीस बयालीस तैंतालीस चवालीस पैंतालीस छियालीस सैंतालीस अड़तालीस उनचास "
    "पचास इक्यावन बावन तिरपन चौवन पचपन छप्पन सत्तावन अट्ठावन उनसठ "
    "साठ इकसठ बासठ तिरसठ चौंसठ पैंसठ छियासठ सड़सठ अड़सठ उनहत्तर "
    "सत्तर इकहत्तर बहत्तर तिहत्तर चौहत्तर पचहत्तर छिहत्तर सतहत्तर अठहत्तर उनासी "
    "अस्सी इक्यासी बयासी तिरासी चौरासी पचासी छियासी सत्तासी अट्ठासी नवासी "
    "नब्बे इक्यानबे बानबे तिरानबे चौरानबे पंचानबे छियानबे सत्तानबे अट्ठानबे निन्यानबे"
).split()


def _english(number: int) -> str:
    if number >= _CRORE:
        crores, rest = divmod(number, _CRORE)
        head = f"{_english(crores)} Crore"
        return f"{head} {_english(rest)}" if rest else head
    text = num2words(number, lang="en_IN")
    # "one lakh, twenty-three thousand, four hundred and fifty-six" → invoice style.
    words = text.replace(",", "").replace(" and ", " ").split()
    return " ".join("-".join(part.capitalize() for part in word.split("-")) for word in words)


def _hindi(number: int) -> str:
    if number >= _CRORE:
        crores, rest = divmod(number, _CRORE)
        head = f"{_hindi(crores)} करोड़"
        return f"{head} {_hindi(rest)}" if rest else head
    if number < 100:
        return HINDI_0_99[number]
    parts = []
    for size, name in ((10**5, "लाख"), (1000, "हज़ार"), (100, "सौ")):
        count, number = divmod(number, size)
        if count:
            parts.append(f"{HINDI_0_99[count]} {name}")
    if number:
        parts.append(HINDI_0_99[number])
    return " ".join(parts)


def amount_in_words(amount: Decimal, lang: str = "en") -> str:
    """ "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Seventy-Eight
    Paise Only" / "रुपये एक लाख तेईस हज़ार चार सौ छप्पन और अठहत्तर पैसे मात्र".

    Paise are omitted when zero; a negative amount (a credit) is read as its size.
    """
    if lang not in ("en", "hi"):
        raise ValueError(f"amount in words is available in en and hi, not {lang!r}")
    value = abs(paise(amount))
    rupees, fraction = divmod(int(value * 100), 100)
    if lang == "hi":
        parts = [f"रुपये {_hindi(rupees)}"] if rupees or not fraction else []
        if fraction:
            parts.append(f"{_hindi(fraction)} पैसे")
        return " और ".join(parts) + " मात्र"
    parts = [f"Rupees {_english(rupees)}"] if rupees or not fraction else []
    if fraction:
        parts.append(f"{_english(fraction)} Paise")
    return " and ".join(parts) + " Only"
