"""What receptionists type: the query mix drawn from the data, and the labelled variant set.

Every query knows the patient it was made from (`target`, a registration index), so the
benchmark can check that identifiers come first and that the right name was found.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.patients import KUMARI, MOHD, SHRI, SMT, Person
from nidaan.patients.identifiers import format_abha_number


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    target: int  # Person.index
    # For name queries: the patient's registered name, to judge whether it was found.
    expected: str = ""
    detail: str = ""  # e.g. which spelling rule made the variant


# Query kinds, in table order. NAME_KINDS are timed against the bare full-text query.
LATIN_FOR_DEVA = "Latin → Devanagari-registered"
DEVA_FOR_LATIN = "Devanagari → Latin-registered"
SPELLING = "spelling variant"
TYPO = "one typo (word ≥5 letters)"
PREFIX = "prefix 3–4 letters"
PREFIX_INITIAL = "given name + initial ('sunita d')"
GIVEN_FAMILY = "given + surname"
FAMILY_GIVEN = "surname + given"
MOBILE_4 = "mobile last 4"
MOBILE = "full mobile"
UHID = "UHID"
UHID_COMPACT = "UHID without dashes"
ABHA = "ABHA number with dashes"

NAME_KINDS = [
    LATIN_FOR_DEVA,
    DEVA_FOR_LATIN,
    SPELLING,
    TYPO,
    PREFIX,
    PREFIX_INITIAL,
    GIVEN_FAMILY,
    FAMILY_GIVEN,
]
IDENTIFIER_KINDS = [MOBILE, UHID, UHID_COMPACT, ABHA]
ALL_KINDS = [*NAME_KINDS, MOBILE_4, *IDENTIFIER_KINDS]
# Kinds where the query names one person's given name and surname, so the right name
# (this patient or a namesake) should be among the first ten results.
NAME_FOUND_KINDS = [LATIN_FOR_DEVA, DEVA_FOR_LATIN, SPELLING, TYPO, GIVEN_FAMILY, FAMILY_GIVEN]

# --- spelling variation ------------------------------------------------------------------


# (rule name, pattern, replacement): the spelling variation transliteration produces.
SPELLING_RULES: list[tuple[str, str, str]] = [
    ("ee→i", "ee", "i"),
    ("i→ee", r"(?<![aei])i(?!e)", "ee"),
    ("oo→u", "oo", "u"),
    ("u→oo", r"(?<![aou])u(?!o)", "oo"),
    ("aa→a", "aa", "a"),
    ("a→aa", r"(?<=[bcdfghjklmnprstvyz])a(?=[bcdfghjklmnprstvyz])", "aa"),
    ("sh→s", "(?<!k)sh", "s"),
    ("s→sh", r"s(?!h)", "sh"),
    ("v→w", "v", "w"),
    ("w→v", "w", "v"),
    ("ph→f", "ph", "f"),
    ("f→ph", "f", "ph"),
    ("z→j", "z", "j"),
    ("ksh→x", "ksh", "x"),
    ("x→ksh", "x", "ksh"),
    ("final schwa +a", r"(?<=[aeiou][bcdfghjklmnprstvz])$|(?<=[aeiou][bcdfgjkpst]h)$", "a"),
    ("double→single", r"([bcdfgjklmnprstvz])\1", r"\1"),
]


def spelling_variants(word: str) -> list[tuple[str, str]]:
    """(rule, variant) pairs for a lower-case Latin word: one change each."""
    out = []
    for rule, pattern, replacement in SPELLING_RULES:
        matches = list(re.finditer(pattern, word))
        for match in matches[:2]:
            variant = word[: match.start()] + match.expand(replacement) + word[match.end() :]
            if variant != word:
                out.append((rule, variant))
    return out


_KEYBOARD = {
    "q": "wa",
    "w": "qes",
    "e": "wrd",
    "r": "etf",
    "t": "ryg",
    "y": "tuh",
    "u": "yij",
    "i": "uok",
    "o": "ipl",
    "p": "ol",
    "a": "qsz",
    "s": "adwx",
    "d": "sfe",
    "f": "dgr",
    "g": "fht",
    "h": "gjy",
    "j": "hku",
    "k": "jli",
    "l": "ko",
    "z": "xas",
    "x": "zcs",
    "c": "xvd",
    "v": "cbf",
    "b": "vng",
    "n": "bmh",
    "m": "nj",
}


def one_typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard in `word` (not in its first letter)."""
    for _ in range(20):
        position = rng.randrange(1, len(word))
        kind = rng.choice(("substitute", "delete", "insert", "swap"))
        if kind == "substitute":
            typo = (
                word[:position]
                + rng.choice(_KEYBOARD.get(word[position], "a"))
                + word[position + 1 :]
            )
        elif kind == "delete":
            typo = word[:position] + word[position + 1 :]
        elif kind == "insert":
            typo = (
                word[:position] + rng.choice(_KEYBOARD.get(word[position], "a")) + word[position:]
            )
        else:
            if position == len(word) - 1:
                continue
            typo = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
        if typo != word:
            return typo
    return word[:-1]


# --- query mix -----------------------------------------------------------------------------


def _latin(person: Person, positions: Sequence[int], rng: random.Random) -> list[str]:
    """The words at `positions` as someone would type them in Latin letters, lower case.

    For a Latin-registered patient, usually the spelling on the register; otherwise any
    common spelling of the word.
    """
    out = []
    for i in positions:
        word = person.words[i]
        if not person.devanagari and rng.random() < 0.7:
            out.append(person.latin_spelling[i].lower())
        else:
            out.append(word.spell_latin(rng).lower())
    return out


def _deva(person: Person, positions: Sequence[int]) -> list[str]:
    return [person.words[i].deva[0] for i in positions]


def _given_family(person: Person) -> list[int]:
    return [person.given] if person.family is None else [person.given, person.family]


def _name_query(kind: str, person: Person, text: str, detail: str = "") -> Query:
    return Query(kind, text, person.index, expected=person.name, detail=detail)


def make_query(kind: str, person: Person, rng: random.Random, uhid: str) -> Query | None:
    """A query of `kind` for `person`, or None if the person does not suit the kind."""
    positions = _given_family(person)
    if kind == LATIN_FOR_DEVA:
        if not person.devanagari:
            return None
        return _name_query(kind, person, " ".join(_latin(person, positions, rng)))
    if kind == DEVA_FOR_LATIN:
        if person.devanagari:
            return None
        return _name_query(kind, person, " ".join(_deva(person, positions)))
    if kind == SPELLING:
        words = _latin(person, positions, rng)
        options = [
            (i, rule, variant)
            for i, word in enumerate(words)
            for rule, variant in spelling_variants(word)
        ]
        if not options:
            return None
        i, rule, variant = rng.choice(options)
        words[i] = variant
        return _name_query(kind, person, " ".join(words), rule)
    if kind == TYPO:
        words = _latin(person, positions, rng)
        long_words = [i for i, word in enumerate(words) if len(word) >= 5]
        if not long_words:
            return None
        i = rng.choice(long_words)
        original = words[i]
        words[i] = one_typo(original, rng)
        return _name_query(kind, person, " ".join(words), f"{original}→{words[i]}")
    if kind == PREFIX:
        given = _latin(person, [person.given], rng)[0]
        return _name_query(kind, person, given[: rng.choice((3, 4))])
    if kind == PREFIX_INITIAL:
        if person.family is None:
            return None
        given, family = _latin(person, [person.given, person.family], rng)
        return _name_query(kind, person, f"{given} {family[0]}")
    if kind in (GIVEN_FAMILY, FAMILY_GIVEN):
        if person.family is None:
            return None
        words = (
            _deva(person, positions)
            if person.devanagari and rng.random() < 0.3
            else _latin(person, positions, rng)
        )
        if kind == FAMILY_GIVEN:
            words.reverse()
        return _name_query(kind, person, " ".join(words))
    if kind == MOBILE_4:
        return Query(kind, person.mobile[-4:], person.index) if person.mobile else None
    if kind == MOBILE:
        return Query(kind, person.mobile, person.index) if person.mobile else None
    if kind == UHID:
        return Query(kind, uhid, person.index)
    if kind == UHID_COMPACT:
        return Query(kind, uhid.replace("-", "").lower(), person.index)
    if kind == ABHA:
        if not person.abha_number:
            return None
        return Query(kind, format_abha_number(person.abha_number), person.index)
    raise ValueError(kind)


def query_mix(
    people: Sequence[Person],
    per_kind: int,
    seed: int,
    uhid_of: Callable[[Person], str],
    kinds: Sequence[str] = ALL_KINDS,
) -> dict[str, list[Query]]:
    """`per_kind` queries of each kind, made from randomly chosen `people` (a sample)."""
    rng = random.Random(seed)
    mix: dict[str, list[Query]] = {}
    for kind in kinds:
        found: list[Query] = []
        order = list(people)
        rng.shuffle(order)
        for person in order:
            query = make_query(kind, person, rng, uhid_of(person))
            if query is not None:
                found.append(query)
            if len(found) == per_kind:
                break
        mix[kind] = found
    return mix


# --- the labelled variant set (recall@10) -----------------------------------------------

RECALL_VARIANTS = [
    "other script",
    "vowel length",
    "sh/s and other consonants",
    "one typo",
    "honorific added",
    "word order swapped",
]
_VOWEL_RULES = {"ee→i", "i→ee", "oo→u", "u→oo", "aa→a", "a→aa", "final schwa +a"}
_CONSONANT_RULES = {"sh→s", "s→sh", "v→w", "w→v", "ph→f", "f→ph", "z→j", "ksh→x", "x→ksh"}


def _as_registered_latin(person: Person) -> list[str]:
    return [spelling.lower() for spelling in person.latin_spelling]


def _with_rule(words: list[str], rules: set[str], rng: random.Random) -> tuple[list[str], str]:
    options = [
        (i, rule, variant)
        for i, word in enumerate(words)
        for rule, variant in spelling_variants(word)
        if rule in rules
    ]
    if not options:
        return words, ""
    i, rule, variant = rng.choice(options)
    changed = list(words)
    changed[i] = variant
    return changed, rule


def recall_query(person: Person, variant: str, rng: random.Random) -> Query:
    """The planted patient's name as typed with one kind of variation.

    A patient registered in Devanagari is searched in Latin letters (so every variant of
    a Devanagari registration also crosses scripts); one registered in Latin is searched
    in Latin, except for the "other script" variant.
    """
    latin = (
        _as_registered_latin(person)
        if not person.devanagari
        else [word.latin[0].lower() for word in person.words]
    )
    detail = ""
    if variant == "other script":
        words = latin if person.devanagari else [word.deva[0] for word in person.words]
    elif variant == "vowel length":
        words, detail = _with_rule(latin, _VOWEL_RULES, rng)
    elif variant == "sh/s and other consonants":
        words, detail = _with_rule(latin, _CONSONANT_RULES, rng)
        if not detail:
            words, detail = _with_rule(latin, _VOWEL_RULES, rng)
    elif variant == "one typo":
        long_words = [i for i, word in enumerate(latin) if len(word) >= 5]
        words = list(latin)
        i = rng.choice(long_words or [0])
        words[i] = one_typo(latin[i], rng)
        detail = f"{latin[i]}→{words[i]}"
    elif variant == "honorific added":
        if person.sex == "M":
            honorific = MOHD if person.muslim else SHRI
            words = [honorific.spell_latin(rng).lower(), *latin]
        elif rng.random() < 0.7:
            words = [SMT.spell_latin(rng).lower(), *latin]
        else:
            words = [*latin, KUMARI.latin[0].lower()]
        detail = next(word for word in words if word not in latin)
    elif variant == "word order swapped":
        words = list(reversed(latin))
    else:
        raise ValueError(variant)
    label = f"{variant}: {detail}" if detail else variant
    return Query("recall", " ".join(words), person.index, expected=person.name, detail=label)


def recall_set(planted: Sequence[Person], seed: int) -> list[Query]:
    rng = random.Random(seed)
    return [
        recall_query(person, RECALL_VARIANTS[i % len(RECALL_VARIANTS)], rng)
        for i, person in enumerate(planted)
    ]
