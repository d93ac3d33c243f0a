"""Labels printed in English, Hindi or both, from one translatable message.

Callers mark their labels with `gettext_noop` (so `make messages` collects them and the
Hindi comes from the catalogue) and pass the English message here with the language
the patient asked for; the page's own language does not matter.
"""

from __future__ import annotations

from typing import Literal

from django.utils import translation

from nidaan.printing.document import Language

BILINGUAL_SEPARATOR = " / "


def in_language(message: str, language: Literal["en", "hi"]) -> str:
    with translation.override(language):
        return translation.gettext(message)


def label(message: str, language: Language, *, separator: str = BILINGUAL_SEPARATOR) -> str:
    """`label("Date", "both")` → "Date / दिनांक"; "en" → "Date"; "hi" → "दिनांक"."""
    if language == "both":
        return pick(message, in_language(message, "hi"), language, separator=separator)
    return in_language(message, language)


def pick(
    english: str, hindi: str, language: Language, *, separator: str = BILINGUAL_SEPARATOR
) -> str:
    """A value kept in both scripts (a clinic's name): the one asked for, else the other."""
    english, hindi = english.strip(), hindi.strip()
    if language == "en":
        return english or hindi
    if language == "hi":
        return hindi or english
    if english and hindi and english != hindi:
        return f"{english}{separator}{hindi}"
    return english or hindi
