"""Finding a patient: by mobile, UHID, ABHA number or address, or by name in either script.

One implementation for the node (SQLite) and the hub (PostgreSQL), on plain B-tree
indexes that both have (patients.models.SearchTerm and friends), so both give the same
answers. How matching and ranking work, and why, is written up in docs/search.md.

A name query becomes, for each word, a set of indexed terms it may stand for: the word
itself, the vocabulary words it is a prefix of, and (for words of five letters or more)
the vocabulary words one edit away. The rarest query word drives: its terms are read
newest-first straight off the index, each candidate is checked for the other words with
an index probe, and reading stops after a window of candidates. Ranking then happens in
Python on that window only.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Max

from nidaan.core import uhid
from nidaan.patients import identifiers, names
from nidaan.patients.models import (
    Patient,
    SearchTerm,
    SearchTermVariant,
    SearchVocabulary,
    TermKind,
)
from nidaan.patients.search_index import MIN_TYPO_TERM

DEFAULT_LIMIT = 20
MIN_MOBILE_DIGITS = 4
# One typo is forgiven in a word typed with five letters or more (issue 3); its key may
# be shorter ("rkesh" → "rkes"), and keys of four letters carry typo variants.
MIN_TYPO_WORD = 5
# How many vocabulary words a prefix may stand for (the most common ones are kept).
MAX_EXPANSIONS = 30
# How many candidates each driving term contributes before ranking.
WINDOW = 60


class Rank:
    """Lower is better. A receptionist expects identifiers first, then exact names."""

    IDENTIFIER = 0
    MOBILE_SUFFIX = 1
    EXACT_NAME = 2
    SAME_NAME_WORDS = 3
    WHOLE_WORDS = 4
    PREFIX = 5
    ONE_TYPO = 6


@dataclass(frozen=True)
class Hit:
    patient: Patient
    rank: int  # lower is better, see Rank
    matched: str  # uhid, abha_number, abha_address, mobile, name


@dataclass
class WordOptions:
    """The indexed terms one query word may stand for."""

    word: str
    prefix: str  # what the word's terms begin with (the word, or the word less a vowel)
    prefixed: dict[str, int] = field(default_factory=dict)  # term → patients
    typos: dict[str, int] = field(default_factory=dict)

    @property
    def exact(self) -> bool:
        return self.word in self.prefixed

    @property
    def terms(self) -> list[str]:
        """Best first: the word itself, its commonest continuations, then typos."""
        ordered = sorted(self.prefixed, key=lambda t: (t != self.word, -self.prefixed[t], t))
        return [*ordered, *sorted(self.typos)]

    @property
    def weight(self) -> int:
        return sum(self.prefixed.values()) + sum(self.typos.values())


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _next_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix` (ASCII)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def within_one_edit(a: str, b: str) -> bool:
    """Optimal-string-alignment distance ≤ 1: one insertion, deletion, change or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _continuations(organisation_id: Any, prefix: str) -> dict[str, int]:
    rows = (
        SearchVocabulary.objects.filter(
            organisation_id=organisation_id,
            term__gte=prefix,
            term__lt=_next_prefix(prefix),
            patients__gt=0,
        )
        .order_by("-patients", "term")
        .values_list("term", "patients")[:MAX_EXPANSIONS]
    )
    return dict(rows)


def _options(organisation_id: Any, word: str, typed_length: int) -> WordOptions:
    options = WordOptions(word, prefix=word)
    options.prefixed = _continuations(organisation_id, word)
    if word not in options.prefixed:
        exact = (
            SearchVocabulary.objects.filter(
                organisation_id=organisation_id, term=word, patients__gt=0
            )
            .values_list("patients", flat=True)
            .first()
        )
        if exact:
            options.prefixed[word] = exact
    stem = word.rstrip("aeiou")
    if not options.prefixed and stem and stem != word:
        # Half-typed: "sune" on the way to Suneeta, whose key is "sunit". The vowel typed
        # last may not be in the key yet, so the word less that vowel is the prefix.
        options.prefix = stem
        options.prefixed = _continuations(organisation_id, stem)
    if typed_length >= MIN_TYPO_WORD and len(word) >= MIN_TYPO_TERM:
        variants = {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}
        near = {
            term
            for term in SearchTermVariant.objects.filter(
                organisation_id=organisation_id, variant__in=variants
            ).values_list("term", flat=True)
            if term not in options.prefixed and within_one_edit(word, term)
        }
        if near:
            options.typos = dict(
                SearchVocabulary.objects.filter(
                    organisation_id=organisation_id, term__in=near, patients__gt=0
                ).values_list("term", "patients")
            )
    return options


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _word_condition(alias: str, other: WordOptions) -> tuple[str, list[Any]]:
    """SQL that a term row `alias` matches `other`: any continuation, or one of its typos.

    A range covers every continuation, not only the commonest ones, and costs one index
    probe per candidate however many words begin so ("ramesh g").
    """
    sql = f"({alias}.term >= %s AND {alias}.term < %s"
    params: list[Any] = [other.prefix, _next_prefix(other.prefix)]
    if other.typos:
        sql += f" OR {alias}.term IN ({_placeholders(len(other.typos))})"
        params += sorted(other.typos)
    return sql + ")", params


def _candidates(
    organisation_id: Any, driver: WordOptions, others: list[WordOptions], enough: int
) -> list[uuid.UUID]:
    """Newest patients carrying a term of the driver and a match of every other word.

    Terms are read best first; typos of the driver are read only while fewer than
    `enough` candidates were found, so a common name is never diluted by its neighbours.
    """
    table = SearchTerm._meta.db_table
    conditions = ""
    other_params: list[Any] = []
    for i, other in enumerate(others):
        matches, params = _word_condition(f"o{i}", other)
        conditions += (
            f" AND EXISTS (SELECT 1 FROM {table} o{i} WHERE o{i}.patient_id = t.patient_id"  # noqa: S608 - table names are ours, values are parameters
            f" AND o{i}.kind = %s AND {matches})"
        )
        other_params += [TermKind.NAME_WORD.value, *params]
    sql = (
        f"SELECT t.patient_id FROM {table} t"  # noqa: S608 - names are ours
        f" WHERE t.organisation_id = %s AND t.kind = %s AND t.term = %s{conditions}"
        f" ORDER BY t.patient_id DESC LIMIT {WINDOW}"
    )
    org_param = SearchTerm._meta.get_field("organisation_id").get_db_prep_value(
        organisation_id, connection
    )
    found: dict[uuid.UUID, None] = {}
    typos = set(driver.typos)
    with connection.cursor() as cursor:
        for term in driver.terms:
            if term in typos and len(found) >= enough:
                break
            cursor.execute(sql, [org_param, TermKind.NAME_WORD.value, term, *other_params])
            found.update((_as_uuid(row[0]), None) for row in cursor.fetchall())
    return list(found)


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _name_rank(stored_key: str, words: list[str], options: list[WordOptions]) -> int:
    stored = stored_key.split()
    if sorted(stored) == sorted(words):
        return Rank.EXACT_NAME
    required = [o.word for o in options]
    if sorted(w for w in stored if not names.is_particle(w)) == sorted(required):
        return Rank.SAME_NAME_WORDS
    stored_set = set(stored)
    if all(o.word in stored_set for o in options):
        return Rank.WHOLE_WORDS
    if all(any(s.startswith(o.prefix) for s in stored) for o in options):
        return Rank.PREFIX
    return Rank.ONE_TYPO


def _name_hits(organisation_id: Any, query: str, enough: int) -> list[tuple[int, uuid.UUID]]:
    typed = names.search_words_typed(query)
    words = [key for key, _length in typed]
    required = [(k, n) for k, n in typed if not names.is_particle(k)] or typed
    if not required:
        return []
    lengths = dict(required)
    options = [_options(organisation_id, word, lengths[word]) for word in dict(required)]
    if any(not o.terms for o in options):
        return []
    driver = min(options, key=lambda o: o.weight)
    others = [o for o in options if o is not driver]
    found = _candidates(organisation_id, driver, others, enough)
    keys = dict(Patient.objects.filter(pk__in=found).values_list("pk", "name_key"))
    return [(_name_rank(keys[pk], words, options), pk) for pk in found if pk in keys]


def _mobile_suffix_hits(organisation_id: Any, digits: str) -> list[uuid.UUID]:
    reversed_digits = digits[::-1]
    return list(
        SearchTerm.objects.filter(
            organisation_id=organisation_id,
            kind=TermKind.MOBILE_REVERSED,
            term__gte=reversed_digits,
            term__lt=_next_prefix(reversed_digits),
        )
        .order_by("-patient_id")
        .values_list("patient_id", flat=True)[:WINDOW]
    )


def _identifier_hits(organisation_id: Any, query: str) -> list[tuple[int, uuid.UUID, str]]:
    hits: list[tuple[int, uuid.UUID, str]] = []
    visible = Patient.objects.filter(organisation_id=organisation_id, entered_in_error=False)
    if uhid.looks_like_uhid(query):
        try:
            canonical = uhid.parse(query)
        except uhid.InvalidUHID:
            canonical = ""
        hits += [
            (Rank.IDENTIFIER, pk, "uhid")
            for pk in visible.filter(uhid=canonical).values_list("pk", flat=True)
        ]
    if "@" in query:
        hits += [
            (Rank.IDENTIFIER, pk, "abha_address")
            for pk in visible.filter(abha_address=query.strip().lower()).values_list(
                "pk", flat=True
            )
        ]
    digits = re.sub(r"[\s\-()+]", "", query)
    if digits.isdigit():
        if len(digits) == 14:
            hits += [
                (Rank.IDENTIFIER, pk, "abha_number")
                for pk in visible.filter(abha_number=digits).values_list("pk", flat=True)
            ]
        if len(digits) >= MIN_MOBILE_DIGITS:
            try:
                full = identifiers.normalise_mobile(digits)
            except Exception:  # noqa: BLE001 - not a whole number: search by its tail
                full = ""
            if full:
                hits += [
                    (Rank.IDENTIFIER, pk, "mobile")
                    for pk in visible.filter(mobile=full).values_list("pk", flat=True)
                ]
            else:
                hits += [
                    (Rank.MOBILE_SUFFIX, pk, "mobile")
                    for pk in _mobile_suffix_hits(organisation_id, digits[-10:])
                ]
    return hits


def search_patients(
    organisation_id: Any,
    query: str,
    limit: int = DEFAULT_LIMIT,
    facility_id: Any = None,
) -> list[Hit]:
    """Ranked matches for what a receptionist typed, within one organisation.

    Ties within a rank go to patients of `facility_id` (the searching user's branch),
    then to the most recently registered.
    """
    # Scanners and pastes bring control characters (NUL among them, which PostgreSQL
    # refuses in text); no name or number contains one, so they are spaces here.
    query = _CONTROL.sub(" ", query).strip()
    if not query:
        return []
    ranked: dict[uuid.UUID, tuple[int, str]] = {}

    def consider(entries: Iterable[tuple[int, uuid.UUID, str]]) -> None:
        for rank, pk, matched in entries:
            if pk not in ranked or rank < ranked[pk][0]:
                ranked[pk] = (rank, matched)

    consider(_identifier_hits(organisation_id, query))
    looks_like_a_name = (
        re.search(r"[^\d\s\-+()]", query) and "@" not in query and not uhid.looks_like_uhid(query)
    )
    if looks_like_a_name:
        consider((rank, pk, "name") for rank, pk in _name_hits(organisation_id, query, limit))
    if not ranked:
        return []
    # Only the best few are loaded; ordering needs the branch, so fetch that with them.
    facility = {
        pk: registered_at
        for pk, registered_at in Patient.objects.filter(pk__in=list(ranked)).values_list(
            "pk", "registered_at_id"
        )
    }
    order = sorted(
        ranked,
        key=lambda pk: (
            ranked[pk][0],
            facility.get(pk) != facility_id if facility_id else 0,
            _Descending(pk),
        ),
    )[:limit]
    # The last visit tells two patients of one name apart; visits point at patients
    # (encounters.Encounter.patient, related name "encounters"), so it is one join here.
    patients = {
        patient.pk: patient
        for patient in Patient.objects.filter(pk__in=order).annotate(
            last_visit=Max("encounters__started_at")
        )
    }
    return [Hit(patients[pk], ranked[pk][0], ranked[pk][1]) for pk in order if pk in patients]


class _Descending:
    """Sort key wrapper: newest (largest UUIDv7) first."""

    __slots__ = ("value",)

    def __init__(self, value: uuid.UUID) -> None:
        self.value = value

    def __lt__(self, other: _Descending) -> bool:
        return self.value > other.value
