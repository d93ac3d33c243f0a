"""Patients' names in either script: a readable Latin form, and the key search matches on.

A name is stored as typed. Devanagari names also get a Latin transliteration in the way
names are usually spelt in UP and Bihar ("रमेश कुमार" → "Ramesh Kumar", not the
Sanskrit-style "ramesha kumAra" that transliteration libraries give).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from indic_transliteration import sanscript

_DEVANAGARI = re.compile(r"[\u0900-\u097F]")

# Candra-o (ऑ/ॉ, as in डॉक्टर) is missing from the ITRANS scheme: treat it as plain o.
_BEFORE = str.maketrans({"\u0911": "\u0913", "\u0949": "\u094b"})

# Nasalisation (anusvara, chandrabindu) is written n, but while the final schwa is
# decided it must not count as a consonant: चाँद is "Chand", not "Chanda".
_NASAL = "\u00f1"

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
    (".N", _NASAL),
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
    ("M", _NASAL),
    ("H", "h"),
    ("K", "kh"),
    ("G", "g"),
    ("q", "k"),
]
_FINAL_SCHWA = re.compile(rf"(?<=[aeiouAIU{_NASAL}])([bcdfghjklmnpqrstvwxyz]h?)a$")


def is_devanagari(text: str) -> bool:
    return bool(_DEVANAGARI.search(text))


def clean(text: str) -> str:
    """NFC, single spaces, no stray punctuation at the ends: the form a name is stored in."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split()).strip(" .,-")


_ANUSVARA_BEFORE_LABIAL = re.compile(r"M(?=[pbm])")
_ANUSVARA_BEFORE_H = re.compile(r"M(?=h)")


def _romanize_word(itrans: str, medial: bool = True) -> str:
    # The anusvara is said "m" before p/b/m (चंपा → Champa) and "ng" before h (सिंह → Singh).
    itrans = _ANUSVARA_BEFORE_LABIAL.sub("m", itrans)
    itrans = _ANUSVARA_BEFORE_H.sub(_NASAL + "g", itrans)
    for source, target in _ITRANS_TO_COMMON:
        itrans = itrans.replace(source, target)
    # Hindi drops the inherent vowel at the end of a word after a single consonant.
    if len(itrans) > 2:
        itrans = _FINAL_SCHWA.sub(r"\1", itrans)
    if medial:
        itrans = _drop_medial_schwa(itrans)
    return itrans.replace(_NASAL, "n").lower()


_SYLLABLE_VOWELS = set("aeiouAIU")


def _drop_medial_schwa(word: str) -> str:
    """Drop an inherent vowel between VC and CV, left to right: सलमा → Salma, भगवती →
    Bhagvati, परमेश्वर → Parmeshvar, after the final one is gone (नारायण → Narayan).

    Only single consonants count on either side, so clusters and aspirates (sh, th) keep
    their vowel: a cautious form of the schwa-deletion rule of Hindi phonology.
    """
    letters = list(word)
    i = 2
    while i < len(letters) - 2:
        if (
            letters[i] == "a"
            and letters[i - 2] in _SYLLABLE_VOWELS
            # Not after a diphthong: चौरसिया is Chaurasiya.
            and "".join(letters[max(0, i - 3) : i - 1]) not in ("au", "ai")
            and letters[i - 1] not in _SYLLABLE_VOWELS
            and letters[i + 1] not in _SYLLABLE_VOWELS
            and letters[i + 2] in _SYLLABLE_VOWELS
            and letters[i - 1].isalpha()
            and letters[i + 1].isalpha()
            and letters[i - 1] != "h"
            and letters[i + 1] != "h"
        ):
            del letters[i]
        i += 1
    return "".join(letters)


def romanize(text: str, *, medial: bool = True) -> str:
    """A readable Latin spelling of a name typed in either script, capitalised.

    `medial=False` keeps every inner vowel: search keys are built from that form, so that
    the display's guess at which vowels Hindi drops never decides whether a name is found.
    """
    text = clean(text)
    if is_devanagari(text):
        itrans = sanscript.transliterate(
            text.translate(_BEFORE), sanscript.DEVANAGARI, sanscript.ITRANS
        )
        words = [_romanize_word(word, medial) for word in itrans.split()]
    else:
        words = text.lower().split()
    return " ".join(word[:1].upper() + word[1:] for word in words if word)


# Spelling variants that transliteration of the same name produces, folded to one form
# (docs/search.md lists them). Order matters: "ksh" must meet "sh" before "sh" is folded,
# and long vowels are folded before doubled letters are collapsed.
_FOLDS = [
    # The य glide: माया is written Maya or Maia, आयशा Ayesha or Aisha, सायरा Saira.
    ("aya", "ai"),
    ("aye", "ai"),
    ("aa", "a"),
    ("ee", "i"),
    ("ii", "i"),
    ("oo", "u"),
    ("uu", "u"),
    ("ou", "au"),
    ("x", "ks"),
    ("ksh", "ks"),
    ("sh", "s"),
    ("chh", "ch"),
    ("ph", "f"),
    ("kh", "k"),
    ("gh", "g"),
    ("jh", "j"),
    ("th", "t"),
    ("dh", "d"),
    ("bh", "b"),
    ("w", "v"),
    ("z", "j"),
    ("qui", "ki"),  # Siddiqui, Farooqui
    ("q", "k"),
    ("oy", "ai"),  # Roy = Rai
    ("ei", "e"),  # Sheikh = Shekh
    ("ai", "e"),  # Shaikh = Sheikh, Qureshi = Quraishi, Rai = Re
    ("iy", "i"),  # Nazia = Naziya
]
_DOUBLED = re.compile(r"([a-z])\1+")
# An inherent vowel at the end ("Ramesha") is dropped from words of four letters or more.
_KEY_FINAL_A = re.compile(r"(?<=[a-z]{3})a$")

# Honorifics and particles, by their folded spelling → one canonical word. A query need
# not contain them and may contain them when the register does not; they only rank.
_PARTICLE_SPELLINGS = {
    "sri": "sri",
    "srimati": "srimati",
    "smt": "srimati",
    "sm": "srimati",
    "kumari": "kumari",
    "km": "kumari",
    "mohd": "mohamad",
    "mo": "mohamad",  # मो॰
    "md": "mohamad",
    "mohamad": "mohamad",
    "muhamad": "mohamad",
    "mohamed": "mohamad",
    "muhamed": "mohamad",
    "mohmad": "mohamad",
    "mhd": "mohamad",
    "dr": "dr",
    "doktar": "dr",
    "mr": "mr",
    "mrs": "mrs",
    "ms": "ms",
    "mis": "ms",
    "late": "late",
    "lat": "late",
    "lt": "late",
    "sv": "late",
    "svargiy": "late",
}
PARTICLES = frozenset(_PARTICLE_SPELLINGS.values())


# Word endings written either way: Rai/Ray/राय, Dubey/दुबे, Pinky/पिंकी.
_ENDINGS = [
    (re.compile(r"que$"), "k"),  # Rafique = Rafiq
    (re.compile(r"ey$"), "e"),  # Dubey = Dube
    (re.compile(r"ay$"), "ai"),  # Ray = Rai
    (re.compile(r"(?<=[^aeiou])y$"), "i"),  # Pinky = Pinki
]
_INNER_A = re.compile(r"(?<=[^aeiou])a(?=[^aeiou])")


def _drop_inner_a(word: str) -> str:
    """Drop every short "a" between two consonants, after the first syllable.

    Whether a Hindi name keeps that vowel in Latin letters is a matter of habit
    (Sahni/Sahani, Kushwaha/Kushawaha, Rajbhar/Rajabhar, Kedarnath/Kedaranath), so the
    key keeps it in neither and both spellings meet. The first two letters are left
    alone, so a name being typed ("ra", "ram") still finds its key ("rames").
    """
    return _INNER_A.sub(lambda m: "" if m.start() >= 2 else m.group(), word)


@functools.lru_cache(maxsize=8192)
def _key_word(word: str) -> str:
    for ending, target in _ENDINGS:
        word = ending.sub(target, word)
    for source, target in _FOLDS:
        word = word.replace(source, target)
    word = _DOUBLED.sub(r"\1", word)
    word = _KEY_FINAL_A.sub("", word)
    if word in _PARTICLE_SPELLINGS:
        return _PARTICLE_SPELLINGS[word]
    return _drop_inner_a(word)


def search_words(text: str) -> list[str]:
    """The normalised words of a name or a query, in order."""
    return [key for key, _length in search_words_typed(text)]


@functools.lru_cache(maxsize=4096)
def search_words_typed(text: str) -> tuple[tuple[str, int], ...]:
    """Each normalised word with the length it was typed in (in Latin letters).

    One typo is forgiven in a name of five letters or more as typed: "rkesh" is five
    letters, though its key "rkes" has four. Remembered: a replicated patient's name is
    keyed twice (search key, index rows), and a receptionist types the same query
    prefix again and again.
    """
    latin = romanize(text, medial=False).lower()
    latin = unicodedata.normalize("NFKD", latin)
    latin = re.sub(r"[^a-z0-9 ]", " ", latin)
    pairs = [(_key_word(word), len(word)) for word in latin.split()]
    return tuple((key, length) for key, length in pairs if key)


def is_particle(word: str) -> bool:
    return word in PARTICLES


def search_key(text: str) -> str:
    """Space-delimited normalised words, with a leading and a trailing space.

    The spaces let a query word be matched as a word prefix with a plain
    `contains(" " + word)`, on SQLite and PostgreSQL alike.
    """
    return " " + " ".join(search_words(text)) + " "
