"""Patients' names in either script: a readable Latin form, and the key search matches on.

A name is stored as typed. Devanagari names also get a Latin transliteration in the way
names are usually spelt in UP and Bihar ("रमेश कुमार" → "Ramesh Kumar", not the
Sanskrit-style "ramesha kumAra" that transliteration libraries give).
"""

from __future__ import annotations

import re
import unicodedata

from indic_transliteration import sanscript

_DEVANAGARI = re.compile(r"[\u0900-\u097F]")

# Candra-o (ऑ/ॉ, as in डॉक्टर) is missing from the ITRANS scheme: treat it as plain o.
_BEFORE = str.maketrans({"\u0911": "\u0913", "\u0949": "\u094b"})

# ITRANS → everyday spelling, longest first. Long vowels (A I U) stay upper-case until
# after the final schwa is dropped, so a long final vowel (सुनीता) is never mistaken for
# the inherent one (रमेश).
_ITRANS_TO_COMMON = [
    ("RRi", "ri"),
    ("RRI", "ri"),
    ("LLi", "li"),
    ("kSh", "ksh"),
    ("j~n", "gy"),
    (".Dh", "rh"),
    (".D", "r"),
    (".N", "n"),
    ("~N", "n"),
    ("~n", "n"),
    (".h", ""),
    (".a", ""),
    ("Sh", "sh"),
    ("Ch", "chh"),
    ("Th", "th"),
    ("Dh", "dh"),
    ("T", "t"),
    ("D", "d"),
    ("N", "n"),
    ("M", "n"),
    ("H", "h"),
    ("K", "kh"),
    ("G", "g"),
    ("q", "k"),
]
_FINAL_SCHWA = re.compile(r"(?<=[aeiouAIU])([bcdfghjklmnpqrstvwxyz]h?)a$")


def is_devanagari(text: str) -> bool:
    return bool(_DEVANAGARI.search(text))


def clean(text: str) -> str:
    """NFC, single spaces, no stray punctuation at the ends: the form a name is stored in."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split()).strip(" .,-")


def _romanize_word(itrans: str) -> str:
    for source, target in _ITRANS_TO_COMMON:
        itrans = itrans.replace(source, target)
    # Hindi drops the inherent vowel at the end of a word after a single consonant.
    if len(itrans) > 2:
        itrans = _FINAL_SCHWA.sub(r"\1", itrans)
    return itrans.lower()


def romanize(text: str) -> str:
    """A readable Latin spelling of a name typed in either script, capitalised."""
    text = clean(text)
    if is_devanagari(text):
        itrans = sanscript.transliterate(
            text.translate(_BEFORE), sanscript.DEVANAGARI, sanscript.ITRANS
        )
        words = [_romanize_word(word) for word in itrans.split()]
    else:
        words = text.lower().split()
    return " ".join(word[:1].upper() + word[1:] for word in words if word)


# Spelling variants that transliteration of the same name produces, folded to one form.
_FOLDS = [
    ("aa", "a"),
    ("ee", "i"),
    ("ii", "i"),
    ("oo", "u"),
    ("uu", "u"),
    ("sh", "s"),
    ("w", "v"),
    ("ph", "f"),
    ("z", "j"),
    ("q", "k"),
]
_DOUBLED = re.compile(r"([a-z])\1+")
_KEY_FINAL_A = re.compile(r"(?<=[a-z]{3})a$")


def _key_word(word: str) -> str:
    for source, target in _FOLDS:
        word = word.replace(source, target)
    word = _DOUBLED.sub(r"\1", word)
    return _KEY_FINAL_A.sub("", word)


def search_words(text: str) -> list[str]:
    """The normalised words of a name or a query, in order."""
    latin = romanize(text).lower()
    latin = unicodedata.normalize("NFKD", latin)
    latin = re.sub(r"[^a-z0-9 ]", " ", latin)
    return [key for key in (_key_word(word) for word in latin.split()) if key]


def search_key(text: str) -> str:
    """Space-delimited normalised words, with a leading and a trailing space.

    The spaces let a query word be matched as a word prefix with a plain
    `contains(" " + word)`, on SQLite and PostgreSQL alike.
    """
    return " " + " ".join(search_words(text)) + " "
